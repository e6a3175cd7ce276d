package service

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/userpool/userpool/api"
	"github.com/userpool/userpool/internal/ids"
	"github.com/userpool/userpool/internal/srp"
	"github.com/userpool/userpool/internal/store"
)

// Sign-in errors, worded as AWS words them.
var (
	errIncorrect      = api.NewNotAuthorizedException("Incorrect username or password.")
	errUserDisabled   = api.NewNotAuthorizedException("User is disabled.")
	errLockedOut      = api.NewNotAuthorizedException("Password attempts exceeded")
	errNotConfirmed   = api.NewUserNotConfirmedException("User is not confirmed.")
	errResetRequired  = api.NewPasswordResetRequiredException("Password reset required for the user")
	errTempExpired    = api.NewNotAuthorizedException("Temporary password has expired and must be reset by an administrator.")
	errSessionUsed    = api.NewNotAuthorizedException("Invalid session for the user, session can only be used once.")
	errSessionExpired = api.NewNotAuthorizedException("Invalid session for the user, session is expired.")
	errSessionInvalid = api.NewNotAuthorizedException("Invalid session for the user.")
)

// signInOutcomes are failures that still commit their transaction: the
// failure count, the lockout and the consumed session must stick.
var signInOutcomes = []error{errIncorrect, errUserDisabled, errLockedOut, errNotConfirmed, errResetRequired, errTempExpired}

// Lockout (Developer Guide, "Authentication flow"): after five failed
// sign-ins a user is locked out for 1 s, doubling with each further failure
// up to about 15 minutes; a quiet period of that length forgets the count.
const (
	lockoutFreeFailures = 5
	lockoutMax          = 15 * time.Minute
)

// recordFailedSignIn counts a failed sign-in (or password check) and
// starts a lockout once the count calls for one.
func recordFailedSignIn(u *store.User, now time.Time) {
	if now.Sub(u.LastFailedSignIn) > lockoutMax {
		u.FailedSignIns = 0
	}
	u.FailedSignIns++
	u.LastFailedSignIn = now
	if d := lockoutFor(u.FailedSignIns); d > 0 {
		u.LockedUntil = now.Add(d)
	}
}

// clearFailedSignIns forgets failed sign-ins after a success or a new password.
func clearFailedSignIns(u *store.User) {
	u.FailedSignIns, u.LastFailedSignIn, u.LockedUntil = 0, time.Time{}, time.Time{}
}

func lockoutFor(failures int) time.Duration {
	if failures < lockoutFreeFailures {
		return 0
	}
	shift := failures - lockoutFreeFailures
	if shift >= 10 { // 2^10 s already exceeds the cap
		return lockoutMax
	}
	return min(time.Duration(1<<shift)*time.Second, lockoutMax)
}

// challengeState is what a challenge carries, sealed, to the client and
// back: in the SRP SECRET_BLOCK (with the handshake's secret b and the
// client's A) and in the Session of later challenges. Its ID makes it
// single-use through the store.
type challengeState struct {
	ID        string    `json:"i"`
	PoolID    string    `json:"p"`
	ClientID  string    `json:"c"`
	Username  string    `json:"u"`
	Challenge string    `json:"n"`
	Expires   time.Time `json:"e"`
	PrivateB  []byte    `json:"b,omitempty"`
	PublicB   []byte    `json:"B,omitempty"`
	ClientA   []byte    `json:"a,omitempty"`
	// Fake marks the simulated challenge of an unknown user.
	Fake bool `json:"f,omitempty"`
}

const (
	sealSRP     = "userpool srp secret block v1"
	sealSession = "userpool challenge session v1"
)

// authSessionValidity is how long a challenge may be answered (the
// client's AuthSessionValidity, 3 minutes by default).
func (c *client) authSessionValidity() time.Duration {
	if v := api.ToInt32(c.cfg.AuthSessionValidity); v > 0 {
		return time.Duration(v) * time.Minute
	}
	return 3 * time.Minute
}

