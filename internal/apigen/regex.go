package main

import (
	"fmt"
	"regexp"
	"strings"
)

// patternOverrides holds hand translations of model patterns (Java regex
// syntax) that RE2 cannot compile or that a mechanical translation would get
// wrong. Keys are the pattern exactly as written in the model; values are RE2
// patterns that are matched against the whole value (they are wrapped in
// ^(?:...)$ like every other pattern).
var patternOverrides = map[string]string{
	// Negative lookbehind "(?<!\.)$": the value must not end with a dot.
	// Equivalent: empty, or any run of the class that ends in a non-dot
	// member of the class.
	`^[0-9A-Za-z\.\-_]*(?<!\.)$`: `^(?:[0-9A-Za-z.\-_]*[0-9A-Za-z\-_])?$`,
	// Java's \S is [^ \t\n\x0B\f\r]; RE2's \S also matches \x0B (vertical
	// tab), so spell the class out.
	`[\S]+`: `[^\t\n\x0B\f\r ]+`,
	// The live service's password pattern (see shapePatternFixes): \S as
	// above, '.' as Java's (no line terminators).
	`^[\S]+.*[\S]+$`: `^[^\t\n\x0B\f\r ]+[^\n\r\x{85}\x{2028}\x{2029}]*[^\t\n\x0B\f\r ]+$`,
}

// Java's \s is [ \t\n\x0B\f\r]; RE2's \s lacks \x0B.
const javaSpaceClass = `\t\n\x0B\f\r `

// Java's '.' without DOTALL excludes every line terminator, RE2's only '\n'.
const javaDot = `[^\n\r\x{85}\x{2028}\x{2029}]`

// translatePattern converts a Java regular expression from the model into an
// RE2 pattern that, compiled as ^(?:result)$, accepts exactly the strings
// Java's Matcher.matches() accepts. It fails on Java constructs it does not
// know how to translate; add those to patternOverrides.
func translatePattern(java string) (string, error) {
	var re string
	if o, ok := patternOverrides[java]; ok {
		re = o
	} else {
		t, err := translateJava(java)
		if err != nil {
			return "", fmt.Errorf("pattern %q: %w (add a hand translation to patternOverrides)", java, err)
		}
		re = t
	}
	full := "^(?:" + re + ")$"
	if _, err := regexp.Compile(full); err != nil {
		return "", fmt.Errorf("pattern %q: RE2 cannot compile %q: %v (add a hand translation to patternOverrides)", java, full, err)
	}
	return full, nil
}

func translateJava(p string) (string, error) {
	var b strings.Builder
	inClass := false
	dotAll := strings.HasPrefix(p, "(?s)")
	for i := 0; i < len(p); i++ {
		c := p[i]
		switch {
		case c == '\\':
			if i+1 >= len(p) {
				return "", fmt.Errorf("trailing backslash")
			}
			n := p[i+1]
			i++
			switch {
			case n == 's':
				if inClass {
					b.WriteString(javaSpaceClass)
				} else {
					b.WriteString("[" + javaSpaceClass + "]")
				}
			case n == 'S':
				if inClass {
					return "", fmt.Errorf(`\S inside a character class`)
				}
				b.WriteString("[^" + javaSpaceClass + "]")
			case n == 'p' || n == 'P':
				end := strings.IndexByte(p[i:], '}')
				if i+1 >= len(p) || p[i+1] != '{' || end < 0 {
					return "", fmt.Errorf(`unsupported \%c escape`, n)
				}
				b.WriteString(`\` + p[i:i+end+1])
				i += end
			case n >= '0' && n <= '9':
				if n == '0' {
					return "", fmt.Errorf(`octal escape`)
				}
				return "", fmt.Errorf(`back reference`)
			case strings.IndexByte("QEGZhHRXkuvcNbBAe", n) >= 0:
				// Java-only escapes, or ones whose meaning differs in RE2
				// (\v, \b, \B); refuse rather than guess.
				return "", fmt.Errorf(`unsupported escape \%c`, n)
			default:
				b.WriteByte('\\')
				b.WriteByte(n)
			}
		case inClass && c == '[':
			return "", fmt.Errorf("nested character class")
		case inClass && c == '&' && i+1 < len(p) && p[i+1] == '&':
			return "", fmt.Errorf("character class intersection")
		case c == '[':
			inClass = true
			b.WriteByte(c)
			if i+1 < len(p) && p[i+1] == '^' {
				b.WriteByte('^')
				i++
			}
		case inClass && c == ']':
			inClass = false
			b.WriteByte(c)
		case !inClass && c == '(' && strings.HasPrefix(p[i:], "(?"):
			rest := p[i+2:]
			switch {
			case strings.HasPrefix(rest, ":"), i == 0 && strings.HasPrefix(rest, "s)"):
				b.WriteByte(c)
			default:
				return "", fmt.Errorf("unsupported group construct %q", p[i:min(len(p), i+4)])
			}
		case !inClass && c == '.' && !dotAll:
			b.WriteString(javaDot)
		case !inClass && (c == '+' || c == '*' || c == '?' || c == '}') && i+1 < len(p) && p[i+1] == '+':
			return "", fmt.Errorf("possessive quantifier")
		default:
			b.WriteByte(c)
		}
	}
	if inClass {
		return "", fmt.Errorf("unterminated character class")
	}
	return b.String(), nil
}
