package password

import (
	"strings"
	"testing"
)

func TestCheck(t *testing.T) {
	tests := []struct {
		policy Policy
		pw     string
		want   string
	}{
		{Default, "Passw0rd!", ""},
		{Default, "Pa0!", ReasonTooShort},
		{Default, "PASSWORD1!", ReasonNoLowercase},
		{Default, "password1!", ReasonNoUppercase},
		{Default, "Password!!", ReasonNoNumber},
		{Default, "Password12", ReasonNoSymbol},
		{Default, "Pass word12", ""}, // an inner space is a symbol
		{Default, "Passwörd12`", ""},
		{Default, strings.Repeat("Aa1!", 65), ReasonTooLong},
		{Policy{MinimumLength: 6}, "abcdef", ""},
		{Policy{MinimumLength: 6}, "abcde", ReasonTooShort},
		{Policy{MinimumLength: 6, RequireNumbers: true}, "abcdef", ReasonNoNumber},
	}
	for _, tc := range tests {
		if got := tc.policy.Check(tc.pw); got != tc.want {
			t.Errorf("Check(%q) = %q, want %q", tc.pw, got, tc.want)
		}
	}
	for _, r := range "^$*.[]{}()?\"!@#%&/\\,><':;|_~`=+-" {
		if got := Default.Check("Passw0rd" + string(r)); got != "" {
			t.Errorf("symbol %q not accepted: %s", r, got)
		}
	}
}

func TestGenerateSatisfiesPolicy(t *testing.T) {
	seen := map[string]bool{}
	for _, p := range []Policy{Default, {MinimumLength: 30, RequireSymbols: true}, {MinimumLength: 6}} {
		for i := 0; i < 200; i++ {
			pw := Generate(p)
			if reason := p.Check(pw); reason != "" {
				t.Fatalf("Generate(%+v) = %q breaks the policy: %s", p, pw, reason)
			}
			if reason := Default.Check(pw); reason != "" && p.MinimumLength >= 8 {
				t.Fatalf("generated %q lacks a class: %s", pw, reason)
			}
			if seen[pw] {
				t.Fatalf("Generate repeated %q", pw)
			}
			seen[pw] = true
		}
	}
}
