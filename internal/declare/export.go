package declare

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"

	"gopkg.in/yaml.v3"

	"github.com/userpool/userpool/api"
	"github.com/userpool/userpool/internal/service"
)

// Export reads every pool of svc, with its app clients (IDs and secrets
// included) and users, as a File that Apply turns an empty store into the
// same pools, clients and users. Passwords cannot be exported: users come
// without one. In pools where an email or phone number is the username,
// users are listed by it (their internal username is not kept).
func Export(ctx context.Context, svc *service.Service) (*File, error) {
	f := &File{}
	var next *string
	for {
		page, err := svc.ListUserPools(ctx, &api.ListUserPoolsRequest{MaxResults: api.Int32(60), NextToken: next})
		if err != nil {
			return nil, err
		}
		for _, d := range page.UserPools {
			p, err := exportPool(ctx, svc, api.ToString(d.Id))
			if err != nil {
				return nil, fmt.Errorf("pool %s: %w", api.ToString(d.Id), err)
			}
			f.Pools = append(f.Pools, p)
		}
		if next = page.NextToken; next == nil {
			return f, nil
		}
	}
}

func exportPool(ctx context.Context, svc *service.Service, id string) (Pool, error) {
	p := Pool{ID: id}
	out, err := svc.DescribeUserPool(ctx, &api.DescribeUserPoolRequest{UserPoolId: &id})
	if err != nil {
		return p, err
	}
	desc := out.UserPool
	p.Name = api.ToString(desc.Name)
	// CreateUserPool's fields are the settings; the server's own (Id, Arn,
	// dates, counts) have no place in it and are left behind.
	if err := convert(desc, &p.Settings); err != nil {
		return p, err
	}
	p.Settings.PoolName = nil
	p.Settings.Schema = customSchema(desc.SchemaAttributes)

	var next *string
	for {
		page, err := svc.ListUserPoolClients(ctx, &api.ListUserPoolClientsRequest{UserPoolId: &id, MaxResults: api.Int32(60), NextToken: next})
		if err != nil {
			return p, err
		}
		for _, d := range page.UserPoolClients {
			out, err := svc.DescribeUserPoolClient(ctx, &api.DescribeUserPoolClientRequest{UserPoolId: &id, ClientId: d.ClientId})
			if err != nil {
				return p, err
			}
			c := out.UserPoolClient
			e := Client{ID: api.ToString(c.ClientId), Name: api.ToString(c.ClientName), Secret: api.ToString(c.ClientSecret)}
			if err := convert(c, &e.Settings); err != nil {
				return p, err
			}
			e.Settings.ClientName, e.Settings.UserPoolId, e.Settings.ClientSecret = nil, nil, nil
			p.Clients = append(p.Clients, e)
		}
		if next = page.NextToken; next == nil {
			break
		}
	}

	var token *string
	for {
		page, err := svc.ListUsers(ctx, &api.ListUsersRequest{UserPoolId: &id, Limit: api.Int32(60), PaginationToken: token})
		if err != nil {
			return p, err
		}
		for _, u := range page.Users {
			e := User{Username: api.ToString(u.Username), Status: api.ToString(u.UserStatus), Enabled: api.ToBool(u.Enabled), Attributes: map[string]string{}}
			for _, a := range u.Attributes {
				if name := api.ToString(a.Name); name != "sub" {
					e.Attributes[name] = api.ToString(a.Value)
				}
			}
			// Where an email or phone number is the username, the internal
			// username is generated; the user is created by that attribute.
			for _, attr := range desc.UsernameAttributes {
				if v := e.Attributes[attr]; v != "" {
					e.Username = v
					break
				}
			}
			p.Users = append(p.Users, e)
		}
		if token = page.PaginationToken; token == nil {
			break
		}
	}
	return p, nil
}

// customSchema is the Schema that recreates a pool's schema: its custom
// attributes and the standard ones whose settings are not the default.
func customSchema(attrs []api.SchemaAttributeType) []api.SchemaAttributeType {
	standard := map[string]string{}
	for _, s := range service.StandardSchema() {
		b, _ := json.Marshal(s)
		standard[api.ToString(s.Name)] = string(b)
	}
	var out []api.SchemaAttributeType
	for _, a := range attrs {
		def, ok := standard[api.ToString(a.Name)]
		if b, _ := json.Marshal(a); ok && string(b) == def {
			continue
		}
		out = append(out, a)
	}
	return out
}

