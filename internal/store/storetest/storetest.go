// Package storetest is the conformance suite every store.Store backend must
// pass unchanged (in the manner of Dex's storage/conformance).
package storetest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"reflect"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/userpool/userpool/internal/store"
)

// Run runs every conformance test; newStore must return an empty store.
func Run(t *testing.T, newStore func(t *testing.T) store.Store) {
	tests := []struct {
		name string
		fn   func(t *testing.T, s store.Store)
	}{
		{"Pools", testPools},
		{"Clients", testClients},
		{"UserRoundTrip", testUserRoundTrip},
		{"UserKeys", testUserKeys},
		{"ListUsersFilterAndPaging", testListUsers},
		{"DeleteCascades", testDeleteCascades},
		{"Codes", testCodes},
		{"Outbox", testOutbox},
		{"Secrets", testSecrets},
		{"RollbackOnError", testRollback},
		{"ConcurrentUpdatesSerialise", testConcurrentUpdates},
		{"SingleUseCode", testSingleUseCode},
		{"SigningKeys", testSigningKeys},
		{"RefreshTokens", testRefreshTokens},
		{"UsedSessions", testUsedSessions},
		{"Groups", testGroups},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := newStore(t)
			tc.fn(t, s)
		})
	}
}

var ctx = context.Background()

// now is truncated to microseconds: backends need not keep more.
func now() time.Time { return time.Now().UTC().Truncate(time.Microsecond) }

func mustUpdate(t *testing.T, s store.Store, fn func(tx store.Tx) error) {
	t.Helper()
	if err := s.Update(ctx, fn); err != nil {
		t.Fatalf("update: %v", err)
	}
}

func createPool(t *testing.T, s store.Store, id string) store.Pool {
	t.Helper()
	p := store.Pool{ID: id, Name: "pool " + id, CreatedAt: now(), UpdatedAt: now(), Settings: []byte(`{"PoolName":"x"}`)}
	mustUpdate(t, s, func(tx store.Tx) error { return tx.CreatePool(ctx, p) })
	return p
}

func newUser(poolID, username string, attrs ...store.Attribute) store.User {
	return store.User{
		PoolID: poolID, Username: username, Sub: "sub-" + username, Enabled: true, Status: "CONFIRMED",
		Attributes: attrs, CreatedAt: now(), UpdatedAt: now(),
		Keys: []string{"username:" + username, "sub:sub-" + username},
	}
}

func createUser(t *testing.T, s store.Store, u store.User) {
	t.Helper()
	mustUpdate(t, s, func(tx store.Tx) error { return tx.CreateUser(ctx, u) })
}

func testPools(t *testing.T, s store.Store) {
	if _, err := s.GetPool(ctx, "us-east-1_nope"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("GetPool missing: got %v, want ErrNotFound", err)
	}
	p := createPool(t, s, "us-east-1_b")
	got, err := s.GetPool(ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, p) {
		t.Fatalf("GetPool = %+v, want %+v", got, p)
	}
	err = s.Update(ctx, func(tx store.Tx) error { return tx.CreatePool(ctx, p) })
	if !errors.Is(err, store.ErrAlreadyExists) {
		t.Fatalf("CreatePool twice: got %v, want ErrAlreadyExists", err)
	}
	createPool(t, s, "us-east-1_a")
	createPool(t, s, "us-east-1_c")
	page, err := s.ListPools(ctx, "", 2)
	if err != nil || len(page) != 2 || page[0].ID != "us-east-1_a" || page[1].ID != "us-east-1_b" {
		t.Fatalf("ListPools first page = %v, %v", ids(page), err)
	}
	page, err = s.ListPools(ctx, page[1].ID, 2)
	if err != nil || len(page) != 1 || page[0].ID != "us-east-1_c" {
		t.Fatalf("ListPools second page = %v, %v", ids(page), err)
	}
	p.Name, p.Settings, p.UpdatedAt = "renamed", []byte(`{"PoolName":"renamed"}`), now().Add(time.Second)
	mustUpdate(t, s, func(tx store.Tx) error { return tx.UpdatePool(ctx, p) })
	got, _ = s.GetPool(ctx, p.ID)
	if got.Name != "renamed" || !bytes.Equal(got.Settings, p.Settings) || !got.UpdatedAt.Equal(p.UpdatedAt) {
		t.Fatalf("after UpdatePool: %+v", got)
	}
	mustUpdate(t, s, func(tx store.Tx) error { return tx.DeletePool(ctx, p.ID) })
	if _, err := s.GetPool(ctx, p.ID); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("GetPool after delete: %v", err)
	}
	err = s.Update(ctx, func(tx store.Tx) error { return tx.DeletePool(ctx, p.ID) })
	if !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("DeletePool twice: %v", err)
	}
	err = s.Update(ctx, func(tx store.Tx) error { return tx.UpdatePool(ctx, p) })
	if !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("UpdatePool deleted: %v", err)
	}
}

