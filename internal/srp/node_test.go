package srp

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"math/big"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// The cross-check against amazon-cognito-identity-js runs when node and the
// npm package are available. The package is looked up in the node_modules
// folder named by USERPOOL_NODE_MODULES or, by default, in
// <repo>/.ci/node/node_modules, which CI fills with
//
//	npm install --prefix .ci/node amazon-cognito-identity-js@6
//
// When USERPOOL_NODE_MODULES is set, a missing node or package is an error
// rather than a skip.

const sdkPackage = "amazon-cognito-identity-js"

func nodeModules(t *testing.T) string {
	t.Helper()
	dir, explicit := os.LookupEnv("USERPOOL_NODE_MODULES")
	fail := t.Skipf
	if explicit {
		fail = t.Fatalf
	} else {
		root, err := repoRoot()
		if err != nil {
			t.Skipf("skipping %s cross-check: %v", sdkPackage, err)
		}
		dir = filepath.Join(root, ".ci", "node", "node_modules")
	}
	if _, err := exec.LookPath("node"); err != nil {
		fail("skipping %s cross-check: node not found in PATH", sdkPackage)
	}
	if _, err := os.Stat(filepath.Join(dir, sdkPackage, "package.json")); err != nil {
		fail("skipping %s cross-check: %s not installed in %s (set USERPOOL_NODE_MODULES or run `npm install --prefix .ci/node %s@6` in the repo root)",
			sdkPackage, sdkPackage, dir, sdkPackage)
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		t.Fatal(err)
	}
	return abs
}

func repoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("go.mod not found above the working directory")
		}
		dir = parent
	}
}

// runNode sends req to testdata/cognito_js.js and decodes its answer.
func runNode(t *testing.T, modules string, req, resp any) {
	t.Helper()
	in, err := json.Marshal(req)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("node", filepath.Join("testdata", "cognito_js.js"))
	cmd.Env = append(os.Environ(), "NODE_PATH="+modules)
	cmd.Stdin = bytes.NewReader(in)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("node %s: %v\n%s", in, err, stderr.String())
	}
	if err := json.Unmarshal(out, resp); err != nil {
		t.Fatalf("node output %q: %v", out, err)
	}
}

type helperReq struct {
	Mode        string `json:"mode"`
	PoolName    string `json:"poolName"`
	UserID      string `json:"userId"`
	Password    string `json:"password"`
	SaltHex     string `json:"saltHex"`
	BHex        string `json:"bHex"`
	SecretBlock string `json:"secretBlock"`
	Timestamp   string `json:"timestamp"`
	AHex        string `json:"aHex,omitempty"`
}

type helperResp struct {
	A, U, Key, Signature string
}

// TestNodeSDKGoldenVectors: the SDK, fed the vectors' fixed a, reproduces
// pycognito's A, u, key and signature (and so Go's, see TestGoldenVectors).
func TestNodeSDKGoldenVectors(t *testing.T) {
	modules := nodeModules(t)
	for _, v := range loadVectors(t) {
		t.Run(v.Name, func(t *testing.T) {
			var r helperResp
			runNode(t, modules, helperReq{Mode: "helper", PoolName: v.PoolName, UserID: v.UserID, Password: v.Password,
				SaltHex: v.Salt, BHex: v.B, SecretBlock: v.SecretBlock, Timestamp: v.Timestamp, AHex: v.SmallA}, &r)
			if r.A != v.A || r.U != v.U || r.Key != v.Key || r.Signature != v.Signature {
				t.Errorf("SDK disagrees with the vector:\n SDK    A=%.16s… u=%s key=%s sig=%s\n vector A=%.16s… u=%s key=%s sig=%s",
					r.A, r.U, r.Key, r.Signature, v.A, v.U, v.Key, v.Signature)
			}
		})
	}
}

