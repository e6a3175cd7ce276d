// Package srp implements the SRP-6a variant that Amazon Cognito user pools use
// for the USER_SRP_AUTH flow (PASSWORD_VERIFIER challenge), on both sides:
// the server side used by the userpool server and the client side used by
// userpool's Go client and by the server's tests.
//
// The protocol follows what the real Cognito clients compute
// (amazon-cognito-identity-js AuthenticationHelper, pycognito aws_srp):
//
//	N, g  = RFC 5054 3072-bit group, g = 2
//	H     = SHA-256
//	pad() = minimal big-endian two's-complement encoding of a non-negative
//	        integer: leading zero bytes dropped, one 0x00 byte prepended when the
//	        top bit is set, and 0 encoded as a single 0x00 byte
//	k     = H(pad(N) ‖ pad(g))
//	x     = H(pad(salt) ‖ H(poolName ‖ userIdForSRP ‖ ":" ‖ password))
//	v     = g^x mod N                       (stored verifier)
//	B     = (k·v + g^b) mod N               (server, b secret)
//	A     = g^a mod N                       (client, a secret)
//	u     = H(pad(A) ‖ pad(B)), u ≠ 0
//	S     = (A·v^u)^b mod N                 (server)
//	      = (B − k·g^x)^(a + u·x) mod N     (client)
//	key   = HKDF-SHA256(ikm = pad(S), salt = pad(u), info = "Caldera Derived Key")[:16]
//	claim = HMAC-SHA256(key, poolName ‖ userIdForSRP ‖ secretBlock ‖ timestamp)
//
// Numbers travel as hex strings (SRP_A, SRP_B, SALT). The salt enters x
// through its integer value, as amazon-cognito-identity-js parses SALT into a
// BigInteger before padding it; pycognito pads the SALT string as received.
// The two agree only when SALT is in the canonical form produced by HexOf, so
// a server must always send HexOf(salt).
//
// # Constant time
//
// Every modular exponentiation whose exponent or base is secret (g^b, g^x,
// (A·v^u)^b, (B−k·g^x)^(a+u·x), and v^u where v is password-equivalent for
// an offline guessing attack) uses filippo.io/bigmod, whose Exp, Mul, Add and
// Sub run in time that depends only on the sizes of their operands and never
// on their values. math/big's Exp is variable time (sliding windows,
// value-dependent normalization), so with it the time a login takes would
// leak bits of b, x and a. math/big is only used for public values (parsing
// A and B, hex encoding, range checks). Powers of the fixed generator g use a
// precomputed table (fixedbase.go), about twice as fast as bigmod's generic
// Exp and equally constant time. What the protocol itself leaks cannot be
// avoided: pad(S) has a value-dependent length (about 1 in 256 handshakes has
// a leading zero byte), exactly as in every Cognito client.
package srp

import (
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"fmt"
	"math/big"
	"strings"
	"time"

	"filippo.io/bigmod"
)

// nHex is the 3072-bit MODP group prime of RFC 5054 appendix A (also RFC 3526
// group 15), the one Cognito uses.
const nHex = "" +
	"FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD1" +
	"29024E088A67CC74020BBEA63B139B22514A08798E3404DD" +
	"EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245" +
	"E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED" +
	"EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3D" +
	"C2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F" +
	"83655D23DCA3AD961C62F356208552BB9ED529077096966D" +
	"670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B" +
	"E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9" +
	"DE2BCBF6955817183995497CEA956AE515D2261898FA0510" +
	"15728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64" +
	"ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7" +
	"ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6B" +
	"F12FFA06D98A0864D87602733EC86A64521F2B18177B200C" +
	"BBE117577A615D6C770988C0BAD946E208E24FA074E5AB31" +
	"43DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF"

const (
	// SaltSize is the number of random salt bytes NewVerifier draws.
	SaltSize = 16
	// secretSize is the size in bytes of the random exponents a and b
	// (256 bits: 128-bit security, matching the 3072-bit group).
	secretSize = 32
	// keySize is the size of the derived HMAC key.
	keySize = 16
	// TimestampLayout is the time.Format layout of the TIMESTAMP challenge
	// response: UTC, day of month not padded ("Tue Nov 3 17:05:09 UTC 2026").
	TimestampLayout = "Mon Jan 2 15:04:05 UTC 2006"
)

