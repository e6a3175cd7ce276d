package sqlite_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/userpool/userpool/internal/store"
	"github.com/userpool/userpool/internal/store/sqlite"
	"github.com/userpool/userpool/internal/store/storetest"
)

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Store {
		s, err := sqlite.Open(context.Background(), t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	})
}

// TestReopenKeepsData checks that data survives closing and reopening, and
// that migrations are not run twice.
func TestReopenKeepsData(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s, err := sqlite.Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	err = s.Update(ctx, func(tx store.Tx) error {
		return tx.CreatePool(ctx, store.Pool{ID: "us-east-1_x", Name: "x", Settings: []byte(`{}`)})
	})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	s, err = sqlite.Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if p, err := s.GetPool(ctx, "us-east-1_x"); err != nil || p.Name != "x" {
		t.Fatalf("after reopen: %+v, %v", p, err)
	}
}

// TestTwoProcessesShareOneDirectory runs writers in two OS processes against
// one data directory at once: none may fail or lose a write.
func TestTwoProcessesShareOneDirectory(t *testing.T) {
	if os.Getenv("USERPOOL_SQLITE_CHILD") != "" {
		return
	}
	ctx := context.Background()
	dir := t.TempDir()
	s, err := sqlite.Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.Update(ctx, func(tx store.Tx) error {
		return tx.CreatePool(ctx, store.Pool{ID: "us-east-1_shared", Name: "shared", Settings: []byte(`{}`)})
	}); err != nil {
		t.Fatal(err)
	}
	const perProcess = 150
	child := exec.Command(os.Args[0], "-test.run=^TestChildWriter$", "-test.v")
	child.Env = append(os.Environ(), "USERPOOL_SQLITE_CHILD="+dir)
	var out strings.Builder
	child.Stdout, child.Stderr = &out, &out
	if err := child.Start(); err != nil {
		t.Fatal(err)
	}
	writeUsers(t, s, "parent", perProcess)
	if err := child.Wait(); err != nil {
		t.Fatalf("child writer failed: %v\n%s", err, out.String())
	}
	n, err := s.CountUsers(ctx, "us-east-1_shared")
	if err != nil || n != 2*perProcess {
		t.Fatalf("users after concurrent writers = %d, %v; want %d", n, err, 2*perProcess)
	}
	if _, err := os.Stat(filepath.Join(dir, sqlite.FileName+"-wal")); err != nil {
		t.Errorf("database is not in WAL mode: %v", err)
	}
}

func TestChildWriter(t *testing.T) {
	dir := os.Getenv("USERPOOL_SQLITE_CHILD")
	if dir == "" {
		t.Skip("only runs as the child of TestTwoProcessesShareOneDirectory")
	}
	s, err := sqlite.Open(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	writeUsers(t, s, "child", 150)
}

func writeUsers(t *testing.T, s store.Store, prefix string, n int) {
	ctx := context.Background()
	for i := 0; i < n; i++ {
		name := prefix + "-" + strings.Repeat("x", i%5) + string(rune('a'+i%26)) + "-" + strconv.Itoa(i)
		err := s.Update(ctx, func(tx store.Tx) error {
			return tx.CreateUser(ctx, store.User{PoolID: "us-east-1_shared", Username: name, Sub: name, Enabled: true, Status: "CONFIRMED", Keys: []string{"username:" + name}})
		})
		if err != nil {
			t.Fatalf("%s write %d: %v", prefix, i, err)
		}
	}
}
