package main

import (
	"bufio"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/smithy-go"
	"github.com/spf13/cobra"
	"golang.org/x/term"
)

// globalOptions are the persistent flags the client commands share.
type globalOptions struct {
	endpoint string
	region   string
	output   string
}

var global globalOptions

// addGlobalFlags registers the flags every client command shares on the
// root command.
func addGlobalFlags(root *cobra.Command) {
	f := root.PersistentFlags()
	f.StringVar(&global.endpoint, "endpoint", envOr("USERPOOL_ENDPOINT", "http://127.0.0.1:9229"), "URL of the userpool server the client commands talk to (env USERPOOL_ENDPOINT)")
	f.StringVar(&global.region, "region", envOr("USERPOOL_REGION", "us-east-1"), "AWS region (env USERPOOL_REGION)")
	f.StringVar(&global.output, "output", envOr("USERPOOL_OUTPUT", ""), "output format of the client commands: json or table (env USERPOOL_OUTPUT; default: table on a terminal, json otherwise)")
}

// remote is what a client command works with: the Cognito API client, the
// output format and the command's streams.
type remote struct {
	ctx      context.Context
	cmd      *cobra.Command
	api      *cip.Client
	endpoint string
	format   string // "json" or "table"
	out      io.Writer
	in       *bufio.Reader
}

// connect checks the given required flags and the global flags, and
// returns the client for a command.
func connect(cmd *cobra.Command, requiredFlags ...string) (*remote, error) {
	if err := required(cmd, requiredFlags...); err != nil {
		return nil, err
	}
	format, err := outputFormat(cmd)
	if err != nil {
		return nil, err
	}
	endpoint := strings.TrimRight(global.endpoint, "/")
	if u, err := url.Parse(endpoint); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, usagef(cmd, "--endpoint %q is not an http(s) URL", global.endpoint)
	}
	if global.region == "" {
		return nil, usagef(cmd, "--region is empty")
	}
	// Real credentials when they are configured, else any: userpool does
	// not check signatures.
	key, secret := os.Getenv("AWS_ACCESS_KEY_ID"), os.Getenv("AWS_SECRET_ACCESS_KEY")
	if key == "" || secret == "" {
		key, secret = "local", "local"
	}
	api := cip.New(cip.Options{
		Region:           global.region,
		BaseEndpoint:     aws.String(endpoint),
		Credentials:      credentials.NewStaticCredentialsProvider(key, secret, os.Getenv("AWS_SESSION_TOKEN")),
		RetryMaxAttempts: 1,
		HTTPClient:       sdkHTTPClient{&http.Client{Timeout: 30 * time.Second}},
	})
	return &remote{ctx: cmd.Context(), cmd: cmd, api: api, endpoint: endpoint, format: format, out: cmd.OutOrStdout(), in: stdinReader(cmd)}, nil
}

// sdkHTTPClient hides the io.WriterTo of the request bodies the SDK sends.
// smithy-go closes a request body as soon as the response arrives, and its
// body's WriteTo then answers io.EOF; net/http's transport, still checking
// the body for bytes beyond Content-Length with io.Copy (which uses
// WriteTo), takes that for a write error and closes the connection under
// the response being read: "deserialization failed, ... use of closed
// network connection" on about 1 request in 100 against a local server.
// Through Read, a closed body is a plain end of file.
type sdkHTTPClient struct{ *http.Client }

func (c sdkHTTPClient) Do(req *http.Request) (*http.Response, error) {
	if req.Body != nil && req.Body != http.NoBody {
		req.Body = struct{ io.ReadCloser }{req.Body}
	}
	return c.Client.Do(req)
}

// outputFormat resolves --output: table on a terminal, json otherwise.
func outputFormat(cmd *cobra.Command) (string, error) {
	switch strings.ToLower(global.output) {
	case "json":
		return "json", nil
	case "table", "text":
		return "table", nil
	case "":
		if f, ok := cmd.OutOrStdout().(*os.File); ok && term.IsTerminal(int(f.Fd())) {
			return "table", nil
		}
		return "json", nil
	}
	return "", usagef(cmd, "--output must be json or table, not %q", global.output)
}

// usagef returns a usage error that says where to read the command's usage.
func usagef(cmd *cobra.Command, format string, args ...any) error {
	return usageError{fmt.Errorf(format+"\nRun '%s --help' for usage.", append(args, cmd.CommandPath())...)}
}

// apiError turns an error of the Cognito client into "<Exception>: <message>".
func (r *remote) apiError(err error) error {
	if err == nil {
		return nil
	}
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return fmt.Errorf("%s: %s", ae.ErrorCode(), ae.ErrorMessage())
	}
	return unreachable(r.endpoint, err)
}

// unreachable words an error that is not the server's answer.
func unreachable(endpoint string, err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return fmt.Errorf("cannot reach the server at %s: %w", endpoint, ue.Err)
	}
	var oe *smithy.OperationError
	if errors.As(err, &oe) {
		err = oe.Err
	}
	return fmt.Errorf("%s: %w", endpoint, err)
}

