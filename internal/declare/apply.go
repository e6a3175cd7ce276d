package declare

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/userpool/userpool/api"
	"github.com/userpool/userpool/internal/ids"
	"github.com/userpool/userpool/internal/service"
)

// Change is one thing Apply created or updated.
type Change struct {
	Path   string // the file's entry: pools[0], pools[0].clients[1], pools[0].users[2]
	Kind   string // "pool", "client" or "user"
	Action string // "created" or "updated"
	Name   string // pool or client name, or username
	ID     string // the pool's or client's ID ("" for users)
	Pool   string // the pool's ID, for clients and users
}

func (c Change) String() string {
	s := c.Action + " " + c.Kind + " " + c.Name
	if c.ID != "" {
		s += " (" + c.ID + ")"
	}
	if c.Pool != "" {
		s += " in pool " + c.Pool
	}
	return s
}

// Result is what Apply did.
type Result struct {
	// Changes lists what was created or updated, in file order; empty
	// when everything already matched.
	Changes []Change
	// PoolIDs are the IDs of the file's pools, in file order.
	PoolIDs []string
}

// ApplyError is the service's refusal of one entry of a file.
type ApplyError struct {
	File string // the file's name
	Path string // the entry: pools[0].users[1]
	Name string // the entry's name or username
	Err  error  // the service's error (an api.Exception) or a conflict with the store
}

func (e *ApplyError) Error() string {
	var b strings.Builder
	if e.File != "" {
		b.WriteString(e.File + ": ")
	}
	b.WriteString(e.Path)
	if e.Name != "" {
		fmt.Fprintf(&b, " (%s)", e.Name)
	}
	b.WriteString(": ")
	b.WriteString(e.Err.Error())
	return b.String()
}

func (e *ApplyError) Unwrap() error { return e.Err }

// Apply brings svc to what f declares: it creates the pools, app clients
// and users that are missing and updates those that differ, in file order,
// and stops at the first error (what was applied before it stays; applying
// again after fixing the file finishes the job). It deletes nothing.
func Apply(ctx context.Context, svc *service.Service, f *File) (*Result, error) {
	a := &applier{svc: svc, f: f, res: &Result{}, declaredPools: map[string]bool{}}
	for _, p := range f.Pools {
		if p.ID != "" {
			a.declaredPools[p.ID] = true
		}
	}
	for i := range f.Pools {
		if err := a.pool(ctx, i, &f.Pools[i]); err != nil {
			return a.res, err
		}
	}
	return a.res, nil
}

type applier struct {
	svc *service.Service
	f   *File
	res *Result
	// declaredPools are the pool IDs the file names; a pool without an ID
	// is never matched to one of them.
	declaredPools map[string]bool
	// pools are the store's pools (ID → name), read once.
	pools map[string]string
}

func (a *applier) fail(path, name string, err error) error {
	return &ApplyError{File: a.f.Source, Path: path, Name: name, Err: err}
}

func (a *applier) changed(c Change) { a.res.Changes = append(a.res.Changes, c) }

func notFound(err error) bool {
	var rnf *api.ResourceNotFoundException
	return errors.As(err, &rnf)
}

func userNotFound(err error) bool {
	var unf *api.UserNotFoundException
	return errors.As(err, &unf)
}

// validate runs the API model's checks, as the HTTP API does before every
// operation.
func validate(in interface{ Validate() error }) error { return in.Validate() }

