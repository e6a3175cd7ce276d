package e2e

import (
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/userpool/userpool/internal/server"
)

var sixDigits = regexp.MustCompile(`^[0-9]{6}$`)

// invitedPassword reads the temporary password from an invitation sent
// with the default template.
func invitedPassword(t *testing.T, m server.OutboxMessage) string {
	t.Helper()
	const prefix, suffix = " and temporary password is ", ". "
	i := strings.Index(m.Body, prefix)
	if i < 0 || !strings.HasSuffix(m.Body, suffix) {
		t.Fatalf("invitation body %q", m.Body)
	}
	return m.Body[i+len(prefix) : len(m.Body)-len(suffix)]
}

func TestAdminCreateUserWithTemporaryPassword(t *testing.T) {
	e := start(t)
	pool := e.pool(nil)
	before := time.Now().Add(-time.Second)
	out := try(e.c.AdminCreateUser(t.Context(), &cip.AdminCreateUserInput{
		UserPoolId: aws.String(pool), Username: aws.String("jane"), TemporaryPassword: aws.String("Temp0rary!"),
		UserAttributes: attrs("email", "jane@example.com", "name", "Jane Doe"),
	})).ok(t).User
	if aws.ToString(out.Username) != "jane" || out.UserStatus != types.UserStatusTypeForceChangePassword || !out.Enabled {
		t.Fatalf("created %+v", out)
	}
	m := attrMap(out.Attributes)
	if !uuidV4.MatchString(m["sub"]) || m["email"] != "jane@example.com" || m["name"] != "Jane Doe" {
		t.Fatalf("attributes %v", m)
	}
	if out.UserCreateDate == nil || out.UserCreateDate.Before(before) || out.UserLastModifiedDate == nil || !out.UserLastModifiedDate.Equal(*out.UserCreateDate) {
		t.Fatalf("dates %v %v", out.UserCreateDate, out.UserLastModifiedDate)
	}
	got := e.getUser(pool, "jane")
	if aws.ToString(got.Username) != "jane" || got.UserStatus != types.UserStatusTypeForceChangePassword || !got.Enabled ||
		attrMap(got.UserAttributes)["sub"] != m["sub"] || !got.UserCreateDate.Equal(*out.UserCreateDate) {
		t.Fatalf("AdminGetUser = %+v", got)
	}
	// The invitation went by email (no phone number), with the password.
	msgs := e.srv.Outbox(t, pool, "jane")
	if len(msgs) != 1 {
		t.Fatalf("outbox %+v", msgs)
	}
	inv := msgs[0]
	if inv.Medium != "EMAIL" || inv.Destination != "jane@example.com" || inv.Username != "jane" || inv.UserPoolId != pool || inv.Code != "" {
		t.Fatalf("invitation %+v", inv)
	}
	if inv.Subject != "Your temporary password" || inv.Body != "Your username is jane and temporary password is Temp0rary!. " {
		t.Fatalf("invitation subject %q body %q", inv.Subject, inv.Body)
	}
	if pool := e.describePool(pool); pool.EstimatedNumberOfUsers != 1 {
		t.Fatalf("EstimatedNumberOfUsers = %d", pool.EstimatedNumberOfUsers)
	}
}

