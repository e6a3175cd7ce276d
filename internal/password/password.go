// Package password holds Cognito's password policy rules: the checks applied
// wherever a password is set, and the generator for temporary passwords.
package password

import (
	"crypto/rand"
	"math/big"
	"strings"
	"unicode/utf8"
)

// Symbols is Cognito's set of special characters (Developer Guide, "Password
// policies"). A space inside the password also counts as a symbol; leading
// and trailing spaces are refused by the API's pattern before this runs.
const Symbols = "^$*.[]{}()?\"!@#%&/\\,><':;|_~`=+- "

// MaxLength is the longest password Cognito accepts.
const MaxLength = 256

// Policy is a pool's password policy.
type Policy struct {
	MinimumLength    int
	RequireUppercase bool
	RequireLowercase bool
	RequireNumbers   bool
	RequireSymbols   bool
}

// Default is the policy of a pool created without one.
var Default = Policy{MinimumLength: 8, RequireUppercase: true, RequireLowercase: true, RequireNumbers: true, RequireSymbols: true}

// Reasons as Cognito words them after its "Password does not conform to
// policy: " prefix.
const (
	ReasonTooShort    = "Password not long enough"
	ReasonTooLong     = "Password must have less than 256 characters"
	ReasonNoUppercase = "Password must have uppercase characters"
	ReasonNoLowercase = "Password must have lowercase characters"
	ReasonNoNumber    = "Password must have numeric characters"
	ReasonNoSymbol    = "Password must have symbol characters"
)

// Check returns "" when pw satisfies the policy, else the reason for the
// first rule it breaks. Cognito reports one reason only; the order here is
// length, lowercase, uppercase, numbers, symbols (AWS's order between the
// character classes is not documented).
func (p Policy) Check(pw string) string {
	n := utf8.RuneCountInString(pw)
	if n < p.MinimumLength {
		return ReasonTooShort
	}
	if n > MaxLength {
		return ReasonTooLong
	}
	var lower, upper, digit, symbol bool
	for _, r := range pw {
		switch {
		case r >= 'a' && r <= 'z':
			lower = true
		case r >= 'A' && r <= 'Z':
			upper = true
		case r >= '0' && r <= '9':
			digit = true
		case strings.ContainsRune(Symbols, r):
			symbol = true
		}
	}
	switch {
	case p.RequireLowercase && !lower:
		return ReasonNoLowercase
	case p.RequireUppercase && !upper:
		return ReasonNoUppercase
	case p.RequireNumbers && !digit:
		return ReasonNoNumber
	case p.RequireSymbols && !symbol:
		return ReasonNoSymbol
	}
	return ""
}

const (
	lowers = "abcdefghijkmnopqrstuvwxyz" // no l: easier to read in an invitation
	uppers = "ABCDEFGHJKLMNPQRSTUVWXYZ"  // no I, O
	digits = "23456789"                  // no 0, 1
	// genSymbols avoids quotes, backslash and space so a generated
	// password pastes cleanly into a shell or a form.
	genSymbols = "^$*.[]{}()?!@#%&/,><:;|_~=+-"
)

// Generate returns a random temporary password that satisfies p: at least
// 12 characters (or the policy's minimum), with one of every class.
func Generate(p Policy) string {
	length := max(p.MinimumLength, 12)
	all := lowers + uppers + digits + genSymbols
	out := []byte{pick(lowers), pick(uppers), pick(digits), pick(genSymbols)}
	for len(out) < length {
		out = append(out, pick(all))
	}
	// Shuffle so the class characters are not always in front.
	for i := len(out) - 1; i > 0; i-- {
		j := randInt(i + 1)
		out[i], out[j] = out[j], out[i]
	}
	return string(out)
}

func pick(set string) byte { return set[randInt(len(set))] }

func randInt(n int) int {
	v, err := rand.Int(rand.Reader, big.NewInt(int64(n)))
	if err != nil {
		panic("password: crypto/rand failed: " + err.Error())
	}
	return int(v.Int64())
}
