package e2e

import (
	"errors"
	"net/http"
	"sort"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/aws/smithy-go"

	"github.com/userpool/userpool/api"
)

// wantWireError checks an error answer: HTTP 400, the __type and message in
// the body, the x-amzn-ErrorType header and a request ID.
func wantWireError(t *testing.T, r rawResponse, typ, msg string) {
	t.Helper()
	if r.Status != http.StatusBadRequest {
		t.Fatalf("status = %d, want 400 (body %s)", r.Status, r.Body)
	}
	body := r.JSON(t)
	if body["__type"] != typ {
		t.Fatalf("__type = %v, want %s (body %s)", body["__type"], typ, r.Body)
	}
	if msg != "" && body["message"] != msg {
		t.Fatalf("message = %q, want %q", body["message"], msg)
	}
	// AWS sends "<Name>:<namespace>"; SDKs keep the part before ':'.
	if got, _, _ := strings.Cut(r.Header.Get("x-amzn-ErrorType"), ":"); got != typ {
		t.Fatalf("x-amzn-ErrorType = %q, want %s", r.Header.Get("x-amzn-ErrorType"), typ)
	}
	if !uuidV4.MatchString(r.Header.Get("x-amzn-RequestId")) {
		t.Fatalf("x-amzn-RequestId = %q", r.Header.Get("x-amzn-RequestId"))
	}
	if ct := r.Header.Get("Content-Type"); ct != "application/x-amz-json-1.1" {
		t.Fatalf("Content-Type = %q", ct)
	}
}

func TestWireBadJSON(t *testing.T) {
	e := start(t)
	for _, body := range []string{
		`{"PoolName":`,
		`{"PoolName": "a"} trailing`,
		`{}{}`,
		`[1, 2]`,
		`"a string"`,
		`42`,
		`{"PoolName": 5}`,
		`{"PoolName": {"nested": true}}`,
		`{"Policies": "not an object"}`,
		`{"AutoVerifiedAttributes": "email"}`,
		"{\"PoolName\": \"\xff\xfe\"",
	} {
		r := call(t, e.srv.URL, "CreateUserPool", body)
		wantWireError(t, r, "SerializationException", "")
		if m := r.JSON(t)["message"]; m == "" || m == nil {
			t.Errorf("%s: empty message", body)
		}
	}
	r := call(t, e.srv.URL, "CreateUserPool", `{"PoolName": 5}`)
	wantWireError(t, r, "SerializationException", "Unexpected value of type number for member PoolName.")
}

func TestWireTarget(t *testing.T) {
	e := start(t)
	r := raw(t, http.MethodPost, e.srv.URL+"/", "", `{}`, nil)
	wantWireError(t, r, "UnknownOperationException", "Missing X-Amz-Target header.")

	r = call(t, e.srv.URL, "NoSuchOperation", `{}`)
	wantWireError(t, r, "UnknownOperationException", "Unknown operation AWSCognitoIdentityProviderService.NoSuchOperation.")

	r = raw(t, http.MethodPost, e.srv.URL+"/", "", `{}`, map[string]string{"X-Amz-Target": "DynamoDB_20120810.ListTables"})
	wantWireError(t, r, "UnknownOperationException", "Unknown operation DynamoDB_20120810.ListTables.")

	// The target is checked before the body is read.
	r = call(t, e.srv.URL, "NoSuchOperation", `not json`)
	wantWireError(t, r, "UnknownOperationException", "")
}