// TestNodeSDKAgainstGoServer: the SDK's AuthenticationHelper (with its own
// random 1024-bit a) answers challenges of the Go server, which must accept
// the right password and reject a wrong one.
func TestNodeSDKAgainstGoServer(t *testing.T) {
	modules := nodeModules(t)
	pool := PoolName(testPoolID)
	users := []string{testUser, "alice", "Ünïcødé user", "someone@example.com"}
	for i, user := range users {
		password := testPass + string(rune('a'+i))
		salt, verifier, err := NewVerifier(pool, user, password)
		if err != nil {
			t.Fatal(err)
		}
		server, err := NewServerHandshake(verifier)
		if err != nil {
			t.Fatal(err)
		}
		block := bytes.Repeat([]byte{byte(i), 0xff, 0}, 50+i)
		ts := FormatTimestamp(time.Date(2026, time.Month(1+i), 1+i*9, 3, 4, 5, 0, time.UTC))
		for _, pw := range []string{password, password + "!"} {
			var r helperResp
			runNode(t, modules, helperReq{Mode: "helper", PoolName: pool, UserID: user, Password: pw,
				SaltHex: HexOf(salt), BHex: HexOf(server.PublicB()), SecretBlock: base64.StdEncoding.EncodeToString(block),
				Timestamp: ts}, &r)
			sig, err := base64.StdEncoding.DecodeString(r.Signature)
			if err != nil {
				t.Fatal(err)
			}
			err = server.VerifyClaim(mustHex(t, r.A), pool, user, block, ts, sig)
			if pw == password && err != nil {
				t.Errorf("user %q: server rejects the SDK's claim: %v", user, err)
			}
			if pw != password && !errors.Is(err, ErrBadSignature) {
				t.Errorf("user %q: wrong password: err = %v", user, err)
			}
		}
	}
}

// TestNodeSDKMatchesGoClient: for the same a, the Go client and the SDK
// produce the same SRP_A and signature, including an A whose hex has odd
// length (as SDKs send it, unpadded).
func TestNodeSDKMatchesGoClient(t *testing.T) {
	modules := nodeModules(t)
	pool := PoolName(testPoolID)
	salt, verifier, err := NewVerifier(pool, testUser, testPass)
	if err != nil {
		t.Fatal(err)
	}
	server, err := NewServerHandshake(verifier)
	if err != nil {
		t.Fatal(err)
	}
	var client *Client
	for client == nil || len(client.PublicAHex())%2 == 0 {
		if client, err = NewClient(); err != nil {
			t.Fatal(err)
		}
	}
	now := time.Date(2026, 3, 7, 8, 9, 10, 0, time.UTC)
	block := base64.StdEncoding.EncodeToString([]byte("secret block"))
	sig, ts, err := client.Claim(pool, testUser, testPass, HexOf(salt), HexOf(server.PublicB()), block, now)
	if err != nil {
		t.Fatal(err)
	}
	var r helperResp
	runNode(t, modules, helperReq{Mode: "helper", PoolName: pool, UserID: testUser, Password: testPass,
		SaltHex: HexOf(salt), BHex: HexOf(server.PublicB()), SecretBlock: block, Timestamp: ts,
		AHex: new(big.Int).SetBytes(client.a).Text(16)}, &r)
	if r.A != client.PublicAHex() || r.Signature != sig {
		t.Fatalf("Go client and SDK differ:\n Go  A=%.16s… sig=%s\n SDK A=%.16s… sig=%s", client.PublicAHex(), sig, r.A, r.Signature)
	}
	raw, _ := base64.StdEncoding.DecodeString(sig)
	if err := server.VerifyClaim(mustHex(t, r.A), pool, testUser, []byte("secret block"), ts, raw); err != nil {
		t.Fatal(err)
	}
}

// TestNodeSDKUserFlow drives CognitoUser.authenticateUser end to end over a
// stubbed transport: the SDK's own SRP_A, TIMESTAMP (its DateHelper, real
// clock) and PASSWORD_CLAIM_SIGNATURE must satisfy the Go server.
func TestNodeSDKUserFlow(t *testing.T) {
	modules := nodeModules(t)
	const poolID, username, userIDForSRP = "eu-west-1_FlowPool9", "Alice", "8f2a4c1e-0d3b-4e5f-9a6b-7c8d9e0f1a2b"
	pool := PoolName(poolID)
	for i := 0; i < 3; i++ {
		password := "flow password " + string(rune('0'+i))
		salt, verifier, err := NewVerifier(pool, userIDForSRP, password)
		if err != nil {
			t.Fatal(err)
		}
		server, err := NewServerHandshake(verifier)
		if err != nil {
			t.Fatal(err)
		}
		block := []byte("sealed state " + string(rune('0'+i)))
		req := map[string]string{"mode": "flow", "poolId": poolID, "clientId": "testclient", "username": username,
			"userIdForSrp": userIDForSRP, "password": password, "saltHex": HexOf(salt), "bHex": HexOf(server.PublicB()),
			"secretBlock": base64.StdEncoding.EncodeToString(block)}
		var r struct {
			SRPA          string `json:"SRP_A"`
			ChallengeName string
			Responses     map[string]string
		}
		before := time.Now().Add(-2 * time.Second)
		runNode(t, modules, req, &r)
		after := time.Now().Add(2 * time.Second)
		if r.ChallengeName != "PASSWORD_VERIFIER" || r.Responses["USERNAME"] != userIDForSRP ||
			r.Responses["PASSWORD_CLAIM_SECRET_BLOCK"] != req["secretBlock"] {
			t.Fatalf("unexpected SDK response: %+v", r)
		}
		ts := r.Responses["TIMESTAMP"]
		when, err := ParseTimestamp(ts)
		if err != nil || when.Before(before.Truncate(time.Second)) || when.After(after) || FormatTimestamp(when) != ts {
			t.Fatalf("SDK TIMESTAMP %q: parsed %v, %v", ts, when, err)
		}
		sig, err := base64.StdEncoding.DecodeString(r.Responses["PASSWORD_CLAIM_SIGNATURE"])
		if err != nil {
			t.Fatal(err)
		}
		if err := server.VerifyClaim(mustHex(t, r.SRPA), pool, userIDForSRP, block, ts, sig); err != nil {
			t.Fatalf("server rejects the SDK flow: %v", err)
		}
	}
}

// TestNodeSDKTimestamps: FormatTimestamp matches the SDK's DateHelper.
func TestNodeSDKTimestamps(t *testing.T) {
	modules := nodeModules(t)
	var times []time.Time
	for _, d := range []string{"2026-11-03T17:05:09Z", "2026-11-13T07:00:00Z", "2027-01-01T00:00:00Z",
		"2024-02-29T23:59:59Z", "2030-09-09T09:09:09Z", "1999-12-31T12:34:56Z"} {
		tm, err := time.Parse(time.RFC3339, d)
		if err != nil {
			t.Fatal(err)
		}
		times = append(times, tm)
	}
	for i := 0; i < 20; i++ { // a day of every weekday/month mix, one per ~17 days
		times = append(times, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(i)*(17*24*time.Hour+3671*time.Second)))
	}
	var req struct {
		Mode       string  `json:"mode"`
		UnixMillis []int64 `json:"unixMillis"`
	}
	req.Mode = "dates"
	for _, tm := range times {
		req.UnixMillis = append(req.UnixMillis, tm.UnixMilli())
	}
	var r struct{ Timestamps []string }
	runNode(t, modules, req, &r)
	if len(r.Timestamps) != len(times) {
		t.Fatalf("got %d timestamps", len(r.Timestamps))
	}
	for i, tm := range times {
		if got := FormatTimestamp(tm); got != r.Timestamps[i] {
			t.Errorf("FormatTimestamp(%v) = %q, SDK %q", tm, got, r.Timestamps[i])
		}
	}
}
