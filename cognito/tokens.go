package cognito

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	jose "github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
)

// Claims are the verified claims of the ID and access tokens.
type Claims struct {
	ID     TokenClaims
	Access TokenClaims
}

// TokenClaims are the claims of one token: the common ones as fields, and
// all of them in Raw (JSON numbers as float64).
type TokenClaims struct {
	Subject  string // sub
	Username string // cognito:username (ID token) or username (access token)
	Issuer   string // iss
	ClientID string // aud (ID token) or client_id (access token)
	TokenUse string // "id" or "access"
	Scope    string // scope (access token)
	AuthTime time.Time
	IssuedAt time.Time
	Expiry   time.Time
	Raw      map[string]any
}

// keyURL is where the pool's signing keys are published.
func (c *Cognito) keyURL() string { return c.issuer + "/.well-known/jwks.json" }

// VerifyTokens verifies the ID and access tokens held, as pycognito's
// verify_tokens does and AWS's guide to verifying a JSON web token says:
// an RS256 signature by a key of the pool's JWKS (fetched from
// <issuer>/.well-known/jwks.json and cached; fetched again when a token
// names a key not in the cache), the issuer, the token use, the expiry,
// the audience of the ID token and the client_id of the access token, and
// the ID token's at_hash when it has one. It returns a
// *TokenVerificationError when a check fails and ErrNoTokens when either
// token is missing.
func (c *Cognito) VerifyTokens(ctx context.Context) (*Claims, error) {
	t := c.Tokens()
	if t.IDToken == "" || t.AccessToken == "" {
		return nil, ErrNoTokens
	}
	return c.verifyPair(ctx, t.IDToken, t.AccessToken)
}

func (c *Cognito) verifyPair(ctx context.Context, idToken, accessToken string) (*Claims, error) {
	access, err := c.verify(ctx, accessToken, "access")
	if err != nil {
		return nil, err
	}
	var id *TokenClaims
	if idToken != "" {
		if id, err = c.verify(ctx, idToken, "id"); err != nil {
			return nil, err
		}
		if atHash, ok := id.Raw["at_hash"].(string); ok {
			sum := sha256.Sum256([]byte(accessToken))
			if base64.RawURLEncoding.EncodeToString(sum[:len(sum)/2]) != atHash {
				return nil, &TokenVerificationError{Token: "id", Reason: "at_hash does not match the access token"}
			}
		}
	} else {
		id = &TokenClaims{}
	}
	return &Claims{ID: *id, Access: *access}, nil
}

// verify checks one token of the given use ("id" or "access").
func (c *Cognito) verify(ctx context.Context, token, use string) (*TokenClaims, error) {
	fail := func(reason string, err error) error {
		return &TokenVerificationError{Token: use, Reason: reason, Err: err}
	}
	tok, err := jwt.ParseSigned(token, []jose.SignatureAlgorithm{jose.RS256})
	if err != nil {
		return nil, fail("not an RS256 JWT", err)
	}
	kid := tok.Headers[0].KeyID
	key, err := c.signingKey(ctx, kid)
	if err != nil {
		return nil, fail("fetching the signing keys from "+c.keyURL(), err)
	}
	if key == nil {
		return nil, fail(fmt.Sprintf("key %q not found at %s", kid, c.keyURL()), nil)
	}
	var std jwt.Claims
	var raw map[string]any
	if err := tok.Claims(*key, &std, &raw); err != nil {
		return nil, fail("bad signature or claims", err)
	}
	out := &TokenClaims{Subject: std.Subject, Issuer: std.Issuer, Raw: raw}
	out.TokenUse, _ = raw["token_use"].(string)
	out.Scope, _ = raw["scope"].(string)
	out.AuthTime = numericTime(raw["auth_time"])
	if std.IssuedAt != nil {
		out.IssuedAt = std.IssuedAt.Time()
	}
	switch {
	case std.Issuer != c.issuer:
		return nil, fail(fmt.Sprintf("issuer %q is not %q", std.Issuer, c.issuer), nil)
	case std.Expiry == nil:
		return nil, fail("no exp claim", nil)
	case out.TokenUse != use:
		return nil, fail(fmt.Sprintf("token_use %q is not %q", out.TokenUse, use), nil)
	}
	out.Expiry = std.Expiry.Time()
	if now := c.now(); now.After(out.Expiry) {
		return nil, fail(fmt.Sprintf("expired at %s", out.Expiry.UTC().Format(time.RFC3339)), nil)
	}
	if use == "id" {
		out.Username, _ = raw["cognito:username"].(string)
		if !std.Audience.Contains(c.clientID) {
			return nil, fail(fmt.Sprintf("audience %q is not the client %s", []string(std.Audience), c.clientID), nil)
		}
		out.ClientID = c.clientID
	} else {
		out.Username, _ = raw["username"].(string)
		out.ClientID, _ = raw["client_id"].(string)
		if out.ClientID != c.clientID {
			return nil, fail(fmt.Sprintf("client_id %q is not the client %s", out.ClientID, c.clientID), nil)
		}
	}
	return out, nil
}

