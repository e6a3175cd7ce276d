package main

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"
)

// groupCommand is a command that only holds subcommands: run without one,
// or with an unknown one, it is a usage error.
func groupCommand(use, short, long string, subs ...*cobra.Command) *cobra.Command {
	cmd := &cobra.Command{
		Use:   use,
		Short: short,
		Long:  long,
		Args:  cobra.ArbitraryArgs,
		RunE:  runGroup,
	}
	cmd.AddCommand(subs...)
	return cmd
}

// runGroup answers a group command run without a known subcommand.
func runGroup(cmd *cobra.Command, args []string) error {
	if len(args) == 0 {
		cmd.SetOut(cmd.ErrOrStderr())
		cmd.Usage()
		return usageError{fmt.Errorf("a command is required")}
	}
	msg := fmt.Sprintf("unknown command %q for %q", args[0], cmd.CommandPath())
	if cmd.SuggestionsMinimumDistance <= 0 {
		cmd.SuggestionsMinimumDistance = 2
	}
	if s := cmd.SuggestionsFor(args[0]); len(s) > 0 {
		msg += "\n\nDid you mean this?\n\t" + strings.Join(s, "\n\t")
	}
	return usagef(cmd, "%s", msg)
}

// exactArgs requires the named positional arguments, no more and no less.
func exactArgs(names ...string) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		switch {
		case len(args) < len(names):
			return usagef(cmd, "missing %s", strings.Join(names[len(args):], " "))
		case len(args) > len(names):
			return usagef(cmd, "unexpected argument %q", args[len(names)])
		}
		for i, a := range args {
			if a == "" {
				return usagef(cmd, "%s is empty", names[i])
			}
		}
		return nil
	}
}

// noArgs refuses positional arguments.
func noArgs(cmd *cobra.Command, args []string) error { return exactArgs()(cmd, args) }

// required checks that flags were given non-empty values.
func required(cmd *cobra.Command, flags ...string) error {
	var missing []string
	for _, name := range flags {
		f := cmd.Flags().Lookup(name)
		if f == nil || f.Value.String() == "" {
			missing = append(missing, "--"+name)
		}
	}
	switch len(missing) {
	case 0:
		return nil
	case 1:
		return usagef(cmd, "%s is required", missing[0])
	}
	return usagef(cmd, "%s are required", strings.Join(missing, ", "))
}

// alias registers a hidden second name for a string flag.
func alias(cmd *cobra.Command, p *string, name, original string) {
	cmd.Flags().StringVar(p, name, *p, "same as --"+original)
	cmd.Flags().MarkHidden(name)
}

// poolFlag adds --pool (alias --user-pool-id).
func poolFlag(cmd *cobra.Command, p *string) {
	cmd.Flags().StringVar(p, "pool", envOr("USERPOOL_POOL", ""), "user pool ID (env USERPOOL_POOL; alias --user-pool-id)")
	alias(cmd, p, "user-pool-id", "pool")
}

// clientFlag adds --client (alias --client-id).
func clientFlag(cmd *cobra.Command, p *string) {
	cmd.Flags().StringVar(p, "client", envOr("USERPOOL_CLIENT", ""), "app client ID (env USERPOOL_CLIENT; alias --client-id)")
	alias(cmd, p, "client-id", "client")
}

// secretFlag adds --secret, the app client's secret.
func secretFlag(cmd *cobra.Command, p *string) {
	cmd.Flags().StringVar(p, "secret", envOr("USERPOOL_CLIENT_SECRET", ""), "the app client's secret, when it has one, to send SECRET_HASH (env USERPOOL_CLIENT_SECRET)")
}
