package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"sort"
)

// Model is the subset of a botocore service-2 JSON model that apigen uses.
type Model struct {
	Metadata   Metadata              `json:"metadata"`
	Operations map[string]*Operation `json:"operations"`
	Shapes     map[string]*Shape     `json:"shapes"`
}

// Metadata is the model's service metadata.
type Metadata struct {
	APIVersion   string `json:"apiVersion"`
	JSONVersion  string `json:"jsonVersion"`
	Protocol     string `json:"protocol"`
	TargetPrefix string `json:"targetPrefix"`
	ServiceID    string `json:"serviceId"`
}

// Operation is one API operation.
type Operation struct {
	Name     string     `json:"name"`
	Input    *ShapeRef  `json:"input"`
	Output   *ShapeRef  `json:"output"`
	Errors   []ShapeRef `json:"errors"`
	AuthType string     `json:"authtype"`
}

// ShapeRef references a shape, as an operation input/output or a member.
type ShapeRef struct {
	Shape             string `json:"shape"`
	Box               bool   `json:"box"`
	Deprecated        bool   `json:"deprecated"`
	DeprecatedMessage string `json:"deprecatedMessage"`
}

// Member is a named structure member, in model order.
type Member struct {
	Name string
	ShapeRef
}

// Members keeps structure members in the order the model lists them.
type Members []Member

// UnmarshalJSON decodes a JSON object while preserving key order.
func (ms *Members) UnmarshalJSON(data []byte) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return fmt.Errorf("members: expected object, got %v", tok)
	}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return err
		}
		name, ok := tok.(string)
		if !ok {
			return fmt.Errorf("members: expected key, got %v", tok)
		}
		var ref ShapeRef
		if err := dec.Decode(&ref); err != nil {
			return fmt.Errorf("member %s: %w", name, err)
		}
		*ms = append(*ms, Member{Name: name, ShapeRef: ref})
	}
	_, err = dec.Token()
	return err
}

// Shape is one model shape.
type Shape struct {
	Name      string    `json:"-"`
	Type      string    `json:"type"`
	Members   Members   `json:"members"`
	Required  []string  `json:"required"`
	Member    *ShapeRef `json:"member"` // list element
	Key       *ShapeRef `json:"key"`    // map key
	Value     *ShapeRef `json:"value"`  // map value
	Min       *int64    `json:"min"`
	Max       *int64    `json:"max"`
	Pattern   *string   `json:"pattern"`
	Enum      []string  `json:"enum"`
	Sensitive bool      `json:"sensitive"`
	Exception bool      `json:"exception"`
	Fault     bool      `json:"fault"`
	Document  bool      `json:"document"`
}

// IsRequired reports whether member name is required in structure s.
func (s *Shape) IsRequired(name string) bool {
	for _, r := range s.Required {
		if r == name {
			return true
		}
	}
	return false
}

// shapePatternFixes replace patterns where the published model differs from
// what the live service enforces and reports.
var shapePatternFixes = map[string]string{
	// botocore's model says [\S]+ (no spaces at all), but AWS accepts inner
	// spaces (the Developer Guide counts a space as a symbol) and refuses
	// leading and trailing ones, naming this pattern in its message
	// ("Member must satisfy regular expression pattern: ^[\S]+.*[\S]+$",
	// seen in AdminSetUserPassword, ConfirmForgotPassword and
	// ChangePassword answers).
	"PasswordType": `^[\S]+.*[\S]+$`,
}

func loadModel(path string) (*Model, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var m Model
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	for name, s := range m.Shapes {
		s.Name = name
		if p, ok := shapePatternFixes[name]; ok {
			s.Pattern = &p
		}
	}
	if err := m.check(); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return &m, nil
}

// check verifies that every reference resolves and every shape kind is one
// apigen knows how to map.
func (m *Model) check() error {
	ref := func(where string, r *ShapeRef) error {
		if r == nil {
			return fmt.Errorf("%s: missing shape reference", where)
		}
		if m.Shapes[r.Shape] == nil {
			return fmt.Errorf("%s: unknown shape %q", where, r.Shape)
		}
		return nil
	}
	for _, name := range m.shapeNames() {
		s := m.Shapes[name]
		switch s.Type {
		case "structure":
			for _, mem := range s.Members {
				if err := ref(name+"."+mem.Name, &mem.ShapeRef); err != nil {
					return err
				}
			}
			for _, r := range s.Required {
				found := false
				for _, mem := range s.Members {
					found = found || mem.Name == r
				}
				if !found {
					return fmt.Errorf("%s: required member %q does not exist", name, r)
				}
			}
		case "list":
			if err := ref(name+".member", s.Member); err != nil {
				return err
			}
		case "map":
			if err := ref(name+".key", s.Key); err != nil {
				return err
			}
			if err := ref(name+".value", s.Value); err != nil {
				return err
			}
			if k := m.Shapes[s.Key.Shape]; k.Type != "string" {
				return fmt.Errorf("%s: map key type %s is not supported", name, k.Type)
			}
		case "string", "integer", "long", "boolean", "blob", "timestamp":
		default:
			return fmt.Errorf("%s: unsupported shape type %q", name, s.Type)
		}
	}
	for _, name := range m.operationNames() {
		op := m.Operations[name]
		if op.Name != name {
			return fmt.Errorf("operation %s: name field is %q", name, op.Name)
		}
		if err := ref(name+" input", op.Input); err != nil {
			return err
		}
		if op.Output != nil {
			if err := ref(name+" output", op.Output); err != nil {
				return err
			}
		}
		for i := range op.Errors {
			if err := ref(name+" error", &op.Errors[i]); err != nil {
				return err
			}
			if !m.Shapes[op.Errors[i].Shape].Exception {
				return fmt.Errorf("operation %s: error %s is not an exception", name, op.Errors[i].Shape)
			}
		}
	}
	return nil
}

func (m *Model) shapeNames() []string {
	names := make([]string, 0, len(m.Shapes))
	for n := range m.Shapes {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

func (m *Model) operationNames() []string {
	names := make([]string, 0, len(m.Operations))
	for n := range m.Operations {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}
