package srp

import (
	"encoding/base64"
	"math/big"
	"testing"
	"time"
)

func BenchmarkNewVerifier(b *testing.B) {
	for b.Loop() {
		if _, _, err := NewVerifier("AbC123", testUser, testPass); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkCheckPassword(b *testing.B) {
	salt, v, _ := NewVerifier("AbC123", testUser, testPass)
	for b.Loop() {
		if !CheckPassword("AbC123", testUser, testPass, salt, v) {
			b.Fatal("rejected")
		}
	}
}

func BenchmarkNewServerHandshake(b *testing.B) {
	_, v, _ := NewVerifier("AbC123", testUser, testPass)
	for b.Loop() {
		if _, err := NewServerHandshake(v); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkRestoreServerHandshake(b *testing.B) {
	_, v, _ := NewVerifier("AbC123", testUser, testPass)
	h, _ := NewServerHandshake(v)
	for b.Loop() {
		if _, err := RestoreServerHandshake(h.PrivateB(), v); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkVerifyClaim(b *testing.B) {
	h := newHandshake(b, testPass)
	sig, ts := h.claim(b, testPass)
	a := h.clientA(b)
	for b.Loop() {
		if err := h.server.VerifyClaim(a, "AbC123", testUser, h.secretBlock, ts, sig); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkNewClient(b *testing.B) {
	for b.Loop() {
		if _, err := NewClient(); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkClientClaim(b *testing.B) {
	h := newHandshake(b, testPass)
	saltHex, bHex := HexOf(h.salt), HexOf(h.server.PublicB())
	block := base64.StdEncoding.EncodeToString(h.secretBlock)
	now := time.Now()
	for b.Loop() {
		if _, _, err := h.client.Claim("AbC123", testUser, testPass, saltHex, bHex, block, now); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkReferenceMathBigExp is a point of comparison only: the same
// 256-bit-exponent g^b with math/big's variable-time Exp, which this package
// deliberately does not use for secrets.
func BenchmarkReferenceMathBigExp(b *testing.B) {
	e, _ := randomSecret()
	x, g := new(big.Int).SetBytes(e), big.NewInt(2)
	for b.Loop() {
		new(big.Int).Exp(g, x, bigN)
	}
}
