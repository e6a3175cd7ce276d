// Package seeds runs the seed examples (the AWS knowledge-center article on
// password recovery with the AWS CLI, and boto3's forgot_password and
// admin_set_user_password documentation) unchanged against a real userpool
// server: the scripts in scripts/seeds/ drive it with the AWS CLI and boto3.
package seeds

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/userpool/userpool/internal/testserver"
)

// scriptTimeout bounds one script; each takes well under a minute.
const scriptTimeout = 3 * time.Minute

func TestSeed001CLI(t *testing.T) {
	t.Parallel()
	needTool(t, "aws", "the AWS CLI (aws)")
	needTool(t, "bash", "bash")
	needPython(t, "json")
	run(t, "bash", "scripts/seeds/seed001_cli.sh")
}

func TestSeed002And003Boto3(t *testing.T) {
	t.Parallel()
	needPython(t, "boto3")
	run(t, python(), "scripts/seeds/seed002_003_boto3.py")
}

// run starts a server and runs the script (relative to the module root)
// with interpreter, USERPOOL_ENDPOINT pointing at the server; a non-zero
// exit fails the test with the script's output.
func run(t *testing.T, interpreter, script string) {
	t.Helper()
	path := filepath.Join(moduleRoot(t), filepath.FromSlash(script))
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("seed script: %v", err)
	}
	srv := testserver.Start(t)

	ctx, cancel := context.WithTimeout(t.Context(), scriptTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, interpreter, path)
	cmd.Dir = t.TempDir()
	cmd.Env = append(os.Environ(), "USERPOOL_ENDPOINT="+srv.URL)
	cmd.WaitDelay = 5 * time.Second
	start := time.Now()
	out, err := cmd.CombinedOutput()
	took := time.Since(start).Round(100 * time.Millisecond)
	if ctx.Err() != nil {
		t.Fatalf("%s did not finish within %v; its output:\n%s", script, scriptTimeout, out)
	}
	if err != nil {
		t.Fatalf("%s failed (%v) after %v; its output:\n%s", script, err, took, out)
	}
	t.Logf("%s passed in %v:\n%s", script, took, out)
}

// needTool skips the test when a program is not on PATH, or fails it when
// USERPOOL_REQUIRE_TOOLS=1 (as in CI).
func needTool(t *testing.T, name, what string) {
	t.Helper()
	if _, err := exec.LookPath(name); err != nil {
		missing(t, what+" is not on PATH")
	}
}

// python is the interpreter that runs the boto3 script: $USERPOOL_PYTHON,
// or python3 from PATH.
func python() string {
	if p := os.Getenv("USERPOOL_PYTHON"); p != "" {
		return p
	}
	return "python3"
}

// needPython needs python3 that can import the module.
func needPython(t *testing.T, module string) {
	t.Helper()
	needTool(t, python(), "python3")
	out, err := exec.CommandContext(t.Context(), python(), "-c", "import "+module).CombinedOutput()
	if err != nil {
		lines := strings.Split(strings.TrimSpace(string(out)), "\n")
		missing(t, "python3 cannot import "+module+" ("+lines[len(lines)-1]+")")
	}
}

func missing(t *testing.T, why string) {
	t.Helper()
	if os.Getenv("USERPOOL_REQUIRE_TOOLS") == "1" {
		t.Fatalf("%s, and USERPOOL_REQUIRE_TOOLS=1 requires it", why)
	}
	t.Skipf("skipping: %s (set USERPOOL_REQUIRE_TOOLS=1 to make this a failure)", why)
}

// moduleRoot is the module's directory, where the scripts live.
func moduleRoot(t *testing.T) string {
	t.Helper()
	dir, err := testserver.ModuleRoot()
	if err != nil {
		t.Fatal(err)
	}
	return dir
}
