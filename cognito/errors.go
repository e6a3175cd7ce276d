package cognito

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

// Errors for what the client finds missing before asking Cognito.
var (
	// ErrNoUsername: the operation acts for the Cognito value's user and
	// none is set (see WithUsername).
	ErrNoUsername = errors.New("cognito: no username set")
	// ErrNoTokens: the operation needs the user's tokens and none are held
	// (authenticate first, or start with WithTokens).
	ErrNoTokens = errors.New("cognito: no tokens: authenticate first")
)

// TokenVerificationError reports a token that failed verification: a bad
// signature, an unknown key, or a wrong issuer, audience, client, token
// use or expiry. pycognito raises TokenVerificationException.
type TokenVerificationError struct {
	// Token is "id" or "access".
	Token string
	// Reason says what failed.
	Reason string
	// Err is the underlying error, if any (parsing, fetching the keys).
	Err error
}

func (e *TokenVerificationError) Error() string {
	msg := fmt.Sprintf("cognito: the %s token could not be verified: %s", e.Token, e.Reason)
	if e.Err != nil {
		msg += ": " + e.Err.Error()
	}
	return msg
}

func (e *TokenVerificationError) Unwrap() error { return e.Err }

// ChallengeError is a sign-in challenge this package does not answer
// (SMS_MFA, SOFTWARE_TOKEN_MFA, CUSTOM_CHALLENGE, ...). It carries what is
// needed to answer it with the SDK client (Cognito.Client) directly.
type ChallengeError struct {
	Name       types.ChallengeNameType
	Session    string
	Parameters map[string]string
}

func (e *ChallengeError) Error() string {
	return fmt.Sprintf("cognito: the %s challenge is not supported", e.Name)
}

// ForceChangePasswordError is returned by Authenticate and
// AdminAuthenticate when the user signed in with a temporary password and
// must choose a new one (Cognito's NEW_PASSWORD_REQUIRED challenge). Call
// Respond to complete the sign-in; pycognito raises
// ForceChangePasswordException and offers new_password_challenge, which
// is NewPasswordChallenge here.
type ForceChangePasswordError struct {
	// Session identifies the challenge; it can be used once, within the
	// app client's AuthSessionValidity (3 minutes by default).
	Session string
	// Username is the user's username as the challenge names it, which
	// Respond answers for.
	Username string
	// RequiredAttributes are the required attributes the user has no
	// value for; Respond must supply them. Names are plain ("name"), not
	// prefixed "userAttributes." as in the challenge.
	RequiredAttributes []string
	// UserAttributes are the user's current attributes.
	UserAttributes map[string]string
	// Parameters are the challenge parameters as received.
	Parameters map[string]string

	c     *Cognito
	admin bool
}

func (e *ForceChangePasswordError) Error() string {
	return "cognito: the user must change their temporary password before signing in (NEW_PASSWORD_REQUIRED)"
}

// Respond completes the challenge with a new password and the attributes
// to set (required ones the user lacks, or others the app client may
// write; nil for none), and stores the tokens on the Cognito value the
// challenge came from.
func (e *ForceChangePasswordError) Respond(ctx context.Context, newPassword string, attrs map[string]string) error {
	return e.c.respondNewPassword(ctx, e, newPassword, attrs)
}

// newForceChangePasswordError reads a NEW_PASSWORD_REQUIRED challenge.
// username is the name to answer for when the challenge names none.
func (c *Cognito) newForceChangePasswordError(session string, params map[string]string, username string, admin bool) *ForceChangePasswordError {
	e := &ForceChangePasswordError{Session: session, Parameters: params, Username: username, c: c, admin: admin,
		UserAttributes: map[string]string{}}
	if e.Username == "" {
		e.Username = params["USER_ID_FOR_SRP"]
	}
	if e.Username == "" {
		e.Username = c.Username()
	}
	var required []string
	if err := json.Unmarshal([]byte(params["requiredAttributes"]), &required); err == nil {
		for _, name := range required {
			e.RequiredAttributes = append(e.RequiredAttributes, strings.TrimPrefix(name, "userAttributes."))
		}
		sort.Strings(e.RequiredAttributes)
	}
	var attrs map[string]any
	if err := json.Unmarshal([]byte(params["userAttributes"]), &attrs); err == nil {
		for name, v := range attrs {
			switch v := v.(type) {
			case string:
				e.UserAttributes[name] = v
			case nil:
			default:
				b, _ := json.Marshal(v)
				e.UserAttributes[name] = string(b)
			}
		}
	}
	return e
}
