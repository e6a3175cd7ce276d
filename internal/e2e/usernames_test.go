package e2e

import (
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

func TestPlainUsernames(t *testing.T) {
	e := start(t)
	pool := e.pool(nil)
	// Any characters the API allows, including an email-looking name.
	for _, name := range []string{"jane", "jane.doe+1", "Ünïcödé", "jane@example.com", "+15555550100", "a"} {
		u := e.createUser(pool, name)
		if aws.ToString(u.Username) != name {
			t.Fatalf("created %q as %q", name, aws.ToString(u.Username))
		}
		if got := e.getUser(pool, name); aws.ToString(got.Username) != name {
			t.Fatalf("got %q for %q", aws.ToString(got.Username), name)
		}
	}
	// An email attribute is not a sign-in name in a plain pool.
	e.createUser(pool, "bob", "email", "bob@example.com", "email_verified", "true")
	_, err := e.c.AdminGetUser(t.Context(), &cip.AdminGetUserInput{UserPoolId: aws.String(pool), Username: aws.String("bob@example.com")})
	wantErr[*types.UserNotFoundException](t, err, "User does not exist.")
	// Nor unique.
	e.createUser(pool, "bob2", "email", "bob@example.com", "email_verified", "true")
}

func TestEmailAsUsername(t *testing.T) {
	e := start(t)
	ctx := t.Context()
	pool := e.pool(func(in *cip.CreateUserPoolInput) {
		in.UsernameAttributes = []types.UsernameAttributeType{types.UsernameAttributeTypeEmail}
		in.AutoVerifiedAttributes = []types.VerifiedAttributeType{"email"}
	})
	client := aws.ToString(e.client(pool, nil).ClientId)
	out := try(e.c.AdminCreateUser(ctx, &cip.AdminCreateUserInput{UserPoolId: aws.String(pool), Username: aws.String("jane@example.com"), TemporaryPassword: aws.String("Temp0rary!")})).ok(t).User
	username := aws.ToString(out.Username)
	m := attrMap(out.Attributes)
	if !uuidV4.MatchString(username) || m["sub"] != username || m["email"] != "jane@example.com" {
		t.Fatalf("created username %q attributes %v", username, m)
	}
	for _, name := range []string{"jane@example.com", username} {
		if got := e.getUser(pool, name); aws.ToString(got.Username) != username {
			t.Fatalf("AdminGetUser(%s) = %s", name, aws.ToString(got.Username))
		}
	}
	list := try(e.c.ListUsers(ctx, &cip.ListUsersInput{UserPoolId: aws.String(pool), Filter: aws.String(`email = "jane@example.com"`)})).ok(t).Users
	if len(list) != 1 || aws.ToString(list[0].Username) != username {
		t.Fatalf("ListUsers by email: %+v", list)
	}
	// The outbox finds the user by email; the invitation names the email.
	msgs := e.srv.Outbox(t, pool, "jane@example.com")
	if len(msgs) != 1 || msgs[0].Username != username || msgs[0].Destination != "jane@example.com" ||
		msgs[0].Body != "Your username is jane@example.com and temporary password is Temp0rary!. " {
		t.Fatalf("outbox %+v", msgs)
	}

	_, err := e.c.AdminCreateUser(ctx, &cip.AdminCreateUserInput{UserPoolId: aws.String(pool), Username: aws.String("jane")})
	wantErr[*types.InvalidParameterException](t, err, "Username should be an email.")
	_, err = e.c.SignUp(ctx, &cip.SignUpInput{ClientId: aws.String(client), Username: aws.String("jane"), Password: aws.String(goodPassword)})
	wantErr[*types.InvalidParameterException](t, err, "Username should be an email.")
	_, err = e.c.AdminCreateUser(ctx, &cip.AdminCreateUserInput{UserPoolId: aws.String(pool), Username: aws.String("jane@example.com")})
	wantErr[*types.UsernameExistsException](t, err, "An account with the given email already exists.")
	_, err = e.c.SignUp(ctx, &cip.SignUpInput{ClientId: aws.String(client), Username: aws.String("jane@example.com"), Password: aws.String(goodPassword)})
	wantErr[*types.UsernameExistsException](t, err, "An account with the given email already exists.")
	// Another user cannot take the email as an attribute either.
	su := e.signUp(client, "bob@example.com")
	_, err = e.c.AdminUpdateUserAttributes(ctx, &cip.AdminUpdateUserAttributesInput{UserPoolId: aws.String(pool), Username: aws.String("bob@example.com"), UserAttributes: attrs("email", "jane@example.com")})
	wantErr[*types.AliasExistsException](t, err, "An account with the given email already exists.")

	// SignUp: the UserSub is the internal username, and the code goes to the email.
	bob := e.getUser(pool, "bob@example.com")
	if aws.ToString(bob.Username) != aws.ToString(su.UserSub) || !uuidV4.MatchString(aws.ToString(su.UserSub)) {
		t.Fatalf("SignUp sub %s, username %s", aws.ToString(su.UserSub), aws.ToString(bob.Username))
	}
	code := e.srv.LastCode(t, pool, "bob@example.com")
	try(e.c.ConfirmSignUp(ctx, &cip.ConfirmSignUpInput{ClientId: aws.String(client), Username: aws.String("bob@example.com"), ConfirmationCode: aws.String(code)})).ok(t)
	if u := e.getUser(pool, aws.ToString(su.UserSub)); u.UserStatus != types.UserStatusTypeConfirmed || attrMap(u.UserAttributes)["email_verified"] != "true" {
		t.Fatalf("after confirm: %s %v", u.UserStatus, attrMap(u.UserAttributes))
	}
	// A changed email is the new sign-in name at once.
	try(e.c.AdminUpdateUserAttributes(ctx, &cip.AdminUpdateUserAttributesInput{UserPoolId: aws.String(pool), Username: aws.String("bob@example.com"), UserAttributes: attrs("email", "robert@example.com")})).ok(t)
	if got := e.getUser(pool, "robert@example.com"); aws.ToString(got.Username) != aws.ToString(su.UserSub) {
		t.Fatalf("by new email: %s", aws.ToString(got.Username))
	}
	_, err = e.c.AdminGetUser(ctx, &cip.AdminGetUserInput{UserPoolId: aws.String(pool), Username: aws.String("bob@example.com")})
	wantErr[*types.UserNotFoundException](t, err, "User does not exist.")
	// The email is the username: it cannot be deleted.
	_, err = e.c.AdminDeleteUserAttributes(ctx, &cip.AdminDeleteUserAttributesInput{UserPoolId: aws.String(pool), Username: aws.String("robert@example.com"), UserAttributeNames: []string{"email"}})
	if err == nil {
		t.Fatal("deleted the email of an email-as-username user")
	}
}

func TestPhoneOrEmailAsUsername(t *testing.T) {
	e := start(t)
	pool := e.pool(func(in *cip.CreateUserPoolInput) {
		in.UsernameAttributes = []types.UsernameAttributeType{types.UsernameAttributeTypeEmail, types.UsernameAttributeTypePhoneNumber}
	})
	byPhone := e.createUser(pool, "+15555550100")
	if m := attrMap(byPhone.Attributes); m["phone_number"] != "+15555550100" || m["sub"] != aws.ToString(byPhone.Username) {
		t.Fatalf("phone user %v", m)
	}
	e.createUser(pool, "jane@example.com")
	if got := e.getUser(pool, "+15555550100"); aws.ToString(got.Username) != aws.ToString(byPhone.Username) {
		t.Fatal("not found by phone")
	}
	_, err := e.c.AdminCreateUser(t.Context(), &cip.AdminCreateUserInput{UserPoolId: aws.String(pool), Username: aws.String("jane")})
	wantErr[*types.InvalidParameterException](t, err, "Username should be either an email or a phone number.")
	_, err = e.c.AdminCreateUser(t.Context(), &cip.AdminCreateUserInput{UserPoolId: aws.String(pool), Username: aws.String("+15555550100")})
	wantErr[*types.UsernameExistsException](t, err, "An account with the given phone_number already exists.")
}

func TestEmailAlias(t *testing.T) {
	e := start(t)
	ctx := t.Context()
	pool := e.pool(func(in *cip.CreateUserPoolInput) {
		in.AliasAttributes = []types.AliasAttributeType{types.AliasAttributeTypeEmail, types.AliasAttributeTypePreferredUsername}
	})
	client := aws.ToString(e.client(pool, nil).ClientId)
	e.createUser(pool, "jane", "email", "jane@example.com")
	// An unverified email is no sign-in name.
	_, err := e.c.AdminGetUser(ctx, &cip.AdminGetUserInput{UserPoolId: aws.String(pool), Username: aws.String("jane@example.com")})
	wantErr[*types.UserNotFoundException](t, err, "User does not exist.")
	// ... and can be shared while unverified.
	e.createUser(pool, "jane2", "email", "jane@example.com")
	try(e.c.AdminUpdateUserAttributes(ctx, &cip.AdminUpdateUserAttributesInput{UserPoolId: aws.String(pool), Username: aws.String("jane"), UserAttributes: attrs("email_verified", "true")})).ok(t)
	if got := e.getUser(pool, "jane@example.com"); aws.ToString(got.Username) != "jane" {
		t.Fatalf("by verified email: %s", aws.ToString(got.Username))
	}
	// Once verified by one user, another cannot verify it.
	_, err = e.c.AdminUpdateUserAttributes(ctx, &cip.AdminUpdateUserAttributesInput{UserPoolId: aws.String(pool), Username: aws.String("jane2"), UserAttributes: attrs("email_verified", "true")})
	wantErr[*types.AliasExistsException](t, err, "An account with the email already exists.")
	// preferred_username is a sign-in name at once.
	e.createUser(pool, "bob", "preferred_username", "bobby")
	if got := e.getUser(pool, "bobby"); aws.ToString(got.Username) != "bob" {
		t.Fatalf("by preferred_username: %s", aws.ToString(got.Username))
	}
	_, err = e.c.AdminCreateUser(ctx, &cip.AdminCreateUserInput{UserPoolId: aws.String(pool), Username: aws.String("rob"), UserAttributes: attrs("preferred_username", "bobby")})
	wantCode(t, err, "AliasExistsException", "An account with the preferred_username already exists.")

	// A username in email format is refused.
	_, err = e.c.AdminCreateUser(ctx, &cip.AdminCreateUserInput{UserPoolId: aws.String(pool), Username: aws.String("tom@example.com")})
	wantErr[*types.InvalidParameterException](t, err, "Username cannot be of email format, since user pool is configured for email alias.")
	_, err = e.c.SignUp(ctx, &cip.SignUpInput{ClientId: aws.String(client), Username: aws.String("tom@example.com"), Password: aws.String(goodPassword)})
	wantErr[*types.InvalidParameterException](t, err, "Username cannot be of email format, since user pool is configured for email alias.")
	// The outbox finds users by their verified alias too.
	try(e.c.AdminCreateUser(ctx, &cip.AdminCreateUserInput{UserPoolId: aws.String(pool), Username: aws.String("amy"), UserAttributes: attrs("email", "amy@example.com", "email_verified", "true")})).ok(t)
	if msgs := e.srv.Outbox(t, pool, "amy@example.com"); len(msgs) != 1 || msgs[0].Username != "amy" {
		t.Fatalf("outbox by alias: %+v", msgs)
	}
}

func TestForceAliasCreation(t *testing.T) {
	e := start(t)
	ctx := t.Context()
	pool := e.pool(func(in *cip.CreateUserPoolInput) {
		in.AliasAttributes = []types.AliasAttributeType{types.AliasAttributeTypeEmail, types.AliasAttributeTypePhoneNumber}
	})
	e.createUser(pool, "alice", "email", "shared@example.com", "email_verified", "true", "phone_number", "+15555550100", "phone_number_verified", "true")
	create := func(force bool, kv ...string) error {
		_, err := e.c.AdminCreateUser(ctx, &cip.AdminCreateUserInput{UserPoolId: aws.String(pool), Username: aws.String("bob"), UserAttributes: attrs(kv...),
			ForceAliasCreation: force, MessageAction: types.MessageActionTypeSuppress})
		return err
	}
	// AWS documents AliasExistsException for AdminCreateUser (see
	// ForceAliasCreation) though its model does not list it.
	wantCode(t, create(false, "email", "shared@example.com", "email_verified", "true"), "AliasExistsException", "An account with the email already exists.")
	wantCode(t, create(false, "phone_number", "+15555550100", "phone_number_verified", "true"), "AliasExistsException", "An account with the phone_number already exists.")
	if _, err := e.c.AdminGetUser(ctx, &cip.AdminGetUserInput{UserPoolId: aws.String(pool), Username: aws.String("bob")}); err == nil {
		t.Fatal("a refused create left a user")
	}
	if err := create(true, "email", "shared@example.com", "email_verified", "true"); err != nil {
		t.Fatal(err)
	}
	if got := e.getUser(pool, "shared@example.com"); aws.ToString(got.Username) != "bob" {
		t.Fatalf("alias not moved: %s", aws.ToString(got.Username))
	}
	alice := attrMap(e.getUser(pool, "alice").UserAttributes)
	if alice["email"] != "shared@example.com" || alice["email_verified"] != "false" || alice["phone_number_verified"] != "true" {
		t.Fatalf("old holder after the move: %v", alice)
	}
	// Alice still signs in with her phone number.
	if got := e.getUser(pool, "+15555550100"); aws.ToString(got.Username) != "alice" {
		t.Fatalf("phone alias: %s", aws.ToString(got.Username))
	}
}

func TestCaseInsensitiveUsernames(t *testing.T) {
	e := start(t)
	ctx := t.Context()
	pool := e.pool(func(in *cip.CreateUserPoolInput) {
		in.UsernameConfiguration = &types.UsernameConfigurationType{CaseSensitive: aws.Bool(false)}
		in.AliasAttributes = []types.AliasAttributeType{types.AliasAttributeTypeEmail}
	})
	client := aws.ToString(e.client(pool, nil).ClientId)
	e.createUser(pool, "Jane", "email", "Jane@Example.com", "email_verified", "true")
	for _, name := range []string{"Jane", "jane", "JANE", "jane@example.com", "JANE@EXAMPLE.COM"} {
		if got := e.getUser(pool, name); aws.ToString(got.Username) != "Jane" {
			t.Fatalf("AdminGetUser(%s) = %s", name, aws.ToString(got.Username))
		}
	}
	_, err := e.c.AdminCreateUser(ctx, &cip.AdminCreateUserInput{UserPoolId: aws.String(pool), Username: aws.String("jane")})
	wantErr[*types.UsernameExistsException](t, err, "User account already exists")
	_, err = e.c.SignUp(ctx, &cip.SignUpInput{ClientId: aws.String(client), Username: aws.String("JANE"), Password: aws.String(goodPassword)})
	wantErr[*types.UsernameExistsException](t, err, "User already exists")
	_, err = e.c.AdminCreateUser(ctx, &cip.AdminCreateUserInput{UserPoolId: aws.String(pool), Username: aws.String("other"), UserAttributes: attrs("email", "JANE@example.COM", "email_verified", "true")})
	wantCode(t, err, "AliasExistsException", "An account with the email already exists.")
	users := try(e.c.ListUsers(ctx, &cip.ListUsersInput{UserPoolId: aws.String(pool), Filter: aws.String(`username = "jANE"`)})).ok(t).Users
	if len(users) != 1 || aws.ToString(users[0].Username) != "Jane" {
		t.Fatalf("ListUsers username filter: %+v", users)
	}
	try(e.c.AdminDeleteUser(ctx, &cip.AdminDeleteUserInput{UserPoolId: aws.String(pool), Username: aws.String("JANE")})).ok(t)
	e.createUser(pool, "jane")

	// Beyond ASCII too: lookups and ListUsers fold the same way.
	e.createUser(pool, "Ünïcödé", "email", "Ülla@Example.com", "email_verified", "true")
	for _, name := range []string{"Ünïcödé", "ünïcödé", "ÜNÏCÖDÉ", "ülla@example.com"} {
		if got := e.getUser(pool, name); aws.ToString(got.Username) != "Ünïcödé" {
			t.Fatalf("AdminGetUser(%s) = %s", name, aws.ToString(got.Username))
		}
	}
	for _, filter := range []string{`username = "Ünïcödé"`, `username = "ünïcödé"`, `username ^= "ün"`, `username ^= "ÜN"`, `email = "ülla@example.com"`, `email ^= "Ü"`} {
		if got := e.listNames(pool, filter); !slices.Equal(got, []string{"Ünïcödé"}) {
			t.Errorf("ListUsers %s = %v", filter, got)
		}
	}
}

func TestCaseInsensitiveEmailUsernames(t *testing.T) {
	e := start(t)
	ctx := t.Context()
	pool := e.pool(func(in *cip.CreateUserPoolInput) {
		in.UsernameConfiguration = &types.UsernameConfigurationType{CaseSensitive: aws.Bool(false)}
		in.UsernameAttributes = []types.UsernameAttributeType{"email"}
	})
	u := e.createUser(pool, "Jane@Example.com")
	if got := e.getUser(pool, "jane@example.com"); aws.ToString(got.Username) != aws.ToString(u.Username) {
		t.Fatal("not found by lower-case email")
	}
	_, err := e.c.AdminCreateUser(ctx, &cip.AdminCreateUserInput{UserPoolId: aws.String(pool), Username: aws.String("JANE@example.COM")})
	wantErr[*types.UsernameExistsException](t, err, "An account with the given email already exists.")
	if got := e.listNames(pool, `email = "jane@example.com"`); len(got) != 1 {
		t.Fatalf("ListUsers by folded email: %v", got)
	}
}

func TestCaseSensitiveUsernames(t *testing.T) {
	e := start(t)
	ctx := t.Context()
	for _, mod := range []func(in *cip.CreateUserPoolInput){
		nil, // the default
		func(in *cip.CreateUserPoolInput) {
			in.UsernameConfiguration = &types.UsernameConfigurationType{CaseSensitive: aws.Bool(true)}
		},
	} {
		pool := e.pool(mod)
		jane := attrMap(e.createUser(pool, "Jane").Attributes)["sub"]
		other := attrMap(e.createUser(pool, "jane").Attributes)["sub"]
		if jane == other {
			t.Fatal("Jane and jane are the same user")
		}
		if got := e.getUser(pool, "jane"); attrMap(got.UserAttributes)["sub"] != other {
			t.Fatal("jane resolved to Jane")
		}
		_, err := e.c.AdminGetUser(ctx, &cip.AdminGetUserInput{UserPoolId: aws.String(pool), Username: aws.String("JANE")})
		wantErr[*types.UserNotFoundException](t, err, "User does not exist.")
		users := try(e.c.ListUsers(ctx, &cip.ListUsersInput{UserPoolId: aws.String(pool), Filter: aws.String(`username ^= "J"`)})).ok(t).Users
		if len(users) != 1 || !strings.HasPrefix(aws.ToString(users[0].Username), "J") {
			t.Fatalf("case-sensitive prefix filter: %+v", users)
		}
	}
}
