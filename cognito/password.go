package cognito

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

// InitiateForgotPassword sends the user a code to reset their password
// with (ForgotPassword), to their verified email or phone number as the
// pool's account recovery setting says, and returns where it went.
func (c *Cognito) InitiateForgotPassword(ctx context.Context) (*types.CodeDeliveryDetailsType, error) {
	username, err := c.requireUsername()
	if err != nil {
		return nil, err
	}
	out, err := c.idp.ForgotPassword(ctx, &cip.ForgotPasswordInput{
		ClientId:   aws.String(c.clientID),
		Username:   aws.String(username),
		SecretHash: c.secretHashPtr(username),
	})
	if err != nil {
		return nil, err
	}
	return out.CodeDeliveryDetails, nil
}

// ConfirmForgotPassword sets a new password with the code that
// InitiateForgotPassword (or an administrator's AdminResetPassword) sent.
// A wrong code gives *types.CodeMismatchException, an expired one
// *types.ExpiredCodeException, a password the pool's policy refuses
// *types.InvalidPasswordException.
func (c *Cognito) ConfirmForgotPassword(ctx context.Context, code, password string) error {
	username, err := c.requireUsername()
	if err != nil {
		return err
	}
	_, err = c.idp.ConfirmForgotPassword(ctx, &cip.ConfirmForgotPasswordInput{
		ClientId:         aws.String(c.clientID),
		Username:         aws.String(username),
		ConfirmationCode: aws.String(code),
		Password:         aws.String(password),
		SecretHash:       c.secretHashPtr(username),
	})
	return err
}

// ChangePassword changes the signed-in user's password. The access token
// is renewed first if it has expired, as pycognito's check_token does.
func (c *Cognito) ChangePassword(ctx context.Context, previous, proposed string) error {
	access, err := c.accessToken(ctx)
	if err != nil {
		return err
	}
	_, err = c.idp.ChangePassword(ctx, &cip.ChangePasswordInput{
		AccessToken:      aws.String(access),
		PreviousPassword: aws.String(previous),
		ProposedPassword: aws.String(proposed),
	})
	return err
}

// AdminResetPassword resets a user's password as an administrator
// (AdminResetUserPassword): their password stops working, signing in
// gives *types.PasswordResetRequiredException, and a code for
// ConfirmForgotPassword goes to their verified email or phone number.
// username "" means the Cognito value's user; clientMetadata goes to the
// pool's custom message trigger and may be nil.
func (c *Cognito) AdminResetPassword(ctx context.Context, username string, clientMetadata map[string]string) error {
	username, err := c.orUsername(username)
	if err != nil {
		return err
	}
	_, err = c.idp.AdminResetUserPassword(ctx, &cip.AdminResetUserPasswordInput{
		UserPoolId:     aws.String(c.poolID),
		Username:       aws.String(username),
		ClientMetadata: clientMetadata,
	})
	return err
}

// AdminSetPassword sets a user's password as an administrator: a
// permanent one (the user becomes CONFIRMED) or a temporary one they must
// change at their next sign-in (FORCE_CHANGE_PASSWORD). username "" means
// the Cognito value's user.
func (c *Cognito) AdminSetPassword(ctx context.Context, username, password string, permanent bool) error {
	username, err := c.orUsername(username)
	if err != nil {
		return err
	}
	_, err = c.idp.AdminSetUserPassword(ctx, &cip.AdminSetUserPasswordInput{
		UserPoolId: aws.String(c.poolID),
		Username:   aws.String(username),
		Password:   aws.String(password),
		Permanent:  permanent,
	})
	return err
}

// orUsername is username, or the Cognito value's when it is "".
func (c *Cognito) orUsername(username string) (string, error) {
	if username != "" {
		return username, nil
	}
	return c.requireUsername()
}