func TestWireUnimplementedOperation(t *testing.T) {
	e := start(t)
	r := call(t, e.srv.URL, "StartUserImportJob", `{"UserPoolId":"us-east-1_abcdefghi","JobId":"import-abc"}`)
	wantWireError(t, r, "UnsupportedOperationException", "StartUserImportJob is not implemented by userpool yet")

	// The SDK sees the error code and message (the model does not list
	// UnsupportedOperationException for this operation, so it is generic).
	_, err := e.c.StartUserImportJob(t.Context(), &cip.StartUserImportJobInput{UserPoolId: aws.String("us-east-1_abcdefghi"), JobId: aws.String("import-abc")})
	var ae smithy.APIError
	if !errors.As(err, &ae) || ae.ErrorCode() != "UnsupportedOperationException" || ae.ErrorMessage() != "StartUserImportJob is not implemented by userpool yet" {
		t.Fatalf("SDK error = %v", err)
	}

	// Input is validated before an unimplemented operation answers.
	r = call(t, e.srv.URL, "StartUserImportJob", `{"UserPoolId":"us-east-1_abcdefghi"}`)
	wantWireError(t, r, "InvalidParameterException", "1 validation error detected: Value null at 'jobId' failed to satisfy constraint: Member must not be null")
}

func TestWireValidation(t *testing.T) {
	e := start(t)
	const nullPool = "1 validation error detected: Value null at 'userPoolId' failed to satisfy constraint: Member must not be null"
	wantWireError(t, call(t, e.srv.URL, "DescribeUserPool", `{}`), "InvalidParameterException", nullPool)
	wantWireError(t, call(t, e.srv.URL, "DescribeUserPool", `{"UserPoolId": null}`), "InvalidParameterException", nullPool)
	// An empty body is {}.
	wantWireError(t, call(t, e.srv.URL, "DescribeUserPool", ``), "InvalidParameterException", nullPool)
	wantWireError(t, call(t, e.srv.URL, "DescribeUserPool", "  \n"), "InvalidParameterException", nullPool)
	wantWireError(t, call(t, e.srv.URL, "CreateUserPool", ``), "InvalidParameterException",
		"1 validation error detected: Value null at 'poolName' failed to satisfy constraint: Member must not be null")

	r := call(t, e.srv.URL, "AdminGetUser", `{}`)
	wantWireError(t, r, "InvalidParameterException", "")
	msg := r.JSON(t)["message"].(string)
	if !strings.HasPrefix(msg, "2 validation errors detected: ") ||
		!strings.Contains(msg, "Value null at 'userPoolId' failed to satisfy constraint: Member must not be null") ||
		!strings.Contains(msg, "Value null at 'username' failed to satisfy constraint: Member must not be null") ||
		strings.Count(msg, "; ") != 1 {
		t.Fatalf("message = %q", msg)
	}

	wantWireError(t, call(t, e.srv.URL, "DescribeUserPool", `{"UserPoolId": "no pool"}`), "InvalidParameterException",
		"1 validation error detected: Value 'no pool' at 'userPoolId' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w-]+_[0-9a-zA-Z]+")
	wantWireError(t, call(t, e.srv.URL, "ListUserPools", `{"MaxResults": 0}`), "InvalidParameterException",
		"1 validation error detected: Value '0' at 'maxResults' failed to satisfy constraint: Member must have value greater than or equal to 1")
	wantWireError(t, call(t, e.srv.URL, "ListUserPools", `{"MaxResults": 61}`), "InvalidParameterException",
		"1 validation error detected: Value '61' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 60")
	r = call(t, e.srv.URL, "CreateUserPool", `{"PoolName": "p", "MfaConfiguration": "MAYBE"}`)
	wantWireError(t, r, "InvalidParameterException", "")
	if msg := r.JSON(t)["message"].(string); !strings.HasPrefix(msg, "1 validation error detected: Value 'MAYBE' at 'mfaConfiguration' failed to satisfy constraint: Member must satisfy enum value set: [") {
		t.Fatalf("enum message = %q", msg)
	}

	// The SDK sees the same exception.
	_, err := e.c.DescribeUserPool(t.Context(), &cip.DescribeUserPoolInput{UserPoolId: aws.String("no pool")})
	wantErrPrefix[*types.InvalidParameterException](t, err, "1 validation error detected: Value 'no pool' at 'userPoolId'")
}

