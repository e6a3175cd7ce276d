package flows

import (
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/userpool/userpool/internal/srp"
)

func TestPasswordAuthIssuesVerifiableTokens(t *testing.T) {
	t.Parallel()
	f := newFixture(t, fixtureOpts{pool: func(in *cip.CreateUserPoolInput) {
		in.Schema = []types.SchemaAttributeType{{Name: aws.String("team"), AttributeDataType: types.AttributeDataTypeString}}
	}})
	f.confirmedUser("alice", "email", "alice@example.com", "custom:team", "blue")
	out, err := f.passwordAuth("alice", password)
	if err != nil {
		t.Fatal(err)
	}
	r := out.AuthenticationResult
	if r == nil || aws.ToString(r.TokenType) != "Bearer" || r.ExpiresIn != 3600 || aws.ToString(r.RefreshToken) == "" {
		t.Fatalf("AuthenticationResult = %+v", r)
	}
	if out.ChallengeParameters == nil {
		t.Error("ChallengeParameters missing (AWS sends {})")
	}
	access := f.verifyJWT(aws.ToString(r.AccessToken))
	id := f.verifyJWT(aws.ToString(r.IdToken))
	iss := f.srv.URL + "/" + f.poolID
	clientID := aws.ToString(f.clientID())
	for name, want := range map[string]any{"iss": iss, "token_use": "access", "client_id": clientID, "username": "alice", "scope": "aws.cognito.signin.user.admin"} {
		if access[name] != want {
			t.Errorf("access %s = %v, want %v", name, access[name], want)
		}
	}
	for name, want := range map[string]any{"iss": iss, "token_use": "id", "aud": clientID, "cognito:username": "alice", "email": "alice@example.com", "email_verified": false, "custom:team": "blue"} {
		if id[name] != want {
			t.Errorf("id %s = %v, want %v", name, id[name], want)
		}
	}
	for _, c := range []map[string]any{access, id} {
		for _, name := range []string{"sub", "exp", "iat", "auth_time", "jti", "origin_jti", "event_id"} {
			if c[name] == nil {
				t.Errorf("%s token lacks %s", c["token_use"], name)
			}
		}
		if c["exp"].(float64)-c["iat"].(float64) != 3600 {
			t.Errorf("%s token lives %v s", c["token_use"], c["exp"].(float64)-c["iat"].(float64))
		}
	}
	if access["sub"] != id["sub"] || access["origin_jti"] != id["origin_jti"] || access["event_id"] != id["event_id"] {
		t.Error("access and ID token disagree on sub, origin_jti or event_id")
	}
	got, err := f.c.GetUser(ctx, &cip.GetUserInput{AccessToken: r.AccessToken})
	if err != nil || aws.ToString(got.Username) != "alice" {
		t.Fatalf("GetUser = %+v, %v", got, err)
	}
}

func TestSRPAuth(t *testing.T) {
	t.Parallel()
	f := newFixture(t, fixtureOpts{})
	f.confirmedUser("bob", "email", "bob@example.com")
	out, err := f.srpAuth("bob", password)
	if err != nil {
		t.Fatal(err)
	}
	claims := f.verifyJWT(aws.ToString(out.AuthenticationResult.IdToken))
	if claims["cognito:username"] != "bob" {
		t.Fatalf("claims = %v", claims)
	}
	_, err = f.srpAuth("bob", "Wrong-passw0rd")
	wantErr[*types.NotAuthorizedException](t, err, "Incorrect username or password.")
}

