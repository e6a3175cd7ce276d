// Package message renders the emails and SMS messages Cognito sends, from a
// pool's templates or Cognito's defaults.
package message

import "strings"

// Cognito's default templates, used where a pool sets none.
const (
	DefaultVerificationSubject = "Your verification code"
	DefaultVerificationMessage = "Your verification code is {####}. "
	DefaultInviteSubject       = "Your temporary password"
	DefaultInviteMessage       = "Your username is {username} and temporary password is {####}. "
)

// Render fills a template: {####} becomes the code (or temporary password),
// {username} the username, and a {##link text##} placeholder (used by
// CONFIRM_WITH_LINK templates) becomes its text followed by the code.
func Render(template, username, code string) string {
	out := strings.ReplaceAll(template, "{####}", code)
	out = strings.ReplaceAll(out, "{username}", username)
	if i := strings.Index(out, "{##"); i >= 0 {
		if j := strings.Index(out[i:], "##}"); j > 0 {
			text := out[i+3 : i+j]
			out = out[:i] + text + " (code " + code + ")" + out[i+j+3:]
		}
	}
	return out
}

// Or returns s unless it is empty, else def.
func Or(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
