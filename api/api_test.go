package api

import (
	"context"
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"
)

// validationMessage runs in.Validate and returns the InvalidParameterException
// message ("" when valid).
func validationMessage(t *testing.T, in Input) string {
	t.Helper()
	err := in.Validate()
	if err == nil {
		return ""
	}
	var ipe *InvalidParameterException
	if !errors.As(err, &ipe) {
		t.Fatalf("Validate returned %T %v, want *InvalidParameterException", err, err)
	}
	if ipe.ErrorCode() != "InvalidParameterException" || ipe.HTTPStatus() != 400 {
		t.Fatalf("unexpected exception %s/%d", ipe.ErrorCode(), ipe.HTTPStatus())
	}
	return ipe.ErrorMessage()
}

const poolID = "us-east-1_AbC123"

func TestValidationMessages(t *testing.T) {
	tests := []struct {
		name string
		in   Input
		want string
	}{
		{
			name: "valid",
			in:   &AdminGetUserRequest{UserPoolId: String(poolID), Username: String("alice")},
			want: "",
		},
		{
			name: "missing required",
			in:   &AdminGetUserRequest{Username: String("alice")},
			want: "1 validation error detected: Value null at 'userPoolId' failed to satisfy constraint: Member must not be null",
		},
		{
			name: "nil input",
			in:   (*AdminGetUserRequest)(nil),
			want: "2 validation errors detected: Value null at 'userPoolId' failed to satisfy constraint: Member must not be null; " +
				"Value null at 'username' failed to satisfy constraint: Member must not be null",
		},
		{
			name: "pattern",
			in:   &AdminGetUserRequest{UserPoolId: String("bad"), Username: String("alice")},
			want: `1 validation error detected: Value 'bad' at 'userPoolId' failed to satisfy constraint: Member must satisfy regular expression pattern: [\w-]+_[0-9a-zA-Z]+`,
		},
		{
			name: "sensitive empty username",
			in:   &AdminGetUserRequest{UserPoolId: String(poolID), Username: String("")},
			want: "2 validation errors detected: Value at 'username' failed to satisfy constraint: Member must have length greater than or equal to 1; " +
				`Value at 'username' failed to satisfy constraint: Member must satisfy regular expression pattern: [\p{L}\p{M}\p{S}\p{N}\p{P}]+`,
		},
		{
			name: "length in UTF-16 code units",
			in:   &AdminGetUserRequest{UserPoolId: String(poolID), Username: String(strings.Repeat("😀", 65))},
			want: "1 validation error detected: Value at 'username' failed to satisfy constraint: Member must have length less than or equal to 128",
		},
		{
			name: "enum in list",
			in: &CreateUserPoolClientRequest{
				UserPoolId:        String(poolID),
				ClientName:        String("app"),
				ExplicitAuthFlows: []string{"FOO", "BAR"},
			},
			want: "1 validation error detected: Value '[FOO, BAR]' at 'explicitAuthFlows' failed to satisfy constraint: " +
				"Member must satisfy constraint: [Member must satisfy enum value set: [ADMIN_NO_SRP_AUTH, CUSTOM_AUTH_FLOW_ONLY, " +
				"USER_PASSWORD_AUTH, ALLOW_ADMIN_USER_PASSWORD_AUTH, ALLOW_CUSTOM_AUTH, ALLOW_USER_PASSWORD_AUTH, ALLOW_USER_SRP_AUTH, " +
				"ALLOW_REFRESH_TOKEN_AUTH, ALLOW_USER_AUTH]]",
		},
		{
			name: "valid enum list",
			in: &CreateUserPoolClientRequest{
				UserPoolId:        String(poolID),
				ClientName:        String("app"),
				ExplicitAuthFlows: []string{ExplicitAuthFlowsTypeAllowUserSrpAuth, ExplicitAuthFlowsTypeAllowRefreshTokenAuth},
			},
			want: "",
		},
		{
			name: "enum",
			in:   &AdminCreateUserRequest{UserPoolId: String(poolID), Username: String("bob"), MessageAction: String("NOPE")},
			want: "1 validation error detected: Value 'NOPE' at 'messageAction' failed to satisfy constraint: Member must satisfy enum value set: [RESEND, SUPPRESS]",
		},
		{
			name: "nested path",
			in: &CreateUserPoolRequest{
				PoolName: String("pool"),
				Policies: &UserPoolPolicyType{PasswordPolicy: &PasswordPolicyType{MinimumLength: Int32(3)}},
			},
			want: "1 validation error detected: Value '3' at 'policies.passwordPolicy.minimumLength' failed to satisfy constraint: Member must have value greater than or equal to 6",
		},
		{
			name: "list element path",
			in: &AdminCreateUserRequest{
				UserPoolId:     String(poolID),
				Username:       String("bob"),
				UserAttributes: []AttributeType{{Name: String("email"), Value: String("a@example.com")}, {Value: String("x")}},
			},
			want: "1 validation error detected: Value null at 'userAttributes.2.member.name' failed to satisfy constraint: Member must not be null",
		},
		{
			name: "list element path first",
			in: &AdminCreateUserRequest{
				UserPoolId:     String(poolID),
				Username:       String("bob"),
				UserAttributes: []AttributeType{{Value: String("x")}},
			},
			want: "1 validation error detected: Value null at 'userAttributes.1.member.name' failed to satisfy constraint: Member must not be null",
		},
		{
			name: "integer max",
			in:   &ListUsersRequest{UserPoolId: String(poolID), Limit: Int32(61)},
			want: "1 validation error detected: Value '61' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 60",
		},
		{
			name: "map keys",
			in:   &TagResourceRequest{ResourceArn: String("arn:aws:cognito-idp:us-east-1:123456789012:userpool/" + poolID), Tags: map[string]string{"": "v"}},
			want: "1 validation error detected: Value at 'tags' failed to satisfy constraint: Map keys must satisfy constraint: " +
				"[Member must have length less than or equal to 128, Member must have length greater than or equal to 1]",
		},
		{
			name: "document null is missing",
			in:   &CompleteWebAuthnRegistrationRequest{AccessToken: String("t"), Credential: json.RawMessage("null")},
			want: "1 validation error detected: Value null at 'credential' failed to satisfy constraint: Member must not be null",
		},
		{
			name: "document present",
			in:   &CompleteWebAuthnRegistrationRequest{AccessToken: String("t"), Credential: json.RawMessage(`{"id":"x"}`)},
			want: "",
		},
		{
			name: "several members in model order",
			in:   &AdminCreateUserRequest{UserPoolId: String("x"), MessageAction: String("NOPE")},
			want: "3 validation errors detected: " +
				"Value 'NOPE' at 'messageAction' failed to satisfy constraint: Member must satisfy enum value set: [RESEND, SUPPRESS]; " +
				`Value 'x' at 'userPoolId' failed to satisfy constraint: Member must satisfy regular expression pattern: [\w-]+_[0-9a-zA-Z]+; ` +
				"Value null at 'username' failed to satisfy constraint: Member must not be null",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := validationMessage(t, tt.in); got != tt.want {
				t.Errorf("got  %q\nwant %q", got, tt.want)
			}
		})
	}
}