func TestAdminCreateUserGeneratedPassword(t *testing.T) {
	e := start(t)
	pool := e.pool(func(in *cip.CreateUserPoolInput) {
		in.Policies = &types.UserPoolPolicyType{PasswordPolicy: &types.PasswordPolicyType{
			MinimumLength: aws.Int32(16), RequireUppercase: true, RequireLowercase: true, RequireNumbers: true, RequireSymbols: true,
		}}
	})
	seen := map[string]bool{}
	for _, name := range []string{"a", "b", "c", "d", "e"} {
		try(e.c.AdminCreateUser(t.Context(), &cip.AdminCreateUserInput{
			UserPoolId: aws.String(pool), Username: aws.String(name), UserAttributes: attrs("email", name+"@example.com"),
		})).ok(t)
		msgs := e.srv.Outbox(t, pool, name)
		if len(msgs) != 1 {
			t.Fatalf("%s: outbox %+v", name, msgs)
		}
		pw := invitedPassword(t, msgs[0])
		var upper, lower, digit, symbol bool
		for _, r := range pw {
			switch {
			case unicode.IsUpper(r):
				upper = true
			case unicode.IsLower(r):
				lower = true
			case unicode.IsDigit(r):
				digit = true
			case strings.ContainsRune("^$*.[]{}()?\"!@#%&/\\,><':;|_~`=+-", r):
				symbol = true
			default:
				t.Fatalf("password %q has %q, outside Cognito's character classes", pw, r)
			}
		}
		if len(pw) < 16 || !upper || !lower || !digit || !symbol {
			t.Fatalf("generated password %q breaks the policy", pw)
		}
		if seen[pw] {
			t.Fatalf("password %q generated twice", pw)
		}
		seen[pw] = true
	}
	// With the default policy too.
	pool = e.pool(nil)
	try(e.c.AdminCreateUser(t.Context(), &cip.AdminCreateUserInput{UserPoolId: aws.String(pool), Username: aws.String("x"), UserAttributes: attrs("email", "x@example.com")})).ok(t)
	if pw := invitedPassword(t, e.srv.Outbox(t, pool, "x")[0]); len(pw) < 8 {
		t.Fatalf("generated password %q", pw)
	}
}

func TestAdminCreateUserInviteTemplate(t *testing.T) {
	e := start(t)
	pool := e.pool(func(in *cip.CreateUserPoolInput) {
		in.AdminCreateUserConfig = &types.AdminCreateUserConfigType{InviteMessageTemplate: &types.MessageTemplateType{
			EmailSubject: aws.String("Welcome aboard"), EmailMessage: aws.String("Hi {username}: {####}"), SMSMessage: aws.String("SMS {username} {####}"),
		}}
	})
	try(e.c.AdminCreateUser(t.Context(), &cip.AdminCreateUserInput{
		UserPoolId: aws.String(pool), Username: aws.String("jane"), TemporaryPassword: aws.String("Temp0rary!"),
		UserAttributes:         attrs("email", "jane@example.com", "phone_number", "+15555551234"),
		DesiredDeliveryMediums: []types.DeliveryMediumType{types.DeliveryMediumTypeEmail, types.DeliveryMediumTypeSms},
	})).ok(t)
	msgs := e.srv.Outbox(t, pool, "jane")
	if len(msgs) != 2 {
		t.Fatalf("outbox %+v", msgs)
	}
	byMedium := map[string]server.OutboxMessage{}
	for _, m := range msgs {
		byMedium[m.Medium] = m
	}
	if m := byMedium["EMAIL"]; m.Destination != "jane@example.com" || m.Subject != "Welcome aboard" || m.Body != "Hi jane: Temp0rary!" {
		t.Fatalf("email %+v", m)
	}
	if m := byMedium["SMS"]; m.Destination != "+15555551234" || m.Subject != "" || m.Body != "SMS jane Temp0rary!" {
		t.Fatalf("sms %+v", m)
	}
}

func TestAdminCreateUserDeliveryMediums(t *testing.T) {
	e := start(t)
	pool := e.pool(nil)
	create := func(name string, mediums ...types.DeliveryMediumType) []server.OutboxMessage {
		t.Helper()
		try(e.c.AdminCreateUser(t.Context(), &cip.AdminCreateUserInput{
			UserPoolId: aws.String(pool), Username: aws.String(name), TemporaryPassword: aws.String("Temp0rary!"),
			UserAttributes:         attrs("email", name+"@example.com", "phone_number", "+4930123456"),
			DesiredDeliveryMediums: mediums,
		})).ok(t)
		return e.srv.Outbox(t, pool, name)
	}
	if msgs := create("sms", types.DeliveryMediumTypeSms); len(msgs) != 1 || msgs[0].Medium != "SMS" || msgs[0].Destination != "+4930123456" {
		t.Fatalf("SMS: %+v", msgs)
	}
	if msgs := create("mail", types.DeliveryMediumTypeEmail); len(msgs) != 1 || msgs[0].Medium != "EMAIL" || msgs[0].Destination != "mail@example.com" {
		t.Fatalf("EMAIL: %+v", msgs)
	}
	// SMS is the default when the user has a phone number.
	if msgs := create("default"); len(msgs) != 1 || msgs[0].Medium != "SMS" {
		t.Fatalf("default: %+v", msgs)
	}
	// All messages of the pool, oldest first.
	all := e.srv.Outbox(t, pool, "")
	if len(all) != 3 || all[0].Username != "sms" || all[1].Username != "mail" || all[2].Username != "default" {
		t.Fatalf("pool outbox %+v", all)
	}
	for i := 1; i < len(all); i++ {
		if all[i].CreatedAt.Before(all[i-1].CreatedAt) {
			t.Fatalf("outbox not oldest first: %+v", all)
		}
	}
}