func numericTime(v any) time.Time {
	if f, ok := v.(float64); ok {
		return time.Unix(int64(f), 0)
	}
	return time.Time{}
}

// signingKey returns the pool's key with the ID kid, fetching the key set
// the first time and again when kid is not in it (the pool's keys may
// have changed). It returns nil when the pool has no such key.
func (c *Cognito) signingKey(ctx context.Context, kid string) (*jose.JSONWebKey, error) {
	c.keysMu.Lock()
	defer c.keysMu.Unlock()
	if c.keys != nil {
		if k := c.keys.find(kid); k != nil {
			return k, nil
		}
	}
	set, err := c.fetchKeys(ctx)
	if err != nil {
		return nil, err
	}
	c.keys = set
	return set.find(kid), nil
}

type keySet struct{ jose.JSONWebKeySet }

// find returns the RS256 signing key kid, or nil.
func (s *keySet) find(kid string) *jose.JSONWebKey {
	for _, k := range s.Key(kid) {
		if (k.Use == "" || k.Use == "sig") && (k.Algorithm == "" || k.Algorithm == string(jose.RS256)) && k.IsPublic() {
			return &k
		}
	}
	return nil
}

func (c *Cognito) fetchKeys(ctx context.Context) (*keySet, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.keyURL(), nil)
	if err != nil {
		return nil, err
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("HTTP %s", resp.Status)
	}
	var set keySet
	if err := json.NewDecoder(io.LimitReader(resp.Body, 1<<20)).Decode(&set.JSONWebKeySet); err != nil {
		return nil, err
	}
	return &set, nil
}

// setTokens verifies the tokens of a sign-in and keeps them; a result
// without a refresh token (a renewal) keeps the one held.
func (c *Cognito) setTokens(ctx context.Context, res *types.AuthenticationResultType) error {
	idToken, accessToken := aws.ToString(res.IdToken), aws.ToString(res.AccessToken)
	claims, err := c.verifyPair(ctx, idToken, accessToken)
	if err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	t := Tokens{IDToken: idToken, AccessToken: accessToken, RefreshToken: c.tokens.RefreshToken,
		TokenType: aws.ToString(res.TokenType), Expiry: claims.Access.Expiry}
	if rt := aws.ToString(res.RefreshToken); rt != "" {
		t.RefreshToken = rt
	}
	c.tokens = t
	return nil
}

// unverifiedClaims reads a token's claims without checking its signature
// (to decide whether to renew it, not to trust it).
func unverifiedClaims(token string) (jwt.Claims, map[string]any, error) {
	var std jwt.Claims
	var raw map[string]any
	tok, err := jwt.ParseSigned(token, []jose.SignatureAlgorithm{jose.RS256})
	if err != nil {
		return std, nil, err
	}
	err = tok.UnsafeClaimsWithoutVerification(&std, &raw)
	return std, raw, err
}

func unverifiedExpiry(token string) (time.Time, error) {
	std, _, err := unverifiedClaims(token)
	if err != nil {
		return time.Time{}, err
	}
	if std.Expiry == nil {
		return time.Time{}, errors.New("no exp claim")
	}
	return std.Expiry.Time(), nil
}

func unverifiedUsername(token string) string {
	_, raw, err := unverifiedClaims(token)
	if err != nil {
		return ""
	}
	name, _ := raw["username"].(string)
	return name
}
