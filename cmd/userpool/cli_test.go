package main

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/spf13/cobra"

	"github.com/userpool/userpool/internal/testserver"
)

// bin is the userpool command built by TestMain.
var bin string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "userpool-cli-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	bin, err = testserver.BuildUserpool(dir)
	if err != nil {
		fmt.Fprintln(os.Stderr, "building userpool:", err)
		os.RemoveAll(dir)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// cli runs the userpool command against one server.
type cli struct {
	t        *testing.T
	endpoint string
}

// result is what a run of the command printed, and its exit code.
type result struct {
	args           []string
	stdout, stderr string
	code           int
}

// run runs the command; env entries (NAME=VALUE) and a line-per-string
// stdin are optional extras given as "env:NAME=VALUE" and "stdin:TEXT".
func (c *cli) run(args ...string) result {
	c.t.Helper()
	var env []string
	var stdin string
	var plain []string
	for _, a := range args {
		switch {
		case strings.HasPrefix(a, "env:"):
			env = append(env, strings.TrimPrefix(a, "env:"))
		case strings.HasPrefix(a, "stdin:"):
			stdin += strings.TrimPrefix(a, "stdin:") + "\n"
		default:
			plain = append(plain, a)
		}
	}
	cmd := exec.CommandContext(c.t.Context(), bin, plain...)
	cmd.Env = append(cleanEnv(), "USERPOOL_ENDPOINT="+c.endpoint)
	cmd.Env = append(cmd.Env, env...)
	cmd.Stdin = strings.NewReader(stdin)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	r := result{args: plain, stdout: stdout.String(), stderr: stderr.String()}
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		r.code = exit.ExitCode()
	} else if err != nil {
		c.t.Fatalf("userpool %q: %v", plain, err)
	}
	return r
}

// cleanEnv is the environment without the variables userpool reads.
func cleanEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "USERPOOL_") && !strings.HasPrefix(kv, "AWS_") {
			env = append(env, kv)
		}
	}
	return env
}

// ok runs a command that must succeed.
func (c *cli) ok(args ...string) result {
	c.t.Helper()
	r := c.run(args...)
	if r.code != 0 {
		c.t.Fatalf("userpool %q: exit %d\nstdout: %s\nstderr: %s", r.args, r.code, r.stdout, r.stderr)
	}
	return r
}

// json runs a command that must succeed and decodes its output.
func (c *cli) json(v any, args ...string) {
	c.t.Helper()
	r := c.ok(append(args, "--output", "json")...)
	if err := json.Unmarshal([]byte(r.stdout), v); err != nil {
		c.t.Fatalf("userpool %q printed %q: %v", r.args, r.stdout, err)
	}
}

// fails runs a command that must exit with code and print want on stderr.
func (c *cli) fails(code int, want string, args ...string) result {
	c.t.Helper()
	r := c.run(args...)
	if r.code != code || !strings.Contains(r.stderr, want) {
		c.t.Fatalf("userpool %q: exit %d, stderr %q; want exit %d and %q", r.args, r.code, r.stderr, code, want)
	}
	return r
}

// tableRows checks that output is a table with the header, and returns its
// rows split into fields.
func tableRows(t *testing.T, out string, header ...string) [][]string {
	t.Helper()
	lines := strings.Split(strings.TrimRight(out, "\n"), "\n")
	if got := strings.Fields(lines[0]); strings.Join(got, " ") != strings.Join(header, " ") {
		t.Fatalf("table header %q, want %q in\n%s", got, header, out)
	}
	var rows [][]string
	for _, l := range lines[1:] {
		rows = append(rows, strings.Fields(l))
	}
	return rows
}

// fields reads a "Field  value" table.
func fields(t *testing.T, out string) map[string]string {
	t.Helper()
	m := map[string]string{}
	for _, l := range strings.Split(strings.TrimRight(out, "\n"), "\n") {
		k, v, ok := strings.Cut(l, " ")
		if !ok {
			t.Fatalf("not a Field value line: %q in\n%s", l, out)
		}
		m[k] = strings.TrimSpace(v)
	}
	return m
}