func TestAdminCreateUserMessageActions(t *testing.T) {
	e := start(t)
	ctx := t.Context()
	pool := e.pool(nil)
	client := aws.ToString(e.client(pool, nil).ClientId)

	try(e.c.AdminCreateUser(ctx, &cip.AdminCreateUserInput{
		UserPoolId: aws.String(pool), Username: aws.String("quiet"), UserAttributes: attrs("email", "quiet@example.com"),
		MessageAction: types.MessageActionTypeSuppress,
	})).ok(t)
	if msgs := e.srv.Outbox(t, pool, "quiet"); len(msgs) != 0 {
		t.Fatalf("SUPPRESS sent %+v", msgs)
	}
	// RESEND sends a new invitation with a new password.
	try(e.c.AdminCreateUser(ctx, &cip.AdminCreateUserInput{UserPoolId: aws.String(pool), Username: aws.String("jane"), UserAttributes: attrs("email", "jane@example.com")})).ok(t)
	out := try(e.c.AdminCreateUser(ctx, &cip.AdminCreateUserInput{UserPoolId: aws.String(pool), Username: aws.String("jane"), MessageAction: types.MessageActionTypeResend})).ok(t)
	if aws.ToString(out.User.Username) != "jane" || out.User.UserStatus != types.UserStatusTypeForceChangePassword {
		t.Fatalf("RESEND answered %+v", out.User)
	}
	msgs := e.srv.Outbox(t, pool, "jane")
	if len(msgs) != 2 || msgs[1].Destination != "jane@example.com" {
		t.Fatalf("after RESEND: %+v", msgs)
	}
	if invitedPassword(t, msgs[0]) == invitedPassword(t, msgs[1]) {
		t.Fatal("RESEND reused the temporary password")
	}
	// RESEND with a given password uses it.
	try(e.c.AdminCreateUser(ctx, &cip.AdminCreateUserInput{UserPoolId: aws.String(pool), Username: aws.String("jane"), MessageAction: types.MessageActionTypeResend, TemporaryPassword: aws.String("An0ther-one")})).ok(t)
	if msgs := e.srv.Outbox(t, pool, "jane"); len(msgs) != 3 || invitedPassword(t, msgs[2]) != "An0ther-one" {
		t.Fatalf("after RESEND with password: %+v", msgs)
	}
	// RESEND only for users who have not signed in yet.
	e.signUp(client, "bob", "email", "bob@example.com")
	try(e.c.AdminConfirmSignUp(ctx, &cip.AdminConfirmSignUpInput{UserPoolId: aws.String(pool), Username: aws.String("bob")})).ok(t)
	_, err := e.c.AdminCreateUser(ctx, &cip.AdminCreateUserInput{UserPoolId: aws.String(pool), Username: aws.String("bob"), MessageAction: types.MessageActionTypeResend})
	wantErr[*types.UnsupportedUserStateException](t, err, "Resend not possible. bob status is not FORCE_CHANGE_PASSWORD")
	_, err = e.c.AdminCreateUser(ctx, &cip.AdminCreateUserInput{UserPoolId: aws.String(pool), Username: aws.String("ghost"), MessageAction: types.MessageActionTypeResend})
	wantErr[*types.UserNotFoundException](t, err, "User does not exist.")
}

