// Package codes makes and checks the one-time codes Cognito sends by email or
// SMS. Codes are 6 digits from crypto/rand; only a keyed hash is stored, so
// a copy of the database does not reveal live codes (a plain hash of six
// digits could be reversed by trying all million), and checks compare in
// constant time.
package codes

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"fmt"
	"math/big"
)

// New returns a fresh 6-digit code.
func New() string {
	n, err := rand.Int(rand.Reader, big.NewInt(1_000_000))
	if err != nil {
		panic("codes: crypto/rand failed: " + err.Error())
	}
	return fmt.Sprintf("%06d", n.Int64())
}

// Hash binds a code to its pool, user and purpose under the server's key.
func Hash(key []byte, poolID, username, purpose, code string) []byte {
	m := hmac.New(sha256.New, key)
	for _, s := range []string{poolID, username, purpose, code} {
		fmt.Fprintf(m, "%d:%s", len(s), s)
	}
	return m.Sum(nil)
}

// Match reports in constant time whether code hashes to stored.
func Match(key []byte, poolID, username, purpose, code string, stored []byte) bool {
	return hmac.Equal(Hash(key, poolID, username, purpose, code), stored)
}