func ids(ps []store.Pool) []string {
	var out []string
	for _, p := range ps {
		out = append(out, p.ID)
	}
	return out
}

func testClients(t *testing.T, s store.Store) {
	createPool(t, s, "us-east-1_p1")
	createPool(t, s, "us-east-1_p2")
	mk := func(id, pool string) store.Client {
		return store.Client{ID: id, PoolID: pool, Name: "c" + id, CreatedAt: now(), UpdatedAt: now(), Settings: []byte(`{}`)}
	}
	want := mk("c", "us-east-1_p2")
	for _, c := range []store.Client{mk("b", "us-east-1_p1"), mk("a", "us-east-1_p1"), want} {
		mustUpdate(t, s, func(tx store.Tx) error { return tx.CreateClient(ctx, c) })
	}
	err := s.Update(ctx, func(tx store.Tx) error { return tx.CreateClient(ctx, mk("a", "us-east-1_p2")) })
	if !errors.Is(err, store.ErrAlreadyExists) {
		t.Fatalf("duplicate client id across pools: %v", err)
	}
	got, err := s.GetClient(ctx, "c")
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Fatalf("GetClient = %+v, %v", got, err)
	}
	list, err := s.ListClients(ctx, "us-east-1_p1", "", 0)
	if err != nil || len(list) != 2 || list[0].ID != "a" || list[1].ID != "b" {
		t.Fatalf("ListClients = %+v, %v", list, err)
	}
	list, _ = s.ListClients(ctx, "us-east-1_p1", "a", 1)
	if len(list) != 1 || list[0].ID != "b" {
		t.Fatalf("ListClients page 2 = %+v", list)
	}
	c := list[0]
	c.Name, c.Settings = "renamed", []byte(`{"x":1}`)
	mustUpdate(t, s, func(tx store.Tx) error { return tx.UpdateClient(ctx, c) })
	got, _ = s.GetClient(ctx, "b")
	if got.Name != "renamed" || string(got.Settings) != `{"x":1}` {
		t.Fatalf("after UpdateClient: %+v", got)
	}
	mustUpdate(t, s, func(tx store.Tx) error { return tx.DeleteClient(ctx, "b") })
	if _, err := s.GetClient(ctx, "b"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("GetClient deleted: %v", err)
	}
	if err := s.Update(ctx, func(tx store.Tx) error { return tx.DeleteClient(ctx, "b") }); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("DeleteClient twice: %v", err)
	}
}

func testUserRoundTrip(t *testing.T, s store.Store) {
	createPool(t, s, "us-east-1_p")
	u := newUser("us-east-1_p", "alice", store.Attribute{Name: "sub", Value: "sub-alice"}, store.Attribute{Name: "email", Value: "a@example.com"}, store.Attribute{Name: "custom:x", Value: "ü ✓"})
	u.Status = "FORCE_CHANGE_PASSWORD"
	u.Enabled = false
	u.Password = &store.Password{Salt: []byte{1, 2}, Verifier: []byte{3, 4, 5}, SetAt: now(), Temporary: true}
	u.PasswordHistory = []store.Password{{Salt: []byte{9}, Verifier: []byte{8}, SetAt: now().Add(-time.Hour)}}
	u.FailedSignIns = 3
	u.LastFailedSignIn = now().Add(-time.Second)
	u.PendingAttributes = []store.Attribute{{Name: "email", Value: "new@example.com"}}
	u.Rates = map[string]store.RateWindow{"code": {Start: now(), Count: 2}}
	u.LockedUntil = now().Add(time.Minute)
	createUser(t, s, u)
	got, err := s.FindUser(ctx, "us-east-1_p", "username:alice")
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, u) {
		t.Fatalf("FindUser =\n%+v\nwant\n%+v", got, u)
	}
	if _, err := s.FindUser(ctx, "us-east-1_p", "username:bob"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("FindUser missing: %v", err)
	}
	if _, err := s.FindUser(ctx, "us-east-1_other", "username:alice"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("FindUser in another pool: %v", err)
	}
	u.Status, u.Enabled, u.Password.Temporary = "CONFIRMED", true, false
	u.SetAttr("email", "b@example.com")
	u.DeleteAttr("custom:x")
	u.UpdatedAt = now().Add(time.Second)
	mustUpdate(t, s, func(tx store.Tx) error { return tx.UpdateUser(ctx, u) })
	got, _ = s.FindUser(ctx, "us-east-1_p", "sub:sub-alice")
	if !reflect.DeepEqual(got, u) {
		t.Fatalf("after UpdateUser =\n%+v\nwant\n%+v", got, u)
	}
	n, err := s.CountUsers(ctx, "us-east-1_p")
	if err != nil || n != 1 {
		t.Fatalf("CountUsers = %d, %v", n, err)
	}
	ghost := newUser("us-east-1_p", "ghost")
	if err := s.Update(ctx, func(tx store.Tx) error { return tx.UpdateUser(ctx, ghost) }); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("UpdateUser missing: %v", err)
	}
	if err := s.Update(ctx, func(tx store.Tx) error { return tx.DeleteUser(ctx, "us-east-1_p", "ghost") }); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("DeleteUser missing: %v", err)
	}
}