func TestAdminCreateUserPasswordPolicy(t *testing.T) {
	e := start(t)
	pool := e.pool(nil)
	for pw, reason := range map[string]string{
		"Ab1!":       "Password not long enough",
		"abcdefg1!":  "Password must have uppercase characters",
		"ABCDEFG1!":  "Password must have lowercase characters",
		"Abcdefgh!":  "Password must have numeric characters",
		"Abcdefg12":  "Password must have symbol characters",
		"Abcdefg1=2": "",
	} {
		_, err := e.c.AdminCreateUser(t.Context(), &cip.AdminCreateUserInput{UserPoolId: aws.String(pool), Username: aws.String("u" + strings.ReplaceAll(pw, " ", "_")), TemporaryPassword: aws.String(pw), MessageAction: types.MessageActionTypeSuppress})
		if reason == "" {
			if err != nil {
				t.Fatalf("%q: %v", pw, err)
			}
			continue
		}
		wantErr[*types.InvalidPasswordException](t, err, "Password does not conform to policy: "+reason)
	}
	if n := e.describePool(pool).EstimatedNumberOfUsers; n != 1 {
		t.Fatalf("%d users after refused passwords", n)
	}
	// A relaxed policy accepts what the default refuses.
	relaxed := e.pool(func(in *cip.CreateUserPoolInput) {
		in.Policies = &types.UserPoolPolicyType{PasswordPolicy: &types.PasswordPolicyType{MinimumLength: aws.Int32(6)}}
	})
	try(e.c.AdminCreateUser(t.Context(), &cip.AdminCreateUserInput{UserPoolId: aws.String(relaxed), Username: aws.String("x"), TemporaryPassword: aws.String("simple")})).ok(t)
}

// TestPasswordInnerSpace: Cognito counts a space inside a password as a
// symbol; only leading and trailing spaces are refused, by the pattern
// ^[\S]+.*[\S]+$ of AWS's current API model.
func TestPasswordInnerSpace(t *testing.T) {
	e := start(t)
	pool := e.pool(nil)
	client := aws.ToString(e.client(pool, nil).ClientId)
	try(e.c.AdminCreateUser(t.Context(), &cip.AdminCreateUserInput{UserPoolId: aws.String(pool), Username: aws.String("jane"), TemporaryPassword: aws.String("Abcdefg1 2")})).ok(t)
	try(e.c.SignUp(t.Context(), &cip.SignUpInput{ClientId: aws.String(client), Username: aws.String("bob"), Password: aws.String("pass Word1")})).ok(t)
	_, err := e.c.SignUp(t.Context(), &cip.SignUpInput{ClientId: aws.String(client), Username: aws.String("tom"), Password: aws.String(" Passw0rd!")})
	wantErr[*types.InvalidParameterException](t, err, "1 validation error detected: Value at 'password' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[\\S]+.*[\\S]+$")
}

func TestAdminCreateUserExists(t *testing.T) {
	e := start(t)
	pool := e.pool(nil)
	client := aws.ToString(e.client(pool, nil).ClientId)
	first := e.createUser(pool, "jane")
	_, err := e.c.AdminCreateUser(t.Context(), &cip.AdminCreateUserInput{UserPoolId: aws.String(pool), Username: aws.String("jane")})
	wantErr[*types.UsernameExistsException](t, err, "User account already exists")
	e.signUp(client, "bob")
	_, err = e.c.AdminCreateUser(t.Context(), &cip.AdminCreateUserInput{UserPoolId: aws.String(pool), Username: aws.String("bob")})
	wantErr[*types.UsernameExistsException](t, err, "User account already exists")
	if sub := attrMap(e.getUser(pool, "jane").UserAttributes)["sub"]; sub != attrMap(first.Attributes)["sub"] {
		t.Fatal("the failed create changed the user")
	}
	// The same name in another pool is another user.
	other := e.pool(nil)
	e.createUser(other, "jane")
}

