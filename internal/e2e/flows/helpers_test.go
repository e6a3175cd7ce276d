package flows

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	jose "github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"

	"github.com/userpool/userpool/internal/srp"
	"github.com/userpool/userpool/internal/testserver"
)

var ctx = context.Background()

const password = "Passw0rd!"

// fixture is a server with one pool and one app client.
type fixture struct {
	t      *testing.T
	srv    *testserver.Server
	c      *cip.Client
	poolID string
	client *types.UserPoolClientType
}

func (f *fixture) clientID() *string { return f.client.ClientId }

type fixtureOpts struct {
	pool   func(*cip.CreateUserPoolInput)
	client func(*cip.CreateUserPoolClientInput)
}

func newFixture(t *testing.T, o fixtureOpts) *fixture {
	t.Helper()
	srv := testserver.Start(t)
	f := &fixture{t: t, srv: srv, c: srv.Client}
	pin := &cip.CreateUserPoolInput{PoolName: aws.String("signin"), AutoVerifiedAttributes: []types.VerifiedAttributeType{"email"}}
	if o.pool != nil {
		o.pool(pin)
	}
	pool, err := f.c.CreateUserPool(ctx, pin)
	if err != nil {
		t.Fatal(err)
	}
	f.poolID = aws.ToString(pool.UserPool.Id)
	cin := &cip.CreateUserPoolClientInput{UserPoolId: &f.poolID, ClientName: aws.String("app"),
		ExplicitAuthFlows: []types.ExplicitAuthFlowsType{"ALLOW_USER_SRP_AUTH", "ALLOW_USER_PASSWORD_AUTH", "ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"}}
	if o.client != nil {
		o.client(cin)
	}
	cl, err := f.c.CreateUserPoolClient(ctx, cin)
	if err != nil {
		t.Fatal(err)
	}
	f.client = cl.UserPoolClient
	return f
}

func attrs(kv ...string) []types.AttributeType {
	var out []types.AttributeType
	for i := 0; i+1 < len(kv); i += 2 {
		out = append(out, types.AttributeType{Name: aws.String(kv[i]), Value: aws.String(kv[i+1])})
	}
	return out
}

// confirmedUser signs a user up with the fixture's password and confirms them.
func (f *fixture) confirmedUser(username string, kv ...string) {
	f.t.Helper()
	in := &cip.SignUpInput{ClientId: f.clientID(), Username: &username, Password: aws.String(password), UserAttributes: attrs(kv...)}
	if secret := aws.ToString(f.client.ClientSecret); secret != "" {
		in.SecretHash = aws.String(secretHash(secret, username, aws.ToString(f.clientID())))
	}
	if _, err := f.c.SignUp(ctx, in); err != nil {
		f.t.Fatal(err)
	}
	if _, err := f.c.AdminConfirmSignUp(ctx, &cip.AdminConfirmSignUpInput{UserPoolId: &f.poolID, Username: &username}); err != nil {
		f.t.Fatal(err)
	}
}

// invitedUser creates a user with a temporary password.
func (f *fixture) invitedUser(username, temp string, kv ...string) {
	f.t.Helper()
	_, err := f.c.AdminCreateUser(ctx, &cip.AdminCreateUserInput{UserPoolId: &f.poolID, Username: &username,
		TemporaryPassword: &temp, MessageAction: types.MessageActionTypeSuppress, UserAttributes: attrs(kv...)})
	if err != nil {
		f.t.Fatal(err)
	}
}

func (f *fixture) passwordAuth(username, pw string) (*cip.InitiateAuthOutput, error) {
	params := map[string]string{"USERNAME": username, "PASSWORD": pw}
	if secret := aws.ToString(f.client.ClientSecret); secret != "" {
		params["SECRET_HASH"] = secretHash(secret, username, aws.ToString(f.clientID()))
	}
	return f.c.InitiateAuth(ctx, &cip.InitiateAuthInput{ClientId: f.clientID(), AuthFlow: types.AuthFlowTypeUserPasswordAuth, AuthParameters: params})
}

