package srp

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"math/big"
	"testing"
	"time"
)

const (
	testPoolID = "us-east-1_AbC123"
	testUser   = "0b7e2a52-77c4-4f41-8d5c-3d0b8a1f9e10"
	testPass   = "Correct horse battery staple 1!"
)

type handshake struct {
	salt, verifier []byte
	server         *ServerHandshake
	client         *Client
	secretBlock    []byte
	now            time.Time
}

func newHandshake(t testing.TB, password string) *handshake {
	t.Helper()
	pool := PoolName(testPoolID)
	salt, verifier, err := NewVerifier(pool, testUser, password)
	if err != nil {
		t.Fatal(err)
	}
	server, err := NewServerHandshake(verifier)
	if err != nil {
		t.Fatal(err)
	}
	client, err := NewClient()
	if err != nil {
		t.Fatal(err)
	}
	return &handshake{salt: salt, verifier: verifier, server: server, client: client,
		secretBlock: []byte("opaque server state \x00\xff\x10"),
		now:         time.Date(2026, 11, 3, 17, 5, 9, 0, time.UTC)}
}

// claim runs the client side with the challenge values as they travel.
func (h *handshake) claim(t testing.TB, password string) (sig []byte, timestamp string) {
	t.Helper()
	sigB64, ts, err := h.client.Claim(PoolName(testPoolID), testUser, password,
		HexOf(h.salt), HexOf(h.server.PublicB()), base64.StdEncoding.EncodeToString(h.secretBlock), h.now)
	if err != nil {
		t.Fatal(err)
	}
	sig, err = base64.StdEncoding.DecodeString(sigB64)
	if err != nil {
		t.Fatal(err)
	}
	return sig, ts
}