func testUserKeys(t *testing.T, s store.Store) {
	createPool(t, s, "us-east-1_p")
	createPool(t, s, "us-east-1_q")
	a := newUser("us-east-1_p", "alice")
	a.Keys = append(a.Keys, "email:shared@example.com")
	createUser(t, s, a)

	// The same username in another pool is fine.
	createUser(t, s, newUser("us-east-1_q", "alice"))

	dup := newUser("us-east-1_p", "alice")
	dup.Sub, dup.Keys = "other", []string{"username:alice", "sub:other"}
	err := s.Update(ctx, func(tx store.Tx) error { return tx.CreateUser(ctx, dup) })
	var kc *store.KeyConflictError
	if !errors.As(err, &kc) || !errors.Is(err, store.ErrAlreadyExists) {
		t.Fatalf("duplicate username: %v", err)
	}

	b := newUser("us-east-1_p", "bob")
	b.Keys = append(b.Keys, "email:shared@example.com")
	err = s.Update(ctx, func(tx store.Tx) error { return tx.CreateUser(ctx, b) })
	if !errors.As(err, &kc) || kc.Key != "email:shared@example.com" {
		t.Fatalf("duplicate alias key: %v", err)
	}
	// The failed transaction left nothing behind.
	if _, err := s.FindUser(ctx, "us-east-1_p", "username:bob"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("half-created user is visible: %v", err)
	}

	// Moving a key from one user to another inside one transaction works.
	b.Keys = b.Keys[:2]
	createUser(t, s, b)
	mustUpdate(t, s, func(tx store.Tx) error {
		a.Keys = a.Keys[:2]
		if err := tx.UpdateUser(ctx, a); err != nil {
			return err
		}
		b.Keys = append(b.Keys, "email:shared@example.com")
		return tx.UpdateUser(ctx, b)
	})
	got, err := s.FindUser(ctx, "us-east-1_p", "email:shared@example.com")
	if err != nil || got.Username != "bob" {
		t.Fatalf("moved key finds %q, %v", got.Username, err)
	}
	// A failed CreateUser or UpdateUser changes nothing, and the
	// transaction goes on: the caller may free the key and try again.
	mustUpdate(t, s, func(tx store.Tx) error {
		c := newUser("us-east-1_p", "carol")
		c.Keys = append(c.Keys, "email:shared@example.com")
		err := tx.CreateUser(ctx, c)
		if !errors.As(err, &kc) || kc.Key != "email:shared@example.com" {
			return fmt.Errorf("create with a taken key: %v", err)
		}
		if _, err := tx.FindUser(ctx, "us-east-1_p", "username:carol"); !errors.Is(err, store.ErrNotFound) {
			return fmt.Errorf("failed create left the user: %v", err)
		}
		a.Keys = append(a.Keys[:2], "email:shared@example.com")
		err = tx.UpdateUser(ctx, a)
		if !errors.As(err, &kc) || kc.Key != "email:shared@example.com" {
			return fmt.Errorf("update with a taken key: %v", err)
		}
		if u, err := tx.FindUser(ctx, "us-east-1_p", "username:alice"); err != nil || u.Username != "alice" {
			return fmt.Errorf("failed update lost the user's keys: %v", err)
		}
		b.Keys = b.Keys[:2]
		if err := tx.UpdateUser(ctx, b); err != nil {
			return err
		}
		return tx.CreateUser(ctx, c)
	})
	if got, err := s.FindUser(ctx, "us-east-1_p", "email:shared@example.com"); err != nil || got.Username != "carol" {
		t.Fatalf("retried create: %q, %v", got.Username, err)
	}
	mustUpdate(t, s, func(tx store.Tx) error { return tx.DeleteUser(ctx, "us-east-1_p", "carol") })
	mustUpdate(t, s, func(tx store.Tx) error {
		b.Keys = append(b.Keys, "email:shared@example.com")
		return tx.UpdateUser(ctx, b)
	})

	// Keys of a deleted user are free again.
	mustUpdate(t, s, func(tx store.Tx) error { return tx.DeleteUser(ctx, "us-east-1_p", "bob") })
	if _, err := s.FindUser(ctx, "us-east-1_p", "email:shared@example.com"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("key of deleted user: %v", err)
	}
	createUser(t, s, newUser("us-east-1_p", "bob"))
}