func TestSRPSecretBlockIsSingleUse(t *testing.T) {
	t.Parallel()
	f := newFixture(t, fixtureOpts{})
	f.confirmedUser("carol")
	cl, _ := srp.NewClient()
	init, err := f.c.InitiateAuth(ctx, &cip.InitiateAuthInput{ClientId: f.clientID(), AuthFlow: types.AuthFlowTypeUserSrpAuth,
		AuthParameters: map[string]string{"USERNAME": "carol", "SRP_A": cl.PublicAHex()}})
	if err != nil {
		t.Fatal(err)
	}
	cp := init.ChallengeParameters
	for _, k := range []string{"SALT", "SRP_B", "SECRET_BLOCK", "USERNAME", "USER_ID_FOR_SRP"} {
		if cp[k] == "" {
			t.Fatalf("challenge parameter %s missing: %v", k, cp)
		}
	}
	sig, ts, _ := cl.Claim(srp.PoolName(f.poolID), cp["USER_ID_FOR_SRP"], password, cp["SALT"], cp["SRP_B"], cp["SECRET_BLOCK"], time.Now())
	in := &cip.RespondToAuthChallengeInput{ClientId: f.clientID(), ChallengeName: types.ChallengeNameTypePasswordVerifier,
		ChallengeResponses: map[string]string{"USERNAME": cp["USERNAME"], "PASSWORD_CLAIM_SECRET_BLOCK": cp["SECRET_BLOCK"], "PASSWORD_CLAIM_SIGNATURE": sig, "TIMESTAMP": ts}}
	// Two answers race: exactly one gets tokens.
	var wg sync.WaitGroup
	var mu sync.Mutex
	ok, used := 0, 0
	for i := 0; i < 4; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := f.c.RespondToAuthChallenge(ctx, in)
			mu.Lock()
			defer mu.Unlock()
			if err == nil {
				ok++
			} else if strings.Contains(err.Error(), "session can only be used once") {
				used++
			} else {
				t.Errorf("unexpected error: %v", err)
			}
		}()
	}
	wg.Wait()
	if ok != 1 || used != 3 {
		t.Fatalf("%d successes, %d single-use refusals; want 1 and 3", ok, used)
	}
}

func TestSRPSessionExpires(t *testing.T) {
	t.Parallel()
	f := newFixture(t, fixtureOpts{})
	f.confirmedUser("dave")
	cl, _ := srp.NewClient()
	init, err := f.c.InitiateAuth(ctx, &cip.InitiateAuthInput{ClientId: f.clientID(), AuthFlow: types.AuthFlowTypeUserSrpAuth,
		AuthParameters: map[string]string{"USERNAME": "dave", "SRP_A": cl.PublicAHex()}})
	if err != nil {
		t.Fatal(err)
	}
	f.srv.Advance(3*time.Minute + time.Second)
	cp := init.ChallengeParameters
	sig, ts, _ := cl.Claim(srp.PoolName(f.poolID), cp["USER_ID_FOR_SRP"], password, cp["SALT"], cp["SRP_B"], cp["SECRET_BLOCK"], time.Now())
	_, err = f.c.RespondToAuthChallenge(ctx, &cip.RespondToAuthChallengeInput{ClientId: f.clientID(), ChallengeName: types.ChallengeNameTypePasswordVerifier,
		ChallengeResponses: map[string]string{"USERNAME": cp["USERNAME"], "PASSWORD_CLAIM_SECRET_BLOCK": cp["SECRET_BLOCK"], "PASSWORD_CLAIM_SIGNATURE": sig, "TIMESTAMP": ts}})
	wantErr[*types.NotAuthorizedException](t, err, "Invalid session for the user, session is expired.")
}

