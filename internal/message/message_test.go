package message

import "testing"

func TestRender(t *testing.T) {
	for _, tc := range []struct{ tmpl, want string }{
		{DefaultVerificationMessage, "Your verification code is 123456. "},
		{DefaultInviteMessage, "Your username is jane and temporary password is Tmp!1234. "},
		{"Hi {username}, click {##Verify Email##}.", "Hi jane, click Verify Email (code 123456)."},
	} {
		code := "123456"
		if tc.tmpl == DefaultInviteMessage {
			code = "Tmp!1234"
		}
		if got := Render(tc.tmpl, "jane", code); got != tc.want {
			t.Errorf("Render(%q) = %q, want %q", tc.tmpl, got, tc.want)
		}
	}
}
