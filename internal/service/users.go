package service

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/userpool/userpool/api"
	"github.com/userpool/userpool/internal/filter"
	"github.com/userpool/userpool/internal/ids"
	"github.com/userpool/userpool/internal/message"
	"github.com/userpool/userpool/internal/password"
	"github.com/userpool/userpool/internal/srp"
	"github.com/userpool/userpool/internal/store"
)

// User statuses.
const (
	statusUnconfirmed         = "UNCONFIRMED"
	statusConfirmed           = "CONFIRMED"
	statusForceChangePassword = "FORCE_CHANGE_PASSWORD"
	statusResetRequired       = "RESET_REQUIRED"
)

// newUserIdentity decides a new user's internal username and the
// attributes implied by the name given. In pools where email or phone_number
// is the username, the given name must be one of those, becomes that
// attribute, and the internal username is a generated UUID (as in AWS).
func (p *pool) newUserIdentity(given string, attrs []api.AttributeType) (username string, implied []api.AttributeType, err error) {
	if len(p.cfg.UsernameAttributes) == 0 {
		if p.aliasAttribute("email") && emailPattern.MatchString(given) {
			return "", nil, invalidParam("Username cannot be of email format, since user pool is configured for email alias.")
		}
		if p.aliasAttribute("phone_number") && phonePattern.MatchString(given) {
			return "", nil, invalidParam("Username cannot be of phone_number format, since user pool is configured for phone_number alias.")
		}
		return given, nil, nil
	}
	var attr string
	switch {
	case p.usernameAttribute("email") && emailPattern.MatchString(given):
		attr = "email"
	case p.usernameAttribute("phone_number") && phonePattern.MatchString(given):
		attr = "phone_number"
	case p.usernameAttribute("email") && p.usernameAttribute("phone_number"):
		return "", nil, invalidParam("Username should be either an email or a phone number.")
	case p.usernameAttribute("email"):
		return "", nil, invalidParam("Username should be an email.")
	default:
		return "", nil, invalidParam("Username should be a phone number.")
	}
	for _, a := range attrs {
		if api.ToString(a.Name) == attr && api.ToString(a.Value) != given {
			return "", nil, invalidParam("The %s attribute must match the username.", attr)
		}
	}
	return ids.UUID(), []api.AttributeType{{Name: api.String(attr), Value: api.String(given)}}, nil
}

// conflictError maps a taken key to the exception AWS gives: a clash of
// usernames (or of the email/phone used as username) is
// UsernameExistsException, a clash of aliases AliasExistsException.
func (p *pool) conflictError(err error, usernameMsg string) error {
	var kc *store.KeyConflictError
	if !errors.As(err, &kc) {
		return err
	}
	kind, _, _ := strings.Cut(kc.Key, ":")
	switch {
	case kind == "username" || kind == "sub":
		return api.NewUsernameExistsException(usernameMsg)
	case p.usernameAttribute(kind):
		return api.NewUsernameExistsException(fmt.Sprintf("An account with the given %s already exists.", kind))
	default:
		// AWS's alias wording has no "given" (Developer Guide, "Managing
		// error responses": "An account with the email already exists.").
		return api.NewAliasExistsException(fmt.Sprintf("An account with the %s already exists.", kind))
	}
}

// attributeConflictError is conflictError for operations that change an
// existing user's attributes. The API model lists only
// AliasExistsException for them, so a taken email or phone number that is
// a username attribute is one too, worded as for sign-up ("An account with
// the given email already exists.").
func (p *pool) attributeConflictError(err error) error {
	var kc *store.KeyConflictError
	if errors.As(err, &kc) {
		if kind, _, _ := strings.Cut(kc.Key, ":"); p.usernameAttribute(kind) {
			return api.NewAliasExistsException(fmt.Sprintf("An account with the given %s already exists.", kind))
		}
	}
	return p.conflictError(err, "User account already exists")
}

