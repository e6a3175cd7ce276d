package e2e

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

// secretHash is SECRET_HASH as the Developer Guide defines it.
func secretHash(secret, username, clientID string) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(username + clientID))
	return base64.StdEncoding.EncodeToString(m.Sum(nil))
}

func wantDelivery(t *testing.T, d *types.CodeDeliveryDetailsType, dest string, medium types.DeliveryMediumType, attr string) {
	t.Helper()
	if d == nil || aws.ToString(d.Destination) != dest || d.DeliveryMedium != medium || aws.ToString(d.AttributeName) != attr {
		t.Fatalf("CodeDeliveryDetails = %+v, want %s %s %s", d, dest, medium, attr)
	}
}

// signUpEnv is a pool that auto-verifies email, with a client.
func signUpEnv(t *testing.T, poolMod func(*cip.CreateUserPoolInput), clientMod func(*cip.CreateUserPoolClientInput)) (*env, string, string) {
	e := start(t)
	pool := e.pool(func(in *cip.CreateUserPoolInput) {
		in.AutoVerifiedAttributes = []types.VerifiedAttributeType{"email"}
		if poolMod != nil {
			poolMod(in)
		}
	})
	return e, pool, aws.ToString(e.client(pool, clientMod).ClientId)
}

func (e *env) confirm(clientID, username, code string) error {
	_, err := e.c.ConfirmSignUp(e.t.Context(), &cip.ConfirmSignUpInput{ClientId: aws.String(clientID), Username: aws.String(username), ConfirmationCode: aws.String(code)})
	return err
}

func (e *env) resend(clientID, username string) (*cip.ResendConfirmationCodeOutput, error) {
	return e.c.ResendConfirmationCode(e.t.Context(), &cip.ResendConfirmationCodeInput{ClientId: aws.String(clientID), Username: aws.String(username)})
}

func TestSignUpAndConfirm(t *testing.T) {
	e, pool, client := signUpEnv(t, nil, nil)
	out := e.signUp(client, "bob", "email", "bob@example.com", "name", "Bob")
	if out.UserConfirmed || !uuidV4.MatchString(aws.ToString(out.UserSub)) {
		t.Fatalf("SignUp = %+v", out)
	}
	wantDelivery(t, out.CodeDeliveryDetails, "b***@e***.com", types.DeliveryMediumTypeEmail, "email")
	u := e.getUser(pool, "bob")
	m := attrMap(u.UserAttributes)
	if !u.UserCreateDate.Equal(*u.UserLastModifiedDate) {
		t.Fatalf("new user: created %v, last modified %v", u.UserCreateDate, u.UserLastModifiedDate)
	}
	if u.UserStatus != types.UserStatusTypeUnconfirmed || !u.Enabled || m["sub"] != aws.ToString(out.UserSub) || m["name"] != "Bob" || m["email_verified"] == "true" {
		t.Fatalf("user %s %v %v", u.UserStatus, u.Enabled, m)
	}
	msgs := e.srv.Outbox(t, pool, "bob")
	if len(msgs) != 1 || msgs[0].Medium != "EMAIL" || msgs[0].Destination != "bob@example.com" || !sixDigits.MatchString(msgs[0].Code) ||
		msgs[0].Subject != "Your verification code" || msgs[0].Body != "Your verification code is "+msgs[0].Code+". " {
		t.Fatalf("outbox %+v", msgs)
	}
	if err := e.confirm(client, "bob", msgs[0].Code); err != nil {
		t.Fatal(err)
	}
	created := *u.UserCreateDate
	u = e.getUser(pool, "bob")
	if !u.UserCreateDate.Equal(created) || !u.UserLastModifiedDate.After(created) {
		t.Fatalf("confirmed user: created %v, last modified %v", u.UserCreateDate, u.UserLastModifiedDate)
	}
	if u.UserStatus != types.UserStatusTypeConfirmed || attrMap(u.UserAttributes)["email_verified"] != "true" {
		t.Fatalf("after confirm: %s %v", u.UserStatus, attrMap(u.UserAttributes))
	}
	// Confirming again is refused.
	wantErr[*types.NotAuthorizedException](t, e.confirm(client, "bob", msgs[0].Code), "User cannot be confirmed. Current status is CONFIRMED")
	_, err := e.resend(client, "bob")
	wantErr[*types.InvalidParameterException](t, err, "User is already confirmed.")

	_, err = e.c.SignUp(t.Context(), &cip.SignUpInput{ClientId: aws.String(client), Username: aws.String("bob"), Password: aws.String(goodPassword)})
	wantErr[*types.UsernameExistsException](t, err, "User already exists")
}

