package ids

import (
	"regexp"
	"testing"
)

func TestShapes(t *testing.T) {
	checks := []struct {
		name string
		gen  func() string
		re   string
	}{
		{"pool", func() string { return PoolID("us-east-1") }, `^us-east-1_[0-9A-Za-z]{9}$`},
		{"client", ClientID, `^[a-z0-9]{26}$`},
		{"secret", ClientSecret, `^[a-z0-9]{51}$`},
		{"uuid", UUID, `^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`},
	}
	for _, c := range checks {
		re := regexp.MustCompile(c.re)
		seen := map[string]bool{}
		for i := 0; i < 100; i++ {
			v := c.gen()
			if !re.MatchString(v) {
				t.Fatalf("%s %q does not match %s", c.name, v, c.re)
			}
			if seen[v] {
				t.Fatalf("%s repeated %q", c.name, v)
			}
			seen[v] = true
		}
	}
}