func testListUsers(t *testing.T, s store.Store) {
	createPool(t, s, "us-east-1_p")
	createPool(t, s, "us-east-1_q")
	createUser(t, s, newUser("us-east-1_q", "zed", store.Attribute{Name: "email", Value: "jane@example.com"}))
	names := []string{"jane", "john", "Jim", "bob", "ann_x", "ann%y", "Ülla"}
	for _, n := range names {
		u := newUser("us-east-1_p", n,
			store.Attribute{Name: "email", Value: n + "@example.com"},
			store.Attribute{Name: "given_name", Value: "G" + n})
		if n == "bob" {
			u.Enabled = false
			u.Status = "UNCONFIRMED"
		}
		createUser(t, s, u)
	}
	list := func(q store.UserQuery) []string {
		t.Helper()
		us, _, err := s.ListUsers(ctx, "us-east-1_p", q)
		if err != nil {
			t.Fatalf("ListUsers(%+v): %v", q, err)
		}
		var out []string
		for _, u := range us {
			out = append(out, u.Username)
		}
		return out
	}
	check := func(name string, got []string, want ...string) {
		t.Helper()
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("%s: got %v, want %v", name, got, want)
		}
	}
	check("all", list(store.UserQuery{}), "Jim", "ann%y", "ann_x", "bob", "jane", "john", "Ülla")
	check("prefix email", list(store.UserQuery{Filter: &store.UserFilter{Attribute: "email", Prefix: true, Value: "j"}}), "jane", "john")
	check("prefix is case-sensitive", list(store.UserQuery{Filter: &store.UserFilter{Attribute: "email", Prefix: true, Value: "J"}}), "Jim")
	check("prefix folded", list(store.UserQuery{Filter: &store.UserFilter{Attribute: "username", Prefix: true, Value: "j", Fold: true}}), "Jim", "jane", "john")
	// Folding is strings.ToLower's, beyond ASCII too.
	check("equals folded", list(store.UserQuery{Filter: &store.UserFilter{Attribute: "username", Value: "ülla", Fold: true}}), "Ülla")
	check("prefix folded non-ASCII", list(store.UserQuery{Filter: &store.UserFilter{Attribute: "email", Prefix: true, Value: "ül", Fold: true}}), "Ülla")
	check("non-ASCII prefix is case-sensitive", list(store.UserQuery{Filter: &store.UserFilter{Attribute: "email", Prefix: true, Value: "ül"}}))
	check("LIKE wildcards are literal", list(store.UserQuery{Filter: &store.UserFilter{Attribute: "username", Prefix: true, Value: "ann_"}}), "ann_x")
	check("LIKE percent literal", list(store.UserQuery{Filter: &store.UserFilter{Attribute: "username", Prefix: true, Value: "ann%"}}), "ann%y")
	check("equals", list(store.UserQuery{Filter: &store.UserFilter{Attribute: "given_name", Value: "Gjohn"}}), "john")
	check("equals username", list(store.UserQuery{Filter: &store.UserFilter{Attribute: "username", Value: "bob"}}), "bob")
	check("status", list(store.UserQuery{Filter: &store.UserFilter{Attribute: "status", Value: "Disabled"}}), "bob")
	check("user status", list(store.UserQuery{Filter: &store.UserFilter{Attribute: "cognito:user_status", Value: "CONFIRMED"}}), "Jim", "ann%y", "ann_x", "jane", "john", "Ülla")
	check("user status folded", list(store.UserQuery{Filter: &store.UserFilter{Attribute: "cognito:user_status", Value: "unconfirmed", Fold: true}}), "bob")
	check("unknown attribute", list(store.UserQuery{Filter: &store.UserFilter{Attribute: "family_name", Value: "x"}}))

	// Paging walks every user exactly once.
	var all []string
	after := ""
	for i := 0; i < 10; i++ {
		us, last, err := s.ListUsers(ctx, "us-east-1_p", store.UserQuery{After: after, Limit: 4})
		if err != nil {
			t.Fatal(err)
		}
		for _, u := range us {
			all = append(all, u.Username)
		}
		if len(us) < 4 {
			break
		}
		after = last
	}
	check("paged", all, "Jim", "ann%y", "ann_x", "bob", "jane", "john", "Ülla")
}

func testDeleteCascades(t *testing.T, s store.Store) {
	createPool(t, s, "us-east-1_p")
	createPool(t, s, "us-east-1_keep")
	mustUpdate(t, s, func(tx store.Tx) error {
		return tx.CreateClient(ctx, store.Client{ID: "cl", PoolID: "us-east-1_p", Name: "c", CreatedAt: now(), UpdatedAt: now(), Settings: []byte(`{}`)})
	})
	createUser(t, s, newUser("us-east-1_p", "alice"))
	createUser(t, s, newUser("us-east-1_keep", "alice"))
	mustUpdate(t, s, func(tx store.Tx) error {
		if err := tx.PutCode(ctx, store.Code{PoolID: "us-east-1_p", Username: "alice", Purpose: "signup", Hash: []byte{1}, CreatedAt: now(), ExpiresAt: now().Add(time.Hour)}); err != nil {
			return err
		}
		_, err := tx.AddMessage(ctx, store.Message{PoolID: "us-east-1_p", Username: "alice", Medium: "EMAIL", CreatedAt: now()})
		return err
	})
	mustUpdate(t, s, func(tx store.Tx) error { return tx.DeletePool(ctx, "us-east-1_p") })
	if _, err := s.GetClient(ctx, "cl"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("client survived its pool: %v", err)
	}
	if _, err := s.FindUser(ctx, "us-east-1_p", "username:alice"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("user survived its pool: %v", err)
	}
	if _, err := s.GetCode(ctx, "us-east-1_p", "alice", "signup"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("code survived its pool: %v", err)
	}
	if msgs, _ := s.ListMessages(ctx, "us-east-1_p", ""); len(msgs) != 0 {
		t.Errorf("messages survived their pool: %v", msgs)
	}
	if _, err := s.FindUser(ctx, "us-east-1_keep", "username:alice"); err != nil {
		t.Errorf("user of another pool deleted: %v", err)
	}
	// Recreating the same pool id starts empty.
	createPool(t, s, "us-east-1_p")
	createUser(t, s, newUser("us-east-1_p", "alice"))
}