func TestWireSuccessEnvelope(t *testing.T) {
	e := start(t)
	r := call(t, e.srv.URL, "ListUserPools", `{"MaxResults": 5}`)
	if r.Status != http.StatusOK {
		t.Fatalf("status = %d: %s", r.Status, r.Body)
	}
	if got := strings.TrimSpace(string(r.Body)); got != `{"UserPools":[]}` {
		t.Fatalf("body = %s", got)
	}
	if !uuidV4.MatchString(r.Header.Get("x-amzn-RequestId")) {
		t.Fatalf("x-amzn-RequestId = %q", r.Header.Get("x-amzn-RequestId"))
	}
	if r.Header.Get("x-amzn-ErrorType") != "" {
		t.Fatalf("x-amzn-ErrorType on success: %q", r.Header.Get("x-amzn-ErrorType"))
	}
	if ct := r.Header.Get("Content-Type"); ct != "application/x-amz-json-1.1" {
		t.Fatalf("Content-Type = %q", ct)
	}
	// Operations without output answer {}.
	pool := e.pool(nil)
	r = call(t, e.srv.URL, "DeleteUserPool", `{"UserPoolId":"`+pool+`"}`)
	if r.Status != http.StatusOK || strings.TrimSpace(string(r.Body)) != "{}" {
		t.Fatalf("DeleteUserPool = %d %s", r.Status, r.Body)
	}
	// Request IDs differ per request.
	a := call(t, e.srv.URL, "ListUserPools", `{"MaxResults": 5}`).Header.Get("x-amzn-RequestId")
	b := call(t, e.srv.URL, "ListUserPools", `{"MaxResults": 5}`).Header.Get("x-amzn-RequestId")
	if a == b {
		t.Fatalf("request IDs repeat: %s", a)
	}
}

func TestWireRequestIDEverywhere(t *testing.T) {
	e := start(t)
	pool := e.pool(nil)
	for _, r := range []struct {
		name string
		resp rawResponse
	}{
		{"api ok", call(t, e.srv.URL, "DescribeUserPool", `{"UserPoolId":"`+pool+`"}`)},
		{"api error", call(t, e.srv.URL, "DescribeUserPool", `{"UserPoolId":"us-east-1_000000000"}`)},
		{"serialization", call(t, e.srv.URL, "DescribeUserPool", `{`)},
		{"unknown op", call(t, e.srv.URL, "Nope", `{}`)},
		{"preflight", raw(t, http.MethodOptions, e.srv.URL+"/", "", "", map[string]string{"Origin": "http://localhost:3000", "Access-Control-Request-Method": "POST"})},
		{"not found", raw(t, http.MethodGet, e.srv.URL+"/nowhere", "", "", nil)},
		{"outbox", raw(t, http.MethodGet, e.srv.URL+"/_userpool/outbox?userPoolId="+pool, "", "", nil)},
		{"health", raw(t, http.MethodGet, e.srv.URL+"/health", "", "", nil)},
	} {
		if !uuidV4.MatchString(r.resp.Header.Get("x-amzn-RequestId")) {
			t.Errorf("%s: x-amzn-RequestId = %q", r.name, r.resp.Header.Get("x-amzn-RequestId"))
		}
		if r.resp.Status >= 500 {
			t.Errorf("%s: status %d", r.name, r.resp.Status)
		}
	}
}

