package service

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/userpool/userpool/api"
	"github.com/userpool/userpool/internal/ids"
	"github.com/userpool/userpool/internal/password"
	"github.com/userpool/userpool/internal/store"
)

// pool is a stored pool with its settings decoded. Settings are kept as the
// API's own UserPoolType, so DescribeUserPool echoes every setting given.
type pool struct {
	store.Pool
	cfg *api.UserPoolType
}

// decodePool decodes a stored pool's settings; shared ones come from the
// cache and must not be modified (see settingsCache).
func decodePool(p store.Pool, shared bool) (*pool, error) {
	cfg, err := poolSettings.decode(p.ID, p.Settings, shared)
	if err != nil {
		return nil, fmt.Errorf("service: decode pool %s: %w", p.ID, err)
	}
	return &pool{Pool: p, cfg: cfg}, nil
}

func (p *pool) encode() (store.Pool, error) {
	b, err := json.Marshal(p.cfg)
	p.Settings = b
	return p.Pool, err
}

// loadPool reads a pool through r (the store or a transaction). Outside a
// transaction the decoded settings may come from a cache and are shared:
// only transactions get settings they may change.
func loadPool(ctx context.Context, r store.Reader, id string) (*pool, error) {
	sp, err := r.GetPool(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return nil, errPoolNotFound(id)
	}
	if err != nil {
		return nil, err
	}
	_, inTx := r.(store.Tx)
	return decodePool(sp, !inTx)
}

// caseSensitive reports whether usernames (and aliases) match exactly. Pools
// created without UsernameConfiguration are case-sensitive, as in AWS.
func (p *pool) caseSensitive() bool {
	return p.cfg.UsernameConfiguration == nil || p.cfg.UsernameConfiguration.CaseSensitive == nil || *p.cfg.UsernameConfiguration.CaseSensitive
}

// fold normalises a username or alias for lookup.
func (p *pool) fold(s string) string {
	if p.caseSensitive() {
		return s
	}
	return strings.ToLower(s)
}

func (p *pool) usernameAttribute(name string) bool {
	return slices.Contains(p.cfg.UsernameAttributes, name)
}
func (p *pool) aliasAttribute(name string) bool { return slices.Contains(p.cfg.AliasAttributes, name) }
func (p *pool) autoVerified(name string) bool {
	return slices.Contains(p.cfg.AutoVerifiedAttributes, name)
}

func (p *pool) passwordPolicy() password.Policy {
	if p.cfg.Policies == nil || p.cfg.Policies.PasswordPolicy == nil {
		return password.Default
	}
	pp := p.cfg.Policies.PasswordPolicy
	return password.Policy{
		MinimumLength:    int(api.ToInt32(pp.MinimumLength)),
		RequireUppercase: api.ToBool(pp.RequireUppercase),
		RequireLowercase: api.ToBool(pp.RequireLowercase),
		RequireNumbers:   api.ToBool(pp.RequireNumbers),
		RequireSymbols:   api.ToBool(pp.RequireSymbols),
	}
}

// temporaryPasswordValidityDays is how long an administrator-set password
// may be used to sign in.
func (p *pool) temporaryPasswordValidityDays() int {
	if p.cfg.Policies != nil && p.cfg.Policies.PasswordPolicy != nil && p.cfg.Policies.PasswordPolicy.TemporaryPasswordValidityDays != nil {
		return int(*p.cfg.Policies.PasswordPolicy.TemporaryPasswordValidityDays)
	}
	return 7
}

func (p *pool) schemaAttr(name string) *api.SchemaAttributeType {
	if i := schemaIndex(p.cfg.SchemaAttributes, name); i >= 0 {
		return &p.cfg.SchemaAttributes[i]
	}
	return nil
}

func (p *pool) arn(region, account string) string {
	return fmt.Sprintf("arn:aws:cognito-idp:%s:%s:userpool/%s", region, account, p.ID)
}

// regionOf returns the region part of a pool ID.
func regionOf(poolID string) string {
	region, _, _ := strings.Cut(poolID, "_")
	return region
}

// settingsOf is what CreateUserPool and UpdateUserPool share: the request
// fields that map one to one onto UserPoolType.
func settingsOf(in any) (*api.UserPoolType, error) {
	b, err := json.Marshal(in)
	if err != nil {
		return nil, err
	}
	cfg := &api.UserPoolType{}
	return cfg, json.Unmarshal(b, cfg)
}