func testCodes(t *testing.T, s store.Store) {
	createPool(t, s, "us-east-1_p")
	createUser(t, s, newUser("us-east-1_p", "alice"))
	c := store.Code{PoolID: "us-east-1_p", Username: "alice", Purpose: "forgot_password", Attribute: "email", Hash: []byte("h1"), CreatedAt: now(), ExpiresAt: now().Add(time.Hour)}
	mustUpdate(t, s, func(tx store.Tx) error { return tx.PutCode(ctx, c) })
	got, err := s.GetCode(ctx, "us-east-1_p", "alice", "forgot_password")
	if err != nil || !reflect.DeepEqual(got, c) {
		t.Fatalf("GetCode = %+v, %v; want %+v", got, err, c)
	}
	if _, err := s.GetCode(ctx, "us-east-1_p", "alice", "signup"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("GetCode other purpose: %v", err)
	}
	// A new code replaces the old one.
	c2 := c
	c2.Hash, c2.FailedAttempts = []byte("h2"), 2
	mustUpdate(t, s, func(tx store.Tx) error { return tx.PutCode(ctx, c2) })
	got, _ = s.GetCode(ctx, "us-east-1_p", "alice", "forgot_password")
	if string(got.Hash) != "h2" || got.FailedAttempts != 2 {
		t.Fatalf("replaced code = %+v", got)
	}
	mustUpdate(t, s, func(tx store.Tx) error { return tx.DeleteCode(ctx, "us-east-1_p", "alice", "forgot_password") })
	if err := s.Update(ctx, func(tx store.Tx) error { return tx.DeleteCode(ctx, "us-east-1_p", "alice", "forgot_password") }); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("DeleteCode twice: %v", err)
	}
	// Codes go with their user.
	mustUpdate(t, s, func(tx store.Tx) error { return tx.PutCode(ctx, c) })
	mustUpdate(t, s, func(tx store.Tx) error { return tx.DeleteUser(ctx, "us-east-1_p", "alice") })
	if _, err := s.GetCode(ctx, "us-east-1_p", "alice", "forgot_password"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("code survived its user: %v", err)
	}
}

func testOutbox(t *testing.T, s store.Store) {
	createPool(t, s, "us-east-1_p")
	var first store.Message
	for i, user := range []string{"alice", "bob", "alice"} {
		m := store.Message{PoolID: "us-east-1_p", Username: user, Medium: "EMAIL", Destination: user + "@example.com",
			Subject: "s", Body: fmt.Sprintf("body %d", i), Code: fmt.Sprint(100000 + i), CreatedAt: now()}
		mustUpdate(t, s, func(tx store.Tx) error {
			got, err := tx.AddMessage(ctx, m)
			if i == 0 {
				first = got
			}
			return err
		})
	}
	if first.ID == 0 {
		t.Fatal("AddMessage gave no id")
	}
	msgs, err := s.ListMessages(ctx, "us-east-1_p", "alice")
	if err != nil || len(msgs) != 2 || msgs[0].Body != "body 0" || msgs[1].Body != "body 2" || msgs[0].Code != "100000" {
		t.Fatalf("ListMessages(alice) = %+v, %v", msgs, err)
	}
	if !reflect.DeepEqual(msgs[0], first) {
		t.Fatalf("message round trip: %+v != %+v", msgs[0], first)
	}
	all, _ := s.ListMessages(ctx, "us-east-1_p", "")
	if len(all) != 3 {
		t.Fatalf("ListMessages(all) = %d messages", len(all))
	}
}

func testSecrets(t *testing.T, s store.Store) {
	if _, err := s.GetSecret(ctx, "k"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("GetSecret missing: %v", err)
	}
	var got []byte
	mustUpdate(t, s, func(tx store.Tx) (err error) { got, err = tx.PutSecretIfAbsent(ctx, "k", []byte("first")); return })
	if string(got) != "first" {
		t.Fatalf("first put = %q", got)
	}
	mustUpdate(t, s, func(tx store.Tx) (err error) { got, err = tx.PutSecretIfAbsent(ctx, "k", []byte("second")); return })
	if string(got) != "first" {
		t.Fatalf("second put = %q, want the first value kept", got)
	}
}