func TestPatternsCompile(t *testing.T) {
	for _, re := range allPatterns {
		_ = re.regexp() // panics on a bad pattern
	}
	// Java's \s includes \x0B, which RE2's \s does not.
	if !reClientNameType.MatchString("my\x0Bapp") {
		t.Error(`translated \s should match \x0B`)
	}
	if reConfirmationCodeType.MatchString("12\x0B34") {
		t.Error(`translated [\S]+ should not match \x0B`)
	}
	// Java's '.' does not match line terminators.
	if reSmsVerificationMessageType.MatchString("code\r{####}") {
		t.Error(`translated . should not match \r`)
	}
	if !reSmsVerificationMessageType.MatchString("Your code is {####}.") {
		t.Error("SMS message pattern should match")
	}
}

func TestJSONRoundTrip(t *testing.T) {
	ts := time.Date(2024, 11, 25, 9, 20, 0, 123_000_000, time.UTC)
	out := &ListUsersResponse{Users: []UserType{}}
	b, err := json.Marshal(out)
	if err != nil {
		t.Fatal(err)
	}
	if string(b) != `{"Users":[]}` {
		t.Errorf("empty list: got %s", b)
	}
	if b, _ := json.Marshal(&ListUsersResponse{}); string(b) != `{}` {
		t.Errorf("nil list: got %s", b)
	}

	out = &ListUsersResponse{Users: []UserType{{
		Username:             String("alice"),
		Enabled:              Bool(true),
		UserStatus:           String(UserStatusTypeForceChangePassword),
		UserCreateDate:       NewTimestamp(ts),
		UserLastModifiedDate: NewTimestamp(ts.Truncate(time.Second)),
		Attributes:           []AttributeType{{Name: String("email"), Value: String("a@example.com")}},
		MFAOptions:           []MFAOptionType{},
	}}}
	b, err = json.Marshal(out)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"Users":[{"Attributes":[{"Name":"email","Value":"a@example.com"}],"Enabled":true,"MFAOptions":[],` +
		`"UserCreateDate":1732526400.123,"UserLastModifiedDate":1732526400,"UserStatus":"FORCE_CHANGE_PASSWORD","Username":"alice"}]}`
	if string(b) != want {
		t.Errorf("got  %s\nwant %s", b, want)
	}
	var back ListUsersResponse
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(&back, out) {
		t.Errorf("round trip mismatch:\n got %+v\nwant %+v", back.Users[0], out.Users[0])
	}
}

func TestTimestamp(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want time.Time
	}{
		{`1732526400`, time.Unix(1732526400, 0)},
		{`1732526400.123`, time.Unix(1732526400, 123e6)},
		{`1732526400.5`, time.Unix(1732526400, 500e6)},
		{`"1732526400.123"`, time.Unix(1732526400, 123e6)},
		{`1.7325264001E9`, time.Unix(1732526400, 100e6)},
		{`-1.5`, time.Unix(-2, 500e6)},
	} {
		var ts Timestamp
		if err := json.Unmarshal([]byte(tt.in), &ts); err != nil {
			t.Errorf("%s: %v", tt.in, err)
			continue
		}
		if !ts.Equal(tt.want) {
			t.Errorf("%s: got %v want %v", tt.in, ts.Time, tt.want)
		}
	}
	for _, bad := range []string{`"x"`, `true`, `"1e999"`, `{}`} {
		var ts Timestamp
		if err := json.Unmarshal([]byte(bad), &ts); err == nil {
			t.Errorf("%s: expected error", bad)
		}
	}
	b, _ := json.Marshal(NewTimestamp(time.Unix(-2, 500e6)))
	if string(b) != "-1.5" {
		t.Errorf("negative: got %s", b)
	}
}

func TestHelpers(t *testing.T) {
	if ToString(nil) != "" || ToString(String("a")) != "a" ||
		ToInt32(nil) != 0 || ToInt32(Int32(3)) != 3 ||
		ToInt64(nil) != 0 || ToInt64(Int64(4)) != 4 ||
		ToBool(nil) || !ToBool(Bool(true)) {
		t.Error("pointer helpers")
	}
}

func TestExceptions(t *testing.T) {
	var e Exception = NewUserNotFoundException("User does not exist.")
	if e.Error() != "UserNotFoundException: User does not exist." || e.ErrorCode() != "UserNotFoundException" ||
		e.ErrorMessage() != "User does not exist." || e.HTTPStatus() != 400 {
		t.Errorf("UserNotFoundException: %v %s %s %d", e, e.ErrorCode(), e.ErrorMessage(), e.HTTPStatus())
	}
	if NewInternalErrorException("x").HTTPStatus() != 500 || NewInternalServerException("x").HTTPStatus() != 500 {
		t.Error("faults should be 500")
	}
	for _, e := range []Exception{NewUnknownOperationException("x"), NewSerializationException("x")} {
		if e.HTTPStatus() != 400 || IsModeledException(e.ErrorCode()) {
			t.Errorf("%s", e.ErrorCode())
		}
	}
	if !IsModeledException("NotAuthorizedException") || IsModeledException("Nope") {
		t.Error("IsModeledException")
	}
	if e := NewModeledException("CodeMismatchException", "m"); e == nil || e.ErrorCode() != "CodeMismatchException" || e.ErrorMessage() != "m" {
		t.Errorf("NewModeledException: %v", e)
	}
	if NewModeledException("Nope", "m") != nil {
		t.Error("NewModeledException should return nil for unknown names")
	}
	// Every exception an operation lists is modeled.
	for _, op := range Operations {
		for _, name := range op.Errors {
			if !IsModeledException(name) {
				t.Errorf("%s: %s not modeled", op.Name, name)
			}
		}
	}
}

func TestOperations(t *testing.T) {
	if len(Operations) != 129 {
		t.Fatalf("len(Operations) = %d, want 129", len(Operations))
	}
	for name, op := range Operations {
		if op.Name != name {
			t.Errorf("%s: Name %q", name, op.Name)
		}
		in := op.NewInput()
		if got := reflect.TypeOf(in).String(); got != "*api."+name+"Request" {
			t.Errorf("%s: NewInput returns %s", name, got)
		}
		if _, ok := reflect.TypeOf((*Service)(nil)).Elem().MethodByName(name); !ok {
			t.Errorf("%s: not a Service method", name)
		}
		out, err := op.Invoke(context.Background(), UnimplementedService{}, in)
		if out != nil {
			t.Errorf("%s: Invoke returned non-nil output %#v", name, out)
		}
		var uoe *UnsupportedOperationException
		if !errors.As(err, &uoe) || uoe.ErrorMessage() != name+" is not implemented by userpool yet" {
			t.Errorf("%s: Invoke error %v", name, err)
		}
		if len(op.Errors) == 0 {
			t.Errorf("%s: no errors", name)
		}
	}
	for _, name := range []string{"SignUp", "InitiateAuth", "ConfirmSignUp", "RespondToAuthChallenge"} {
		if !Operations[name].NoAuth {
			t.Errorf("%s should be NoAuth", name)
		}
	}
	for _, name := range []string{"AdminGetUser", "CreateUserPool"} {
		if Operations[name].NoAuth {
			t.Errorf("%s should not be NoAuth", name)
		}
	}
}

// fakeService answers AdminGetUser and AdminDeleteUser; the rest are unimplemented.
type fakeService struct {
	UnimplementedService
	nilOutput bool
}

func (f fakeService) AdminGetUser(_ context.Context, in *AdminGetUserRequest) (*AdminGetUserResponse, error) {
	if f.nilOutput {
		return nil, nil
	}
	return &AdminGetUserResponse{Username: in.Username}, nil
}

func (fakeService) AdminDeleteUser(context.Context, *AdminDeleteUserRequest) error { return nil }

func TestInvoke(t *testing.T) {
	ctx := context.Background()
	out, err := Operations["AdminGetUser"].Invoke(ctx, fakeService{}, &AdminGetUserRequest{Username: String("bob")})
	if err != nil || ToString(out.(*AdminGetUserResponse).Username) != "bob" {
		t.Errorf("AdminGetUser: %v %v", out, err)
	}
	out, err = Operations["AdminGetUser"].Invoke(ctx, fakeService{nilOutput: true}, &AdminGetUserRequest{})
	if out != nil || err != nil {
		t.Errorf("nil output: got %#v, %v; want untyped nil", out, err)
	}
	out, err = Operations["AdminDeleteUser"].Invoke(ctx, fakeService{}, &AdminDeleteUserRequest{})
	if out != nil || err != nil {
		t.Errorf("AdminDeleteUser: %#v %v", out, err)
	}
	// A mismatched input type is an error, not a panic.
	_, err = Operations["AdminDeleteUser"].Invoke(ctx, fakeService{}, &AdminGetUserRequest{})
	var se *SerializationException
	if !errors.As(err, &se) {
		t.Errorf("wrong input type: %v", err)
	}
}

func TestValidateZeroInputs(t *testing.T) {
	for name, op := range Operations {
		in := op.NewInput()
		err := in.Validate()
		if err != nil {
			var ipe *InvalidParameterException
			if !errors.As(err, &ipe) {
				t.Errorf("%s: %T", name, err)
			}
		}
		// A typed nil input must not panic either.
		nilIn := reflect.Zero(reflect.TypeOf(in)).Interface().(Input)
		err2 := nilIn.Validate()
		if (err == nil) != (err2 == nil) || (err != nil && err.Error() != err2.Error()) {
			t.Errorf("%s: nil input %v, zero input %v", name, err2, err)
		}
	}
}

var fuzzSeeds = []string{
	`{}`,
	`null`,
	`{"UserPoolId":"us-east-1_abc","Username":""}`,
	`{"UserPoolId":"bad","ClientId":"x","AuthFlow":"NOPE","AuthParameters":{"USERNAME":"a"}}`,
	`{"UserAttributes":[null,{},{"Name":""}],"ValidationData":[{"Name":"a","Value":"b"}]}`,
	`{"ExplicitAuthFlows":["FOO",""],"CallbackURLs":[""],"AllowedOAuthFlows":["code","x","y","z"]}`,
	`{"Policies":{"PasswordPolicy":{"MinimumLength":-1,"TemporaryPasswordValidityDays":999}},"Schema":[{"Name":""},{}]}`,
	`{"UserPoolTags":{"":"v"},"Links":{"cognito:default":"","bad":"x"},"Tags":{}}`,
	`{"Credential":null,"Settings":{"a":1},"Assets":[{"Bytes":"AAEC","Category":"NOPE"}]}`,
	`{"Limit":2147483647,"MaxResults":-2147483648,"Precedence":-1}`,
	`{"MFAOptions":[{"DeliveryMedium":"X"}],"RecoveryMechanisms":[{"Priority":3}],"AccountRecoverySetting":{"RecoveryMechanisms":[{}]}}`,
}

func FuzzValidate(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	names := make([]string, 0, len(Operations))
	for name := range Operations {
		names = append(names, name)
	}
	f.Fuzz(func(t *testing.T, data string) {
		for _, name := range names {
			in := Operations[name].NewInput()
			if json.Unmarshal([]byte(data), in) != nil {
				continue
			}
			if err := in.Validate(); err != nil {
				if _, ok := err.(*InvalidParameterException); !ok {
					t.Fatalf("%s: Validate returned %T", name, err)
				}
			}
		}
	})
}
