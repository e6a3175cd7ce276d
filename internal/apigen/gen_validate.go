package main

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
)

// computeReachable marks every shape reachable from an operation input.
func (g *generator) computeReachable() {
	g.reachable = map[string]bool{}
	var visit func(string)
	visit = func(n string) {
		if g.reachable[n] {
			return
		}
		g.reachable[n] = true
		s := g.shape(n)
		switch s.Type {
		case "structure":
			for _, m := range s.Members {
				visit(m.Shape)
			}
		case "list":
			visit(s.Member.Shape)
		case "map":
			visit(s.Key.Shape)
			visit(s.Value.Shape)
		}
	}
	for _, n := range g.m.operationNames() {
		visit(g.m.Operations[n].Input.Shape)
	}
}

// computeNeeds finds the structures with something to validate (fixed point,
// since structures may be recursive).
func (g *generator) computeNeeds() {
	g.needs = map[string]bool{}
	for changed := true; changed; {
		changed = false
		for _, n := range g.m.shapeNames() {
			s := g.shape(n)
			if !g.reachable[n] || !isTypeStruct(s) || g.needs[n] {
				continue
			}
			for _, m := range s.Members {
				if s.IsRequired(m.Name) || g.constrained(m.Shape) {
					g.needs[n] = true
					changed = true
					break
				}
			}
		}
	}
}

func hasLen(s *Shape) bool {
	return (s.Min != nil && *s.Min > 0) || s.Max != nil
}

func stringConstrained(s *Shape) bool {
	return hasLen(s) || s.Pattern != nil || len(s.Enum) > 0
}

// constrained reports whether a value of shape n has anything to check
// beyond presence.
func (g *generator) constrained(n string) bool {
	s := g.shape(n)
	switch s.Type {
	case "string":
		return stringConstrained(s)
	case "integer", "long":
		return s.Min != nil || s.Max != nil
	case "blob":
		return hasLen(s)
	case "structure":
		return g.needs[n]
	case "list":
		return hasLen(s) || g.constrained(s.Member.Shape)
	case "map":
		return hasLen(s) || g.constrained(s.Key.Shape) || g.constrained(s.Value.Shape)
	}
	return false
}

func (g *generator) genValidate(b *bytes.Buffer) error {
	g.computeReachable()
	g.computeNeeds()

	var methods bytes.Buffer
	for _, n := range g.m.shapeNames() {
		s := g.shape(n)
		if !g.needs[n] {
			continue
		}
		fmt.Fprintf(&methods, "func (in *%s) validate(v *validator, p string) {\n", n)
		for _, m := range s.Members {
			code, err := g.memberCheck(s, m)
			if err != nil {
				return fmt.Errorf("%s.%s: %w", n, m.Name, err)
			}
			methods.WriteString(code)
		}
		methods.WriteString("}\n\n")
	}
	inputs := map[string]bool{}
	for _, op := range g.m.operationNames() {
		inputs[g.m.Operations[op].Input.Shape] = true
	}
	for _, n := range sortedKeys(inputs) {
		fmt.Fprintf(&methods, "// Validate checks in against the model's constraints; it returns nil or an\n// *InvalidParameterException.\n")
		if !g.needs[n] {
			fmt.Fprintf(&methods, "func (in *%s) Validate() error { return nil }\n\n", n)
			continue
		}
		fmt.Fprintf(&methods, `func (in *%[1]s) Validate() error {
	if in == nil {
		in = new(%[1]s)
	}
	var v validator
	in.validate(&v, "")
	return v.err()
}

`, n)
	}

	// Rules and patterns used by the methods above.
	// ruleVar may reference further rules (list elements, map keys and
	// values): iterate to a fixed point.
	ruleCode := map[string]string{}
	for len(ruleCode) < len(g.rulesUsed) {
		for _, n := range sortedKeys(g.rulesUsed) {
			if _, ok := ruleCode[n]; ok {
				continue
			}
			code, err := g.ruleVar(n)
			if err != nil {
				return fmt.Errorf("rule for %s: %w", n, err)
			}
			ruleCode[n] = code
		}
	}
	var rules bytes.Buffer
	for _, n := range sortedKeys(ruleCode) {
		rules.WriteString(ruleCode[n])
	}
	b.WriteString("// Patterns of the model, compiled on first use. Each is the model's Java\n// pattern anchored for a whole-value match (Java's Matcher.matches()) and,\n// where needed, translated to RE2 (see internal/apigen/regex.go).\nvar (\n")
	for _, v := range sortedKeys(g.regexFull) {
		fmt.Fprintf(b, "\t%s = newLazyRegexp(%s)\n", v, goString(g.regexFull[v]))
	}
	b.WriteString(")\n\n// allPatterns lists every pattern above (for tests).\nvar allPatterns = []*lazyRegexp{\n")
	for _, v := range sortedKeys(g.regexFull) {
		fmt.Fprintf(b, "\t%s,\n", v)
	}
	b.WriteString("}\n\n// Constraints of the model's shapes, by shape name.\nvar (\n")
	b.Write(rules.Bytes())
	b.WriteString(")\n\n")
	b.Write(methods.Bytes())
	return nil
}