func TestAdminCreateUserAttributeChecks(t *testing.T) {
	e := start(t)
	pool := e.pool(func(in *cip.CreateUserPoolInput) {
		in.Schema = []types.SchemaAttributeType{
			{Name: aws.String("name"), AttributeDataType: types.AttributeDataTypeString, Required: aws.Bool(true), Mutable: aws.Bool(true)},
			{Name: aws.String("code"), AttributeDataType: types.AttributeDataTypeString, StringAttributeConstraints: &types.StringAttributeConstraintsType{MaxLength: aws.String("5")}},
			{Name: aws.String("age"), AttributeDataType: types.AttributeDataTypeNumber, NumberAttributeConstraints: &types.NumberAttributeConstraintsType{MinValue: aws.String("0"), MaxValue: aws.String("150")}},
			{Name: aws.String("admin"), AttributeDataType: types.AttributeDataTypeBoolean},
		}
	})
	create := func(kv ...string) error {
		_, err := e.c.AdminCreateUser(t.Context(), &cip.AdminCreateUserInput{UserPoolId: aws.String(pool), Username: aws.String("jane"), UserAttributes: attrs(kv...), MessageAction: types.MessageActionTypeSuppress})
		return err
	}
	const prefix = "Attributes did not conform to the schema: "
	wantErr[*types.InvalidParameterException](t, create("name", "Jane", "favourite_colour", "blue"), prefix+"Type for attribute {favourite_colour} could not be determined")
	wantErr[*types.InvalidParameterException](t, create("name", "Jane", "custom:nope", "x"), prefix+"Type for attribute {custom:nope} could not be determined")
	wantErr[*types.InvalidParameterException](t, create("email", "jane@example.com"), prefix+"name: The attribute is required")
	wantErr[*types.InvalidParameterException](t, create("name", ""), prefix+"name: The attribute is required")
	wantErr[*types.InvalidParameterException](t, create("name", "Jane", "email", "not-an-email"), "Invalid email address format.")
	wantErr[*types.InvalidParameterException](t, create("name", "Jane", "phone_number", "555-1234"), "Invalid phone number format.")
	wantErr[*types.InvalidParameterException](t, create("name", "Jane", "custom:code", "123456"), prefix+"custom:code: String must be no longer than 5 characters")
	wantErr[*types.InvalidParameterException](t, create("name", "Jane", "custom:age", "old"), prefix+"custom:age: Number expected.")
	wantErr[*types.InvalidParameterException](t, create("name", "Jane", "custom:age", "200"), prefix+"custom:age: Number must be no greater than 150.")
	wantErr[*types.InvalidParameterException](t, create("name", "Jane", "email_verified", "yes"), prefix+"email_verified: Attribute value must be true or false.")
	if n := e.describePool(pool).EstimatedNumberOfUsers; n != 0 {
		t.Fatalf("%d users after refused creates", n)
	}
	if err := create("name", "Jane", "custom:code", "12345", "custom:age", "42", "custom:admin", "true", "email", "jane@example.com", "phone_number", "+15555550100"); err != nil {
		t.Fatal(err)
	}
	m := attrMap(e.getUser(pool, "jane").UserAttributes)
	if m["custom:code"] != "12345" || m["custom:age"] != "42" || m["custom:admin"] != "true" || m["phone_number"] != "+15555550100" {
		t.Fatalf("attributes %v", m)
	}
}

func TestAdminGetUser(t *testing.T) {
	e := start(t)
	pool := e.pool(nil)
	subs := map[string]bool{}
	for _, name := range []string{"a", "b", "c"} {
		u := e.createUser(pool, name)
		sub := attrMap(u.Attributes)["sub"]
		if !uuidV4.MatchString(sub) || subs[sub] {
			t.Fatalf("sub %q (seen %v)", sub, subs[sub])
		}
		subs[sub] = true
		// A user can also be named by their sub.
		if got := e.getUser(pool, sub); aws.ToString(got.Username) != name {
			t.Fatalf("by sub: %s", aws.ToString(got.Username))
		}
	}
	_, err := e.c.AdminGetUser(t.Context(), &cip.AdminGetUserInput{UserPoolId: aws.String(pool), Username: aws.String("nobody")})
	wantErr[*types.UserNotFoundException](t, err, "User does not exist.")
	// Users of another pool are not found.
	_, err = e.c.AdminGetUser(t.Context(), &cip.AdminGetUserInput{UserPoolId: aws.String(e.pool(nil)), Username: aws.String("a")})
	wantErr[*types.UserNotFoundException](t, err, "User does not exist.")
}

