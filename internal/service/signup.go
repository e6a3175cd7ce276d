package service

import (
	"context"
	"errors"

	"github.com/userpool/userpool/api"
	"github.com/userpool/userpool/internal/ids"
	"github.com/userpool/userpool/internal/mask"
	"github.com/userpool/userpool/internal/store"
)

// errUnauthorizedAttribute is AWS's answer when a client writes an
// attribute it may not.
var errUnauthorizedAttribute = api.NewNotAuthorizedException("A client attempted to write unauthorized attribute")

// checkWritable enforces the app client's WriteAttributes. Verified flags
// are never writable by users themselves.
func (c *client) checkWritable(attrs []api.AttributeType) error {
	for _, a := range attrs {
		name := api.ToString(a.Name)
		if name == "email_verified" || name == "phone_number_verified" {
			return errUnauthorizedAttribute
		}
		if c.cfg.WriteAttributes != nil && !contains(c.cfg.WriteAttributes, name) {
			return errUnauthorizedAttribute
		}
	}
	return nil
}

// SignUp registers a user through an app client: status UNCONFIRMED, and a
// confirmation code sent to the contact the pool auto-verifies.
func (s *Service) SignUp(ctx context.Context, in *api.SignUpRequest) (*api.SignUpResponse, error) {
	var out api.SignUpResponse
	err := s.store.Update(ctx, func(tx store.Tx) error {
		p, c, err := loadClientAndPool(ctx, tx, api.ToString(in.ClientId))
		if err != nil {
			return err
		}
		if err := c.checkSecretHash(in.SecretHash, api.ToString(in.Username)); err != nil {
			return err
		}
		if p.cfg.AdminCreateUserConfig != nil && api.ToBool(p.cfg.AdminCreateUserConfig.AllowAdminCreateUserOnly) {
			return api.NewNotAuthorizedException("SignUp is not permitted for this user pool")
		}
		if in.Password == nil {
			return invalidParam("Password is required for sign-up in this user pool.")
		}
		if err := c.checkWritable(in.UserAttributes); err != nil {
			return err
		}
		username, implied, err := p.newUserIdentity(api.ToString(in.Username), in.UserAttributes)
		if err != nil {
			return err
		}
		if err := p.checkAttributes(in.UserAttributes, attrSignUp); err != nil {
			return err
		}
		if err := p.checkPassword(*in.Password, signUpPolicyPrefix); err != nil {
			return err
		}
		now := s.clock()
		u := store.User{PoolID: p.ID, Username: username, Sub: ids.UUID(), Enabled: true, Status: statusUnconfirmed, CreatedAt: now}
		if len(p.cfg.UsernameAttributes) > 0 {
			u.Sub = username
		}
		u.SetAttr("sub", u.Sub)
		setAttributes(&u, implied)
		setAttributes(&u, in.UserAttributes)
		if err := p.checkRequired(&u); err != nil {
			return err
		}
		if err := s.setPassword(p, &u, *in.Password, false); err != nil {
			return err
		}
		if err := s.saveUser(ctx, tx, p, &u, true, false); err != nil {
			return p.conflictError(err, "User already exists")
		}
		out.UserConfirmed = api.Bool(false)
		out.UserSub = api.String(u.Sub)
		if d, ok := p.signUpDestination(&u); ok {
			if err := s.issueCode(ctx, tx, p, &u, purposeSignUp, d, signUpCodeTTL); err != nil {
				return err
			}
			out.CodeDeliveryDetails = d.details()
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// errNoSuchClientUser is the LEGACY answer of client-side operations for an
// unknown user.
var errNoSuchClientUser = api.NewUserNotFoundException("Username/client id combination not found.")

// ConfirmSignUp confirms a user with the code sent at sign-up; the contact
// the code went to becomes verified.
func (s *Service) ConfirmSignUp(ctx context.Context, in *api.ConfirmSignUpRequest) (*api.ConfirmSignUpResponse, error) {
	err := s.commitOn(ctx, func(tx store.Tx) error {
		p, c, err := loadClientAndPool(ctx, tx, api.ToString(in.ClientId))
		if err != nil {
			return err
		}
		u, err := p.findUser(ctx, tx, api.ToString(in.Username))
		if errors.Is(err, store.ErrNotFound) {
			if err := c.checkSecretHash(in.SecretHash, api.ToString(in.Username)); err != nil {
				return err
			}
			if c.preventUserExistenceErrors() {
				return errCodeMismatch
			}
			return errNoSuchClientUser
		}
		if err != nil {
			return err
		}
		if err := c.checkSecretHash(in.SecretHash, api.ToString(in.Username), u.Username); err != nil {
			return err
		}
		if u.Status != statusUnconfirmed {
			return api.NewNotAuthorizedException("User cannot be confirmed. Current status is " + u.Status)
		}
		code, err := s.useCode(ctx, tx, p, u.Username, purposeSignUp, api.ToString(in.ConfirmationCode))
		if err != nil {
			return err
		}
		u.Status = statusConfirmed
		if code.Attribute != "" {
			u.SetAttr(verifiedFlag(code.Attribute), "true")
		}
		if err := s.saveUser(ctx, tx, p, &u, false, api.ToBool(in.ForceAliasCreation)); err != nil {
			var kc *store.KeyConflictError
			if errors.As(err, &kc) {
				return api.NewAliasExistsException("An account with the " + code.Attribute + " already exists.")
			}
			return err
		}
		return nil
	}, errCodeMismatch, errCodeLimit)
	if err != nil {
		return nil, codeError(err)
	}
	return &api.ConfirmSignUpResponse{}, nil
}

// ResendConfirmationCode sends a new sign-up code, voiding the old one.
func (s *Service) ResendConfirmationCode(ctx context.Context, in *api.ResendConfirmationCodeRequest) (*api.ResendConfirmationCodeResponse, error) {
	var out api.ResendConfirmationCodeResponse
	err := s.commitOn(ctx, func(tx store.Tx) error {
		p, c, err := loadClientAndPool(ctx, tx, api.ToString(in.ClientId))
		if err != nil {
			return err
		}
		u, err := p.findUser(ctx, tx, api.ToString(in.Username))
		if errors.Is(err, store.ErrNotFound) {
			if err := c.checkSecretHash(in.SecretHash, api.ToString(in.Username)); err != nil {
				return err
			}
			if c.preventUserExistenceErrors() {
				out.CodeDeliveryDetails = p.simulatedDelivery(api.ToString(in.Username))
				return nil
			}
			return errNoSuchClientUser
		}
		if err != nil {
			return err
		}
		if err := c.checkSecretHash(in.SecretHash, api.ToString(in.Username), u.Username); err != nil {
			return err
		}
		if u.Status != statusUnconfirmed {
			return invalidParam("User is already confirmed.")
		}
		d, ok := p.signUpDestination(&u)
		if !ok {
			return invalidParam("Auto verification not turned on.")
		}
		if err := s.allowCodeRequest(&u); err != nil {
			return err
		}
		if err := s.saveUser(ctx, tx, p, &u, false, false); err != nil {
			return err
		}
		if err := s.issueCode(ctx, tx, p, &u, purposeSignUp, d, signUpCodeTTL); err != nil {
			return err
		}
		out.CodeDeliveryDetails = d.details()
		return nil
	}, errAttemptLimit)
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// simulatedDelivery is the CodeDeliveryDetails given for a user that does
// not exist when the client hides user existence: shaped by the name given
// and the pool's verification settings, as AWS documents.
func (p *pool) simulatedDelivery(name string) *api.CodeDeliveryDetailsType {
	switch {
	case phonePattern.MatchString(name):
		return &api.CodeDeliveryDetailsType{Destination: api.String(mask.Phone(name)), DeliveryMedium: api.String("SMS"), AttributeName: api.String("phone_number")}
	case emailPattern.MatchString(name):
		return &api.CodeDeliveryDetailsType{Destination: api.String(mask.Email(name)), DeliveryMedium: api.String("EMAIL"), AttributeName: api.String("email")}
	case p.autoVerified("phone_number") && !p.autoVerified("email"):
		return &api.CodeDeliveryDetailsType{Destination: api.String("+*******" + "0000"), DeliveryMedium: api.String("SMS"), AttributeName: api.String("phone_number")}
	default:
		return &api.CodeDeliveryDetailsType{Destination: api.String(mask.Email(name + "@example.com")), DeliveryMedium: api.String("EMAIL"), AttributeName: api.String("email")}
	}
}