// applyPoolDefaults fills what AWS fills for settings left out, and checks
// the settings AWS checks beyond the model's constraints.
func applyPoolDefaults(cfg *api.UserPoolType) error {
	if cfg.Policies == nil {
		cfg.Policies = &api.UserPoolPolicyType{}
	}
	if cfg.Policies.PasswordPolicy == nil {
		d := password.Default
		cfg.Policies.PasswordPolicy = &api.PasswordPolicyType{
			MinimumLength: api.Int32(int32(d.MinimumLength)), RequireUppercase: api.Bool(d.RequireUppercase),
			RequireLowercase: api.Bool(d.RequireLowercase), RequireNumbers: api.Bool(d.RequireNumbers),
			RequireSymbols: api.Bool(d.RequireSymbols),
		}
	}
	pp := cfg.Policies.PasswordPolicy
	if pp.MinimumLength == nil {
		pp.MinimumLength = api.Int32(8)
	}
	for _, b := range []**bool{&pp.RequireUppercase, &pp.RequireLowercase, &pp.RequireNumbers, &pp.RequireSymbols} {
		if *b == nil {
			*b = api.Bool(false)
		}
	}
	if pp.TemporaryPasswordValidityDays == nil {
		days := int32(7)
		if cfg.AdminCreateUserConfig != nil && cfg.AdminCreateUserConfig.UnusedAccountValidityDays != nil {
			days = *cfg.AdminCreateUserConfig.UnusedAccountValidityDays
		}
		pp.TemporaryPasswordValidityDays = api.Int32(days)
	}
	if cfg.Policies.SignInPolicy == nil {
		cfg.Policies.SignInPolicy = &api.SignInPolicyType{AllowedFirstAuthFactors: []string{"PASSWORD"}}
	}
	if cfg.AdminCreateUserConfig == nil {
		cfg.AdminCreateUserConfig = &api.AdminCreateUserConfigType{}
	}
	if cfg.AdminCreateUserConfig.AllowAdminCreateUserOnly == nil {
		cfg.AdminCreateUserConfig.AllowAdminCreateUserOnly = api.Bool(false)
	}
	if cfg.AdminCreateUserConfig.UnusedAccountValidityDays == nil {
		cfg.AdminCreateUserConfig.UnusedAccountValidityDays = api.Int32(*pp.TemporaryPasswordValidityDays)
	}
	if cfg.MfaConfiguration == nil {
		cfg.MfaConfiguration = api.String("OFF")
	}
	if cfg.DeletionProtection == nil {
		cfg.DeletionProtection = api.String("INACTIVE")
	}
	if cfg.LambdaConfig == nil {
		cfg.LambdaConfig = &api.LambdaConfigType{}
	}
	if cfg.EmailConfiguration == nil {
		cfg.EmailConfiguration = &api.EmailConfigurationType{EmailSendingAccount: api.String("COGNITO_DEFAULT")}
	}
	if cfg.VerificationMessageTemplate == nil {
		cfg.VerificationMessageTemplate = &api.VerificationMessageTemplateType{}
	}
	vmt := cfg.VerificationMessageTemplate
	if vmt.DefaultEmailOption == nil {
		vmt.DefaultEmailOption = api.String("CONFIRM_WITH_CODE")
	}
	// The legacy top-level message fields and the template mirror each other.
	mirror := func(a, b **string) {
		if *a == nil {
			*a = *b
		} else if *b == nil {
			*b = *a
		}
	}
	mirror(&vmt.EmailMessage, &cfg.EmailVerificationMessage)
	mirror(&vmt.EmailSubject, &cfg.EmailVerificationSubject)
	mirror(&vmt.SmsMessage, &cfg.SmsVerificationMessage)
	if cfg.UserAttributeUpdateSettings == nil {
		cfg.UserAttributeUpdateSettings = &api.UserAttributeUpdateSettingsType{AttributesRequireVerificationBeforeUpdate: []string{}}
	}
	for _, a := range cfg.UserAttributeUpdateSettings.AttributesRequireVerificationBeforeUpdate {
		if !slices.Contains(cfg.AutoVerifiedAttributes, a) {
			return invalidParam("The attribute %s must be in AutoVerifiedAttributes to require verification before update.", a)
		}
	}
	if cfg.UserPoolTier == nil {
		cfg.UserPoolTier = api.String("ESSENTIALS")
	}
	if cfg.AccountRecoverySetting != nil {
		if err := checkRecoverySetting(cfg.AccountRecoverySetting); err != nil {
			return err
		}
	}
	return nil
}

