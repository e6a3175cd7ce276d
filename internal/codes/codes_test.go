package codes

import (
	"regexp"
	"testing"
)

func TestNewAndMatch(t *testing.T) {
	key := []byte("k")
	re := regexp.MustCompile(`^[0-9]{6}$`)
	distinct := map[string]bool{}
	for i := 0; i < 200; i++ {
		c := New()
		if !re.MatchString(c) {
			t.Fatalf("code %q is not 6 digits", c)
		}
		distinct[c] = true
	}
	if len(distinct) < 190 {
		t.Fatalf("only %d distinct codes in 200", len(distinct))
	}
	h := Hash(key, "p", "alice", "forgot_password", "123456")
	if !Match(key, "p", "alice", "forgot_password", "123456", h) {
		t.Fatal("right code does not match")
	}
	for _, c := range [][5]string{
		{"k", "p", "alice", "forgot_password", "123457"},
		{"k", "p", "bob", "forgot_password", "123456"},
		{"k", "p", "alice", "signup", "123456"},
		{"k", "q", "alice", "forgot_password", "123456"},
		{"other", "p", "alice", "forgot_password", "123456"},
	} {
		if Match([]byte(c[0]), c[1], c[2], c[3], c[4], h) {
			t.Errorf("code matched with %v", c)
		}
	}
}
