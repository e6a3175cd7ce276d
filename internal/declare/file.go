// Package declare is userpool's declarative setup: a file (YAML or JSON)
// listing user pools with their app clients and users, applied to a
// service idempotently (`userpool apply -f`, `userpool serve --config`) and
// written back from one (`userpool export`).
//
// Applying creates what is missing and updates what differs; it deletes
// nothing. Pools are found by ID, or by name when the file gives no ID;
// app clients by ID, or by name within their pool; users by username.
// Settings are Cognito's own request shapes (CreateUserPool and
// CreateUserPoolClient, in the API's PascalCase), so whatever the AWS CLI or
// an SDK accepts can be written down as it is.
package declare

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/userpool/userpool/api"
	"github.com/userpool/userpool/internal/service"
)

// User statuses a file may declare.
const (
	StatusConfirmed           = "CONFIRMED"
	StatusForceChangePassword = "FORCE_CHANGE_PASSWORD"
	StatusUnconfirmed         = "UNCONFIRMED"
	StatusResetRequired       = "RESET_REQUIRED"
)

var statuses = []string{StatusConfirmed, StatusForceChangePassword, StatusUnconfirmed, StatusResetRequired}

// File is a declarative setup.
type File struct {
	// Source names where the file was read from; messages start with it.
	Source string
	Pools  []Pool
}

// Pool is a user pool with its app clients and users.
type Pool struct {
	// ID is the pool's fixed ID; empty to have one generated and to find
	// the pool by name.
	ID   string
	Name string
	// Settings are CreateUserPool's fields (PoolName unset).
	Settings api.CreateUserPoolRequest
	Clients  []Client
	Users    []User
}

// Client is an app client.
type Client struct {
	// ID is the client's fixed ID; empty to have one generated and to find
	// the client by name.
	ID   string
	Name string
	// Secret is the client's fixed secret. With GenerateSecret the client
	// gets a generated secret (an existing one is kept); with neither it
	// has none.
	Secret         string
	GenerateSecret bool
	// Settings are CreateUserPoolClient's fields (ClientName, UserPoolId,
	// ClientSecret and GenerateSecret unset).
	Settings api.CreateUserPoolClientRequest
}

// User is a user.
type User struct {
	Username string
	// Password, when set, is the user's password: permanent, or temporary
	// for status FORCE_CHANGE_PASSWORD. A new user without one gets a
	// random password; an existing user's password is then left alone.
	Password *string
	Status   string // one of the Status constants
	Enabled  bool
	// Attributes are the user's attributes (sub excluded). Attributes the
	// user has but the file does not name are left alone.
	Attributes map[string]string
}

// FileError is a problem with the file itself: it cannot be read or
// parsed, has an unknown field, or declares something invalid.
type FileError struct {
	File string // the file's name
	Line int    // 0 when unknown
	Path string // the entry, e.g. pools[0].users[2]; "" for the whole file
	Msg  string
}

func (e *FileError) Error() string {
	var b strings.Builder
	if e.File != "" {
		b.WriteString(e.File)
		if e.Line > 0 {
			fmt.Fprintf(&b, ":%d", e.Line)
		}
		b.WriteString(": ")
	}
	if e.Path != "" {
		b.WriteString(e.Path)
		b.WriteString(": ")
	}
	b.WriteString(e.Msg)
	return b.String()
}

// Load reads and parses a file; "-" reads standard input.
func Load(path string) (*File, error) {
	var data []byte
	var err error
	if path == "-" {
		data, err = io.ReadAll(os.Stdin)
		path = "stdin"
	} else {
		data, err = os.ReadFile(path)
	}
	if err != nil {
		var pe *os.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return nil, &FileError{File: path, Msg: err.Error()}
	}
	return Parse(path, data)
}