func TestAdminDeleteUser(t *testing.T) {
	e := start(t)
	ctx := t.Context()
	pool := e.pool(nil)
	old := attrMap(e.createUser(pool, "jane", "email", "jane@example.com").Attributes)["sub"]
	e.createUser(pool, "keep")
	try(e.c.AdminDeleteUser(ctx, &cip.AdminDeleteUserInput{UserPoolId: aws.String(pool), Username: aws.String("jane")})).ok(t)
	_, err := e.c.AdminGetUser(ctx, &cip.AdminGetUserInput{UserPoolId: aws.String(pool), Username: aws.String("jane")})
	wantErr[*types.UserNotFoundException](t, err, "User does not exist.")
	_, err = e.c.AdminGetUser(ctx, &cip.AdminGetUserInput{UserPoolId: aws.String(pool), Username: aws.String(old)})
	wantErr[*types.UserNotFoundException](t, err, "User does not exist.")
	_, err = e.c.AdminDeleteUser(ctx, &cip.AdminDeleteUserInput{UserPoolId: aws.String(pool), Username: aws.String("jane")})
	wantErr[*types.UserNotFoundException](t, err, "User does not exist.")
	e.getUser(pool, "keep")
	// The name is free again, for a new user with a new sub.
	if sub := attrMap(e.createUser(pool, "jane").Attributes)["sub"]; sub == old {
		t.Fatal("a re-created user got the old sub")
	}
	if n := e.describePool(pool).EstimatedNumberOfUsers; n != 2 {
		t.Fatalf("EstimatedNumberOfUsers = %d", n)
	}
}

func TestAdminEnableDisableUser(t *testing.T) {
	e := start(t)
	ctx := t.Context()
	pool := e.pool(nil)
	e.createUser(pool, "jane")
	in := func() (*cip.AdminDisableUserInput, *cip.AdminEnableUserInput) {
		return &cip.AdminDisableUserInput{UserPoolId: aws.String(pool), Username: aws.String("jane")}, &cip.AdminEnableUserInput{UserPoolId: aws.String(pool), Username: aws.String("jane")}
	}
	dis, en := in()
	try(e.c.AdminDisableUser(ctx, dis)).ok(t)
	if u := e.getUser(pool, "jane"); u.Enabled || u.UserStatus != types.UserStatusTypeForceChangePassword {
		t.Fatalf("after disable: enabled %v status %s", u.Enabled, u.UserStatus)
	}
	try(e.c.AdminDisableUser(ctx, dis)).ok(t) // idempotent
	try(e.c.AdminEnableUser(ctx, en)).ok(t)
	if u := e.getUser(pool, "jane"); !u.Enabled {
		t.Fatal("still disabled after enable")
	}
	try(e.c.AdminEnableUser(ctx, en)).ok(t)
	_, err := e.c.AdminDisableUser(ctx, &cip.AdminDisableUserInput{UserPoolId: aws.String(pool), Username: aws.String("ghost")})
	wantErr[*types.UserNotFoundException](t, err, "User does not exist.")
	_, err = e.c.AdminEnableUser(ctx, &cip.AdminEnableUserInput{UserPoolId: aws.String(pool), Username: aws.String("ghost")})
	wantErr[*types.UserNotFoundException](t, err, "User does not exist.")
}