func TestWireCORS(t *testing.T) {
	e := start(t)
	r := raw(t, http.MethodOptions, e.srv.URL+"/", "", "", map[string]string{
		"Origin":                         "http://localhost:3000",
		"Access-Control-Request-Method":  "POST",
		"Access-Control-Request-Headers": "content-type,x-amz-target,x-amz-user-agent",
	})
	if r.Status != http.StatusNoContent && r.Status != http.StatusOK {
		t.Fatalf("preflight status = %d", r.Status)
	}
	h := r.Header
	if h.Get("Access-Control-Allow-Origin") != "http://localhost:3000" {
		t.Fatalf("Allow-Origin = %q", h.Get("Access-Control-Allow-Origin"))
	}
	if !strings.Contains(h.Get("Access-Control-Allow-Methods"), "POST") {
		t.Fatalf("Allow-Methods = %q", h.Get("Access-Control-Allow-Methods"))
	}
	allowed := strings.ToLower(h.Get("Access-Control-Allow-Headers"))
	for _, want := range []string{"content-type", "x-amz-target", "x-amz-user-agent"} {
		if !strings.Contains(allowed, want) {
			t.Fatalf("Allow-Headers = %q, missing %s", allowed, want)
		}
	}
	// A preflight without a header list still allows what the SDKs send.
	r = raw(t, http.MethodOptions, e.srv.URL+"/", "", "", map[string]string{"Origin": "http://a.test", "Access-Control-Request-Method": "POST"})
	allowed = strings.ToLower(r.Header.Get("Access-Control-Allow-Headers"))
	for _, want := range []string{"content-type", "x-amz-target", "authorization", "x-amz-date"} {
		if !strings.Contains(allowed, want) {
			t.Fatalf("default Allow-Headers = %q, missing %s", allowed, want)
		}
	}

	// Answers (success and error) carry the CORS headers and expose the
	// AWS headers the SDKs read.
	for _, body := range []string{`{"MaxResults": 1}`, `{}`} {
		r = raw(t, http.MethodPost, e.srv.URL+"/", "ListUserPools", body, map[string]string{"Origin": "http://localhost:3000"})
		if r.Header.Get("Access-Control-Allow-Origin") != "http://localhost:3000" {
			t.Fatalf("answer Allow-Origin = %q", r.Header.Get("Access-Control-Allow-Origin"))
		}
		exposed := strings.ToLower(r.Header.Get("Access-Control-Expose-Headers"))
		for _, want := range []string{"x-amzn-requestid", "x-amzn-errortype", "x-amzn-errormessage"} {
			if !strings.Contains(exposed, want) {
				t.Fatalf("Expose-Headers = %q, missing %s", exposed, want)
			}
		}
	}
	r = call(t, e.srv.URL, "ListUserPools", `{"MaxResults": 1}`)
	if r.Header.Get("Access-Control-Allow-Origin") != "*" {
		t.Fatalf("Allow-Origin without Origin = %q", r.Header.Get("Access-Control-Allow-Origin"))
	}
}

// TestWireNeverInternalError sends every operation inputs that are wrong in
// assorted ways: each must be a 4xx with an exception type, never a 500.
func TestWireNeverInternalError(t *testing.T) {
	e := start(t)
	pool := e.pool(func(in *cip.CreateUserPoolInput) { in.DeletionProtection = types.DeletionProtectionTypeActive })
	client := aws.ToString(e.client(pool, nil).ClientId)
	names := make([]string, 0, len(api.Operations))
	for name := range api.Operations {
		names = append(names, name)
	}
	sort.Strings(names)
	bodies := []string{
		``, `{}`, `null`, `[]`, `{"UserPoolId": "` + pool + `"}`,
		`{"UserPoolId": "us-east-1_000000000", "Username": "x", "ClientId": "nope", "MaxResults": 1, "Limit": 1}`,
		`{"UserPoolId": "` + pool + `", "Username": "x", "ClientId": "` + client + `", "MaxResults": 60, "Limit": 60}`,
		`{"UserPoolId": 1}`, `{"UserPoolId": "` + pool + `", "UserAttributes": [{}]}`,
	}
	for _, name := range names {
		for _, body := range bodies {
			r := call(t, e.srv.URL, name, body)
			if r.Status == http.StatusOK {
				continue
			}
			if r.Status != http.StatusBadRequest {
				t.Errorf("%s %s: status %d: %s", name, body, r.Status, r.Body)
				continue
			}
			if typ, _ := r.JSON(t)["__type"].(string); typ == "" || typ == "InternalErrorException" {
				t.Errorf("%s %s: %s", name, body, r.Body)
			}
		}
	}

	// Oversized bodies.
	big := `{"PoolName": "` + strings.Repeat("a", 2<<20) + `"}`
	wantWireError(t, call(t, e.srv.URL, "CreateUserPool", big), "SerializationException", "")
}
