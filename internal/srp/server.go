package srp

import (
	"crypto/hmac"
	"errors"
	"math/big"

	"filippo.io/bigmod"
)

// ServerHandshake is the server half of one USER_SRP_AUTH handshake: the
// secret exponent b, the user's verifier v and the public B = k·v + g^b.
//
// A server typically answers InitiateAuth with SRP_B = HexOf(h.PublicB()),
// keeps h.PrivateB() (for example sealed inside SECRET_BLOCK), and on
// RespondToAuthChallenge rebuilds the handshake with RestoreServerHandshake
// and calls VerifyClaim. A ServerHandshake is safe for concurrent use.
type ServerHandshake struct {
	b   []byte      // secret exponent, big-endian
	v   *bigmod.Nat // verifier, mod N; read-only
	pub []byte      // B, big-endian, len = size of N
}

// NewServerHandshake draws a fresh 256-bit secret b for the given stored
// verifier and computes B.
func NewServerHandshake(verifier []byte) (*ServerHandshake, error) {
	for {
		b, err := randomSecret()
		if err != nil {
			return nil, err
		}
		h, err := RestoreServerHandshake(b, verifier)
		if errors.Is(err, ErrInvalidB) {
			continue // B ≡ 0 mod N: astronomically unlikely, draw again
		}
		return h, err
	}
}

// RestoreServerHandshake rebuilds a handshake from a secret b previously
// returned by PrivateB and the same verifier, recomputing B (one modular
// exponentiation). privateB must come from state the server itself kept or
// authenticated, never from the client.
func RestoreServerHandshake(privateB, verifier []byte) (*ServerHandshake, error) {
	if len(privateB) == 0 || len(privateB) > nMod.Size() || isZero(privateB) {
		return nil, errors.New("srp: invalid private b")
	}
	v, err := natModN(verifier)
	if err != nil {
		return nil, errors.New("srp: invalid verifier")
	}
	if v.IsZero() == 1 {
		return nil, errors.New("srp: invalid verifier")
	}
	b := append([]byte(nil), privateB...)
	// B = k·v + g^b mod N
	kv := bigmod.NewNat().Mod(kNat, nMod) // copy of k
	kv.Mul(v, nMod)
	pubNat := expG(b).Add(kv, nMod)
	if pubNat.IsZero() == 1 {
		return nil, ErrInvalidB
	}
	pub := pubNat.Bytes(nMod)
	return &ServerHandshake{b: b, v: v, pub: pub}, nil
}

// RestoreServerHandshakeWithB is RestoreServerHandshake for a server that
// also kept B (next to b, in state it authenticated): it skips recomputing
// B, one modular exponentiation.
func RestoreServerHandshakeWithB(privateB, publicB, verifier []byte) (*ServerHandshake, error) {
	if len(privateB) == 0 || len(privateB) > nMod.Size() || isZero(privateB) {
		return nil, errors.New("srp: invalid private b")
	}
	if len(publicB) != nMod.Size() || isZero(publicB) {
		return nil, ErrInvalidB
	}
	v, err := natModN(verifier)
	if err != nil || v.IsZero() == 1 {
		return nil, errors.New("srp: invalid verifier")
	}
	return &ServerHandshake{b: append([]byte(nil), privateB...), v: v, pub: append([]byte(nil), publicB...)}, nil
}

// PublicB returns B, big-endian and left-padded to the 384-byte size of N.
// Send it as SRP_B = HexOf(PublicB()).
func (h *ServerHandshake) PublicB() []byte { return append([]byte(nil), h.pub...) }

// PrivateB returns the secret exponent b (32 bytes for a new handshake). It
// must stay confidential: with it and B anyone can finish the handshake.
func (h *ServerHandshake) PrivateB() []byte { return append([]byte(nil), h.b...) }

// VerifyClaim checks a PASSWORD_VERIFIER response: clientA is SRP_A decoded
// (see ParseHex), poolName is PoolName(poolID), userID is USER_ID_FOR_SRP,
// secretBlock is the base64-decoded PASSWORD_CLAIM_SECRET_BLOCK, timestamp is
// TIMESTAMP verbatim and signature is the base64-decoded
// PASSWORD_CLAIM_SIGNATURE. The signature is compared in constant time.
//
// It returns ErrInvalidA when A ≡ 0 mod N (A must lie in [1, N-1]),
// ErrZeroU when H(A, B) is zero and ErrBadSignature on a mismatch. Checking
// the timestamp's freshness is left to the caller.
func (h *ServerHandshake) VerifyClaim(clientA []byte, poolName, userID string, secretBlock []byte, timestamp string, signature []byte) error {
	a := new(big.Int).SetBytes(clientA)
	if a.Sign() == 0 || a.Cmp(bigN) >= 0 {
		return ErrInvalidA
	}
	u, err := computeU(a.Bytes(), h.pub)
	if err != nil {
		return err
	}
	return h.verifyWithU(a, u, poolName, userID, secretBlock, timestamp, signature)
}

func (h *ServerHandshake) verifyWithU(a *big.Int, u []byte, poolName, userID string, secretBlock []byte, timestamp string, signature []byte) error {
	key, err := h.key(a, u)
	if err != nil {
		return err
	}
	want := claimSignature(key, poolName, userID, secretBlock, timestamp)
	if !hmac.Equal(want, signature) {
		return ErrBadSignature
	}
	return nil
}

// premaster returns S = (A·v^u)^b mod N as big-endian bytes the size of N.
func (h *ServerHandshake) premaster(a *big.Int, u []byte) ([]byte, error) {
	if isZero(u) {
		return nil, ErrZeroU
	}
	aNat, err := natModN(a.Bytes())
	if err != nil || aNat.IsZero() == 1 {
		return nil, ErrInvalidA
	}
	base := bigmod.NewNat().Exp(h.v, u, nMod) // v^u
	base.Mul(aNat, nMod)                      // A·v^u
	return bigmod.NewNat().Exp(base, h.b, nMod).Bytes(nMod), nil
}

func (h *ServerHandshake) key(a *big.Int, u []byte) ([]byte, error) {
	s, err := h.premaster(a, u)
	if err != nil {
		return nil, err
	}
	return sessionKey(s, u), nil
}
