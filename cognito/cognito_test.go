package cognito_test

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/userpool/userpool/cognito"
	"github.com/userpool/userpool/internal/testserver"
)

var ctx = context.Background()

const password = "Passw0rd!"

// clock is the client's clock in the tests, moved with the server's.
type clock struct {
	mu    sync.Mutex
	shift time.Duration
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return time.Now().Add(c.shift)
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.shift += d
	c.mu.Unlock()
}

// fixture is a server with a pool and an app client.
type fixture struct {
	t        *testing.T
	srv      *testserver.Server
	url      string // where the Cognito values reach the server
	poolID   string
	clientID string
	secret   string
	clock    *clock
}

type fixtureOpts struct {
	pool   func(*cip.CreateUserPoolInput)
	client func(*cip.CreateUserPoolClientInput)
}

func newFixture(t *testing.T, o ...fixtureOpts) *fixture {
	t.Helper()
	return addPool(t, testserver.Start(t), o...)
}

// addPool adds another pool and client to a fixture's server.
func addPool(t *testing.T, srv *testserver.Server, o ...fixtureOpts) *fixture {
	t.Helper()
	var opts fixtureOpts
	if len(o) > 0 {
		opts = o[0]
	}
	poolID, client, err := createPool(ctx, srv.Client, opts.pool, opts.client)
	if err != nil {
		t.Fatal(err)
	}
	return &fixture{t: t, srv: srv, url: srv.URL, poolID: poolID, clientID: aws.ToString(client.ClientId),
		secret: aws.ToString(client.ClientSecret), clock: &clock{}}
}

// advance moves the server's clock and the clients'.
func (f *fixture) advance(d time.Duration) {
	f.srv.Advance(d)
	f.clock.Advance(d)
}

// cognito returns a Cognito value for the fixture's client, acting for
// username ("" for none), with the client's secret if it has one.
func (f *fixture) cognito(username string, opts ...cognito.Option) *cognito.Cognito {
	f.t.Helper()
	base := []cognito.Option{cognito.WithEndpoint(f.url), cognito.WithClock(f.clock.Now)}
	if username != "" {
		base = append(base, cognito.WithUsername(username))
	}
	if f.secret != "" {
		base = append(base, cognito.WithClientSecret(f.secret))
	}
	c, err := cognito.New(ctx, f.poolID, f.clientID, append(base, opts...)...)
	if err != nil {
		f.t.Fatal(err)
	}
	return c
}

func (f *fixture) confirmedUser(username, email string) {
	f.t.Helper()
	if err := createConfirmedUser(ctx, f.srv.Client, f.poolID, username, email, password); err != nil {
		f.t.Fatal(err)
	}
}

// signedIn returns a Cognito value for a new confirmed user, signed in.
func (f *fixture) signedIn(username string) *cognito.Cognito {
	f.t.Helper()
	f.confirmedUser(username, username+"@example.com")
	c := f.cognito(username)
	if err := c.Authenticate(ctx, password); err != nil {
		f.t.Fatal(err)
	}
	return c
}

func (f *fixture) code(username string) string {
	f.t.Helper()
	return f.srv.LastCode(f.t, f.poolID, username)
}

// wantErr asserts that err is (or wraps) an E, with msg as its message
// when msg is not "".
func wantErr[E interface {
	error
	ErrorMessage() string
}](t *testing.T, err error, msg string) {
	t.Helper()
	var e E
	if !errors.As(err, &e) {
		t.Fatalf("error = %v, want %T", err, e)
	}
	if msg != "" && e.ErrorMessage() != msg {
		t.Fatalf("message = %q, want %q", e.ErrorMessage(), msg)
	}
}

func wantVerificationError(t *testing.T, err error, token, reason string) {
	t.Helper()
	var tv *cognito.TokenVerificationError
	if !errors.As(err, &tv) {
		t.Fatalf("error = %v, want *TokenVerificationError", err)
	}
	if tv.Token != token || !strings.Contains(tv.Error(), reason) {
		t.Fatalf("error = %v, want one about the %s token with %q", err, token, reason)
	}
}

func secretHash(secret, username, clientID string) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(username + clientID))
	return base64.StdEncoding.EncodeToString(m.Sum(nil))
}

