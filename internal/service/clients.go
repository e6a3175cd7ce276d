package service

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/userpool/userpool/api"
	"github.com/userpool/userpool/internal/ids"
	"github.com/userpool/userpool/internal/store"
)

// client is a stored app client with its settings decoded.
type client struct {
	store.Client
	cfg *api.UserPoolClientType
}

// decodeClient decodes a stored client's settings; shared ones come from
// the cache and must not be modified (see settingsCache).
func decodeClient(c store.Client, shared bool) (*client, error) {
	cfg, err := clientSettings.decode(c.ID, c.Settings, shared)
	if err != nil {
		return nil, fmt.Errorf("service: decode client %s: %w", c.ID, err)
	}
	return &client{Client: c, cfg: cfg}, nil
}

func (c *client) encode() (store.Client, error) {
	b, err := json.Marshal(c.cfg)
	c.Settings = b
	return c.Client, err
}

func (c *client) secret() string { return api.ToString(c.cfg.ClientSecret) }

// preventUserExistenceErrors reports whether the client hides which users exist.
func (c *client) preventUserExistenceErrors() bool {
	return api.ToString(c.cfg.PreventUserExistenceErrors) == "ENABLED"
}

// loadClient finds an app client by its ID alone, as client-side operations
// (SignUp, InitiateAuth, ...) name only the client.
func loadClient(ctx context.Context, r store.Reader, id string) (*client, error) {
	sc, err := r.GetClient(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return nil, errClientNotFound(id)
	}
	if err != nil {
		return nil, err
	}
	_, inTx := r.(store.Tx)
	return decodeClient(sc, !inTx)
}

// loadPoolClient finds an app client of the given pool.
func loadPoolClient(ctx context.Context, r store.Reader, poolID, clientID string) (*pool, *client, error) {
	p, err := loadPool(ctx, r, poolID)
	if err != nil {
		return nil, nil, err
	}
	c, err := loadClient(ctx, r, clientID)
	if err != nil {
		return nil, nil, err
	}
	if c.PoolID != p.ID {
		return nil, nil, errClientNotFound(clientID)
	}
	return p, c, nil
}

// loadClientAndPool is what client-side operations start with.
func loadClientAndPool(ctx context.Context, r store.Reader, clientID string) (*pool, *client, error) {
	c, err := loadClient(ctx, r, clientID)
	if err != nil {
		return nil, nil, err
	}
	p, err := loadPool(ctx, r, c.PoolID)
	if err != nil {
		return nil, nil, err
	}
	return p, c, nil
}

// SecretHash is Base64(HMAC-SHA256(clientSecret, username + clientID)), the
// proof of the client secret that client-side operations carry.
func SecretHash(clientSecret, username, clientID string) string {
	m := hmac.New(sha256.New, []byte(clientSecret))
	m.Write([]byte(username + clientID))
	return base64.StdEncoding.EncodeToString(m.Sum(nil))
}

// checkSecretHash enforces the client secret: a client with one must send a
// SECRET_HASH computed over one of the names the user may be known by.
func (c *client) checkSecretHash(hash *string, usernames ...string) error {
	secret := c.secret()
	if secret == "" {
		return nil
	}
	if hash == nil || *hash == "" {
		return api.NewNotAuthorizedException(fmt.Sprintf("Client %s is configured for secret but secret was not received", c.ID))
	}
	given, err := base64.StdEncoding.DecodeString(*hash)
	ok := false
	if err == nil {
		for _, name := range usernames {
			if name == "" {
				continue
			}
			want, _ := base64.StdEncoding.DecodeString(SecretHash(secret, name, c.ID))
			if hmac.Equal(given, want) {
				ok = true
			}
		}
	}
	if !ok {
		return api.NewNotAuthorizedException(fmt.Sprintf("Unable to verify secret hash for client %s", c.ID))
	}
	return nil
}

// Auth flows a client allows when it names none (AWS's documented default).
var defaultAuthFlows = []string{"ALLOW_USER_SRP_AUTH", "ALLOW_CUSTOM_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"}