const hkdfInfo = "Caldera Derived Key"

// Sentinel errors.
var (
	// ErrInvalidA: the client's public value A is 0 mod N (or not below N).
	ErrInvalidA = errors.New("srp: invalid client public value A")
	// ErrInvalidB: the server's public value B is 0 mod N.
	ErrInvalidB = errors.New("srp: invalid server public value B")
	// ErrZeroU: the scrambling parameter u = H(A, B) is zero.
	ErrZeroU = errors.New("srp: scrambling parameter u is zero")
	// ErrBadSignature: PASSWORD_CLAIM_SIGNATURE does not match (wrong
	// password, or a tampered secret block, timestamp or user id).
	ErrBadSignature = errors.New("srp: password claim signature mismatch")
)

// Group parameters, computed once. The *bigmod.Nat values here are shared and
// must only ever be used as read-only operands, never as receivers.
var (
	bigN  *big.Int
	nMod  *bigmod.Modulus
	gNat  *bigmod.Nat
	kNat  *bigmod.Nat
	kHash []byte // k = H(pad(N) ‖ pad(g)), 32 bytes
)

func init() {
	var ok bool
	bigN, ok = new(big.Int).SetString(nHex, 16)
	if !ok {
		panic("srp: bad N")
	}
	var err error
	nMod, err = bigmod.NewModulus(bigN.Bytes())
	if err != nil {
		panic(err)
	}
	gNat = mustNat([]byte{2})
	kHash = hashBytes(pad(bigN.Bytes()), pad([]byte{2}))
	kNat = mustNat(kHash)
}

func mustNat(b []byte) *bigmod.Nat {
	n, err := natModN(b)
	if err != nil {
		panic(err)
	}
	return n
}

// natModN loads a big-endian value that must be below N into a Nat sized for
// N. Excess leading zero bytes are accepted.
func natModN(b []byte) (*bigmod.Nat, error) {
	size := nMod.Size()
	for len(b) > size && b[0] == 0 {
		b = b[1:]
	}
	return bigmod.NewNat().SetBytes(b, nMod)
}

// PoolName returns the part of a user pool id after the first "_", the name
// Cognito mixes into x and the claim ("us-east-1_AbC123" → "AbC123"). An id
// without "_" is returned unchanged.
func PoolName(userPoolID string) string {
	if _, name, ok := strings.Cut(userPoolID, "_"); ok {
		return name
	}
	return userPoolID
}

// pad returns the minimal two's-complement big-endian encoding of the
// non-negative integer b: leading zero bytes removed, 0x00 prepended when the
// most significant bit is set, zero encoded as a single 0x00 byte. It is the
// byte form of the clients' padHex.
func pad(b []byte) []byte {
	for len(b) > 0 && b[0] == 0 {
		b = b[1:]
	}
	if len(b) == 0 || b[0]&0x80 != 0 {
		return append([]byte{0}, b...)
	}
	return append([]byte(nil), b...)
}

// HexOf returns the clients' padHex encoding of the unsigned big-endian
// integer b: lowercase, even length, minimal, with "00" prepended when the
// first digit would be 8-f. Servers send SALT and SRP_B in this form; for the
// salt it is the only form on which amazon-cognito-identity-js and pycognito
// compute the same x.
func HexOf(b []byte) string {
	return hex.EncodeToString(pad(b))
}

// ParseHex decodes a hex string as the clients produce and accept them:
// upper or lower case, with or without leading zeros, odd length allowed
// (both SDKs send SRP_A as BigInteger.toString(16), which has odd length one
// time in sixteen). It returns big-endian bytes.
func ParseHex(s string) ([]byte, error) {
	if s == "" {
		return nil, errors.New("srp: empty hex value")
	}
	if len(s)%2 == 1 {
		s = "0" + s
	}
	b, err := hex.DecodeString(s)
	if err != nil {
		return nil, fmt.Errorf("srp: bad hex value: %w", err)
	}
	return b, nil
}