func TestSignUpMessageTemplate(t *testing.T) {
	e, pool, client := signUpEnv(t, func(in *cip.CreateUserPoolInput) {
		in.VerificationMessageTemplate = &types.VerificationMessageTemplateType{EmailSubject: aws.String("Welcome!"), EmailMessage: aws.String("Hello {username}, use {####}.")}
	}, nil)
	e.signUp(client, "bob", "email", "bob@example.com")
	msgs := e.srv.Outbox(t, pool, "bob")
	if len(msgs) != 1 || msgs[0].Subject != "Welcome!" || msgs[0].Body != "Hello bob, use "+msgs[0].Code+"." {
		t.Fatalf("outbox %+v", msgs)
	}
}

func TestSignUpDeliveryBySMS(t *testing.T) {
	e, pool, client := signUpEnv(t, func(in *cip.CreateUserPoolInput) {
		in.AutoVerifiedAttributes = []types.VerifiedAttributeType{"email", "phone_number"}
	}, nil)
	// SMS is preferred when both are auto-verified.
	out := e.signUp(client, "bob", "email", "bob@example.com", "phone_number", "+15551231234")
	wantDelivery(t, out.CodeDeliveryDetails, "+*******1234", types.DeliveryMediumTypeSms, "phone_number")
	msgs := e.srv.Outbox(t, pool, "bob")
	if len(msgs) != 1 || msgs[0].Medium != "SMS" || msgs[0].Destination != "+15551231234" || msgs[0].Subject != "" {
		t.Fatalf("outbox %+v", msgs)
	}
	if err := e.confirm(client, "bob", msgs[0].Code); err != nil {
		t.Fatal(err)
	}
	if m := attrMap(e.getUser(pool, "bob").UserAttributes); m["phone_number_verified"] != "true" || m["email_verified"] == "true" {
		t.Fatalf("after SMS confirm: %v", m)
	}
	// Without a phone number the code goes by email.
	out = e.signUp(client, "amy", "email", "amy@example.com")
	wantDelivery(t, out.CodeDeliveryDetails, "a***@e***.com", types.DeliveryMediumTypeEmail, "email")
	_, err := e.resend(client, "bob")
	wantErr[*types.InvalidParameterException](t, err, "User is already confirmed.")
	res := try(e.resend(client, "amy")).ok(t)
	wantDelivery(t, res.CodeDeliveryDetails, "a***@e***.com", types.DeliveryMediumTypeEmail, "email")

	// A pool that auto-verifies only email sends there even when a phone is given.
	pool2 := e.pool(func(in *cip.CreateUserPoolInput) { in.AutoVerifiedAttributes = []types.VerifiedAttributeType{"email"} })
	client2 := aws.ToString(e.client(pool2, nil).ClientId)
	out = e.signUp(client2, "bob", "email", "bob@example.com", "phone_number", "+15551231234")
	wantDelivery(t, out.CodeDeliveryDetails, "b***@e***.com", types.DeliveryMediumTypeEmail, "email")

	// A pool that verifies nothing sends nothing.
	pool3 := e.pool(nil)
	client3 := aws.ToString(e.client(pool3, nil).ClientId)
	out = e.signUp(client3, "bob", "email", "bob@example.com")
	if out.CodeDeliveryDetails != nil || out.UserConfirmed {
		t.Fatalf("no auto-verification: %+v", out)
	}
	if msgs := e.srv.Outbox(t, pool3, ""); len(msgs) != 0 {
		t.Fatalf("no auto-verification sent %+v", msgs)
	}
}