// goString quotes s, preferring a raw string literal.
func goString(s string) string {
	if !strings.ContainsAny(s, "`\r") && strconv.CanBackquote(s) {
		return "`" + s + "`"
	}
	return strconv.Quote(s)
}

// rule marks rule<shape> as used and returns its name.
func (g *generator) rule(shape string) string {
	g.rulesUsed[shape] = true
	return "rule" + shape
}

func (g *generator) memberCheck(s *Shape, m Member) (string, error) {
	t := g.shape(m.Shape)
	req := s.IsRequired(m.Name)
	f := "in." + exportName(m.Name)
	wn := strconv.Quote(wireName(m.Name))
	present := func(cond string) string {
		if !req {
			return ""
		}
		return fmt.Sprintf("\tv.present(p, %s, %s, true)\n", wn, cond)
	}
	switch t.Type {
	case "string":
		if stringConstrained(t) {
			return fmt.Sprintf("\tv.str(p, %s, %s, %v, &%s)\n", wn, f, req, g.rule(m.Shape)), nil
		}
		return present(f + " != nil"), nil
	case "integer", "long":
		if g.constrained(m.Shape) {
			fn := map[string]string{"integer": "int32", "long": "int64"}[t.Type]
			return fmt.Sprintf("\tv.%s(p, %s, %s, %v, &%s)\n", fn, wn, f, req, g.rule(m.Shape)), nil
		}
		return present(f + " != nil"), nil
	case "boolean", "timestamp":
		return present(f + " != nil"), nil
	case "blob":
		if hasLen(t) {
			return fmt.Sprintf("\tv.size(p, %s, %s != nil, len(%s), %v, &%s)\n", wn, f, f, req, g.rule(m.Shape)), nil
		}
		return present(f + " != nil"), nil
	case "structure":
		if t.Document {
			return present("documentPresent(" + f + ")"), nil
		}
		if g.needs[m.Shape] {
			cond := f + " != nil"
			if req {
				cond = fmt.Sprintf("v.present(p, %s, %s != nil, true)", wn, f)
			}
			return fmt.Sprintf("\tif %s {\n\t\t%s.validate(v, p+%s)\n\t}\n", cond, f, strconv.Quote(wireName(m.Name)+".")), nil
		}
		return present(f + " != nil"), nil
	case "list":
		e := g.shape(t.Member.Shape)
		switch {
		case e.Type == "string":
			if g.constrained(m.Shape) {
				return fmt.Sprintf("\tv.strList(p, %s, %s, %v, &%s)\n", wn, f, req, g.rule(m.Shape)), nil
			}
		case isTypeStruct(e) && g.needs[t.Member.Shape]:
			r := "nil"
			if hasLen(t) {
				r = "&" + g.rule(m.Shape)
			}
			return fmt.Sprintf("\tstructList(v, p, %s, %s, %v, %s)\n", wn, f, req, r), nil
		case g.constrained(t.Member.Shape):
			return "", fmt.Errorf("list %s: constraints on %s elements are not supported", m.Shape, e.Type)
		case hasLen(t):
			return fmt.Sprintf("\tv.size(p, %s, %s != nil, len(%s), %v, &%s)\n", wn, f, f, req, g.rule(m.Shape)), nil
		}
		return present(f + " != nil"), nil
	case "map":
		v := g.shape(t.Value.Shape)
		switch {
		case v.Type == "string":
			if g.constrained(m.Shape) {
				return fmt.Sprintf("\tv.strMap(p, %s, %s, %v, &%s)\n", wn, f, req, g.rule(m.Shape)), nil
			}
		case g.constrained(t.Value.Shape) || g.constrained(t.Key.Shape):
			return "", fmt.Errorf("map %s: constraints on %s values are not supported", m.Shape, v.Type)
		case hasLen(t):
			return fmt.Sprintf("\tv.size(p, %s, %s != nil, len(%s), %v, &%s)\n", wn, f, f, req, g.rule(m.Shape)), nil
		}
		return present(f + " != nil"), nil
	}
	return "", fmt.Errorf("unsupported member type %s", t.Type)
}

