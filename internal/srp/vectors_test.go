package srp

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"math/big"
	"os"
	"testing"
	"time"
)

// goldenVector is one entry of testdata/vectors.json, computed by pycognito's
// aws_srp.py (client side) and plain Python integers (server side). Hex
// values are unpadded (Python format(n, "x")), except salt, which is the SALT
// string as a server sends it.
type goldenVector struct {
	Name        string `json:"name"`
	PoolID      string `json:"pool_id"`
	PoolName    string `json:"pool_name"`
	UserID      string `json:"user_id"`
	Password    string `json:"password"`
	Salt        string `json:"salt"`
	SmallA      string `json:"a"`
	SmallB      string `json:"b"`
	K           string `json:"k"`
	X           string `json:"x"`
	V           string `json:"v"`
	A           string `json:"A"`
	B           string `json:"B"`
	U           string `json:"u"`
	S           string `json:"S"`
	Key         string `json:"key"`
	SecretBlock string `json:"secret_block"`
	Unix        int64  `json:"unix"`
	Timestamp   string `json:"timestamp"`
	Signature   string `json:"signature"`
}

func loadVectors(t *testing.T) []goldenVector {
	t.Helper()
	data, err := os.ReadFile("testdata/vectors.json")
	if err != nil {
		t.Fatal(err)
	}
	var f struct {
		Vectors []goldenVector `json:"vectors"`
	}
	if err := json.Unmarshal(data, &f); err != nil {
		t.Fatal(err)
	}
	if len(f.Vectors) == 0 {
		t.Fatal("no vectors")
	}
	return f.Vectors
}

func mustHex(t *testing.T, s string) []byte {
	t.Helper()
	b, err := ParseHex(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// sameInt compares a big-endian value with an unpadded hex string as integers.
func sameInt(t *testing.T, what string, got []byte, want string) {
	t.Helper()
	if g := new(big.Int).SetBytes(got).Text(16); g != want {
		t.Errorf("%s = %s\n want %s", what, g, want)
	}
}

func TestGoldenVectors(t *testing.T) {
	for _, v := range loadVectors(t) {
		t.Run(v.Name, func(t *testing.T) {
			if got := PoolName(v.PoolID); got != v.PoolName {
				t.Fatalf("PoolName = %q", got)
			}
			sameInt(t, "k", kHash, v.K)
			salt := mustHex(t, v.Salt)
			if HexOf(salt) != v.Salt {
				t.Errorf("vector salt %q is not in HexOf form %q", v.Salt, HexOf(salt))
			}
			x := computeX(v.PoolName, v.UserID, v.Password, salt)
			sameInt(t, "x", x, v.X)
			verifier := ComputeVerifier(v.PoolName, v.UserID, v.Password, salt)
			sameInt(t, "v", verifier, v.V)
			if !CheckPassword(v.PoolName, v.UserID, v.Password, salt, mustHex(t, v.V)) {
				t.Error("CheckPassword rejects the vector's password")
			}

			server, err := RestoreServerHandshake(mustHex(t, v.SmallB), verifier)
			if err != nil {
				t.Fatal(err)
			}
			sameInt(t, "B", server.PublicB(), v.B)
			client, err := newClientWithSecret(mustHex(t, v.SmallA))
			if err != nil {
				t.Fatal(err)
			}
			if got := client.PublicAHex(); got != v.A {
				t.Errorf("A = %s\n want %s", got, v.A)
			}
			a := new(big.Int).SetBytes(mustHex(t, v.A))
			u, err := computeU(a.Bytes(), server.PublicB())
			if err != nil {
				t.Fatal(err)
			}
			sameInt(t, "u", u, v.U)

			sServer, err := server.premaster(a, u)
			if err != nil {
				t.Fatal(err)
			}
			sameInt(t, "S (server)", sServer, v.S)
			sClient, err := client.premaster(x, new(big.Int).SetBytes(mustHex(t, v.B)), u)
			if err != nil {
				t.Fatal(err)
			}
			sameInt(t, "S (client)", sClient, v.S)
			if got := hex.EncodeToString(sessionKey(sServer, u)); got != v.Key {
				t.Errorf("key = %s, want %s", got, v.Key)
			}

			now := time.Unix(v.Unix, 0)
			sig, ts, err := client.Claim(v.PoolName, v.UserID, v.Password, v.Salt, v.B, v.SecretBlock, now)
			if err != nil {
				t.Fatal(err)
			}
			if ts != v.Timestamp {
				t.Errorf("timestamp = %q, want %q", ts, v.Timestamp)
			}
			if sig != v.Signature {
				t.Errorf("signature = %s, want %s", sig, v.Signature)
			}
			block, _ := base64.StdEncoding.DecodeString(v.SecretBlock)
			want, _ := base64.StdEncoding.DecodeString(v.Signature)
			if err := server.VerifyClaim(a.Bytes(), v.PoolName, v.UserID, block, v.Timestamp, want); err != nil {
				t.Errorf("server rejects pycognito's signature: %v", err)
			}
			if err := server.VerifyClaim(a.Bytes(), v.PoolName, v.UserID, block, v.Timestamp+" ", want); err == nil {
				t.Error("server accepts a changed timestamp")
			}
			if !bytes.Equal(server.PrivateB(), mustHex(t, v.SmallB)) {
				t.Error("PrivateB does not round-trip")
			}
		})
	}
}
