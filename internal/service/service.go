// Package service implements the Cognito user pools API (api.Service) on top
// of a store.Store: pools, app clients, users, sign-up and the outbox. Each
// operation validates what the API model cannot express, runs its change in
// one store transaction and answers with the exception AWS gives for that
// operation and condition. Nothing here knows about HTTP.
package service

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/userpool/userpool/api"
	"github.com/userpool/userpool/internal/store"
	"github.com/userpool/userpool/internal/token"
)

// Options configure a Service.
type Options struct {
	// Region is the AWS region the server pretends to be in; new pool IDs
	// start with it.
	Region string
	// AccountID appears in ARNs.
	AccountID string
	// Now is the clock; time.Now when nil. Tests move it to expire codes.
	Now func() time.Time
	// Log receives operational messages; never codes or passwords.
	Log *slog.Logger
	// IssuerURL is the public base URL tokens name as issuer
	// (<IssuerURL>/<poolId>); when empty, the URL each request came in on.
	IssuerURL string
	// Limits bound abuse; zero fields take AWS-like defaults.
	Limits Limits
}

// Limits are the abuse limits. Sign-in lockout follows AWS's documented
// rule and is not configurable.
type Limits struct {
	// CodeRequestsPerHour bounds how many codes one user may ask for in an
	// hour (ForgotPassword, ResendConfirmationCode,
	// GetUserAttributeVerificationCode); AWS allows 5 to 20, risk-based.
	CodeRequestsPerHour int
	// CodeAttempts is how many wrong guesses void a code.
	CodeAttempts int
}

// DefaultLimits are used for unset Limits fields.
var DefaultLimits = Limits{CodeRequestsPerHour: 10, CodeAttempts: 5}

// Service is the Cognito user pools API.
type Service struct {
	api.UnimplementedService

	store     store.Store
	region    string
	accountID string
	now       func() time.Time
	log       *slog.Logger
	codeKey   []byte
	// fakeKey derives the stable fake salt and user ID given for unknown
	// users when a client hides user existence.
	fakeKey []byte
	sealer  *sealer
	keys    *token.Keys
	// issuerURL, when set, is the public base URL of token issuers;
	// otherwise each request's own base URL is used.
	issuerURL string
	limits    Limits
}

var _ api.Service = (*Service)(nil)

// New returns a Service over st, creating its server secrets on first use.
func New(ctx context.Context, st store.Store, opts Options) (*Service, error) {
	s := &Service{store: st, region: opts.Region, accountID: opts.AccountID, now: opts.Now, log: opts.Log, issuerURL: strings.TrimRight(opts.IssuerURL, "/")}
	if s.region == "" {
		s.region = "us-east-1"
	}
	if s.accountID == "" {
		s.accountID = "000000000000"
	}
	if s.now == nil {
		s.now = time.Now
	}
	s.limits = opts.Limits
	if s.limits.CodeRequestsPerHour <= 0 {
		s.limits.CodeRequestsPerHour = DefaultLimits.CodeRequestsPerHour
	}
	if s.limits.CodeAttempts <= 0 {
		s.limits.CodeAttempts = DefaultLimits.CodeAttempts
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	var err error
	if s.codeKey, err = serverSecret(ctx, st, "code-hash-key"); err != nil {
		return nil, err
	}
	if s.fakeKey, err = serverSecret(ctx, st, "fake-user-key"); err != nil {
		return nil, err
	}
	sealKey, err := serverSecret(ctx, st, "session-seal-key")
	if err != nil {
		return nil, err
	}
	if s.sealer, err = newSealer(sealKey); err != nil {
		return nil, err
	}
	s.keys = token.NewKeys(st, s.now)
	return s, nil
}

// serverSecret returns the named 32-byte secret, generating and storing it
// the first time; every process sharing the store gets the same value.
func serverSecret(ctx context.Context, st store.Store, name string) ([]byte, error) {
	if v, err := st.GetSecret(ctx, name); err == nil {
		return v, nil
	} else if !errors.Is(err, store.ErrNotFound) {
		return nil, fmt.Errorf("service: read secret %s: %w", name, err)
	}
	fresh := make([]byte, 32)
	if _, err := rand.Read(fresh); err != nil {
		return nil, err
	}
	var v []byte
	err := st.Update(ctx, func(tx store.Tx) (err error) {
		v, err = tx.PutSecretIfAbsent(ctx, name, fresh)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("service: store secret %s: %w", name, err)
	}
	return v, nil
}

// clock returns the current time in UTC, truncated to microseconds (what
// every store keeps).
func (s *Service) clock() time.Time { return s.now().UTC().Truncate(time.Microsecond) }

// errPoolNotFound is AWS's answer for an unknown pool ID.
func errPoolNotFound(id string) error {
	return api.NewResourceNotFoundException(fmt.Sprintf("User pool %s does not exist.", id))
}

func errClientNotFound(id string) error {
	return api.NewResourceNotFoundException(fmt.Sprintf("User pool client %s does not exist.", id))
}

var errUserNotFound = api.NewUserNotFoundException("User does not exist.")

// invalidParam is shorthand for the exception most checks give.
func invalidParam(format string, args ...any) error {
	return api.NewInvalidParameterException(fmt.Sprintf(format, args...))
}

type baseURLKey struct{}

// WithBaseURL records the base URL a request came in on
// ("http://127.0.0.1:9229"); tokens issued for it name
// <base URL>/<pool ID> as issuer unless Options.IssuerURL is set.
func WithBaseURL(ctx context.Context, url string) context.Context {
	return context.WithValue(ctx, baseURLKey{}, strings.TrimRight(url, "/"))
}

// issuer is the iss claim of a pool's tokens.
func (s *Service) issuer(ctx context.Context, poolID string) string {
	base := s.issuerURL
	if base == "" {
		base, _ = ctx.Value(baseURLKey{}).(string)
	}
	if base == "" {
		base = "https://cognito-idp." + regionOf(poolID) + ".amazonaws.com"
	}
	return base + "/" + poolID
}
