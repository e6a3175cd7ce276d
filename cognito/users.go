package cognito

import (
	"context"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

// User is a user as Cognito describes them. Attribute values are strings
// as Cognito sends them ("true", not true); "sub", "email_verified" and
// the like are attributes too.
type User struct {
	Username   string
	Attributes map[string]string
	// Status, Enabled, Created and Modified are known from the admin
	// operations (AdminGetUser, AdminCreateUser); GetUser leaves them zero.
	Status   types.UserStatusType
	Enabled  bool
	Created  time.Time
	Modified time.Time
}

// Register signs a new user up (SignUp) with a password and attributes
// ("email", "name", "custom:plan", ...), and makes them the user the
// Cognito value acts for, so ConfirmSignUp can follow. It returns where
// the confirmation code went, or nil when none was sent (a user confirmed
// by a pre-sign-up trigger, or a pool that verifies nothing).
func (c *Cognito) Register(ctx context.Context, username, password string, attrs map[string]string) (*types.CodeDeliveryDetailsType, error) {
	out, err := c.idp.SignUp(ctx, &cip.SignUpInput{
		ClientId:       aws.String(c.clientID),
		Username:       aws.String(username),
		Password:       aws.String(password),
		UserAttributes: toAttributes(attrs),
		SecretHash:     c.secretHashPtr(username),
	})
	if err != nil {
		return nil, err
	}
	c.setUsername(username)
	return out.CodeDeliveryDetails, nil
}

// ConfirmSignUp confirms the user's registration with the code Register
// sent.
func (c *Cognito) ConfirmSignUp(ctx context.Context, code string) error {
	username, err := c.requireUsername()
	if err != nil {
		return err
	}
	_, err = c.idp.ConfirmSignUp(ctx, &cip.ConfirmSignUpInput{
		ClientId:         aws.String(c.clientID),
		Username:         aws.String(username),
		ConfirmationCode: aws.String(code),
		SecretHash:       c.secretHashPtr(username),
	})
	return err
}

// AdminCreateUser creates a user as an administrator, with a temporary
// password ("" lets Cognito generate one) they must change at their first
// sign-in, and attributes. Cognito sends them an invitation unless an
// option says otherwise; opts adjust the request, for example
//
//	func(in *cip.AdminCreateUserInput) { in.MessageAction = types.MessageActionTypeSuppress }
//
// Like pycognito, it makes the new user the one the Cognito value acts for.
func (c *Cognito) AdminCreateUser(ctx context.Context, username, temporaryPassword string, attrs map[string]string, opts ...func(*cip.AdminCreateUserInput)) (*User, error) {
	in := &cip.AdminCreateUserInput{
		UserPoolId:     aws.String(c.poolID),
		Username:       aws.String(username),
		UserAttributes: toAttributes(attrs),
	}
	if temporaryPassword != "" {
		in.TemporaryPassword = aws.String(temporaryPassword)
	}
	for _, opt := range opts {
		opt(in)
	}
	out, err := c.idp.AdminCreateUser(ctx, in)
	if err != nil {
		return nil, err
	}
	c.setUsername(username)
	u := &User{Username: username, Attributes: map[string]string{}}
	if out.User != nil {
		u = &User{
			Username:   aws.ToString(out.User.Username),
			Attributes: fromAttributes(out.User.Attributes),
			Status:     out.User.UserStatus,
			Enabled:    out.User.Enabled,
			Created:    aws.ToTime(out.User.UserCreateDate),
			Modified:   aws.ToTime(out.User.UserLastModifiedDate),
		}
	}
	return u, nil
}

// GetUser returns the signed-in user, by their access token.
func (c *Cognito) GetUser(ctx context.Context) (*User, error) {
	access, err := c.accessToken(ctx)
	if err != nil {
		return nil, err
	}
	out, err := c.idp.GetUser(ctx, &cip.GetUserInput{AccessToken: aws.String(access)})
	if err != nil {
		return nil, err
	}
	return &User{Username: aws.ToString(out.Username), Attributes: fromAttributes(out.UserAttributes)}, nil
}

// AdminGetUser returns the user as an administrator sees them.
func (c *Cognito) AdminGetUser(ctx context.Context) (*User, error) {
	username, err := c.requireUsername()
	if err != nil {
		return nil, err
	}
	out, err := c.idp.AdminGetUser(ctx, &cip.AdminGetUserInput{UserPoolId: aws.String(c.poolID), Username: aws.String(username)})
	if err != nil {
		return nil, err
	}
	return &User{
		Username:   aws.ToString(out.Username),
		Attributes: fromAttributes(out.UserAttributes),
		Status:     out.UserStatus,
		Enabled:    out.Enabled,
		Created:    aws.ToTime(out.UserCreateDate),
		Modified:   aws.ToTime(out.UserLastModifiedDate),
	}, nil
}

// UpdateProfile sets the signed-in user's attributes. Changing an email
// address or phone number the pool verifies sends a code to the new one
// (see ValidateVerification).
func (c *Cognito) UpdateProfile(ctx context.Context, attrs map[string]string) error {
	access, err := c.accessToken(ctx)
	if err != nil {
		return err
	}
	_, err = c.idp.UpdateUserAttributes(ctx, &cip.UpdateUserAttributesInput{
		AccessToken:    aws.String(access),
		UserAttributes: toAttributes(attrs),
	})
	return err
}

// AdminUpdateProfile sets the user's attributes as an administrator.
func (c *Cognito) AdminUpdateProfile(ctx context.Context, attrs map[string]string) error {
	username, err := c.requireUsername()
	if err != nil {
		return err
	}
	_, err = c.idp.AdminUpdateUserAttributes(ctx, &cip.AdminUpdateUserAttributesInput{
		UserPoolId:     aws.String(c.poolID),
		Username:       aws.String(username),
		UserAttributes: toAttributes(attrs),
	})
	return err
}

// SendVerification sends the signed-in user a code to verify an attribute
// ("email" when attribute is "", or "phone_number") and returns where it
// went.
func (c *Cognito) SendVerification(ctx context.Context, attribute string) (*types.CodeDeliveryDetailsType, error) {
	if attribute == "" {
		attribute = "email"
	}
	access, err := c.accessToken(ctx)
	if err != nil {
		return nil, err
	}
	out, err := c.idp.GetUserAttributeVerificationCode(ctx, &cip.GetUserAttributeVerificationCodeInput{
		AccessToken:   aws.String(access),
		AttributeName: aws.String(attribute),
	})
	if err != nil {
		return nil, err
	}
	return out.CodeDeliveryDetails, nil
}

// ValidateVerification verifies an attribute ("email" when attribute is
// "") with the code SendVerification (or UpdateProfile) sent. A wrong code
// gives *types.CodeMismatchException, an expired one
// *types.ExpiredCodeException.
func (c *Cognito) ValidateVerification(ctx context.Context, code, attribute string) error {
	if attribute == "" {
		attribute = "email"
	}
	access, err := c.accessToken(ctx)
	if err != nil {
		return err
	}
	_, err = c.idp.VerifyUserAttribute(ctx, &cip.VerifyUserAttributeInput{
		AccessToken:   aws.String(access),
		AttributeName: aws.String(attribute),
		Code:          aws.String(code),
	})
	return err
}