func (h *handshake) clientA(t testing.TB) []byte {
	t.Helper()
	a, err := ParseHex(h.client.PublicAHex())
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func TestRoundTrip(t *testing.T) {
	pool := PoolName(testPoolID)
	for i := 0; i < 5; i++ {
		h := newHandshake(t, testPass)
		sig, ts := h.claim(t, testPass)
		if ts != "Tue Nov 3 17:05:09 UTC 2026" {
			t.Fatalf("timestamp = %q", ts)
		}
		if err := h.server.VerifyClaim(h.clientA(t), pool, testUser, h.secretBlock, ts, sig); err != nil {
			t.Fatalf("correct password rejected: %v", err)
		}
		// A server that kept only b (e.g. in SECRET_BLOCK) restores the same handshake.
		restored, err := RestoreServerHandshake(h.server.PrivateB(), h.verifier)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(restored.PublicB(), h.server.PublicB()) {
			t.Fatal("restored B differs")
		}
		if err := restored.VerifyClaim(h.clientA(t), pool, testUser, h.secretBlock, ts, sig); err != nil {
			t.Fatalf("restored handshake rejected correct password: %v", err)
		}
	}
}

func TestWrongPasswordAndTampering(t *testing.T) {
	pool := PoolName(testPoolID)
	h := newHandshake(t, testPass)
	A := h.clientA(t)

	sig, ts := h.claim(t, testPass+"x")
	if err := h.server.VerifyClaim(A, pool, testUser, h.secretBlock, ts, sig); !errors.Is(err, ErrBadSignature) {
		t.Fatalf("wrong password: err = %v, want ErrBadSignature", err)
	}

	sig, ts = h.claim(t, testPass)
	cases := []struct {
		name        string
		a           []byte
		pool, user  string
		block       []byte
		ts          string
		sig         []byte
		wantErr     error
		description string
	}{
		{"block", A, pool, testUser, append(bytes.Clone(h.secretBlock), 0), ts, sig, ErrBadSignature, ""},
		{"block-bitflip", A, pool, testUser, flip(h.secretBlock), ts, sig, ErrBadSignature, ""},
		{"timestamp", A, pool, testUser, h.secretBlock, "Tue Nov 3 17:05:10 UTC 2026", sig, ErrBadSignature, ""},
		{"timestamp-padded-day", A, pool, testUser, h.secretBlock, "Tue Nov 03 17:05:09 UTC 2026", sig, ErrBadSignature, ""},
		{"user", A, pool, testUser + "x", h.secretBlock, ts, sig, ErrBadSignature, ""},
		{"pool", A, "AbC124", testUser, h.secretBlock, ts, sig, ErrBadSignature, ""},
		{"signature", A, pool, testUser, h.secretBlock, ts, flip(sig), ErrBadSignature, ""},
		{"short-signature", A, pool, testUser, h.secretBlock, ts, sig[:31], ErrBadSignature, ""},
		{"other-A", new(big.Int).Add(new(big.Int).SetBytes(A), big.NewInt(1)).Bytes(), pool, testUser, h.secretBlock, ts, sig, ErrBadSignature, ""},
	}
	for _, c := range cases {
		if err := h.server.VerifyClaim(c.a, c.pool, c.user, c.block, c.ts, c.sig); !errors.Is(err, c.wantErr) {
			t.Errorf("%s: err = %v, want %v", c.name, err, c.wantErr)
		}
	}
	// The untampered claim still verifies.
	if err := h.server.VerifyClaim(A, pool, testUser, h.secretBlock, ts, sig); err != nil {
		t.Fatal(err)
	}
	// A claim made against one handshake fails against another for the same user.
	other, err := NewServerHandshake(h.verifier)
	if err != nil {
		t.Fatal(err)
	}
	if err := other.VerifyClaim(A, pool, testUser, h.secretBlock, ts, sig); !errors.Is(err, ErrBadSignature) {
		t.Fatalf("other handshake: err = %v", err)
	}
}

func flip(b []byte) []byte {
	c := bytes.Clone(b)
	c[len(c)/2] ^= 1
	return c
}

func TestInvalidA(t *testing.T) {
	h := newHandshake(t, testPass)
	sig, ts := h.claim(t, testPass)
	n := bigN.Bytes()
	for name, a := range map[string][]byte{
		"empty":  nil,
		"zero":   {0},
		"zeros":  make([]byte, 384),
		"N":      n,
		"N+1":    new(big.Int).Add(bigN, big.NewInt(1)).Bytes(),
		"2N":     new(big.Int).Lsh(bigN, 1).Bytes(),
		"padded": append([]byte{0, 0}, n...),
	} {
		if err := h.server.VerifyClaim(a, "AbC123", testUser, h.secretBlock, ts, sig); !errors.Is(err, ErrInvalidA) {
			t.Errorf("A=%s: err = %v, want ErrInvalidA", name, err)
		}
	}
	// Leading zeros on a valid A are fine (hex with leading zeros decodes so).
	if err := h.server.VerifyClaim(append([]byte{0, 0}, h.clientA(t)...), "AbC123", testUser, h.secretBlock, ts, sig); err != nil {
		t.Errorf("zero-prefixed A: %v", err)
	}
}

func TestZeroURefused(t *testing.T) {
	h := newHandshake(t, testPass)
	zero := make([]byte, 32)
	a := new(big.Int).SetBytes(h.clientA(t))
	if err := h.server.verifyWithU(a, zero, "AbC123", testUser, h.secretBlock, "ts", make([]byte, 32)); !errors.Is(err, ErrZeroU) {
		t.Fatalf("server: err = %v, want ErrZeroU", err)
	}
	x := computeX("AbC123", testUser, testPass, h.salt)
	if _, err := h.client.premaster(x, new(big.Int).SetBytes(h.server.PublicB()), zero); !errors.Is(err, ErrZeroU) {
		t.Fatalf("client: err = %v, want ErrZeroU", err)
	}
	if _, err := computeU([]byte{1}, []byte{2}); err != nil {
		t.Fatal(err)
	}
}

func TestClientRejectsBadChallenge(t *testing.T) {
	c, err := NewClient()
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	block := base64.StdEncoding.EncodeToString([]byte("x"))
	nHex := HexOf(bigN.Bytes())
	for name, tc := range map[string][3]string{
		"B=0":         {"00ff", "0", block},
		"B=N":         {"00ff", nHex, block},
		"B=2N":        {"00ff", HexOf(new(big.Int).Lsh(bigN, 1).Bytes()), block},
		"bad salt":    {"zz", "05", block},
		"empty salt":  {"", "05", block},
		"bad B":       {"01", "0x05", block},
		"bad block":   {"01", "05", "not base64!"},
		"missing pad": {"01", "05", "eA"},
	} {
		if _, _, err := c.Claim("AbC123", "u", "p", tc[0], tc[1], tc[2], now); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

func TestCheckPassword(t *testing.T) {
	pool := PoolName(testPoolID)
	salt, v, err := NewVerifier(pool, testUser, testPass)
	if err != nil {
		t.Fatal(err)
	}
	if len(salt) != SaltSize || len(v) != 384 {
		t.Fatalf("salt %d bytes, verifier %d bytes", len(salt), len(v))
	}
	if !CheckPassword(pool, testUser, testPass, salt, v) {
		t.Fatal("correct password rejected")
	}
	if !bytes.Equal(ComputeVerifier(pool, testUser, testPass, salt), v) {
		t.Fatal("ComputeVerifier differs from NewVerifier")
	}
	// Verifiers stored without left padding (or with extra zeros) still work.
	trimmed := new(big.Int).SetBytes(v).Bytes()
	if !CheckPassword(pool, testUser, testPass, salt, trimmed) || !CheckPassword(pool, testUser, testPass, salt, append([]byte{0, 0}, v...)) {
		t.Fatal("verifier padding matters")
	}
	for name, tc := range map[string][4]string{
		"password": {pool, testUser, testPass + " ", string(salt)},
		"user":     {pool, testUser + "1", testPass, string(salt)},
		"pool":     {"AbC12", testUser, testPass, string(salt)},
		"salt":     {pool, testUser, testPass, string(flip(salt))},
		// Note: the protocol concatenates poolName and userID without a
		// separator, so ("AbC1230", "b7e2…") hashes like ("AbC123", "0b7e2…").
		// Harmless, since the pool name is fixed for a pool's verifiers.
	} {
		if CheckPassword(tc[0], tc[1], tc[2], []byte(tc[3]), v) {
			t.Errorf("%s: wrong input accepted", name)
		}
	}
	if CheckPassword(pool, testUser, testPass, salt, bigN.Bytes()) || CheckPassword(pool, testUser, testPass, salt, append(bytes.Clone(v), 0)) {
		t.Fatal("invalid verifier accepted")
	}
	// The same password under a fresh salt gives a different verifier.
	salt2, v2, _ := NewVerifier(pool, testUser, testPass)
	if bytes.Equal(salt, salt2) || bytes.Equal(v, v2) {
		t.Fatal("salt not random")
	}
}

func TestRestoreValidation(t *testing.T) {
	_, v, err := NewVerifier("p", "u", "pw")
	if err != nil {
		t.Fatal(err)
	}
	for name, tc := range map[string][2][]byte{
		"empty b":          {nil, v},
		"zero b":           {make([]byte, 32), v},
		"huge b":           {make([]byte, 400), v},
		"zero verifier":    {[]byte{1}, make([]byte, 384)},
		"verifier >= N":    {[]byte{1}, bigN.Bytes()},
		"verifier too big": {[]byte{1}, append([]byte{1}, v...)},
	} {
		if _, err := RestoreServerHandshake(tc[0], tc[1]); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

func TestPad(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"", "00"}, {"00", "00"}, {"0000", "00"}, {"01", "01"}, {"0001", "01"}, {"7f", "7f"},
		{"80", "0080"}, {"0080", "0080"}, {"ff00", "00ff00"}, {"000abc", "0abc"},
	} {
		in, _ := hex.DecodeString(c.in)
		if got := HexOf(in); got != c.want {
			t.Errorf("HexOf(%q) = %q, want %q", c.in, got, c.want)
		}
	}
	// k = H(00 ‖ N ‖ 02), the well-known Cognito constant.
	if got := HexOf(kHash); got != "538282c4354742d7cbbde2359fcf67f9f5b3a6b08791e5011b43b8a5b66d9ee6" {
		t.Errorf("k = %s", got)
	}
}

func TestParseHex(t *testing.T) {
	for in, want := range map[string][]byte{
		"0": {0}, "5": {5}, "abc": {0x0a, 0xbc}, "ABC": {0x0a, 0xbc}, "00ff": {0, 0xff},
	} {
		got, err := ParseHex(in)
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("ParseHex(%q) = %x, %v", in, got, err)
		}
	}
	for _, in := range []string{"", "0x1", "g", " 1", "-1"} {
		if _, err := ParseHex(in); err == nil {
			t.Errorf("ParseHex(%q): no error", in)
		}
	}
}

func TestPoolName(t *testing.T) {
	for in, want := range map[string]string{
		"us-east-1_AbC123": "AbC123", "eu-central-1_x_y": "x_y", "local": "local", "_abc": "abc",
	} {
		if got := PoolName(in); got != want {
			t.Errorf("PoolName(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestTimestamp(t *testing.T) {
	loc := time.FixedZone("X", -5*3600)
	for _, c := range []struct {
		t    time.Time
		want string
	}{
		{time.Date(2026, 11, 3, 17, 5, 9, 0, time.UTC), "Tue Nov 3 17:05:09 UTC 2026"},
		{time.Date(2026, 11, 13, 7, 0, 0, 999, time.UTC), "Fri Nov 13 07:00:00 UTC 2026"},
		{time.Date(2026, 12, 31, 22, 0, 0, 0, loc), "Fri Jan 1 03:00:00 UTC 2027"},
	} {
		got := FormatTimestamp(c.t)
		if got != c.want {
			t.Errorf("FormatTimestamp(%v) = %q, want %q", c.t, got, c.want)
		}
		back, err := ParseTimestamp(got)
		if err != nil || !back.Equal(c.t.Truncate(time.Second)) {
			t.Errorf("ParseTimestamp(%q) = %v, %v", got, back, err)
		}
	}
}

func TestPublicAHex(t *testing.T) {
	// SRP_A is sent like the SDKs send it: unpadded lowercase hex.
	c, err := newClientWithSecret([]byte{1})
	if err != nil {
		t.Fatal(err)
	}
	if got := c.PublicAHex(); got != "2" {
		t.Fatalf("A for a=1: %q", got)
	}
	c, err = NewClient()
	if err != nil {
		t.Fatal(err)
	}
	a, _ := ParseHex(c.PublicAHex())
	if HexOf(a) != HexOf(c.pub.Bytes()) {
		t.Fatal("PublicAHex does not round-trip")
	}
}

func TestFixedBaseExp(t *testing.T) {
	check := func(e []byte) {
		t.Helper()
		want := new(big.Int).Exp(big.NewInt(2), new(big.Int).SetBytes(e), bigN)
		got := new(big.Int).SetBytes(expG(e).Bytes(nMod))
		if got.Cmp(want) != 0 {
			t.Fatalf("expG(%x) wrong", e)
		}
	}
	check(nil)
	check([]byte{0})
	check([]byte{1})
	check(bytes.Repeat([]byte{0xff}, 32))
	check(bytes.Repeat([]byte{0xff}, 33)) // generic path
	check(append([]byte{0, 0, 0}, bytes.Repeat([]byte{0x5a}, 32)...))
	for n := 1; n <= 40; n++ {
		e := make([]byte, n)
		for i := range e {
			e[i] = byte(i*37 + n*11)
		}
		check(e)
	}
}

func TestConcurrentUse(t *testing.T) {
	h := newHandshake(t, testPass)
	sig, ts := h.claim(t, testPass)
	a := h.clientA(t)
	done := make(chan error, 8)
	for range 8 {
		go func() {
			if !CheckPassword("AbC123", testUser, testPass, h.salt, h.verifier) {
				done <- errors.New("CheckPassword failed")
				return
			}
			done <- h.server.VerifyClaim(a, "AbC123", testUser, h.secretBlock, ts, sig)
		}()
	}
	for range 8 {
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	}
}

func TestRestoreWithB(t *testing.T) {
	salt, v, err := NewVerifier("Pool", "user", "Passw0rd!")
	if err != nil {
		t.Fatal(err)
	}
	h, err := NewServerHandshake(v)
	if err != nil {
		t.Fatal(err)
	}
	c, _ := NewClient()
	block := []byte("secret block")
	sig, ts, err := c.Claim("Pool", "user", "Passw0rd!", HexOf(salt), HexOf(h.PublicB()), base64.StdEncoding.EncodeToString(block), time.Now())
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := base64.StdEncoding.DecodeString(sig)
	A, _ := ParseHex(c.PublicAHex())
	r, err := RestoreServerHandshakeWithB(h.PrivateB(), h.PublicB(), v)
	if err != nil {
		t.Fatal(err)
	}
	if err := r.VerifyClaim(A, "Pool", "user", block, ts, raw); err != nil {
		t.Fatalf("restored with B: %v", err)
	}
	if _, err := RestoreServerHandshakeWithB(h.PrivateB(), make([]byte, len(h.PublicB())), v); !errors.Is(err, ErrInvalidB) {
		t.Fatalf("zero B: %v", err)
	}
}
