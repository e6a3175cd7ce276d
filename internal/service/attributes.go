package service

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/userpool/userpool/api"
	"github.com/userpool/userpool/internal/store"
)

// Sign-in attributes: the attributes that can be a username or an alias.
var signInAttributes = []string{"email", "phone_number", "preferred_username"}

// verifiedFlag names the attribute that records whether a contact is verified.
func verifiedFlag(attr string) string { return attr + "_verified" }

// userKeys are the unique keys a user is found by: the username, the sub,
// and each sign-in attribute that is active — always for username
// attributes and preferred_username, only once verified for email and phone
// aliases (as in AWS, an unverified alias can be shared and cannot sign in).
func (p *pool) userKeys(u *store.User) []string {
	keys := []string{"username:" + p.fold(u.Username), "sub:" + u.Sub}
	for _, attr := range signInAttributes {
		v, ok := u.Attr(attr)
		if !ok || v == "" {
			continue
		}
		active := p.usernameAttribute(attr)
		if p.aliasAttribute(attr) {
			verified, _ := u.Attr(verifiedFlag(attr))
			active = active || attr == "preferred_username" || verified == "true"
		}
		if active {
			keys = append(keys, attr+":"+p.fold(v))
		}
	}
	return keys
}

// findUser resolves the name a caller gave (a username, an active alias or
// sign-in attribute, or a sub) to a user; store.ErrNotFound when none.
func (p *pool) findUser(ctx context.Context, r store.Reader, name string) (store.User, error) {
	keys := []string{"username:" + p.fold(name)}
	for _, attr := range signInAttributes {
		if p.usernameAttribute(attr) || p.aliasAttribute(attr) {
			keys = append(keys, attr+":"+p.fold(name))
		}
	}
	keys = append(keys, "sub:"+name)
	for _, k := range keys {
		u, err := r.FindUser(ctx, p.ID, k)
		if err == nil || !errors.Is(err, store.ErrNotFound) {
			return u, err
		}
	}
	return store.User{}, store.ErrNotFound
}

// mustFindUser is findUser for operations that answer UserNotFoundException.
func (p *pool) mustFindUser(ctx context.Context, r store.Reader, name string) (store.User, error) {
	u, err := p.findUser(ctx, r, name)
	if errors.Is(err, store.ErrNotFound) {
		return u, errUserNotFound
	}
	return u, err
}

var (
	emailPattern = regexp.MustCompile(`^[^@\s]+@[^@\s]+$`)
	phonePattern = regexp.MustCompile(`^\+[0-9]{4,15}$`)
)

// attrMode says which operation writes attributes: the rules differ.
type attrMode int

const (
	attrCreate attrMode = iota // AdminCreateUser
	attrSignUp                 // SignUp
	attrUpdate                 // AdminUpdateUserAttributes
)

// schemaError is AWS's InvalidParameterException for attributes that break
// the schema; problems are "<attr>: <reason>".
func schemaError(problems ...string) error {
	return invalidParam("Attributes did not conform to the schema: %s", strings.Join(problems, "\n"))
}

// checkAttributes validates attributes written by an operation against the
// pool's schema.
func (p *pool) checkAttributes(attrs []api.AttributeType, mode attrMode) error {
	var problems []string
	for _, a := range attrs {
		name, value := api.ToString(a.Name), api.ToString(a.Value)
		sa := p.schemaAttr(name)
		if sa == nil {
			// AWS words this the same for custom attributes missing from the
			// schema ("Type for attribute {custom:plan} could not be
			// determined") as for names that are no attribute at all.
			problems = append(problems, fmt.Sprintf("Type for attribute {%s} could not be determined", name))
			continue
		}
		if name == "sub" || (mode == attrUpdate && !api.ToBool(sa.Mutable)) {
			return invalidParam("Cannot modify the non-mutable attribute %s", name)
		}
		if msg := checkValue(sa, value); msg != "" {
			problems = append(problems, fmt.Sprintf("%s: %s", name, msg))
			continue
		}
		switch name {
		case "email":
			if !emailPattern.MatchString(value) {
				return invalidParam("Invalid email address format.")
			}
		case "phone_number":
			if !phonePattern.MatchString(value) {
				return invalidParam("Invalid phone number format.")
			}
		}
	}
	if len(problems) > 0 {
		return schemaError(problems...)
	}
	return nil
}

// checkValue checks a value against its attribute's type and constraints.
func checkValue(sa *api.SchemaAttributeType, value string) string {
	switch api.ToString(sa.AttributeDataType) {
	case "Boolean":
		if value != "true" && value != "false" {
			return "Attribute value must be true or false."
		}
	case "Number":
		n, err := strconv.ParseFloat(value, 64)
		if err != nil {
			return "Number expected."
		}
		if c := sa.NumberAttributeConstraints; c != nil {
			if lo, err := strconv.ParseFloat(api.ToString(c.MinValue), 64); err == nil && n < lo {
				return "Number must be no less than " + api.ToString(c.MinValue) + "."
			}
			if hi, err := strconv.ParseFloat(api.ToString(c.MaxValue), 64); err == nil && n > hi {
				return "Number must be no greater than " + api.ToString(c.MaxValue) + "."
			}
		}
	case "DateTime":
	default:
		if c := sa.StringAttributeConstraints; c != nil {
			n := utf8.RuneCountInString(value)
			if hi, err := strconv.Atoi(api.ToString(c.MaxLength)); err == nil && n > hi {
				return fmt.Sprintf("String must be no longer than %d characters", hi)
			}
		}
	}
	return ""
}

// checkRequired reports required attributes the user lacks.
func (p *pool) checkRequired(u *store.User) error {
	var problems []string
	for _, sa := range p.cfg.SchemaAttributes {
		name := api.ToString(sa.Name)
		if !api.ToBool(sa.Required) || name == "sub" {
			continue
		}
		if v, ok := u.Attr(name); !ok || v == "" {
			problems = append(problems, fmt.Sprintf("%s: The attribute is required", name))
		}
	}
	if len(problems) > 0 {
		return schemaError(problems...)
	}
	return nil
}

// setAttributes writes attributes onto a user. A changed email or phone
// number loses its verified flag unless the same call sets the flag.
func setAttributes(u *store.User, attrs []api.AttributeType) (changedContacts []string) {
	flags := map[string]bool{}
	for _, a := range attrs {
		flags[api.ToString(a.Name)] = true
	}
	for _, a := range attrs {
		name, value := api.ToString(a.Name), api.ToString(a.Value)
		old, had := u.Attr(name)
		u.SetAttr(name, value)
		if (name == "email" || name == "phone_number") && (!had || old != value) {
			changedContacts = append(changedContacts, name)
			if !flags[verifiedFlag(name)] {
				u.SetAttr(verifiedFlag(name), "false")
			}
		}
	}
	return changedContacts
}

// attributesOut renders a user's attributes, optionally only the named ones.
func attributesOut(u *store.User, only []string) []api.AttributeType {
	out := []api.AttributeType{}
	for _, a := range u.Attributes {
		if only != nil && !contains(only, a.Name) {
			continue
		}
		out = append(out, api.AttributeType{Name: api.String(a.Name), Value: api.String(a.Value)})
	}
	return out
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