func start(t *testing.T) (*testserver.Server, *cli) {
	t.Helper()
	srv := testserver.Start(t)
	return srv, &cli{t: t, endpoint: srv.URL}
}

var poolIDPattern = regexp.MustCompile(`^us-east-1_[0-9A-Za-z]{9}$`)

// newPool creates a pool and an app client allowing SRP and password
// sign-in through the CLI.
func newPool(c *cli, extra ...string) (poolID, clientID string) {
	c.t.Helper()
	var pool struct{ UserPool struct{ Id string } }
	c.json(&pool, append([]string{"pool", "create", "--name", "cli", "--auto-verify", "email"}, extra...)...)
	var client struct{ UserPoolClient struct{ ClientId string } }
	c.json(&client, "client", "create", "--pool", pool.UserPool.Id, "--name", "app",
		"--flows", "ALLOW_USER_SRP_AUTH,ALLOW_USER_PASSWORD_AUTH,ALLOW_REFRESH_TOKEN_AUTH")
	return pool.UserPool.Id, client.UserPoolClient.ClientId
}

// tokens is login's JSON output.
type tokens struct {
	AuthenticationResult struct {
		AccessToken, IdToken, RefreshToken, TokenType string
		ExpiresIn                                     int
	}
}

// login signs in through the CLI and checks the tokens are the user's.
func login(c *cli, srv *testserver.Server, username string, args ...string) tokens {
	c.t.Helper()
	var tok tokens
	c.json(&tok, append([]string{"login", username}, args...)...)
	a := tok.AuthenticationResult
	if a.TokenType != "Bearer" || a.ExpiresIn != 3600 || a.IdToken == "" || a.RefreshToken == "" {
		c.t.Fatalf("login printed %+v", tok)
	}
	u, err := srv.Client.GetUser(c.t.Context(), &cip.GetUserInput{AccessToken: aws.String(a.AccessToken)})
	if err != nil {
		c.t.Fatalf("GetUser with the access token login printed: %v", err)
	}
	if aws.ToString(u.Username) != username {
		c.t.Fatalf("the access token is %s's, not %s's", aws.ToString(u.Username), username)
	}
	return tok
}

// kid reads a JWT's key ID.
func kid(t *testing.T, jwt string) string {
	t.Helper()
	header, _, _ := strings.Cut(jwt, ".")
	b, err := base64.RawURLEncoding.DecodeString(header)
	var h struct{ Kid string }
	if err == nil {
		err = json.Unmarshal(b, &h)
	}
	if err != nil || h.Kid == "" {
		t.Fatalf("JWT header %q: %v", header, err)
	}
	return h.Kid
}

func TestUsage(t *testing.T) {
	t.Parallel()
	c := &cli{t: t, endpoint: "http://127.0.0.1:1"}
	for _, tc := range []struct {
		want string
		args []string
	}{
		{"a command is required", nil},
		{`unknown command "frob" for "userpool"`, []string{"frob"}},
		{"Did you mean this?\n\tdescribe", []string{"pool", "descrbe"}},
		{"a command is required", []string{"user"}},
		{"missing POOL_ID\nRun 'userpool pool describe --help' for usage.", []string{"pool", "describe"}},
		{`unexpected argument "b"`, []string{"pool", "delete", "a", "b"}},
		{"--name is required", []string{"pool", "create"}},
		{"invalid argument \"many\" for \"--min-length\"", []string{"pool", "create", "--name", "x", "--min-length", "many"}},
		{"--pool, --name are required", []string{"client", "create"}},
		{"--pool is required", []string{"user", "get", "jane"}},
		{"missing USERNAME", []string{"user", "get", "--pool", "us-east-1_AbCdEfGhI"}},
		{"unknown flag: --bogus\nRun 'userpool user list --help' for usage.", []string{"user", "list", "--bogus"}},
		{`--attr "email" is not NAME=VALUE`, []string{"user", "create", "--pool", "p", "jane", "--attr", "email"}},
		{`--output must be json or table, not "xml"`, []string{"pool", "list", "--output", "xml"}},
		{`--output must be json or table, not "yaml"`, []string{"pool", "list", "env:USERPOOL_OUTPUT=yaml"}},
		{`--endpoint "ftp://x" is not an http(s) URL`, []string{"pool", "list", "--endpoint", "ftp://x"}},
		{"--client is required", []string{"forgot-password", "jane"}},
		{"--client, --code are required", []string{"confirm-forgot-password", "jane"}},
		{"--access-token (or $USERPOOL_ACCESS_TOKEN) is required", []string{"change-password"}},
		{"--pool, --client are required", []string{"login", "jane"}},
		{`--flow must be srp or password, not "magic"`, []string{"login", "jane", "--pool", "p", "--client", "c", "--flow", "magic"}},
		{"password for jane: nothing on standard input", []string{"login", "jane", "--pool", "p", "--client", "c"}},
		{"--pool is required", []string{"keys", "rotate"}},
		{"--user-pool-id is required", []string{"outbox"}},
	} {
		c.fails(2, tc.want, tc.args...)
	}
	// Failures that are not the command line's exit 1.
	c.fails(1, "cannot reach the server at http://127.0.0.1:1: ", "pool", "list")
	c.fails(1, "cannot reach the server at http://127.0.0.1:1: ", "keys", "rotate", "--pool", "us-east-1_AbCdEfGhI")
}