var yamlLine = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// Parse parses a file's contents (YAML or JSON); source names it in
// messages. Every problem is a *FileError.
func Parse(source string, data []byte) (*File, error) {
	f := &File{Source: source}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		msg := err.Error()
		line := 0
		if m := yamlLine.FindStringSubmatch(msg); m != nil {
			line, _ = strconv.Atoi(m[1])
			msg = m[2]
		} else {
			msg = strings.TrimPrefix(msg, "yaml: ")
		}
		return nil, &FileError{File: source, Line: line, Msg: msg}
	}
	if doc.Kind == 0 || len(doc.Content) == 0 {
		return f, nil // an empty file declares nothing
	}
	ps := &parser{source: source}
	top, err := ps.mapping(doc.Content[0], "", "pools")
	if err != nil {
		return nil, err
	}
	pools, err := ps.sequence(top["pools"], "pools")
	if err != nil {
		return nil, err
	}
	for i, n := range pools {
		p, err := ps.pool(n, fmt.Sprintf("pools[%d]", i))
		if err != nil {
			return nil, err
		}
		f.Pools = append(f.Pools, p)
	}
	return f, ps.checkUnique(f)
}

type parser struct {
	source string
	// lines remember where each entry starts, for checkUnique.
	lines map[string]int
}

func (ps *parser) errf(n *yaml.Node, path, format string, args ...any) error {
	e := &FileError{File: ps.source, Path: path, Msg: fmt.Sprintf(format, args...)}
	if n != nil {
		e.Line = n.Line
	}
	return e
}

func (ps *parser) mark(path string, n *yaml.Node) {
	if ps.lines == nil {
		ps.lines = map[string]int{}
	}
	ps.lines[path] = n.Line
}

func deref(n *yaml.Node) *yaml.Node {
	for n != nil && n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	return n
}