// saveUser creates or updates a user with fresh keys. With forceAlias, an
// alias another user holds moves to this user and the other user's
// attribute becomes unverified (ForceAliasCreation).
func (s *Service) saveUser(ctx context.Context, tx store.Tx, p *pool, u *store.User, create, forceAlias bool) error {
	u.Keys = p.userKeys(u)
	u.UpdatedAt = s.clock()
	if create && !u.CreatedAt.IsZero() {
		u.UpdatedAt = u.CreatedAt // a new user was last modified when created
	}
	for attempt := 0; ; attempt++ {
		var err error
		if create {
			err = tx.CreateUser(ctx, *u)
		} else {
			err = tx.UpdateUser(ctx, *u)
		}
		var kc *store.KeyConflictError
		if !forceAlias || !errors.As(err, &kc) || attempt > len(signInAttributes) {
			return err
		}
		kind, _, _ := strings.Cut(kc.Key, ":")
		if kind == "username" || kind == "sub" || p.usernameAttribute(kind) || kind == "preferred_username" {
			return err
		}
		holder, ferr := tx.FindUser(ctx, p.ID, kc.Key)
		if ferr != nil {
			return ferr
		}
		holder.SetAttr(verifiedFlag(kind), "false")
		holder.Keys = p.userKeys(&holder)
		holder.UpdatedAt = s.clock()
		if err := tx.UpdateUser(ctx, holder); err != nil {
			return err
		}
	}
}

// setPassword stores the SRP salt and verifier of a new password, keeping
// the previous one in the history the policy asks for.
func (s *Service) setPassword(p *pool, u *store.User, pw string, temporary bool) error {
	salt, verifier, err := srp.NewVerifier(srp.PoolName(p.ID), u.Username, pw)
	if err != nil {
		return err
	}
	if u.Password != nil {
		if n := p.passwordHistorySize(); n > 0 {
			u.PasswordHistory = append([]store.Password{*u.Password}, u.PasswordHistory...)
			if len(u.PasswordHistory) > n {
				u.PasswordHistory = u.PasswordHistory[:n]
			}
		}
	}
	u.Password = &store.Password{Salt: salt, Verifier: verifier, SetAt: s.clock(), Temporary: temporary}
	return nil
}

func (p *pool) passwordHistorySize() int {
	if p.cfg.Policies == nil || p.cfg.Policies.PasswordPolicy == nil {
		return 0
	}
	return int(api.ToInt32(p.cfg.Policies.PasswordPolicy.PasswordHistorySize))
}

// checkPassword applies the pool's policy; prefix is the operation's
// wording ("Password does not conform to policy: " or, for SignUp,
// "Password did not conform with policy: ").
func (p *pool) checkPassword(pw, prefix string) error {
	if reason := p.passwordPolicy().Check(pw); reason != "" {
		return api.NewInvalidPasswordException(prefix + reason)
	}
	return nil
}

const (
	policyPrefix       = "Password does not conform to policy: "
	signUpPolicyPrefix = "Password did not conform with policy: "
)

// userOut renders a user as UserType.
func userOut(u *store.User, only []string) api.UserType {
	return api.UserType{
		Username:             api.String(u.Username),
		Attributes:           attributesOut(u, only),
		UserCreateDate:       api.NewTimestamp(u.CreatedAt),
		UserLastModifiedDate: api.NewTimestamp(u.UpdatedAt),
		Enabled:              api.Bool(u.Enabled),
		UserStatus:           api.String(u.Status),
	}
}

