package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/userpool/userpool/internal/declare"
	"github.com/userpool/userpool/internal/server"
	"github.com/userpool/userpool/internal/store/sqlite"
)

func newExportCommand() *cobra.Command {
	var dataDir, region, out, format string
	cmd := &cobra.Command{
		Use:   "export [-o FILE]",
		Short: "Write every pool, app client and user as a declarative setup file",
		Long: "Write the pools of the data directory, with their app clients (IDs and secrets included) and\n" +
			"users, in the format `userpool apply` reads (see docs/declarative.md). Applying the output to\n" +
			"an empty data directory recreates them, except passwords, which cannot be exported.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if format == "" {
				format = "yaml"
				if strings.EqualFold(filepath.Ext(out), ".json") {
					format = "json"
				}
			}
			if format != "yaml" && format != "json" {
				return usageError{fmt.Errorf("export: --format %q: use yaml or json", format)}
			}
			if _, err := os.Stat(filepath.Join(dataDir, sqlite.FileName)); errors.Is(err, os.ErrNotExist) {
				return fmt.Errorf("export: no userpool data in %s", dataDir)
			}
			app, err := server.Open(cmd.Context(), server.Config{DataDir: dataDir, Region: region})
			if err != nil {
				return err
			}
			defer app.Close()
			f, err := declare.Export(cmd.Context(), app.Service)
			if err != nil {
				return fmt.Errorf("export: %w", err)
			}
			var buf bytes.Buffer
			if err := declare.Encode(&buf, f, format); err != nil {
				return err
			}
			if out == "" || out == "-" {
				_, err = cmd.OutOrStdout().Write(buf.Bytes())
				return err
			}
			// The file holds client secrets: readable by its owner only.
			return os.WriteFile(out, buf.Bytes(), 0o600)
		},
	}
	fl := cmd.Flags()
	fl.StringVarP(&out, "out", "o", "", "file to write (default: standard output)")
	fl.StringVar(&format, "format", "", "yaml or json (default: json for a .json file, yaml otherwise)")
	fl.StringVar(&dataDir, "data-dir", envOr("USERPOOL_DATA_DIR", ".userpool"), "directory of the embedded SQLite store (env USERPOOL_DATA_DIR)")
	fl.StringVar(&region, "region", envOr("USERPOOL_REGION", "us-east-1"), "AWS region (env USERPOOL_REGION)")
	return cmd
}
