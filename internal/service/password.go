package service

import (
	"context"
	"errors"
	"sort"
	"time"

	"github.com/userpool/userpool/api"
	"github.com/userpool/userpool/internal/ids"
	"github.com/userpool/userpool/internal/srp"
	"github.com/userpool/userpool/internal/store"
)

// Password management: forgot/confirm password, change password, the
// administrator's reset and set, and attribute verification codes.

var (
	errCannotReset      = api.NewNotAuthorizedException("User password cannot be reset in the current state.")
	errAdminOnlyReset   = api.NewNotAuthorizedException("Contact administrator to reset password.")
	errNoRecoveryTarget = api.NewInvalidParameterException("Cannot reset password for the user as there is no registered/verified email or phone_number")
	errAttemptLimit     = api.NewLimitExceededException("Attempt limit exceeded, please try after some time.")
	errPasswordReused   = api.NewPasswordHistoryPolicyViolationException("The password has been used recently and cannot be reused.")
)

// recoveryDestination picks where a password-reset code goes, by the pool's
// AccountRecoverySetting in priority order; without one, Cognito's legacy
// rule: a verified phone number first, then a verified email.
func (p *pool) recoveryDestination(u *store.User) (destination, error) {
	type mechanism struct {
		name     string
		priority int32
	}
	var ms []mechanism
	if rs := p.cfg.AccountRecoverySetting; rs != nil && len(rs.RecoveryMechanisms) > 0 {
		for _, m := range rs.RecoveryMechanisms {
			ms = append(ms, mechanism{api.ToString(m.Name), api.ToInt32(m.Priority)})
		}
		sort.Slice(ms, func(i, j int) bool { return ms[i].priority < ms[j].priority })
	} else {
		ms = []mechanism{{"verified_phone_number", 1}, {"verified_email", 2}}
	}
	for _, m := range ms {
		attr := ""
		switch m.name {
		case "admin_only":
			return destination{}, errAdminOnlyReset
		case "verified_email":
			attr = "email"
		case "verified_phone_number":
			attr = "phone_number"
		}
		if verified, _ := u.Attr(verifiedFlag(attr)); verified != "true" {
			continue
		}
		if d, ok := contactOf(u, attr); ok {
			return d, nil
		}
	}
	return destination{}, errNoRecoveryTarget
}

// allowCodeRequest counts a code request against the user's hourly limit.
func (s *Service) allowCodeRequest(u *store.User) error {
	now := s.clock()
	if u.Rates == nil {
		u.Rates = map[string]store.RateWindow{}
	}
	w := u.Rates["code"]
	if now.Sub(w.Start) >= time.Hour {
		w = store.RateWindow{Start: now}
	}
	if w.Count >= s.limits.CodeRequestsPerHour {
		return errAttemptLimit
	}
	w.Count++
	u.Rates["code"] = w
	return nil
}

