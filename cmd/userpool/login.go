package main

import (
	"encoding/json"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/spf13/cobra"

	"github.com/userpool/userpool/internal/srp"
)

// loginOptions are login's flags.
type loginOptions struct {
	poolID, clientID, secret string
	password, newPassword    string
	flow                     string
	attrs                    []string
}

func newLoginCommand() *cobra.Command {
	var o loginOptions
	cmd := &cobra.Command{
		Use:   "login --pool POOL_ID --client CLIENT_ID USERNAME [--password PASSWORD]",
		Short: "Sign in as a user and print their tokens (InitiateAuth with SRP)",
		Long: "Sign a user in as an app does, with Cognito's SRP protocol (USER_SRP_AUTH: the password never\n" +
			"leaves this process), or with --flow password as USER_PASSWORD_AUTH, and print the tokens:\n" +
			"as JSON the AuthenticationResult, as a table the token type, lifetime and the three tokens.\n\n" +
			"The password comes from --password, else from $USERPOOL_PASSWORD, else it is read from standard\n" +
			"input (not echoed on a terminal).\n\n" +
			"A user created with a temporary password must choose a new one (NEW_PASSWORD_REQUIRED): login\n" +
			"answers with --new-password, else $USERPOOL_NEW_PASSWORD, else it asks on standard input; attributes\n" +
			"the pool requires and the user lacks come from --attr NAME=VALUE, else are asked for too.\n" +
			"USERNAME may be an email or phone number the pool lets users sign in with.",
		Example: "  userpool login --pool us-east-1_AbCdEfGhI --client 1example23456789 jane\n" +
			"  userpool login --pool us-east-1_AbCdEfGhI --client 1example23456789 jane --password 'Temp-Passw0rd' --new-password 'Passw0rd!'\n" +
			"  USERPOOL_PASSWORD='Passw0rd!' userpool login --pool us-east-1_AbCdEfGhI --client 1example23456789 jane --output json | jq -r .AuthenticationResult.IdToken",
		Args: exactArgs("USERNAME"),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.flow = strings.ToLower(o.flow)
			switch o.flow {
			case "srp", "user_srp_auth":
				o.flow = "srp"
				if err := required(cmd, "pool", "client"); err != nil {
					return err
				}
			case "password", "user_password_auth":
				o.flow = "password"
				if err := required(cmd, "client"); err != nil {
					return err
				}
			default:
				return usagef(cmd, "--flow must be srp or password, not %q", o.flow)
			}
			attrs, err := parseAttrs(cmd, o.attrs)
			if err != nil {
				return err
			}
			r, err := connect(cmd)
			if err != nil {
				return err
			}
			pw, err := r.password(o.password, "USERPOOL_PASSWORD", "Password for "+args[0])
			if err != nil {
				return err
			}
			out, err := r.login(&o, args[0], pw, attrs)
			if err != nil {
				return err
			}
			return r.emit(out, func() *table {
				d := &details{}
				if a := out.AuthenticationResult; a != nil {
					d.field("TokenType", aws.ToString(a.TokenType))
					d.field("ExpiresIn", strconv.Itoa(int(a.ExpiresIn)))
					d.field("AccessToken", aws.ToString(a.AccessToken))
					d.field("IdToken", aws.ToString(a.IdToken))
					d.field("RefreshToken", aws.ToString(a.RefreshToken))
				}
				return &d.table
			})
		},
	}
	poolFlag(cmd, &o.poolID)
	clientFlag(cmd, &o.clientID)
	secretFlag(cmd, &o.secret)
	f := cmd.Flags()
	f.StringVar(&o.password, "password", "", "the user's password (default: $USERPOOL_PASSWORD, else read from standard input)")
	f.StringVar(&o.newPassword, "new-password", "", "the new password, should the user have to choose one (default: $USERPOOL_NEW_PASSWORD, else read from standard input)")
	f.StringArrayVar(&o.attrs, "attr", nil, "an attribute as NAME=VALUE (repeatable), sent with a new password")
	f.StringVar(&o.flow, "flow", "srp", "how to sign in: srp (USER_SRP_AUTH) or password (USER_PASSWORD_AUTH)")
	return cmd
}

// loginResult is what login prints: the answer that brought the tokens.
type loginResult struct {
	AuthenticationResult *types.AuthenticationResultType
}

