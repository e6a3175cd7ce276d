package declare_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/userpool/userpool/api"
	"github.com/userpool/userpool/internal/declare"
	"github.com/userpool/userpool/internal/service"
	"github.com/userpool/userpool/internal/store/sqlite"
)

// newService is a service over a fresh SQLite store.
func newService(t *testing.T) *service.Service {
	t.Helper()
	ctx := context.Background()
	st, err := sqlite.Open(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	svc, err := service.New(ctx, st, service.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return svc
}

// docExample is the complete example of docs/declarative.md, so the
// documentation cannot drift from what works.
func docExample(t *testing.T) []byte {
	t.Helper()
	doc, err := os.ReadFile("../../docs/declarative.md")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile("(?s)```yaml\n(# userpool.yaml\n.*?)```").FindSubmatch(doc)
	if m == nil {
		t.Fatal("docs/declarative.md has no ```yaml block starting with # userpool.yaml")
	}
	return m[1]
}

func parse(t *testing.T, src string) *declare.File {
	t.Helper()
	f, err := declare.Parse("userpool.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func apply(t *testing.T, svc *service.Service, f *declare.File) *declare.Result {
	t.Helper()
	res, err := declare.Apply(context.Background(), svc, f)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func must[T any](t *testing.T) func(T, error) T {
	return func(v T, err error) T {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
}

func attrsOf(list []api.AttributeType) map[string]string {
	m := map[string]string{}
	for _, a := range list {
		m[api.ToString(a.Name)] = api.ToString(a.Value)
	}
	return m
}

const (
	demoPool  = "us-east-1_Local0001"
	webClient = "localclient0000000000000001"
	backend   = "localclient0000000000000002"
	secret    = "localsecret0000000000000000000000001"
)

func signIn(ctx context.Context, svc *service.Service, clientID, clientSecret, username, password string) (*api.InitiateAuthResponse, error) {
	params := map[string]string{"USERNAME": username, "PASSWORD": password}
	if clientSecret != "" {
		params["SECRET_HASH"] = service.SecretHash(clientSecret, username, clientID)
	}
	return svc.InitiateAuth(ctx, &api.InitiateAuthRequest{ClientId: &clientID, AuthFlow: api.String("USER_PASSWORD_AUTH"), AuthParameters: params})
}

func TestApplyDocExample(t *testing.T) {
	ctx := context.Background()
	svc := newService(t)
	f := parse(t, string(docExample(t)))
	res := apply(t, svc, f)
	if len(res.Changes) != 2+3+5 || len(res.PoolIDs) != 2 || res.PoolIDs[0] != demoPool {
		t.Fatalf("changes %v, pools %v", res.Changes, res.PoolIDs)
	}
	for _, c := range res.Changes {
		if c.Action != "created" {
			t.Errorf("%s: %s", c.Path, c)
		}
	}

	// The pool, with its fixed ID and settings.
	pool := must[*api.DescribeUserPoolResponse](t)(svc.DescribeUserPool(ctx, &api.DescribeUserPoolRequest{UserPoolId: api.String(demoPool)})).UserPool
	if api.ToString(pool.Name) != "demo" || !slices.Equal(pool.AutoVerifiedAttributes, []string{"email"}) ||
		api.ToInt32(pool.Policies.PasswordPolicy.MinimumLength) != 8 || !api.ToBool(pool.Policies.PasswordPolicy.RequireNumbers) ||
		api.ToBool(pool.Policies.PasswordPolicy.RequireSymbols) || api.ToBool(pool.UsernameConfiguration.CaseSensitive) {
		t.Errorf("pool: %+v", pool)
	}
	if !slices.ContainsFunc(pool.SchemaAttributes, func(a api.SchemaAttributeType) bool { return api.ToString(a.Name) == "custom:plan" }) {
		t.Error("no custom:plan in the schema")
	}

	// The clients, with their fixed IDs and secret.
	web := must[*api.DescribeUserPoolClientResponse](t)(svc.DescribeUserPoolClient(ctx, &api.DescribeUserPoolClientRequest{UserPoolId: api.String(demoPool), ClientId: api.String(webClient)})).UserPoolClient
	if api.ToString(web.ClientName) != "web" || web.ClientSecret != nil || len(web.ExplicitAuthFlows) != 3 {
		t.Errorf("web client: %+v", web)
	}
	be := must[*api.DescribeUserPoolClientResponse](t)(svc.DescribeUserPoolClient(ctx, &api.DescribeUserPoolClientRequest{UserPoolId: api.String(demoPool), ClientId: api.String(backend)})).UserPoolClient
	if api.ToString(be.ClientSecret) != secret || api.ToInt32(be.AccessTokenValidity) != 60 || api.ToString(be.TokenValidityUnits.AccessToken) != "minutes" {
		t.Errorf("backend client: %+v", be)
	}

	// The users, with their statuses, attributes and passwords.
	for _, tc := range []struct {
		username, status string
		enabled          bool
		attrs            map[string]string
	}{
		{"jane", "CONFIRMED", true, map[string]string{"email": "jane@example.com", "email_verified": "true", "custom:plan": "pro"}},
		{"newbie", "FORCE_CHANGE_PASSWORD", true, map[string]string{"email": "newbie@example.com"}},
		{"pending", "UNCONFIRMED", true, map[string]string{"email": "pending@example.com"}},
		{"banned", "CONFIRMED", false, nil},
	} {
		u, err := svc.AdminGetUser(ctx, &api.AdminGetUserRequest{UserPoolId: api.String(demoPool), Username: &tc.username})
		if err != nil {
			t.Fatalf("%s: %v", tc.username, err)
		}
		got := attrsOf(u.UserAttributes)
		for k, v := range tc.attrs {
			if got[k] != v {
				t.Errorf("%s: %s = %q, want %q", tc.username, k, got[k], v)
			}
		}
		if api.ToString(u.UserStatus) != tc.status || api.ToBool(u.Enabled) != tc.enabled {
			t.Errorf("%s: status %s enabled %v, want %s %v", tc.username, api.ToString(u.UserStatus), api.ToBool(u.Enabled), tc.status, tc.enabled)
		}
	}
	if out, err := signIn(ctx, svc, webClient, "", "jane", "Passw0rd!"); err != nil || out.AuthenticationResult == nil {
		t.Errorf("jane signs in: %v %v", out, err)
	}
	if out, err := signIn(ctx, svc, backend, secret, "jane", "Passw0rd!"); err != nil || out.AuthenticationResult == nil {
		t.Errorf("jane signs in with the secret client: %v %v", out, err)
	}
	if out, err := signIn(ctx, svc, webClient, "", "newbie", "Temp0rary!"); err != nil || api.ToString(out.ChallengeName) != "NEW_PASSWORD_REQUIRED" {
		t.Errorf("newbie signs in: %v %v", out, err)
	}
	var notConfirmed *api.UserNotConfirmedException
	if _, err := signIn(ctx, svc, webClient, "", "pending", "Passw0rd!"); !errors.As(err, &notConfirmed) {
		t.Errorf("pending signs in: %v", err)
	}

	// The pool without an ID: generated, the client's secret too; the
	// user is known by email.
	shop := res.PoolIDs[1]
	if !strings.HasPrefix(shop, "us-east-1_") {
		t.Errorf("shop pool ID %q", shop)
	}
	clients := must[*api.ListUserPoolClientsResponse](t)(svc.ListUserPoolClients(ctx, &api.ListUserPoolClientsRequest{UserPoolId: &shop, MaxResults: api.Int32(60)})).UserPoolClients
	if len(clients) != 1 {
		t.Fatalf("shop clients: %+v", clients)
	}
	mobile := must[*api.DescribeUserPoolClientResponse](t)(svc.DescribeUserPoolClient(ctx, &api.DescribeUserPoolClientRequest{UserPoolId: &shop, ClientId: clients[0].ClientId})).UserPoolClient
	if len(api.ToString(mobile.ClientSecret)) != 51 {
		t.Errorf("mobile secret %q", api.ToString(mobile.ClientSecret))
	}
	if u, err := svc.AdminGetUser(ctx, &api.AdminGetUserRequest{UserPoolId: &shop, Username: api.String("sam@example.com")}); err != nil || api.ToString(u.UserStatus) != "CONFIRMED" {
		t.Errorf("sam: %+v %v", u, err)
	}
}

// snapshot is everything a test compares between two states of a store,
// server-owned fields (dates, counts) aside.
func snapshot(t *testing.T, svc *service.Service) string {
	t.Helper()
	f, err := declare.Export(context.Background(), svc)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := declare.Encode(&b, f, "yaml"); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func lastModified(t *testing.T, svc *service.Service) []string {
	t.Helper()
	ctx := context.Background()
	var out []string
	pools := must[*api.ListUserPoolsResponse](t)(svc.ListUserPools(ctx, &api.ListUserPoolsRequest{MaxResults: api.Int32(60)})).UserPools
	for _, p := range pools {
		out = append(out, api.ToString(p.Id)+" "+p.LastModifiedDate.String())
		clients := must[*api.ListUserPoolClientsResponse](t)(svc.ListUserPoolClients(ctx, &api.ListUserPoolClientsRequest{UserPoolId: p.Id})).UserPoolClients
		for _, c := range clients {
			d := must[*api.DescribeUserPoolClientResponse](t)(svc.DescribeUserPoolClient(ctx, &api.DescribeUserPoolClientRequest{UserPoolId: p.Id, ClientId: c.ClientId}))
			out = append(out, api.ToString(c.ClientId)+" "+d.UserPoolClient.LastModifiedDate.String())
		}
		users := must[*api.ListUsersResponse](t)(svc.ListUsers(ctx, &api.ListUsersRequest{UserPoolId: p.Id})).Users
		for _, u := range users {
			out = append(out, api.ToString(u.Username)+" "+u.UserLastModifiedDate.String())
		}
	}
	return out
}

func TestApplyIsIdempotent(t *testing.T) {
	ctx := context.Background()
	svc := newService(t)
	src := string(docExample(t))
	first := apply(t, svc, parse(t, src))
	before, stamps := snapshot(t, svc), lastModified(t, svc)

	again := apply(t, svc, parse(t, src))
	if len(again.Changes) != 0 || !slices.Equal(again.PoolIDs, first.PoolIDs) {
		t.Fatalf("second apply: %v (pools %v, first %v)", again.Changes, again.PoolIDs, first.PoolIDs)
	}
	if after := snapshot(t, svc); after != before {
		t.Errorf("second apply changed the store:\n%s\nwas\n%s", after, before)
	}
	if after := lastModified(t, svc); !slices.Equal(after, stamps) {
		t.Errorf("second apply touched records:\n%v\nwas\n%v", after, stamps)
	}

	// Change one thing of each kind: each is updated, nothing duplicated.
	changed := strings.NewReplacer(
		"MinimumLength: 8", "MinimumLength: 10",
		"AccessTokenValidity: 60", "AccessTokenValidity: 30",
		"localsecret0000000000000000000000001", "localsecret0000000000000000000000002",
		"custom:plan: pro", "custom:plan: free",
		"status: UNCONFIRMED", "status: CONFIRMED",
		"enabled: false", "enabled: true",
		"UsernameAttributes: [email]           # users", "UsernameAttributes: [email]\n      MfaConfiguration: \"OFF\"\n      DeletionProtection: ACTIVE #",
	).Replace(src)
	res := apply(t, svc, parse(t, changed))
	var got []string
	for _, c := range res.Changes {
		got = append(got, c.Action+" "+c.Path)
	}
	want := []string{"updated pools[0]", "updated pools[0].clients[1]", "updated pools[0].users[0]", "updated pools[0].users[2]", "updated pools[0].users[3]", "updated pools[1]"}
	if !slices.Equal(got, want) {
		t.Errorf("changes %v, want %v", got, want)
	}
	if !slices.Equal(res.PoolIDs, first.PoolIDs) {
		t.Errorf("pools %v, first %v", res.PoolIDs, first.PoolIDs)
	}
	pool := must[*api.DescribeUserPoolResponse](t)(svc.DescribeUserPool(ctx, &api.DescribeUserPoolRequest{UserPoolId: api.String(demoPool)})).UserPool
	if api.ToInt32(pool.Policies.PasswordPolicy.MinimumLength) != 10 || api.ToInt32(pool.EstimatedNumberOfUsers) != 4 {
		t.Errorf("pool: min length %d, %d users", api.ToInt32(pool.Policies.PasswordPolicy.MinimumLength), api.ToInt32(pool.EstimatedNumberOfUsers))
	}
	if shop := must[*api.DescribeUserPoolResponse](t)(svc.DescribeUserPool(ctx, &api.DescribeUserPoolRequest{UserPoolId: &first.PoolIDs[1]})).UserPool; api.ToString(shop.DeletionProtection) != "ACTIVE" {
		t.Errorf("shop deletion protection %s", api.ToString(shop.DeletionProtection))
	}
	be := must[*api.DescribeUserPoolClientResponse](t)(svc.DescribeUserPoolClient(ctx, &api.DescribeUserPoolClientRequest{UserPoolId: api.String(demoPool), ClientId: api.String(backend)})).UserPoolClient
	if api.ToString(be.ClientSecret) != "localsecret0000000000000000000000002" || api.ToInt32(be.AccessTokenValidity) != 30 {
		t.Errorf("backend: %+v", be)
	}
	jane := must[*api.AdminGetUserResponse](t)(svc.AdminGetUser(ctx, &api.AdminGetUserRequest{UserPoolId: api.String(demoPool), Username: api.String("jane")}))
	if a := attrsOf(jane.UserAttributes); a["custom:plan"] != "free" || a["email_verified"] != "true" {
		t.Errorf("jane: %v", a)
	}
	for name, status := range map[string]string{"pending": "CONFIRMED", "banned": "CONFIRMED"} {
		u := must[*api.AdminGetUserResponse](t)(svc.AdminGetUser(ctx, &api.AdminGetUserRequest{UserPoolId: api.String(demoPool), Username: &name}))
		if api.ToString(u.UserStatus) != status || !api.ToBool(u.Enabled) {
			t.Errorf("%s: %s enabled %v", name, api.ToString(u.UserStatus), api.ToBool(u.Enabled))
		}
	}
	if out, err := signIn(ctx, svc, webClient, "", "pending", "Passw0rd!"); err != nil || out.AuthenticationResult == nil {
		t.Errorf("pending signs in once confirmed: %v %v", out, err)
	}
	if res := apply(t, svc, parse(t, changed)); len(res.Changes) != 0 {
		t.Errorf("applying the changed file again: %v", res.Changes)
	}

	// A password changed in the file is set; one left out is kept.
	withPw := strings.Replace(changed, "password: Passw0rd!                 # permanent: jane signs in with it", "password: NewPassw0rd", 1)
	if res := apply(t, svc, parse(t, withPw)); len(res.Changes) != 1 || res.Changes[0].Path != "pools[0].users[0]" {
		t.Errorf("new password: %v", res.Changes)
	}
	if _, err := signIn(ctx, svc, webClient, "", "jane", "NewPassw0rd"); err != nil {
		t.Errorf("jane signs in with the new password: %v", err)
	}
	noPw := strings.Replace(withPw, "password: NewPassw0rd", "", 1)
	if res := apply(t, svc, parse(t, noPw)); len(res.Changes) != 0 {
		t.Errorf("no password: %v", res.Changes)
	}
	if _, err := signIn(ctx, svc, webClient, "", "jane", "NewPassw0rd"); err != nil {
		t.Errorf("jane keeps her password: %v", err)
	}
}

func TestApplyFindsByName(t *testing.T) {
	ctx := context.Background()
	svc := newService(t)
	// A pool and client made through the API are adopted by name.
	pool := must[*api.CreateUserPoolResponse](t)(svc.CreateUserPool(ctx, &api.CreateUserPoolRequest{PoolName: api.String("app")})).UserPool
	client := must[*api.CreateUserPoolClientResponse](t)(svc.CreateUserPoolClient(ctx, &api.CreateUserPoolClientRequest{UserPoolId: pool.Id, ClientName: api.String("web"), GenerateSecret: api.Bool(true)})).UserPoolClient
	src := `
pools:
  - name: app
    settings:
      Schema: [{Name: tier, AttributeDataType: Number}]
    clients:
      - name: web
        generateSecret: true
`
	res := apply(t, svc, parse(t, src))
	if len(res.PoolIDs) != 1 || res.PoolIDs[0] != api.ToString(pool.Id) {
		t.Fatalf("pools %v, want %s", res.PoolIDs, api.ToString(pool.Id))
	}
	if len(res.Changes) != 1 || res.Changes[0].Kind != "pool" {
		t.Errorf("changes %v: want the custom attribute added, the client kept", res.Changes)
	}
	got := must[*api.DescribeUserPoolClientResponse](t)(svc.DescribeUserPoolClient(ctx, &api.DescribeUserPoolClientRequest{UserPoolId: pool.Id, ClientId: client.ClientId})).UserPoolClient
	if api.ToString(got.ClientSecret) != api.ToString(client.ClientSecret) {
		t.Error("generateSecret replaced an existing secret")
	}
	desc := must[*api.DescribeUserPoolResponse](t)(svc.DescribeUserPool(ctx, &api.DescribeUserPoolRequest{UserPoolId: pool.Id})).UserPool
	if !slices.ContainsFunc(desc.SchemaAttributes, func(a api.SchemaAttributeType) bool { return api.ToString(a.Name) == "custom:tier" }) {
		t.Error("custom:tier was not added")
	}
	if res := apply(t, svc, parse(t, src)); len(res.Changes) != 0 {
		t.Errorf("again: %v", res.Changes)
	}
	// Without generateSecret or secret, the client has none.
	if res := apply(t, svc, parse(t, strings.Replace(src, "generateSecret: true", "", 1))); len(res.Changes) != 1 {
		t.Errorf("removing the secret: %v", res.Changes)
	}
	got = must[*api.DescribeUserPoolClientResponse](t)(svc.DescribeUserPoolClient(ctx, &api.DescribeUserPoolClientRequest{UserPoolId: pool.Id, ClientId: client.ClientId})).UserPoolClient
	if got.ClientSecret != nil {
		t.Error("the secret stayed")
	}

	// Two pools of the name: the file must say which.
	must[*api.CreateUserPoolResponse](t)(svc.CreateUserPool(ctx, &api.CreateUserPoolRequest{PoolName: api.String("app")}))
	_, err := declare.Apply(ctx, svc, parse(t, src))
	if err == nil || !strings.Contains(err.Error(), `pools[0] (app): 2 pools are named "app"`) {
		t.Errorf("ambiguous name: %v", err)
	}
}

func TestExportThenApply(t *testing.T) {
	ctx := context.Background()
	a := newService(t)
	apply(t, a, parse(t, string(docExample(t))))
	exported := snapshot(t, a)
	if regexp.MustCompile(`(?m)^\s*password:`).MatchString(exported) {
		t.Error("export wrote a password")
	}

	for _, format := range []string{"yaml", "json"} {
		t.Run(format, func(t *testing.T) {
			f, err := declare.Export(ctx, a)
			if err != nil {
				t.Fatal(err)
			}
			var buf bytes.Buffer
			if err := declare.Encode(&buf, f, format); err != nil {
				t.Fatal(err)
			}
			// Applied back to the same store: nothing to do.
			if res := apply(t, a, parse(t, buf.String())); len(res.Changes) != 0 {
				t.Errorf("export applied to its own store: %v", res.Changes)
			}
			// Applied to an empty store: the same pools, clients and users.
			b := newService(t)
			apply(t, b, parse(t, buf.String()))
			if got := snapshot(t, b); got != exported {
				t.Errorf("export of the copy:\n%s\nexport of the original:\n%s", got, exported)
			}
			for _, id := range []string{demoPool} {
				da := must[*api.DescribeUserPoolResponse](t)(a.DescribeUserPool(ctx, &api.DescribeUserPoolRequest{UserPoolId: &id})).UserPool
				db := must[*api.DescribeUserPoolResponse](t)(b.DescribeUserPool(ctx, &api.DescribeUserPoolRequest{UserPoolId: &id})).UserPool
				da.CreationDate, da.LastModifiedDate, db.CreationDate, db.LastModifiedDate = nil, nil, nil, nil
				if !sameJSON(t, da, db) {
					t.Errorf("pool %s differs", id)
				}
			}
			ca := must[*api.DescribeUserPoolClientResponse](t)(a.DescribeUserPoolClient(ctx, &api.DescribeUserPoolClientRequest{UserPoolId: api.String(demoPool), ClientId: api.String(backend)})).UserPoolClient
			cb := must[*api.DescribeUserPoolClientResponse](t)(b.DescribeUserPoolClient(ctx, &api.DescribeUserPoolClientRequest{UserPoolId: api.String(demoPool), ClientId: api.String(backend)})).UserPoolClient
			ca.CreationDate, ca.LastModifiedDate, cb.CreationDate, cb.LastModifiedDate = nil, nil, nil, nil
			if !sameJSON(t, ca, cb) {
				t.Error("backend client differs")
			}
		})
	}
}

func sameJSON(t *testing.T, a, b any) bool {
	t.Helper()
	ja, err1 := json.Marshal(a)
	jb, err2 := json.Marshal(b)
	if err1 != nil || err2 != nil {
		t.Fatal(err1, err2)
	}
	if string(ja) != string(jb) {
		t.Logf("%s\nvs\n%s", ja, jb)
		return false
	}
	return true
}

func TestBadFiles(t *testing.T) {
	for _, tc := range []struct {
		name, src, want string
	}{
		{"syntax", "pools:\n  - name: [x\n", `userpool.yaml:1: did not find expected ',' or ']'`},
		{"top field", "pool: []\n", `userpool.yaml:1: unknown field "pool" (known: pools)`},
		{"pool field", "pools:\n  - nmae: x\n", `userpool.yaml:2: pools[0]: unknown field "nmae"`},
		{"no name", "pools:\n  - id: us-east-1_X1\n", `pools[0]: name is required`},
		{"pool id", "pools:\n  - {id: bad, name: x}\n", `pools[0]: id "bad" must match`},
		{"status", "pools:\n  - name: x\n    users:\n      - username: a\n      - username: b\n      - username: c\n        status: CONFIRMD\n",
			`userpool.yaml:7: pools[0].users[2]: unknown status "CONFIRMD"`},
		{"user field", "pools:\n  - name: x\n    users: [{username: a, pasword: x}]\n", `pools[0].users[0]: unknown field "pasword"`},
		{"enabled", "pools:\n  - name: x\n    users: [{username: a, enabled: yes}]\n", `pools[0].users[0].enabled: expected true or false, got "yes"`},
		{"sub", "pools:\n  - name: x\n    users: [{username: a, attributes: {sub: x}}]\n", `pools[0].users[0].attributes: sub is assigned by the server`},
		{"attribute value", "pools:\n  - name: x\n    users: [{username: a, attributes: {email: [x]}}]\n", `attribute "email": expected a value`},
		{"settings field", "pools:\n  - name: x\n    settings: {Policies: {PasswordPolicy: {MinLength: 8}}}\n",
			`pools[0].settings.Policies.PasswordPolicy: unknown field "MinLength" for PasswordPolicyType`},
		{"settings case", "pools:\n  - name: x\n    settings: {autoVerifiedAttributes: [email]}\n", `(did you mean "AutoVerifiedAttributes"?)`},
		{"settings type", "pools:\n  - name: x\n    settings: {Policies: {PasswordPolicy: {MinimumLength: eight}}}\n",
			`pools[0].settings.Policies.PasswordPolicy.MinimumLength: expected a whole number, got "eight"`},
		{"settings list", "pools:\n  - name: x\n    settings: {AutoVerifiedAttributes: email}\n", `pools[0].settings.AutoVerifiedAttributes: expected a list`},
		{"pool name in settings", "pools:\n  - name: x\n    settings: {PoolName: y}\n", `PoolName cannot be set here`},
		{"client secret in settings", "pools:\n  - name: x\n    clients: [{name: c, settings: {ClientSecret: y}}]\n", `pools[0].clients[0].settings: ClientSecret cannot be set here`},
		{"secret and generate", "pools:\n  - name: x\n    clients: [{name: c, secret: abcdefghijklmnopqrstuvwxyz, generateSecret: true}]\n", `pools[0].clients[0]: give either secret or generateSecret`},
		{"short secret", "pools:\n  - name: x\n    clients: [{name: c, secret: abc}]\n", `pools[0].clients[0]: secret must match`},
		{"same username", "pools:\n  - name: x\n    users: [{username: a}, {username: a}]\n", `pools[0].users[1]: username "a" is also pools[0].users[0]'s`},
		{"same pool name", "pools:\n  - name: x\n  - name: x\n", `pools[1]: pool name "x" is also pools[0]'s`},
		{"same client id", "pools:\n  - {name: x, clients: [{id: c1, name: a}]}\n  - {name: y, clients: [{id: c1, name: b}]}\n", `pools[1].clients[0]: client id "c1" is also pools[0].clients[0]'s`},
		{"json", `{"pools": [{"name": "x", "users": [{"username": "a", "status": "NOPE"}]}]}`, `pools[0].users[0]: unknown status "NOPE"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := declare.Parse("userpool.yaml", []byte(tc.src))
			var fe *declare.FileError
			if !errors.As(err, &fe) {
				t.Fatalf("error %v (%T), want a *FileError", err, err)
			}
			if !strings.Contains(err.Error(), tc.want) || !strings.HasPrefix(err.Error(), "userpool.yaml") {
				t.Errorf("error %q, want it to contain %q", err, tc.want)
			}
		})
	}
	// Empty files and JSON files are fine.
	for _, src := range []string{"", "pools: []\n", `{"pools": [{"name": "x", "settings": {"MfaConfiguration": "OFF"}}]}`} {
		if _, err := declare.Parse("userpool.yaml", []byte(src)); err != nil {
			t.Errorf("%q: %v", src, err)
		}
	}
}

func TestServiceErrors(t *testing.T) {
	ctx := context.Background()
	svc := newService(t)
	src := `
pools:
  - id: us-east-1_Errors1
    name: strict
    settings: {Policies: {PasswordPolicy: {MinimumLength: 12}}}
    users:
      - username: ok
      - username: jane
        password: Passw0rd!
`
	_, err := declare.Apply(ctx, svc, parse(t, src))
	var ae *declare.ApplyError
	var bad *api.InvalidPasswordException
	if !errors.As(err, &ae) || !errors.As(err, &bad) {
		t.Fatalf("error %v (%T)", err, err)
	}
	if want := "userpool.yaml: pools[0].users[1] (jane): InvalidPasswordException: Password does not conform to policy: "; !strings.HasPrefix(err.Error(), want) {
		t.Errorf("error %q, want %q...", err, want)
	}
	// What came before stays; the fixed file finishes the job.
	res := apply(t, svc, parse(t, strings.Replace(src, "Passw0rd!", "LongerPassw0rd!", 1)))
	if len(res.Changes) != 1 || res.Changes[0].String() != "created user jane in pool us-east-1_Errors1" {
		t.Errorf("changes %v", res.Changes)
	}

	// What UpdateUserPool cannot change must match.
	_, err = declare.Apply(ctx, svc, parse(t, strings.Replace(src, "settings: {", "settings: {UsernameAttributes: [email], ", 1)))
	if err == nil || !strings.Contains(err.Error(), "pools[0] (strict): UsernameAttributes cannot change on an existing pool") {
		t.Errorf("username attributes: %v", err)
	}
	_, err = declare.Apply(ctx, svc, parse(t, `
pools:
  - id: us-east-1_Errors1
    name: strict
    settings: {Schema: [{Name: email, Required: true}]}
`))
	if err == nil || !strings.Contains(err.Error(), "schema attribute email cannot change") {
		t.Errorf("schema: %v", err)
	}
	// A fixed client ID of another pool.
	_, err = declare.Apply(ctx, svc, parse(t, `
pools:
  - {id: us-east-1_Errors1, name: strict, clients: [{id: sharedclient, name: a}]}
  - {id: us-east-1_Errors2, name: other}
`))
	if err != nil {
		t.Fatal(err)
	}
	_, err = declare.Apply(ctx, svc, parse(t, `
pools:
  - {id: us-east-1_Errors2, name: other, clients: [{id: sharedclient, name: b}]}
`))
	if err == nil || !strings.Contains(err.Error(), "pools[0].clients[0] (b): InvalidParameterException: An app client with ID sharedclient already exists.") {
		t.Errorf("client of another pool: %v", err)
	}
}