func sizeLit(s *Shape) string {
	lo, hi := int64(-1), int64(-1)
	if s.Min != nil && *s.Min > 0 {
		lo = *s.Min
	}
	if s.Max != nil {
		hi = *s.Max
	}
	return fmt.Sprintf("sizeRule{min: %d, max: %d}", lo, hi)
}

// regex returns the lazyRegexp variable for a model pattern.
func (g *generator) regex(shape, java string) (string, error) {
	v, ok := g.regexVar[java]
	if !ok {
		return "", fmt.Errorf("shape %s: pattern %q was not translated", shape, java)
	}
	full, err := translatePattern(java)
	if err != nil {
		return "", err
	}
	g.regexFull[v] = full
	return v, nil
}

// constraintList describes every constraint of a string shape, as AWS lists
// them inside "Member must satisfy constraint: [...]": length maximum,
// length minimum, pattern, enum.
func constraintList(s *Shape) string {
	var parts []string
	if s.Max != nil {
		parts = append(parts, "Member must have length less than or equal to "+strconv.FormatInt(*s.Max, 10))
	}
	if s.Min != nil {
		parts = append(parts, "Member must have length greater than or equal to "+strconv.FormatInt(*s.Min, 10))
	}
	if s.Pattern != nil {
		parts = append(parts, "Member must satisfy regular expression pattern: "+*s.Pattern)
	}
	if len(s.Enum) > 0 {
		parts = append(parts, enumMsg(s))
	}
	return "[" + strings.Join(parts, ", ") + "]"
}

func enumMsg(s *Shape) string {
	return "Member must satisfy enum value set: [" + strings.Join(s.Enum, ", ") + "]"
}

// ruleVar emits "rule<Shape> = ..." for a shape referenced by a validator.
func (g *generator) ruleVar(n string) (string, error) {
	s := g.shape(n)
	switch s.Type {
	case "string":
		lit, err := g.stringRuleLit(n)
		if err != nil {
			return "", err
		}
		return fmt.Sprintf("\trule%s = %s\n", n, lit), nil
	case "integer", "long":
		var lo, hi int64
		if s.Min != nil {
			lo = *s.Min
		}
		if s.Max != nil {
			hi = *s.Max
		}
		return fmt.Sprintf("\trule%s = intRule{min: %d, max: %d, hasMin: %v, hasMax: %v}\n", n, lo, hi, s.Min != nil, s.Max != nil), nil
	case "blob":
		return fmt.Sprintf("\trule%s = %s\n", n, sizeLit(s)), nil
	case "list":
		e := g.shape(s.Member.Shape)
		if e.Type != "string" {
			return fmt.Sprintf("\trule%s = %s\n", n, sizeLit(s)), nil
		}
		var fields []string
		fields = append(fields, "size: "+sizeLit(s))
		if stringConstrained(e) {
			fields = append(fields, "elem: &"+g.rule(s.Member.Shape),
				"elemMsg: "+goString("Member must satisfy constraint: "+constraintList(e)))
		}
		if s.Sensitive || e.Sensitive {
			fields = append(fields, "sensitive: true")
		}
		return fmt.Sprintf("\trule%s = listRule{%s}\n", n, strings.Join(fields, ", ")), nil
	case "map":
		if g.shape(s.Value.Shape).Type != "string" {
			return fmt.Sprintf("\trule%s = %s\n", n, sizeLit(s)), nil
		}
		fields := []string{"size: " + sizeLit(s)}
		if k := g.shape(s.Key.Shape); stringConstrained(k) {
			fields = append(fields, "key: &"+g.rule(s.Key.Shape),
				"keyMsg: "+goString("Map keys must satisfy constraint: "+constraintList(k)))
		}
		if v := g.shape(s.Value.Shape); stringConstrained(v) {
			fields = append(fields, "value: &"+g.rule(s.Value.Shape),
				"valMsg: "+goString("Map value must satisfy constraint: "+constraintList(v)))
		}
		return fmt.Sprintf("\trule%s = mapRule{%s}\n", n, strings.Join(fields, ", ")), nil
	}
	return "", fmt.Errorf("no rule for %s shapes", s.Type)
}

func (g *generator) stringRuleLit(n string) (string, error) {
	s := g.shape(n)
	fields := []string{"size: " + sizeLit(s)}
	if s.Pattern != nil {
		re, err := g.regex(n, *s.Pattern)
		if err != nil {
			return "", err
		}
		fields = append(fields, "pattern: "+goString(*s.Pattern), "re: "+re)
	}
	if len(s.Enum) > 0 {
		fields = append(fields, "enum: "+n+"Values", "enumMsg: "+goString(enumMsg(s)))
	}
	if s.Sensitive {
		fields = append(fields, "sensitive: true")
	}
	return "stringRule{" + strings.Join(fields, ", ") + "}", nil
}