func TestSignInErrors(t *testing.T) {
	t.Parallel()
	f := newFixture(t, fixtureOpts{})
	f.confirmedUser("erin")
	_, err := f.passwordAuth("erin", "Wrong-passw0rd")
	wantErr[*types.NotAuthorizedException](t, err, "Incorrect username or password.")
	_, err = f.passwordAuth("nobody", password)
	wantErr[*types.UserNotFoundException](t, err, "User does not exist.")

	// Unconfirmed: the right password, then UserNotConfirmedException.
	if _, err := f.c.SignUp(ctx, &cip.SignUpInput{ClientId: f.clientID(), Username: aws.String("frank"), Password: aws.String(password)}); err != nil {
		t.Fatal(err)
	}
	_, err = f.passwordAuth("frank", password)
	wantErr[*types.UserNotConfirmedException](t, err, "User is not confirmed.")

	// Disabled.
	if _, err := f.c.AdminDisableUser(ctx, &cip.AdminDisableUserInput{UserPoolId: &f.poolID, Username: aws.String("erin")}); err != nil {
		t.Fatal(err)
	}
	_, err = f.passwordAuth("erin", password)
	wantErr[*types.NotAuthorizedException](t, err, "User is disabled.")

	// Flows the client does not allow.
	g := newFixture(t, fixtureOpts{client: func(in *cip.CreateUserPoolClientInput) {
		in.ExplicitAuthFlows = []types.ExplicitAuthFlowsType{"ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"}
	}})
	g.confirmedUser("gina")
	_, err = g.passwordAuth("gina", password)
	wantErr[*types.InvalidParameterException](t, err, "USER_PASSWORD_AUTH flow not enabled for this client")
	_, err = g.c.AdminInitiateAuth(ctx, &cip.AdminInitiateAuthInput{UserPoolId: &g.poolID, ClientId: g.clientID(), AuthFlow: types.AuthFlowTypeAdminUserPasswordAuth,
		AuthParameters: map[string]string{"USERNAME": "gina", "PASSWORD": password}})
	wantErr[*types.InvalidParameterException](t, err, "Auth flow not enabled for this client")
	_, err = f.c.InitiateAuth(ctx, &cip.InitiateAuthInput{ClientId: f.clientID(), AuthFlow: types.AuthFlowTypeUserPasswordAuth, AuthParameters: map[string]string{"USERNAME": "erin"}})
	wantErr[*types.InvalidParameterException](t, err, "Missing required parameter PASSWORD")
}

func TestPreventUserExistenceErrors(t *testing.T) {
	t.Parallel()
	f := newFixture(t, fixtureOpts{client: func(in *cip.CreateUserPoolClientInput) {
		in.PreventUserExistenceErrors = types.PreventUserExistenceErrorTypesEnabled
	}})
	f.confirmedUser("hank")
	_, err := f.passwordAuth("nobody", password)
	wantErr[*types.NotAuthorizedException](t, err, "Incorrect username or password.")
	_, err = f.srpAuth("nobody", password)
	wantErr[*types.NotAuthorizedException](t, err, "Incorrect username or password.")

	// The simulated challenge is stable for a name: same salt and user ID.
	challenge := func(name string) map[string]string {
		cl, _ := srp.NewClient()
		out, err := f.c.InitiateAuth(ctx, &cip.InitiateAuthInput{ClientId: f.clientID(), AuthFlow: types.AuthFlowTypeUserSrpAuth,
			AuthParameters: map[string]string{"USERNAME": name, "SRP_A": cl.PublicAHex()}})
		if err != nil {
			t.Fatal(err)
		}
		return out.ChallengeParameters
	}
	a, b, other := challenge("ghost"), challenge("ghost"), challenge("phantom")
	if a["SALT"] != b["SALT"] || a["USER_ID_FOR_SRP"] != b["USER_ID_FOR_SRP"] {
		t.Errorf("simulated challenge is not stable: %v vs %v", a, b)
	}
	if a["SALT"] == other["SALT"] || a["USER_ID_FOR_SRP"] == other["USER_ID_FOR_SRP"] {
		t.Error("two unknown names got the same simulated salt or ID")
	}
	if len(a["USER_ID_FOR_SRP"]) != 36 {
		t.Errorf("simulated USER_ID_FOR_SRP %q is not a UUID", a["USER_ID_FOR_SRP"])
	}
}