func (a *applier) pool(ctx context.Context, i int, p *Pool) error {
	path := fmt.Sprintf("pools[%d]", i)
	fail := func(err error) error { return a.fail(path, p.Name, err) }
	id := p.ID
	var cur *api.UserPoolType
	if id == "" {
		matches, err := a.poolsNamed(ctx, p.Name)
		if err != nil {
			return fail(err)
		}
		if len(matches) > 1 {
			return fail(fmt.Errorf("%d pools are named %q (%s); give this entry the id of the one meant", len(matches), p.Name, strings.Join(matches, ", ")))
		}
		if len(matches) == 1 {
			id = matches[0]
		}
	}
	if id != "" {
		out, err := a.svc.DescribeUserPool(ctx, &api.DescribeUserPoolRequest{UserPoolId: &id})
		switch {
		case err == nil:
			cur = out.UserPool
		case !notFound(err):
			return fail(err)
		}
	}
	ch := Change{Path: path, Kind: "pool", Name: p.Name}
	if cur == nil {
		in := p.Settings
		in.PoolName = &p.Name
		if err := validate(&in); err != nil {
			return fail(err)
		}
		var out *api.CreateUserPoolResponse
		var err error
		if id != "" {
			out, err = a.svc.CreateUserPoolWithID(ctx, id, &in)
		} else {
			out, err = a.svc.CreateUserPool(ctx, &in)
		}
		if err != nil {
			return fail(err)
		}
		id = api.ToString(out.UserPool.Id)
		ch.Action = "created"
	} else {
		updated, err := a.updatePool(ctx, id, cur, p)
		if err != nil {
			return fail(err)
		}
		if updated {
			ch.Action = "updated"
		}
	}
	ch.ID = id
	if ch.Action != "" {
		a.changed(ch)
	}
	a.res.PoolIDs = append(a.res.PoolIDs, id)
	if a.pools != nil {
		a.pools[id] = p.Name
	}
	if err := a.clients(ctx, path, id, p); err != nil {
		return err
	}
	for k := range p.Users {
		if err := a.user(ctx, fmt.Sprintf("%s.users[%d]", path, k), id, &p.Users[k]); err != nil {
			return err
		}
	}
	return nil
}

// poolsNamed returns the IDs of the store's pools with the name, leaving
// out those the file names by ID.
func (a *applier) poolsNamed(ctx context.Context, name string) ([]string, error) {
	if a.pools == nil {
		a.pools = map[string]string{}
		var next *string
		for {
			out, err := a.svc.ListUserPools(ctx, &api.ListUserPoolsRequest{MaxResults: api.Int32(60), NextToken: next})
			if err != nil {
				return nil, err
			}
			for _, d := range out.UserPools {
				a.pools[api.ToString(d.Id)] = api.ToString(d.Name)
			}
			if next = out.NextToken; next == nil {
				break
			}
		}
	}
	var ids []string
	for id, n := range a.pools {
		if n == name && !a.declaredPools[id] {
			ids = append(ids, id)
		}
	}
	sort.Strings(ids)
	return ids, nil
}

// updatePool brings an existing pool to the file's settings. What
// UpdateUserPool cannot change must already match: custom attributes
// missing from the pool are added, anything else that differs is an error.
func (a *applier) updatePool(ctx context.Context, id string, cur *api.UserPoolType, p *Pool) (bool, error) {
	want := p.Settings
	for _, c := range []struct {
		field     string
		have, say []string
	}{
		{"UsernameAttributes", cur.UsernameAttributes, want.UsernameAttributes},
		{"AliasAttributes", cur.AliasAttributes, want.AliasAttributes},
	} {
		if !sameSet(c.have, c.say) {
			return false, fmt.Errorf("%s cannot change on an existing pool (the pool has %s, the file says %s); delete the pool to recreate it", c.field, listOrNone(c.have), listOrNone(c.say))
		}
	}
	if have, say := caseSensitive(cur.UsernameConfiguration), caseSensitive(want.UsernameConfiguration); have != say {
		return false, fmt.Errorf("UsernameConfiguration.CaseSensitive cannot change on an existing pool (the pool has %t, the file says %t); delete the pool to recreate it", have, say)
	}
	added, err := a.addCustomAttributes(ctx, id, cur.SchemaAttributes, want.Schema)
	if err != nil {
		return false, err
	}
	var in api.UpdateUserPoolRequest
	if err := convert(&want, &in); err != nil {
		return false, err
	}
	in.UserPoolId, in.PoolName = &id, &p.Name
	updated, err := a.svc.UpdateUserPoolIfChanged(ctx, &in)
	return added || updated, err
}