// AdminCreateUser creates a user with a temporary password (given or
// generated) in status FORCE_CHANGE_PASSWORD and sends the invitation, or
// with MessageAction RESEND sends it again with a new temporary password.
func (s *Service) AdminCreateUser(ctx context.Context, in *api.AdminCreateUserRequest) (*api.AdminCreateUserResponse, error) {
	var out store.User
	err := s.store.Update(ctx, func(tx store.Tx) error {
		p, err := loadPool(ctx, tx, api.ToString(in.UserPoolId))
		if err != nil {
			return err
		}
		tempPassword := api.ToString(in.TemporaryPassword)
		if in.TemporaryPassword != nil {
			if err := p.checkPassword(tempPassword, policyPrefix); err != nil {
				return err
			}
		} else {
			tempPassword = password.Generate(p.passwordPolicy())
		}
		if api.ToString(in.MessageAction) == "RESEND" {
			u, err := p.mustFindUser(ctx, tx, api.ToString(in.Username))
			if err != nil {
				return err
			}
			if u.Status != statusForceChangePassword {
				return api.NewUnsupportedUserStateException(fmt.Sprintf("Resend not possible. %s status is not FORCE_CHANGE_PASSWORD", u.Username))
			}
			if err := s.setPassword(p, &u, tempPassword, true); err != nil {
				return err
			}
			if err := s.saveUser(ctx, tx, p, &u, false, false); err != nil {
				return err
			}
			out = u
			return s.sendInvitation(ctx, tx, p, &u, in.DesiredDeliveryMediums, tempPassword)
		}
		username, implied, err := p.newUserIdentity(api.ToString(in.Username), in.UserAttributes)
		if err != nil {
			return err
		}
		if err := p.checkAttributes(in.UserAttributes, attrCreate); err != nil {
			return err
		}
		now := s.clock()
		u := store.User{PoolID: p.ID, Username: username, Sub: ids.UUID(), Enabled: true, Status: statusForceChangePassword, CreatedAt: now}
		if len(p.cfg.UsernameAttributes) > 0 {
			u.Sub = username
		}
		u.SetAttr("sub", u.Sub)
		setAttributes(&u, implied)
		setAttributes(&u, in.UserAttributes)
		if err := p.checkRequired(&u); err != nil {
			return err
		}
		if err := s.setPassword(p, &u, tempPassword, true); err != nil {
			return err
		}
		if err := s.saveUser(ctx, tx, p, &u, true, api.ToBool(in.ForceAliasCreation)); err != nil {
			return p.conflictError(err, "User account already exists")
		}
		out = u
		if api.ToString(in.MessageAction) == "SUPPRESS" {
			return nil
		}
		return s.sendInvitation(ctx, tx, p, &u, in.DesiredDeliveryMediums, tempPassword)
	})
	if err != nil {
		return nil, err
	}
	uo := userOut(&out, nil)
	return &api.AdminCreateUserResponse{User: &uo}, nil
}

// sendInvitation sends the welcome message with the temporary password by
// each desired medium the user can receive (SMS by default, as in AWS; a
// user with no phone number gets it by email instead).
func (s *Service) sendInvitation(ctx context.Context, tx store.Tx, p *pool, u *store.User, mediums []string, tempPassword string) error {
	if len(mediums) == 0 {
		mediums = []string{"SMS"}
		if _, ok := u.Attr("phone_number"); !ok {
			mediums = []string{"EMAIL"}
		}
	} else {
		for _, m := range mediums {
			if _, ok := contactOf(u, mediumAttribute(m)); !ok {
				if m == "SMS" {
					return invalidParam("No phone_number provided but desired delivery medium was SMS")
				}
				return invalidParam("No email provided but desired delivery medium was Email")
			}
		}
	}
	tmpl := &api.MessageTemplateType{}
	if p.cfg.AdminCreateUserConfig != nil && p.cfg.AdminCreateUserConfig.InviteMessageTemplate != nil {
		tmpl = p.cfg.AdminCreateUserConfig.InviteMessageTemplate
	}
	for _, m := range mediums {
		attr, subject, body := "email", message.Or(api.ToString(tmpl.EmailSubject), message.DefaultInviteSubject), message.Or(api.ToString(tmpl.EmailMessage), message.DefaultInviteMessage)
		if m == "SMS" {
			attr, subject, body = "phone_number", "", message.Or(api.ToString(tmpl.SMSMessage), message.DefaultInviteMessage)
		}
		d, ok := contactOf(u, attr)
		if !ok {
			continue
		}
		// The invitation carries the password in its text; the outbox's
		// Code field is for one-time codes only.
		if err := s.deliver(ctx, tx, p, u, d, subject, message.Render(body, displayName(p, u), tempPassword), ""); err != nil {
			return err
		}
	}
	return nil
}

// mediumAttribute is the attribute a delivery medium sends to.
func mediumAttribute(medium string) string {
	if medium == "SMS" {
		return "phone_number"
	}
	return "email"
}

