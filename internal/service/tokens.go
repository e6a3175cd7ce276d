package service

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"time"

	jose "github.com/go-jose/go-jose/v4"

	"github.com/userpool/userpool/api"
	"github.com/userpool/userpool/internal/ids"
	"github.com/userpool/userpool/internal/store"
	"github.com/userpool/userpool/internal/token"
)

// Token lifetimes when a client sets none (AWS's defaults).
const (
	defaultAccessValidity  = time.Hour
	defaultIDValidity      = time.Hour
	defaultRefreshValidity = 30 * 24 * time.Hour
)

func (c *client) accessValidity() time.Duration {
	if c.cfg.AccessTokenValidity == nil {
		return defaultAccessValidity
	}
	return ValidityDuration(*c.cfg.AccessTokenValidity, unitOf(c.cfg.TokenValidityUnits, "access"), "hours")
}

func (c *client) idValidity() time.Duration {
	if c.cfg.IdTokenValidity == nil {
		return defaultIDValidity
	}
	return ValidityDuration(*c.cfg.IdTokenValidity, unitOf(c.cfg.TokenValidityUnits, "id"), "hours")
}

func (c *client) refreshValidity() time.Duration {
	if c.cfg.RefreshTokenValidity == nil {
		return defaultRefreshValidity
	}
	return ValidityDuration(*c.cfg.RefreshTokenValidity, unitOf(c.cfg.TokenValidityUnits, "refresh"), "days")
}

func unitOf(u *api.TokenValidityUnitsType, which string) string {
	if u == nil {
		return ""
	}
	switch which {
	case "access":
		return api.ToString(u.AccessToken)
	case "id":
		return api.ToString(u.IdToken)
	}
	return api.ToString(u.RefreshToken)
}

// hashRefreshToken is how refresh tokens are stored: they are 256-bit
// random values, so a fast hash is enough to make a stolen database useless.
func hashRefreshToken(tok string) []byte {
	sum := sha256.Sum256([]byte(tok))
	return sum[:]
}