// clientSettings maps the settings of CreateUserPoolClient and
// UpdateUserPoolClient onto UserPoolClientType, checks them, and fills AWS's
// defaults.
func (s *Service) clientSettings(p *pool, in any) (*api.UserPoolClientType, error) {
	b, err := json.Marshal(in)
	if err != nil {
		return nil, err
	}
	cfg := &api.UserPoolClientType{}
	if err := json.Unmarshal(b, cfg); err != nil {
		return nil, err
	}
	var legacy, allow bool
	for _, f := range cfg.ExplicitAuthFlows {
		if strings.HasPrefix(f, "ALLOW_") {
			allow = true
		} else {
			legacy = true
		}
	}
	if legacy && allow {
		return nil, invalidParam("ExplicitAuthFlows can't have both ALLOW_ and legacy (non ALLOW_) values.")
	}
	if cfg.RefreshTokenValidity == nil {
		cfg.RefreshTokenValidity = api.Int32(30)
	}
	if cfg.AuthSessionValidity == nil {
		cfg.AuthSessionValidity = api.Int32(3)
	}
	if err := checkTokenValidity(cfg); err != nil {
		return nil, err
	}
	if cfg.PreventUserExistenceErrors == nil {
		cfg.PreventUserExistenceErrors = api.String("LEGACY")
	}
	if cfg.EnableTokenRevocation == nil {
		cfg.EnableTokenRevocation = api.Bool(true)
	}
	if cfg.EnablePropagateAdditionalUserContextData == nil {
		cfg.EnablePropagateAdditionalUserContextData = api.Bool(false)
	}
	if cfg.AllowedOAuthFlowsUserPoolClient == nil {
		cfg.AllowedOAuthFlowsUserPoolClient = api.Bool(false)
	}
	for _, list := range []struct {
		attrs []string
		kind  string
	}{{cfg.ReadAttributes, "read"}, {cfg.WriteAttributes, "write"}} {
		for _, a := range list.attrs {
			if p.schemaAttr(a) == nil || (list.kind == "write" && a == "sub") {
				return nil, invalidParam("Invalid %s attributes specified while creating a client", list.kind)
			}
		}
	}
	return cfg, nil
}

// tokenLimits are the allowed validity ranges (Developer Guide, quotas).
var tokenLimits = map[string][2]time.Duration{
	"AccessToken":  {5 * time.Minute, 24 * time.Hour},
	"IdToken":      {5 * time.Minute, 24 * time.Hour},
	"RefreshToken": {time.Hour, 3650 * 24 * time.Hour},
}

func checkTokenValidity(cfg *api.UserPoolClientType) error {
	units := cfg.TokenValidityUnits
	if units == nil {
		units = &api.TokenValidityUnitsType{}
	}
	for _, t := range []struct {
		name  string
		value *int32
		unit  *string
		def   string
	}{
		{"AccessToken", cfg.AccessTokenValidity, units.AccessToken, "hours"},
		{"IdToken", cfg.IdTokenValidity, units.IdToken, "hours"},
		{"RefreshToken", cfg.RefreshTokenValidity, units.RefreshToken, "days"},
	} {
		if t.value == nil {
			continue
		}
		d := ValidityDuration(*t.value, api.ToString(t.unit), t.def)
		lim := tokenLimits[t.name]
		if d < lim[0] || d > lim[1] {
			return invalidParam("Invalid range for token validity.")
		}
	}
	if v := api.ToInt32(cfg.AuthSessionValidity); v < 3 || v > 15 {
		return invalidParam("Invalid range for auth session validity.")
	}
	return nil
}

// ValidityDuration converts a token validity and its unit (or the default
// unit when none is set) to a duration.
func ValidityDuration(value int32, unit, def string) time.Duration {
	if unit == "" {
		unit = def
	}
	d := time.Duration(value)
	switch unit {
	case "seconds":
		return d * time.Second
	case "minutes":
		return d * time.Minute
	case "hours":
		return d * time.Hour
	default:
		return d * 24 * time.Hour
	}
}

// CreateUserPoolClient adds an app client to a pool.
func (s *Service) CreateUserPoolClient(ctx context.Context, in *api.CreateUserPoolClientRequest) (*api.CreateUserPoolClientResponse, error) {
	return s.createUserPoolClient(ctx, ids.ClientID(), in)
}

// createUserPoolClient is CreateUserPoolClient with the new client's ID given.
func (s *Service) createUserPoolClient(ctx context.Context, id string, in *api.CreateUserPoolClientRequest) (*api.CreateUserPoolClientResponse, error) {
	var c *client
	err := s.store.Update(ctx, func(tx store.Tx) error {
		p, err := loadPool(ctx, tx, api.ToString(in.UserPoolId))
		if err != nil {
			return err
		}
		cfg, err := s.clientSettings(p, in)
		if err != nil {
			return err
		}
		switch {
		case in.ClientSecret != nil && api.ToBool(in.GenerateSecret):
			return invalidParam("Cannot set both ClientSecret and GenerateSecret.")
		case in.ClientSecret != nil:
			cfg.ClientSecret = in.ClientSecret
		case api.ToBool(in.GenerateSecret):
			cfg.ClientSecret = api.String(ids.ClientSecret())
		}
		now := s.clock()
		c = &client{Client: store.Client{ID: id, PoolID: p.ID, Name: api.ToString(in.ClientName), CreatedAt: now, UpdatedAt: now}, cfg: cfg}
		sc, err := c.encode()
		if err != nil {
			return err
		}
		return tx.CreateClient(ctx, sc)
	})
	if err != nil {
		return nil, err
	}
	return &api.CreateUserPoolClientResponse{UserPoolClient: describeClient(c)}, nil
}