// addCustomAttributes adds the declared custom attributes the pool lacks,
// and refuses declared attributes that differ from the pool's.
func (a *applier) addCustomAttributes(ctx context.Context, poolID string, have, declared []api.SchemaAttributeType) (bool, error) {
	standard := map[string]bool{}
	for _, s := range service.StandardSchema() {
		standard[api.ToString(s.Name)] = true
	}
	var missing []api.SchemaAttributeType
	for _, d := range declared {
		name := api.ToString(d.Name)
		if !standard[name] && !strings.HasPrefix(name, "custom:") {
			name = "custom:" + name
		}
		i := slices.IndexFunc(have, func(s api.SchemaAttributeType) bool { return api.ToString(s.Name) == name })
		if i < 0 {
			if standard[name] {
				continue // the pool was made by an older version
			}
			missing = append(missing, d)
			continue
		}
		if why := schemaDiffers(have[i], d); why != "" {
			return false, fmt.Errorf("schema attribute %s cannot change on an existing pool (%s); delete the pool to recreate it", name, why)
		}
	}
	if len(missing) == 0 {
		return false, nil
	}
	in := &api.AddCustomAttributesRequest{UserPoolId: &poolID, CustomAttributes: missing}
	if err := validate(in); err != nil {
		return false, err
	}
	_, err := a.svc.AddCustomAttributes(ctx, in)
	return err == nil, err
}

// schemaDiffers compares the settings a schema entry gives with the pool's.
func schemaDiffers(have, d api.SchemaAttributeType) string {
	diff := func(field string, h, w any) string { return fmt.Sprintf("%s is %v, the file says %v", field, h, w) }
	if d.AttributeDataType != nil && *d.AttributeDataType != api.ToString(have.AttributeDataType) {
		return diff("AttributeDataType", api.ToString(have.AttributeDataType), *d.AttributeDataType)
	}
	for _, b := range []struct {
		field string
		h, w  *bool
	}{{"Mutable", have.Mutable, d.Mutable}, {"Required", have.Required, d.Required}, {"DeveloperOnlyAttribute", have.DeveloperOnlyAttribute, d.DeveloperOnlyAttribute}} {
		if b.w != nil && *b.w != api.ToBool(b.h) {
			return diff(b.field, api.ToBool(b.h), *b.w)
		}
	}
	if w := d.StringAttributeConstraints; w != nil {
		h := have.StringAttributeConstraints
		if h == nil {
			h = &api.StringAttributeConstraintsType{}
		}
		if w.MinLength != nil && *w.MinLength != api.ToString(h.MinLength) {
			return diff("StringAttributeConstraints.MinLength", api.ToString(h.MinLength), *w.MinLength)
		}
		if w.MaxLength != nil && *w.MaxLength != api.ToString(h.MaxLength) {
			return diff("StringAttributeConstraints.MaxLength", api.ToString(h.MaxLength), *w.MaxLength)
		}
	}
	if w := d.NumberAttributeConstraints; w != nil {
		h := have.NumberAttributeConstraints
		if h == nil {
			h = &api.NumberAttributeConstraintsType{}
		}
		if w.MinValue != nil && *w.MinValue != api.ToString(h.MinValue) {
			return diff("NumberAttributeConstraints.MinValue", api.ToString(h.MinValue), *w.MinValue)
		}
		if w.MaxValue != nil && *w.MaxValue != api.ToString(h.MaxValue) {
			return diff("NumberAttributeConstraints.MaxValue", api.ToString(h.MaxValue), *w.MaxValue)
		}
	}
	return ""
}

func caseSensitive(c *api.UsernameConfigurationType) bool {
	return c == nil || c.CaseSensitive == nil || *c.CaseSensitive
}

func sameSet(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(slices.Compact(a), slices.Compact(b))
}

func listOrNone(l []string) string {
	if len(l) == 0 {
		return "none"
	}
	return "[" + strings.Join(l, ", ") + "]"
}

