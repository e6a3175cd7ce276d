package mask

import "testing"

func TestEmail(t *testing.T) {
	for in, want := range map[string]string{
		"jane@example.com":      "j***@e***.com",
		"diego@mail.example.io": "d***@m***.io",
		"a@localhost":           "a***@l***",
		"émile@exämple.fr":      "é***@e***.fr",
		"broken":                "b***",
	} {
		if got := Email(in); got != want {
			t.Errorf("Email(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestPhone(t *testing.T) {
	for in, want := range map[string]string{
		"+12065551234":  "+*******1234",
		"+447700900123": "+********0123",
		"+123":          "+123",
	} {
		if got := Phone(in); got != want {
			t.Errorf("Phone(%q) = %q, want %q", in, got, want)
		}
	}
}
