package service

// Declarative setup (internal/declare: `userpool apply`, `serve --config`)
// needs a few things the Cognito API cannot express: pools and app clients
// with IDs chosen by the caller, a secret set on an existing client, a
// user's status set directly, and updates that leave a pool or client that
// already matches (and its LastModifiedDate) alone. These methods are not
// routed: only in-process callers reach them.

import (
	"context"
	"encoding/json"
	"errors"
	"regexp"
	"time"

	"github.com/userpool/userpool/api"
	"github.com/userpool/userpool/internal/srp"
	"github.com/userpool/userpool/internal/store"
)

var (
	poolIDPattern       = regexp.MustCompile(`^[\w-]+_[0-9a-zA-Z]+$`)
	clientIDPattern     = regexp.MustCompile(`^[\w+]+$`)
	clientSecretPattern = clientIDPattern
)

// CheckUserPoolID reports whether id can be a user pool ID: the API's
// pattern [\w-]+_[0-9a-zA-Z]+, at most 55 characters.
func CheckUserPoolID(id string) error {
	if len(id) > 55 || !poolIDPattern.MatchString(id) {
		return invalidParam("Invalid user pool ID %q: it must match [\\w-]+_[0-9a-zA-Z]+ and have at most 55 characters.", id)
	}
	return nil
}

// CheckClientID reports whether id can be an app client ID: [\w+]+, at
// most 128 characters.
func CheckClientID(id string) error {
	if len(id) > 128 || !clientIDPattern.MatchString(id) {
		return invalidParam("Invalid app client ID %q: it must match [\\w+]+ and have at most 128 characters.", id)
	}
	return nil
}

// CheckClientSecret reports whether secret can be an app client secret:
// [\w+]+, 24 to 64 characters.
func CheckClientSecret(secret string) error {
	if len(secret) < 24 || len(secret) > 64 || !clientSecretPattern.MatchString(secret) {
		return invalidParam("Invalid app client secret: it must match [\\w+]+ and have 24 to 64 characters.")
	}
	return nil
}

// CreateUserPoolWithID is CreateUserPool with the pool's ID given.
func (s *Service) CreateUserPoolWithID(ctx context.Context, id string, in *api.CreateUserPoolRequest) (*api.CreateUserPoolResponse, error) {
	if err := CheckUserPoolID(id); err != nil {
		return nil, err
	}
	if err := in.Validate(); err != nil {
		return nil, err
	}
	out, err := s.createUserPool(ctx, id, in)
	if errors.Is(err, store.ErrAlreadyExists) {
		return nil, invalidParam("User pool %s already exists.", id)
	}
	return out, err
}

// CreateUserPoolClientWithID is CreateUserPoolClient with the client's ID
// given (a fixed secret is the request's ClientSecret).
func (s *Service) CreateUserPoolClientWithID(ctx context.Context, id string, in *api.CreateUserPoolClientRequest) (*api.CreateUserPoolClientResponse, error) {
	if err := CheckClientID(id); err != nil {
		return nil, err
	}
	if err := in.Validate(); err != nil {
		return nil, err
	}
	out, err := s.createUserPoolClient(ctx, id, in)
	if errors.Is(err, store.ErrAlreadyExists) {
		return nil, invalidParam("An app client with ID %s already exists.", id)
	}
	return out, err
}

// UpdateUserPoolIfChanged is UpdateUserPool, except that it writes nothing
// and reports false when the pool already has the name and settings the
// update would give it.
func (s *Service) UpdateUserPoolIfChanged(ctx context.Context, in *api.UpdateUserPoolRequest) (bool, error) {
	if err := in.Validate(); err != nil {
		return false, err
	}
	p, err := loadPool(ctx, s.store, api.ToString(in.UserPoolId))
	if err != nil {
		return false, err
	}
	cfg, err := settingsOf(in)
	if err == nil {
		// What UpdateUserPool keeps of the current settings. Should the two
		// drift apart, the pool is merely rewritten every time.
		cfg.SchemaAttributes = p.cfg.SchemaAttributes
		cfg.UsernameAttributes = p.cfg.UsernameAttributes
		cfg.AliasAttributes = p.cfg.AliasAttributes
		cfg.UsernameConfiguration = p.cfg.UsernameConfiguration
		cfg.Domain, cfg.CustomDomain = p.cfg.Domain, p.cfg.CustomDomain
		err = applyPoolDefaults(cfg)
	}
	if err == nil && (in.PoolName == nil || *in.PoolName == p.Name) && sameJSON(cfg, p.cfg) {
		return false, nil
	}
	if _, err := s.UpdateUserPool(ctx, in); err != nil {
		return false, err
	}
	return true, nil
}