func TestSignUpPasswordPolicy(t *testing.T) {
	e, pool, client := signUpEnv(t, nil, nil)
	for pw, reason := range map[string]string{
		"Ab1!x":     "Password not long enough",
		"abcdefg1!": "Password must have uppercase characters",
		"ABCDEFG1!": "Password must have lowercase characters",
		"Abcdefgh!": "Password must have numeric characters",
		"Abcdefg12": "Password must have symbol characters",
	} {
		_, err := e.c.SignUp(t.Context(), &cip.SignUpInput{ClientId: aws.String(client), Username: aws.String("bob"), Password: aws.String(pw)})
		wantErr[*types.InvalidPasswordException](t, err, "Password did not conform with policy: "+reason)
	}
	if n := e.describePool(pool).EstimatedNumberOfUsers; n != 0 {
		t.Fatalf("%d users after refused sign-ups", n)
	}
}

func TestSignUpSecretHash(t *testing.T) {
	e, pool, _ := signUpEnv(t, nil, nil)
	c := e.client(pool, func(in *cip.CreateUserPoolClientInput) { in.GenerateSecret = true })
	id, secret := aws.ToString(c.ClientId), aws.ToString(c.ClientSecret)
	signUp := func(username string, hash *string) error {
		_, err := e.c.SignUp(t.Context(), &cip.SignUpInput{ClientId: aws.String(id), Username: aws.String(username), Password: aws.String(goodPassword),
			SecretHash: hash, UserAttributes: attrs("email", username+"@example.com")})
		return err
	}
	wantErr[*types.NotAuthorizedException](t, signUp("bob", nil), "Client "+id+" is configured for secret but secret was not received")
	wantErr[*types.NotAuthorizedException](t, signUp("bob", aws.String(secretHash(secret, "alice", id))), "Unable to verify secret hash for client "+id)
	wantErr[*types.NotAuthorizedException](t, signUp("bob", aws.String(secretHash("wrong", "bob", id))), "Unable to verify secret hash for client "+id)
	wantErr[*types.NotAuthorizedException](t, signUp("bob", aws.String("bm90+dGhl/aGFzaA==")), "Unable to verify secret hash for client "+id)
	if err := signUp("bob", aws.String(secretHash(secret, "bob", id))); err != nil {
		t.Fatal(err)
	}
	// ResendConfirmationCode and ConfirmSignUp need it too.
	_, err := e.resend(id, "bob")
	wantErr[*types.NotAuthorizedException](t, err, "Client "+id+" is configured for secret but secret was not received")
	_, err = e.c.ResendConfirmationCode(t.Context(), &cip.ResendConfirmationCodeInput{ClientId: aws.String(id), Username: aws.String("bob"), SecretHash: aws.String(secretHash(secret, "bob", id))})
	if err != nil {
		t.Fatal(err)
	}
	code := e.srv.LastCode(t, pool, "bob")
	wantErr[*types.NotAuthorizedException](t, e.confirm(id, "bob", code), "Client "+id+" is configured for secret but secret was not received")
	_, err = e.c.ConfirmSignUp(t.Context(), &cip.ConfirmSignUpInput{ClientId: aws.String(id), Username: aws.String("bob"), ConfirmationCode: aws.String(code), SecretHash: aws.String(secretHash(secret, "bob", "x"))})
	wantErr[*types.NotAuthorizedException](t, err, "Unable to verify secret hash for client "+id)
	_, err = e.c.ConfirmSignUp(t.Context(), &cip.ConfirmSignUpInput{ClientId: aws.String(id), Username: aws.String("bob"), ConfirmationCode: aws.String(code), SecretHash: aws.String(secretHash(secret, "bob", id))})
	if err != nil {
		t.Fatal(err)
	}
	if u := e.getUser(pool, "bob"); u.UserStatus != types.UserStatusTypeConfirmed {
		t.Fatalf("status %s", u.UserStatus)
	}
	// A client without a secret ignores a SecretHash.
	plain := aws.ToString(e.client(pool, nil).ClientId)
	_, err = e.c.SignUp(t.Context(), &cip.SignUpInput{ClientId: aws.String(plain), Username: aws.String("amy"), Password: aws.String(goodPassword), SecretHash: aws.String("anything")})
	if err != nil {
		t.Fatal(err)
	}
}