// displayName is the name a user signs in with, for messages: the email or
// phone number in pools that use one as the username.
func displayName(p *pool, u *store.User) string {
	for _, attr := range p.cfg.UsernameAttributes {
		if v, ok := u.Attr(attr); ok {
			return v
		}
	}
	return u.Username
}

// AdminGetUser returns a user.
func (s *Service) AdminGetUser(ctx context.Context, in *api.AdminGetUserRequest) (*api.AdminGetUserResponse, error) {
	p, err := loadPool(ctx, s.store, api.ToString(in.UserPoolId))
	if err != nil {
		return nil, err
	}
	u, err := p.mustFindUser(ctx, s.store, api.ToString(in.Username))
	if err != nil {
		return nil, err
	}
	return &api.AdminGetUserResponse{
		Username:             api.String(u.Username),
		UserAttributes:       attributesOut(&u, nil),
		UserCreateDate:       api.NewTimestamp(u.CreatedAt),
		UserLastModifiedDate: api.NewTimestamp(u.UpdatedAt),
		Enabled:              api.Bool(u.Enabled),
		UserStatus:           api.String(u.Status),
	}, nil
}

// updateUser is the shape of the simple admin operations: find the user in
// a transaction, change it, save it.
func (s *Service) updateUser(ctx context.Context, poolID, name string, change func(p *pool, u *store.User) error) error {
	return s.withUser(ctx, poolID, name, func(tx store.Tx, p *pool, u *store.User) error {
		if err := change(p, u); err != nil {
			return err
		}
		return s.saveUser(ctx, tx, p, u, false, false)
	})
}

// withUser runs fn in a transaction on a pool's user, found by any name
// they are known by (UserNotFoundException when none).
func (s *Service) withUser(ctx context.Context, poolID, name string, fn func(tx store.Tx, p *pool, u *store.User) error) error {
	return s.store.Update(ctx, func(tx store.Tx) error {
		p, err := loadPool(ctx, tx, poolID)
		if err != nil {
			return err
		}
		u, err := p.mustFindUser(ctx, tx, name)
		if err != nil {
			return err
		}
		return fn(tx, p, &u)
	})
}

// AdminDeleteUser deletes a user.
func (s *Service) AdminDeleteUser(ctx context.Context, in *api.AdminDeleteUserRequest) error {
	return s.withUser(ctx, api.ToString(in.UserPoolId), api.ToString(in.Username), func(tx store.Tx, p *pool, u *store.User) error {
		return tx.DeleteUser(ctx, p.ID, u.Username)
	})
}