// FormatTimestamp formats t the way Cognito clients build TIMESTAMP:
// "Mon Jan 2 15:04:05 UTC 2006" in UTC, day of month not padded.
func FormatTimestamp(t time.Time) string {
	return t.UTC().Format(TimestampLayout)
}

// ParseTimestamp parses a TIMESTAMP challenge response (see FormatTimestamp),
// for servers that check how far it is from their clock.
func ParseTimestamp(s string) (time.Time, error) {
	return time.Parse(TimestampLayout, s)
}

func hashBytes(parts ...[]byte) []byte {
	h := sha256.New()
	for _, p := range parts {
		h.Write(p)
	}
	return h.Sum(nil)
}

// computeX returns x = H(pad(salt) ‖ H(poolName ‖ userID ‖ ":" ‖ password)),
// 32 big-endian bytes. The clients hash the hex string of the inner digest
// back into bytes, so the outer hash is over the raw 32 digest bytes.
func computeX(poolName, userID, password string, salt []byte) []byte {
	inner := sha256.Sum256([]byte(poolName + userID + ":" + password))
	return hashBytes(pad(salt), inner[:])
}

// NewVerifier draws a random 16-byte salt and returns it with the verifier
// g^x mod N (left-padded to the 384-byte size of N). A server stores both and
// never the password. Send the salt to clients as HexOf(salt).
func NewVerifier(poolName, userID, password string) (salt, verifier []byte, err error) {
	salt = make([]byte, SaltSize)
	if _, err := rand.Read(salt); err != nil {
		return nil, nil, err
	}
	return salt, ComputeVerifier(poolName, userID, password, salt), nil
}

// ComputeVerifier returns g^x mod N for the given salt, big-endian and
// left-padded to the 384-byte size of N.
func ComputeVerifier(poolName, userID, password string, salt []byte) []byte {
	return expG(computeX(poolName, userID, password, salt)).Bytes(nMod)
}

// CheckPassword reports whether password matches the stored salt and
// verifier, by recomputing g^x mod N and comparing in constant time. It is
// what USER_PASSWORD_AUTH and ADMIN_USER_PASSWORD_AUTH use.
func CheckPassword(poolName, userID, password string, salt, verifier []byte) bool {
	v, err := natModN(verifier)
	if err != nil {
		return false
	}
	return expG(computeX(poolName, userID, password, salt)).Equal(v) == 1
}

// sessionKey derives the 16-byte HMAC key from S and u.
func sessionKey(s, u []byte) []byte {
	key, err := hkdf.Key(sha256.New, pad(s), pad(u), hkdfInfo, keySize)
	if err != nil {
		panic(err) // only for impossible lengths
	}
	return key
}

// claimSignature returns HMAC-SHA256(key, poolName ‖ userID ‖ secretBlock ‖ timestamp).
func claimSignature(key []byte, poolName, userID string, secretBlock []byte, timestamp string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(poolName))
	m.Write([]byte(userID))
	m.Write(secretBlock)
	m.Write([]byte(timestamp))
	return m.Sum(nil)
}

// computeU returns u = H(pad(A) ‖ pad(B)), or ErrZeroU.
func computeU(a, b []byte) ([]byte, error) {
	u := hashBytes(pad(a), pad(b))
	if isZero(u) {
		return nil, ErrZeroU
	}
	return u, nil
}

func isZero(b []byte) bool {
	var acc byte
	for _, c := range b {
		acc |= c
	}
	return subtle.ConstantTimeByteEq(acc, 0) == 1
}

// randomSecret returns secretSize random bytes that are not all zero.
func randomSecret() ([]byte, error) {
	b := make([]byte, secretSize)
	for {
		if _, err := rand.Read(b); err != nil {
			return nil, err
		}
		if !isZero(b) {
			return b, nil
		}
	}
}