// ForgotPassword sends a password-reset code to the user's verified email
// or phone number (by the pool's AccountRecoverySetting).
func (s *Service) ForgotPassword(ctx context.Context, in *api.ForgotPasswordRequest) (*api.ForgotPasswordResponse, error) {
	var out api.ForgotPasswordResponse
	name := api.ToString(in.Username)
	err := s.commitOn(ctx, func(tx store.Tx) error {
		p, c, err := loadClientAndPool(ctx, tx, api.ToString(in.ClientId))
		if err != nil {
			return err
		}
		u, err := p.findUser(ctx, tx, name)
		if errors.Is(err, store.ErrNotFound) {
			if err := c.checkSecretHash(in.SecretHash, name); err != nil {
				return err
			}
			if c.preventUserExistenceErrors() {
				// Answer as for a real user, after a write of the same
				// kind, so neither the answer nor its timing tells.
				out.CodeDeliveryDetails = p.simulatedDelivery(name)
				return s.simulateWrite(ctx, tx)
			}
			return errNoSuchClientUser
		}
		if err != nil {
			return err
		}
		if err := c.checkSecretHash(in.SecretHash, knownNames(&u, name)...); err != nil {
			return err
		}
		d, err := p.recoveryDestination(&u)
		switch {
		case !u.Enabled || errors.Is(err, errNoRecoveryTarget):
			if c.preventUserExistenceErrors() {
				out.CodeDeliveryDetails = p.simulatedDelivery(name)
				return s.simulateWrite(ctx, tx)
			}
			if !u.Enabled {
				return errUserDisabled
			}
			return err
		case err != nil:
			return err
		case u.Status == statusForceChangePassword:
			return errCannotReset
		}
		if err := s.allowCodeRequest(&u); err != nil {
			return err
		}
		if err := s.saveUser(ctx, tx, p, &u, false, false); err != nil {
			return err
		}
		out.CodeDeliveryDetails = d.details()
		return s.issueCode(ctx, tx, p, &u, purposeReset, d, resetCodeTTL)
	}, errAttemptLimit)
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// simulateWrite does a store write comparable to issuing a code, for
// answers that must not differ in timing from a real one.
func (s *Service) simulateWrite(ctx context.Context, tx store.Tx) error {
	now := s.clock()
	if err := tx.UseSession(ctx, "simulated-"+ids.UUID(), now.Add(time.Minute)); err != nil {
		return err
	}
	return nil
}

// ConfirmForgotPassword sets a new password with a reset code (from
// ForgotPassword or AdminResetUserPassword). The user becomes CONFIRMED and
// is signed out everywhere.
func (s *Service) ConfirmForgotPassword(ctx context.Context, in *api.ConfirmForgotPasswordRequest) (*api.ConfirmForgotPasswordResponse, error) {
	name := api.ToString(in.Username)
	newPassword := api.ToString(in.Password)
	err := s.commitOn(ctx, func(tx store.Tx) error {
		p, c, err := loadClientAndPool(ctx, tx, api.ToString(in.ClientId))
		if err != nil {
			return err
		}
		u, err := p.findUser(ctx, tx, name)
		if errors.Is(err, store.ErrNotFound) {
			if err := c.checkSecretHash(in.SecretHash, name); err != nil {
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
		if err := c.checkSecretHash(in.SecretHash, knownNames(&u, name)...); err != nil {
			return err
		}
		if !u.Enabled {
			if c.preventUserExistenceErrors() {
				return errCodeMismatch
			}
			return errUserDisabled
		}
		// The password is checked before the code, so a refused password
		// does not spend a guess.
		if err := p.checkPassword(newPassword, policyPrefix); err != nil {
			return err
		}
		if err := s.checkHistory(p, &u, newPassword); err != nil {
			return err
		}
		if _, err := s.useCode(ctx, tx, p, u.Username, purposeReset, api.ToString(in.ConfirmationCode)); err != nil {
			return err
		}
		if err := s.setPassword(p, &u, newPassword, false); err != nil {
			return err
		}
		u.Status = statusConfirmed
		clearFailedSignIns(&u)
		if err := s.saveUser(ctx, tx, p, &u, false, false); err != nil {
			return err
		}
		return tx.RevokeUserRefreshTokens(ctx, p.ID, u.Username, s.clock())
	}, errCodeMismatch, errCodeLimit)
	if err != nil {
		return nil, codeError(err)
	}
	return &api.ConfirmForgotPasswordResponse{}, nil
}

// checkHistory refuses a password the user has had recently, when the pool
// keeps a password history (PasswordHistorySize).
func (s *Service) checkHistory(p *pool, u *store.User, pw string) error {
	n := p.passwordHistorySize()
	if n == 0 {
		return nil
	}
	recent := u.PasswordHistory
	if u.Password != nil {
		recent = append([]store.Password{*u.Password}, recent...)
	}
	poolName := srp.PoolName(p.ID)
	for i, old := range recent {
		if i >= n {
			break
		}
		if srp.CheckPassword(poolName, u.Username, pw, old.Salt, old.Verifier) {
			return errPasswordReused
		}
	}
	return nil
}

// ChangePassword changes the signed-in user's password; the previous one
// must be right. Wrong guesses count toward the sign-in lockout.
func (s *Service) ChangePassword(ctx context.Context, in *api.ChangePasswordRequest) (*api.ChangePasswordResponse, error) {
	p, u, _, err := s.authorize(ctx, s.store, api.ToString(in.AccessToken))
	if err != nil {
		return nil, err
	}
	if s.clock().Before(u.LockedUntil) {
		return nil, errAttemptLimit
	}
	proposed := api.ToString(in.ProposedPassword)
	ok := in.PreviousPassword != nil && u.Password != nil &&
		srp.CheckPassword(srp.PoolName(p.ID), u.Username, *in.PreviousPassword, u.Password.Salt, u.Password.Verifier)
	if ok {
		if err := p.checkPassword(proposed, policyPrefix); err != nil {
			return nil, err
		}
		if err := s.checkHistory(p, &u, proposed); err != nil {
			return nil, err
		}
	}
	err = s.commitOn(ctx, func(tx store.Tx) error {
		_, u, _, err := s.authorize(ctx, tx, api.ToString(in.AccessToken))
		if err != nil {
			return err
		}
		now := s.clock()
		if !ok {
			recordFailedSignIn(&u, now)
			if err := s.saveUser(ctx, tx, p, &u, false, false); err != nil {
				return err
			}
			return errIncorrect
		}
		if err := s.setPassword(p, &u, proposed, false); err != nil {
			return err
		}
		clearFailedSignIns(&u)
		return s.saveUser(ctx, tx, p, &u, false, false)
	}, errIncorrect)
	if err != nil {
		return nil, err
	}
	return &api.ChangePasswordResponse{}, nil
}

// AdminResetUserPassword invalidates a user's password: they become
// RESET_REQUIRED, sign-in answers PasswordResetRequiredException, and a
// reset code goes to their verified email or phone number (if they have
// one) for ConfirmForgotPassword.
func (s *Service) AdminResetUserPassword(ctx context.Context, in *api.AdminResetUserPasswordRequest) (*api.AdminResetUserPasswordResponse, error) {
	err := s.withUser(ctx, api.ToString(in.UserPoolId), api.ToString(in.Username), func(tx store.Tx, p *pool, u *store.User) error {
		if !u.Enabled {
			return errUserDisabled
		}
		if u.Status != statusConfirmed && u.Status != statusResetRequired {
			return errCannotReset
		}
		u.Status = statusResetRequired
		if err := s.saveUser(ctx, tx, p, u, false, false); err != nil {
			return err
		}
		if err := tx.RevokeUserRefreshTokens(ctx, p.ID, u.Username, s.clock()); err != nil {
			return err
		}
		d, err := p.recoveryDestination(u)
		if errors.Is(err, errNoRecoveryTarget) || errors.Is(err, errAdminOnlyReset) {
			// No verified contact (or administrator-only recovery): the
			// password is reset, and no message can be sent.
			if err := tx.DeleteCode(ctx, p.ID, u.Username, purposeReset); err != nil && !errors.Is(err, store.ErrNotFound) {
				return err
			}
			return nil
		}
		if err != nil {
			return err
		}
		return s.issueCode(ctx, tx, p, u, purposeReset, d, resetCodeTTL)
	})
	if err != nil {
		return nil, err
	}
	return &api.AdminResetUserPasswordResponse{}, nil
}

// AdminSetUserPassword sets a user's password: permanent (the user becomes
// CONFIRMED, from any status) or temporary (FORCE_CHANGE_PASSWORD: the next
// sign-in answers NEW_PASSWORD_REQUIRED, until the pool's
// TemporaryPasswordValidityDays have passed).
func (s *Service) AdminSetUserPassword(ctx context.Context, in *api.AdminSetUserPasswordRequest) (*api.AdminSetUserPasswordResponse, error) {
	err := s.withUser(ctx, api.ToString(in.UserPoolId), api.ToString(in.Username), func(tx store.Tx, p *pool, u *store.User) error {
		pw := api.ToString(in.Password)
		if err := p.checkPassword(pw, policyPrefix); err != nil {
			return err
		}
		if err := s.checkHistory(p, u, pw); err != nil {
			return err
		}
		permanent := api.ToBool(in.Permanent)
		if err := s.setPassword(p, u, pw, !permanent); err != nil {
			return err
		}
		if permanent {
			u.Status = statusConfirmed
		} else {
			u.Status = statusForceChangePassword
		}
		clearFailedSignIns(u)
		if err := s.saveUser(ctx, tx, p, u, false, false); err != nil {
			return err
		}
		if err := tx.DeleteCode(ctx, p.ID, u.Username, purposeReset); err != nil && !errors.Is(err, store.ErrNotFound) {
			return err
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &api.AdminSetUserPasswordResponse{}, nil
}

// verifiableAttribute checks an attribute name of the verification
// operations.
func verifiableAttribute(name string) error {
	if name != "email" && name != "phone_number" {
		return invalidParam("Invalid attribute name: %s can not be verified.", name)
	}
	return nil
}

// GetUserAttributeVerificationCode sends the signed-in user a code to
// verify their email or phone number (or the new value waiting for
// verification).
func (s *Service) GetUserAttributeVerificationCode(ctx context.Context, in *api.GetUserAttributeVerificationCodeRequest) (*api.GetUserAttributeVerificationCodeResponse, error) {
	attr := api.ToString(in.AttributeName)
	if err := verifiableAttribute(attr); err != nil {
		return nil, err
	}
	var out api.GetUserAttributeVerificationCodeResponse
	err := s.commitOn(ctx, func(tx store.Tx) error {
		p, u, _, err := s.authorize(ctx, tx, api.ToString(in.AccessToken))
		if err != nil {
			return err
		}
		d, ok := pendingContact(&u, attr)
		if !ok {
			if d, ok = contactOf(&u, attr); !ok {
				return invalidParam("User does not have a value for the attribute %s.", attr)
			}
		}
		if err := s.allowCodeRequest(&u); err != nil {
			return err
		}
		if err := s.saveUser(ctx, tx, p, &u, false, false); err != nil {
			return err
		}
		out.CodeDeliveryDetails = d.details()
		return s.issueCode(ctx, tx, p, &u, purposeVerify(attr), d, verifyCodeTTL)
	}, errAttemptLimit)
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// pendingContact is the destination of a value waiting for verification.
func pendingContact(u *store.User, attr string) (destination, bool) {
	for _, a := range u.PendingAttributes {
		if a.Name == attr {
			return contactOf(&store.User{Attributes: []store.Attribute{a}}, attr)
		}
	}
	return destination{}, false
}

// VerifyUserAttribute checks a verification code: the attribute becomes
// verified (and a value waiting for verification replaces the old one).
func (s *Service) VerifyUserAttribute(ctx context.Context, in *api.VerifyUserAttributeRequest) (*api.VerifyUserAttributeResponse, error) {
	attr := api.ToString(in.AttributeName)
	if err := verifiableAttribute(attr); err != nil {
		return nil, err
	}
	err := s.commitOn(ctx, func(tx store.Tx) error {
		p, u, _, err := s.authorize(ctx, tx, api.ToString(in.AccessToken))
		if err != nil {
			return err
		}
		if _, err := s.useCode(ctx, tx, p, u.Username, purposeVerify(attr), api.ToString(in.Code)); err != nil {
			return err
		}
		if d, ok := pendingContact(&u, attr); ok {
			u.SetAttr(attr, d.value)
			u.PendingAttributes = withoutAttr(u.PendingAttributes, attr)
		}
		u.SetAttr(verifiedFlag(attr), "true")
		if err := s.saveUser(ctx, tx, p, &u, false, false); err != nil {
			return p.attributeConflictError(err)
		}
		return nil
	}, errCodeMismatch, errCodeLimit)
	if err != nil {
		return nil, codeError(err)
	}
	return &api.VerifyUserAttributeResponse{}, nil
}

func withoutAttr(attrs []store.Attribute, name string) []store.Attribute {
	var out []store.Attribute
	for _, a := range attrs {
		if a.Name != name {
			out = append(out, a)
		}
	}
	return out
}