func describeClient(c *client) *api.UserPoolClientType {
	out := *c.cfg
	out.ClientId = api.String(c.ID)
	out.UserPoolId = api.String(c.PoolID)
	out.ClientName = api.String(c.Name)
	out.CreationDate = api.NewTimestamp(c.CreatedAt)
	out.LastModifiedDate = api.NewTimestamp(c.UpdatedAt)
	return &out
}

// DescribeUserPoolClient returns an app client's settings, secret included.
func (s *Service) DescribeUserPoolClient(ctx context.Context, in *api.DescribeUserPoolClientRequest) (*api.DescribeUserPoolClientResponse, error) {
	_, c, err := loadPoolClient(ctx, s.store, api.ToString(in.UserPoolId), api.ToString(in.ClientId))
	if err != nil {
		return nil, err
	}
	return &api.DescribeUserPoolClientResponse{UserPoolClient: describeClient(c)}, nil
}

// UpdateUserPoolClient replaces an app client's settings; as in AWS,
// settings left out return to their defaults. The secret stays.
func (s *Service) UpdateUserPoolClient(ctx context.Context, in *api.UpdateUserPoolClientRequest) (*api.UpdateUserPoolClientResponse, error) {
	var c *client
	err := s.store.Update(ctx, func(tx store.Tx) error {
		p, cur, err := loadPoolClient(ctx, tx, api.ToString(in.UserPoolId), api.ToString(in.ClientId))
		if err != nil {
			return err
		}
		cfg, err := s.clientSettings(p, in)
		if err != nil {
			return err
		}
		cfg.ClientSecret = cur.cfg.ClientSecret
		c = cur
		c.cfg = cfg
		if in.ClientName != nil {
			c.Name = *in.ClientName
		}
		c.UpdatedAt = s.clock()
		sc, err := c.encode()
		if err != nil {
			return err
		}
		return tx.UpdateClient(ctx, sc)
	})
	if err != nil {
		return nil, err
	}
	return &api.UpdateUserPoolClientResponse{UserPoolClient: describeClient(c)}, nil
}

// DeleteUserPoolClient removes an app client.
func (s *Service) DeleteUserPoolClient(ctx context.Context, in *api.DeleteUserPoolClientRequest) error {
	return s.store.Update(ctx, func(tx store.Tx) error {
		_, c, err := loadPoolClient(ctx, tx, api.ToString(in.UserPoolId), api.ToString(in.ClientId))
		if err != nil {
			return err
		}
		return tx.DeleteClient(ctx, c.ID)
	})
}

// ListUserPoolClients pages through a pool's app clients.
func (s *Service) ListUserPoolClients(ctx context.Context, in *api.ListUserPoolClientsRequest) (*api.ListUserPoolClientsResponse, error) {
	p, err := loadPool(ctx, s.store, api.ToString(in.UserPoolId))
	if err != nil {
		return nil, err
	}
	after, err := decodeToken(api.ToString(in.NextToken))
	if err != nil {
		return nil, err
	}
	limit := int(api.ToInt32(in.MaxResults))
	if limit == 0 {
		limit = 60
	}
	clients, err := s.store.ListClients(ctx, p.ID, after, limit+1)
	if err != nil {
		return nil, err
	}
	out := &api.ListUserPoolClientsResponse{UserPoolClients: []api.UserPoolClientDescription{}}
	if len(clients) > limit {
		clients = clients[:limit]
		out.NextToken = api.String(encodeToken(clients[limit-1].ID))
	}
	for _, c := range clients {
		out.UserPoolClients = append(out.UserPoolClients, api.UserPoolClientDescription{
			ClientId: api.String(c.ID), ClientName: api.String(c.Name), UserPoolId: api.String(c.PoolID),
		})
	}
	return out, nil
}

// allowsFlow reports whether the client permits an auth flow, by its
// ALLOW_ name; legacy names map to their ALLOW_ equivalents.
func (c *client) allowsFlow(allow string) bool {
	flows := c.cfg.ExplicitAuthFlows
	if len(flows) == 0 {
		flows = defaultAuthFlows
	}
	legacy := map[string]string{
		"ADMIN_NO_SRP_AUTH":     "ALLOW_ADMIN_USER_PASSWORD_AUTH",
		"USER_PASSWORD_AUTH":    "ALLOW_USER_PASSWORD_AUTH",
		"CUSTOM_AUTH_FLOW_ONLY": "ALLOW_CUSTOM_AUTH",
	}
	for _, f := range flows {
		if f == allow || legacy[f] == allow {
			return true
		}
	}
	// Legacy clients always allowed SRP and refresh.
	if !strings.HasPrefix(flows[0], "ALLOW_") && (allow == "ALLOW_USER_SRP_AUTH" || allow == "ALLOW_REFRESH_TOKEN_AUTH") {
		return !slices.Contains(flows, "CUSTOM_AUTH_FLOW_ONLY")
	}
	return false
}