// clientCommands are the commands that talk to a running server.
var clientCommands = map[string]bool{"pool": true, "client": true, "user": true, "forgot-password": true,
	"confirm-forgot-password": true, "change-password": true, "login": true, "outbox": true, "keys": true}

// TestHelp runs --help on every command: each says how it is used, and each
// client command shows examples.
func TestHelp(t *testing.T) {
	t.Parallel()
	c := &cli{t: t, endpoint: "http://127.0.0.1:1"}
	var walk func(cmd *cobra.Command)
	walk = func(cmd *cobra.Command) {
		path := strings.Fields(cmd.CommandPath())[1:]
		r := c.ok(append(path, "--help")...)
		if !strings.Contains(r.stdout, "Usage:") {
			t.Errorf("%s --help: %s", cmd.CommandPath(), r.stdout)
		}
		if !cmd.HasSubCommands() && len(path) > 0 && clientCommands[path[0]] {
			_, examples, _ := strings.Cut(r.stdout, "Examples:\n")
			if !strings.Contains(examples, "userpool "+strings.Join(path, " ")+" ") {
				t.Errorf("%s --help has no example:\n%s", cmd.CommandPath(), r.stdout)
			}
			if !strings.Contains(r.stdout, "--endpoint") {
				t.Errorf("%s --help does not show --endpoint:\n%s", cmd.CommandPath(), r.stdout)
			}
		}
		for _, sub := range cmd.Commands() {
			walk(sub)
		}
	}
	root := newRootCommand()
	root.InitDefaultHelpCmd()
	root.InitDefaultCompletionCmd()
	walk(root)
	for want := range clientCommands {
		if sub, _, err := root.Find([]string{want}); err != nil || sub.Name() != want {
			t.Errorf("no %s command", want)
		}
	}
}