// openChallenge opens a sealed challenge state and checks it belongs to the
// client and has not expired (single use is checked when it is consumed).
func (s *Service) openChallenge(purpose, sealed string, c *client) (challengeState, error) {
	var st challengeState
	if sealed == "" || s.sealer.open(purpose, sealed, &st) != nil || st.ClientID != c.ID {
		return st, errSessionInvalid
	}
	if !s.clock().Before(st.Expires) {
		return st, errSessionExpired
	}
	return st, nil
}

// signInResult is either tokens or the next challenge.
type signInResult struct {
	pending   *pendingTokens
	tokens    *api.AuthenticationResultType
	challenge string
	params    map[string]string
	session   string
}

func (r *signInResult) initiateOut() *api.InitiateAuthResponse {
	out := &api.InitiateAuthResponse{ChallengeParameters: map[string]string{}}
	if r.tokens != nil {
		out.AuthenticationResult = r.tokens
		return out
	}
	out.ChallengeName = api.String(r.challenge)
	out.ChallengeParameters = r.params
	if r.session != "" {
		out.Session = api.String(r.session)
	}
	return out
}

func (r *signInResult) respondOut() *api.RespondToAuthChallengeResponse {
	o := r.initiateOut()
	return &api.RespondToAuthChallengeResponse{AuthenticationResult: o.AuthenticationResult, ChallengeName: o.ChallengeName, ChallengeParameters: o.ChallengeParameters, Session: o.Session}
}

func param(m map[string]string, name string) (string, error) {
	v, ok := m[name]
	if !ok || v == "" {
		return "", invalidParam("Missing required parameter %s", name)
	}
	return v, nil
}

// InitiateAuth starts a sign-in through an app client.
func (s *Service) InitiateAuth(ctx context.Context, in *api.InitiateAuthRequest) (*api.InitiateAuthResponse, error) {
	p, c, err := loadClientAndPool(ctx, s.store, api.ToString(in.ClientId))
	if err != nil {
		return nil, err
	}
	res, err := s.initiate(ctx, p, c, api.ToString(in.AuthFlow), in.AuthParameters, false)
	if err != nil {
		return nil, err
	}
	return res.initiateOut(), nil
}

// AdminInitiateAuth starts a sign-in as an administrator.
func (s *Service) AdminInitiateAuth(ctx context.Context, in *api.AdminInitiateAuthRequest) (*api.AdminInitiateAuthResponse, error) {
	p, c, err := loadPoolClient(ctx, s.store, api.ToString(in.UserPoolId), api.ToString(in.ClientId))
	if err != nil {
		return nil, err
	}
	res, err := s.initiate(ctx, p, c, api.ToString(in.AuthFlow), in.AuthParameters, true)
	if err != nil {
		return nil, err
	}
	o := res.initiateOut()
	return &api.AdminInitiateAuthResponse{AuthenticationResult: o.AuthenticationResult, ChallengeName: o.ChallengeName, ChallengeParameters: o.ChallengeParameters, Session: o.Session}, nil
}

func (s *Service) initiate(ctx context.Context, p *pool, c *client, flow string, params map[string]string, admin bool) (*signInResult, error) {
	switch flow {
	case "USER_SRP_AUTH":
		if !c.allowsFlow("ALLOW_USER_SRP_AUTH") {
			return nil, invalidParam("USER_SRP_AUTH flow not enabled for this client")
		}
		return s.startSRP(ctx, p, c, params)
	case "USER_PASSWORD_AUTH":
		if admin {
			return nil, invalidParam("Initiate Auth method not supported.")
		}
		if !c.allowsFlow("ALLOW_USER_PASSWORD_AUTH") {
			return nil, invalidParam("USER_PASSWORD_AUTH flow not enabled for this client")
		}
		return s.passwordAuth(ctx, p, c, params)
	case "ADMIN_USER_PASSWORD_AUTH", "ADMIN_NO_SRP_AUTH":
		if !admin {
			return nil, invalidParam("Initiate Auth method not supported.")
		}
		if !c.allowsFlow("ALLOW_ADMIN_USER_PASSWORD_AUTH") {
			return nil, invalidParam("Auth flow not enabled for this client")
		}
		return s.passwordAuth(ctx, p, c, params)
	case "REFRESH_TOKEN_AUTH", "REFRESH_TOKEN":
		if !c.allowsFlow("ALLOW_REFRESH_TOKEN_AUTH") {
			return nil, invalidParam("REFRESH_TOKEN_AUTH flow not enabled for this client")
		}
		return s.refreshAuth(ctx, p, c, params)
	case "CUSTOM_AUTH":
		return nil, invalidParam("Custom auth lambda trigger is not configured for the user pool.")
	default:
		return nil, invalidParam("%s flow not enabled for this client", flow)
	}
}

