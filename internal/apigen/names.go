package main

import (
	"strings"
	"unicode"
)

// exportName turns a member name into an exported Go field name
// ("headerName" -> "HeaderName"); model names are already CamelCase.
func exportName(s string) string {
	if s == "" {
		return s
	}
	r := []rune(s)
	r[0] = unicode.ToUpper(r[0])
	return string(r)
}

// wireName is the member name as AWS reports it in validation paths: the
// first letter lower-cased ("UserPoolId" -> "userPoolId", "SMSMfaSettings" ->
// "sMSMfaSettings").
func wireName(s string) string {
	if s == "" {
		return s
	}
	r := []rune(s)
	r[0] = unicode.ToLower(r[0])
	return string(r)
}

// enumIdent CamelCases an enum value: split on '_', '-', '.', ':', spaces
// (and any other non-alphanumeric rune), capitalise each part and lower-case
// the rest. Where two parts would join digit-to-digit an underscore is kept
// so that "V1_0" becomes "V1_0", not the misleading "V10".
func enumIdent(v string) string {
	parts := strings.FieldsFunc(v, func(r rune) bool {
		return !(r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r)))
	})
	var b strings.Builder
	for _, p := range parts {
		p = strings.ToLower(p)
		if b.Len() > 0 {
			prev := b.String()[b.Len()-1]
			if prev >= '0' && prev <= '9' && p[0] >= '0' && p[0] <= '9' {
				b.WriteByte('_')
			}
		}
		b.WriteString(strings.ToUpper(p[:1]) + p[1:])
	}
	return b.String()
}