func TestAdminUpdateUserAttributes(t *testing.T) {
	e := start(t)
	ctx := t.Context()
	pool := e.pool(func(in *cip.CreateUserPoolInput) {
		in.AutoVerifiedAttributes = []types.VerifiedAttributeType{"email", "phone_number"}
		in.Schema = []types.SchemaAttributeType{{Name: aws.String("badge"), AttributeDataType: types.AttributeDataTypeString, Mutable: aws.Bool(false)}}
	})
	u := e.createUser(pool, "jane", "email", "jane@example.com", "email_verified", "true", "custom:badge", "b1")
	sub := attrMap(u.Attributes)["sub"]
	update := func(kv ...string) error {
		_, err := e.c.AdminUpdateUserAttributes(ctx, &cip.AdminUpdateUserAttributesInput{UserPoolId: aws.String(pool), Username: aws.String("jane"), UserAttributes: attrs(kv...)})
		return err
	}
	if err := update("name", "Jane", "given_name", "J"); err != nil {
		t.Fatal(err)
	}
	m := attrMap(e.getUser(pool, "jane").UserAttributes)
	if m["name"] != "Jane" || m["given_name"] != "J" || m["email_verified"] != "true" {
		t.Fatalf("after update: %v", m)
	}
	if msgs := e.srv.Outbox(t, pool, "jane"); len(msgs) != 0 {
		t.Fatalf("unexpected messages %+v", msgs)
	}
	// A new email is unverified, and a code goes to it.
	if err := update("email", "new@example.com"); err != nil {
		t.Fatal(err)
	}
	m = attrMap(e.getUser(pool, "jane").UserAttributes)
	if m["email"] != "new@example.com" || m["email_verified"] != "false" {
		t.Fatalf("after email change: %v", m)
	}
	msgs := e.srv.Outbox(t, pool, "jane")
	if len(msgs) != 1 || msgs[0].Medium != "EMAIL" || msgs[0].Destination != "new@example.com" || !sixDigits.MatchString(msgs[0].Code) ||
		msgs[0].Subject != "Your verification code" || msgs[0].Body != "Your verification code is "+msgs[0].Code+". " {
		t.Fatalf("verification message %+v", msgs)
	}
	// The same for a phone number, by SMS.
	if err := update("phone_number", "+15555550123"); err != nil {
		t.Fatal(err)
	}
	msgs = e.srv.Outbox(t, pool, "jane")
	if len(msgs) != 2 || msgs[1].Medium != "SMS" || msgs[1].Destination != "+15555550123" || !sixDigits.MatchString(msgs[1].Code) {
		t.Fatalf("phone verification %+v", msgs)
	}
	if attrMap(e.getUser(pool, "jane").UserAttributes)["phone_number_verified"] != "false" {
		t.Fatal("new phone number verified")
	}
	// An administrator may verify in the same call: no code then.
	if err := update("email", "third@example.com", "email_verified", "true"); err != nil {
		t.Fatal(err)
	}
	if m := attrMap(e.getUser(pool, "jane").UserAttributes); m["email"] != "third@example.com" || m["email_verified"] != "true" {
		t.Fatalf("verified update: %v", m)
	}
	if msgs := e.srv.Outbox(t, pool, "jane"); len(msgs) != 2 {
		t.Fatalf("code sent for a verified email: %+v", msgs)
	}
	// The same email again changes nothing.
	if err := update("email", "third@example.com"); err != nil {
		t.Fatal(err)
	}
	if m := attrMap(e.getUser(pool, "jane").UserAttributes); m["email_verified"] != "true" {
		t.Fatalf("unchanged email lost its verification: %v", m)
	}

	wantErr[*types.InvalidParameterException](t, update("sub", "5f0c4b3e-0000-4000-8000-000000000000"), "Cannot modify the non-mutable attribute sub")
	wantErr[*types.InvalidParameterException](t, update("custom:badge", "b2"), "Cannot modify the non-mutable attribute custom:badge")
	wantErr[*types.InvalidParameterException](t, update("shoe_size", "9"), "Attributes did not conform to the schema: Type for attribute {shoe_size} could not be determined")
	wantErr[*types.InvalidParameterException](t, update("email", "broken"), "Invalid email address format.")
	if m := attrMap(e.getUser(pool, "jane").UserAttributes); m["sub"] != sub || m["custom:badge"] != "b1" || m["email"] != "third@example.com" {
		t.Fatalf("refused updates changed the user: %v", m)
	}
	_, err := e.c.AdminUpdateUserAttributes(ctx, &cip.AdminUpdateUserAttributesInput{UserPoolId: aws.String(pool), Username: aws.String("ghost"), UserAttributes: attrs("name", "x")})
	wantErr[*types.UserNotFoundException](t, err, "User does not exist.")

	// Without auto-verification the email is unverified, and nothing is sent.
	plain := e.pool(nil)
	e.createUser(plain, "bob", "email", "bob@example.com", "email_verified", "true")
	try(e.c.AdminUpdateUserAttributes(ctx, &cip.AdminUpdateUserAttributesInput{UserPoolId: aws.String(plain), Username: aws.String("bob"), UserAttributes: attrs("email", "bob2@example.com")})).ok(t)
	if m := attrMap(e.getUser(plain, "bob").UserAttributes); m["email_verified"] != "false" {
		t.Fatalf("plain pool: %v", m)
	}
	if msgs := e.srv.Outbox(t, plain, "bob"); len(msgs) != 0 {
		t.Fatalf("plain pool sent %+v", msgs)
	}
}

