package token_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/userpool/userpool/internal/store"
	"github.com/userpool/userpool/internal/store/sqlite"
	"github.com/userpool/userpool/internal/token"
)

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

func newStore(t *testing.T) store.Store {
	ctx := context.Background()
	st, err := sqlite.Open(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if err := st.Update(ctx, func(tx store.Tx) error {
		return tx.CreatePool(ctx, store.Pool{ID: "us-east-1_p", Name: "p", Settings: []byte(`{}`)})
	}); err != nil {
		t.Fatal(err)
	}
	return st
}

func TestSignVerifyAcrossInstancesAndRotation(t *testing.T) {
	ctx := context.Background()
	st := newStore(t)
	c := &clock{t: time.Now()}
	a, b := token.NewKeys(st, c.now), token.NewKeys(st, c.now)

	old, err := a.Sign(ctx, "us-east-1_p", []byte(`{"n":1}`))
	if err != nil {
		t.Fatal(err)
	}
	// Another process sharing the store verifies it, and signs with the same key.
	if payload, err := b.Verify(ctx, "us-east-1_p", old); err != nil || string(payload) != `{"n":1}` {
		t.Fatalf("Verify in another instance = %s, %v", payload, err)
	}
	set, _ := b.JWKS(ctx, "us-east-1_p")
	if len(set.Keys) != 1 {
		t.Fatalf("JWKS has %d keys, want 1", len(set.Keys))
	}

	if _, err := a.Rotate(ctx, "us-east-1_p"); err != nil {
		t.Fatal(err)
	}
	// b learns of the new key when a token names it, even within its cache time.
	c.add(2 * time.Second)
	fresh, _ := a.Sign(ctx, "us-east-1_p", []byte(`{"n":2}`))
	if _, err := b.Verify(ctx, "us-east-1_p", fresh); err != nil {
		t.Fatalf("token of the new key: %v", err)
	}
	if _, err := b.Verify(ctx, "us-east-1_p", old); err != nil {
		t.Fatalf("token of the retired key: %v", err)
	}
	set, _ = a.JWKS(ctx, "us-east-1_p")
	if len(set.Keys) != 2 {
		t.Fatalf("JWKS after rotation has %d keys, want 2", len(set.Keys))
	}
	// A day later the retired key's tokens have all expired: it is gone.
	c.add(token.MaxLifetime + time.Minute)
	if _, err := a.Rotate(ctx, "us-east-1_p"); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Verify(ctx, "us-east-1_p", old); !errors.Is(err, token.ErrInvalid) {
		t.Fatalf("token of a long-retired key: %v", err)
	}
	set, _ = a.JWKS(ctx, "us-east-1_p")
	if len(set.Keys) != 2 {
		t.Fatalf("JWKS after the second rotation has %d keys, want 2 (active and just retired)", len(set.Keys))
	}
	keys, _ := st.ListSigningKeys(ctx, "us-east-1_p")
	if len(keys) != 2 {
		t.Fatalf("store keeps %d keys, want 2", len(keys))
	}
}

func TestVerifyRejects(t *testing.T) {
	ctx := context.Background()
	st := newStore(t)
	k := token.NewKeys(st, nil)
	good, _ := k.Sign(ctx, "us-east-1_p", []byte(`{"n":1}`))
	for name, raw := range map[string]string{
		"garbage":   "not a token",
		"tampered":  good[:len(good)-4] + "AAAA",
		"alg none":  "eyJhbGciOiJub25lIn0.eyJuIjoxfQ.",
		"truncated": good[:len(good)/2],
	} {
		if _, err := k.Verify(ctx, "us-east-1_p", raw); !errors.Is(err, token.ErrInvalid) {
			t.Errorf("%s: %v, want ErrInvalid", name, err)
		}
	}
}