// UpdateUserPoolClientIfChanged is UpdateUserPoolClient, except that it
// writes nothing and reports false when the client already has the name and
// settings the update would give it.
func (s *Service) UpdateUserPoolClientIfChanged(ctx context.Context, in *api.UpdateUserPoolClientRequest) (bool, error) {
	if err := in.Validate(); err != nil {
		return false, err
	}
	p, c, err := loadPoolClient(ctx, s.store, api.ToString(in.UserPoolId), api.ToString(in.ClientId))
	if err != nil {
		return false, err
	}
	cfg, err := s.clientSettings(p, in)
	if err == nil {
		cfg.ClientSecret = c.cfg.ClientSecret
		if (in.ClientName == nil || *in.ClientName == c.Name) && sameJSON(ownSettings(*cfg), ownSettings(*c.cfg)) {
			return false, nil
		}
	}
	if _, err := s.UpdateUserPoolClient(ctx, in); err != nil {
		return false, err
	}
	return true, nil
}

// SetUserPoolClientSecret gives an app client the secret ("" for none) and
// reports whether that changed anything.
func (s *Service) SetUserPoolClientSecret(ctx context.Context, poolID, clientID, secret string) (bool, error) {
	if secret != "" {
		if err := CheckClientSecret(secret); err != nil {
			return false, err
		}
	}
	changed := false
	err := s.store.Update(ctx, func(tx store.Tx) error {
		_, c, err := loadPoolClient(ctx, tx, poolID, clientID)
		if err != nil || c.secret() == secret {
			return err
		}
		c.cfg.ClientSecret = nil
		if secret != "" {
			c.cfg.ClientSecret = api.String(secret)
		}
		c.UpdatedAt = s.clock()
		sc, err := c.encode()
		if err != nil {
			return err
		}
		changed = true
		return tx.UpdateClient(ctx, sc)
	})
	return changed, err
}

// AdminSetUserState gives a user the status (CONFIRMED, UNCONFIRMED,
// FORCE_CHANGE_PASSWORD or RESET_REQUIRED) and, when password is not nil,
// the password, and reports whether that changed anything: a user who
// already has them is left alone. The password is temporary exactly when
// the status is FORCE_CHANGE_PASSWORD. Unlike AdminSetUserPassword it can
// leave a user UNCONFIRMED with a password, and it does not refuse a
// password from the user's history; the pool's password policy applies.
func (s *Service) AdminSetUserState(ctx context.Context, poolID, username string, password *string, status string) (bool, error) {
	switch status {
	case statusConfirmed, statusUnconfirmed, statusForceChangePassword, statusResetRequired:
	default:
		return false, invalidParam("Invalid user status %q.", status)
	}
	temporary := status == statusForceChangePassword
	changed := false
	err := s.store.Update(ctx, func(tx store.Tx) error {
		p, err := loadPool(ctx, tx, poolID)
		if err != nil {
			return err
		}
		u, err := p.mustFindUser(ctx, tx, username)
		if err != nil {
			return err
		}
		switch {
		case password != nil && (u.Password == nil || !srp.CheckPassword(srp.PoolName(p.ID), u.Username, *password, u.Password.Salt, u.Password.Verifier)):
			if err := p.checkPassword(*password, policyPrefix); err != nil {
				return err
			}
			if err := s.setPassword(p, &u, *password, temporary); err != nil {
				return err
			}
			u.FailedSignIns, u.LastFailedSignIn, u.LockedUntil = 0, time.Time{}, time.Time{}
			if err := tx.DeleteCode(ctx, p.ID, u.Username, purposeReset); err != nil && !errors.Is(err, store.ErrNotFound) {
				return err
			}
			changed = true
		case u.Password != nil && u.Password.Temporary != temporary:
			pw := *u.Password
			pw.Temporary = temporary
			if temporary {
				pw.SetAt = s.clock() // a temporary password's validity starts now
			}
			u.Password = &pw
			changed = true
		}
		if u.Status != status {
			u.Status = status
			changed = true
		}
		if !changed {
			return nil
		}
		return s.saveUser(ctx, tx, p, &u, false, false)
	})
	if err != nil {
		return false, err
	}
	return changed, nil
}

// StandardSchema returns the schema attributes every pool starts with,
// before CreateUserPool's Schema changes any of them.
func StandardSchema() []api.SchemaAttributeType {
	out := make([]api.SchemaAttributeType, 0, len(standardAttributes))
	for _, a := range standardAttributes {
		out = append(out, a.schema())
	}
	return out
}

// ownSettings leaves out what the stored settings may carry of the
// request they came from but describeClient takes from the record.
func ownSettings(c api.UserPoolClientType) api.UserPoolClientType {
	c.ClientId, c.ClientName, c.UserPoolId, c.CreationDate, c.LastModifiedDate = nil, nil, nil, nil, nil
	return c
}

// sameJSON reports whether two settings documents encode identically.
func sameJSON(a, b any) bool {
	ja, err1 := json.Marshal(a)
	jb, err2 := json.Marshal(b)
	return err1 == nil && err2 == nil && string(ja) == string(jb)
}