// lookupSignInUser finds the user signing in. For an unknown user it
// answers as the client's PreventUserExistenceErrors setting says: LEGACY
// reveals it (UserNotFoundException), ENABLED gives the generic failure.
func (s *Service) lookupSignInUser(ctx context.Context, p *pool, c *client, name string) (store.User, error) {
	u, err := p.findUser(ctx, s.store, name)
	if errors.Is(err, store.ErrNotFound) {
		if c.preventUserExistenceErrors() {
			return u, errIncorrect
		}
		return u, errUserNotFound
	}
	return u, err
}

// knownNames are the names a SECRET_HASH may have been computed over: the
// name the client sent and every name the user is known by.
func knownNames(u *store.User, given ...string) []string {
	names := append([]string{u.Username, u.Sub}, given...)
	for _, attr := range signInAttributes {
		if v, ok := u.Attr(attr); ok {
			names = append(names, v)
		}
	}
	return names
}

// passwordAuth is USER_PASSWORD_AUTH and ADMIN_USER_PASSWORD_AUTH: the
// password is checked against the user's SRP verifier (see internal/srp).
func (s *Service) passwordAuth(ctx context.Context, p *pool, c *client, params map[string]string) (*signInResult, error) {
	name, err := param(params, "USERNAME")
	if err != nil {
		return nil, err
	}
	password, err := param(params, "PASSWORD")
	if err != nil {
		return nil, err
	}
	u, err := s.lookupSignInUser(ctx, p, c, name)
	if errors.Is(err, errIncorrect) {
		if err := c.checkSecretHash(api.String(params["SECRET_HASH"]), name); err != nil {
			return nil, err
		}
		// Spend the same work as for a real user, so timing does not tell
		// which users exist.
		salt, verifier := s.fakeVerifier(p, name)
		srp.CheckPassword(srp.PoolName(p.ID), name, password, salt, verifier)
		return nil, errIncorrect
	}
	if err != nil {
		return nil, err
	}
	if err := c.checkSecretHash(api.String(params["SECRET_HASH"]), knownNames(&u, name)...); err != nil {
		return nil, err
	}
	if err := s.preCheck(p, &u); err != nil {
		return nil, err
	}
	ok := u.Password != nil && srp.CheckPassword(srp.PoolName(p.ID), u.Username, password, u.Password.Salt, u.Password.Verifier)
	return s.finishSignIn(ctx, p, c, u.Username, ok, "", time.Time{})
}

// preCheck refuses sign-ins that no password can complete, before any
// password work is spent.
func (s *Service) preCheck(p *pool, u *store.User) error {
	if u.Status == statusResetRequired {
		return errResetRequired
	}
	if s.clock().Before(u.LockedUntil) {
		return errLockedOut
	}
	return nil
}

