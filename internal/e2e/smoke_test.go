package e2e

import (
	"context"
	"errors"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/userpool/userpool/internal/testserver"
)

func TestSmokeSignUpAndConfirm(t *testing.T) {
	ctx := context.Background()
	srv := testserver.Start(t)
	c := srv.Client
	pool, err := c.CreateUserPool(ctx, &cip.CreateUserPoolInput{PoolName: aws.String("demo"), AutoVerifiedAttributes: []types.VerifiedAttributeType{"email"}})
	if err != nil {
		t.Fatal(err)
	}
	poolID := aws.ToString(pool.UserPool.Id)
	cl, err := c.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{UserPoolId: &poolID, ClientName: aws.String("web")})
	if err != nil {
		t.Fatal(err)
	}
	clientID := cl.UserPoolClient.ClientId
	su, err := c.SignUp(ctx, &cip.SignUpInput{ClientId: clientID, Username: aws.String("bob"), Password: aws.String("Passw0rd!"),
		UserAttributes: []types.AttributeType{{Name: aws.String("email"), Value: aws.String("bob@example.com")}}})
	if err != nil {
		t.Fatal(err)
	}
	if su.UserConfirmed || aws.ToString(su.CodeDeliveryDetails.Destination) != "b***@e***.com" {
		t.Fatalf("SignUp = %+v", su)
	}
	_, err = c.ConfirmSignUp(ctx, &cip.ConfirmSignUpInput{ClientId: clientID, Username: aws.String("bob"), ConfirmationCode: aws.String("000000")})
	var mismatch *types.CodeMismatchException
	if !errors.As(err, &mismatch) {
		t.Fatalf("wrong code: %v", err)
	}
	code := srv.LastCode(t, poolID, "bob")
	if _, err := c.ConfirmSignUp(ctx, &cip.ConfirmSignUpInput{ClientId: clientID, Username: aws.String("bob"), ConfirmationCode: &code}); err != nil {
		t.Fatal(err)
	}
	u, err := c.AdminGetUser(ctx, &cip.AdminGetUserInput{UserPoolId: &poolID, Username: aws.String("bob")})
	if err != nil {
		t.Fatal(err)
	}
	if u.UserStatus != types.UserStatusTypeConfirmed {
		t.Fatalf("status = %s", u.UserStatus)
	}
}
