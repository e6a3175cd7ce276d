package srp

import (
	"encoding/base64"
	"errors"
	"fmt"
	"math/big"
	"time"

	"filippo.io/bigmod"
)

// Client is the client half of a USER_SRP_AUTH handshake, computing what
// amazon-cognito-identity-js and pycognito compute. Create one per
// InitiateAuth: send PublicAHex() as SRP_A, then answer the
// PASSWORD_VERIFIER challenge with Claim.
type Client struct {
	a   []byte   // secret exponent, big-endian
	pub *big.Int // A = g^a mod N
}

// NewClient draws a random 256-bit secret a and computes A = g^a mod N.
func NewClient() (*Client, error) {
	for {
		a, err := randomSecret()
		if err != nil {
			return nil, err
		}
		c, err := newClientWithSecret(a)
		if errors.Is(err, ErrInvalidA) {
			continue
		}
		return c, err
	}
}

// newClientWithSecret builds a client with a fixed secret a (tests use it to
// reproduce golden vectors; the SDKs use 128-byte secrets, this accepts any
// length).
func newClientWithSecret(a []byte) (*Client, error) {
	pub := new(big.Int).SetBytes(expG(a).Bytes(nMod))
	if pub.Sign() == 0 {
		return nil, ErrInvalidA
	}
	return &Client{a: append([]byte(nil), a...), pub: pub}, nil
}

// PublicAHex returns SRP_A as the SDKs send it: A in lowercase hex without
// padding (BigInteger.toString(16)), which may have odd length.
func (c *Client) PublicAHex() string { return c.pub.Text(16) }

// Claim answers the PASSWORD_VERIFIER challenge. poolName is PoolName(poolID);
// userIDForSRP, saltHex, srpBHex and secretBlockB64 are the challenge's
// USER_ID_FOR_SRP, SALT, SRP_B and SECRET_BLOCK. It returns
// PASSWORD_CLAIM_SIGNATURE (base64) and the TIMESTAMP it signed
// (FormatTimestamp(now)).
func (c *Client) Claim(poolName, userIDForSRP, password, saltHex, srpBHex, secretBlockB64 string, now time.Time) (signatureB64, timestamp string, err error) {
	salt, err := ParseHex(saltHex)
	if err != nil {
		return "", "", fmt.Errorf("srp: SALT: %w", err)
	}
	bBytes, err := ParseHex(srpBHex)
	if err != nil {
		return "", "", fmt.Errorf("srp: SRP_B: %w", err)
	}
	secretBlock, err := base64.StdEncoding.DecodeString(secretBlockB64)
	if err != nil {
		return "", "", fmt.Errorf("srp: SECRET_BLOCK: %w", err)
	}
	key, err := c.key(poolName, userIDForSRP, password, salt, bBytes)
	if err != nil {
		return "", "", err
	}
	timestamp = FormatTimestamp(now)
	sig := claimSignature(key, poolName, userIDForSRP, secretBlock, timestamp)
	return base64.StdEncoding.EncodeToString(sig), timestamp, nil
}

func (c *Client) key(poolName, userID, password string, salt, srpB []byte) ([]byte, error) {
	b := new(big.Int).SetBytes(srpB)
	// u is over B as received, like the SDKs; the arithmetic is mod N.
	u, err := computeU(c.pub.Bytes(), b.Bytes())
	if err != nil {
		return nil, err
	}
	s, err := c.premaster(computeX(poolName, userID, password, salt), b, u)
	if err != nil {
		return nil, err
	}
	return sessionKey(s, u), nil
}

// premaster returns S = (B − k·g^x)^(a + u·x) mod N, big-endian, the size of N.
func (c *Client) premaster(x []byte, b *big.Int, u []byte) ([]byte, error) {
	bRed := new(big.Int).Mod(b, bigN)
	if bRed.Sign() == 0 {
		return nil, ErrInvalidB
	}
	if isZero(u) {
		return nil, ErrZeroU
	}
	base, err := natModN(bRed.Bytes())
	if err != nil {
		return nil, err
	}
	kgx := bigmod.NewNat().Mod(kNat, nMod) // copy of k
	kgx.Mul(expG(x), nMod)                 // k·g^x
	base.Sub(kgx, nMod)                    // B − k·g^x
	return bigmod.NewNat().Exp(base, c.exponent(u, x), nMod).Bytes(nMod), nil
}

// exponent returns a + u·x as an exact (unreduced) big-endian integer, the
// exponent the SDKs use, computed in constant time: the arithmetic is done
// modulo a power of two larger than any possible result, so no reduction
// ever happens and bigmod's constant-time Mul and Add apply.
func (c *Client) exponent(u, x []byte) []byte {
	n := max(len(c.a), len(u)+len(x)) + 1 // a + u·x < 2^(8n)
	mb := make([]byte, n+1)
	mb[0] = 1 // M = 2^(8n)
	m, err := bigmod.NewModulus(mb)
	if err != nil {
		panic(err)
	}
	load := func(b []byte) *bigmod.Nat {
		v, err := bigmod.NewNat().SetBytes(b, m)
		if err != nil {
			panic(err)
		}
		return v
	}
	e := load(u)
	e.Mul(load(x), m)
	e.Add(load(c.a), m)
	return e.Bytes(m)
}
