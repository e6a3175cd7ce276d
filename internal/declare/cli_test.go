package declare_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/userpool/userpool/internal/declare"
	"github.com/userpool/userpool/internal/testserver"
)

// userpoolBin is the userpool command, built by TestMain.
var userpoolBin string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "userpool-declare-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	userpoolBin, err = testserver.BuildUserpool(dir)
	if err != nil {
		fmt.Fprintln(os.Stderr, "building userpool:", err)
		os.RemoveAll(dir)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// run runs the userpool command and returns its output and exit code.
func run(t *testing.T, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	cmd := exec.CommandContext(t.Context(), userpoolBin, args...)
	// Flags, not the environment, say where the data lives.
	cmd.Env = append(os.Environ(), "USERPOOL_DATA_DIR=", "USERPOOL_CONFIG=", "USERPOOL_REGION=")
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		code = exit.ExitCode()
	} else if err != nil {
		t.Fatalf("userpool %v: %v", args, err)
	}
	return out.String(), errOut.String(), code
}

func writeFile(t *testing.T, name string, data []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestCLIApplyAndExport(t *testing.T) {
	file := writeFile(t, "userpool.yaml", docExample(t))
	data := t.TempDir()

	out, errOut, code := run(t, "apply", "-f", file, "--data-dir", data)
	if code != 0 || !strings.Contains(out, "userpool.yaml: created pool demo (us-east-1_Local0001)\n") ||
		!strings.Contains(out, "created client web (localclient0000000000000001) in pool us-east-1_Local0001\n") {
		t.Fatalf("apply: exit %d\n%s%s", code, out, errOut)
	}
	if out, errOut, code := run(t, "apply", "-f", file, "--data-dir", data); code != 0 || !strings.HasSuffix(out, "userpool.yaml: no changes\n") {
		t.Errorf("apply again: exit %d\n%s%s", code, out, errOut)
	}

	// Export to a file; applied to an empty directory it gives the same export.
	exported := filepath.Join(t.TempDir(), "export.yaml")
	if out, errOut, code := run(t, "export", "--data-dir", data, "-o", exported); code != 0 || out != "" {
		t.Fatalf("export: exit %d\n%s%s", code, out, errOut)
	}
	copyDir := t.TempDir()
	if out, errOut, code := run(t, "apply", "-f", exported, "--data-dir", copyDir); code != 0 {
		t.Fatalf("apply the export: exit %d\n%s%s", code, out, errOut)
	}
	want, _ := os.ReadFile(exported)
	got, errOut, code := run(t, "export", "--data-dir", copyDir)
	if code != 0 || got != string(want) {
		t.Errorf("export of the copy (exit %d, %s):\n%s\nwant\n%s", code, errOut, got, want)
	}
	if _, err := declare.Parse("export.yaml", want); err != nil {
		t.Error(err)
	}
	if got, _, code := run(t, "export", "--data-dir", copyDir, "--format", "json"); code != 0 || !strings.HasPrefix(got, "{\n  \"pools\": [") {
		t.Errorf("export --format json: exit %d\n%s", code, got)
	}
	if _, errOut, code := run(t, "export", "--data-dir", filepath.Join(data, "nothing")); code != 1 || !strings.Contains(errOut, "no userpool data in") {
		t.Errorf("export of no data: exit %d %s", code, errOut)
	}

	// A bad file: exit 2, naming the file and the entry; nothing applied.
	bad := writeFile(t, "bad.yaml", []byte("pools:\n  - name: x\n    users:\n      - username: a\n        status: CONFIRMD\n"))
	fresh := t.TempDir()
	if _, errOut, code := run(t, "apply", "-f", bad, "--data-dir", fresh); code != 2 || !strings.Contains(errOut, `bad.yaml:5: pools[0].users[0]: unknown status "CONFIRMD"`) {
		t.Errorf("bad file: exit %d %s", code, errOut)
	}
	if _, errOut, code := run(t, "apply", "--data-dir", fresh); code != 2 || !strings.Contains(errOut, "-f FILE is required") {
		t.Errorf("no file: exit %d %s", code, errOut)
	}
	// An entry the service refuses: exit 1.
	weak := writeFile(t, "weak.yaml", []byte("pools:\n  - name: x\n    users:\n      - username: jane\n        password: short\n"))
	if _, errOut, code := run(t, "apply", "-f", weak, "--data-dir", fresh); code != 1 || !strings.Contains(errOut, "weak.yaml: pools[0].users[0] (jane): InvalidPasswordException: Password does not conform to policy") {
		t.Errorf("weak password: exit %d %s", code, errOut)
	}
}

// lockedBuffer is a buffer a running process writes while the test reads.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

func TestCLIServeConfig(t *testing.T) {
	file := writeFile(t, "userpool.yaml", docExample(t))
	data := t.TempDir()
	addr := freeAddr(t)
	cmd := exec.Command(userpoolBin, "serve", "--listen", addr, "--data-dir", data, "--config", file, "--log-level", "warn")
	var stderr lockedBuffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var waitErr error
	exited := make(chan struct{})
	go func() { waitErr = cmd.Wait(); close(exited) }()
	t.Cleanup(func() {
		cmd.Process.Kill()
		<-exited
	})

	url := "http://" + addr
	deadline := time.Now().Add(15 * time.Second)
	for {
		resp, err := http.Get(url + "/health")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				break
			}
		}
		select {
		case <-exited:
			t.Fatalf("serve exited: %v\n%s", waitErr, stderr.String())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("no /health after 15s\n%s", stderr.String())
		}
		time.Sleep(50 * time.Millisecond)
	}

	// The pool is there before the first request.
	ctx := context.Background()
	c := testserver.NewClient(url)
	pool, err := c.DescribeUserPool(ctx, &cip.DescribeUserPoolInput{UserPoolId: aws.String(demoPool)})
	if err != nil || aws.ToString(pool.UserPool.Name) != "demo" {
		t.Fatalf("DescribeUserPool: %v", err)
	}
	auth, err := c.InitiateAuth(ctx, &cip.InitiateAuthInput{ClientId: aws.String(webClient), AuthFlow: types.AuthFlowTypeUserPasswordAuth,
		AuthParameters: map[string]string{"USERNAME": "jane", "PASSWORD": "Passw0rd!"}})
	if err != nil || auth.AuthenticationResult == nil {
		t.Fatalf("jane signs in: %v", err)
	}

	if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	select {
	case <-exited:
		if waitErr != nil {
			t.Fatalf("serve after SIGINT: %v\n%s", waitErr, stderr.String())
		}
	case <-time.After(15 * time.Second):
		t.Fatal("serve did not stop after SIGINT")
	}

	// Restarted with the same file: nothing to change.
	addr = freeAddr(t)
	restart := exec.Command(userpoolBin, "serve", "--listen", addr, "--data-dir", data, "--config", file)
	var log lockedBuffer
	restart.Stderr = &log
	if err := restart.Start(); err != nil {
		t.Fatal(err)
	}
	deadline = time.Now().Add(15 * time.Second)
	for !strings.Contains(log.String(), "listening") && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	restart.Process.Signal(syscall.SIGINT)
	restart.Wait()
	if s := log.String(); !strings.Contains(s, "applied "+file) || !strings.Contains(s, "changes=0") {
		t.Errorf("restart log:\n%s", s)
	}

	// A bad file: serve stops at once, with status 2, naming it.
	bad := writeFile(t, "bad.yaml", []byte("pools:\n  - name: x\n    setings: {}\n"))
	if _, errOut, code := run(t, "serve", "--listen", freeAddr(t), "--data-dir", t.TempDir(), "--config", bad); code != 2 || !strings.Contains(errOut, `bad.yaml:3: pools[0]: unknown field "setings"`) {
		t.Errorf("serve with a bad file: exit %d %s", code, errOut)
	}
	weak := writeFile(t, "weak.yaml", []byte("pools:\n  - name: x\n    users: [{username: jane, password: short}]\n"))
	if _, errOut, code := run(t, "serve", "--listen", freeAddr(t), "--data-dir", t.TempDir(), "--config", weak); code != 1 || !strings.Contains(errOut, "weak.yaml: pools[0].users[0] (jane): InvalidPasswordException") {
		t.Errorf("serve with a refused entry: exit %d %s", code, errOut)
	}
}