func TestAdminDeleteUserAttributes(t *testing.T) {
	e := start(t)
	ctx := t.Context()
	pool := e.pool(func(in *cip.CreateUserPoolInput) {
		in.Schema = []types.SchemaAttributeType{{Name: aws.String("given_name"), AttributeDataType: types.AttributeDataTypeString, Required: aws.Bool(true), Mutable: aws.Bool(true)}}
	})
	e.createUser(pool, "jane", "given_name", "Jane", "name", "Jane Doe", "email", "jane@example.com", "email_verified", "true", "website", "https://example.com")
	del := func(names ...string) error {
		_, err := e.c.AdminDeleteUserAttributes(ctx, &cip.AdminDeleteUserAttributesInput{UserPoolId: aws.String(pool), Username: aws.String("jane"), UserAttributeNames: names})
		return err
	}
	if err := del("name", "website"); err != nil {
		t.Fatal(err)
	}
	m := attrMap(e.getUser(pool, "jane").UserAttributes)
	if _, ok := m["name"]; ok || m["website"] != "" || m["given_name"] != "Jane" {
		t.Fatalf("after delete: %v", m)
	}
	if err := del("email"); err != nil {
		t.Fatal(err)
	}
	m = attrMap(e.getUser(pool, "jane").UserAttributes)
	if _, ok := m["email"]; ok {
		t.Fatalf("email kept: %v", m)
	}
	if _, ok := m["email_verified"]; ok {
		t.Fatalf("email_verified kept without an email: %v", m)
	}
	wantErr[*types.InvalidParameterException](t, del("given_name"), "Attributes did not conform to the schema: given_name: The attribute is required")
	wantErr[*types.InvalidParameterException](t, del("sub"), "Cannot modify the non-mutable attribute sub")
	wantErr[*types.InvalidParameterException](t, del("nonsense"), "Attributes did not conform to the schema: nonsense: Attribute does not exist in the schema.")
	if m := attrMap(e.getUser(pool, "jane").UserAttributes); m["given_name"] != "Jane" || m["sub"] == "" {
		t.Fatalf("refused deletes changed the user: %v", m)
	}
	_, err := e.c.AdminDeleteUserAttributes(ctx, &cip.AdminDeleteUserAttributesInput{UserPoolId: aws.String(pool), Username: aws.String("ghost"), UserAttributeNames: []string{"name"}})
	wantErr[*types.UserNotFoundException](t, err, "User does not exist.")
}

func TestAdminConfirmSignUp(t *testing.T) {
	e := start(t)
	ctx := t.Context()
	pool := e.pool(nil)
	client := aws.ToString(e.client(pool, nil).ClientId)
	e.signUp(client, "bob")
	if u := e.getUser(pool, "bob"); u.UserStatus != types.UserStatusTypeUnconfirmed {
		t.Fatalf("status %s", u.UserStatus)
	}
	confirm := func(name string) error {
		_, err := e.c.AdminConfirmSignUp(ctx, &cip.AdminConfirmSignUpInput{UserPoolId: aws.String(pool), Username: aws.String(name)})
		return err
	}
	if err := confirm("bob"); err != nil {
		t.Fatal(err)
	}
	if u := e.getUser(pool, "bob"); u.UserStatus != types.UserStatusTypeConfirmed {
		t.Fatalf("status after confirm %s", u.UserStatus)
	}
	wantErr[*types.NotAuthorizedException](t, confirm("bob"), "User cannot be confirmed. Current status is CONFIRMED")
	e.createUser(pool, "jane")
	wantErr[*types.NotAuthorizedException](t, confirm("jane"), "User cannot be confirmed. Current status is FORCE_CHANGE_PASSWORD")
	wantErr[*types.UserNotFoundException](t, confirm("ghost"), "User does not exist.")
}