// finishSignIn records the outcome of a password check and, when it
// succeeded, completes the sign-in: tokens, or NEW_PASSWORD_REQUIRED for a
// user with a temporary password. sessionID, when set, is the single-use
// challenge being answered.
func (s *Service) finishSignIn(ctx context.Context, p *pool, c *client, username string, passwordOK bool, sessionID string, sessionExp time.Time) (*signInResult, error) {
	var res *signInResult
	err := s.commitOn(ctx, func(tx store.Tx) error {
		if sessionID != "" {
			if err := tx.UseSession(ctx, sessionID, sessionExp); err != nil {
				if errors.Is(err, store.ErrAlreadyExists) {
					return errSessionUsed
				}
				return err
			}
		}
		u, err := tx.FindUser(ctx, p.ID, "username:"+p.fold(username))
		if errors.Is(err, store.ErrNotFound) {
			return errIncorrect
		}
		if err != nil {
			return err
		}
		now := s.clock()
		if now.Before(u.LockedUntil) {
			return errLockedOut
		}
		if !passwordOK {
			recordFailedSignIn(&u, now)
			if err := s.saveUser(ctx, tx, p, &u, false, false); err != nil {
				return err
			}
			return errIncorrect
		}
		if u.FailedSignIns > 0 || !u.LockedUntil.IsZero() {
			clearFailedSignIns(&u)
			if err := s.saveUser(ctx, tx, p, &u, false, false); err != nil {
				return err
			}
		}
		if !u.Enabled {
			return errUserDisabled
		}
		switch u.Status {
		case statusUnconfirmed:
			return errNotConfirmed
		case statusResetRequired:
			return errResetRequired
		case statusForceChangePassword:
			if s.temporaryPasswordExpired(p, &u) {
				return errTempExpired
			}
			res, err = s.newPasswordChallenge(p, c, &u)
			return err
		}
		pending, err := s.startSession(ctx, tx, p, c, &u)
		res = &signInResult{pending: pending}
		return err
	}, signInOutcomes...)
	if err != nil {
		return nil, err
	}
	return res, res.finish(ctx, s)
}

// finish signs the tokens of a completed sign-in.
func (r *signInResult) finish(ctx context.Context, s *Service) (err error) {
	if r.pending != nil {
		r.tokens, err = r.pending.finish(ctx, s)
	}
	return err
}

// newPasswordChallenge asks a user with a temporary password for a new
// one, listing their attributes and the required ones they lack, as
// JSON strings (amazon-cognito-identity-js parses them).
func (s *Service) newPasswordChallenge(p *pool, c *client, u *store.User) (*signInResult, error) {
	attrs := map[string]string{}
	for _, a := range u.Attributes {
		if a.Name != "sub" {
			attrs[a.Name] = a.Value
		}
	}
	required := []string{}
	for _, sa := range p.cfg.SchemaAttributes {
		name := api.ToString(sa.Name)
		if api.ToBool(sa.Required) && name != "sub" {
			if v, ok := u.Attr(name); !ok || v == "" {
				required = append(required, "userAttributes."+name)
			}
		}
	}
	attrsJSON, _ := json.Marshal(attrs)
	requiredJSON, _ := json.Marshal(required)
	session, err := s.sealer.seal(sealSession, challengeState{
		ID: ids.UUID(), PoolID: p.ID, ClientID: c.ID, Username: u.Username,
		Challenge: "NEW_PASSWORD_REQUIRED", Expires: s.clock().Add(c.authSessionValidity()),
	})
	if err != nil {
		return nil, err
	}
	return &signInResult{
		challenge: "NEW_PASSWORD_REQUIRED",
		params: map[string]string{
			"USER_ID_FOR_SRP":    u.Username,
			"requiredAttributes": string(requiredJSON),
			"userAttributes":     string(attrsJSON),
		},
		session: session,
	}, nil
}