func TestSignUpSecretHashEmailUsername(t *testing.T) {
	e, pool, _ := signUpEnv(t, func(in *cip.CreateUserPoolInput) {
		in.UsernameAttributes = []types.UsernameAttributeType{"email"}
	}, nil)
	c := e.client(pool, func(in *cip.CreateUserPoolClientInput) { in.GenerateSecret = true })
	id, secret := aws.ToString(c.ClientId), aws.ToString(c.ClientSecret)
	const email = "bob@example.com"
	out := try(e.c.SignUp(t.Context(), &cip.SignUpInput{ClientId: aws.String(id), Username: aws.String(email), Password: aws.String(goodPassword), SecretHash: aws.String(secretHash(secret, email, id))})).ok(t)
	code := e.srv.LastCode(t, pool, email)
	try(e.c.ConfirmSignUp(t.Context(), &cip.ConfirmSignUpInput{ClientId: aws.String(id), Username: aws.String(email), ConfirmationCode: aws.String(code), SecretHash: aws.String(secretHash(secret, email, id))})).ok(t)
	if u := e.getUser(pool, aws.ToString(out.UserSub)); u.UserStatus != types.UserStatusTypeConfirmed {
		t.Fatalf("status %s", u.UserStatus)
	}
}

func TestSignUpRefused(t *testing.T) {
	e, pool, client := signUpEnv(t, func(in *cip.CreateUserPoolInput) {
		in.Schema = []types.SchemaAttributeType{{Name: aws.String("given_name"), AttributeDataType: types.AttributeDataTypeString, Required: aws.Bool(true), Mutable: aws.Bool(true)}}
	}, nil)
	signUp := func(client string, kv ...string) error {
		_, err := e.c.SignUp(t.Context(), &cip.SignUpInput{ClientId: aws.String(client), Username: aws.String("bob"), Password: aws.String(goodPassword), UserAttributes: attrs(kv...)})
		return err
	}
	const unauthorized = "A client attempted to write unauthorized attribute"
	wantErr[*types.NotAuthorizedException](t, signUp(client, "given_name", "Bob", "email", "bob@example.com", "email_verified", "true"), unauthorized)
	wantErr[*types.NotAuthorizedException](t, signUp(client, "given_name", "Bob", "phone_number_verified", "true"), unauthorized)
	limited := aws.ToString(e.client(pool, func(in *cip.CreateUserPoolClientInput) { in.WriteAttributes = []string{"given_name", "email"} }).ClientId)
	wantErr[*types.NotAuthorizedException](t, signUp(limited, "given_name", "Bob", "name", "Bob"), unauthorized)
	wantErr[*types.InvalidParameterException](t, signUp(client, "email", "bob@example.com"), "Attributes did not conform to the schema: given_name: The attribute is required")
	wantErr[*types.InvalidParameterException](t, signUp(client, "given_name", "Bob", "custom:nope", "x"), "Attributes did not conform to the schema: Type for attribute {custom:nope} could not be determined")
	wantErr[*types.InvalidParameterException](t, signUp(client, "given_name", "Bob", "email", "bob@"), "Invalid email address format.")
	_, err := e.c.SignUp(t.Context(), &cip.SignUpInput{ClientId: aws.String("nosuchclient"), Username: aws.String("bob"), Password: aws.String(goodPassword)})
	wantErr[*types.ResourceNotFoundException](t, err, "User pool client nosuchclient does not exist.")
	if n := e.describePool(pool).EstimatedNumberOfUsers; n != 0 {
		t.Fatalf("%d users after refused sign-ups", n)
	}
	if err := signUp(limited, "given_name", "Bob", "email", "bob@example.com"); err != nil {
		t.Fatal(err)
	}

	// A pool where only administrators create users.
	adminOnly := e.pool(func(in *cip.CreateUserPoolInput) {
		in.AdminCreateUserConfig = &types.AdminCreateUserConfigType{AllowAdminCreateUserOnly: true}
	})
	c := aws.ToString(e.client(adminOnly, nil).ClientId)
	wantErr[*types.NotAuthorizedException](t, signUp(c), "SignUp is not permitted for this user pool")
}