func checkRecoverySetting(rs *api.AccountRecoverySettingType) error {
	seenPriority := map[int32]bool{}
	seenName := map[string]bool{}
	for _, m := range rs.RecoveryMechanisms {
		name, prio := api.ToString(m.Name), api.ToInt32(m.Priority)
		if seenPriority[prio] || seenName[name] {
			return invalidParam("Recovery mechanisms must have distinct names and priorities.")
		}
		seenPriority[prio], seenName[name] = true, true
	}
	if seenName["admin_only"] && len(rs.RecoveryMechanisms) > 1 {
		return invalidParam("admin_only can not be combined with other recovery mechanisms.")
	}
	return nil
}

// CreateUserPool creates a pool with every setting given, AWS's defaults for
// the rest.
func (s *Service) CreateUserPool(ctx context.Context, in *api.CreateUserPoolRequest) (*api.CreateUserPoolResponse, error) {
	return s.createUserPool(ctx, ids.PoolID(s.region), in)
}

// createUserPool is CreateUserPool with the new pool's ID given.
func (s *Service) createUserPool(ctx context.Context, id string, in *api.CreateUserPoolRequest) (*api.CreateUserPoolResponse, error) {
	cfg, err := settingsOf(in)
	if err != nil {
		return nil, err
	}
	if len(in.UsernameAttributes) > 0 && len(in.AliasAttributes) > 0 {
		return nil, invalidParam("Only one of the aliasAttributes or usernameAttributes can be set in a User Pool.")
	}
	if cfg.SchemaAttributes, err = buildSchema(in.Schema); err != nil {
		return nil, err
	}
	if err := applyPoolDefaults(cfg); err != nil {
		return nil, err
	}
	now := s.clock()
	p := &pool{Pool: store.Pool{ID: id, Name: api.ToString(in.PoolName), CreatedAt: now, UpdatedAt: now}, cfg: cfg}
	sp, err := p.encode()
	if err != nil {
		return nil, err
	}
	if err := s.store.Update(ctx, func(tx store.Tx) error { return tx.CreatePool(ctx, sp) }); err != nil {
		return nil, err
	}
	return &api.CreateUserPoolResponse{UserPool: s.describePool(p, 0)}, nil
}

// describePool is the UserPoolType AWS returns: the settings plus the
// fields the server owns.
func (s *Service) describePool(p *pool, users int) *api.UserPoolType {
	out := *p.cfg
	out.Id = api.String(p.ID)
	out.Name = api.String(p.Name)
	out.Arn = api.String(p.arn(regionOf(p.ID), s.accountID))
	out.CreationDate = api.NewTimestamp(p.CreatedAt)
	out.LastModifiedDate = api.NewTimestamp(p.UpdatedAt)
	out.EstimatedNumberOfUsers = api.Int32(int32(users))
	return &out
}

// DescribeUserPool returns a pool's settings.
func (s *Service) DescribeUserPool(ctx context.Context, in *api.DescribeUserPoolRequest) (*api.DescribeUserPoolResponse, error) {
	p, err := loadPool(ctx, s.store, api.ToString(in.UserPoolId))
	if err != nil {
		return nil, err
	}
	n, err := s.store.CountUsers(ctx, p.ID)
	if err != nil {
		return nil, err
	}
	return &api.DescribeUserPoolResponse{UserPool: s.describePool(p, n)}, nil
}

// UpdateUserPool replaces a pool's mutable settings. As in AWS, a setting
// left out of the request returns to its default; the schema, username and
// alias attributes and username case sensitivity cannot change.
func (s *Service) UpdateUserPool(ctx context.Context, in *api.UpdateUserPoolRequest) (*api.UpdateUserPoolResponse, error) {
	cfg, err := settingsOf(in)
	if err != nil {
		return nil, err
	}
	err = s.store.Update(ctx, func(tx store.Tx) error {
		p, err := loadPool(ctx, tx, api.ToString(in.UserPoolId))
		if err != nil {
			return err
		}
		cfg.SchemaAttributes = p.cfg.SchemaAttributes
		cfg.UsernameAttributes = p.cfg.UsernameAttributes
		cfg.AliasAttributes = p.cfg.AliasAttributes
		cfg.UsernameConfiguration = p.cfg.UsernameConfiguration
		cfg.Domain, cfg.CustomDomain = p.cfg.Domain, p.cfg.CustomDomain
		if err := applyPoolDefaults(cfg); err != nil {
			return err
		}
		p.cfg = cfg
		if in.PoolName != nil {
			p.Name = *in.PoolName
		}
		p.UpdatedAt = s.clock()
		sp, err := p.encode()
		if err != nil {
			return err
		}
		return tx.UpdatePool(ctx, sp)
	})
	if err != nil {
		return nil, err
	}
	return &api.UpdateUserPoolResponse{}, nil
}