func TestLockout(t *testing.T) {
	t.Parallel()
	f := newFixture(t, fixtureOpts{})
	f.confirmedUser("ivan")
	for i := 0; i < 5; i++ {
		_, err := f.passwordAuth("ivan", "Wrong-passw0rd")
		wantErr[*types.NotAuthorizedException](t, err, "Incorrect username or password.")
	}
	// The fifth failure locked the user for 1 s: even the right password fails.
	_, err := f.passwordAuth("ivan", password)
	wantErr[*types.NotAuthorizedException](t, err, "Password attempts exceeded")
	_, err = f.srpAuth("ivan", password)
	wantErr[*types.NotAuthorizedException](t, err, "Password attempts exceeded")
	f.srv.Advance(2 * time.Second)
	if _, err := f.passwordAuth("ivan", "Wrong-passw0rd"); err == nil {
		t.Fatal("wrong password accepted")
	}
	// Sixth failure: 2 s.
	f.srv.Advance(time.Second + 500*time.Millisecond)
	_, err = f.passwordAuth("ivan", password)
	wantErr[*types.NotAuthorizedException](t, err, "Password attempts exceeded")
	f.srv.Advance(time.Second)
	if _, err := f.passwordAuth("ivan", password); err != nil {
		t.Fatalf("after the lockout: %v", err)
	}
	// Success reset the count.
	for i := 0; i < 4; i++ {
		f.passwordAuth("ivan", "Wrong-passw0rd")
	}
	if _, err := f.passwordAuth("ivan", password); err != nil {
		t.Fatalf("four failures after a success locked the user: %v", err)
	}
}

func TestNewPasswordRequired(t *testing.T) {
	t.Parallel()
	f := newFixture(t, fixtureOpts{pool: func(in *cip.CreateUserPoolInput) {
		in.Schema = []types.SchemaAttributeType{{Name: aws.String("name"), Required: aws.Bool(true), Mutable: aws.Bool(true)}}
	}})
	// AWS refuses AdminCreateUser without the pool's required attributes
	// (aws-amplify/amplify-backend#3117), so requiredAttributes is empty.
	f.invitedUser("judy", "Temp-Passw0rd", "email", "judy@example.com", "name", "J")
	out, err := f.passwordAuth("judy", "Temp-Passw0rd")
	if err != nil {
		t.Fatal(err)
	}
	if out.ChallengeName != types.ChallengeNameTypeNewPasswordRequired || aws.ToString(out.Session) == "" {
		t.Fatalf("InitiateAuth = %+v", out)
	}
	cp := out.ChallengeParameters
	if cp["USER_ID_FOR_SRP"] != "judy" || cp["requiredAttributes"] != `[]` || !strings.Contains(cp["userAttributes"], `"email":"judy@example.com"`) {
		t.Fatalf("ChallengeParameters = %v", cp)
	}
	respond := func(newPassword string, extra ...string) (*cip.RespondToAuthChallengeOutput, error) {
		resp := map[string]string{"USERNAME": "judy", "NEW_PASSWORD": newPassword}
		for i := 0; i+1 < len(extra); i += 2 {
			resp[extra[i]] = extra[i+1]
		}
		return f.c.RespondToAuthChallenge(ctx, &cip.RespondToAuthChallengeInput{ClientId: f.clientID(), ChallengeName: types.ChallengeNameTypeNewPasswordRequired,
			Session: out.Session, ChallengeResponses: resp})
	}
	// A password that breaks the policy leaves the user as they were, and
	// the session usable.
	_, err = respond("short")
	wantErr[*types.InvalidPasswordException](t, err, "Password does not conform to policy: Password not long enough")
	if u, _ := f.c.AdminGetUser(ctx, &cip.AdminGetUserInput{UserPoolId: &f.poolID, Username: aws.String("judy")}); u.UserStatus != types.UserStatusTypeForceChangePassword {
		t.Fatalf("status after refused password = %s", u.UserStatus)
	}
	// Required attributes cannot be blanked while answering.
	_, err = respond("New-Passw0rd", "userAttributes.name", "")
	wantErr[*types.InvalidParameterException](t, err, "Invalid attributes given, name is missing")
	res, err := respond("New-Passw0rd", "userAttributes.name", "Judy")
	if err != nil {
		t.Fatal(err)
	}
	if res.AuthenticationResult == nil {
		t.Fatalf("no tokens: %+v", res)
	}
	if claims := f.verifyJWT(aws.ToString(res.AuthenticationResult.IdToken)); claims["name"] != "Judy" {
		t.Errorf("ID token name = %v", claims["name"])
	}
	_, err = respond("Other-Passw0rd", "userAttributes.name", "Judy")
	wantErr[*types.NotAuthorizedException](t, err, "Invalid session for the user, session can only be used once.")
	u, _ := f.c.AdminGetUser(ctx, &cip.AdminGetUserInput{UserPoolId: &f.poolID, Username: aws.String("judy")})
	if u.UserStatus != types.UserStatusTypeConfirmed {
		t.Fatalf("status = %s", u.UserStatus)
	}
	if _, err := f.srpAuth("judy", "New-Passw0rd"); err != nil {
		t.Fatalf("SRP with the new password: %v", err)
	}
	_, err = f.passwordAuth("judy", "Temp-Passw0rd")
	wantErr[*types.NotAuthorizedException](t, err, "Incorrect username or password.")
}