func newRefreshToken() string {
	b := make([]byte, 48)
	if _, err := rand.Read(b); err != nil {
		panic("service: crypto/rand failed: " + err.Error())
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// session is one sign-in: its refresh token record is the origin of every
// access and ID token issued from it.
type session struct {
	originJTI string
	authTime  time.Time
}

// startSession records a new sign-in of a user on a client: a refresh token
// whose ID is the origin of the access and ID tokens issued from it. The
// tokens are signed by finish, after the transaction commits (signing takes
// time the write lock should not be held for).
func (s *Service) startSession(ctx context.Context, tx store.Tx, p *pool, c *client, u *store.User) (*pendingTokens, error) {
	now := s.clock()
	refresh := newRefreshToken()
	rt := store.RefreshToken{
		ID: ids.UUID(), Hash: hashRefreshToken(refresh), PoolID: p.ID, Username: u.Username, ClientID: c.ID,
		AuthTime: now, CreatedAt: now, ExpiresAt: now.Add(c.refreshValidity()),
	}
	if err := tx.CreateRefreshToken(ctx, rt); err != nil {
		return nil, err
	}
	return &pendingTokens{p: p, c: c, u: *u, sess: session{originJTI: rt.ID, authTime: now}, refresh: refresh}, nil
}

// pendingTokens are the tokens of a sign-in whose transaction is committing.
type pendingTokens struct {
	p       *pool
	c       *client
	u       store.User
	sess    session
	refresh string
}

func (pt *pendingTokens) finish(ctx context.Context, s *Service) (*api.AuthenticationResultType, error) {
	res, err := s.issueTokens(ctx, pt.p, pt.c, &pt.u, pt.sess)
	if err != nil {
		return nil, err
	}
	res.RefreshToken = api.String(pt.refresh)
	return res, nil
}

// issueTokens signs a new access and ID token for a session.
func (s *Service) issueTokens(ctx context.Context, p *pool, c *client, u *store.User, sess session) (*api.AuthenticationResultType, error) {
	now := s.clock()
	iss := s.issuer(ctx, p.ID)
	eventID := ids.UUID()
	accessExp := now.Add(c.accessValidity())
	access := map[string]any{
		"sub":        u.Sub,
		"iss":        iss,
		"client_id":  c.ID,
		"origin_jti": sess.originJTI,
		"event_id":   eventID,
		"token_use":  "access",
		"scope":      "aws.cognito.signin.user.admin",
		"auth_time":  sess.authTime.Unix(),
		"exp":        accessExp.Unix(),
		"iat":        now.Unix(),
		"jti":        ids.UUID(),
		"username":   u.Username,
	}
	id := map[string]any{
		"sub":              u.Sub,
		"iss":              iss,
		"cognito:username": u.Username,
		"origin_jti":       sess.originJTI,
		"aud":              c.ID,
		"event_id":         eventID,
		"token_use":        "id",
		"auth_time":        sess.authTime.Unix(),
		"exp":              now.Add(c.idValidity()).Unix(),
		"iat":              now.Unix(),
		"jti":              ids.UUID(),
	}
	for _, a := range u.Attributes {
		if a.Name == "sub" || (c.cfg.ReadAttributes != nil && !contains(c.cfg.ReadAttributes, a.Name)) {
			continue
		}
		id[a.Name] = claimValue(p, a)
	}
	groups, err := s.store.ListGroupsOfUser(ctx, p.ID, u.Username)
	if err != nil {
		return nil, err
	}
	for k, v := range groupClaims(groups) {
		id[k] = v
		if k == "cognito:groups" {
			access[k] = v
		}
	}
	accessJWT, err := s.signClaims(ctx, p.ID, access)
	if err != nil {
		return nil, err
	}
	idJWT, err := s.signClaims(ctx, p.ID, id)
	if err != nil {
		return nil, err
	}
	return &api.AuthenticationResultType{
		AccessToken: api.String(accessJWT),
		IdToken:     api.String(idJWT),
		ExpiresIn:   api.Int32(int32(c.accessValidity() / time.Second)),
		TokenType:   api.String("Bearer"),
	}, nil
}

// claimValue types an attribute as the ID token carries it: booleans and
// numbers as JSON booleans and numbers, the rest as strings.
func claimValue(p *pool, a store.Attribute) any {
	sa := p.schemaAttr(a.Name)
	if sa == nil {
		return a.Value
	}
	switch api.ToString(sa.AttributeDataType) {
	case "Boolean":
		if b, err := strconv.ParseBool(a.Value); err == nil {
			return b
		}
	case "Number":
		if !strings.HasPrefix(a.Name, "custom:") {
			if n, err := strconv.ParseInt(a.Value, 10, 64); err == nil {
				return n
			}
		}
	}
	return a.Value
}

func (s *Service) signClaims(ctx context.Context, poolID string, claims map[string]any) (string, error) {
	payload, err := json.Marshal(claims)
	if err != nil {
		return "", err
	}
	return s.keys.Sign(ctx, poolID, payload)
}

// accessClaims are the claims of an access token that operations use.
type accessClaims struct {
	Iss       string `json:"iss"`
	Sub       string `json:"sub"`
	ClientID  string `json:"client_id"`
	OriginJTI string `json:"origin_jti"`
	TokenUse  string `json:"token_use"`
	Scope     string `json:"scope"`
	Username  string `json:"username"`
	Exp       int64  `json:"exp"`
	AuthTime  int64  `json:"auth_time"`
}

var (
	errInvalidAccessToken = api.NewNotAuthorizedException("Invalid Access Token")
	errExpiredAccessToken = api.NewNotAuthorizedException("Access Token has expired")
	errRevokedAccessToken = api.NewNotAuthorizedException("Access Token has been revoked")
)

// poolOfToken reads the pool ID from a JWT's (not yet verified) issuer, to
// know whose keys verify it.
func poolOfToken(raw string) (string, bool) {
	parts := strings.Split(raw, ".")
	if len(parts) != 3 {
		return "", false
	}
	payload, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		return "", false
	}
	var c struct {
		Iss string `json:"iss"`
	}
	if json.Unmarshal(payload, &c) != nil {
		return "", false
	}
	i := strings.LastIndexByte(c.Iss, '/')
	if i < 0 || i == len(c.Iss)-1 {
		return "", false
	}
	return c.Iss[i+1:], true
}

// authorize checks an access token as Cognito does for the operations that
// take one — signature, expiry, revocation (GlobalSignOut, RevokeToken) —
// and returns its pool, user and claims.
func (s *Service) authorize(ctx context.Context, r store.Reader, accessToken string) (*pool, store.User, accessClaims, error) {
	var claims accessClaims
	poolID, ok := poolOfToken(accessToken)
	if !ok {
		return nil, store.User{}, claims, errInvalidAccessToken
	}
	p, err := loadPool(ctx, r, poolID)
	if err != nil {
		var rnf *api.ResourceNotFoundException
		if errors.As(err, &rnf) {
			return nil, store.User{}, claims, errInvalidAccessToken
		}
		return nil, store.User{}, claims, err
	}
	payload, err := s.keys.Verify(ctx, p.ID, accessToken)
	if errors.Is(err, token.ErrInvalid) {
		return nil, store.User{}, claims, errInvalidAccessToken
	}
	if err != nil {
		return nil, store.User{}, claims, err
	}
	if json.Unmarshal(payload, &claims) != nil || claims.TokenUse != "access" || !strings.HasSuffix(claims.Iss, "/"+p.ID) {
		return nil, store.User{}, claims, errInvalidAccessToken
	}
	if !s.clock().Before(time.Unix(claims.Exp, 0)) {
		return nil, store.User{}, claims, errExpiredAccessToken
	}
	rt, err := r.GetRefreshToken(ctx, claims.OriginJTI)
	if errors.Is(err, store.ErrNotFound) || (err == nil && !rt.RevokedAt.IsZero()) {
		return nil, store.User{}, claims, errRevokedAccessToken
	}
	if err != nil {
		return nil, store.User{}, claims, err
	}
	u, err := r.FindUser(ctx, p.ID, "username:"+p.fold(claims.Username))
	if errors.Is(err, store.ErrNotFound) {
		return nil, store.User{}, claims, errUserNotFound
	}
	if err != nil {
		return nil, store.User{}, claims, err
	}
	if !u.Enabled {
		return nil, store.User{}, claims, errUserDisabled
	}
	return p, u, claims, nil
}

// JWKS returns the public keys that verify a pool's tokens.
func (s *Service) JWKS(ctx context.Context, poolID string) (jose.JSONWebKeySet, error) {
	if _, err := loadPool(ctx, s.store, poolID); err != nil {
		return jose.JSONWebKeySet{}, err
	}
	return s.keys.JWKS(ctx, poolID)
}

// RotateSigningKey gives a pool a new signing key; tokens signed with the
// old one stay valid until they expire.
func (s *Service) RotateSigningKey(ctx context.Context, poolID string) (string, error) {
	if _, err := loadPool(ctx, s.store, poolID); err != nil {
		return "", err
	}
	return s.keys.Rotate(ctx, poolID)
}

// Issuer is the iss claim of a pool's tokens for a request.
func (s *Service) Issuer(ctx context.Context, poolID string) string { return s.issuer(ctx, poolID) }