// startSRP is InitiateAuth's USER_SRP_AUTH: it answers PASSWORD_VERIFIER
// with the user's salt, the server's public value B and a sealed
// SECRET_BLOCK carrying the handshake.
func (s *Service) startSRP(ctx context.Context, p *pool, c *client, params map[string]string) (*signInResult, error) {
	name, err := param(params, "USERNAME")
	if err != nil {
		return nil, err
	}
	aHex, err := param(params, "SRP_A")
	if err != nil {
		return nil, err
	}
	clientA, err := srp.ParseHex(aHex)
	if err != nil {
		return nil, invalidParam("SRP_A is not a hexadecimal number.")
	}
	st := challengeState{ID: ids.UUID(), PoolID: p.ID, ClientID: c.ID, Challenge: "PASSWORD_VERIFIER",
		Expires: s.clock().Add(c.authSessionValidity()), ClientA: clientA}
	var salt, verifier []byte
	userID, username := "", name
	u, err := s.lookupSignInUser(ctx, p, c, name)
	switch {
	case errors.Is(err, errIncorrect):
		// Unknown user, existence hidden: a simulated challenge with a
		// salt and user ID that are the same every time for this name.
		if err := c.checkSecretHash(api.String(params["SECRET_HASH"]), name); err != nil {
			return nil, err
		}
		salt, verifier = s.fakeVerifier(p, name)
		userID, st.Fake = s.fakeUserID(p, name), true
	case err != nil:
		return nil, err
	default:
		if err := c.checkSecretHash(api.String(params["SECRET_HASH"]), knownNames(&u, name)...); err != nil {
			return nil, err
		}
		if err := s.preCheck(p, &u); err != nil {
			return nil, err
		}
		if u.Password == nil {
			return nil, errIncorrect
		}
		salt, verifier = u.Password.Salt, u.Password.Verifier
		userID, username, st.Username = u.Username, u.Username, u.Username
	}
	h, err := srp.NewServerHandshake(verifier)
	if err != nil {
		return nil, err
	}
	st.PrivateB, st.PublicB = h.PrivateB(), h.PublicB()
	block, err := s.sealer.seal(sealSRP, st)
	if err != nil {
		return nil, err
	}
	return &signInResult{
		challenge: "PASSWORD_VERIFIER",
		params: map[string]string{
			"SALT":            srp.HexOf(salt),
			"SRP_B":           srp.HexOf(h.PublicB()),
			"SECRET_BLOCK":    block,
			"USERNAME":        username,
			"USER_ID_FOR_SRP": userID,
		},
	}, nil
}

// fakeVerifier derives a stable salt and verifier for a name no user has.
// The verifier is a keyed hash reduced into the group, not g^x: it costs no
// exponentiation, so a simulated challenge takes the time a real one does.
func (s *Service) fakeVerifier(p *pool, name string) (salt, verifier []byte) {
	mac := func(label string, n int) []byte {
		var out []byte
		for i := 0; len(out) < n; i++ {
			m := hmac.New(sha256.New, s.fakeKey)
			fmt.Fprintf(m, "%s|%d|%s|%s", label, i, p.ID, p.fold(name))
			out = m.Sum(out)
		}
		return out[:n]
	}
	verifier = mac("verifier", 383) // below N's 384 bytes, so already reduced
	return mac("salt", srp.SaltSize), verifier
}