func testRollback(t *testing.T, s store.Store) {
	boom := errors.New("boom")
	err := s.Update(ctx, func(tx store.Tx) error {
		if err := tx.CreatePool(ctx, store.Pool{ID: "us-east-1_r", Name: "r", CreatedAt: now(), UpdatedAt: now(), Settings: []byte(`{}`)}); err != nil {
			return err
		}
		// Reads inside the transaction see its own writes.
		if _, err := tx.GetPool(ctx, "us-east-1_r"); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("Update returned %v, want fn's error", err)
	}
	if _, err := s.GetPool(ctx, "us-east-1_r"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("rolled-back pool is visible: %v", err)
	}
}

func testConcurrentUpdates(t *testing.T, s store.Store) {
	createPool(t, s, "us-east-1_p")
	u := newUser("us-east-1_p", "counter")
	createUser(t, s, u)
	const workers, rounds = 8, 10
	var wg sync.WaitGroup
	errs := make(chan error, workers*rounds)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < rounds; i++ {
				errs <- s.Update(ctx, func(tx store.Tx) error {
					cur, err := tx.FindUser(ctx, "us-east-1_p", "username:counter")
					if err != nil {
						return err
					}
					cur.FailedSignIns++
					return tx.UpdateUser(ctx, cur)
				})
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	got, _ := s.FindUser(ctx, "us-east-1_p", "username:counter")
	if got.FailedSignIns != workers*rounds {
		t.Fatalf("lost updates: counter = %d, want %d", got.FailedSignIns, workers*rounds)
	}
}

func testSingleUseCode(t *testing.T, s store.Store) {
	createPool(t, s, "us-east-1_p")
	createUser(t, s, newUser("us-east-1_p", "alice"))
	mustUpdate(t, s, func(tx store.Tx) error {
		return tx.PutCode(ctx, store.Code{PoolID: "us-east-1_p", Username: "alice", Purpose: "forgot_password", Hash: []byte("h"), CreatedAt: now(), ExpiresAt: now().Add(time.Hour)})
	})
	var used atomic.Int32
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			err := s.Update(ctx, func(tx store.Tx) error {
				if _, err := tx.GetCode(ctx, "us-east-1_p", "alice", "forgot_password"); err != nil {
					return err
				}
				return tx.DeleteCode(ctx, "us-east-1_p", "alice", "forgot_password")
			})
			if err == nil {
				used.Add(1)
			} else if !errors.Is(err, store.ErrNotFound) {
				t.Errorf("unexpected error: %v", err)
			}
		}()
	}
	wg.Wait()
	if used.Load() != 1 {
		t.Fatalf("code used %d times, want exactly once", used.Load())
	}
}

func testSigningKeys(t *testing.T, s store.Store) {
	createPool(t, s, "us-east-1_p")
	if keys, err := s.ListSigningKeys(ctx, "us-east-1_p"); err != nil || len(keys) != 0 {
		t.Fatalf("ListSigningKeys empty = %v, %v", keys, err)
	}
	k1 := store.SigningKey{PoolID: "us-east-1_p", KID: "k1", PrivateKey: []byte("der1"), CreatedAt: now()}
	k2 := store.SigningKey{PoolID: "us-east-1_p", KID: "k2", PrivateKey: []byte("der2"), CreatedAt: now().Add(time.Second)}
	mustUpdate(t, s, func(tx store.Tx) error { return tx.AddSigningKey(ctx, k2) })
	mustUpdate(t, s, func(tx store.Tx) error { return tx.AddSigningKey(ctx, k1) })
	if err := s.Update(ctx, func(tx store.Tx) error { return tx.AddSigningKey(ctx, k1) }); !errors.Is(err, store.ErrAlreadyExists) {
		t.Fatalf("AddSigningKey twice: %v", err)
	}
	keys, err := s.ListSigningKeys(ctx, "us-east-1_p")
	if err != nil || !reflect.DeepEqual(keys, []store.SigningKey{k1, k2}) {
		t.Fatalf("ListSigningKeys = %+v, %v", keys, err)
	}
	retired := now().Add(time.Minute)
	mustUpdate(t, s, func(tx store.Tx) error { return tx.RetireSigningKey(ctx, "us-east-1_p", "k1", retired) })
	keys, _ = s.ListSigningKeys(ctx, "us-east-1_p")
	if !keys[0].RetiredAt.Equal(retired) || !keys[1].RetiredAt.IsZero() {
		t.Fatalf("after retire: %+v", keys)
	}
	mustUpdate(t, s, func(tx store.Tx) error { return tx.DeleteSigningKey(ctx, "us-east-1_p", "k1") })
	if err := s.Update(ctx, func(tx store.Tx) error { return tx.RetireSigningKey(ctx, "us-east-1_p", "k1", retired) }); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("retire deleted key: %v", err)
	}
	mustUpdate(t, s, func(tx store.Tx) error { return tx.DeletePool(ctx, "us-east-1_p") })
	if keys, _ := s.ListSigningKeys(ctx, "us-east-1_p"); len(keys) != 0 {
		t.Fatalf("keys survived their pool: %+v", keys)
	}
}

