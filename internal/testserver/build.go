package testserver

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
)

// ModuleRoot returns the directory holding the module's go.mod, walking up
// from the working directory (a test's package directory).
func ModuleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("testserver: no go.mod above the working directory")
		}
		dir = parent
	}
}

// BuildUserpool builds the userpool command into dir (for tests that run
// the real binary, usually from TestMain) and returns its path.
func BuildUserpool(dir string) (string, error) {
	root, err := ModuleRoot()
	if err != nil {
		return "", err
	}
	bin := filepath.Join(dir, "userpool")
	cmd := exec.Command("go", "build", "-o", bin, "./cmd/userpool")
	cmd.Dir = root
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build ./cmd/userpool: %v\n%s", err, out)
	}
	return bin, nil
}
