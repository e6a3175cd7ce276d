// Package mask hides most of a delivery destination the way Cognito shows it
// in CodeDeliveryDetails.
package mask

import "strings"

// Email masks an address as Cognito does in ForgotPassword's answer:
// "jane@example.com" becomes "j***@e***.com". AWS's examples differ on
// whether the top-level domain stays (the knowledge-center article keeps it);
// this follows that article.
func Email(addr string) string {
	at := strings.LastIndexByte(addr, '@')
	if at <= 0 || at == len(addr)-1 {
		return firstRune(addr) + "***"
	}
	local, domain := addr[:at], addr[at+1:]
	tld := ""
	if dot := strings.LastIndexByte(domain, '.'); dot > 0 {
		tld = domain[dot:]
	}
	return firstRune(local) + "***@" + firstRune(domain) + "***" + tld
}

// Phone masks a phone number as "+*******1234": every digit but the last
// four becomes a star.
func Phone(number string) string {
	digits := strings.TrimPrefix(number, "+")
	if len(digits) <= 4 {
		return "+" + digits
	}
	return "+" + strings.Repeat("*", len(digits)-4) + digits[len(digits)-4:]
}

func firstRune(s string) string {
	for _, r := range s {
		return string(r)
	}
	return ""
}
