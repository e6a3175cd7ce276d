package e2e

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/aws/smithy-go"

	"github.com/userpool/userpool/internal/testserver"
)

// apiError is what every modeled exception of the SDK implements.
type apiError interface {
	error
	ErrorCode() string
	ErrorMessage() string
}

// wantErr fails unless err is the exception E with exactly the message msg.
func wantErr[E apiError](t testing.TB, err error, msg string) E {
	t.Helper()
	var e E
	if !errors.As(err, &e) {
		t.Fatalf("error = %v, want %T", err, e)
	}
	if got := e.ErrorMessage(); got != msg {
		t.Fatalf("%s message = %q, want %q", e.ErrorCode(), got, msg)
	}
	return e
}

// wantCode fails unless err is an API error with the code and message. It is
// for exceptions AWS documents for an operation that its API model does not
// list (so the SDK has no type for them there), such as AdminCreateUser's
// AliasExistsException.
func wantCode(t testing.TB, err error, code, msg string) {
	t.Helper()
	var e smithy.APIError
	if !errors.As(err, &e) {
		t.Fatalf("error = %v, want %s", err, code)
	}
	if e.ErrorCode() != code || e.ErrorMessage() != msg {
		t.Fatalf("error %s: %q, want %s: %q", e.ErrorCode(), e.ErrorMessage(), code, msg)
	}
}

// wantErrPrefix fails unless err is the exception E with a message starting with prefix.
func wantErrPrefix[E apiError](t testing.TB, err error, prefix string) E {
	t.Helper()
	var e E
	if !errors.As(err, &e) {
		t.Fatalf("error = %v, want %T", err, e)
	}
	if got := e.ErrorMessage(); !strings.HasPrefix(got, prefix) {
		t.Fatalf("%s message = %q, want prefix %q", e.ErrorCode(), got, prefix)
	}
	return e
}

// result holds an operation's output and error; ok(t) fails the test on
// the error: try(c.Op(ctx, in)).ok(t).
type result[T any] struct {
	v   T
	err error
}

func try[T any](v T, err error) result[T] { return result[T]{v, err} }

func (r result[T]) ok(t testing.TB) T {
	t.Helper()
	if r.err != nil {
		t.Fatalf("unexpected error: %v", r.err)
	}
	return r.v
}

// attrs builds a user attribute list from name, value pairs.
func attrs(kv ...string) []types.AttributeType {
	if len(kv)%2 != 0 {
		panic("attrs: odd argument count")
	}
	out := make([]types.AttributeType, 0, len(kv)/2)
	for i := 0; i < len(kv); i += 2 {
		out = append(out, types.AttributeType{Name: aws.String(kv[i]), Value: aws.String(kv[i+1])})
	}
	return out
}

// attrMap turns an attribute list into a map.
func attrMap(list []types.AttributeType) map[string]string {
	m := map[string]string{}
	for _, a := range list {
		m[aws.ToString(a.Name)] = aws.ToString(a.Value)
	}
	return m
}

// env is a started server with its client, for one test.
type env struct {
	t   *testing.T
	srv *testserver.Server
	c   *cip.Client
}

// start starts a fresh server for a (parallel) test.
func start(t *testing.T) *env {
	t.Helper()
	t.Parallel()
	srv := testserver.Start(t)
	return &env{t: t, srv: srv, c: srv.Client}
}

// pool creates a pool; mod may adjust the request.
func (e *env) pool(mod func(in *cip.CreateUserPoolInput)) string {
	e.t.Helper()
	in := &cip.CreateUserPoolInput{PoolName: aws.String("pool")}
	if mod != nil {
		mod(in)
	}
	out := try(e.c.CreateUserPool(e.t.Context(), in)).ok(e.t)
	return aws.ToString(out.UserPool.Id)
}

// client creates an app client of poolID; mod may adjust the request.
func (e *env) client(poolID string, mod func(in *cip.CreateUserPoolClientInput)) *types.UserPoolClientType {
	e.t.Helper()
	in := &cip.CreateUserPoolClientInput{UserPoolId: aws.String(poolID), ClientName: aws.String("app")}
	if mod != nil {
		mod(in)
	}
	return try(e.c.CreateUserPoolClient(e.t.Context(), in)).ok(e.t).UserPoolClient
}

// getUser is AdminGetUser that must succeed.
func (e *env) getUser(poolID, username string) *cip.AdminGetUserOutput {
	e.t.Helper()
	return try(e.c.AdminGetUser(e.t.Context(), &cip.AdminGetUserInput{UserPoolId: aws.String(poolID), Username: aws.String(username)})).ok(e.t)
}

// createUser is AdminCreateUser (invitation suppressed) that must succeed.
func (e *env) createUser(poolID, username string, kv ...string) *types.UserType {
	e.t.Helper()
	out := try(e.c.AdminCreateUser(e.t.Context(), &cip.AdminCreateUserInput{
		UserPoolId: aws.String(poolID), Username: aws.String(username), UserAttributes: attrs(kv...),
		MessageAction: types.MessageActionTypeSuppress,
	})).ok(e.t)
	return out.User
}

// signUp is SignUp with a valid password that must succeed.
func (e *env) signUp(clientID, username string, kv ...string) *cip.SignUpOutput {
	e.t.Helper()
	return try(e.c.SignUp(e.t.Context(), &cip.SignUpInput{
		ClientId: aws.String(clientID), Username: aws.String(username), Password: aws.String(goodPassword),
		UserAttributes: attrs(kv...),
	})).ok(e.t)
}

// goodPassword satisfies the default password policy.
const goodPassword = "Passw0rd!"

var (
	uuidV4    = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)
	poolIDRe  = regexp.MustCompile(`^us-east-1_[A-Za-z0-9]{9}$`)
	clientIDs = regexp.MustCompile(`^[a-z0-9]{26}$`)
	secretRe  = regexp.MustCompile(`^[a-z0-9]{51}$`)
)

// rawResponse is an HTTP answer read in full.
type rawResponse struct {
	Status int
	Header http.Header
	Body   []byte
}

// JSON decodes the body as an object.
func (r rawResponse) JSON(t testing.TB) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(r.Body, &m); err != nil {
		t.Fatalf("body %q is not a JSON object: %v", r.Body, err)
	}
	return m
}

// raw sends a hand-built request. An empty target sends no X-Amz-Target.
func raw(t testing.TB, method, url, target, body string, hdr map[string]string) rawResponse {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), method, url, bytes.NewReader([]byte(body)))
	if err != nil {
		t.Fatal(err)
	}
	if method == http.MethodPost {
		req.Header.Set("Content-Type", "application/x-amz-json-1.1")
	}
	if target != "" {
		req.Header.Set("X-Amz-Target", "AWSCognitoIdentityProviderService."+target)
	}
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return rawResponse{Status: resp.StatusCode, Header: resp.Header, Body: b}
}

// call POSTs a JSON 1.1 request for an operation.
func call(t testing.TB, url, op, body string) rawResponse {
	t.Helper()
	return raw(t, http.MethodPost, url+"/", op, body, nil)
}