func isNull(n *yaml.Node) bool {
	return n == nil || (n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null")
}

// mapping reads a mapping whose keys must be among allowed.
func (ps *parser) mapping(n *yaml.Node, path string, allowed ...string) (map[string]*yaml.Node, error) {
	n = deref(n)
	out := map[string]*yaml.Node{}
	if isNull(n) {
		return out, nil
	}
	if n.Kind != yaml.MappingNode {
		return nil, ps.errf(n, path, "expected a mapping (%s)", strings.Join(allowed, ", "))
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := deref(n.Content[i]), n.Content[i+1]
		if k.Kind != yaml.ScalarNode {
			return nil, ps.errf(k, path, "expected a field name")
		}
		if !slices.Contains(allowed, k.Value) {
			return nil, ps.errf(k, path, "unknown field %q (known: %s)", k.Value, strings.Join(allowed, ", "))
		}
		if _, dup := out[k.Value]; dup {
			return nil, ps.errf(k, path, "field %q given twice", k.Value)
		}
		out[k.Value] = v
	}
	return out, nil
}

func (ps *parser) sequence(n *yaml.Node, path string) ([]*yaml.Node, error) {
	n = deref(n)
	if isNull(n) {
		return nil, nil
	}
	if n.Kind != yaml.SequenceNode {
		return nil, ps.errf(n, path, "expected a list")
	}
	return n.Content, nil
}

// str reads a scalar as the text written; ok is false when absent or null.
func (ps *parser) str(n *yaml.Node, path string) (s string, ok bool, err error) {
	n = deref(n)
	if isNull(n) {
		return "", false, nil
	}
	if n.Kind != yaml.ScalarNode {
		return "", false, ps.errf(n, path, "expected a string")
	}
	return n.Value, true, nil
}

func (ps *parser) boolean(n *yaml.Node, path string, def bool) (bool, error) {
	n = deref(n)
	if isNull(n) {
		return def, nil
	}
	var b bool
	if n.Kind != yaml.ScalarNode || n.ShortTag() != "!!bool" || n.Decode(&b) != nil {
		return false, ps.errf(n, path, "expected true or false, got %q", n.Value)
	}
	return b, nil
}

func (ps *parser) pool(n *yaml.Node, path string) (Pool, error) {
	var p Pool
	m, err := ps.mapping(n, path, "id", "name", "settings", "clients", "users")
	if err != nil {
		return p, err
	}
	ps.mark(path, deref(n))
	if p.ID, _, err = ps.str(m["id"], path+".id"); err != nil {
		return p, err
	}
	if p.ID != "" {
		if err := service.CheckUserPoolID(p.ID); err != nil {
			return p, ps.errf(m["id"], path, "id %q must match [\\w-]+_[0-9a-zA-Z]+ (for example us-east-1_Local0001) and have at most 55 characters", p.ID)
		}
	}
	var ok bool
	if p.Name, ok, err = ps.str(m["name"], path+".name"); err != nil {
		return p, err
	}
	if !ok || p.Name == "" {
		return p, ps.errf(deref(n), path, "name is required")
	}
	if err := ps.settings(m["settings"], path+".settings", &p.Settings, map[string]string{
		"PoolName": "the pool's name is its name field",
	}); err != nil {
		return p, err
	}
	clients, err := ps.sequence(m["clients"], path+".clients")
	if err != nil {
		return p, err
	}
	for i, cn := range clients {
		c, err := ps.client(cn, fmt.Sprintf("%s.clients[%d]", path, i))
		if err != nil {
			return p, err
		}
		p.Clients = append(p.Clients, c)
	}
	users, err := ps.sequence(m["users"], path+".users")
	if err != nil {
		return p, err
	}
	for i, un := range users {
		u, err := ps.user(un, fmt.Sprintf("%s.users[%d]", path, i))
		if err != nil {
			return p, err
		}
		p.Users = append(p.Users, u)
	}
	return p, nil
}

func (ps *parser) client(n *yaml.Node, path string) (Client, error) {
	var c Client
	m, err := ps.mapping(n, path, "id", "name", "secret", "generateSecret", "settings")
	if err != nil {
		return c, err
	}
	ps.mark(path, deref(n))
	if c.ID, _, err = ps.str(m["id"], path+".id"); err != nil {
		return c, err
	}
	if c.ID != "" && service.CheckClientID(c.ID) != nil {
		return c, ps.errf(m["id"], path, "id must match [\\w+]+ and have at most 128 characters")
	}
	var ok bool
	if c.Name, ok, err = ps.str(m["name"], path+".name"); err != nil {
		return c, err
	}
	if !ok || c.Name == "" {
		return c, ps.errf(deref(n), path, "name is required")
	}
	if c.Secret, _, err = ps.str(m["secret"], path+".secret"); err != nil {
		return c, err
	}
	if c.Secret != "" && service.CheckClientSecret(c.Secret) != nil {
		return c, ps.errf(m["secret"], path, "secret must match [\\w+]+ and have 24 to 64 characters")
	}
	if c.GenerateSecret, err = ps.boolean(m["generateSecret"], path+".generateSecret", false); err != nil {
		return c, err
	}
	if c.Secret != "" && c.GenerateSecret {
		return c, ps.errf(m["generateSecret"], path, "give either secret or generateSecret, not both")
	}
	return c, ps.settings(m["settings"], path+".settings", &c.Settings, map[string]string{
		"ClientName":     "the client's name is its name field",
		"UserPoolId":     "a client belongs to the pool it is listed under",
		"ClientSecret":   "use the client's secret field",
		"GenerateSecret": "use the client's generateSecret field",
	})
}

func (ps *parser) user(n *yaml.Node, path string) (User, error) {
	u := User{Status: StatusConfirmed}
	m, err := ps.mapping(n, path, "username", "password", "status", "enabled", "attributes")
	if err != nil {
		return u, err
	}
	ps.mark(path, deref(n))
	var ok bool
	if u.Username, ok, err = ps.str(m["username"], path+".username"); err != nil {
		return u, err
	}
	if !ok || u.Username == "" {
		return u, ps.errf(deref(n), path, "username is required")
	}
	pw, ok, err := ps.str(m["password"], path+".password")
	if err != nil {
		return u, err
	}
	if ok {
		u.Password = &pw
	}
	if s, ok, err := ps.str(m["status"], path+".status"); err != nil {
		return u, err
	} else if ok {
		if !slices.Contains(statuses, s) {
			return u, ps.errf(m["status"], path, "unknown status %q (use %s)", s, strings.Join(statuses, ", "))
		}
		u.Status = s
	}
	if u.Enabled, err = ps.boolean(m["enabled"], path+".enabled", true); err != nil {
		return u, err
	}
	an := deref(m["attributes"])
	if isNull(an) {
		return u, nil
	}
	if an.Kind != yaml.MappingNode {
		return u, ps.errf(an, path+".attributes", "expected a mapping of attribute names to values")
	}
	u.Attributes = map[string]string{}
	for i := 0; i+1 < len(an.Content); i += 2 {
		k, v := deref(an.Content[i]), deref(an.Content[i+1])
		apath := path + ".attributes"
		if k.Kind != yaml.ScalarNode || k.Value == "" {
			return u, ps.errf(k, apath, "expected an attribute name")
		}
		if k.Value == "sub" {
			return u, ps.errf(k, apath, "sub is assigned by the server")
		}
		if _, dup := u.Attributes[k.Value]; dup {
			return u, ps.errf(k, apath, "attribute %q given twice", k.Value)
		}
		if v.Kind != yaml.ScalarNode || isNull(v) {
			return u, ps.errf(v, apath, "attribute %q: expected a value", k.Value)
		}
		u.Attributes[k.Value] = v.Value // as written: +15555550100 stays text
	}
	return u, nil
}

// settings decodes an API request shape strictly: every field must be one
// of the shape's (spelled as the API spells it), of the right type.
func (ps *parser) settings(n *yaml.Node, path string, into any, reserved map[string]string) error {
	n = deref(n)
	if isNull(n) {
		return nil
	}
	if n.Kind != yaml.MappingNode {
		return ps.errf(n, path, "expected a mapping of %s fields", reflect.TypeOf(into).Elem().Name())
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if why, ok := reserved[n.Content[i].Value]; ok {
			return ps.errf(n.Content[i], path, "%s cannot be set here: %s", n.Content[i].Value, why)
		}
	}
	v, err := ps.conform(n, reflect.TypeOf(into).Elem(), path)
	if err != nil {
		return err
	}
	b, err := json.Marshal(v)
	if err == nil {
		err = json.Unmarshal(b, into)
	}
	if err != nil {
		return ps.errf(n, path, "%v", err)
	}
	return nil
}

var unmarshalerType = reflect.TypeFor[interface{ UnmarshalJSON([]byte) error }]()

// conform converts a YAML node to the JSON value the Go type t expects,
// refusing unknown fields and values of the wrong kind with the path of
// the offending field.
func (ps *parser) conform(n *yaml.Node, t reflect.Type, path string) (any, error) {
	n = deref(n)
	if isNull(n) {
		return nil, nil
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if reflect.PointerTo(t).Implements(unmarshalerType) || t.Kind() == reflect.Interface {
		var v any
		if err := n.Decode(&v); err != nil {
			return nil, ps.errf(n, path, "%v", err)
		}
		return v, nil
	}
	switch t.Kind() {
	case reflect.Struct:
		if n.Kind != yaml.MappingNode {
			return nil, ps.errf(n, path, "expected a mapping (%s)", t.Name())
		}
		fields := jsonFields(t)
		out := map[string]any{}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := deref(n.Content[i])
			f, ok := fields[k.Value]
			if !ok {
				return nil, ps.errf(k, path, "unknown field %q for %s%s", k.Value, t.Name(), suggest(k.Value, fields))
			}
			if _, dup := out[k.Value]; dup {
				return nil, ps.errf(k, path, "field %q given twice", k.Value)
			}
			v, err := ps.conform(n.Content[i+1], f.Type, path+"."+k.Value)
			if err != nil {
				return nil, err
			}
			out[k.Value] = v
		}
		return out, nil
	case reflect.Map:
		if n.Kind != yaml.MappingNode {
			return nil, ps.errf(n, path, "expected a mapping")
		}
		out := map[string]any{}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := deref(n.Content[i])
			v, err := ps.conform(n.Content[i+1], t.Elem(), path+"."+k.Value)
			if err != nil {
				return nil, err
			}
			out[k.Value] = v
		}
		return out, nil
	case reflect.Slice:
		if n.Kind != yaml.SequenceNode {
			return nil, ps.errf(n, path, "expected a list")
		}
		out := make([]any, 0, len(n.Content))
		for i, e := range n.Content {
			v, err := ps.conform(e, t.Elem(), fmt.Sprintf("%s[%d]", path, i))
			if err != nil {
				return nil, err
			}
			out = append(out, v)
		}
		return out, nil
	}
	if n.Kind != yaml.ScalarNode {
		return nil, ps.errf(n, path, "expected a single value, not a %s", kindName(n))
	}
	switch t.Kind() {
	case reflect.String:
		return n.Value, nil // numbers and booleans are taken as written
	case reflect.Bool:
		var b bool
		if n.ShortTag() != "!!bool" || n.Decode(&b) != nil {
			return nil, ps.errf(n, path, "expected true or false, got %q", n.Value)
		}
		return b, nil
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		var i int64
		if n.ShortTag() != "!!int" || n.Decode(&i) != nil || reflect.Zero(t).OverflowInt(i) {
			return nil, ps.errf(n, path, "expected a whole number, got %q", n.Value)
		}
		return i, nil
	case reflect.Float32, reflect.Float64:
		var x float64
		if (n.ShortTag() != "!!int" && n.ShortTag() != "!!float") || n.Decode(&x) != nil || math.IsInf(x, 0) || math.IsNaN(x) {
			return nil, ps.errf(n, path, "expected a number, got %q", n.Value)
		}
		return x, nil
	}
	return nil, ps.errf(n, path, "cannot be set in a file")
}

