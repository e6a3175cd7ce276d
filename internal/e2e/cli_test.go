package e2e

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/userpool/userpool/internal/testserver"
)

// userpoolBin is the userpool command, built once by TestMain; buildErr
// says why there is none.
var (
	userpoolBin string
	buildErr    error
)

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "userpool-e2e-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	userpoolBin, buildErr = testserver.BuildUserpool(dir)
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

func needBinary(t *testing.T) {
	t.Helper()
	if buildErr != nil {
		t.Fatalf("userpool binary: %v", buildErr)
	}
}

// runCLI runs the userpool command and returns stdout, stderr and the exit code.
func runCLI(t *testing.T, env []string, args ...string) (string, string, int) {
	t.Helper()
	needBinary(t)
	cmd := exec.CommandContext(t.Context(), userpoolBin, args...)
	cmd.Env = append(os.Environ(), env...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	code := 0
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		code = exit.ExitCode()
	} else if err != nil {
		t.Fatalf("run userpool %v: %v", args, err)
	}
	return stdout.String(), stderr.String(), code
}

func TestCLIOutbox(t *testing.T) {
	e, pool, client := signUpEnv(t, nil, nil)
	e.signUp(client, "bob", "email", "bob@example.com")
	e.signUp(client, "amy", "email", "amy@example.com")
	try(e.c.AdminCreateUser(t.Context(), &cip.AdminCreateUserInput{UserPoolId: aws.String(pool), Username: aws.String("jane"), UserAttributes: attrs("email", "jane@example.com")})).ok(t)

	// The CLI prints what the HTTP outbox answers.
	httpJSON := func(username string) any {
		q := "userPoolId=" + pool
		if username != "" {
			q += "&username=" + username
		}
		r := raw(t, http.MethodGet, e.srv.URL+"/_userpool/outbox?"+q, "", "", nil)
		var v any
		if err := json.Unmarshal(r.Body, &v); err != nil {
			t.Fatal(err)
		}
		return v
	}
	for _, username := range []string{"bob", "jane", "nobody", ""} {
		args := []string{"outbox", "--endpoint", e.srv.URL, "--user-pool-id", pool}
		if username != "" {
			args = append(args, "--username", username)
		}
		stdout, stderr, code := runCLI(t, nil, args...)
		if code != 0 {
			t.Fatalf("outbox %s: exit %d: %s", username, code, stderr)
		}
		var got any
		if err := json.Unmarshal([]byte(stdout), &got); err != nil {
			t.Fatalf("outbox %s printed %q: %v", username, stdout, err)
		}
		if want := httpJSON(username); !reflect.DeepEqual(got, want) {
			t.Fatalf("outbox %s:\nCLI  %v\nHTTP %v", username, got, want)
		}
	}
	stdout, _, _ := runCLI(t, nil, "outbox", "--endpoint", e.srv.URL, "--user-pool-id", pool, "--username", "bob")
	var out struct {
		Messages []struct{ Username, Code string }
	}
	if err := json.Unmarshal([]byte(stdout), &out); err != nil || len(out.Messages) != 1 || out.Messages[0].Username != "bob" || !sixDigits.MatchString(out.Messages[0].Code) {
		t.Fatalf("bob's outbox %s (%v)", stdout, err)
	}
	// The endpoint can come from the environment.
	if _, stderr, code := runCLI(t, []string{"USERPOOL_ENDPOINT=" + e.srv.URL}, "outbox", "--user-pool-id", pool); code != 0 {
		t.Fatalf("USERPOOL_ENDPOINT: exit %d: %s", code, stderr)
	}

	// Usage errors exit 2; failures exit 1.
	_, stderr, code := runCLI(t, nil, "outbox", "--endpoint", e.srv.URL)
	if code != 2 || !strings.Contains(stderr, "--user-pool-id") {
		t.Fatalf("missing --user-pool-id: exit %d: %s", code, stderr)
	}
	if _, stderr, code := runCLI(t, nil, "outbox", "--no-such-flag"); code != 2 {
		t.Fatalf("unknown flag: exit %d: %s", code, stderr)
	}
	_, stderr, code = runCLI(t, nil, "outbox", "--endpoint", e.srv.URL, "--user-pool-id", "us-east-1_NoSuchPoo")
	if code != 1 || !strings.Contains(stderr, "ResourceNotFoundException: User pool us-east-1_NoSuchPoo does not exist.") {
		t.Fatalf("unknown pool: exit %d: %s", code, stderr)
	}
	if _, stderr, code := runCLI(t, nil, "outbox", "--endpoint", "http://127.0.0.1:1", "--user-pool-id", pool); code != 1 {
		t.Fatalf("no server: exit %d: %s", code, stderr)
	}
}

// freePort returns a TCP port nothing listens on (a moment ago).
func freePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// serveProcess is a running `userpool serve`.
type serveProcess struct {
	cmd    *exec.Cmd
	url    string // from its log line
	line   string // the log line naming the listen address
	stderr lockedBuffer
	exited chan struct{} // closed when the process has exited
	err    error         // its exit status, once exited
}