func TestNew(t *testing.T) {
	aws0 := cognito.WithAWSConfig(aws.Config{})
	c, err := cognito.New(ctx, "eu-west-1_AbC123", "client", aws0)
	if err != nil {
		t.Fatal(err)
	}
	if got := c.Client().Options().Region; got != "eu-west-1" {
		t.Errorf("region = %q, want the pool ID's prefix", got)
	}
	if got, want := c.Issuer(), "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC123"; got != want {
		t.Errorf("issuer = %q, want %q", got, want)
	}
	if c.UserPoolID() != "eu-west-1_AbC123" || c.ClientID() != "client" || c.Username() != "" {
		t.Errorf("ids = %q %q %q", c.UserPoolID(), c.ClientID(), c.Username())
	}

	c, _ = cognito.New(ctx, "eu-west-1_AbC123", "client", aws0, cognito.WithRegion("us-west-2"))
	if got := c.Client().Options().Region; got != "us-west-2" {
		t.Errorf("WithRegion: region = %q", got)
	}
	if got, want := c.Issuer(), "https://cognito-idp.us-west-2.amazonaws.com/eu-west-1_AbC123"; got != want {
		t.Errorf("WithRegion: issuer = %q, want %q", got, want)
	}

	c, _ = cognito.New(ctx, "us-east-1_X", "client", cognito.WithEndpoint("http://127.0.0.1:9229/"))
	if got, want := c.Issuer(), "http://127.0.0.1:9229/us-east-1_X"; got != want {
		t.Errorf("WithEndpoint: issuer = %q, want %q", got, want)
	}
	if got := aws.ToString(c.Client().Options().BaseEndpoint); got != "http://127.0.0.1:9229" {
		t.Errorf("WithEndpoint: endpoint = %q", got)
	}
	creds, err := c.Client().Options().Credentials.Retrieve(ctx)
	if err != nil || creds.AccessKeyID == "" {
		t.Errorf("WithEndpoint: credentials %+v, %v; want static dummy ones", creds, err)
	}
	c, _ = cognito.New(ctx, "us-east-1_X", "client", cognito.WithEndpoint("http://127.0.0.1:9229"),
		cognito.WithIssuerURL("https://idp.example.com/"))
	if got, want := c.Issuer(), "https://idp.example.com/us-east-1_X"; got != want {
		t.Errorf("WithIssuerURL: issuer = %q, want %q", got, want)
	}

	if _, err := cognito.New(ctx, "", "client", aws0); err == nil {
		t.Error("no pool ID: no error")
	}
	if _, err := cognito.New(ctx, "pool", "", aws0); err == nil {
		t.Error("no client ID: no error")
	}
	if _, err := cognito.New(ctx, "noprefix", "client", aws0); err == nil {
		t.Error("a pool ID without a region and no region: no error")
	}
	if c, err := cognito.New(ctx, "noprefix", "client", cognito.WithAWSConfig(aws.Config{Region: "ap-south-1"})); err != nil || c.Client().Options().Region != "ap-south-1" {
		t.Errorf("region from the aws.Config: %v", err)
	}

	// Without an endpoint or a config: the default AWS configuration.
	empty := t.TempDir() + "/none"
	t.Setenv("AWS_CONFIG_FILE", empty)
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", empty)
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
	t.Setenv("AWS_ACCESS_KEY_ID", "AKIDFROMENV")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "secret")
	c, err = cognito.New(ctx, "us-east-2_AbC", "client")
	if err != nil {
		t.Fatal(err)
	}
	creds, err = c.Client().Options().Credentials.Retrieve(ctx)
	if err != nil || creds.AccessKeyID != "AKIDFROMENV" {
		t.Errorf("default config: credentials %+v, %v", creds, err)
	}
	if got := c.Client().Options().Region; got != "us-east-2" {
		t.Errorf("default config: region = %q", got)
	}
}

