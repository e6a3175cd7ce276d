package service

import (
	"context"
	"errors"
	"time"

	"github.com/userpool/userpool/api"
	"github.com/userpool/userpool/internal/codes"
	"github.com/userpool/userpool/internal/mask"
	"github.com/userpool/userpool/internal/message"
	"github.com/userpool/userpool/internal/store"
)

// Code purposes and lifetimes (Developer Guide, quotas: sign-up and
// attribute verification codes 24 hours, password reset codes 1 hour).
const (
	purposeSignUp = "signup"
	signUpCodeTTL = 24 * time.Hour
	verifyCodeTTL = 24 * time.Hour
	resetCodeTTL  = time.Hour
	purposeReset  = "forgot_password"
)

func purposeVerify(attr string) string { return "verify:" + attr }

// destination is where a message goes: an email address or a phone number.
type destination struct {
	medium string // EMAIL or SMS
	attr   string // email or phone_number
	value  string
}

func (d destination) details() *api.CodeDeliveryDetailsType {
	masked := mask.Email(d.value)
	if d.medium == "SMS" {
		masked = mask.Phone(d.value)
	}
	return &api.CodeDeliveryDetailsType{Destination: api.String(masked), DeliveryMedium: api.String(d.medium), AttributeName: api.String(d.attr)}
}

func contactOf(u *store.User, attr string) (destination, bool) {
	v, ok := u.Attr(attr)
	if !ok || v == "" {
		return destination{}, false
	}
	medium := "EMAIL"
	if attr == "phone_number" {
		medium = "SMS"
	}
	return destination{medium: medium, attr: attr, value: v}, true
}

// signUpDestination is where a sign-up code goes: the phone number when the
// pool auto-verifies it, else the email (Cognito prefers SMS when both are
// auto-verified).
func (p *pool) signUpDestination(u *store.User) (destination, bool) {
	for _, attr := range []string{"phone_number", "email"} {
		if p.autoVerified(attr) {
			if d, ok := contactOf(u, attr); ok {
				return d, true
			}
		}
	}
	return destination{}, false
}

// verificationTemplate returns the subject and body for a code message.
func (p *pool) verificationTemplate(d destination) (subject, body string) {
	t := p.cfg.VerificationMessageTemplate
	if t == nil {
		t = &api.VerificationMessageTemplateType{}
	}
	if d.medium == "SMS" {
		return "", message.Or(api.ToString(t.SmsMessage), message.DefaultVerificationMessage)
	}
	if api.ToString(t.DefaultEmailOption) == "CONFIRM_WITH_LINK" && t.EmailMessageByLink != nil {
		return message.Or(api.ToString(t.EmailSubjectByLink), message.DefaultVerificationSubject), api.ToString(t.EmailMessageByLink)
	}
	return message.Or(api.ToString(t.EmailSubject), message.DefaultVerificationSubject),
		message.Or(api.ToString(t.EmailMessage), message.DefaultVerificationMessage)
}

// issueCode makes a fresh code for a purpose, stores its hash (replacing
// any earlier code of that purpose) and puts the message in the outbox.
func (s *Service) issueCode(ctx context.Context, tx store.Tx, p *pool, u *store.User, purpose string, d destination, ttl time.Duration) error {
	code := codes.New()
	now := s.clock()
	err := tx.PutCode(ctx, store.Code{
		PoolID: p.ID, Username: u.Username, Purpose: purpose, Attribute: d.attr,
		Hash: codes.Hash(s.codeKey, p.ID, u.Username, purpose, code), CreatedAt: now, ExpiresAt: now.Add(ttl),
	})
	if err != nil {
		return err
	}
	subject, body := p.verificationTemplate(d)
	return s.deliver(ctx, tx, p, u, d, subject, message.Render(body, u.Username, code), code)
}

// deliver records a message in the outbox.
func (s *Service) deliver(ctx context.Context, tx store.Tx, p *pool, u *store.User, d destination, subject, body, code string) error {
	_, err := tx.AddMessage(ctx, store.Message{
		PoolID: p.ID, Username: u.Username, Medium: d.medium, Destination: d.value,
		Subject: subject, Body: body, Code: code, CreatedAt: s.clock(),
	})
	return err
}

// Outcomes of checking a code, which each operation maps to its exceptions.
var (
	errCodeMissing  = errors.New("no code")        // none issued, or expired
	errCodeMismatch = errors.New("wrong code")     // counted against the code
	errCodeLimit    = errors.New("too many tries") // the code is void
)

// useCode checks a code in constant time and consumes it on success. A
// wrong code counts against it; after Limits.CodeAttempts it is void. The
// attempt count is written even though the operation then fails, so the
// caller must commit the transaction for errCodeMismatch (see commitOn).
func (s *Service) useCode(ctx context.Context, tx store.Tx, p *pool, username, purpose, code string) (store.Code, error) {
	c, err := tx.GetCode(ctx, p.ID, username, purpose)
	if errors.Is(err, store.ErrNotFound) {
		return c, errCodeMissing
	}
	if err != nil {
		return c, err
	}
	if !s.clock().Before(c.ExpiresAt) {
		return c, errCodeMissing
	}
	if c.FailedAttempts >= s.limits.CodeAttempts {
		return c, errCodeLimit
	}
	if !codes.Match(s.codeKey, p.ID, username, purpose, code, c.Hash) {
		c.FailedAttempts++
		if err := tx.PutCode(ctx, c); err != nil {
			return c, err
		}
		return c, errCodeMismatch
	}
	return c, tx.DeleteCode(ctx, p.ID, username, purpose)
}

// codeError maps a code outcome to AWS's exceptions.
func codeError(err error) error {
	switch {
	case errors.Is(err, errCodeMissing):
		return api.NewExpiredCodeException("Invalid code provided, please request a code again.")
	case errors.Is(err, errCodeMismatch):
		return api.NewCodeMismatchException("Invalid verification code provided, please try again.")
	case errors.Is(err, errCodeLimit):
		return api.NewLimitExceededException("Attempt limit exceeded, please try after some time.")
	}
	return err
}

// commitOn runs fn in a transaction that also commits when fn fails with
// one of keep (for failures that must leave a trace, such as a wrong-code
// count); the error is still returned.
func (s *Service) commitOn(ctx context.Context, fn func(tx store.Tx) error, keep ...error) error {
	var kept error
	err := s.store.Update(ctx, func(tx store.Tx) error {
		err := fn(tx)
		for _, k := range keep {
			if errors.Is(err, k) {
				kept = err
				return nil
			}
		}
		return err
	})
	if err != nil {
		return err
	}
	return kept
}
