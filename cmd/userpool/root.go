package main

import (
	"errors"
	"os"
	"strconv"

	"github.com/spf13/cobra"
)

// Exit codes scripts can rely on.
const (
	exitError = 1 // the operation failed (the server answered an error, or I/O failed)
	exitUsage = 2 // the command line was wrong
)

// usageError marks command-line mistakes.
type usageError struct{ error }

func exitCode(err error) int {
	var ue usageError
	if errors.As(err, &ue) {
		return exitUsage
	}
	return exitError
}

func newRootCommand() *cobra.Command {
	root := &cobra.Command{
		Use:           "userpool",
		Short:         "A self-hostable, Amazon Cognito-compatible user pool server",
		Long:          "userpool serves the Amazon Cognito user pools API (AWS JSON 1.1), so the AWS CLI, boto3, the AWS SDKs,\namazon-cognito-identity-js and pycognito work against it unchanged, pointed at it by an endpoint URL.",
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return usagef(c, "%w", err)
	})
	// Without a command, or with an unknown one: a usage error.
	root.Args, root.RunE = cobra.ArbitraryArgs, runGroup
	addGlobalFlags(root)
	root.AddCommand(newServeCommand(), newOutboxCommand(), newApplyCommand(), newExportCommand())
	root.AddCommand(newPoolCommand(), newClientCommand(), newUserCommand(),
		newForgotPasswordCommand(), newConfirmForgotPasswordCommand(), newChangePasswordCommand(),
		newLoginCommand(), newKeysCommand())
	return root
}

// envOr returns the environment variable's value, or def.
func envOr(name, def string) string {
	if v, ok := os.LookupEnv(name); ok && v != "" {
		return v
	}
	return def
}

// envInt returns the environment variable as an integer, or def when it is
// unset or not a number.
func envInt(name string, def int) int {
	if n, err := strconv.Atoi(os.Getenv(name)); err == nil {
		return n
	}
	return def
}