// fakeUserID is the stable UUID-shaped USER_ID_FOR_SRP of an unknown name.
func (s *Service) fakeUserID(p *pool, name string) string {
	m := hmac.New(sha256.New, s.fakeKey)
	fmt.Fprintf(m, "user-id|%s|%s", p.ID, p.fold(name))
	b := m.Sum(nil)
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// RespondToAuthChallenge answers a challenge through an app client.
func (s *Service) RespondToAuthChallenge(ctx context.Context, in *api.RespondToAuthChallengeRequest) (*api.RespondToAuthChallengeResponse, error) {
	p, c, err := loadClientAndPool(ctx, s.store, api.ToString(in.ClientId))
	if err != nil {
		return nil, err
	}
	res, err := s.respond(ctx, p, c, api.ToString(in.ChallengeName), in.ChallengeResponses, api.ToString(in.Session))
	if err != nil {
		return nil, err
	}
	return res.respondOut(), nil
}

// AdminRespondToAuthChallenge answers a challenge as an administrator.
func (s *Service) AdminRespondToAuthChallenge(ctx context.Context, in *api.AdminRespondToAuthChallengeRequest) (*api.AdminRespondToAuthChallengeResponse, error) {
	p, c, err := loadPoolClient(ctx, s.store, api.ToString(in.UserPoolId), api.ToString(in.ClientId))
	if err != nil {
		return nil, err
	}
	res, err := s.respond(ctx, p, c, api.ToString(in.ChallengeName), in.ChallengeResponses, api.ToString(in.Session))
	if err != nil {
		return nil, err
	}
	o := res.respondOut()
	return &api.AdminRespondToAuthChallengeResponse{AuthenticationResult: o.AuthenticationResult, ChallengeName: o.ChallengeName, ChallengeParameters: o.ChallengeParameters, Session: o.Session}, nil
}

func (s *Service) respond(ctx context.Context, p *pool, c *client, challenge string, responses map[string]string, session string) (*signInResult, error) {
	switch challenge {
	case "PASSWORD_VERIFIER":
		return s.verifyPassword(ctx, p, c, responses)
	case "NEW_PASSWORD_REQUIRED":
		return s.setNewPassword(ctx, p, c, responses, session)
	default:
		return nil, invalidParam("Challenge %s is not supported by this user pool.", challenge)
	}
}

// verifyPassword checks the client's SRP proof (PASSWORD_VERIFIER). The
// handshake comes back in the SECRET_BLOCK, which can be used once.
func (s *Service) verifyPassword(ctx context.Context, p *pool, c *client, responses map[string]string) (*signInResult, error) {
	var values [4]string
	for i, name := range []string{"PASSWORD_CLAIM_SIGNATURE", "PASSWORD_CLAIM_SECRET_BLOCK", "TIMESTAMP", "USERNAME"} {
		v, err := param(responses, name)
		if err != nil {
			return nil, err
		}
		values[i] = v
	}
	sigB64, block, timestamp, name := values[0], values[1], values[2], values[3]
	st, err := s.openChallenge(sealSRP, block, c)
	if err != nil {
		return nil, err
	}
	if st.Challenge != "PASSWORD_VERIFIER" || st.PoolID != p.ID {
		return nil, errSessionInvalid
	}
	if st.Fake {
		if err := c.checkSecretHash(api.String(responses["SECRET_HASH"]), name); err != nil {
			return nil, err
		}
		return nil, errIncorrect
	}
	u, err := p.findUser(ctx, s.store, name)
	if err != nil || u.Username != st.Username {
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return nil, err
		}
		return nil, errIncorrect
	}
	if err := c.checkSecretHash(api.String(responses["SECRET_HASH"]), knownNames(&u, name)...); err != nil {
		return nil, err
	}
	if err := s.preCheck(p, &u); err != nil {
		return nil, err
	}
	ok := false
	if sig, err := base64.StdEncoding.DecodeString(sigB64); err == nil && u.Password != nil {
		if h, err := srp.RestoreServerHandshakeWithB(st.PrivateB, st.PublicB, u.Password.Verifier); err == nil {
			rawBlock, _ := base64.StdEncoding.DecodeString(block)
			ok = h.VerifyClaim(st.ClientA, srp.PoolName(p.ID), u.Username, rawBlock, timestamp, sig) == nil
		}
	}
	return s.finishSignIn(ctx, p, c, u.Username, ok, st.ID, st.Expires)
}