func TestNewPasswordRequiredThroughSRP(t *testing.T) {
	t.Parallel()
	f := newFixture(t, fixtureOpts{})
	f.invitedUser("kim", "Temp-Passw0rd")
	out, err := f.srpAuth("kim", "Temp-Passw0rd")
	if err != nil {
		t.Fatal(err)
	}
	if out.ChallengeName != types.ChallengeNameTypeNewPasswordRequired {
		t.Fatalf("SRP answer = %+v", out)
	}
	res, err := f.c.RespondToAuthChallenge(ctx, &cip.RespondToAuthChallengeInput{ClientId: f.clientID(), ChallengeName: types.ChallengeNameTypeNewPasswordRequired,
		Session: out.Session, ChallengeResponses: map[string]string{"USERNAME": "kim", "NEW_PASSWORD": "New-Passw0rd"}})
	if err != nil || res.AuthenticationResult == nil {
		t.Fatalf("RespondToAuthChallenge = %+v, %v", res, err)
	}
}

func TestTemporaryPasswordExpires(t *testing.T) {
	t.Parallel()
	f := newFixture(t, fixtureOpts{})
	f.invitedUser("lee", "Temp-Passw0rd")
	f.srv.Advance(7*24*time.Hour + time.Minute)
	_, err := f.passwordAuth("lee", "Temp-Passw0rd")
	wantErr[*types.NotAuthorizedException](t, err, "Temporary password has expired and must be reset by an administrator.")
}

func TestSecretHash(t *testing.T) {
	t.Parallel()
	f := newFixture(t, fixtureOpts{client: func(in *cip.CreateUserPoolClientInput) { in.GenerateSecret = true }})
	f.confirmedUser("mia", "email", "mia@example.com")
	if _, err := f.passwordAuth("mia", password); err != nil {
		t.Fatal(err)
	}
	if _, err := f.srpAuth("mia", password); err != nil {
		t.Fatal(err)
	}
	id := aws.ToString(f.clientID())
	_, err := f.c.InitiateAuth(ctx, &cip.InitiateAuthInput{ClientId: f.clientID(), AuthFlow: types.AuthFlowTypeUserPasswordAuth,
		AuthParameters: map[string]string{"USERNAME": "mia", "PASSWORD": password}})
	wantErr[*types.NotAuthorizedException](t, err, "Client "+id+" is configured for secret but secret was not received")
	_, err = f.c.InitiateAuth(ctx, &cip.InitiateAuthInput{ClientId: f.clientID(), AuthFlow: types.AuthFlowTypeUserPasswordAuth,
		AuthParameters: map[string]string{"USERNAME": "mia", "PASSWORD": password, "SECRET_HASH": secretHash("wrong", "mia", id)}})
	wantErr[*types.NotAuthorizedException](t, err, "Unable to verify secret hash for client "+id)
}