// lockedBuffer collects a process's stderr for error messages.
type lockedBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *lockedBuffer) add(s string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.b.WriteString(s + "\n")
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

var listeningRe = regexp.MustCompile(`listening on (http://[0-9.]+:[0-9]+)`)

// startServe starts `userpool serve` and waits for its "listening" log line.
func startServe(t *testing.T, env []string, args ...string) *serveProcess {
	t.Helper()
	needBinary(t)
	cmd := exec.Command(userpoolBin, append([]string{"serve"}, args...)...)
	cmd.Env = append(os.Environ(), env...)
	pipe, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p := &serveProcess{cmd: cmd, exited: make(chan struct{})}
	t.Cleanup(func() {
		select {
		case <-p.exited:
		default:
			cmd.Process.Kill()
			<-p.exited
		}
	})
	lines := make(chan string, 1000)
	go func() {
		sc := bufio.NewScanner(pipe)
		for sc.Scan() {
			p.stderr.add(sc.Text())
			select {
			case lines <- sc.Text():
			default:
			}
		}
		p.err = cmd.Wait()
		close(p.exited)
	}()
	deadline := time.After(10 * time.Second)
	for {
		select {
		case line := <-lines:
			if m := listeningRe.FindStringSubmatch(line); m != nil {
				p.url, p.line = m[1], line
				return p
			}
		case <-p.exited:
			t.Fatalf("serve exited (%v) before listening; stderr:\n%s", p.err, p.stderr.String())
		case <-deadline:
			t.Fatalf("serve did not log its address; stderr:\n%s", p.stderr.String())
		}
	}
}

// interrupt sends SIGINT and waits for a clean exit.
func (p *serveProcess) interrupt(t *testing.T) {
	t.Helper()
	if err := p.cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	select {
	case <-p.exited:
		if p.err != nil {
			t.Fatalf("serve exited with %v after SIGINT; stderr:\n%s", p.err, p.stderr.String())
		}
	case <-time.After(5 * time.Second):
		t.Fatalf("serve did not stop within 5s of SIGINT; stderr:\n%s", p.stderr.String())
	}
}

func TestCLIServe(t *testing.T) {
	t.Parallel()
	needBinary(t)
	ctx := t.Context()
	dir := filepath.Join(t.TempDir(), "data")
	port := freePort(t)
	addr := fmt.Sprintf("127.0.0.1:%d", port)
	p := startServe(t, nil, "--listen", addr, "--data-dir", dir)
	if p.url != "http://"+addr {
		t.Fatalf("logged address %q, want http://%s", p.url, addr)
	}
	if !strings.Contains(p.line, filepath.Join(dir, "userpool.db")) {
		t.Fatalf("log line %q does not name the data directory %s", p.line, dir)
	}
	c := testserver.NewClient(p.url)
	pool := aws.ToString(try(c.CreateUserPool(ctx, &cip.CreateUserPoolInput{PoolName: aws.String("cli")})).ok(t).UserPool.Id)
	if r := raw(t, http.MethodGet, p.url+"/health", "", "", nil); r.Status != 200 {
		t.Fatalf("health: %d", r.Status)
	}
	p.interrupt(t)
	if _, err := os.Stat(filepath.Join(dir, "userpool.db")); err != nil {
		t.Fatalf("no database in the data directory: %v", err)
	}

	// Port 0 picks a free port, which the log names; flags can come from
	// the environment; the data survives the restart.
	p = startServe(t, []string{"USERPOOL_LISTEN=127.0.0.1:0", "USERPOOL_DATA_DIR=" + dir})
	if strings.HasSuffix(p.url, ":0") {
		t.Fatalf("logged address %q", p.url)
	}
	c = testserver.NewClient(p.url)
	got := try(c.DescribeUserPool(ctx, &cip.DescribeUserPoolInput{UserPoolId: aws.String(pool)})).ok(t).UserPool
	if aws.ToString(got.Name) != "cli" {
		t.Fatalf("pool after restart: %+v", got)
	}
	_, err := c.DescribeUserPool(ctx, &cip.DescribeUserPoolInput{UserPoolId: aws.String("us-east-1_NoSuchPoo")})
	wantErr[*types.ResourceNotFoundException](t, err, "User pool us-east-1_NoSuchPoo does not exist.")
	p.interrupt(t)

	// A taken port is an error, not a hang.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	_, stderr, code := runCLI(t, nil, "serve", "--listen", ln.Addr().String(), "--data-dir", t.TempDir())
	if code != 1 || !strings.Contains(stderr, "address already in use") {
		t.Fatalf("taken port: exit %d: %s", code, stderr)
	}
	if _, stderr, code := runCLI(t, nil, "serve", "--log-level", "chatty", "--data-dir", t.TempDir()); code != 2 {
		t.Fatalf("bad log level: exit %d: %s", code, stderr)
	}
}