// The file's shape, for writing.
type (
	filePools struct {
		Pools []filePool `yaml:"pools" json:"pools"`
	}
	filePool struct {
		ID       string         `yaml:"id,omitempty" json:"id,omitempty"`
		Name     string         `yaml:"name" json:"name"`
		Settings map[string]any `yaml:"settings,omitempty" json:"settings,omitempty"`
		Clients  []fileClient   `yaml:"clients,omitempty" json:"clients,omitempty"`
		Users    []fileUser     `yaml:"users,omitempty" json:"users,omitempty"`
	}
	fileClient struct {
		ID             string         `yaml:"id,omitempty" json:"id,omitempty"`
		Name           string         `yaml:"name" json:"name"`
		Secret         string         `yaml:"secret,omitempty" json:"secret,omitempty"`
		GenerateSecret bool           `yaml:"generateSecret,omitempty" json:"generateSecret,omitempty"`
		Settings       map[string]any `yaml:"settings,omitempty" json:"settings,omitempty"`
	}
	fileUser struct {
		Username   string            `yaml:"username" json:"username"`
		Password   *string           `yaml:"password,omitempty" json:"password,omitempty"`
		Status     string            `yaml:"status" json:"status"`
		Enabled    *bool             `yaml:"enabled,omitempty" json:"enabled,omitempty"`
		Attributes map[string]string `yaml:"attributes,omitempty" json:"attributes,omitempty"`
	}
)

// exportHeader opens a YAML file Encode writes.
const exportHeader = `# userpool declarative setup: apply with "userpool apply -f <file>" or
# "userpool serve --config <file>". Passwords are not exported: applying
# leaves an existing user's password alone and gives a new user a random one.
`

// Encode writes f in format "yaml" or "json".
func Encode(w io.Writer, f *File, format string) error {
	out := filePools{Pools: []filePool{}}
	for _, p := range f.Pools {
		fp := filePool{ID: p.ID, Name: p.Name}
		var err error
		if fp.Settings, err = settingsMap(p.Settings); err != nil {
			return err
		}
		for _, c := range p.Clients {
			fc := fileClient{ID: c.ID, Name: c.Name, Secret: c.Secret, GenerateSecret: c.GenerateSecret}
			if fc.Settings, err = settingsMap(c.Settings); err != nil {
				return err
			}
			fp.Clients = append(fp.Clients, fc)
		}
		for _, u := range p.Users {
			fu := fileUser{Username: u.Username, Password: u.Password, Status: u.Status, Attributes: u.Attributes}
			if !u.Enabled {
				fu.Enabled = api.Bool(false)
			}
			if len(fu.Attributes) == 0 {
				fu.Attributes = nil
			}
			fp.Users = append(fp.Users, fu)
		}
		out.Pools = append(out.Pools, fp)
	}
	switch format {
	case "json":
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		return enc.Encode(out)
	case "yaml", "":
		var buf bytes.Buffer
		buf.WriteString(exportHeader)
		enc := yaml.NewEncoder(&buf)
		enc.SetIndent(2)
		if err := enc.Encode(out); err != nil {
			return err
		}
		if err := enc.Close(); err != nil {
			return err
		}
		_, err := w.Write(buf.Bytes())
		return err
	default:
		return fmt.Errorf("unknown format %q (use yaml or json)", format)
	}
}

// settingsMap turns an API shape into plain maps, lists and values.
func settingsMap(v any) (map[string]any, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil {
		return nil, err
	}
	if len(m) == 0 {
		return nil, nil
	}
	return plainNumbers(m).(map[string]any), nil
}

// plainNumbers replaces json.Numbers (which YAML would write as strings)
// with int64 or float64.
func plainNumbers(v any) any {
	switch v := v.(type) {
	case map[string]any:
		for k, e := range v {
			v[k] = plainNumbers(e)
		}
	case []any:
		for i, e := range v {
			v[i] = plainNumbers(e)
		}
	case json.Number:
		if i, err := v.Int64(); err == nil {
			return i
		}
		f, _ := v.Float64()
		return f
	}
	return v
}