func TestAuthenticate(t *testing.T) {
	f := newFixture(t)
	f.confirmedUser("jane", "jane@example.com")

	if err := f.cognito("").Authenticate(ctx, password); !errors.Is(err, cognito.ErrNoUsername) {
		t.Fatalf("no username: %v", err)
	}
	u := f.cognito("jane")
	wantErr[*types.NotAuthorizedException](t, u.Authenticate(ctx, "Wrong-passw0rd"), "Incorrect username or password.")
	if u.Tokens() != (cognito.Tokens{}) {
		t.Fatal("tokens kept after a failed sign-in")
	}
	if err := u.Authenticate(ctx, password); err != nil {
		t.Fatal(err)
	}
	tok := u.Tokens()
	if tok.IDToken == "" || tok.AccessToken == "" || tok.RefreshToken == "" || tok.TokenType != "Bearer" {
		t.Fatalf("tokens = %+v", tok)
	}
	if d := tok.Expiry.Sub(f.clock.Now()); d < 59*time.Minute || d > 61*time.Minute {
		t.Errorf("expiry in %v, want an hour", d)
	}
	claims, err := u.VerifyTokens(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if claims.ID.Username != "jane" || claims.ID.TokenUse != "id" || claims.ID.ClientID != f.clientID ||
		claims.ID.Raw["email"] != "jane@example.com" || claims.ID.Issuer != f.url+"/"+f.poolID {
		t.Errorf("ID claims = %+v", claims.ID)
	}
	if claims.Access.Username != "jane" || claims.Access.TokenUse != "access" || claims.Access.ClientID != f.clientID ||
		claims.Access.Scope != "aws.cognito.signin.user.admin" || claims.Access.Subject != claims.ID.Subject ||
		claims.Access.AuthTime.IsZero() || claims.Access.IssuedAt.IsZero() || !claims.Access.Expiry.Equal(tok.Expiry) {
		t.Errorf("access claims = %+v", claims.Access)
	}

	// Unknown users and unconfirmed users get Cognito's exceptions.
	wantErr[*types.UserNotFoundException](t, f.cognito("nobody").Authenticate(ctx, password), "User does not exist.")
	if _, err := f.cognito("").Register(ctx, "unconfirmed", password, map[string]string{"email": "u@example.com"}); err != nil {
		t.Fatal(err)
	}
	wantErr[*types.UserNotConfirmedException](t, f.cognito("unconfirmed").Authenticate(ctx, password), "User is not confirmed.")
}

func TestAdminAuthenticate(t *testing.T) {
	f := newFixture(t)
	f.confirmedUser("jane", "jane@example.com")
	u := f.cognito("jane")
	wantErr[*types.NotAuthorizedException](t, u.AdminAuthenticate(ctx, "Wrong-passw0rd"), "Incorrect username or password.")
	if err := u.AdminAuthenticate(ctx, password); err != nil {
		t.Fatal(err)
	}
	if _, err := u.VerifyTokens(ctx); err != nil {
		t.Fatal(err)
	}
	if err := f.cognito("").AdminAuthenticate(ctx, password); !errors.Is(err, cognito.ErrNoUsername) {
		t.Fatalf("no username: %v", err)
	}
}

func TestForceChangePassword(t *testing.T) {
	f := newFixture(t, fixtureOpts{pool: func(in *cip.CreateUserPoolInput) {
		in.Schema = []types.SchemaAttributeType{{Name: aws.String("name"), AttributeDataType: types.AttributeDataTypeString, Mutable: aws.Bool(true)}}
	}})
	admin := f.cognito("")
	suppress := func(in *cip.AdminCreateUserInput) { in.MessageAction = types.MessageActionTypeSuppress }
	for _, name := range []string{"srp", "admin", "challenge"} {
		created, err := admin.AdminCreateUser(ctx, name, "TempPass123!", map[string]string{"email": name + "@example.com"}, suppress)
		if err != nil {
			t.Fatal(err)
		}
		if created.Username != name || created.Status != types.UserStatusTypeForceChangePassword || !created.Enabled ||
			created.Attributes["email"] != name+"@example.com" || created.Created.IsZero() {
			t.Fatalf("created = %+v", created)
		}
		if admin.Username() != name {
			t.Fatalf("AdminCreateUser did not make %s the user (%q)", name, admin.Username())
		}
	}

	t.Run("Authenticate then Respond", func(t *testing.T) {
		u := f.cognito("srp")
		err := u.Authenticate(ctx, "TempPass123!")
		var fc *cognito.ForceChangePasswordError
		if !errors.As(err, &fc) {
			t.Fatalf("error = %v, want *ForceChangePasswordError", err)
		}
		if fc.Session == "" || fc.Username != "srp" || fc.UserAttributes["email"] != "srp@example.com" ||
			len(fc.RequiredAttributes) != 0 || fc.Parameters["USER_ID_FOR_SRP"] != "srp" {
			t.Fatalf("challenge = %+v", fc)
		}
		if u.Tokens().AccessToken != "" {
			t.Fatal("tokens before the challenge is answered")
		}
		wantErr[*types.InvalidPasswordException](t, fc.Respond(ctx, "short", nil), "")
		if err := fc.Respond(ctx, "N3w-Passw0rd!", map[string]string{"name": "Srp User"}); err != nil {
			t.Fatal(err)
		}
		if _, err := u.VerifyTokens(ctx); err != nil {
			t.Fatal(err)
		}
		user, err := u.AdminGetUser(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if user.Status != types.UserStatusTypeConfirmed || user.Attributes["name"] != "Srp User" {
			t.Fatalf("user = %+v", user)
		}
		wantErr[*types.NotAuthorizedException](t, fc.Respond(ctx, "Other-Passw0rd!", nil), "Invalid session for the user, session can only be used once.")
		if err := f.cognito("srp").Authenticate(ctx, "N3w-Passw0rd!"); err != nil {
			t.Fatal(err)
		}
	})

	t.Run("AdminAuthenticate then Respond", func(t *testing.T) {
		u := f.cognito("admin")
		var fc *cognito.ForceChangePasswordError
		if err := u.AdminAuthenticate(ctx, "TempPass123!"); !errors.As(err, &fc) {
			t.Fatalf("error = %v, want *ForceChangePasswordError", err)
		}
		if fc.Username != "admin" {
			t.Fatalf("username = %q", fc.Username)
		}
		if err := fc.Respond(ctx, "N3w-Passw0rd!", nil); err != nil {
			t.Fatal(err)
		}
		if u.Tokens().AccessToken == "" {
			t.Fatal("no tokens")
		}
	})

	t.Run("NewPasswordChallenge", func(t *testing.T) {
		u := f.cognito("challenge")
		wantErr[*types.NotAuthorizedException](t, u.NewPasswordChallenge(ctx, "Wrong-Passw0rd!", "N3w-Passw0rd!"), "Incorrect username or password.")
		if err := u.NewPasswordChallenge(ctx, "TempPass123!", "N3w-Passw0rd!"); err != nil {
			t.Fatal(err)
		}
		if _, err := u.VerifyTokens(ctx); err != nil {
			t.Fatal(err)
		}
		// Without a challenge left, it is a plain sign-in.
		if err := f.cognito("challenge").NewPasswordChallenge(ctx, "N3w-Passw0rd!", "Unused-Passw0rd!"); err != nil {
			t.Fatal(err)
		}
		if err := f.cognito("challenge").Authenticate(ctx, "N3w-Passw0rd!"); err != nil {
			t.Fatal(err)
		}
	})
}

func TestForgotPassword(t *testing.T) {
	f := newFixture(t)
	f.confirmedUser("john.doe", "john@example.com")
	u := f.cognito("john.doe")
	d, err := u.InitiateForgotPassword(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(d.Destination) != "j***@e***.com" || d.DeliveryMedium != types.DeliveryMediumTypeEmail || aws.ToString(d.AttributeName) != "email" {
		t.Fatalf("delivery = %+v", d)
	}
	code := f.code("john.doe")
	wrong := "000000"
	if code == wrong {
		wrong = "111111"
	}
	err = u.ConfirmForgotPassword(ctx, wrong, "N3w-Passw0rd!")
	var mismatch *types.CodeMismatchException
	if !errors.As(err, &mismatch) {
		t.Fatalf("wrong code: %v, want *types.CodeMismatchException", err)
	}
	if err := u.ConfirmForgotPassword(ctx, code, "N3w-Passw0rd!"); err != nil {
		t.Fatal(err)
	}
	wantErr[*types.NotAuthorizedException](t, u.Authenticate(ctx, password), "Incorrect username or password.")
	if err := u.Authenticate(ctx, "N3w-Passw0rd!"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.cognito("").InitiateForgotPassword(ctx); !errors.Is(err, cognito.ErrNoUsername) {
		t.Fatalf("no username: %v", err)
	}
	if err := f.cognito("").ConfirmForgotPassword(ctx, code, password); !errors.Is(err, cognito.ErrNoUsername) {
		t.Fatalf("no username: %v", err)
	}
}

func TestChangePassword(t *testing.T) {
	f := newFixture(t)
	if err := f.cognito("x").ChangePassword(ctx, password, "N3w-Passw0rd!"); !errors.Is(err, cognito.ErrNoTokens) {
		t.Fatalf("no tokens: %v", err)
	}
	u := f.signedIn("jane")
	wantErr[*types.NotAuthorizedException](t, u.ChangePassword(ctx, "Wrong-Passw0rd!", "N3w-Passw0rd!"), "Incorrect username or password.")
	wantErr[*types.InvalidPasswordException](t, u.ChangePassword(ctx, password, "weak"), "")
	if err := u.ChangePassword(ctx, password, "N3w-Passw0rd!"); err != nil {
		t.Fatal(err)
	}
	if err := f.cognito("jane").Authenticate(ctx, "N3w-Passw0rd!"); err != nil {
		t.Fatal(err)
	}

	// An expired access token is renewed first.
	f.advance(61 * time.Minute)
	before := u.Tokens()
	if err := u.ChangePassword(ctx, "N3w-Passw0rd!", "Newer-Passw0rd!"); err != nil {
		t.Fatal(err)
	}
	if u.Tokens().AccessToken == before.AccessToken {
		t.Fatal("the expired access token was not renewed")
	}
	if err := f.cognito("jane").Authenticate(ctx, "Newer-Passw0rd!"); err != nil {
		t.Fatal(err)
	}
}

func TestCheckToken(t *testing.T) {
	f := newFixture(t)
	if _, err := f.cognito("x").CheckToken(ctx, true); !errors.Is(err, cognito.ErrNoTokens) {
		t.Fatalf("no tokens: %v", err)
	}
	if err := f.cognito("x").RenewAccessToken(ctx); !errors.Is(err, cognito.ErrNoTokens) {
		t.Fatalf("no tokens: %v", err)
	}
	u := f.signedIn("jane")
	before := u.Tokens()
	if expired, err := u.CheckToken(ctx, true); err != nil || expired {
		t.Fatalf("fresh token: expired %v, %v", expired, err)
	}

	f.advance(61 * time.Minute)
	if expired, err := u.CheckToken(ctx, false); err != nil || !expired {
		t.Fatalf("after an hour: expired %v, %v", expired, err)
	}
	if u.Tokens() != before {
		t.Fatal("CheckToken(false) changed the tokens")
	}
	wantVerificationError(t, func() error { _, err := u.VerifyTokens(ctx); return err }(), "access", "expired")

	if expired, err := u.CheckToken(ctx, true); err != nil || !expired {
		t.Fatalf("renewing: expired %v, %v", expired, err)
	}
	after := u.Tokens()
	if after.AccessToken == before.AccessToken || after.IDToken == before.IDToken || after.RefreshToken != before.RefreshToken ||
		!after.Expiry.After(before.Expiry) || after.TokenType != "Bearer" {
		t.Fatalf("renewed tokens = %+v (before %+v)", after, before)
	}
	if _, err := u.VerifyTokens(ctx); err != nil {
		t.Fatal(err)
	}
	if expired, err := u.CheckToken(ctx, true); err != nil || expired {
		t.Fatalf("renewed token: expired %v, %v", expired, err)
	}

	// Tokens given to New: their expiry is read from the access token.
	kept := f.cognito("", cognito.WithTokens(after.IDToken, after.AccessToken, after.RefreshToken))
	if got := kept.Tokens(); got.AccessToken != after.AccessToken || !got.Expiry.Equal(after.Expiry) || got.TokenType != "Bearer" {
		t.Fatalf("WithTokens: %+v", got)
	}
	user, err := kept.GetUser(ctx)
	if err != nil || user.Username != "jane" {
		t.Fatalf("GetUser with kept tokens: %+v, %v", user, err)
	}
	// With no refresh token an expired access token is sent as it is, and
	// Cognito refuses it.
	f.advance(61 * time.Minute)
	stale := f.cognito("", cognito.WithTokens("", after.AccessToken, ""))
	wantErr[*types.NotAuthorizedException](t, func() error { _, err := stale.GetUser(ctx); return err }(), "")
	if err := kept.RenewAccessToken(ctx); err != nil {
		t.Fatal(err)
	}
}

func TestAdminResetPassword(t *testing.T) {
	f := newFixture(t)
	f.confirmedUser("jane", "jane@example.com")
	admin := f.cognito("")
	if err := admin.AdminResetPassword(ctx, "", nil); !errors.Is(err, cognito.ErrNoUsername) {
		t.Fatalf("no username: %v", err)
	}
	wantErr[*types.UserNotFoundException](t, admin.AdminResetPassword(ctx, "nobody", nil), "User does not exist.")
	if err := admin.AdminResetPassword(ctx, "jane", map[string]string{"source": "test"}); err != nil {
		t.Fatal(err)
	}
	u := f.cognito("jane")
	user, err := u.AdminGetUser(ctx)
	if err != nil || user.Status != types.UserStatusTypeResetRequired {
		t.Fatalf("user = %+v, %v", user, err)
	}
	wantErr[*types.PasswordResetRequiredException](t, u.Authenticate(ctx, password), "Password reset required for the user")
	if err := u.ConfirmForgotPassword(ctx, f.code("jane"), "N3w-Passw0rd!"); err != nil {
		t.Fatal(err)
	}
	if err := u.Authenticate(ctx, "N3w-Passw0rd!"); err != nil {
		t.Fatal(err)
	}
	// "" means the Cognito value's own user.
	if err := u.AdminResetPassword(ctx, "", nil); err != nil {
		t.Fatal(err)
	}
	wantErr[*types.PasswordResetRequiredException](t, u.Authenticate(ctx, "N3w-Passw0rd!"), "")
}

func TestAdminSetPassword(t *testing.T) {
	f := newFixture(t)
	f.confirmedUser("jane", "jane@example.com")
	admin := f.cognito("")
	if err := admin.AdminSetPassword(ctx, "", password, true); !errors.Is(err, cognito.ErrNoUsername) {
		t.Fatalf("no username: %v", err)
	}
	wantErr[*types.InvalidPasswordException](t, admin.AdminSetPassword(ctx, "jane", "weak", true), "")
	if err := admin.AdminSetPassword(ctx, "jane", "Perm-Passw0rd!", true); err != nil {
		t.Fatal(err)
	}
	u := f.cognito("jane")
	if err := u.Authenticate(ctx, "Perm-Passw0rd!"); err != nil {
		t.Fatal(err)
	}
	if err := u.AdminSetPassword(ctx, "", "Temp-Passw0rd!", false); err != nil {
		t.Fatal(err)
	}
	var fc *cognito.ForceChangePasswordError
	if err := u.Authenticate(ctx, "Temp-Passw0rd!"); !errors.As(err, &fc) {
		t.Fatalf("temporary password: %v, want *ForceChangePasswordError", err)
	}
}

func TestVerification(t *testing.T) {
	f := newFixture(t)
	if _, err := f.cognito("x").SendVerification(ctx, ""); !errors.Is(err, cognito.ErrNoTokens) {
		t.Fatalf("no tokens: %v", err)
	}
	u := f.signedIn("jane")
	if err := u.UpdateProfile(ctx, map[string]string{"email": "new@example.com"}); err != nil {
		t.Fatal(err)
	}
	d, err := u.SendVerification(ctx, "") // "email"
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(d.Destination) != "n***@e***.com" || aws.ToString(d.AttributeName) != "email" {
		t.Fatalf("delivery = %+v", d)
	}
	code := f.code("jane")
	wrong := "000000"
	if code == wrong {
		wrong = "111111"
	}
	wantErr[*types.CodeMismatchException](t, u.ValidateVerification(ctx, wrong, ""), "Invalid verification code provided, please try again.")
	if err := u.ValidateVerification(ctx, code, "email"); err != nil {
		t.Fatal(err)
	}
	user, err := u.GetUser(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if user.Attributes["email"] != "new@example.com" || user.Attributes["email_verified"] != "true" {
		t.Fatalf("attributes = %v", user.Attributes)
	}
	wantErr[*types.InvalidParameterException](t, func() error { _, err := u.SendVerification(ctx, "phone_number"); return err }(), "")
	if err := f.cognito("x").ValidateVerification(ctx, code, ""); !errors.Is(err, cognito.ErrNoTokens) {
		t.Fatalf("no tokens: %v", err)
	}
}

func TestProfile(t *testing.T) {
	f := newFixture(t)
	u := f.signedIn("jane")
	if err := u.UpdateProfile(ctx, map[string]string{"name": "Jane Doe", "given_name": "Jane"}); err != nil {
		t.Fatal(err)
	}
	user, err := u.GetUser(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if user.Username != "jane" || user.Attributes["name"] != "Jane Doe" || user.Attributes["given_name"] != "Jane" ||
		user.Attributes["sub"] == "" || user.Attributes["email"] != "jane@example.com" {
		t.Fatalf("GetUser = %+v", user)
	}
	if err := u.AdminUpdateProfile(ctx, map[string]string{"family_name": "Doe"}); err != nil {
		t.Fatal(err)
	}
	user, err = u.AdminGetUser(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if user.Username != "jane" || user.Status != types.UserStatusTypeConfirmed || !user.Enabled ||
		user.Attributes["family_name"] != "Doe" || user.Attributes["name"] != "Jane Doe" ||
		user.Created.IsZero() || user.Modified.Before(user.Created) {
		t.Fatalf("AdminGetUser = %+v", user)
	}
	wantErr[*types.InvalidParameterException](t, u.UpdateProfile(ctx, map[string]string{"custom:nope": "x"}), "")
	if err := f.cognito("x").UpdateProfile(ctx, nil); !errors.Is(err, cognito.ErrNoTokens) {
		t.Fatalf("no tokens: %v", err)
	}
	if _, err := f.cognito("x").GetUser(ctx); !errors.Is(err, cognito.ErrNoTokens) {
		t.Fatalf("no tokens: %v", err)
	}
	if err := f.cognito("").AdminUpdateProfile(ctx, nil); !errors.Is(err, cognito.ErrNoUsername) {
		t.Fatalf("no username: %v", err)
	}
	if _, err := f.cognito("").AdminGetUser(ctx); !errors.Is(err, cognito.ErrNoUsername) {
		t.Fatalf("no username: %v", err)
	}
	wantErr[*types.UserNotFoundException](t, func() error { _, err := f.cognito("nobody").AdminGetUser(ctx); return err }(), "User does not exist.")
}

func TestRegister(t *testing.T) {
	f := newFixture(t)
	u := f.cognito("")
	d, err := u.Register(ctx, "bob", password, map[string]string{"email": "bob@example.com", "name": "Bob"})
	if err != nil {
		t.Fatal(err)
	}
	if d == nil || aws.ToString(d.Destination) != "b***@e***.com" || d.DeliveryMedium != types.DeliveryMediumTypeEmail {
		t.Fatalf("delivery = %+v", d)
	}
	if u.Username() != "bob" {
		t.Fatalf("username = %q, want the registered user", u.Username())
	}
	code := f.code("bob")
	wrong := "000000"
	if code == wrong {
		wrong = "111111"
	}
	wantErr[*types.CodeMismatchException](t, u.ConfirmSignUp(ctx, wrong), "")
	if err := u.ConfirmSignUp(ctx, code); err != nil {
		t.Fatal(err)
	}
	user, err := u.AdminGetUser(ctx)
	if err != nil || user.Status != types.UserStatusTypeConfirmed || user.Attributes["name"] != "Bob" {
		t.Fatalf("user = %+v, %v", user, err)
	}
	if err := u.Authenticate(ctx, password); err != nil {
		t.Fatal(err)
	}
	wantErr[*types.UsernameExistsException](t, func() error { _, err := u.Register(ctx, "bob", password, nil); return err }(), "")
	wantErr[*types.InvalidPasswordException](t, func() error { _, err := u.Register(ctx, "weak", "weak-password", nil); return err }(), "")
	if err := f.cognito("").ConfirmSignUp(ctx, code); !errors.Is(err, cognito.ErrNoUsername) {
		t.Fatalf("no username: %v", err)
	}

	// A pool that verifies nothing sends no code.
	g := addPool(t, f.srv, fixtureOpts{pool: func(in *cip.CreateUserPoolInput) { in.AutoVerifiedAttributes = nil }})
	d, err = g.cognito("").Register(ctx, "carol", password, nil)
	if err != nil || d != nil {
		t.Fatalf("no verification: delivery %+v, %v", d, err)
	}
}

func TestAdminCreateUserGeneratedPassword(t *testing.T) {
	f := newFixture(t)
	admin := f.cognito("")
	user, err := admin.AdminCreateUser(ctx, "gen", "", map[string]string{"email": "gen@example.com", "email_verified": "true"})
	if err != nil {
		t.Fatal(err)
	}
	if user.Status != types.UserStatusTypeForceChangePassword || admin.Username() != "gen" {
		t.Fatalf("user = %+v", user)
	}
	msgs := f.srv.Outbox(t, f.poolID, "gen")
	if len(msgs) != 1 || !strings.Contains(msgs[0].Body, "gen") {
		t.Fatalf("invitation = %+v", msgs)
	}
	wantErr[*types.UsernameExistsException](t, func() error { _, err := admin.AdminCreateUser(ctx, "gen", "", nil); return err }(), "")
}

func TestLogout(t *testing.T) {
	f := newFixture(t)
	if err := f.cognito("x").Logout(ctx); !errors.Is(err, cognito.ErrNoTokens) {
		t.Fatalf("no tokens: %v", err)
	}
	u := f.signedIn("jane")
	old := u.Tokens()
	if err := u.Logout(ctx); err != nil {
		t.Fatal(err)
	}
	if u.Tokens() != (cognito.Tokens{}) {
		t.Fatalf("tokens after Logout = %+v", u.Tokens())
	}
	if _, err := u.GetUser(ctx); !errors.Is(err, cognito.ErrNoTokens) {
		t.Fatalf("GetUser after Logout: %v", err)
	}
	kept := f.cognito("jane", cognito.WithTokens(old.IDToken, old.AccessToken, old.RefreshToken))
	wantErr[*types.NotAuthorizedException](t, func() error { _, err := kept.GetUser(ctx); return err }(), "Access Token has been revoked")
	wantErr[*types.NotAuthorizedException](t, kept.RenewAccessToken(ctx), "Refresh Token has been revoked")
}

func TestVerifyTokens(t *testing.T) {
	f := newFixture(t)
	if _, err := f.cognito("x").VerifyTokens(ctx); !errors.Is(err, cognito.ErrNoTokens) {
		t.Fatalf("no tokens: %v", err)
	}
	a := f.signedIn("jane").Tokens()

	// Another client of the same pool: same keys, wrong audience.
	other, err := f.srv.Client.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{UserPoolId: &f.poolID, ClientName: aws.String("other"), ExplicitAuthFlows: allFlows})
	if err != nil {
		t.Fatal(err)
	}
	g := *f
	g.clientID = aws.ToString(other.UserPoolClient.ClientId)
	g.confirmedUser("bob", "bob@example.com")
	b := g.cognito("bob")
	if err := b.Authenticate(ctx, password); err != nil {
		t.Fatal(err)
	}
	_, err = g.cognito("", cognito.WithTokens(a.IDToken, a.AccessToken, "")).VerifyTokens(ctx)
	wantVerificationError(t, err, "access", "client_id")
	_, err = g.cognito("", cognito.WithTokens(a.IDToken, b.Tokens().AccessToken, "")).VerifyTokens(ctx)
	wantVerificationError(t, err, "id", "audience")

	// Another pool: its keys are not this pool's.
	h := addPool(t, f.srv)
	carol := h.signedIn("carol").Tokens()
	_, err = f.cognito("", cognito.WithTokens(carol.IDToken, carol.AccessToken, "")).VerifyTokens(ctx)
	wantVerificationError(t, err, "access", "not found")

	// Tampered tokens: a changed claim, a changed signature.
	parts := strings.Split(a.AccessToken, ".")
	payload, _ := base64.RawURLEncoding.DecodeString(parts[1])
	payload = bytes.Replace(payload, []byte(`"jane"`), []byte(`"root"`), 1)
	forged := parts[0] + "." + base64.RawURLEncoding.EncodeToString(payload) + "." + parts[2]
	_, err = f.cognito("", cognito.WithTokens(a.IDToken, forged, "")).VerifyTokens(ctx)
	wantVerificationError(t, err, "access", "signature")
	sig, _ := base64.RawURLEncoding.DecodeString(parts[2])
	sig[10] ^= 1
	forged = parts[0] + "." + parts[1] + "." + base64.RawURLEncoding.EncodeToString(sig)
	_, err = f.cognito("", cognito.WithTokens(a.IDToken, forged, "")).VerifyTokens(ctx)
	wantVerificationError(t, err, "access", "signature")
	_, err = f.cognito("", cognito.WithTokens("not.a.jwt", a.AccessToken, "")).VerifyTokens(ctx)
	wantVerificationError(t, err, "id", "JWT")
	// An ID token where an access token belongs.
	_, err = f.cognito("", cognito.WithTokens(a.IDToken, a.IDToken, "")).VerifyTokens(ctx)
	wantVerificationError(t, err, "access", "token_use")

	// An issuer other than the one tokens name; keys that cannot be fetched.
	_, err = f.cognito("", cognito.WithTokens(a.IDToken, a.AccessToken, ""), cognito.WithIssuerURL("http://127.0.0.1:1")).VerifyTokens(ctx)
	wantVerificationError(t, err, "access", "fetching the signing keys")
	if err := f.cognito("jane", cognito.WithIssuerURL("http://127.0.0.1:1")).Authenticate(ctx, password); !errors.As(err, new(*cognito.TokenVerificationError)) {
		t.Fatalf("sign-in with unverifiable tokens: %v", err)
	}

	// A rotated key is fetched when a token names it.
	u := f.cognito("jane")
	if err := u.Authenticate(ctx, password); err != nil {
		t.Fatal(err)
	}
	resp, err := http.Post(f.url+"/_userpool/keys/rotate?userPoolId="+f.poolID, "", nil)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("rotate: %v %v", resp, err)
	}
	resp.Body.Close()
	if err := u.Authenticate(ctx, password); err != nil {
		t.Fatalf("after key rotation: %v", err)
	}
}

// proxy is a server in front of the fixture's that records the requests
// it passes on and may rewrite answers.
type proxy struct {
	mu       sync.Mutex
	requests []request
	rewrite  func(target string, body map[string]any) map[string]any
}

type request struct {
	Target string
	Body   map[string]any
}

func (f *fixture) withProxy(rewrite func(target string, body map[string]any) map[string]any) *proxy {
	p := &proxy{rewrite: rewrite}
	next := f.srv.App.Handler
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		target := strings.TrimPrefix(r.Header.Get("X-Amz-Target"), "AWSCognitoIdentityProviderService.")
		if target == "" {
			next.ServeHTTP(w, r)
			return
		}
		body, _ := io.ReadAll(r.Body)
		var req map[string]any
		json.Unmarshal(body, &req)
		p.mu.Lock()
		p.requests = append(p.requests, request{target, req})
		p.mu.Unlock()
		r.Body = io.NopCloser(bytes.NewReader(body))
		rec := httptest.NewRecorder()
		next.ServeHTTP(rec, r)
		out := rec.Body.Bytes()
		if p.rewrite != nil && rec.Code == http.StatusOK {
			var resp map[string]any
			json.Unmarshal(out, &resp)
			if changed := p.rewrite(target, resp); changed != nil {
				out, _ = json.Marshal(changed)
			}
		}
		for k, v := range rec.Header() {
			if k != "Content-Length" {
				w.Header()[k] = v
			}
		}
		w.WriteHeader(rec.Code)
		w.Write(out)
	}))
	f.t.Cleanup(hs.Close)
	f.url = hs.URL
	return p
}

// last returns the last request to an operation.
func (p *proxy) last(t *testing.T, target string) map[string]any {
	t.Helper()
	p.mu.Lock()
	defer p.mu.Unlock()
	for i := len(p.requests) - 1; i >= 0; i-- {
		if p.requests[i].Target == target {
			return p.requests[i].Body
		}
	}
	t.Fatalf("no %s request", target)
	return nil
}

func field(body map[string]any, path ...string) string {
	var v any = body
	for _, k := range path {
		m, _ := v.(map[string]any)
		v = m[k]
	}
	s, _ := v.(string)
	return s
}

func TestClientSecret(t *testing.T) {
	f := newFixture(t, fixtureOpts{
		pool: func(in *cip.CreateUserPoolInput) {
			in.AliasAttributes = []types.AliasAttributeType{types.AliasAttributeTypeEmail}
		},
		client: func(in *cip.CreateUserPoolClientInput) { in.GenerateSecret = true },
	})
	if f.secret == "" {
		t.Fatal("the client has no secret")
	}
	p := f.withProxy(nil)
	hash := func(name string) string { return secretHash(f.secret, name, f.clientID) }

	// Register and confirm: SecretHash over the username.
	u := f.cognito("")
	if _, err := u.Register(ctx, "jane", password, map[string]string{"email": "jane@example.com"}); err != nil {
		t.Fatal(err)
	}
	if got := field(p.last(t, "SignUp"), "SecretHash"); got != hash("jane") {
		t.Errorf("SignUp SecretHash = %q", got)
	}
	if err := u.ConfirmSignUp(ctx, f.code("jane")); err != nil {
		t.Fatal(err)
	}
	if got := field(p.last(t, "ConfirmSignUp"), "SecretHash"); got != hash("jane") {
		t.Errorf("ConfirmSignUp SecretHash = %q", got)
	}

	// SRP by the email alias: the answer names, and hashes, the username.
	byEmail := f.cognito("jane@example.com")
	if err := byEmail.Authenticate(ctx, password); err != nil {
		t.Fatal(err)
	}
	if got := field(p.last(t, "InitiateAuth"), "AuthParameters", "SECRET_HASH"); got != hash("jane@example.com") {
		t.Errorf("InitiateAuth SECRET_HASH = %q", got)
	}
	answer := p.last(t, "RespondToAuthChallenge")
	if field(answer, "ChallengeResponses", "USERNAME") != "jane" || field(answer, "ChallengeResponses", "SECRET_HASH") != hash("jane") {
		t.Errorf("PASSWORD_VERIFIER answer = %v", answer)
	}

	// Refresh: SECRET_HASH over the token's username.
	f.advance(61 * time.Minute)
	if expired, err := byEmail.CheckToken(ctx, true); err != nil || !expired {
		t.Fatalf("renewal: %v %v", expired, err)
	}
	refresh := p.last(t, "InitiateAuth")
	if field(refresh, "AuthFlow") != "REFRESH_TOKEN_AUTH" || field(refresh, "AuthParameters", "SECRET_HASH") != hash("jane") {
		t.Errorf("refresh = %v", refresh)
	}
	kept := f.cognito("", cognito.WithTokens(byEmail.Tokens().IDToken, byEmail.Tokens().AccessToken, byEmail.Tokens().RefreshToken))
	if err := kept.RenewAccessToken(ctx); err != nil {
		t.Fatal(err)
	}

	// Forgot password and its confirmation.
	if _, err := byEmail.InitiateForgotPassword(ctx); err != nil {
		t.Fatal(err)
	}
	if got := field(p.last(t, "ForgotPassword"), "SecretHash"); got != hash("jane@example.com") {
		t.Errorf("ForgotPassword SecretHash = %q", got)
	}
	if err := byEmail.ConfirmForgotPassword(ctx, f.code("jane"), "N3w-Passw0rd!"); err != nil {
		t.Fatal(err)
	}
	if got := field(p.last(t, "ConfirmForgotPassword"), "SecretHash"); got != hash("jane@example.com") {
		t.Errorf("ConfirmForgotPassword SecretHash = %q", got)
	}

	// Admin sign-in, and the new password challenge.
	if err := f.cognito("jane").AdminAuthenticate(ctx, "N3w-Passw0rd!"); err != nil {
		t.Fatal(err)
	}
	if got := field(p.last(t, "AdminInitiateAuth"), "AuthParameters", "SECRET_HASH"); got != hash("jane") {
		t.Errorf("AdminInitiateAuth SECRET_HASH = %q", got)
	}
	if _, err := f.cognito("").AdminCreateUser(ctx, "temp", "TempPass123!", nil); err != nil {
		t.Fatal(err)
	}
	if err := f.cognito("temp").NewPasswordChallenge(ctx, "TempPass123!", "N3w-Passw0rd!"); err != nil {
		t.Fatal(err)
	}
	answer = p.last(t, "RespondToAuthChallenge")
	if field(answer, "ChallengeName") != "NEW_PASSWORD_REQUIRED" || field(answer, "ChallengeResponses", "USERNAME") != "temp" ||
		field(answer, "ChallengeResponses", "SECRET_HASH") != hash("temp") || field(answer, "Session") == "" {
		t.Errorf("NEW_PASSWORD_REQUIRED answer = %v", answer)
	}

	// Without the secret, Cognito refuses.
	noSecret, err := cognito.New(ctx, f.poolID, f.clientID, cognito.WithEndpoint(f.url), cognito.WithUsername("jane"))
	if err != nil {
		t.Fatal(err)
	}
	wantErr[*types.NotAuthorizedException](t, noSecret.Authenticate(ctx, "N3w-Passw0rd!"),
		"Client "+f.clientID+" is configured for secret but secret was not received")
	wrongSecret := f.cognito("jane", cognito.WithClientSecret("not-the-secret"))
	wantErr[*types.NotAuthorizedException](t, wrongSecret.Authenticate(ctx, "N3w-Passw0rd!"),
		"Unable to verify secret hash for client "+f.clientID)
}

// A PASSWORD_VERIFIER challenge with a Session (pycognito sends none, as
// AWS needs none) has it passed on.
func TestSessionPassedOn(t *testing.T) {
	f := newFixture(t)
	f.confirmedUser("jane", "jane@example.com")
	p := f.withProxy(func(target string, body map[string]any) map[string]any {
		if target == "InitiateAuth" && body["ChallengeName"] == "PASSWORD_VERIFIER" {
			body["Session"] = "proxy-session-0123456789abcdef"
			return body
		}
		return nil
	})
	if err := f.cognito("jane").Authenticate(ctx, password); err != nil {
		t.Fatal(err)
	}
	if got := field(p.last(t, "RespondToAuthChallenge"), "Session"); got != "proxy-session-0123456789abcdef" {
		t.Fatalf("Session = %q", got)
	}
}

func TestUnsupportedChallenge(t *testing.T) {
	f := newFixture(t)
	f.confirmedUser("jane", "jane@example.com")
	f.withProxy(func(target string, body map[string]any) map[string]any {
		if target == "RespondToAuthChallenge" {
			return map[string]any{"ChallengeName": "SMS_MFA", "Session": "mfa-session",
				"ChallengeParameters": map[string]any{"CODE_DELIVERY_DESTINATION": "+*******1234"}}
		}
		return nil
	})
	u := f.cognito("jane")
	err := u.Authenticate(ctx, password)
	var ce *cognito.ChallengeError
	if !errors.As(err, &ce) {
		t.Fatalf("error = %v, want *ChallengeError", err)
	}
	if ce.Name != types.ChallengeNameTypeSmsMfa || ce.Session != "mfa-session" || ce.Parameters["CODE_DELIVERY_DESTINATION"] != "+*******1234" {
		t.Fatalf("challenge = %+v", ce)
	}
	if u.Tokens().AccessToken != "" {
		t.Fatal("tokens kept")
	}

	// A first challenge other than PASSWORD_VERIFIER.
	g := newFixture(t)
	g.confirmedUser("jane", "jane@example.com")
	g.withProxy(func(target string, body map[string]any) map[string]any {
		if target == "InitiateAuth" {
			return map[string]any{"ChallengeName": "CUSTOM_CHALLENGE", "Session": "s", "ChallengeParameters": map[string]any{}}
		}
		return nil
	})
	if err := g.cognito("jane").Authenticate(ctx, password); !errors.As(err, &ce) || ce.Name != types.ChallengeNameTypeCustomChallenge {
		t.Fatalf("error = %v, want a CUSTOM_CHALLENGE *ChallengeError", err)
	}
}

// The SDK client is reachable for operations the package does not wrap.
func TestClient(t *testing.T) {
	f := newFixture(t)
	out, err := f.cognito("").Client().DescribeUserPool(ctx, &cip.DescribeUserPoolInput{UserPoolId: &f.poolID})
	if err != nil || aws.ToString(out.UserPool.Id) != f.poolID {
		t.Fatalf("DescribeUserPool: %v", err)
	}
}

// WithHTTPClient carries the API calls and the key fetches.
func TestWithHTTPClient(t *testing.T) {
	f := newFixture(t)
	f.confirmedUser("jane", "jane@example.com")
	var mu sync.Mutex
	paths := map[string]int{}
	hc := &http.Client{Transport: roundTripper(func(r *http.Request) (*http.Response, error) {
		mu.Lock()
		paths[r.URL.Path]++
		mu.Unlock()
		return http.DefaultTransport.RoundTrip(r)
	})}
	u := f.cognito("jane", cognito.WithHTTPClient(hc))
	if err := u.Authenticate(ctx, password); err != nil {
		t.Fatal(err)
	}
	if paths["/"] != 2 || paths["/"+f.poolID+"/.well-known/jwks.json"] != 1 {
		t.Fatalf("requests = %v", paths)
	}
}

type roundTripper func(*http.Request) (*http.Response, error)

func (f roundTripper) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }
