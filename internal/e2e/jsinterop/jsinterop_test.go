// Package jsinterop proves that amazon-cognito-identity-js, the browser SDK
// that Amplify and most web apps use, signs in against userpool, and that
// the tokens it gets verify against the pool's JWKS with jose, a JWT
// library independent of both the SDK and the server.
//
// The test starts a real server, sets up a pool, app clients and users
// through aws-sdk-go-v2, then runs testdata/interop.js with node. The script
// drives the SDK (SRP sign-in, NEW_PASSWORD_REQUIRED, refresh, GetUser,
// GlobalSignOut, error cases) and prints what each step observed; the Go
// test judges it.
//
// The npm packages come from the node_modules folder named by
// USERPOOL_NODE_MODULES or, by default, <repo>/.ci/node/node_modules,
// which `npm ci --prefix .ci/node` fills. Without node or the packages the
// test skips, unless USERPOOL_REQUIRE_NODE=1 (as CI sets), which makes that
// a failure.
package jsinterop

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/userpool/userpool/internal/testserver"
)

// packages are the npm packages interop.js requires.
var packages = []string{"amazon-cognito-identity-js", "jose"}

// nodeModules finds node and the packages, or skips (fails with
// USERPOOL_REQUIRE_NODE=1) saying what to install.
func nodeModules(t *testing.T) string {
	t.Helper()
	what := "skipping the amazon-cognito-identity-js interop test"
	missing := t.Skipf
	if os.Getenv("USERPOOL_REQUIRE_NODE") == "1" {
		what = "the amazon-cognito-identity-js interop test cannot run, and USERPOOL_REQUIRE_NODE=1 requires it"
		missing = t.Fatalf
	}
	const install = "run `npm ci --prefix .ci/node` in the repo root, or point USERPOOL_NODE_MODULES at a node_modules folder holding amazon-cognito-identity-js and jose"
	dir := os.Getenv("USERPOOL_NODE_MODULES")
	if dir == "" {
		root, err := testserver.ModuleRoot()
		if err != nil {
			missing("%s: %v", what, err)
		}
		dir = filepath.Join(root, ".ci", "node", "node_modules")
	}
	if _, err := exec.LookPath("node"); err != nil {
		missing("%s: node not found in PATH (install Node.js 20 or later, then %s)", what, install)
	}
	for _, pkg := range packages {
		if _, err := os.Stat(filepath.Join(dir, pkg, "package.json")); err != nil {
			missing("%s: npm package %s not installed in %s (%s)", what, pkg, dir, install)
		}
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		t.Fatal(err)
	}
	return abs
}

// config is what interop.js is told (its argument).
type config struct {
	URL           string    `json:"url"`
	PoolID        string    `json:"poolId"`
	Client        string    `json:"client"`        // PreventUserExistenceErrors LEGACY
	EnabledClient string    `json:"enabledClient"` // PreventUserExistenceErrors ENABLED
	Confirmed     userCreds `json:"confirmed"`
	Invited       userCreds `json:"invited"`
}

type userCreds struct {
	Username     string `json:"username"`
	Password     string `json:"password,omitempty"`
	TempPassword string `json:"tempPassword,omitempty"`
	NewPassword  string `json:"newPassword,omitempty"`
	Name         string `json:"name,omitempty"`
	Email        string `json:"email,omitempty"`
}

// output is what interop.js prints.
type output struct {
	Issuer string           `json:"issuer"`
	Steps  map[string]*step `json:"steps"`
}

type step struct {
	OK       bool      `json:"ok"`
	Callback string    `json:"callback"`
	Error    *sdkError `json:"error"`
	Thrown   bool      `json:"thrown"`

	Verified           *verified         `json:"verified"`
	UserAttributes     map[string]string `json:"userAttributes"`
	RequiredAttributes []string          `json:"requiredAttributes"`
	Sent               map[string]string `json:"sent"`
	Attributes         map[string]string `json:"attributes"`
	Message            string            `json:"message"`
	Kid                string            `json:"kid"`
	Attempts           map[string]any    `json:"attempts"`
	NewAccessToken     bool              `json:"newAccessToken"`
	NewIDToken         bool              `json:"newIdToken"`
	SameRefreshToken   bool              `json:"sameRefreshToken"`
}

