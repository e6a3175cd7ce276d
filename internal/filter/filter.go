// Package filter parses the Filter string of ListUsers:
//
//	AttributeName Filter-Type "AttributeValue"
//
// where Filter-Type is "=" (exact) or "^=" (starts with), for example
// `email ^= "j"` or `cognito:user_status = "CONFIRMED"`.
package filter

import (
	"errors"
	"fmt"
	"strings"
)

// Searchable lists the attributes ListUsers can filter on.
var Searchable = map[string]bool{
	"username": true, "email": true, "phone_number": true, "name": true,
	"given_name": true, "family_name": true, "preferred_username": true,
	"cognito:user_status": true, "status": true, "sub": true,
}

// Term is one parsed filter.
type Term struct {
	Attribute string
	Prefix    bool
	Value     string
}

// ErrSyntax is returned for a filter that does not parse.
var ErrSyntax = errors.New("Error while parsing filter.")

// UnsearchableError names an attribute ListUsers cannot filter on.
type UnsearchableError struct{ Attribute string }

func (e *UnsearchableError) Error() string { return "Invalid search attribute: " + e.Attribute }

// Parse parses a filter. An empty (or blank) filter gives nil.
func Parse(s string) (*Term, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, nil
	}
	name, rest, ok := cutOperator(s)
	if !ok {
		return nil, ErrSyntax
	}
	t := &Term{Attribute: strings.TrimSpace(name)}
	if strings.HasPrefix(rest, "^=") {
		t.Prefix, rest = true, rest[2:]
	} else {
		rest = rest[1:]
	}
	rest = strings.TrimSpace(rest)
	if len(rest) < 2 || rest[0] != '"' || rest[len(rest)-1] != '"' {
		return nil, ErrSyntax
	}
	value, err := unquote(rest[1 : len(rest)-1])
	if err != nil {
		return nil, err
	}
	t.Value = value
	if t.Attribute == "" || strings.ContainsAny(t.Attribute, " \t\"") {
		return nil, ErrSyntax
	}
	if !Searchable[t.Attribute] {
		return nil, &UnsearchableError{Attribute: t.Attribute}
	}
	return t, nil
}

// cutOperator splits at the first "^=" or "=" outside quotes.
func cutOperator(s string) (name, rest string, ok bool) {
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '"':
			return "", "", false
		case '^':
			if i+1 < len(s) && s[i+1] == '=' {
				return s[:i], s[i:], true
			}
			return "", "", false
		case '=':
			return s[:i], s[i:], true
		}
	}
	return "", "", false
}

// unquote resolves backslash escapes (\" and \\) inside the quoted value.
func unquote(s string) (string, error) {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '\\':
			if i+1 >= len(s) {
				return "", ErrSyntax
			}
			i++
			b.WriteByte(s[i])
		case c == '"':
			return "", fmt.Errorf("%w", ErrSyntax)
		default:
			b.WriteByte(c)
		}
	}
	return b.String(), nil
}