// convert copies the fields two API shapes share, by their JSON names.
func convert(from, to any) error {
	b, err := json.Marshal(from)
	if err != nil {
		return err
	}
	return json.Unmarshal(b, to)
}

func (a *applier) clients(ctx context.Context, poolPath, poolID string, p *Pool) error {
	var byName map[string][]string // name → IDs, read on first need
	declared := map[string]bool{}
	for _, c := range p.Clients {
		if c.ID != "" {
			declared[c.ID] = true
		}
	}
	for k := range p.Clients {
		c := &p.Clients[k]
		path := fmt.Sprintf("%s.clients[%d]", poolPath, k)
		fail := func(err error) error { return a.fail(path, c.Name, err) }
		id := c.ID
		if id == "" {
			if byName == nil {
				var err error
				if byName, err = a.clientsByName(ctx, poolID, declared); err != nil {
					return fail(err)
				}
			}
			switch m := byName[c.Name]; len(m) {
			case 0:
			case 1:
				id = m[0]
			default:
				return fail(fmt.Errorf("%d app clients of the pool are named %q (%s); give this entry the id of the one meant", len(m), c.Name, strings.Join(m, ", ")))
			}
		}
		var cur *api.UserPoolClientType
		if id != "" {
			out, err := a.svc.DescribeUserPoolClient(ctx, &api.DescribeUserPoolClientRequest{UserPoolId: &poolID, ClientId: &id})
			switch {
			case err == nil:
				cur = out.UserPoolClient
			case !notFound(err):
				return fail(err)
			}
		}
		ch := Change{Path: path, Kind: "client", Name: c.Name, Pool: poolID}
		if cur == nil {
			in := c.Settings
			in.UserPoolId, in.ClientName = &poolID, &c.Name
			if c.Secret != "" {
				in.ClientSecret = &c.Secret
			}
			if c.GenerateSecret {
				in.GenerateSecret = api.Bool(true)
			}
			if err := validate(&in); err != nil {
				return fail(err)
			}
			var out *api.CreateUserPoolClientResponse
			var err error
			if id != "" {
				out, err = a.svc.CreateUserPoolClientWithID(ctx, id, &in)
			} else {
				out, err = a.svc.CreateUserPoolClient(ctx, &in)
			}
			if err != nil {
				return fail(err)
			}
			ch.Action, ch.ID = "created", api.ToString(out.UserPoolClient.ClientId)
			a.changed(ch)
			continue
		}
		var in api.UpdateUserPoolClientRequest
		if err := convert(&c.Settings, &in); err != nil {
			return fail(err)
		}
		in.UserPoolId, in.ClientId, in.ClientName = &poolID, &id, &c.Name
		updated, err := a.svc.UpdateUserPoolClientIfChanged(ctx, &in)
		if err != nil {
			return fail(err)
		}
		secret := c.Secret
		switch have := api.ToString(cur.ClientSecret); {
		case secret != "":
		case c.GenerateSecret && have != "":
			secret = have
		case c.GenerateSecret:
			secret = ids.ClientSecret()
		}
		newSecret, err := a.svc.SetUserPoolClientSecret(ctx, poolID, id, secret)
		if err != nil {
			return fail(err)
		}
		if updated || newSecret {
			ch.Action, ch.ID = "updated", id
			a.changed(ch)
		}
	}
	return nil
}

// clientsByName lists a pool's app clients by name, leaving out those the
// file names by ID.
func (a *applier) clientsByName(ctx context.Context, poolID string, declared map[string]bool) (map[string][]string, error) {
	out := map[string][]string{}
	var next *string
	for {
		page, err := a.svc.ListUserPoolClients(ctx, &api.ListUserPoolClientsRequest{UserPoolId: &poolID, MaxResults: api.Int32(60), NextToken: next})
		if err != nil {
			return nil, err
		}
		for _, c := range page.UserPoolClients {
			if id := api.ToString(c.ClientId); !declared[id] {
				out[api.ToString(c.ClientName)] = append(out[api.ToString(c.ClientName)], id)
			}
		}
		if next = page.NextToken; next == nil {
			return out, nil
		}
	}
}