func TestConfirmSignUpWrongAndExpiredCodes(t *testing.T) {
	e, pool, client := signUpEnv(t, nil, nil)
	e.signUp(client, "bob", "email", "bob@example.com")
	code := e.srv.LastCode(t, pool, "bob")
	wrong := "000000"
	if code == wrong {
		wrong = "111111"
	}
	wantErr[*types.CodeMismatchException](t, e.confirm(client, "bob", wrong), "Invalid verification code provided, please try again.")
	// Still valid just before 24 hours.
	e.srv.Advance(23 * time.Hour)
	e.signUp(client, "amy", "email", "amy@example.com")
	if err := e.confirm(client, "bob", code); err != nil {
		t.Fatalf("code after 23h: %v", err)
	}
	// Expired after 24 hours.
	amy := e.srv.LastCode(t, pool, "amy")
	e.srv.Advance(25 * time.Hour)
	wantErr[*types.ExpiredCodeException](t, e.confirm(client, "amy", amy), "Invalid code provided, please request a code again.")
	if u := e.getUser(pool, "amy"); u.UserStatus != types.UserStatusTypeUnconfirmed {
		t.Fatalf("status %s", u.UserStatus)
	}
	// A new code works.
	out := try(e.resend(client, "amy")).ok(t)
	wantDelivery(t, out.CodeDeliveryDetails, "a***@e***.com", types.DeliveryMediumTypeEmail, "email")
	if err := e.confirm(client, "amy", e.srv.LastCode(t, pool, "amy")); err != nil {
		t.Fatal(err)
	}
}

func TestResendVoidsOldCode(t *testing.T) {
	e, pool, client := signUpEnv(t, nil, nil)
	e.signUp(client, "bob", "email", "bob@example.com")
	first := e.srv.LastCode(t, pool, "bob")
	second := first
	for second == first { // a repeat is possible, if unlikely
		try(e.resend(client, "bob")).ok(t)
		second = e.srv.LastCode(t, pool, "bob")
	}
	if n := len(e.srv.Outbox(t, pool, "bob")); n < 2 {
		t.Fatalf("%d messages", n)
	}
	wantErr[*types.CodeMismatchException](t, e.confirm(client, "bob", first), "Invalid verification code provided, please try again.")
	if err := e.confirm(client, "bob", second); err != nil {
		t.Fatal(err)
	}
}

func TestConfirmSignUpAttemptLimit(t *testing.T) {
	e, pool, client := signUpEnv(t, nil, nil)
	e.signUp(client, "bob", "email", "bob@example.com")
	code := e.srv.LastCode(t, pool, "bob")
	wrong := "000000"
	if code == wrong {
		wrong = "111111"
	}
	for range 5 {
		wantErr[*types.CodeMismatchException](t, e.confirm(client, "bob", wrong), "Invalid verification code provided, please try again.")
	}
	// The code is void now, even the right one.
	wantErr[*types.LimitExceededException](t, e.confirm(client, "bob", wrong), "Attempt limit exceeded, please try after some time.")
	wantErr[*types.LimitExceededException](t, e.confirm(client, "bob", code), "Attempt limit exceeded, please try after some time.")
	if u := e.getUser(pool, "bob"); u.UserStatus != types.UserStatusTypeUnconfirmed {
		t.Fatalf("status %s", u.UserStatus)
	}
	// A new code starts afresh.
	try(e.resend(client, "bob")).ok(t)
	if err := e.confirm(client, "bob", e.srv.LastCode(t, pool, "bob")); err != nil {
		t.Fatal(err)
	}
}