func kindName(n *yaml.Node) string {
	if n.Kind == yaml.MappingNode {
		return "mapping"
	}
	return "list"
}

// jsonFields maps a struct's JSON names to its fields.
func jsonFields(t reflect.Type) map[string]reflect.StructField {
	out := map[string]reflect.StructField{}
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" {
			continue
		}
		if name == "" {
			name = f.Name
		}
		out[name] = f
	}
	return out
}

// suggest names a field spelled like the unknown one but for case.
func suggest(name string, fields map[string]reflect.StructField) string {
	for f := range fields {
		if strings.EqualFold(f, name) {
			return fmt.Sprintf(" (did you mean %q?)", f)
		}
	}
	return ""
}

// checkUnique refuses entries that would be matched to the same pool,
// client or user.
func (ps *parser) checkUnique(f *File) error {
	dup := func(path, format string, args ...any) error {
		return &FileError{File: ps.source, Line: ps.lines[path], Path: path, Msg: fmt.Sprintf(format, args...)}
	}
	poolIDs, poolNames := map[string]int{}, map[string]int{}
	for i, p := range f.Pools {
		path := fmt.Sprintf("pools[%d]", i)
		if p.ID != "" {
			if j, ok := poolIDs[p.ID]; ok {
				return dup(path, "pool id %q is also pools[%d]'s", p.ID, j)
			}
			poolIDs[p.ID] = i
		}
		// A pool without an ID is found by its name, which must then name
		// no other pool of the file.
		if j, ok := poolNames[p.Name]; ok && (p.ID == "" || f.Pools[j].ID == "") {
			return dup(path, "pool name %q is also pools[%d]'s; give both an id, or different names", p.Name, j)
		}
		poolNames[p.Name] = i
		clientNames := map[string]int{}
		for k, c := range p.Clients {
			cpath := fmt.Sprintf("%s.clients[%d]", path, k)
			if j, ok := clientNames[c.Name]; ok && (c.ID == "" || p.Clients[j].ID == "") {
				return dup(cpath, "client name %q is also %s.clients[%d]'s; give both an id, or different names", c.Name, path, j)
			}
			clientNames[c.Name] = k
		}
		usernames := map[string]int{}
		for k, u := range p.Users {
			if j, ok := usernames[u.Username]; ok {
				return dup(fmt.Sprintf("%s.users[%d]", path, k), "username %q is also %s.users[%d]'s", u.Username, path, j)
			}
			usernames[u.Username] = k
		}
	}
	// Client IDs are unique across pools, as in the store.
	seen := map[string]string{}
	for i, p := range f.Pools {
		for k, c := range p.Clients {
			cpath := fmt.Sprintf("pools[%d].clients[%d]", i, k)
			if c.ID == "" {
				continue
			}
			if other, ok := seen[c.ID]; ok {
				return dup(cpath, "client id %q is also %s's (client IDs are unique across pools)", c.ID, other)
			}
			seen[c.ID] = cpath
		}
	}
	return nil
}
