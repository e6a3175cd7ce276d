package e2e

import (
	"reflect"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/userpool/userpool/internal/testserver"
)

func TestRestartKeepsEverything(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	dir := t.TempDir()
	srv := testserver.Start(t, testserver.Options{DataDir: dir})
	e := &env{t: t, srv: srv, c: srv.Client}

	pool := e.pool(func(in *cip.CreateUserPoolInput) {
		in.PoolName = aws.String("durable")
		in.AutoVerifiedAttributes = []types.VerifiedAttributeType{"email"}
		in.AliasAttributes = []types.AliasAttributeType{"email"}
		in.Schema = []types.SchemaAttributeType{{Name: aws.String("plan"), AttributeDataType: types.AttributeDataTypeString}}
		in.Policies = &types.UserPoolPolicyType{PasswordPolicy: &types.PasswordPolicyType{MinimumLength: aws.Int32(12), RequireNumbers: true}}
	})
	client := e.client(pool, func(in *cip.CreateUserPoolClientInput) {
		in.GenerateSecret = true
		in.ExplicitAuthFlows = []types.ExplicitAuthFlowsType{"ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"}
	})
	clientID, secret := aws.ToString(client.ClientId), aws.ToString(client.ClientSecret)
	e.createUser(pool, "jane", "email", "jane@example.com", "email_verified", "true", "custom:plan", "gold")
	try(e.c.AdminDisableUser(ctx, &cip.AdminDisableUserInput{UserPoolId: aws.String(pool), Username: aws.String("jane")})).ok(t)
	try(e.c.SignUp(ctx, &cip.SignUpInput{ClientId: aws.String(clientID), Username: aws.String("bob"), Password: aws.String("longpassword1"),
		SecretHash: aws.String(secretHash(secret, "bob", clientID)), UserAttributes: attrs("email", "bob@example.com")})).ok(t)
	code := srv.LastCode(t, pool, "bob")

	poolBefore := e.describePool(pool)
	clientBefore := e.describeClient(pool, clientID)
	janeBefore := e.getUser(pool, "jane")
	bobBefore := e.getUser(pool, "bob")
	outboxBefore := srv.Outbox(t, pool, "")
	srv.Close()

	srv = testserver.Start(t, testserver.Options{DataDir: dir})
	e = &env{t: t, srv: srv, c: srv.Client}
	if got := e.describePool(pool); !reflect.DeepEqual(got, poolBefore) {
		t.Fatalf("pool after restart:\n%+v\nbefore:\n%+v", got, poolBefore)
	}
	if got := e.describeClient(pool, clientID); !reflect.DeepEqual(got, clientBefore) || aws.ToString(got.ClientSecret) != secret {
		t.Fatalf("client after restart:\n%+v\nbefore:\n%+v", got, clientBefore)
	}
	for name, before := range map[string]*cip.AdminGetUserOutput{"jane": janeBefore, "bob": bobBefore} {
		got := e.getUser(pool, name)
		if aws.ToString(got.Username) != aws.ToString(before.Username) || got.Enabled != before.Enabled || got.UserStatus != before.UserStatus ||
			!reflect.DeepEqual(attrMap(got.UserAttributes), attrMap(before.UserAttributes)) ||
			!got.UserCreateDate.Equal(*before.UserCreateDate) || !got.UserLastModifiedDate.Equal(*before.UserLastModifiedDate) {
			t.Fatalf("%s after restart:\n%+v\nbefore:\n%+v", name, got, before)
		}
	}
	if got := e.getUser(pool, "jane@example.com"); aws.ToString(got.Username) != "jane" || got.Enabled {
		t.Fatalf("jane by alias after restart: %+v", got)
	}
	if got := srv.Outbox(t, pool, ""); !reflect.DeepEqual(got, outboxBefore) {
		t.Fatalf("outbox after restart:\n%+v\nbefore:\n%+v", got, outboxBefore)
	}
	pools := try(e.c.ListUserPools(ctx, &cip.ListUserPoolsInput{MaxResults: aws.Int32(10)})).ok(t).UserPools
	if len(pools) != 1 || aws.ToString(pools[0].Id) != pool {
		t.Fatalf("pools after restart %+v", pools)
	}
	// The code sent before the restart still confirms (the code key is kept).
	try(e.c.ConfirmSignUp(ctx, &cip.ConfirmSignUpInput{ClientId: aws.String(clientID), Username: aws.String("bob"), ConfirmationCode: aws.String(code),
		SecretHash: aws.String(secretHash(secret, "bob", clientID))})).ok(t)
	if u := e.getUser(pool, "bob"); u.UserStatus != types.UserStatusTypeConfirmed {
		t.Fatalf("bob %s", u.UserStatus)
	}
	// And the new server carries on where the old one stopped.
	e.createUser(pool, "amy")
	_, err := e.c.AdminCreateUser(ctx, &cip.AdminCreateUserInput{UserPoolId: aws.String(pool), Username: aws.String("jane")})
	wantErr[*types.UsernameExistsException](t, err, "User account already exists")
}