func TestConfirmSignUpUnknownUser(t *testing.T) {
	e, pool, legacy := signUpEnv(t, nil, nil)
	wantErr[*types.UserNotFoundException](t, e.confirm(legacy, "ghost", "123456"), "Username/client id combination not found.")
	_, err := e.resend(legacy, "ghost")
	wantErr[*types.UserNotFoundException](t, err, "Username/client id combination not found.")

	// A client that hides which users exist.
	hiding := aws.ToString(e.client(pool, func(in *cip.CreateUserPoolClientInput) {
		in.PreventUserExistenceErrors = types.PreventUserExistenceErrorTypesEnabled
	}).ClientId)
	wantErr[*types.CodeMismatchException](t, e.confirm(hiding, "ghost", "123456"), "Invalid verification code provided, please try again.")
	out := try(e.resend(hiding, "ghost@example.com")).ok(t)
	wantDelivery(t, out.CodeDeliveryDetails, "g***@e***.com", types.DeliveryMediumTypeEmail, "email")
	out = try(e.resend(hiding, "ghost")).ok(t)
	if d := out.CodeDeliveryDetails; d == nil || d.DeliveryMedium != types.DeliveryMediumTypeEmail || aws.ToString(d.Destination) == "" {
		t.Fatalf("simulated delivery %+v", d)
	}
	if msgs := e.srv.Outbox(t, pool, ""); len(msgs) != 0 {
		t.Fatalf("messages sent for unknown users: %+v", msgs)
	}
	// Known users are treated as usual.
	e.signUp(hiding, "bob", "email", "bob@example.com")
	wantDelivery(t, try(e.resend(hiding, "bob")).ok(t).CodeDeliveryDetails, "b***@e***.com", types.DeliveryMediumTypeEmail, "email")
	if err := e.confirm(hiding, "bob", e.srv.LastCode(t, pool, "bob")); err != nil {
		t.Fatal(err)
	}
}

func TestConfirmSignUpAliasConflict(t *testing.T) {
	e, pool, client := signUpEnv(t, func(in *cip.CreateUserPoolInput) {
		in.AliasAttributes = []types.AliasAttributeType{types.AliasAttributeTypeEmail}
	}, nil)
	e.createUser(pool, "alice", "email", "shared@example.com", "email_verified", "true")
	// The email is unverified at sign-up, so it may be shared until then.
	e.signUp(client, "bob", "email", "shared@example.com")
	code := e.srv.LastCode(t, pool, "bob")
	wantErr[*types.AliasExistsException](t, e.confirm(client, "bob", code), "An account with the email already exists.")
	if u := e.getUser(pool, "bob"); u.UserStatus != types.UserStatusTypeUnconfirmed {
		t.Fatalf("status after refused confirm %s", u.UserStatus)
	}
	// ForceAliasCreation moves the alias; the code is still good.
	try(e.c.ConfirmSignUp(t.Context(), &cip.ConfirmSignUpInput{ClientId: aws.String(client), Username: aws.String("bob"), ConfirmationCode: aws.String(code), ForceAliasCreation: true})).ok(t)
	if got := e.getUser(pool, "shared@example.com"); aws.ToString(got.Username) != "bob" {
		t.Fatalf("alias holder %s", aws.ToString(got.Username))
	}
	if m := attrMap(e.getUser(pool, "alice").UserAttributes); m["email_verified"] != "false" {
		t.Fatalf("old holder %v", m)
	}
}