// AdminEnableUser re-enables a disabled user.
func (s *Service) AdminEnableUser(ctx context.Context, in *api.AdminEnableUserRequest) (*api.AdminEnableUserResponse, error) {
	err := s.updateUser(ctx, api.ToString(in.UserPoolId), api.ToString(in.Username), func(_ *pool, u *store.User) error {
		u.Enabled = true
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &api.AdminEnableUserResponse{}, nil
}

// AdminDisableUser disables a user: they can no longer sign in.
func (s *Service) AdminDisableUser(ctx context.Context, in *api.AdminDisableUserRequest) (*api.AdminDisableUserResponse, error) {
	err := s.updateUser(ctx, api.ToString(in.UserPoolId), api.ToString(in.Username), func(_ *pool, u *store.User) error {
		u.Enabled = false
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &api.AdminDisableUserResponse{}, nil
}

// AdminConfirmSignUp confirms an unconfirmed user without a code.
func (s *Service) AdminConfirmSignUp(ctx context.Context, in *api.AdminConfirmSignUpRequest) (*api.AdminConfirmSignUpResponse, error) {
	err := s.updateUser(ctx, api.ToString(in.UserPoolId), api.ToString(in.Username), func(_ *pool, u *store.User) error {
		if u.Status != statusUnconfirmed {
			return api.NewNotAuthorizedException("User cannot be confirmed. Current status is " + u.Status)
		}
		u.Status = statusConfirmed
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &api.AdminConfirmSignUpResponse{}, nil
}

// AdminUpdateUserAttributes changes a user's attributes. A new email or
// phone number becomes unverified (unless the call verifies it) and, when
// the pool auto-verifies it, a verification code is sent to it.
func (s *Service) AdminUpdateUserAttributes(ctx context.Context, in *api.AdminUpdateUserAttributesRequest) (*api.AdminUpdateUserAttributesResponse, error) {
	err := s.withUser(ctx, api.ToString(in.UserPoolId), api.ToString(in.Username), func(tx store.Tx, p *pool, u *store.User) error {
		_, err := s.updateAttributes(ctx, tx, p, u, in.UserAttributes)
		return err
	})
	if err != nil {
		return nil, err
	}
	return &api.AdminUpdateUserAttributesResponse{}, nil
}

// AdminDeleteUserAttributes removes attributes from a user; required and
// immutable attributes cannot be removed. Removing a contact removes its
// verified flag too.
func (s *Service) AdminDeleteUserAttributes(ctx context.Context, in *api.AdminDeleteUserAttributesRequest) (*api.AdminDeleteUserAttributesResponse, error) {
	err := s.updateUser(ctx, api.ToString(in.UserPoolId), api.ToString(in.Username), func(p *pool, u *store.User) error {
		return p.deleteAttributes(u, in.UserAttributeNames)
	})
	if err != nil {
		return nil, err
	}
	return &api.AdminDeleteUserAttributesResponse{}, nil
}

// maxListUsers is ListUsers' page limit, and its default.
const maxListUsers = 60

// ListUsers lists a pool's users, optionally filtered, a page at a time.
func (s *Service) ListUsers(ctx context.Context, in *api.ListUsersRequest) (*api.ListUsersResponse, error) {
	p, err := loadPool(ctx, s.store, api.ToString(in.UserPoolId))
	if err != nil {
		return nil, err
	}
	term, err := filter.Parse(api.ToString(in.Filter))
	if err != nil {
		return nil, api.NewInvalidParameterException(err.Error())
	}
	for _, a := range in.AttributesToGet {
		if p.schemaAttr(a) == nil {
			return nil, invalidParam("One or more requested attributes do not exist.")
		}
	}
	after, err := decodeToken(api.ToString(in.PaginationToken))
	if err != nil {
		return nil, err
	}
	limit := int(api.ToInt32(in.Limit))
	if limit == 0 {
		limit = maxListUsers
	}
	q := store.UserQuery{After: after, Limit: limit + 1}
	if term != nil {
		f := &store.UserFilter{Attribute: term.Attribute, Prefix: term.Prefix, Value: term.Value}
		if term.Attribute == "sub" {
			f.Prefix = false // AWS matches sub exactly
		}
		// AWS documents cognito:user_status as the one case-insensitive
		// filter ("confirmed" finds CONFIRMED users).
		if term.Attribute == "cognito:user_status" ||
			(!p.caseSensitive() && (term.Attribute == "username" || term.Attribute == "preferred_username" || term.Attribute == "email")) {
			f.Fold, f.Value = true, strings.ToLower(f.Value)
		}
		q.Filter = f
	}
	users, last, err := s.store.ListUsers(ctx, p.ID, q)
	if err != nil {
		return nil, err
	}
	out := &api.ListUsersResponse{Users: []api.UserType{}}
	if len(users) > limit {
		users = users[:limit]
		last = users[limit-1].Username
		out.PaginationToken = api.String(encodeToken(last))
	}
	only := in.AttributesToGet
	if only != nil && len(only) == 0 {
		only = nil // an empty list means every attribute
	}
	for i := range users {
		out.Users = append(out.Users, userOut(&users[i], only))
	}
	return out, nil
}

// temporaryPasswordExpired reports whether an administrator-set password
// may no longer be used to sign in.
func (s *Service) temporaryPasswordExpired(p *pool, u *store.User) bool {
	if u.Password == nil || !u.Password.Temporary {
		return false
	}
	return s.clock().After(u.Password.SetAt.Add(time.Duration(p.temporaryPasswordValidityDays()) * 24 * time.Hour))
}