// DeleteUserPool deletes a pool with its clients and users, unless deletion
// protection is on.
func (s *Service) DeleteUserPool(ctx context.Context, in *api.DeleteUserPoolRequest) error {
	return s.store.Update(ctx, func(tx store.Tx) error {
		p, err := loadPool(ctx, tx, api.ToString(in.UserPoolId))
		if err != nil {
			return err
		}
		if api.ToString(p.cfg.DeletionProtection) == "ACTIVE" {
			return invalidParam("The user pool cannot be deleted because deletion protection is activated. Deletion protection must be inactivated first.")
		}
		return tx.DeletePool(ctx, p.ID)
	})
}

// ListUserPools pages through pools in ID order.
func (s *Service) ListUserPools(ctx context.Context, in *api.ListUserPoolsRequest) (*api.ListUserPoolsResponse, error) {
	after, err := decodeToken(api.ToString(in.NextToken))
	if err != nil {
		return nil, err
	}
	limit := int(api.ToInt32(in.MaxResults))
	pools, err := s.store.ListPools(ctx, after, limit+1)
	if err != nil {
		return nil, err
	}
	out := &api.ListUserPoolsResponse{UserPools: []api.UserPoolDescriptionType{}}
	if len(pools) > limit {
		pools = pools[:limit]
		out.NextToken = api.String(encodeToken(pools[limit-1].ID))
	}
	for _, sp := range pools {
		p, err := decodePool(sp, true)
		if err != nil {
			return nil, err
		}
		out.UserPools = append(out.UserPools, api.UserPoolDescriptionType{
			Id: api.String(p.ID), Name: api.String(p.Name), LambdaConfig: p.cfg.LambdaConfig,
			CreationDate: api.NewTimestamp(p.CreatedAt), LastModifiedDate: api.NewTimestamp(p.UpdatedAt),
		})
	}
	return out, nil
}

// AddCustomAttributes adds custom attributes to a pool's schema.
func (s *Service) AddCustomAttributes(ctx context.Context, in *api.AddCustomAttributesRequest) (*api.AddCustomAttributesResponse, error) {
	err := s.store.Update(ctx, func(tx store.Tx) error {
		p, err := loadPool(ctx, tx, api.ToString(in.UserPoolId))
		if err != nil {
			return err
		}
		custom := 0
		for _, a := range p.cfg.SchemaAttributes {
			if strings.HasPrefix(api.ToString(a.Name), "custom:") {
				custom++
			}
		}
		for _, r := range in.CustomAttributes {
			c, err := customAttribute(r)
			if err != nil {
				return err
			}
			if p.schemaAttr(api.ToString(c.Name)) != nil {
				return invalidParam("%s: Existing attribute already has name %s.", api.ToString(c.Name), api.ToString(c.Name))
			}
			p.cfg.SchemaAttributes = append(p.cfg.SchemaAttributes, c)
			custom++
		}
		if custom > maxCustomAttributes {
			return invalidParam("A user pool can have at most %d custom attributes.", maxCustomAttributes)
		}
		p.UpdatedAt = s.clock()
		sp, err := p.encode()
		if err != nil {
			return err
		}
		return tx.UpdatePool(ctx, sp)
	})
	if err != nil {
		return nil, err
	}
	return &api.AddCustomAttributesResponse{}, nil
}

// Pagination tokens are opaque to clients: the sort key of the last item
// returned, base64-encoded.
func encodeToken(after string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(after))
}

func decodeToken(token string) (string, error) {
	if token == "" {
		return "", nil
	}
	b, err := base64.RawURLEncoding.DecodeString(token)
	if err != nil {
		return "", invalidParam("Invalid pagination token.")
	}
	return string(b), nil
}
