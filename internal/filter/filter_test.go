package filter

import (
	"errors"
	"testing"
)

func TestParse(t *testing.T) {
	good := map[string]Term{
		`email ^= "j"`:                      {Attribute: "email", Prefix: true, Value: "j"},
		`family_name = "Reddy"`:             {Attribute: "family_name", Value: "Reddy"},
		`cognito:user_status = "CONFIRMED"`: {Attribute: "cognito:user_status", Value: "CONFIRMED"},
		`status="Enabled"`:                  {Attribute: "status", Value: "Enabled"},
		`  username ^=  "a b"  `:            {Attribute: "username", Prefix: true, Value: "a b"},
		`name = "say \"hi\""`:               {Attribute: "name", Value: `say "hi"`},
		`email = ""`:                        {Attribute: "email", Value: ""},
	}
	for in, want := range good {
		got, err := Parse(in)
		if err != nil || got == nil || *got != want {
			t.Errorf("Parse(%q) = %+v, %v; want %+v", in, got, err, want)
		}
	}
	if got, err := Parse("  "); got != nil || err != nil {
		t.Errorf("blank filter = %+v, %v", got, err)
	}
	for _, in := range []string{`email`, `email ^ "j"`, `email = j`, `email = "j`, `= "j"`, `"email" = "j"`, `email = "a"b"`, `a b = "x"`} {
		if _, err := Parse(in); !errors.Is(err, ErrSyntax) {
			t.Errorf("Parse(%q) error = %v, want ErrSyntax", in, err)
		}
	}
	_, err := Parse(`custom:foo = "bar"`)
	var ue *UnsearchableError
	if !errors.As(err, &ue) || err.Error() != "Invalid search attribute: custom:foo" {
		t.Errorf("unsearchable attribute error = %v", err)
	}
}
