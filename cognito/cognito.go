package cognito

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

// Cognito is one app client of one user pool, acting for one user (the
// username set with WithUsername, or by Register or AdminCreateUser) and
// holding that user's tokens once they sign in.
//
// A Cognito is safe for concurrent use, but it holds a single set of
// tokens: concurrent sign-ins replace each other's.
type Cognito struct {
	poolID       string
	clientID     string
	clientSecret string
	region       string
	issuer       string
	idp          *cip.Client
	http         HTTPClient
	now          func() time.Time

	mu       sync.Mutex // guards username and tokens
	username string
	tokens   Tokens

	keysMu sync.Mutex // guards keys
	keys   *keySet
}

// Tokens are the tokens a sign-in returned.
type Tokens struct {
	IDToken      string
	AccessToken  string
	RefreshToken string
	TokenType    string // "Bearer"
	// Expiry is when the access token expires (its exp claim).
	Expiry time.Time
}

// HTTPClient sends HTTP requests; *http.Client is one.
type HTTPClient interface {
	Do(*http.Request) (*http.Response, error)
}

// Option configures New.
type Option func(*options)

type options struct {
	clientSecret string
	username     string
	region       string
	endpoint     string
	issuerBase   string
	idToken      string
	accessToken  string
	refreshToken string
	awsConfig    *aws.Config
	httpClient   HTTPClient
	now          func() time.Time
}

// WithClientSecret sets the app client's secret. With it, every request
// that Cognito authenticates by the client's secret carries the
// SECRET_HASH (SecretHash) it needs, computed automatically.
func WithClientSecret(secret string) Option { return func(o *options) { o.clientSecret = secret } }

// WithUsername sets the user the Cognito value acts for (a username, or an
// alias such as an email address the pool lets users sign in with).
func WithUsername(username string) Option { return func(o *options) { o.username = username } }

// WithRegion sets the AWS region. By default it is the user pool ID's
// prefix ("eu-west-1" for "eu-west-1_AbC123"), as in pycognito.
func WithRegion(region string) Option { return func(o *options) { o.region = region } }

// WithEndpoint points the client at a Cognito-compatible server such as
// userpool ("http://127.0.0.1:9229"). It also makes url the base of the
// token issuer, <url>/<poolID>, as pycognito's endpoint_url does, and, when
// no aws.Config is given, signs requests with static dummy credentials
// instead of loading the default AWS configuration.
func WithEndpoint(url string) Option {
	return func(o *options) { o.endpoint = strings.TrimRight(url, "/") }
}

// WithIssuerURL overrides the base of the issuer that tokens must name and
// whose <issuer>/.well-known/jwks.json holds the signing keys: the issuer
// is <base>/<poolID>. By default the base is the endpoint set with
// WithEndpoint, or https://cognito-idp.<region>.amazonaws.com.
func WithIssuerURL(base string) Option {
	return func(o *options) { o.issuerBase = strings.TrimRight(base, "/") }
}

// WithTokens starts the Cognito value with tokens kept from an earlier
// sign-in. They are not verified until VerifyTokens is called.
func WithTokens(idToken, accessToken, refreshToken string) Option {
	return func(o *options) { o.idToken, o.accessToken, o.refreshToken = idToken, accessToken, refreshToken }
}

// WithAWSConfig sets the AWS configuration (credentials, retries, HTTP
// client, ...) of the Cognito client. Its region is replaced by the pool's
// region (see WithRegion).
func WithAWSConfig(cfg aws.Config) Option { return func(o *options) { o.awsConfig = &cfg } }

// WithHTTPClient sets the HTTP client used for the Cognito API and for
// fetching the signing keys.
func WithHTTPClient(c HTTPClient) Option { return func(o *options) { o.httpClient = c } }

// WithClock sets the clock the client judges token expiry by (CheckToken,
// VerifyTokens) and stamps SRP proofs with; time.Now by default. Tests use
// it to move the client's time along with a server's.
func WithClock(now func() time.Time) Option { return func(o *options) { o.now = now } }