func TestPoolsAndClients(t *testing.T) {
	t.Parallel()
	_, c := start(t)

	var created struct {
		UserPool struct {
			Id, Name, Arn, CreationDate string
			UsernameAttributes          []string
			Policies                    struct{ PasswordPolicy struct{ MinimumLength int } }
			ResultMetadata              any
		}
		ResultMetadata any
	}
	c.json(&created, "pool", "create", "--name", "shop", "--username-attributes", "email", "--min-length", "12")
	p := created.UserPool
	if !poolIDPattern.MatchString(p.Id) || p.Name != "shop" || !strings.HasSuffix(p.Arn, ":userpool/"+p.Id) || p.CreationDate == "" ||
		strings.Join(p.UsernameAttributes, ",") != "email" || p.Policies.PasswordPolicy.MinimumLength != 12 || created.ResultMetadata != nil {
		t.Fatalf("pool create printed %+v", created)
	}
	other, _ := newPool(c)

	// JSON by default when stdout is not a terminal; the list has every pool.
	var list struct{ UserPools []struct{ Id, Name string } }
	if err := json.Unmarshal([]byte(c.ok("pool", "list").stdout), &list); err != nil || len(list.UserPools) != 2 {
		t.Fatalf("pool list: %+v (%v)", list, err)
	}
	rows := tableRows(t, c.ok("pool", "list", "--output", "table").stdout, "ID", "NAME", "CREATED")
	if len(rows) != 2 || rows[0][0] != p.Id && rows[1][0] != p.Id {
		t.Fatalf("pool list table rows %q", rows)
	}
	rows = tableRows(t, c.ok("pool", "list", "env:USERPOOL_OUTPUT=table").stdout, "ID", "NAME", "CREATED")
	if len(rows) != 2 {
		t.Fatalf("USERPOOL_OUTPUT=table: rows %q", rows)
	}

	var described struct{ UserPool struct{ Id, Name string } }
	c.json(&described, "pool", "describe", p.Id)
	if described.UserPool.Id != p.Id || described.UserPool.Name != "shop" {
		t.Fatalf("pool describe printed %+v", described)
	}
	f := fields(t, c.ok("pool", "describe", p.Id, "--output", "table").stdout)
	if f["Id"] != p.Id || f["Name"] != "shop" || f["UsernameAttributes"] != "email" || !strings.HasPrefix(f["PasswordPolicy"], "min length 12") {
		t.Fatalf("pool describe table %q", f)
	}
	c.fails(1, "ResourceNotFoundException: User pool us-east-1_NoSuchPoo does not exist.", "pool", "describe", "us-east-1_NoSuchPoo")

	// App clients.
	var client struct {
		UserPoolClient struct {
			ClientId, ClientName, ClientSecret, UserPoolId string
			ExplicitAuthFlows                              []string
		}
	}
	c.json(&client, "client", "create", "--pool", p.Id, "--name", "web", "--flows", "ALLOW_USER_SRP_AUTH,ALLOW_REFRESH_TOKEN_AUTH")
	web := client.UserPoolClient
	if web.ClientId == "" || web.ClientName != "web" || web.ClientSecret != "" || web.UserPoolId != p.Id ||
		strings.Join(web.ExplicitAuthFlows, ",") != "ALLOW_USER_SRP_AUTH,ALLOW_REFRESH_TOKEN_AUTH" {
		t.Fatalf("client create printed %+v", client)
	}
	f = fields(t, c.ok("client", "create", "--user-pool-id", p.Id, "--name", "backend", "--secret", "--output", "table").stdout)
	if f["ClientId"] == "" || f["ClientName"] != "backend" || len(f["ClientSecret"]) < 40 || f["UserPoolId"] != p.Id {
		t.Fatalf("client create --secret table %q", f)
	}
	backend := f["ClientId"]
	rows = tableRows(t, c.ok("client", "list", "--pool", p.Id, "--output", "table").stdout, "CLIENT_ID", "NAME")
	if len(rows) != 2 {
		t.Fatalf("client list rows %q", rows)
	}
	var clients struct {
		UserPoolClients []struct{ ClientId, ClientName string }
	}
	c.json(&clients, "client", "list", "--pool", other)
	if len(clients.UserPoolClients) != 1 || clients.UserPoolClients[0].ClientName != "app" {
		t.Fatalf("client list printed %+v", clients)
	}
	c.json(&client, "client", "describe", "--pool", p.Id, backend)
	if client.UserPoolClient.ClientId != backend || len(client.UserPoolClient.ClientSecret) < 40 {
		t.Fatalf("client describe printed %+v", client)
	}
	c.fails(1, "ResourceNotFoundException: ", "client", "describe", "--pool", p.Id, "nosuchclient1234567890abcd")
	if r := c.ok("client", "delete", "--pool", p.Id, backend); r.stdout != "" {
		t.Fatalf("client delete printed %q", r.stdout)
	}
	c.fails(1, "ResourceNotFoundException: ", "client", "describe", "--pool", p.Id, backend)

	// An empty list is an empty JSON list, or a table with just its header.
	if r := c.ok("pool", "delete", p.Id); r.stdout != "" {
		t.Fatalf("pool delete printed %q", r.stdout)
	}
	c.fails(1, "ResourceNotFoundException: ", "pool", "describe", p.Id)
	c.ok("pool", "delete", other)
	if out := c.ok("pool", "list", "--output", "json").stdout; out != "{\n  \"UserPools\": []\n}\n" {
		t.Fatalf("empty pool list: %q", out)
	}
	if rows := tableRows(t, c.ok("pool", "list", "--output", "table").stdout, "ID", "NAME", "CREATED"); len(rows) != 0 {
		t.Fatalf("empty pool list table: %q", rows)
	}
}