// setNewPassword answers NEW_PASSWORD_REQUIRED: the user picks a password
// (the pool's policy applies; a refused one leaves the session usable) and
// may supply attributes as userAttributes.<name>.
func (s *Service) setNewPassword(ctx context.Context, p *pool, c *client, responses map[string]string, session string) (*signInResult, error) {
	if session == "" {
		return nil, invalidParam("Missing required parameter Session")
	}
	st, err := s.openChallenge(sealSession, session, c)
	if err != nil {
		return nil, err
	}
	if st.Challenge != "NEW_PASSWORD_REQUIRED" || st.PoolID != p.ID {
		return nil, errSessionInvalid
	}
	newPassword, err := param(responses, "NEW_PASSWORD")
	if err != nil {
		return nil, err
	}
	var attrs []api.AttributeType
	for k, v := range responses {
		if name, ok := strings.CutPrefix(k, "userAttributes."); ok {
			attrs = append(attrs, api.AttributeType{Name: api.String(name), Value: api.String(v)})
		}
	}
	sort.Slice(attrs, func(i, j int) bool { return *attrs[i].Name < *attrs[j].Name })
	u, err := s.store.FindUser(ctx, p.ID, "username:"+p.fold(st.Username))
	if err != nil {
		if errors.Is(err, store.ErrNotFound) {
			return nil, errSessionInvalid
		}
		return nil, err
	}
	if name := responses["USERNAME"]; name != "" {
		if other, err := p.findUser(ctx, s.store, name); err != nil || other.Username != u.Username {
			return nil, errSessionInvalid
		}
	}
	if err := c.checkSecretHash(api.String(responses["SECRET_HASH"]), knownNames(&u, responses["USERNAME"])...); err != nil {
		return nil, err
	}
	if err := c.checkWritable(attrs); err != nil {
		return nil, err
	}
	if err := p.checkAttributes(attrs, attrUpdate); err != nil {
		return nil, err
	}
	if err := p.checkPassword(newPassword, policyPrefix); err != nil {
		return nil, err
	}
	var res *signInResult
	err = s.store.Update(ctx, func(tx store.Tx) error {
		if err := tx.UseSession(ctx, st.ID, st.Expires); err != nil {
			if errors.Is(err, store.ErrAlreadyExists) {
				return errSessionUsed
			}
			return err
		}
		u, err := tx.FindUser(ctx, p.ID, "username:"+p.fold(st.Username))
		if err != nil {
			return err
		}
		if u.Status != statusForceChangePassword {
			return errSessionInvalid
		}
		if !u.Enabled {
			return errUserDisabled
		}
		setAttributes(&u, attrs)
		for _, sa := range p.cfg.SchemaAttributes {
			name := api.ToString(sa.Name)
			if api.ToBool(sa.Required) && name != "sub" {
				if v, ok := u.Attr(name); !ok || v == "" {
					return invalidParam("Invalid attributes given, %s is missing", name)
				}
			}
		}
		if err := s.setPassword(p, &u, newPassword, false); err != nil {
			return err
		}
		u.Status = statusConfirmed
		if err := s.saveUser(ctx, tx, p, &u, false, false); err != nil {
			return p.conflictError(err, "User account already exists")
		}
		pending, err := s.startSession(ctx, tx, p, c, &u)
		res = &signInResult{pending: pending}
		return err
	})
	if err != nil {
		return nil, err
	}
	return res, res.finish(ctx, s)
}

// refreshAuth is REFRESH_TOKEN_AUTH: new access and ID tokens for a valid
// refresh token of this client.
func (s *Service) refreshAuth(ctx context.Context, p *pool, c *client, params map[string]string) (*signInResult, error) {
	raw, err := param(params, "REFRESH_TOKEN")
	if err != nil {
		return nil, err
	}
	rt, err := s.store.FindRefreshToken(ctx, hashRefreshToken(raw))
	if errors.Is(err, store.ErrNotFound) || (err == nil && (rt.ClientID != c.ID || rt.PoolID != p.ID)) {
		return nil, api.NewNotAuthorizedException("Invalid Refresh Token")
	}
	if err != nil {
		return nil, err
	}
	u, err := s.store.FindUser(ctx, p.ID, "username:"+p.fold(rt.Username))
	if errors.Is(err, store.ErrNotFound) {
		return nil, api.NewNotAuthorizedException("Invalid Refresh Token")
	}
	if err != nil {
		return nil, err
	}
	if err := c.checkSecretHash(api.String(params["SECRET_HASH"]), knownNames(&u, params["USERNAME"])...); err != nil {
		return nil, err
	}
	switch {
	case !rt.RevokedAt.IsZero():
		return nil, api.NewNotAuthorizedException("Refresh Token has been revoked")
	case !s.clock().Before(rt.ExpiresAt):
		return nil, api.NewNotAuthorizedException("Refresh Token has expired")
	case !u.Enabled:
		return nil, errUserDisabled
	}
	tokens, err := s.issueTokens(ctx, p, c, &u, session{originJTI: rt.ID, authTime: rt.AuthTime})
	if err != nil {
		return nil, err
	}
	return &signInResult{tokens: tokens}, nil
}