func TestRefreshAndSignOut(t *testing.T) {
	t.Parallel()
	f := newFixture(t, fixtureOpts{})
	f.confirmedUser("nina")
	first, err := f.passwordAuth("nina", password)
	if err != nil {
		t.Fatal(err)
	}
	refresh := first.AuthenticationResult.RefreshToken
	refreshAuth := func() (*cip.InitiateAuthOutput, error) {
		return f.c.InitiateAuth(ctx, &cip.InitiateAuthInput{ClientId: f.clientID(), AuthFlow: types.AuthFlowTypeRefreshTokenAuth,
			AuthParameters: map[string]string{"REFRESH_TOKEN": aws.ToString(refresh)}})
	}
	again, err := refreshAuth()
	if err != nil {
		t.Fatal(err)
	}
	if again.AuthenticationResult.RefreshToken != nil {
		t.Error("REFRESH_TOKEN_AUTH returned a new refresh token")
	}
	a1, a2 := f.verifyJWT(aws.ToString(first.AuthenticationResult.AccessToken)), f.verifyJWT(aws.ToString(again.AuthenticationResult.AccessToken))
	if a1["origin_jti"] != a2["origin_jti"] || a1["auth_time"] != a2["auth_time"] || a1["jti"] == a2["jti"] {
		t.Errorf("refreshed token: origin_jti %v/%v auth_time %v/%v jti %v/%v", a1["origin_jti"], a2["origin_jti"], a1["auth_time"], a2["auth_time"], a1["jti"], a2["jti"])
	}
	_, err = f.c.InitiateAuth(ctx, &cip.InitiateAuthInput{ClientId: f.clientID(), AuthFlow: types.AuthFlowTypeRefreshTokenAuth,
		AuthParameters: map[string]string{"REFRESH_TOKEN": "nonsense"}})
	wantErr[*types.NotAuthorizedException](t, err, "Invalid Refresh Token")

	// A second sign-in is a separate session.
	other, err := f.passwordAuth("nina", password)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.c.GlobalSignOut(ctx, &cip.GlobalSignOutInput{AccessToken: again.AuthenticationResult.AccessToken}); err != nil {
		t.Fatal(err)
	}
	for _, tok := range []*string{first.AuthenticationResult.AccessToken, other.AuthenticationResult.AccessToken} {
		_, err = f.c.GetUser(ctx, &cip.GetUserInput{AccessToken: tok})
		wantErr[*types.NotAuthorizedException](t, err, "Access Token has been revoked")
	}
	_, err = refreshAuth()
	wantErr[*types.NotAuthorizedException](t, err, "Refresh Token has been revoked")

	// A new sign-in works again.
	fresh, err := f.passwordAuth("nina", password)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.c.GetUser(ctx, &cip.GetUserInput{AccessToken: fresh.AuthenticationResult.AccessToken}); err != nil {
		t.Fatal(err)
	}
	// Expiry.
	f.srv.Advance(time.Hour + time.Second)
	_, err = f.c.GetUser(ctx, &cip.GetUserInput{AccessToken: fresh.AuthenticationResult.AccessToken})
	wantErr[*types.NotAuthorizedException](t, err, "Access Token has expired")
	_, err = f.c.GetUser(ctx, &cip.GetUserInput{AccessToken: aws.String("not.a.token")})
	wantErr[*types.NotAuthorizedException](t, err, "Invalid Access Token")
	// An ID token is not an access token.
	_, err = f.c.GetUser(ctx, &cip.GetUserInput{AccessToken: fresh.AuthenticationResult.IdToken})
	wantErr[*types.NotAuthorizedException](t, err, "Invalid Access Token")
}

func TestRevokeToken(t *testing.T) {
	t.Parallel()
	f := newFixture(t, fixtureOpts{})
	f.confirmedUser("olga")
	a, _ := f.passwordAuth("olga", password)
	b, _ := f.passwordAuth("olga", password)
	if _, err := f.c.RevokeToken(ctx, &cip.RevokeTokenInput{ClientId: f.clientID(), Token: a.AuthenticationResult.RefreshToken}); err != nil {
		t.Fatal(err)
	}
	_, err := f.c.GetUser(ctx, &cip.GetUserInput{AccessToken: a.AuthenticationResult.AccessToken})
	wantErr[*types.NotAuthorizedException](t, err, "Access Token has been revoked")
	if _, err := f.c.GetUser(ctx, &cip.GetUserInput{AccessToken: b.AuthenticationResult.AccessToken}); err != nil {
		t.Fatalf("the other session was revoked too: %v", err)
	}
	_, err = f.c.RevokeToken(ctx, &cip.RevokeTokenInput{ClientId: f.clientID(), Token: b.AuthenticationResult.AccessToken})
	wantErr[*types.UnsupportedTokenTypeException](t, err, "The token type is not supported.")
	// Unknown tokens are no error (RFC 7009).
	if _, err := f.c.RevokeToken(ctx, &cip.RevokeTokenInput{ClientId: f.clientID(), Token: aws.String("unknown-token")}); err != nil {
		t.Fatal(err)
	}
}