func TestUsers(t *testing.T) {
	t.Parallel()
	srv, c := start(t)
	pool, _ := newPool(c)

	var created struct {
		User struct {
			Username, UserStatus string
			Enabled              bool
			Attributes           []struct{ Name, Value string }
		}
	}
	c.json(&created, "user", "create", "--pool", pool, "jane", "--attr", "email=jane@example.com", "--attr", "email_verified=true")
	u := created.User
	if u.Username != "jane" || u.UserStatus != "FORCE_CHANGE_PASSWORD" || !u.Enabled || len(u.Attributes) != 3 {
		t.Fatalf("user create printed %+v", created)
	}
	if msgs := srv.Outbox(t, pool, "jane"); len(msgs) != 1 || !strings.Contains(msgs[0].Subject, "temporary password") {
		t.Fatalf("invitation: %+v", msgs)
	}
	f := fields(t, c.ok("user", "create", "--pool", pool, "joe", "--attr", "email=joe@example.com", "--temporary-password", "Temp-Passw0rd", "--suppress", "--output", "table").stdout)
	if f["Username"] != "joe" || f["Status"] != "FORCE_CHANGE_PASSWORD" || f["Enabled"] != "true" || f["email"] != "joe@example.com" || f["sub"] == "" {
		t.Fatalf("user create table %q", f)
	}
	if msgs := srv.Outbox(t, pool, "joe"); len(msgs) != 0 {
		t.Fatalf("--suppress sent %+v", msgs)
	}
	c.ok("user", "create", "--pool", pool, "amy", "--attr", "email=amy@example.com", "--suppress")
	c.fails(1, "UsernameExistsException: User account already exists", "user", "create", "--pool", pool, "jane", "--suppress")

	rows := tableRows(t, c.ok("user", "list", "--pool", pool, "--output", "table").stdout, "USERNAME", "STATUS", "ENABLED", "EMAIL", "CREATED")
	if len(rows) != 3 || len(rows[0]) != 5 || rows[0][2] != "true" || !strings.HasSuffix(rows[0][3], "@example.com") {
		t.Fatalf("user list table %q", rows)
	}
	var list struct{ Users []struct{ Username string } }
	c.json(&list, "user", "list", "--pool", pool, "--filter", `email ^= "j"`)
	if len(list.Users) != 2 || list.Users[0].Username == "amy" || list.Users[1].Username == "amy" {
		t.Fatalf("user list --filter printed %+v", list)
	}
	c.json(&list, "user", "list", "--pool", pool, "--limit", "1")
	if len(list.Users) != 1 {
		t.Fatalf("user list --limit 1 printed %+v", list)
	}
	c.fails(1, "InvalidParameterException: ", "user", "list", "--pool", pool, "--filter", "email is j")

	var got struct {
		Username, UserStatus string
		Enabled              bool
		UserAttributes       []struct{ Name, Value string }
	}
	c.json(&got, "user", "get", "--pool", pool, "jane")
	if got.Username != "jane" || !got.Enabled || len(got.UserAttributes) != 3 {
		t.Fatalf("user get printed %+v", got)
	}
	r := c.fails(1, "UserNotFoundException: User does not exist.", "user", "get", "--pool", pool, "nobody")
	if r.stdout != "" {
		t.Fatalf("a failure printed %q on stdout", r.stdout)
	}

	status := func(username string) (string, bool) {
		c.t.Helper()
		c.json(&got, "user", "get", "--pool", pool, username)
		return got.UserStatus, got.Enabled
	}
	for _, step := range []struct {
		args    []string
		status  string
		enabled bool
	}{
		{[]string{"disable"}, "FORCE_CHANGE_PASSWORD", false},
		{[]string{"enable"}, "FORCE_CHANGE_PASSWORD", true},
		{[]string{"set-password", "--password", "Passw0rd!", "--permanent"}, "CONFIRMED", true},
		{[]string{"reset-password"}, "RESET_REQUIRED", true},
		{[]string{"set-password", "env:USERPOOL_PASSWORD=Temp-Passw0rd"}, "FORCE_CHANGE_PASSWORD", true},
		{[]string{"set-password", "--permanent", "stdin:Passw0rd!"}, "CONFIRMED", true},
	} {
		args := append([]string{"user", step.args[0], "--pool", pool, "jane"}, step.args[1:]...)
		if r := c.ok(args...); r.stdout != "" {
			t.Fatalf("%q printed %q", args, r.stdout)
		}
		if s, e := status("jane"); s != step.status || e != step.enabled {
			t.Fatalf("after %q: %s, enabled %v", args, s, e)
		}
	}
	c.fails(1, "InvalidPasswordException: Password does not conform to policy: Password not long enough", "user", "set-password", "--pool", pool, "jane", "--password", "short")
	c.fails(1, "UserNotFoundException: User does not exist.", "user", "disable", "--pool", pool, "nobody")

	c.ok("user", "delete", "--pool", pool, "jane")
	c.fails(1, "UserNotFoundException: User does not exist.", "user", "get", "--pool", pool, "jane")
	c.fails(1, "UserNotFoundException: User does not exist.", "user", "delete", "--pool", pool, "jane")
}