// devAPI calls one of the server's own endpoints (/_userpool/...) and
// returns its JSON answer; an error answer becomes "<Exception>: <message>".
func devAPI(ctx context.Context, endpoint, method, path string, query url.Values) ([]byte, error) {
	u := strings.TrimRight(endpoint, "/") + path + "?" + query.Encode()
	req, err := http.NewRequestWithContext(ctx, method, u, nil)
	if err != nil {
		return nil, err
	}
	if method == http.MethodPost {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := (&http.Client{Timeout: 30 * time.Second}).Do(req)
	if err != nil {
		return nil, unreachable(strings.TrimRight(endpoint, "/"), err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		var e map[string]string
		if json.Unmarshal(body, &e) == nil && e["__type"] != "" {
			return nil, fmt.Errorf("%s: %s", e["__type"], e["message"])
		}
		return nil, fmt.Errorf("%s: HTTP %d: %s", path, resp.StatusCode, strings.TrimSpace(string(body)))
	}
	return body, nil
}

// secretHash is Cognito's SECRET_HASH: Base64(HMAC-SHA256(secret, username+clientID)).
func secretHash(secret, username, clientID string) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(username + clientID))
	return base64.StdEncoding.EncodeToString(m.Sum(nil))
}

// optionalSecretHash is secretHash, or nil without a secret.
func optionalSecretHash(secret, username, clientID string) *string {
	if secret == "" {
		return nil
	}
	return aws.String(secretHash(secret, username, clientID))
}

// stdin is shared by every prompt of one process, so that lines piped in
// are read one after the other.
var stdin *bufio.Reader

func stdinReader(cmd *cobra.Command) *bufio.Reader {
	if stdin == nil {
		stdin = bufio.NewReader(cmd.InOrStdin())
	}
	return stdin
}

// stdinIsTerminal says whether prompts read from a terminal.
func stdinIsTerminal(cmd *cobra.Command) bool {
	f, ok := cmd.InOrStdin().(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// prompt asks for a value on stderr and reads a line of standard input;
// secret values are not echoed when standard input is a terminal.
func (r *remote) prompt(label string, secret bool) (string, error) {
	errw := r.cmd.ErrOrStderr()
	fmt.Fprint(errw, label+": ")
	if secret && stdinIsTerminal(r.cmd) {
		b, err := readPassword(int(r.cmd.InOrStdin().(*os.File).Fd()))
		fmt.Fprintln(errw)
		if err != nil {
			return "", err
		}
		return string(b), nil
	}
	line, err := r.in.ReadString('\n')
	if !stdinIsTerminal(r.cmd) {
		fmt.Fprintln(errw) // what was typed did not end the prompt's line
	}
	if err != nil && (!errors.Is(err, io.EOF) || line == "") {
		if errors.Is(err, io.EOF) {
			return "", usagef(r.cmd, "%s: nothing on standard input", strings.ToLower(label))
		}
		return "", err
	}
	return strings.TrimRight(line, "\r\n"), nil
}

// readPassword reads a line from a terminal without echoing it, and puts
// the terminal back the way it was should the user interrupt.
func readPassword(fd int) ([]byte, error) {
	state, err := term.GetState(fd)
	if err != nil {
		return nil, err
	}
	interrupted := make(chan os.Signal, 1)
	signal.Notify(interrupted, os.Interrupt, syscall.SIGTERM)
	done := make(chan struct{})
	defer func() {
		signal.Stop(interrupted)
		close(done)
	}()
	go func() {
		select {
		case <-interrupted:
			term.Restore(fd, state)
			fmt.Fprintln(os.Stderr)
			os.Exit(130)
		case <-done:
		}
	}()
	return term.ReadPassword(fd)
}

// password returns a password given by a flag, else by an environment
// variable, else typed at a prompt.
func (r *remote) password(flagValue, env, label string) (string, error) {
	if flagValue != "" {
		return flagValue, nil
	}
	if v := os.Getenv(env); v != "" {
		return v, nil
	}
	pw, err := r.prompt(label, true)
	if err != nil {
		return "", err
	}
	if pw == "" {
		return "", usagef(r.cmd, "%s: none given", strings.ToLower(label))
	}
	return pw, nil
}

// newPassword is password, asking twice when a person types it.
func (r *remote) newPassword(flagValue, env, label string) (string, error) {
	if flagValue != "" || os.Getenv(env) != "" || !stdinIsTerminal(r.cmd) {
		return r.password(flagValue, env, label)
	}
	pw, err := r.password("", env, label)
	if err != nil {
		return "", err
	}
	again, err := r.prompt("Repeat "+strings.ToLower(label[:1])+label[1:], true)
	if err != nil {
		return "", err
	}
	if again != pw {
		return "", usageError{errors.New("the passwords do not match")}
	}
	return pw, nil
}