func TestTokenOperations(t *testing.T) {
	t.Parallel()
	f := newFixture(t, fixtureOpts{})
	f.confirmedUser("pat", "email", "pat@example.com", "name", "Pat")
	out, _ := f.passwordAuth("pat", password)
	tok := out.AuthenticationResult.AccessToken
	upd, err := f.c.UpdateUserAttributes(ctx, &cip.UpdateUserAttributesInput{AccessToken: tok, UserAttributes: attrs("email", "pat@new.example.com", "name", "Patricia")})
	if err != nil {
		t.Fatal(err)
	}
	if len(upd.CodeDeliveryDetailsList) != 1 || aws.ToString(upd.CodeDeliveryDetailsList[0].Destination) != "p***@n***.com" {
		t.Fatalf("CodeDeliveryDetailsList = %+v", upd.CodeDeliveryDetailsList)
	}
	_, err = f.c.UpdateUserAttributes(ctx, &cip.UpdateUserAttributesInput{AccessToken: tok, UserAttributes: attrs("email_verified", "true")})
	wantErr[*types.NotAuthorizedException](t, err, "A client attempted to write unauthorized attribute")
	if _, err := f.c.DeleteUserAttributes(ctx, &cip.DeleteUserAttributesInput{AccessToken: tok, UserAttributeNames: []string{"name"}}); err != nil {
		t.Fatal(err)
	}
	got, err := f.c.GetUser(ctx, &cip.GetUserInput{AccessToken: tok})
	if err != nil {
		t.Fatal(err)
	}
	m := map[string]string{}
	for _, a := range got.UserAttributes {
		m[aws.ToString(a.Name)] = aws.ToString(a.Value)
	}
	if m["email"] != "pat@new.example.com" || m["email_verified"] != "false" || m["name"] != "" {
		t.Fatalf("attributes = %v", m)
	}
	if _, err := f.c.AdminUserGlobalSignOut(ctx, &cip.AdminUserGlobalSignOutInput{UserPoolId: &f.poolID, Username: aws.String("pat")}); err != nil {
		t.Fatal(err)
	}
	_, err = f.c.GetUser(ctx, &cip.GetUserInput{AccessToken: tok})
	wantErr[*types.NotAuthorizedException](t, err, "Access Token has been revoked")
	out, _ = f.passwordAuth("pat", password)
	if _, err := f.c.DeleteUser(ctx, &cip.DeleteUserInput{AccessToken: out.AuthenticationResult.AccessToken}); err != nil {
		t.Fatal(err)
	}
	_, err = f.c.AdminGetUser(ctx, &cip.AdminGetUserInput{UserPoolId: &f.poolID, Username: aws.String("pat")})
	wantErr[*types.UserNotFoundException](t, err, "User does not exist.")
}

func TestKeysPersistAndRotate(t *testing.T) {
	t.Parallel()
	f := newFixture(t, fixtureOpts{})
	f.confirmedUser("quinn")
	before, _ := f.passwordAuth("quinn", password)
	resp, err := httpPost(f.srv.URL + "/_userpool/keys/rotate?userPoolId=" + f.poolID)
	if err != nil || resp != 200 {
		t.Fatalf("rotate: %d, %v", resp, err)
	}
	after, _ := f.passwordAuth("quinn", password)
	// Both verify against the published JWKS, under different keys.
	f.verifyJWT(aws.ToString(before.AuthenticationResult.IdToken))
	f.verifyJWT(aws.ToString(after.AuthenticationResult.IdToken))
	if _, err := f.c.GetUser(ctx, &cip.GetUserInput{AccessToken: before.AuthenticationResult.AccessToken}); err != nil {
		t.Fatalf("token signed before rotation refused: %v", err)
	}
	if kid(aws.ToString(before.AuthenticationResult.IdToken)) == kid(aws.ToString(after.AuthenticationResult.IdToken)) {
		t.Fatal("rotation kept the same key")
	}
}