func TestLogin(t *testing.T) {
	t.Parallel()
	srv, c := start(t)
	pool, client := newPool(c)
	c.ok("user", "create", "--pool", pool, "jane", "--attr", "email=jane@example.com", "--suppress")
	c.ok("user", "set-password", "--pool", pool, "jane", "--password", "Passw0rd!", "--permanent")

	// SRP, the password from the flag, the environment or standard input.
	auth := []string{"--pool", pool, "--client", client}
	login(c, srv, "jane", append(auth, "--password", "Passw0rd!")...)
	login(c, srv, "jane", append(auth, "env:USERPOOL_PASSWORD=Passw0rd!")...)
	login(c, srv, "jane", append(auth, "stdin:Passw0rd!")...)
	login(c, srv, "jane", append(auth, "--password", "Passw0rd!", "--flow", "password")...)
	c.fails(1, "NotAuthorizedException: Incorrect username or password.", append([]string{"login", "jane", "--password", "Wrong-Passw0rd"}, auth...)...)
	c.fails(1, "UserNotFoundException: User does not exist.", append([]string{"login", "nobody", "--password", "Passw0rd!"}, auth...)...)

	f := fields(t, c.ok(append([]string{"login", "jane", "--password", "Passw0rd!", "--output", "table"}, auth...)...).stdout)
	if f["TokenType"] != "Bearer" || f["ExpiresIn"] != "3600" || strings.Count(f["AccessToken"], ".") != 2 || strings.Count(f["IdToken"], ".") != 2 || f["RefreshToken"] == "" {
		t.Fatalf("login table %q", f)
	}

	// NEW_PASSWORD_REQUIRED, answered by --new-password, or at the prompt.
	c.ok("user", "create", "--pool", pool, "kim", "--temporary-password", "Temp-Passw0rd", "--suppress")
	login(c, srv, "kim", append(auth, "--password", "Temp-Passw0rd", "--new-password", "New-Passw0rd")...)
	login(c, srv, "kim", append(auth, "--password", "New-Passw0rd")...)

	c.ok("user", "create", "--pool", pool, "lee", "--temporary-password", "Temp-Passw0rd", "--suppress")
	r := c.ok(append([]string{"login", "lee", "stdin:Temp-Passw0rd", "stdin:New-Passw0rd", "--output", "json"}, auth...)...)
	if !strings.Contains(r.stderr, "lee must choose a new password.") || !strings.Contains(r.stderr, "New password:") {
		t.Fatalf("login prompt: %q", r.stderr)
	}
	var tok tokens
	if err := json.Unmarshal([]byte(r.stdout), &tok); err != nil || tok.AuthenticationResult.AccessToken == "" {
		t.Fatalf("login printed %q (%v)", r.stdout, err)
	}
	login(c, srv, "lee", append(auth, "--password", "New-Passw0rd")...)

	// A new password the policy refuses fails; one not given is a usage error.
	c.ok("user", "create", "--pool", pool, "max", "--temporary-password", "Temp-Passw0rd", "--suppress")
	c.fails(1, "InvalidPasswordException: ", append([]string{"login", "max", "--password", "Temp-Passw0rd", "--new-password", "short"}, auth...)...)
	c.fails(2, "new password: nothing on standard input", append([]string{"login", "max", "--password", "Temp-Passw0rd"}, auth...)...)
	login(c, srv, "max", append(auth, "--password", "Temp-Passw0rd", "env:USERPOOL_NEW_PASSWORD=New-Passw0rd")...)

	// A client with a secret: SECRET_HASH is sent with --secret.
	var secretClient struct {
		UserPoolClient struct{ ClientId, ClientSecret string }
	}
	c.json(&secretClient, "client", "create", "--pool", pool, "--name", "backend", "--secret")
	sc := secretClient.UserPoolClient
	c.fails(1, "NotAuthorizedException: Client "+sc.ClientId+" is configured for secret but secret was not received",
		"login", "jane", "--pool", pool, "--client", sc.ClientId, "--password", "Passw0rd!")
	login(c, srv, "jane", "--pool", pool, "--client", sc.ClientId, "--secret", sc.ClientSecret, "--password", "Passw0rd!")
	c.ok("user", "create", "--pool", pool, "ned", "--temporary-password", "Temp-Passw0rd", "--suppress")
	login(c, srv, "ned", "--pool", pool, "--client", sc.ClientId, "env:USERPOOL_CLIENT_SECRET="+sc.ClientSecret, "--password", "Temp-Passw0rd", "--new-password", "New-Passw0rd")
}

