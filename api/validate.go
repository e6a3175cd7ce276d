package api

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"
)

// This file holds the runtime used by the generated validators
// (zz_generated_validate.go). Messages follow AWS (Coral) wording:
//
//	Value '<v>' at '<path>' failed to satisfy constraint: Member must <rule>
//
// with "Value null" for a missing required member and no value at all for
// sensitive members and non-scalar values (structures, maps, blobs, lists of
// structures).

// validator collects validation failures.
type validator struct {
	errs []string
}

// validatable is implemented by every generated structure that has
// something to validate.
type validatable interface {
	validate(v *validator, p string)
}

// err returns nil, or an *InvalidParameterException listing every failure.
func (v *validator) err() error {
	switch len(v.errs) {
	case 0:
		return nil
	case 1:
		return NewInvalidParameterException("1 validation error detected: " + v.errs[0])
	default:
		return NewInvalidParameterException(strconv.Itoa(len(v.errs)) + " validation errors detected: " + strings.Join(v.errs, "; "))
	}
}

// fail records one failure of member p+name.
func (v *validator) fail(p, name, value string, hasValue bool, rule string) {
	var b strings.Builder
	b.WriteString("Value ")
	if hasValue {
		b.WriteString("'")
		b.WriteString(value)
		b.WriteString("' ")
	}
	b.WriteString("at '")
	b.WriteString(p)
	b.WriteString(name)
	b.WriteString("' failed to satisfy constraint: ")
	b.WriteString(rule)
	v.errs = append(v.errs, b.String())
}

// present reports ok, recording a "must not be null" failure when the
// member is required and absent.
func (v *validator) present(p, name string, ok, required bool) bool {
	if !ok && required {
		v.errs = append(v.errs, "Value null at '"+p+name+"' failed to satisfy constraint: Member must not be null")
	}
	return ok
}

// documentPresent reports whether a document member was given (JSON null
// counts as absent).
func documentPresent(raw []byte) bool {
	return len(raw) > 0 && string(raw) != "null"
}

// lazyRegexp compiles its pattern on first use.
type lazyRegexp struct {
	src  string
	once sync.Once
	re   *regexp.Regexp
}

func newLazyRegexp(src string) *lazyRegexp { return &lazyRegexp{src: src} }

func (l *lazyRegexp) regexp() *regexp.Regexp {
	l.once.Do(func() { l.re = regexp.MustCompile(l.src) })
	return l.re
}

func (l *lazyRegexp) MatchString(s string) bool { return l.regexp().MatchString(s) }

// javaLen is the length of s in UTF-16 code units, as Java's String.length().
func javaLen(s string) int {
	n := 0
	for _, r := range s {
		if r >= 0x10000 && r <= utf8.MaxRune {
			n += 2
		} else {
			n++
		}
	}
	return n
}

// javaList renders a list of strings like Java's List.toString: "[a, b]".
func javaList(l []string) string {
	return "[" + strings.Join(l, ", ") + "]"
}

func lengthMin(n int64) string {
	return "Member must have length greater than or equal to " + strconv.FormatInt(n, 10)
}

func lengthMax(n int64) string {
	return "Member must have length less than or equal to " + strconv.FormatInt(n, 10)
}

// sizeRule constrains the length of a string, blob, list or map; -1 means
// unconstrained.
type sizeRule struct {
	min, max int64
}

func (r *sizeRule) check(n int, fail func(rule string)) {
	if r.min >= 0 && int64(n) < r.min {
		fail(lengthMin(r.min))
	}
	if r.max >= 0 && int64(n) > r.max {
		fail(lengthMax(r.max))
	}
}

// stringRule holds a string shape's constraints.
type stringRule struct {
	size      sizeRule
	pattern   string // as written in the model, for the message
	re        *lazyRegexp
	enum      []string
	enumMsg   string
	sensitive bool
}

// check calls fail for every constraint s violates, in AWS order: length,
// pattern, enum.
func (r *stringRule) check(s string, fail func(rule string)) {
	if r.size.min >= 0 || r.size.max >= 0 {
		r.size.check(javaLen(s), fail)
	}
	if r.re != nil && !r.re.MatchString(s) {
		fail("Member must satisfy regular expression pattern: " + r.pattern)
	}
	if r.enum != nil && !slices.Contains(r.enum, s) {
		fail(r.enumMsg)
	}
}

