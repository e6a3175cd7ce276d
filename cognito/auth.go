package cognito

import (
	"context"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/userpool/userpool/internal/srp"
)

// step is where a sign-in stands after a request: tokens, or the next
// challenge.
type step struct {
	result    *types.AuthenticationResultType
	challenge types.ChallengeNameType
	session   string
	params    map[string]string
	// username is the name later challenges are answered for (the
	// PASSWORD_VERIFIER challenge's USERNAME); "" when unknown.
	username string
}

// Authenticate signs the user in with USER_SRP_AUTH: the password never
// leaves the client, only an SRP proof of it. It verifies the tokens
// Cognito returns and keeps them (see Tokens).
//
// A user with a temporary password gets a *ForceChangePasswordError,
// whose Respond completes the sign-in; another challenge (MFA, custom
// auth) gives a *ChallengeError. Cognito's refusals come back as the
// SDK's exception types, e.g. *types.NotAuthorizedException for a wrong
// password or *types.PasswordResetRequiredException after an
// administrator's reset.
func (c *Cognito) Authenticate(ctx context.Context, password string) error {
	s, err := c.srpSignIn(ctx, password)
	if err != nil {
		return err
	}
	return c.finish(ctx, s, false)
}

// NewPasswordChallenge signs in with the user's temporary password (as
// Authenticate does) and answers the NEW_PASSWORD_REQUIRED challenge with
// newPassword, keeping the tokens. If the user has no challenge to answer,
// the sign-in with password simply completes.
func (c *Cognito) NewPasswordChallenge(ctx context.Context, password, newPassword string) error {
	s, err := c.srpSignIn(ctx, password)
	if err != nil {
		return err
	}
	if s.result == nil && s.challenge == types.ChallengeNameTypeNewPasswordRequired {
		return c.newForceChangePasswordError(s.session, s.params, s.username, false).Respond(ctx, newPassword, nil)
	}
	return c.finish(ctx, s, false)
}

// AdminAuthenticate signs the user in with the password sent to Cognito
// (ADMIN_USER_PASSWORD_AUTH, the current name of pycognito's
// ADMIN_NO_SRP_AUTH). It needs AWS credentials allowed to call
// AdminInitiateAuth, and an app client that allows the flow. Results and
// errors are as for Authenticate.
func (c *Cognito) AdminAuthenticate(ctx context.Context, password string) error {
	username, err := c.requireUsername()
	if err != nil {
		return err
	}
	params := map[string]string{"USERNAME": username, "PASSWORD": password}
	c.addSecretHash(params, username)
	out, err := c.idp.AdminInitiateAuth(ctx, &cip.AdminInitiateAuthInput{
		UserPoolId:     aws.String(c.poolID),
		ClientId:       aws.String(c.clientID),
		AuthFlow:       types.AuthFlowTypeAdminUserPasswordAuth,
		AuthParameters: params,
	})
	if err != nil {
		return err
	}
	return c.finish(ctx, &step{result: out.AuthenticationResult, challenge: out.ChallengeName,
		session: aws.ToString(out.Session), params: out.ChallengeParameters}, true)
}

// srpSignIn runs USER_SRP_AUTH up to the answer to PASSWORD_VERIFIER.
func (c *Cognito) srpSignIn(ctx context.Context, password string) (*step, error) {
	username, err := c.requireUsername()
	if err != nil {
		return nil, err
	}
	client, err := srp.NewClient()
	if err != nil {
		return nil, fmt.Errorf("cognito: %w", err)
	}
	params := map[string]string{"USERNAME": username, "SRP_A": client.PublicAHex()}
	c.addSecretHash(params, username)
	init, err := c.idp.InitiateAuth(ctx, &cip.InitiateAuthInput{
		ClientId:       aws.String(c.clientID),
		AuthFlow:       types.AuthFlowTypeUserSrpAuth,
		AuthParameters: params,
	})
	if err != nil {
		return nil, err
	}
	if init.ChallengeName != types.ChallengeNameTypePasswordVerifier {
		return &step{result: init.AuthenticationResult, challenge: init.ChallengeName,
			session: aws.ToString(init.Session), params: init.ChallengeParameters}, nil
	}

	cp := init.ChallengeParameters
	// Cognito names the user by their internal username in the challenge
	// (for a sign-in with an alias); the answer and its SECRET_HASH use it.
	internal := cp["USERNAME"]
	if internal == "" {
		internal = username
	}
	sig, timestamp, err := client.Claim(srp.PoolName(c.poolID), cp["USER_ID_FOR_SRP"], password,
		cp["SALT"], cp["SRP_B"], cp["SECRET_BLOCK"], c.now())
	if err != nil {
		return nil, fmt.Errorf("cognito: answering PASSWORD_VERIFIER: %w", err)
	}
	answer := map[string]string{
		"USERNAME":                    internal,
		"PASSWORD_CLAIM_SECRET_BLOCK": cp["SECRET_BLOCK"],
		"PASSWORD_CLAIM_SIGNATURE":    sig,
		"TIMESTAMP":                   timestamp,
	}
	c.addSecretHash(answer, internal)
	out, err := c.idp.RespondToAuthChallenge(ctx, &cip.RespondToAuthChallengeInput{
		ClientId:           aws.String(c.clientID),
		ChallengeName:      types.ChallengeNameTypePasswordVerifier,
		ChallengeResponses: answer,
		Session:            init.Session, // AWS sends none; pass one on if a server does
	})
	if err != nil {
		return nil, err
	}
	return &step{result: out.AuthenticationResult, challenge: out.ChallengeName,
		session: aws.ToString(out.Session), params: out.ChallengeParameters, username: internal}, nil
}

