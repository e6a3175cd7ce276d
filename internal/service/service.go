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
	"time"

	"github.com/userpool/userpool/api"
	"github.com/userpool/userpool/internal/store"
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
}

// Service is the Cognito user pools API.
type Service struct {
	api.UnimplementedService

	store     store.Store
	region    string
	accountID string
	now       func() time.Time
	log       *slog.Logger
	codeKey   []byte
}

var _ api.Service = (*Service)(nil)

// New returns a Service over st, creating its server secrets on first use.
func New(ctx context.Context, st store.Store, opts Options) (*Service, error) {
	s := &Service{store: st, region: opts.Region, accountID: opts.AccountID, now: opts.Now, log: opts.Log}
	if s.region == "" {
		s.region = "us-east-1"
	}
	if s.accountID == "" {
		s.accountID = "000000000000"
	}
	if s.now == nil {
		s.now = time.Now
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	var err error
	if s.codeKey, err = serverSecret(ctx, st, "code-hash-key"); err != nil {
		return nil, err
	}
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