func TestPasswords(t *testing.T) {
	t.Parallel()
	srv, c := start(t)
	pool, client := newPool(c)
	c.ok("user", "create", "--pool", pool, "jane", "--attr", "email=jane@example.com", "--attr", "email_verified=true", "--suppress")
	c.ok("user", "set-password", "--pool", pool, "jane", "--password", "Passw0rd!", "--permanent")

	var sent struct {
		CodeDeliveryDetails struct{ Destination, DeliveryMedium, AttributeName string }
	}
	c.json(&sent, "forgot-password", "--client", client, "jane")
	if d := sent.CodeDeliveryDetails; d.Destination != "j***@e***.com" || d.DeliveryMedium != "EMAIL" || d.AttributeName != "email" {
		t.Fatalf("forgot-password printed %+v", sent)
	}
	code := srv.LastCode(t, pool, "jane")
	rows := tableRows(t, c.ok("outbox", "--pool", pool, "--username", "jane", "--output", "table").stdout, "CREATED", "USERNAME", "MEDIUM", "DESTINATION", "CODE", "SUBJECT")
	if len(rows) != 1 || rows[0][1] != "jane" || rows[0][2] != "EMAIL" || rows[0][4] != code {
		t.Fatalf("outbox table %q", rows)
	}
	wrong := "000000"
	if code == wrong {
		wrong = "111111"
	}
	c.fails(1, "CodeMismatchException: Invalid verification code provided, please try again.",
		"confirm-forgot-password", "--client", client, "jane", "--code", wrong, "--password", "Reset-Passw0rd")
	if r := c.ok("confirm-forgot-password", "--client", client, "jane", "--code", code, "stdin:Reset-Passw0rd"); r.stdout != "" {
		t.Fatalf("confirm-forgot-password printed %q", r.stdout)
	}
	tok := login(c, srv, "jane", "--pool", pool, "--client", client, "--password", "Reset-Passw0rd")

	// change-password with login's access token; passwords from flags,
	// the environment or standard input.
	at := tok.AuthenticationResult.AccessToken
	c.fails(1, "NotAuthorizedException: Incorrect username or password.", "change-password", "--access-token", at, "--previous", "Wrong-Passw0rd", "--proposed", "Changed-Passw0rd")
	c.ok("change-password", "--access-token", at, "--previous", "Reset-Passw0rd", "--proposed", "Changed-Passw0rd")
	c.ok("change-password", "env:USERPOOL_ACCESS_TOKEN="+at, "env:USERPOOL_PASSWORD=Changed-Passw0rd", "env:USERPOOL_NEW_PASSWORD=Again-Passw0rd")
	r := c.ok("change-password", "--access-token", at, "stdin:Again-Passw0rd", "stdin:Final-Passw0rd")
	if !strings.Contains(r.stderr, "Current password: ") || !strings.Contains(r.stderr, "New password: ") {
		t.Fatalf("change-password prompts: %q", r.stderr)
	}
	login(c, srv, "jane", "--pool", pool, "--client", client, "--password", "Final-Passw0rd")
	c.fails(1, "NotAuthorizedException: ", "change-password", "--access-token", "not-a-token", "--previous", "Passw0rd!", "--proposed", "Passw0rd!b")

	// An administrator's reset sends a code that confirm-forgot-password takes.
	c.ok("user", "reset-password", "--pool", pool, "jane")
	c.ok("confirm-forgot-password", "--client-id", client, "jane", "--confirmation-code", srv.LastCode(t, pool, "jane"), "env:USERPOOL_PASSWORD=After-Reset-Passw0rd")
	login(c, srv, "jane", "--pool", pool, "--client", client, "--password", "After-Reset-Passw0rd")
}