// New returns a Cognito for the app client clientID of the user pool
// poolID. Without WithAWSConfig or WithEndpoint it loads the default AWS
// configuration (environment, shared files, instance role) as
// config.LoadDefaultConfig does.
func New(ctx context.Context, poolID, clientID string, opts ...Option) (*Cognito, error) {
	if poolID == "" || clientID == "" {
		return nil, errors.New("cognito: a user pool ID and a client ID are required")
	}
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	region := o.region
	if region == "" {
		if prefix, _, ok := strings.Cut(poolID, "_"); ok {
			region = prefix
		}
	}

	var cfg aws.Config
	switch {
	case o.awsConfig != nil:
		cfg = o.awsConfig.Copy()
	case o.endpoint != "":
		cfg = aws.Config{Credentials: credentials.NewStaticCredentialsProvider("local", "local", "")}
	default:
		var loadOpts []func(*config.LoadOptions) error
		if region != "" {
			loadOpts = append(loadOpts, config.WithRegion(region))
		}
		var err error
		if cfg, err = config.LoadDefaultConfig(ctx, loadOpts...); err != nil {
			return nil, fmt.Errorf("cognito: loading the AWS configuration: %w", err)
		}
	}
	if region == "" {
		region = cfg.Region
	}
	if region == "" {
		return nil, fmt.Errorf("cognito: no region: the pool ID %q has no region prefix; use WithRegion", poolID)
	}
	cfg.Region = region
	if o.httpClient != nil {
		cfg.HTTPClient = o.httpClient
	}

	c := &Cognito{
		poolID:       poolID,
		clientID:     clientID,
		clientSecret: o.clientSecret,
		region:       region,
		username:     o.username,
		now:          o.now,
		http:         o.httpClient,
	}
	if c.now == nil {
		c.now = time.Now
	}
	if c.http == nil {
		if cfg.HTTPClient != nil {
			c.http = cfg.HTTPClient
		} else {
			c.http = &http.Client{Timeout: 15 * time.Second}
		}
	}
	base := o.issuerBase
	if base == "" {
		base = o.endpoint
	}
	if base == "" {
		base = "https://cognito-idp." + region + ".amazonaws.com"
	}
	c.issuer = base + "/" + poolID
	c.idp = cip.NewFromConfig(cfg, func(co *cip.Options) {
		if o.endpoint != "" {
			co.BaseEndpoint = aws.String(o.endpoint)
		}
	})
	if o.idToken != "" || o.accessToken != "" || o.refreshToken != "" {
		c.tokens = Tokens{IDToken: o.idToken, AccessToken: o.accessToken, RefreshToken: o.refreshToken, TokenType: "Bearer"}
		if exp, err := unverifiedExpiry(o.accessToken); err == nil {
			c.tokens.Expiry = exp
		}
	}
	return c, nil
}

// Client returns the aws-sdk-go-v2 Cognito client the value uses, for
// operations this package does not wrap.
func (c *Cognito) Client() *cip.Client { return c.idp }

// UserPoolID returns the user pool's ID.
func (c *Cognito) UserPoolID() string { return c.poolID }

// ClientID returns the app client's ID.
func (c *Cognito) ClientID() string { return c.clientID }

// Issuer returns the issuer that tokens must name: <base>/<poolID> (see
// WithIssuerURL). pycognito calls it user_pool_url.
func (c *Cognito) Issuer() string { return c.issuer }

// Username returns the user the value acts for.
func (c *Cognito) Username() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.username
}

func (c *Cognito) setUsername(name string) {
	c.mu.Lock()
	c.username = name
	c.mu.Unlock()
}

// requireUsername returns the username, or ErrNoUsername.
func (c *Cognito) requireUsername() (string, error) {
	if name := c.Username(); name != "" {
		return name, nil
	}
	return "", ErrNoUsername
}

// Tokens returns the tokens held (zero before a sign-in, and after Logout).
func (c *Cognito) Tokens() Tokens {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.tokens
}

// secretHash is SECRET_HASH for a username, "" when the client has no
// secret: Base64(HMAC-SHA256(key = client secret, message = username +
// client ID)).
func (c *Cognito) secretHash(username string) string {
	if c.clientSecret == "" {
		return ""
	}
	m := hmac.New(sha256.New, []byte(c.clientSecret))
	m.Write([]byte(username + c.clientID))
	return base64.StdEncoding.EncodeToString(m.Sum(nil))
}

// secretHashPtr is secretHash for the SecretHash field of an input, nil
// when the client has no secret.
func (c *Cognito) secretHashPtr(username string) *string {
	if h := c.secretHash(username); h != "" {
		return aws.String(h)
	}
	return nil
}

// addSecretHash sets SECRET_HASH in AuthParameters or ChallengeResponses.
func (c *Cognito) addSecretHash(params map[string]string, username string) {
	if h := c.secretHash(username); h != "" {
		params["SECRET_HASH"] = h
	}
}

// toAttributes turns an attribute map into Cognito's list, ordered by name.
func toAttributes(attrs map[string]string) []types.AttributeType {
	if len(attrs) == 0 {
		return nil
	}
	names := make([]string, 0, len(attrs))
	for name := range attrs {
		names = append(names, name)
	}
	sort.Strings(names)
	out := make([]types.AttributeType, 0, len(names))
	for _, name := range names {
		out = append(out, types.AttributeType{Name: aws.String(name), Value: aws.String(attrs[name])})
	}
	return out
}

// fromAttributes turns Cognito's attribute list into a map.
func fromAttributes(attrs []types.AttributeType) map[string]string {
	out := make(map[string]string, len(attrs))
	for _, a := range attrs {
		out[aws.ToString(a.Name)] = aws.ToString(a.Value)
	}
	return out
}