// srpAuth signs in with SRP as pycognito does (no Session on the answer).
func (f *fixture) srpAuth(username, pw string) (*cip.RespondToAuthChallengeOutput, error) {
	cl, err := srp.NewClient()
	if err != nil {
		f.t.Fatal(err)
	}
	params := map[string]string{"USERNAME": username, "SRP_A": cl.PublicAHex()}
	secret := aws.ToString(f.client.ClientSecret)
	if secret != "" {
		params["SECRET_HASH"] = secretHash(secret, username, aws.ToString(f.clientID()))
	}
	init, err := f.c.InitiateAuth(ctx, &cip.InitiateAuthInput{ClientId: f.clientID(), AuthFlow: types.AuthFlowTypeUserSrpAuth, AuthParameters: params})
	if err != nil {
		return nil, err
	}
	if init.ChallengeName != types.ChallengeNameTypePasswordVerifier {
		f.t.Fatalf("challenge = %s", init.ChallengeName)
	}
	cp := init.ChallengeParameters
	sig, ts, err := cl.Claim(srp.PoolName(f.poolID), cp["USER_ID_FOR_SRP"], pw, cp["SALT"], cp["SRP_B"], cp["SECRET_BLOCK"], time.Now())
	if err != nil {
		f.t.Fatal(err)
	}
	resp := map[string]string{"USERNAME": cp["USERNAME"], "PASSWORD_CLAIM_SECRET_BLOCK": cp["SECRET_BLOCK"], "PASSWORD_CLAIM_SIGNATURE": sig, "TIMESTAMP": ts}
	if secret != "" {
		resp["SECRET_HASH"] = secretHash(secret, cp["USERNAME"], aws.ToString(f.clientID()))
	}
	return f.c.RespondToAuthChallenge(ctx, &cip.RespondToAuthChallengeInput{ClientId: f.clientID(), ChallengeName: types.ChallengeNameTypePasswordVerifier, ChallengeResponses: resp})
}

type apiError interface {
	error
	ErrorMessage() string
}

// wantErr asserts err is of type E with exactly msg.
func wantErr[E apiError](t testing.TB, err error, msg string) {
	t.Helper()
	var e E
	if !errors.As(err, &e) {
		t.Fatalf("got error %v, want %T %q", err, e, msg)
	}
	if e.ErrorMessage() != msg {
		t.Fatalf("%T message = %q, want %q", e, e.ErrorMessage(), msg)
	}
}

// verifyJWT checks a token against the pool's JWKS, fetched over HTTP as a
// relying party would, and returns its claims.
func (f *fixture) verifyJWT(raw string) map[string]any {
	f.t.Helper()
	resp, err := http.Get(f.srv.URL + "/" + f.poolID + "/.well-known/jwks.json")
	if err != nil {
		f.t.Fatal(err)
	}
	defer resp.Body.Close()
	var set jose.JSONWebKeySet
	if err := json.NewDecoder(resp.Body).Decode(&set); err != nil {
		f.t.Fatal(err)
	}
	tok, err := jwt.ParseSigned(raw, []jose.SignatureAlgorithm{jose.RS256})
	if err != nil {
		f.t.Fatal(err)
	}
	keys := set.Key(tok.Headers[0].KeyID)
	if len(keys) != 1 {
		f.t.Fatalf("kid %q not in the JWKS", tok.Headers[0].KeyID)
	}
	claims := map[string]any{}
	if err := tok.Claims(keys[0].Key, &claims); err != nil {
		f.t.Fatalf("signature: %v", err)
	}
	return claims
}

func httpPost(url string) (int, error) {
	resp, err := http.Post(url, "application/json", nil)
	if err != nil {
		return 0, err
	}
	resp.Body.Close()
	return resp.StatusCode, nil
}

// kid reads a JWT's key ID without verifying it.
func kid(raw string) string {
	tok, err := jose.ParseSigned(raw, []jose.SignatureAlgorithm{jose.RS256})
	if err != nil {
		return ""
	}
	return tok.Signatures[0].Header.KeyID
}

func attrMap(list []types.AttributeType) map[string]string {
	m := map[string]string{}
	for _, a := range list {
		m[aws.ToString(a.Name)] = aws.ToString(a.Value)
	}
	return m
}

func asErr[E error](err error, target *E) bool { return errors.As(err, target) }