type sdkError struct {
	Code    string `json:"code"`
	Name    string `json:"name"`
	Message string `json:"message"`
}

func (e *sdkError) String() string {
	if e == nil {
		return "<nil>"
	}
	return fmt.Sprintf("%s: %q", e.Code, e.Message)
}

// verified is a session's tokens as jose verified them.
type verified struct {
	SDKIsValid      bool   `json:"sdkIsValid"`
	HasRefreshToken bool   `json:"hasRefreshToken"`
	ID              *token `json:"id"`
	Access          *token `json:"access"`
}

type token struct {
	Header map[string]any `json:"header"`
	Claims map[string]any `json:"claims"`
	Error  *sdkError      `json:"error"`
}

const (
	alicePassword  = "Alice-Passw0rd!"
	bobTemp        = "Temp-Passw0rd!"
	bobNew         = "Bob-New-Passw0rd!"
	bobName        = "Bob Builder"
	bobPlaceholder = "New user"
	incorrect      = "Incorrect username or password."
)

func TestCognitoIdentityJS(t *testing.T) {
	modules := nodeModules(t)
	ctx := context.Background()
	srv := testserver.Start(t)
	c := srv.Client

	pool, err := c.CreateUserPool(ctx, &cip.CreateUserPoolInput{
		PoolName:               aws.String("jsinterop"),
		AutoVerifiedAttributes: []types.VerifiedAttributeType{types.VerifiedAttributeTypeEmail},
		Schema: []types.SchemaAttributeType{
			{Name: aws.String("name"), AttributeDataType: types.AttributeDataTypeString, Required: aws.Bool(true), Mutable: aws.Bool(true)},
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	poolID := aws.ToString(pool.UserPool.Id)
	// The SDK splits the pool ID at "_" for the SRP pool name and refuses
	// any other shape.
	if !regexp.MustCompile(`^[\w-]+_[0-9a-zA-Z]+$`).MatchString(poolID) {
		t.Fatalf("pool ID %q is not shaped region_id as amazon-cognito-identity-js requires", poolID)
	}
	newClient := func(prevent types.PreventUserExistenceErrorTypes) string {
		out, err := c.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{
			UserPoolId:                 &poolID,
			ClientName:                 aws.String("web-" + strings.ToLower(string(prevent))),
			GenerateSecret:             false, // the JS SDK cannot compute SECRET_HASH
			ExplicitAuthFlows:          []types.ExplicitAuthFlowsType{types.ExplicitAuthFlowsTypeAllowUserSrpAuth, types.ExplicitAuthFlowsTypeAllowRefreshTokenAuth},
			PreventUserExistenceErrors: prevent,
		})
		if err != nil {
			t.Fatal(err)
		}
		if out.UserPoolClient.ClientSecret != nil {
			t.Fatal("app client has a secret")
		}
		return aws.ToString(out.UserPoolClient.ClientId)
	}
	cfg := config{
		URL:           srv.URL,
		PoolID:        poolID,
		Client:        newClient(types.PreventUserExistenceErrorTypesLegacy),
		EnabledClient: newClient(types.PreventUserExistenceErrorTypesEnabled),
		Confirmed:     userCreds{Username: "alice", Password: alicePassword, Name: "Alice Liddell", Email: "alice@example.com"},
		Invited:       userCreds{Username: "bob", TempPassword: bobTemp, NewPassword: bobNew, Name: bobName, Email: "bob@example.com"},
	}

	// alice: signed up and confirmed by an admin.
	if _, err := c.SignUp(ctx, &cip.SignUpInput{ClientId: &cfg.Client, Username: aws.String("alice"), Password: aws.String(alicePassword),
		UserAttributes: attrs("email", cfg.Confirmed.Email, "name", cfg.Confirmed.Name)}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.AdminConfirmSignUp(ctx, &cip.AdminConfirmSignUpInput{UserPoolId: &poolID, Username: aws.String("alice")}); err != nil {
		t.Fatal(err)
	}
	// bob: created by an admin with a temporary password. AdminCreateUser
	// must be given the pool's required attributes (AWS refuses it without
	// them nowadays, as userpool does), so the admin sets a placeholder
	// name and bob supplies his own with his new password, as apps do with
	// the SDK's completeNewPasswordChallenge.
	if _, err := c.AdminCreateUser(ctx, &cip.AdminCreateUserInput{UserPoolId: &poolID, Username: aws.String("bob"),
		TemporaryPassword: aws.String(bobTemp), MessageAction: types.MessageActionTypeSuppress,
		UserAttributes: attrs("email", cfg.Invited.Email, "email_verified", "true", "name", bobPlaceholder)}); err != nil {
		t.Fatal(err)
	}
	aliceSub := userSub(t, c, poolID, "alice")
	bobSub := userSub(t, c, poolID, "bob")

	out := runInterop(t, modules, cfg)
	kids := jwksKids(t, srv.URL, poolID)
	issuer := srv.URL + "/" + poolID
	if out.Issuer != issuer {
		t.Errorf("interop.js checked issuer %q, want %q", out.Issuer, issuer)
	}
	get := func(t *testing.T, name string) *step {
		t.Helper()
		s := out.Steps[name]
		if s == nil {
			t.Fatalf("interop.js reported no step %q", name)
		}
		if s.Thrown {
			t.Fatalf("step threw: %v", s.Error)
		}
		return s
	}
	wantFailure := func(t *testing.T, name, code, message string) {
		t.Helper()
		s := get(t, name)
		if s.OK || s.Callback != "onFailure" || s.Error == nil {
			t.Fatalf("SDK callback %q (error %v), want onFailure with %s %q", s.Callback, s.Error, code, message)
		}
		if s.Error.Code != code || s.Error.Message != message {
			t.Fatalf("SDK error %v, want %s: %q", s.Error, code, message)
		}
	}
	wantSession := func(t *testing.T, s *step, username, sub string) {
		t.Helper()
		if !s.OK || s.Callback != "onSuccess" {
			t.Fatalf("SDK callback %q, error %v; want onSuccess", s.Callback, s.Error)
		}
		checkSession(t, s.Verified, sessionWant{issuer: issuer, clientID: cfg.Client, username: username, sub: sub, kids: kids})
	}

	// Failures first: they must not disturb what follows.
	t.Run("WrongPassword", func(t *testing.T) {
		wantFailure(t, "wrongPassword", "NotAuthorizedException", incorrect)
	})
	t.Run("UnknownUserLegacyClient", func(t *testing.T) {
		wantFailure(t, "unknownUserLegacy", "UserNotFoundException", "User does not exist.")
	})
	t.Run("UnknownUserEnabledClient", func(t *testing.T) {
		wantFailure(t, "unknownUserEnabled", "NotAuthorizedException", incorrect)
	})

	t.Run("NewPasswordRequired", func(t *testing.T) {
		s := get(t, "newPasswordRequired")
		if s.Callback != "newPasswordRequired" {
			t.Fatalf("SDK callback %q (error %v), want newPasswordRequired", s.Callback, s.Error)
		}
		// The SDK hands the app requiredAttributes without their
		// "userAttributes." prefix; name has a value, so none is missing.
		if s.RequiredAttributes == nil || len(s.RequiredAttributes) != 0 {
			t.Errorf("requiredAttributes = %q, want []", s.RequiredAttributes)
		}
		if s.UserAttributes["email"] != cfg.Invited.Email || s.UserAttributes["email_verified"] != "true" || s.UserAttributes["name"] != bobPlaceholder {
			t.Errorf("userAttributes = %v, want email %s, email_verified true, name %q", s.UserAttributes, cfg.Invited.Email, bobPlaceholder)
		}
		if _, ok := s.UserAttributes["sub"]; ok {
			t.Errorf("userAttributes has sub: %v", s.UserAttributes)
		}
	})
	t.Run("CompleteNewPasswordChallenge", func(t *testing.T) {
		s := get(t, "completeNewPassword")
		if !maps.Equal(s.Sent, map[string]string{"name": bobName}) {
			t.Errorf("interop.js sent attributes %v, want only name %q", s.Sent, bobName)
		}
		wantSession(t, s, "bob", bobSub)
		if s.Verified.ID != nil && s.Verified.ID.Claims["name"] != bobName {
			t.Errorf("ID token name = %v, want %q", s.Verified.ID.Claims["name"], bobName)
		}
		u, err := c.AdminGetUser(ctx, &cip.AdminGetUserInput{UserPoolId: &poolID, Username: aws.String("bob")})
		if err != nil {
			t.Fatal(err)
		}
		if u.UserStatus != types.UserStatusTypeConfirmed || attrOf(u.UserAttributes, "name") != bobName {
			t.Errorf("after the challenge: status %s, name %q", u.UserStatus, attrOf(u.UserAttributes, "name"))
		}
	})
	t.Run("NewPasswordGetUserAttributes", func(t *testing.T) {
		s := get(t, "newPasswordAttributes")
		if !s.OK {
			t.Fatalf("getUserAttributes: %v", s.Error)
		}
		if s.Attributes["name"] != bobName || s.Attributes["sub"] != bobSub || s.Attributes["email"] != cfg.Invited.Email {
			t.Errorf("attributes = %v", s.Attributes)
		}
	})
	t.Run("SignInWithNewPassword", func(t *testing.T) {
		wantSession(t, get(t, "newPasswordSignIn"), "bob", bobSub)
	})
	t.Run("TemporaryPasswordAfterChange", func(t *testing.T) {
		wantFailure(t, "tempPasswordAfterChange", "NotAuthorizedException", incorrect)
	})

	t.Run("SRPSignIn", func(t *testing.T) {
		s := get(t, "signIn")
		wantSession(t, s, "alice", aliceSub)
		if id := s.Verified.ID; id != nil && (id.Claims["email"] != cfg.Confirmed.Email || id.Claims["name"] != cfg.Confirmed.Name) {
			t.Errorf("ID token email %v, name %v", id.Claims["email"], id.Claims["name"])
		}
	})
	t.Run("VerifierRejectsBadTokens", func(t *testing.T) {
		s := get(t, "verifierRejects")
		if !s.OK {
			t.Fatalf("no tokens to tamper with: %v", s.Error)
		}
		want := map[string]string{
			"badSignature":   "ERR_JWS_SIGNATURE_VERIFICATION_FAILED",
			"alteredPayload": "ERR_JWS_SIGNATURE_VERIFICATION_FAILED",
			"wrongAudience":  "ERR_JWT_CLAIM_VALIDATION_FAILED",
			"accessAsId":     "ERR_JWT_CLAIM_VALIDATION_FAILED",
			"wrongIssuer":    "ERR_JWT_CLAIM_VALIDATION_FAILED",
		}
		for name, code := range want {
			if got := s.Attempts[name]; got != code {
				t.Errorf("jose on %s: %v, want %s", name, got, code)
			}
		}
	})
	t.Run("GetUserAttributes", func(t *testing.T) {
		s := get(t, "getUserAttributes")
		if !s.OK {
			t.Fatalf("getUserAttributes: %v", s.Error)
		}
		if s.Attributes["sub"] != aliceSub || s.Attributes["email"] != cfg.Confirmed.Email || s.Attributes["name"] != cfg.Confirmed.Name {
			t.Errorf("attributes = %v", s.Attributes)
		}
	})
	t.Run("RefreshSession", func(t *testing.T) {
		s := get(t, "refreshSession")
		if !s.OK {
			t.Fatalf("refreshSession: %v", s.Error)
		}
		checkSession(t, s.Verified, sessionWant{issuer: issuer, clientID: cfg.Client, username: "alice", sub: aliceSub, kids: kids})
		if !s.NewAccessToken || !s.NewIDToken {
			t.Errorf("refresh returned the same tokens (new access %v, new ID %v)", s.NewAccessToken, s.NewIDToken)
		}
		if !s.SameRefreshToken {
			t.Errorf("refresh rotated the refresh token; the client has no rotation configured")
		}
		// The refreshed tokens belong to the same sign-in.
		first := get(t, "signIn").Verified
		if first != nil && first.Access != nil && s.Verified.Access != nil {
			for _, claim := range []string{"origin_jti", "auth_time"} {
				if a, b := first.Access.Claims[claim], s.Verified.Access.Claims[claim]; a == nil || a != b {
					t.Errorf("access token %s: sign-in %v, refresh %v", claim, a, b)
				}
			}
		}
	})
	t.Run("GetUserAttributesAfterRefresh", func(t *testing.T) {
		s := get(t, "getUserAttributesAfterRefresh")
		if !s.OK || s.Attributes["sub"] != aliceSub {
			t.Fatalf("getUserAttributes with the refreshed session: %v, attributes %v", s.Error, s.Attributes)
		}
	})
	t.Run("GlobalSignOut", func(t *testing.T) {
		s := get(t, "globalSignOut")
		if !s.OK || s.Message != "SUCCESS" {
			t.Fatalf("globalSignOut: %v (message %q)", s.Error, s.Message)
		}
	})
	t.Run("AccessTokenAfterSignOut", func(t *testing.T) {
		s := get(t, "getUserAttributesAfterSignOut")
		if s.OK || s.Error == nil || s.Error.Code != "NotAuthorizedException" || s.Error.Message != "Access Token has been revoked" {
			t.Fatalf("GetUser with a signed-out access token: ok %v, error %v; want NotAuthorizedException %q", s.OK, s.Error, "Access Token has been revoked")
		}
	})
	t.Run("RefreshAfterSignOut", func(t *testing.T) {
		s := get(t, "refreshAfterSignOut")
		if s.OK || s.Error == nil || s.Error.Code != "NotAuthorizedException" || s.Error.Message != "Refresh Token has been revoked" {
			t.Fatalf("refresh with a signed-out refresh token: ok %v, error %v; want NotAuthorizedException %q", s.OK, s.Error, "Refresh Token has been revoked")
		}
	})
	t.Run("SignInAgainAfterSignOut", func(t *testing.T) {
		wantSession(t, get(t, "signInAgainAfterSignOut"), "alice", aliceSub)
	})

	for name := range out.Steps {
		if !slices.Contains(knownSteps, name) {
			t.Errorf("interop.js reported step %q that the test does not check", name)
		}
	}
}

var knownSteps = []string{"wrongPassword", "unknownUserLegacy", "unknownUserEnabled", "newPasswordRequired", "completeNewPassword",
	"newPasswordAttributes", "newPasswordSignIn", "tempPasswordAfterChange", "signIn", "verifierRejects", "getUserAttributes",
	"refreshSession", "getUserAttributesAfterRefresh", "globalSignOut", "getUserAttributesAfterSignOut", "refreshAfterSignOut",
	"signInAgainAfterSignOut"}

type sessionWant struct {
	issuer, clientID, username, sub string
	kids                            []string
}

// checkSession checks the claims jose verified (signature, iss, exp, and
// aud for the ID token) once more, and the rest of what AWS puts in them.
func checkSession(t *testing.T, v *verified, w sessionWant) {
	t.Helper()
	if v == nil {
		t.Fatal("no verified session")
	}
	if !v.SDKIsValid || !v.HasRefreshToken {
		t.Errorf("SDK session valid %v, has refresh token %v", v.SDKIsValid, v.HasRefreshToken)
	}
	now := time.Now()
	for _, tc := range []struct {
		use string
		tok *token
	}{{"id", v.ID}, {"access", v.Access}} {
		if tc.tok == nil {
			t.Errorf("%s token: missing", tc.use)
			continue
		}
		if tc.tok.Error != nil {
			t.Errorf("%s token: jose refused it: %v", tc.use, tc.tok.Error)
			continue
		}
		h, cl := tc.tok.Header, tc.tok.Claims
		if h["alg"] != "RS256" || !slices.Contains(w.kids, fmt.Sprint(h["kid"])) {
			t.Errorf("%s token header %v: want alg RS256 and a kid of the JWKS %v", tc.use, h, w.kids)
		}
		if cl["iss"] != w.issuer || cl["token_use"] != tc.use || cl["sub"] != w.sub {
			t.Errorf("%s token: iss %v token_use %v sub %v; want %s, %s, %s", tc.use, cl["iss"], cl["token_use"], cl["sub"], w.issuer, tc.use, w.sub)
		}
		exp, _ := cl["exp"].(float64)
		iat, _ := cl["iat"].(float64)
		if e := time.Unix(int64(exp), 0); !e.After(now) || e.After(now.Add(24*time.Hour)) || exp-iat != 3600 {
			t.Errorf("%s token: exp %v iat %v; want one hour from now", tc.use, cl["exp"], cl["iat"])
		}
		switch tc.use {
		case "id":
			if cl["aud"] != w.clientID || cl["cognito:username"] != w.username {
				t.Errorf("ID token: aud %v cognito:username %v; want %s, %s", cl["aud"], cl["cognito:username"], w.clientID, w.username)
			}
		case "access":
			if cl["client_id"] != w.clientID || cl["username"] != w.username || !strings.Contains(fmt.Sprint(cl["scope"]), "aws.cognito.signin.user.admin") {
				t.Errorf("access token: client_id %v username %v scope %v; want %s, %s, aws.cognito.signin.user.admin", cl["client_id"], cl["username"], cl["scope"], w.clientID, w.username)
			}
			if _, ok := cl["aud"]; ok {
				t.Errorf("access token has aud %v (AWS's have client_id instead)", cl["aud"])
			}
		}
	}
}

// runInterop runs interop.js with the config and decodes its report.
func runInterop(t *testing.T, modules string, cfg config) *output {
	t.Helper()
	arg, err := json.Marshal(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "node", filepath.Join("testdata", "interop.js"), string(arg))
	cmd.Env = append(os.Environ(), "NODE_PATH="+modules)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("node interop.js: %v\nstderr:\n%s\nstdout:\n%s", err, stderr.String(), stdout.String())
	}
	if stderr.Len() > 0 {
		t.Logf("interop.js stderr:\n%s", stderr.String())
	}
	var out output
	if err := json.Unmarshal(stdout.Bytes(), &out); err != nil {
		t.Fatalf("interop.js output %q: %v", stdout.String(), err)
	}
	if testing.Verbose() {
		var pretty bytes.Buffer
		json.Indent(&pretty, stdout.Bytes(), "", "  ")
		t.Logf("interop.js report:\n%s", redactTokens(pretty.Bytes()))
	}
	return &out
}

// redactTokens keeps the log readable; the report holds claims, not JWTs,
// but the SDK's error messages may quote one.
func redactTokens(b []byte) []byte {
	return regexp.MustCompile(`eyJ[\w-]+\.[\w-]+\.[\w-]+`).ReplaceAll(b, []byte("<jwt>"))
}

func attrs(kv ...string) []types.AttributeType {
	var out []types.AttributeType
	for i := 0; i+1 < len(kv); i += 2 {
		out = append(out, types.AttributeType{Name: aws.String(kv[i]), Value: aws.String(kv[i+1])})
	}
	return out
}

func attrOf(list []types.AttributeType, name string) string {
	for _, a := range list {
		if aws.ToString(a.Name) == name {
			return aws.ToString(a.Value)
		}
	}
	return ""
}

func userSub(t *testing.T, c *cip.Client, poolID, username string) string {
	t.Helper()
	u, err := c.AdminGetUser(context.Background(), &cip.AdminGetUserInput{UserPoolId: &poolID, Username: &username})
	if err != nil {
		t.Fatal(err)
	}
	sub := attrOf(u.UserAttributes, "sub")
	if sub == "" {
		t.Fatalf("%s has no sub", username)
	}
	return sub
}

// jwksKids fetches the pool's JWKS and returns its key IDs.
func jwksKids(t *testing.T, baseURL, poolID string) []string {
	t.Helper()
	resp, err := http.Get(baseURL + "/" + poolID + "/.well-known/jwks.json")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var set struct {
		Keys []struct {
			Kid, Kty, Alg, Use string
		} `json:"keys"`
	}
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("JWKS: HTTP %d", resp.StatusCode)
	}
	if err := json.NewDecoder(resp.Body).Decode(&set); err != nil {
		t.Fatal(err)
	}
	var kids []string
	for _, k := range set.Keys {
		if k.Kty != "RSA" || k.Alg != "RS256" || k.Use != "sig" {
			t.Errorf("JWKS key %+v: want kty RSA, alg RS256, use sig", k)
		}
		kids = append(kids, k.Kid)
	}
	if len(kids) == 0 {
		t.Fatal("JWKS has no keys")
	}
	return kids
}