// ok reports whether s satisfies every constraint.
func (r *stringRule) ok(s string) bool {
	ok := true
	r.check(s, func(string) { ok = false })
	return ok
}

// str validates a string member.
func (v *validator) str(p, name string, s *string, required bool, r *stringRule) {
	if !v.present(p, name, s != nil, required) || r == nil {
		return
	}
	r.check(*s, func(rule string) { v.fail(p, name, *s, !r.sensitive, rule) })
}

// intRule holds an integer or long shape's constraints.
type intRule struct {
	min, max       int64
	hasMin, hasMax bool
}

func (v *validator) intValue(p, name string, x int64, r *intRule) {
	if r.hasMin && x < r.min {
		v.fail(p, name, strconv.FormatInt(x, 10), true, "Member must have value greater than or equal to "+strconv.FormatInt(r.min, 10))
	}
	if r.hasMax && x > r.max {
		v.fail(p, name, strconv.FormatInt(x, 10), true, "Member must have value less than or equal to "+strconv.FormatInt(r.max, 10))
	}
}

// int32 validates an integer member.
func (v *validator) int32(p, name string, x *int32, required bool, r *intRule) {
	if v.present(p, name, x != nil, required) && r != nil {
		v.intValue(p, name, int64(*x), r)
	}
}

// int64 validates a long member.
func (v *validator) int64(p, name string, x *int64, required bool, r *intRule) {
	if v.present(p, name, x != nil, required) && r != nil {
		v.intValue(p, name, *x, r)
	}
}

// size validates the length of a blob, map or list member whose elements
// have nothing to validate; the value is not printed.
func (v *validator) size(p, name string, ok bool, n int, required bool, r *sizeRule) {
	if v.present(p, name, ok, required) && r != nil {
		r.check(n, func(rule string) { v.fail(p, name, "", false, rule) })
	}
}

// listRule holds the constraints of a list of strings.
type listRule struct {
	size sizeRule
	// elem holds the element constraints (nil: none) and elemMsg the
	// "Member must satisfy constraint: [...]" rule listing all of them.
	elem      *stringRule
	elemMsg   string
	sensitive bool
}

// strList validates a list-of-strings member. Element failures are reported
// once for the whole list, as AWS does.
func (v *validator) strList(p, name string, l []string, required bool, r *listRule) {
	if !v.present(p, name, l != nil, required) || r == nil {
		return
	}
	fail := func(rule string) { v.fail(p, name, javaList(l), !r.sensitive, rule) }
	r.size.check(len(l), fail)
	if r.elem != nil {
		for _, s := range l {
			if !r.elem.ok(s) {
				fail(r.elemMsg)
				break
			}
		}
	}
}

// structList validates a list-of-structures member and each element, with
// element paths "<list>.<i>.member." (1-based), as AWS does.
func structList[T any, PT interface {
	*T
	validatable
}](v *validator, p, name string, l []T, required bool, r *sizeRule) {
	if !v.present(p, name, l != nil, required) {
		return
	}
	if r != nil {
		r.check(len(l), func(rule string) { v.fail(p, name, "", false, rule) })
	}
	for i := range l {
		PT(&l[i]).validate(v, p+name+"."+strconv.Itoa(i+1)+".member.")
	}
}

// mapRule holds the constraints of a string-to-string map.
type mapRule struct {
	size           sizeRule
	key, value     *stringRule
	keyMsg, valMsg string
}

// strMap validates a map member: its size, then its keys and values, each
// reported once for the whole map ("Map keys must satisfy constraint: [...]",
// "Map value must satisfy constraint: [...]"). The value is not printed.
func (v *validator) strMap(p, name string, m map[string]string, required bool, r *mapRule) {
	if !v.present(p, name, m != nil, required) || r == nil {
		return
	}
	fail := func(rule string) { v.fail(p, name, "", false, rule) }
	r.size.check(len(m), fail)
	badKey, badVal := false, false
	for k, val := range m {
		badKey = badKey || (r.key != nil && !r.key.ok(k))
		badVal = badVal || (r.value != nil && !r.value.ok(val))
	}
	if badKey {
		fail(r.keyMsg)
	}
	if badVal {
		fail(r.valMsg)
	}
}
