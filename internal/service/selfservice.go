package service

import (
	"context"
	"crypto/subtle"
	"errors"

	"github.com/userpool/userpool/api"
	"github.com/userpool/userpool/internal/store"
)

// The operations a signed-in user calls with their access token.

// GetUser returns the signed-in user.
func (s *Service) GetUser(ctx context.Context, in *api.GetUserRequest) (*api.GetUserResponse, error) {
	_, u, _, err := s.authorize(ctx, s.store, api.ToString(in.AccessToken))
	if err != nil {
		return nil, err
	}
	return &api.GetUserResponse{Username: api.String(u.Username), UserAttributes: attributesOut(&u, nil)}, nil
}

// tokenUpdate runs change on the token's user in a transaction and saves it.
func (s *Service) tokenUpdate(ctx context.Context, accessToken string, change func(tx store.Tx, p *pool, c *client, u *store.User) error) error {
	return s.store.Update(ctx, func(tx store.Tx) error {
		p, u, claims, err := s.authorize(ctx, tx, accessToken)
		if err != nil {
			return err
		}
		c, err := loadClient(ctx, tx, claims.ClientID)
		if err != nil {
			return errRevokedAccessToken // the client is gone
		}
		return change(tx, p, c, &u)
	})
}

// UpdateUserAttributes changes the signed-in user's attributes, within what
// the app client may write. A changed email or phone number becomes
// unverified, and a code is sent to it when the pool auto-verifies it.
func (s *Service) UpdateUserAttributes(ctx context.Context, in *api.UpdateUserAttributesRequest) (*api.UpdateUserAttributesResponse, error) {
	out := &api.UpdateUserAttributesResponse{}
	err := s.tokenUpdate(ctx, api.ToString(in.AccessToken), func(tx store.Tx, p *pool, c *client, u *store.User) error {
		if err := c.checkWritable(in.UserAttributes); err != nil {
			return err
		}
		sent, err := s.updateAttributes(ctx, tx, p, u, in.UserAttributes)
		for _, d := range sent {
			out.CodeDeliveryDetailsList = append(out.CodeDeliveryDetailsList, *d.details())
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// updateAttributes checks and writes attributes, saves the user, and sends
// verification codes for changed contacts the pool auto-verifies.
func (s *Service) updateAttributes(ctx context.Context, tx store.Tx, p *pool, u *store.User, attrs []api.AttributeType) ([]destination, error) {
	if err := p.checkAttributes(attrs, attrUpdate); err != nil {
		return nil, err
	}
	attrs, pending := p.holdForVerification(u, attrs)
	changed := setAttributes(u, attrs)
	if err := s.saveUser(ctx, tx, p, u, false, false); err != nil {
		return nil, p.attributeConflictError(err)
	}
	var targets []destination
	for _, attr := range changed {
		if verified, _ := u.Attr(verifiedFlag(attr)); verified == "true" || !p.autoVerified(attr) {
			continue
		}
		if d, ok := contactOf(u, attr); ok {
			targets = append(targets, d)
		}
	}
	targets = append(targets, pending...)
	for _, d := range targets {
		if err := s.issueCode(ctx, tx, p, u, purposeVerify(d.attr), d, verifyCodeTTL); err != nil {
			return nil, err
		}
	}
	return targets, nil
}

// holdForVerification applies the pool's
// AttributesRequireVerificationBeforeUpdate: a new value for a verified
// email or phone number listed there waits, in PendingAttributes, until the
// user verifies it; the current value stays in use meanwhile. It returns the
// attributes to write now and where to send codes for the held ones.
func (p *pool) holdForVerification(u *store.User, attrs []api.AttributeType) ([]api.AttributeType, []destination) {
	if p.cfg.UserAttributeUpdateSettings == nil {
		return attrs, nil
	}
	hold := p.cfg.UserAttributeUpdateSettings.AttributesRequireVerificationBeforeUpdate
	setsFlag := map[string]bool{}
	for _, a := range attrs {
		if api.ToString(a.Value) == "true" {
			setsFlag[api.ToString(a.Name)] = true
		}
	}
	var now []api.AttributeType
	var pending []destination
	for _, a := range attrs {
		name, value := api.ToString(a.Name), api.ToString(a.Value)
		old, _ := u.Attr(name)
		verified, _ := u.Attr(verifiedFlag(name))
		if !contains(hold, name) || verified != "true" || old == value || setsFlag[verifiedFlag(name)] {
			now = append(now, a)
			continue
		}
		u.PendingAttributes = append(withoutAttr(u.PendingAttributes, name), store.Attribute{Name: name, Value: value})
		d, _ := contactOf(&store.User{Attributes: []store.Attribute{{Name: name, Value: value}}}, name)
		pending = append(pending, d)
	}
	return now, pending
}

// DeleteUserAttributes removes attributes from the signed-in user.
func (s *Service) DeleteUserAttributes(ctx context.Context, in *api.DeleteUserAttributesRequest) (*api.DeleteUserAttributesResponse, error) {
	err := s.tokenUpdate(ctx, api.ToString(in.AccessToken), func(tx store.Tx, p *pool, c *client, u *store.User) error {
		for _, name := range in.UserAttributeNames {
			if c.cfg.WriteAttributes != nil && !contains(c.cfg.WriteAttributes, name) {
				return errUnauthorizedAttribute
			}
		}
		if err := p.deleteAttributes(u, in.UserAttributeNames); err != nil {
			return err
		}
		return s.saveUser(ctx, tx, p, u, false, false)
	})
	if err != nil {
		return nil, err
	}
	return &api.DeleteUserAttributesResponse{}, nil
}

// DeleteUser deletes the signed-in user.
func (s *Service) DeleteUser(ctx context.Context, in *api.DeleteUserRequest) error {
	return s.tokenUpdate(ctx, api.ToString(in.AccessToken), func(tx store.Tx, p *pool, _ *client, u *store.User) error {
		return tx.DeleteUser(ctx, p.ID, u.Username)
	})
}

// GlobalSignOut signs the user out everywhere: every refresh token is
// revoked, and with it every access token issued from one.
func (s *Service) GlobalSignOut(ctx context.Context, in *api.GlobalSignOutRequest) (*api.GlobalSignOutResponse, error) {
	err := s.tokenUpdate(ctx, api.ToString(in.AccessToken), func(tx store.Tx, p *pool, _ *client, u *store.User) error {
		return tx.RevokeUserRefreshTokens(ctx, p.ID, u.Username, s.clock())
	})
	if err != nil {
		return nil, err
	}
	return &api.GlobalSignOutResponse{}, nil
}

// AdminUserGlobalSignOut signs a user out everywhere.
func (s *Service) AdminUserGlobalSignOut(ctx context.Context, in *api.AdminUserGlobalSignOutRequest) (*api.AdminUserGlobalSignOutResponse, error) {
	err := s.withUser(ctx, api.ToString(in.UserPoolId), api.ToString(in.Username), func(tx store.Tx, p *pool, u *store.User) error {
		return tx.RevokeUserRefreshTokens(ctx, p.ID, u.Username, s.clock())
	})
	if err != nil {
		return nil, err
	}
	return &api.AdminUserGlobalSignOutResponse{}, nil
}

// RevokeToken revokes a refresh token and the access tokens issued from it.
// As RFC 7009 asks, a token that is unknown (or already revoked) is no error.
func (s *Service) RevokeToken(ctx context.Context, in *api.RevokeTokenRequest) (*api.RevokeTokenResponse, error) {
	c, err := loadClient(ctx, s.store, api.ToString(in.ClientId))
	if err != nil {
		return nil, err
	}
	if !api.ToBool(c.cfg.EnableTokenRevocation) {
		return nil, api.NewUnsupportedOperationException("Token revocation is not enabled for this app client.")
	}
	if secret := c.secret(); secret != "" && subtle.ConstantTimeCompare([]byte(api.ToString(in.ClientSecret)), []byte(secret)) != 1 {
		return nil, api.NewNotAuthorizedException("Invalid client secret.")
	}
	raw := api.ToString(in.Token)
	if _, isJWT := poolOfToken(raw); isJWT {
		return nil, api.NewUnsupportedTokenTypeException("The token type is not supported.")
	}
	rt, err := s.store.FindRefreshToken(ctx, hashRefreshToken(raw))
	if errors.Is(err, store.ErrNotFound) {
		return &api.RevokeTokenResponse{}, nil
	}
	if err != nil {
		return nil, err
	}
	if rt.ClientID != c.ID {
		return nil, api.NewNotAuthorizedException("Invalid Refresh Token")
	}
	err = s.store.Update(ctx, func(tx store.Tx) error { return tx.RevokeRefreshToken(ctx, rt.ID, s.clock()) })
	if err != nil {
		return nil, err
	}
	return &api.RevokeTokenResponse{}, nil
}

// deleteAttributes removes attributes from a user; required and immutable
// attributes, and the one that is the user's username, cannot be removed.
// Removing a contact removes its verified flag too.
func (p *pool) deleteAttributes(u *store.User, names []string) error {
	for _, name := range names {
		sa := p.schemaAttr(name)
		switch {
		case sa == nil:
			return schemaError(name + ": Attribute does not exist in the schema.")
		case name == "sub" || !api.ToBool(sa.Mutable):
			return invalidParam("Cannot modify the non-mutable attribute %s", name)
		case api.ToBool(sa.Required):
			return schemaError(name + ": The attribute is required")
		case p.usernameAttribute(name):
			return invalidParam("Cannot delete %s: it is the user's username.", name)
		}
		u.DeleteAttr(name)
		if name == "email" || name == "phone_number" {
			u.DeleteAttr(verifiedFlag(name))
		}
	}
	return nil
}