func (a *applier) user(ctx context.Context, path, poolID string, u *User) error {
	fail := func(err error) error { return a.fail(path, u.Username, err) }
	ch := Change{Path: path, Kind: "user", Name: u.Username, Pool: poolID}
	cur, err := a.svc.AdminGetUser(ctx, &api.AdminGetUserRequest{UserPoolId: &poolID, Username: &u.Username})
	if err != nil && !userNotFound(err) {
		return fail(err)
	}
	names := make([]string, 0, len(u.Attributes))
	for name := range u.Attributes {
		names = append(names, name)
	}
	sort.Strings(names)
	if cur == nil {
		in := &api.AdminCreateUserRequest{UserPoolId: &poolID, Username: &u.Username, MessageAction: api.String("SUPPRESS"), TemporaryPassword: u.Password}
		for _, name := range names {
			in.UserAttributes = append(in.UserAttributes, api.AttributeType{Name: api.String(name), Value: api.String(u.Attributes[name])})
		}
		if err := validate(in); err != nil {
			return fail(err)
		}
		if _, err := a.svc.AdminCreateUser(ctx, in); err != nil {
			return fail(err)
		}
		if _, err := a.svc.AdminSetUserState(ctx, poolID, u.Username, u.Password, u.Status); err != nil {
			return fail(err)
		}
		if !u.Enabled {
			if _, err := a.svc.AdminDisableUser(ctx, &api.AdminDisableUserRequest{UserPoolId: &poolID, Username: &u.Username}); err != nil {
				return fail(err)
			}
		}
		ch.Action = "created"
		a.changed(ch)
		return nil
	}
	updated := false
	have := map[string]string{}
	for _, at := range cur.UserAttributes {
		have[api.ToString(at.Name)] = api.ToString(at.Value)
	}
	var attrs []api.AttributeType
	for _, name := range names {
		v, ok := have[name]
		// A new email or phone number loses its verified flag unless the
		// same update sets it, so a declared flag goes along with it.
		flagOf, isFlag := strings.CutSuffix(name, "_verified")
		contactChanged := isFlag && u.Attributes[flagOf] != "" && have[flagOf] != u.Attributes[flagOf]
		if !ok || v != u.Attributes[name] || contactChanged {
			attrs = append(attrs, api.AttributeType{Name: api.String(name), Value: api.String(u.Attributes[name])})
		}
	}
	if len(attrs) > 0 {
		in := &api.AdminUpdateUserAttributesRequest{UserPoolId: &poolID, Username: &u.Username, UserAttributes: attrs}
		if err := validate(in); err != nil {
			return fail(err)
		}
		if _, err := a.svc.AdminUpdateUserAttributes(ctx, in); err != nil {
			return fail(err)
		}
		updated = true
	}
	if u.Password != nil {
		in := &api.AdminSetUserPasswordRequest{UserPoolId: &poolID, Username: &u.Username, Password: u.Password}
		if err := validate(in); err != nil {
			return fail(err)
		}
	}
	stateChanged, err := a.svc.AdminSetUserState(ctx, poolID, u.Username, u.Password, u.Status)
	if err != nil {
		return fail(err)
	}
	updated = updated || stateChanged
	if enabled := api.ToBool(cur.Enabled); enabled != u.Enabled {
		if u.Enabled {
			_, err = a.svc.AdminEnableUser(ctx, &api.AdminEnableUserRequest{UserPoolId: &poolID, Username: &u.Username})
		} else {
			_, err = a.svc.AdminDisableUser(ctx, &api.AdminDisableUserRequest{UserPoolId: &poolID, Username: &u.Username})
		}
		if err != nil {
			return fail(err)
		}
		updated = true
	}
	if updated {
		ch.Action = "updated"
		a.changed(ch)
	}
	return nil
}
