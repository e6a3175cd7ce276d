package main

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/userpool/userpool/internal/declare"
	"github.com/userpool/userpool/internal/server"
)

func newApplyCommand() *cobra.Command {
	var file, dataDir, region string
	cmd := &cobra.Command{
		Use:   "apply -f FILE",
		Short: "Create or update pools, app clients and users from a file",
		Long: "Apply a declarative setup file (YAML or JSON; see docs/declarative.md) to the data directory:\n" +
			"pools, app clients and users that are missing are created, those that differ are updated,\n" +
			"and nothing is deleted. Applying the same file again changes nothing. The data directory may\n" +
			"be in use by a running server.\n\n" +
			"Exit status: 0 when applied, 1 when the server refused an entry, 2 when the file is invalid.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if file == "" {
				return usageError{errors.New("apply: -f FILE is required (- reads standard input)")}
			}
			f, err := loadDeclaration(file)
			if err != nil {
				return err
			}
			app, err := server.Open(cmd.Context(), server.Config{DataDir: dataDir, Region: region})
			if err != nil {
				return err
			}
			defer app.Close()
			return applyDeclaration(cmd.Context(), app, f, cmd.OutOrStdout())
		},
	}
	fl := cmd.Flags()
	fl.StringVarP(&file, "file", "f", "", "the file to apply (YAML or JSON; - for standard input)")
	fl.StringVar(&dataDir, "data-dir", envOr("USERPOOL_DATA_DIR", ".userpool"), "directory of the embedded SQLite store (env USERPOOL_DATA_DIR)")
	fl.StringVar(&region, "region", envOr("USERPOOL_REGION", "us-east-1"), "AWS region generated pool IDs start with (env USERPOOL_REGION)")
	return cmd
}

// loadDeclaration reads a declarative setup file; a bad file is a usage
// error (exit status 2).
func loadDeclaration(path string) (*declare.File, error) {
	f, err := declare.Load(path)
	var fe *declare.FileError
	if errors.As(err, &fe) {
		return nil, usageError{err}
	}
	return f, err
}

// applyDeclaration applies a file and prints one line per change.
func applyDeclaration(ctx context.Context, app *server.App, f *declare.File, out io.Writer) error {
	res, err := declare.Apply(ctx, app.Service, f)
	if res != nil {
		for _, c := range res.Changes {
			fmt.Fprintf(out, "%s: %s\n", f.Source, c)
		}
	}
	if err != nil {
		return err
	}
	if len(res.Changes) == 0 {
		fmt.Fprintf(out, "%s: no changes\n", f.Source)
	}
	return nil
}