// finish completes a sign-in step: it keeps the tokens, or reports the
// challenge.
func (c *Cognito) finish(ctx context.Context, s *step, admin bool) error {
	switch {
	case s.result != nil:
		return c.setTokens(ctx, s.result)
	case s.challenge == types.ChallengeNameTypeNewPasswordRequired:
		return c.newForceChangePasswordError(s.session, s.params, s.username, admin)
	default:
		return &ChallengeError{Name: s.challenge, Session: s.session, Parameters: s.params}
	}
}

// respondNewPassword answers NEW_PASSWORD_REQUIRED.
func (c *Cognito) respondNewPassword(ctx context.Context, e *ForceChangePasswordError, newPassword string, attrs map[string]string) error {
	answer := map[string]string{"USERNAME": e.Username, "NEW_PASSWORD": newPassword}
	for name, value := range attrs {
		if !strings.HasPrefix(name, "userAttributes.") {
			name = "userAttributes." + name
		}
		answer[name] = value
	}
	c.addSecretHash(answer, e.Username)
	var s *step
	if e.admin {
		out, err := c.idp.AdminRespondToAuthChallenge(ctx, &cip.AdminRespondToAuthChallengeInput{
			UserPoolId:         aws.String(c.poolID),
			ClientId:           aws.String(c.clientID),
			ChallengeName:      types.ChallengeNameTypeNewPasswordRequired,
			ChallengeResponses: answer,
			Session:            aws.String(e.Session),
		})
		if err != nil {
			return err
		}
		s = &step{result: out.AuthenticationResult, challenge: out.ChallengeName, session: aws.ToString(out.Session), params: out.ChallengeParameters}
	} else {
		out, err := c.idp.RespondToAuthChallenge(ctx, &cip.RespondToAuthChallengeInput{
			ClientId:           aws.String(c.clientID),
			ChallengeName:      types.ChallengeNameTypeNewPasswordRequired,
			ChallengeResponses: answer,
			Session:            aws.String(e.Session),
		})
		if err != nil {
			return err
		}
		s = &step{result: out.AuthenticationResult, challenge: out.ChallengeName, session: aws.ToString(out.Session), params: out.ChallengeParameters}
	}
	return c.finish(ctx, s, e.admin)
}

// CheckToken reports whether the access token has expired, by its exp
// claim and the client's clock (see WithClock), and when it has and renew
// is true, renews the tokens with RenewAccessToken. It returns ErrNoTokens
// when no access token is held.
func (c *Cognito) CheckToken(ctx context.Context, renew bool) (expired bool, err error) {
	access := c.Tokens().AccessToken
	if access == "" {
		return false, ErrNoTokens
	}
	exp, err := unverifiedExpiry(access)
	if err != nil {
		return false, &TokenVerificationError{Token: "access", Reason: "unreadable token", Err: err}
	}
	if !c.now().After(exp) {
		return false, nil
	}
	if renew {
		return true, c.RenewAccessToken(ctx)
	}
	return true, nil
}

// RenewAccessToken gets new ID and access tokens with the refresh token
// (REFRESH_TOKEN_AUTH), verifies and keeps them. With a client secret the
// SECRET_HASH is computed over the access token's username claim (the
// user's internal username, which Cognito expects even for a sign-in with
// an alias), or the Cognito value's username when that is unknown.
func (c *Cognito) RenewAccessToken(ctx context.Context) error {
	t := c.Tokens()
	if t.RefreshToken == "" {
		return ErrNoTokens
	}
	params := map[string]string{"REFRESH_TOKEN": t.RefreshToken}
	if c.clientSecret != "" {
		name := unverifiedUsername(t.AccessToken)
		if name == "" {
			name = c.Username()
		}
		if name == "" {
			return ErrNoUsername
		}
		c.addSecretHash(params, name)
	}
	out, err := c.idp.InitiateAuth(ctx, &cip.InitiateAuthInput{
		ClientId:       aws.String(c.clientID),
		AuthFlow:       types.AuthFlowTypeRefreshTokenAuth,
		AuthParameters: params,
	})
	if err != nil {
		return err
	}
	return c.finish(ctx, &step{result: out.AuthenticationResult, challenge: out.ChallengeName,
		session: aws.ToString(out.Session), params: out.ChallengeParameters}, false)
}

// accessToken returns the access token for an operation that needs one,
// renewed first if it has expired and a refresh token is held.
func (c *Cognito) accessToken(ctx context.Context) (string, error) {
	t := c.Tokens()
	if t.AccessToken == "" {
		return "", ErrNoTokens
	}
	if t.RefreshToken != "" {
		if _, err := c.CheckToken(ctx, true); err != nil {
			return "", err
		}
	}
	return c.Tokens().AccessToken, nil
}

// Logout signs the user out of every device (GlobalSignOut: their refresh
// tokens are revoked, and Cognito refuses their access tokens) and forgets
// the tokens.
func (c *Cognito) Logout(ctx context.Context) error {
	access, err := c.accessToken(ctx)
	if err != nil {
		return err
	}
	if _, err := c.idp.GlobalSignOut(ctx, &cip.GlobalSignOutInput{AccessToken: aws.String(access)}); err != nil {
		return err
	}
	c.mu.Lock()
	c.tokens = Tokens{}
	c.mu.Unlock()
	return nil
}
