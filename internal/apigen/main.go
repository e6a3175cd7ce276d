// Command apigen generates package api (types, enums, exceptions,
// validation and the operation table) from the botocore service-2 JSON model
// of the Cognito user pools API. The model is read at generation time and is
// not part of the repository.
//
// Usage (from anywhere inside the module):
//
//	go run ./internal/apigen [-model path] [-out dir]
//
// or "cd api && go generate". By default the model is
// <module root>/../shared/aws-model/cognito-idp-2016-04-18.json and the output
// directory is <module root>/api.
package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

const defaultModel = "../shared/aws-model/cognito-idp-2016-04-18.json"

func main() {
	model := flag.String("model", "", "path of the service-2 JSON model (default <module root>/"+defaultModel+")")
	out := flag.String("out", "", "output directory (default <module root>/api)")
	flag.Parse()
	if err := run(*model, *out); err != nil {
		fmt.Fprintln(os.Stderr, "apigen:", err)
		os.Exit(1)
	}
}

func run(model, out string) error {
	if model == "" || out == "" {
		root, err := moduleRoot()
		if err != nil {
			return err
		}
		if model == "" {
			model = filepath.Join(root, filepath.FromSlash(defaultModel))
		}
		if out == "" {
			out = filepath.Join(root, "api")
		}
	}
	m, err := loadModel(model)
	if err != nil {
		return err
	}
	files, err := newGenerator(m).generate()
	if err != nil {
		return err
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	for name, src := range files {
		path := filepath.Join(out, name)
		if old, err := os.ReadFile(path); err == nil && bytes.Equal(old, src) {
			continue
		}
		if err := os.WriteFile(path, src, 0o644); err != nil {
			return err
		}
	}
	// Remove generated files this version no longer produces.
	stale, err := filepath.Glob(filepath.Join(out, "zz_generated_*.go"))
	if err != nil {
		return err
	}
	for _, path := range stale {
		if _, ok := files[filepath.Base(path)]; !ok {
			if err := os.Remove(path); err != nil {
				return err
			}
		}
	}
	return nil
}

// moduleRoot finds the directory holding go.mod, from the working directory up.
func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if data, err := os.ReadFile(filepath.Join(dir, "go.mod")); err == nil && strings.Contains(string(data), "module ") {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("go.mod not found; pass -model and -out")
		}
		dir = parent
	}
}