func testRefreshTokens(t *testing.T, s store.Store) {
	createPool(t, s, "us-east-1_p")
	createUser(t, s, newUser("us-east-1_p", "alice"))
	createUser(t, s, newUser("us-east-1_p", "bob"))
	mk := func(id, user string, expires time.Time) store.RefreshToken {
		return store.RefreshToken{ID: id, Hash: []byte("hash-" + id), PoolID: "us-east-1_p", Username: user, ClientID: "c",
			AuthTime: now(), CreatedAt: now(), ExpiresAt: expires}
	}
	a1, a2, b1 := mk("a1", "alice", now().Add(time.Hour)), mk("a2", "alice", now().Add(time.Hour)), mk("b1", "bob", now().Add(time.Hour))
	old := mk("old", "bob", now().Add(-time.Hour))
	for _, rt := range []store.RefreshToken{a1, a2, b1, old} {
		mustUpdate(t, s, func(tx store.Tx) error { return tx.CreateRefreshToken(ctx, rt) })
	}
	got, err := s.FindRefreshToken(ctx, []byte("hash-a1"))
	if err != nil || !reflect.DeepEqual(got, a1) {
		t.Fatalf("FindRefreshToken = %+v, %v", got, err)
	}
	if _, err := s.FindRefreshToken(ctx, []byte("nope")); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("FindRefreshToken missing: %v", err)
	}
	at := now()
	mustUpdate(t, s, func(tx store.Tx) error { return tx.RevokeRefreshToken(ctx, "a1", at) })
	mustUpdate(t, s, func(tx store.Tx) error { return tx.RevokeRefreshToken(ctx, "a1", at.Add(time.Hour)) })
	got, _ = s.GetRefreshToken(ctx, "a1")
	if !got.RevokedAt.Equal(at) {
		t.Fatalf("revoked at %v, want the first revocation %v", got.RevokedAt, at)
	}
	if err := s.Update(ctx, func(tx store.Tx) error { return tx.RevokeRefreshToken(ctx, "zz", at) }); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("revoke unknown: %v", err)
	}
	mustUpdate(t, s, func(tx store.Tx) error { return tx.RevokeUserRefreshTokens(ctx, "us-east-1_p", "alice", at) })
	if got, _ := s.GetRefreshToken(ctx, "a2"); got.RevokedAt.IsZero() {
		t.Fatal("RevokeUserRefreshTokens left a2 valid")
	}
	if got, _ := s.GetRefreshToken(ctx, "b1"); !got.RevokedAt.IsZero() {
		t.Fatal("RevokeUserRefreshTokens revoked another user's token")
	}
	mustUpdate(t, s, func(tx store.Tx) error { return tx.DeleteExpired(ctx, now()) })
	if _, err := s.GetRefreshToken(ctx, "old"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("expired token kept: %v", err)
	}
	if _, err := s.GetRefreshToken(ctx, "b1"); err != nil {
		t.Fatalf("valid token deleted: %v", err)
	}
	mustUpdate(t, s, func(tx store.Tx) error { return tx.DeleteUser(ctx, "us-east-1_p", "bob") })
	if _, err := s.GetRefreshToken(ctx, "b1"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("token survived its user: %v", err)
	}
}

func testUsedSessions(t *testing.T, s store.Store) {
	exp := now().Add(time.Minute)
	mustUpdate(t, s, func(tx store.Tx) error { return tx.UseSession(ctx, "s1", exp) })
	err := s.Update(ctx, func(tx store.Tx) error { return tx.UseSession(ctx, "s1", exp) })
	if !errors.Is(err, store.ErrAlreadyExists) {
		t.Fatalf("second use: %v", err)
	}
	// Concurrent uses: exactly one wins.
	var wins atomic.Int32
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if s.Update(ctx, func(tx store.Tx) error { return tx.UseSession(ctx, "s2", exp) }) == nil {
				wins.Add(1)
			}
		}()
	}
	wg.Wait()
	if wins.Load() != 1 {
		t.Fatalf("session used %d times", wins.Load())
	}
	mustUpdate(t, s, func(tx store.Tx) error { return tx.DeleteExpired(ctx, exp.Add(time.Second)) })
	mustUpdate(t, s, func(tx store.Tx) error { return tx.UseSession(ctx, "s1", exp) })
}

