// Package ids makes the identifiers Cognito hands out, in Cognito's shapes:
// pool IDs like "us-east-1_AbC123xyZ", 26-character client IDs, 51-character
// client secrets and UUID subs.
package ids

import (
	"crypto/rand"
	"fmt"
)

const (
	alnum      = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	lowerAlnum = "abcdefghijklmnopqrstuvwxyz0123456789"
)

// random returns n characters drawn uniformly from set.
func random(set string, n int) string {
	out := make([]byte, n)
	buf := make([]byte, 1)
	limit := 256 - 256%len(set) // reject bytes that would bias the draw
	for i := 0; i < n; {
		if _, err := rand.Read(buf); err != nil {
			panic("ids: crypto/rand failed: " + err.Error())
		}
		if int(buf[0]) >= limit {
			continue
		}
		out[i] = set[int(buf[0])%len(set)]
		i++
	}
	return string(out)
}

// PoolID returns a new user pool ID in the given region.
func PoolID(region string) string { return region + "_" + random(alnum, 9) }

// ClientID returns a new app client ID.
func ClientID() string { return random(lowerAlnum, 26) }

// ClientSecret returns a new app client secret.
func ClientSecret() string { return random(lowerAlnum, 51) }

// UUID returns a random (version 4) UUID, used for subs and generated usernames.
func UUID() string {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic("ids: crypto/rand failed: " + err.Error())
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}