func TestKeysRotate(t *testing.T) {
	t.Parallel()
	srv, c := start(t)
	pool, client := newPool(c)
	c.ok("user", "create", "--pool", pool, "jane", "--temporary-password", "Passw0rd!", "--suppress")
	c.ok("user", "set-password", "--pool", pool, "jane", "--password", "Passw0rd!", "--permanent")
	auth := []string{"--pool", pool, "--client", client, "--password", "Passw0rd!"}
	before := kid(t, login(c, srv, "jane", auth...).AuthenticationResult.IdToken)

	var rotated struct{ KeyId string }
	c.json(&rotated, "keys", "rotate", "--pool", pool)
	if rotated.KeyId == "" || rotated.KeyId == before {
		t.Fatalf("keys rotate printed %+v (kid before: %s)", rotated, before)
	}
	if after := kid(t, login(c, srv, "jane", auth...).AuthenticationResult.IdToken); after != rotated.KeyId {
		t.Fatalf("tokens signed by %s after rotating to %s", after, rotated.KeyId)
	}
	f := fields(t, c.ok("keys", "rotate", "--pool", pool, "--output", "table").stdout)
	if f["KeyId"] == "" || f["KeyId"] == rotated.KeyId || len(f) != 1 {
		t.Fatalf("keys rotate table %q", f)
	}
	c.fails(1, "ResourceNotFoundException: User pool us-east-1_NoSuchPoo does not exist.", "keys", "rotate", "--pool", "us-east-1_NoSuchPoo")
}

// TestTerminalOutput runs a command on a pseudo-terminal (util-linux
// script): without --output it prints a table.
func TestTerminalOutput(t *testing.T) {
	t.Parallel()
	script, err := exec.LookPath("script")
	if err != nil {
		t.Skip("no script(1) to run userpool on a terminal")
	}
	_, c := start(t)
	pool, _ := newPool(c)
	cmd := exec.CommandContext(t.Context(), script, "-qec", bin+" pool list", "/dev/null")
	cmd.Env = append(cleanEnv(), "USERPOOL_ENDPOINT="+c.endpoint)
	out, err := cmd.Output()
	if err != nil {
		t.Skipf("script: %v", err)
	}
	rows := tableRows(t, strings.ReplaceAll(string(out), "\r", ""), "ID", "NAME", "CREATED")
	if len(rows) != 1 || rows[0][0] != pool {
		t.Fatalf("pool list on a terminal: %q", out)
	}
}
