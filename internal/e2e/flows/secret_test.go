package flows

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
)

// secretHash is computed here independently of the server's code.
func secretHash(secret, username, clientID string) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(username + clientID))
	return base64.StdEncoding.EncodeToString(m.Sum(nil))
}