// login signs in and answers the challenges that come up.
func (r *remote) login(o *loginOptions, username, password string, attrs []types.AttributeType) (*loginResult, error) {
	var ch challenge
	if o.flow == "srp" {
		c, err := r.srpLogin(o, username, password)
		if err != nil {
			return nil, err
		}
		ch = c
	} else {
		out, err := r.api.InitiateAuth(r.ctx, &cip.InitiateAuthInput{ClientId: &o.clientID, AuthFlow: types.AuthFlowTypeUserPasswordAuth,
			AuthParameters: r.withSecretHash(o, username, map[string]string{"USERNAME": username, "PASSWORD": password})})
		if err != nil {
			return nil, r.apiError(err)
		}
		ch = challenge{out.ChallengeName, out.ChallengeParameters, out.Session, out.AuthenticationResult}
	}
	for answered := 0; ch.result == nil; answered++ {
		if ch.name != types.ChallengeNameTypeNewPasswordRequired || answered > 0 {
			return nil, fmt.Errorf("the server asks for the %s challenge, which userpool login does not answer", ch.name)
		}
		resp, err := r.newPasswordResponse(o, username, ch.params, attrs)
		if err != nil {
			return nil, err
		}
		out, err := r.api.RespondToAuthChallenge(r.ctx, &cip.RespondToAuthChallengeInput{ClientId: &o.clientID,
			ChallengeName: ch.name, Session: ch.session, ChallengeResponses: resp})
		if err != nil {
			return nil, r.apiError(err)
		}
		ch = challenge{out.ChallengeName, out.ChallengeParameters, out.Session, out.AuthenticationResult}
	}
	return &loginResult{AuthenticationResult: ch.result}, nil
}

// challenge is an answer of InitiateAuth or RespondToAuthChallenge.
type challenge struct {
	name    types.ChallengeNameType
	params  map[string]string
	session *string
	result  *types.AuthenticationResultType
}

// srpLogin runs USER_SRP_AUTH to the answer of PASSWORD_VERIFIER.
func (r *remote) srpLogin(o *loginOptions, username, password string) (challenge, error) {
	cl, err := srp.NewClient()
	if err != nil {
		return challenge{}, err
	}
	init, err := r.api.InitiateAuth(r.ctx, &cip.InitiateAuthInput{ClientId: &o.clientID, AuthFlow: types.AuthFlowTypeUserSrpAuth,
		AuthParameters: r.withSecretHash(o, username, map[string]string{"USERNAME": username, "SRP_A": cl.PublicAHex()})})
	if err != nil {
		return challenge{}, r.apiError(err)
	}
	if init.ChallengeName != types.ChallengeNameTypePasswordVerifier {
		return challenge{}, fmt.Errorf("the server answered USER_SRP_AUTH with the %q challenge, not PASSWORD_VERIFIER", init.ChallengeName)
	}
	cp := init.ChallengeParameters
	sig, ts, err := cl.Claim(srp.PoolName(o.poolID), cp["USER_ID_FOR_SRP"], password, cp["SALT"], cp["SRP_B"], cp["SECRET_BLOCK"], time.Now())
	if err != nil {
		return challenge{}, fmt.Errorf("SRP: %w", err)
	}
	user := cp["USERNAME"]
	if user == "" {
		user = username
	}
	resp := r.withSecretHash(o, user, map[string]string{"USERNAME": user, "PASSWORD_CLAIM_SECRET_BLOCK": cp["SECRET_BLOCK"],
		"PASSWORD_CLAIM_SIGNATURE": sig, "TIMESTAMP": ts})
	out, err := r.api.RespondToAuthChallenge(r.ctx, &cip.RespondToAuthChallengeInput{ClientId: &o.clientID,
		ChallengeName: types.ChallengeNameTypePasswordVerifier, Session: init.Session, ChallengeResponses: resp})
	if err != nil {
		return challenge{}, r.apiError(err)
	}
	return challenge{out.ChallengeName, out.ChallengeParameters, out.Session, out.AuthenticationResult}, nil
}

// newPasswordResponse answers NEW_PASSWORD_REQUIRED.
func (r *remote) newPasswordResponse(o *loginOptions, username string, cp map[string]string, attrs []types.AttributeType) (map[string]string, error) {
	user := cp["USER_ID_FOR_SRP"]
	if user == "" {
		user = username
	}
	if o.newPassword == "" && os.Getenv("USERPOOL_NEW_PASSWORD") == "" {
		fmt.Fprintf(r.cmd.ErrOrStderr(), "%s must choose a new password.\n", username)
	}
	pw, err := r.newPassword(o.newPassword, "USERPOOL_NEW_PASSWORD", "New password")
	if err != nil {
		return nil, err
	}
	resp := map[string]string{"USERNAME": user, "NEW_PASSWORD": pw}
	for _, a := range attrs {
		resp["userAttributes."+aws.ToString(a.Name)] = aws.ToString(a.Value)
	}
	var requiredAttrs []string
	if s := cp["requiredAttributes"]; s != "" {
		if err := json.Unmarshal([]byte(s), &requiredAttrs); err != nil {
			return nil, fmt.Errorf("NEW_PASSWORD_REQUIRED: requiredAttributes %q: %w", s, err)
		}
	}
	for _, name := range requiredAttrs {
		key := "userAttributes." + strings.TrimPrefix(name, "userAttributes.")
		if _, ok := resp[key]; ok {
			continue
		}
		v, err := r.prompt(strings.TrimPrefix(key, "userAttributes."), false)
		if err != nil {
			return nil, err
		}
		resp[key] = v
	}
	return r.withSecretHash(o, user, resp), nil
}

// withSecretHash adds SECRET_HASH to auth parameters when the client has a
// secret.
func (r *remote) withSecretHash(o *loginOptions, username string, params map[string]string) map[string]string {
	if o.secret != "" {
		params["SECRET_HASH"] = secretHash(o.secret, username, o.clientID)
	}
	return params
}