func testGroups(t *testing.T, s store.Store) {
	createPool(t, s, "us-east-1_p")
	createPool(t, s, "us-east-1_q")
	for _, n := range []string{"alice", "bob", "carol"} {
		createUser(t, s, newUser("us-east-1_p", n))
	}
	admins := store.Group{PoolID: "us-east-1_p", Name: "admins", Description: "d", Precedence: 1, HasPrecedence: true, RoleArn: "arn:aws:iam::1:role/a", CreatedAt: now(), UpdatedAt: now()}
	staff := store.Group{PoolID: "us-east-1_p", Name: "staff", CreatedAt: now(), UpdatedAt: now()}
	for _, g := range []store.Group{staff, admins} {
		mustUpdate(t, s, func(tx store.Tx) error { return tx.CreateGroup(ctx, g) })
	}
	if err := s.Update(ctx, func(tx store.Tx) error { return tx.CreateGroup(ctx, staff) }); !errors.Is(err, store.ErrAlreadyExists) {
		t.Fatalf("duplicate group: %v", err)
	}
	mustUpdate(t, s, func(tx store.Tx) error {
		return tx.CreateGroup(ctx, store.Group{PoolID: "us-east-1_q", Name: "admins", CreatedAt: now(), UpdatedAt: now()})
	})
	got, err := s.GetGroup(ctx, "us-east-1_p", "admins")
	if err != nil || !reflect.DeepEqual(got, admins) {
		t.Fatalf("GetGroup = %+v, %v", got, err)
	}
	if got, _ := s.GetGroup(ctx, "us-east-1_p", "staff"); got.HasPrecedence {
		t.Fatalf("staff has a precedence: %+v", got)
	}
	if _, err := s.GetGroup(ctx, "us-east-1_p", "nope"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("GetGroup missing: %v", err)
	}
	list, err := s.ListGroups(ctx, "us-east-1_p", "", 1)
	if err != nil || len(list) != 1 || list[0].Name != "admins" {
		t.Fatalf("ListGroups page 1 = %+v, %v", list, err)
	}
	list, _ = s.ListGroups(ctx, "us-east-1_p", "admins", 10)
	if len(list) != 1 || list[0].Name != "staff" {
		t.Fatalf("ListGroups page 2 = %+v", list)
	}
	mustUpdate(t, s, func(tx store.Tx) error {
		for _, m := range [][2]string{{"admins", "alice"}, {"staff", "alice"}, {"staff", "bob"}, {"staff", "bob"}} {
			if err := tx.AddUserToGroup(ctx, "us-east-1_p", m[0], m[1]); err != nil {
				return err
			}
		}
		return nil
	})
	groups, err := s.ListGroupsOfUser(ctx, "us-east-1_p", "alice")
	if err != nil || len(groups) != 2 || groups[0].Name != "admins" || groups[1].Name != "staff" {
		t.Fatalf("ListGroupsOfUser = %+v, %v", groups, err)
	}
	members, err := s.ListUsersInGroup(ctx, "us-east-1_p", "staff", "", 0)
	if err != nil || len(members) != 2 || members[0].Username != "alice" || members[1].Username != "bob" {
		t.Fatalf("ListUsersInGroup = %+v, %v", members, err)
	}
	members, _ = s.ListUsersInGroup(ctx, "us-east-1_p", "staff", "alice", 1)
	if len(members) != 1 || members[0].Username != "bob" {
		t.Fatalf("ListUsersInGroup page 2 = %+v", members)
	}
	staff.Description, staff.Precedence, staff.HasPrecedence, staff.UpdatedAt = "all staff", 5, true, now().Add(time.Second)
	mustUpdate(t, s, func(tx store.Tx) error { return tx.UpdateGroup(ctx, staff) })
	if got, _ := s.GetGroup(ctx, "us-east-1_p", "staff"); !reflect.DeepEqual(got, staff) {
		t.Fatalf("after UpdateGroup: %+v", got)
	}
	mustUpdate(t, s, func(tx store.Tx) error {
		if err := tx.RemoveUserFromGroup(ctx, "us-east-1_p", "staff", "alice"); err != nil {
			return err
		}
		return tx.RemoveUserFromGroup(ctx, "us-east-1_p", "staff", "nobody")
	})
	if groups, _ := s.ListGroupsOfUser(ctx, "us-east-1_p", "alice"); len(groups) != 1 {
		t.Fatalf("after removal: %+v", groups)
	}
	// Deleting a user ends their memberships; deleting a group ends its.
	mustUpdate(t, s, func(tx store.Tx) error { return tx.DeleteUser(ctx, "us-east-1_p", "bob") })
	if members, _ := s.ListUsersInGroup(ctx, "us-east-1_p", "staff", "", 0); len(members) != 0 {
		t.Fatalf("deleted user still a member: %+v", members)
	}
	mustUpdate(t, s, func(tx store.Tx) error { return tx.DeleteGroup(ctx, "us-east-1_p", "admins") })
	if groups, _ := s.ListGroupsOfUser(ctx, "us-east-1_p", "alice"); len(groups) != 0 {
		t.Fatalf("membership of a deleted group: %+v", groups)
	}
	if err := s.Update(ctx, func(tx store.Tx) error { return tx.DeleteGroup(ctx, "us-east-1_p", "admins") }); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("DeleteGroup twice: %v", err)
	}
	if err := s.Update(ctx, func(tx store.Tx) error { return tx.UpdateGroup(ctx, admins) }); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("UpdateGroup deleted: %v", err)
	}
}
