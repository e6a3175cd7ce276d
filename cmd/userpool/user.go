package main

import (
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/spf13/cobra"
)

func newUserCommand() *cobra.Command {
	return groupCommand("user", "Manage a pool's users as an administrator",
		"Create, read, list, delete, enable and disable users, and set or reset their passwords, with the\n"+
			"administrator operations (Admin*) of the Cognito API.",
		newUserCreateCommand(), newUserGetCommand(), newUserListCommand(),
		newUserSimpleCommand("delete", "Delete a user (AdminDeleteUser)", func(r *remote, pool, user string) error {
			_, err := r.api.AdminDeleteUser(r.ctx, &cip.AdminDeleteUserInput{UserPoolId: &pool, Username: &user})
			return err
		}),
		newUserSimpleCommand("enable", "Enable a disabled user (AdminEnableUser)", func(r *remote, pool, user string) error {
			_, err := r.api.AdminEnableUser(r.ctx, &cip.AdminEnableUserInput{UserPoolId: &pool, Username: &user})
			return err
		}),
		newUserSimpleCommand("disable", "Disable a user: they can no longer sign in (AdminDisableUser)", func(r *remote, pool, user string) error {
			_, err := r.api.AdminDisableUser(r.ctx, &cip.AdminDisableUserInput{UserPoolId: &pool, Username: &user})
			return err
		}),
		newUserSetPasswordCommand(),
		newUserSimpleCommand("reset-password", "Reset a user's password: they must choose a new one with a code sent to them (AdminResetUserPassword)", func(r *remote, pool, user string) error {
			_, err := r.api.AdminResetUserPassword(r.ctx, &cip.AdminResetUserPasswordInput{UserPoolId: &pool, Username: &user})
			return err
		}),
	)
}

func newUserCreateCommand() *cobra.Command {
	var poolID, tempPassword string
	var attrs, delivery []string
	var suppress, resend bool
	cmd := &cobra.Command{
		Use:   "create --pool POOL_ID USERNAME",
		Short: "Create a user with a temporary password (AdminCreateUser)",
		Long: "Create a user and print them. The user gets an invitation with a temporary password (the server\n" +
			"makes one up unless --temporary-password sets it), recorded in the outbox (userpool outbox), and\n" +
			"must choose a new password at their first sign-in (userpool login answers that).",
		Example: "  userpool user create --pool us-east-1_AbCdEfGhI jane --attr email=jane@example.com --attr email_verified=true\n" +
			"  userpool user create --pool us-east-1_AbCdEfGhI bob --temporary-password 'Temp-Passw0rd' --suppress",
		Args: exactArgs("USERNAME"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := required(cmd, "pool"); err != nil {
				return err
			}
			userAttrs, err := parseAttrs(cmd, attrs)
			if err != nil {
				return err
			}
			if suppress && resend {
				return usagef(cmd, "--suppress and --resend exclude each other")
			}
			r, err := connect(cmd)
			if err != nil {
				return err
			}
			in := &cip.AdminCreateUserInput{UserPoolId: &poolID, Username: &args[0], UserAttributes: userAttrs,
				DesiredDeliveryMediums: enums[types.DeliveryMediumType](delivery)}
			if tempPassword != "" {
				in.TemporaryPassword = &tempPassword
			}
			if suppress {
				in.MessageAction = types.MessageActionTypeSuppress
			} else if resend {
				in.MessageAction = types.MessageActionTypeResend
			}
			out, err := r.api.AdminCreateUser(r.ctx, in)
			if err != nil {
				return r.apiError(err)
			}
			return r.emit(out, func() *table {
				u := out.User
				if u == nil {
					return &table{}
				}
				return userDetails(aws.ToString(u.Username), u.UserStatus, u.Enabled, u.UserCreateDate, u.UserLastModifiedDate, u.Attributes)
			})
		},
	}
	poolFlag(cmd, &poolID)
	f := cmd.Flags()
	f.StringArrayVar(&attrs, "attr", nil, "an attribute as NAME=VALUE (repeatable), e.g. --attr email=jane@example.com")
	f.StringVar(&tempPassword, "temporary-password", "", "the temporary password (default: the server makes one up)")
	f.BoolVar(&suppress, "suppress", false, "send no invitation (MessageAction SUPPRESS)")
	f.BoolVar(&resend, "resend", false, "send the invitation again to an existing user (MessageAction RESEND)")
	f.StringSliceVar(&delivery, "delivery", nil, "how to send the invitation: EMAIL, SMS (default SMS)")
	return cmd
}

func newUserGetCommand() *cobra.Command {
	var poolID string
	cmd := &cobra.Command{
		Use:     "get --pool POOL_ID USERNAME",
		Short:   "Show a user and their attributes (AdminGetUser)",
		Example: "  userpool user get --pool us-east-1_AbCdEfGhI jane\n  userpool user get --pool us-east-1_AbCdEfGhI jane@example.com --output json",
		Args:    exactArgs("USERNAME"),
		RunE: func(cmd *cobra.Command, args []string) error {
			r, err := connect(cmd, "pool")
			if err != nil {
				return err
			}
			out, err := r.api.AdminGetUser(r.ctx, &cip.AdminGetUserInput{UserPoolId: &poolID, Username: &args[0]})
			if err != nil {
				return r.apiError(err)
			}
			return r.emit(out, func() *table {
				return userDetails(aws.ToString(out.Username), out.UserStatus, out.Enabled, out.UserCreateDate, out.UserLastModifiedDate, out.UserAttributes)
			})
		},
	}
	poolFlag(cmd, &poolID)
	return cmd
}

func newUserListCommand() *cobra.Command {
	var poolID, filter string
	var limit int
	cmd := &cobra.Command{
		Use:   "list --pool POOL_ID",
		Short: "List a pool's users (ListUsers)",
		Long: "List a pool's users, following the pages of ListUsers. --filter takes ListUsers' filter syntax:\n" +
			"ATTRIBUTE = \"VALUE\" (exact) or ATTRIBUTE ^= \"VALUE\" (prefix), on username, email, phone_number, name,\n" +
			"given_name, family_name, preferred_username, cognito:user_status, status (Enabled/Disabled) or sub.",
		Example: "  userpool user list --pool us-east-1_AbCdEfGhI\n" +
			"  userpool user list --pool us-east-1_AbCdEfGhI --filter 'email ^= \"j\"'\n" +
			"  userpool user list --pool us-east-1_AbCdEfGhI --filter 'cognito:user_status = \"UNCONFIRMED\"' --output json",
		Args: noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := required(cmd, "pool"); err != nil {
				return err
			}
			if limit < 0 {
				return usagef(cmd, "--limit must not be negative")
			}
			r, err := connect(cmd)
			if err != nil {
				return err
			}
			in := &cip.ListUsersInput{UserPoolId: &poolID, Limit: aws.Int32(60)}
			if filter != "" {
				in.Filter = &filter
			}
			all := &cip.ListUsersOutput{Users: []types.UserType{}}
			p := cip.NewListUsersPaginator(r.api, in)
			for p.HasMorePages() && (limit == 0 || len(all.Users) < limit) {
				page, err := p.NextPage(r.ctx)
				if err != nil {
					return r.apiError(err)
				}
				all.Users = append(all.Users, page.Users...)
			}
			if limit > 0 && len(all.Users) > limit {
				all.Users = all.Users[:limit]
			}
			return r.emit(all, func() *table {
				t := &table{header: []string{"USERNAME", "STATUS", "ENABLED", "EMAIL", "CREATED"}}
				for _, u := range all.Users {
					t.add(aws.ToString(u.Username), string(u.UserStatus), fmtBool(u.Enabled), attr(u.Attributes, "email"), fmtTime(u.UserCreateDate))
				}
				return t
			})
		},
	}
	poolFlag(cmd, &poolID)
	cmd.Flags().StringVar(&filter, "filter", "", "only the users that match, e.g. 'email ^= \"j\"'")
	cmd.Flags().IntVar(&limit, "limit", 0, "list at most this many users (0: all)")
	return cmd
}

// newUserSimpleCommand is a command that does one thing to a user and
// prints nothing on success.
func newUserSimpleCommand(name, short string, do func(r *remote, pool, user string) error) *cobra.Command {
	var poolID string
	cmd := &cobra.Command{
		Use:     name + " --pool POOL_ID USERNAME",
		Short:   short,
		Long:    short + ".\nPrints nothing on success.",
		Example: "  userpool user " + name + " --pool us-east-1_AbCdEfGhI jane",
		Args:    exactArgs("USERNAME"),
		RunE: func(cmd *cobra.Command, args []string) error {
			r, err := connect(cmd, "pool")
			if err != nil {
				return err
			}
			return r.apiError(do(r, poolID, args[0]))
		},
	}
	poolFlag(cmd, &poolID)
	return cmd
}

func newUserSetPasswordCommand() *cobra.Command {
	var poolID, password string
	var permanent bool
	cmd := &cobra.Command{
		Use:   "set-password --pool POOL_ID USERNAME [--password PASSWORD] [--permanent]",
		Short: "Set a user's password (AdminSetUserPassword)",
		Long: "Set a user's password: a temporary one they must change at their next sign-in, or with --permanent\n" +
			"their password (which also confirms an unconfirmed user). The password comes from --password, else\n" +
			"from $USERPOOL_PASSWORD, else it is read from standard input (not echoed on a terminal).\n" +
			"Prints nothing on success.",
		Example: "  userpool user set-password --pool us-east-1_AbCdEfGhI jane --password 'Passw0rd!' --permanent\n" +
			"  echo 'Temp-Passw0rd' | userpool user set-password --pool us-east-1_AbCdEfGhI jane",
		Args: exactArgs("USERNAME"),
		RunE: func(cmd *cobra.Command, args []string) error {
			r, err := connect(cmd, "pool")
			if err != nil {
				return err
			}
			pw, err := r.newPassword(password, "USERPOOL_PASSWORD", "Password for "+args[0])
			if err != nil {
				return err
			}
			_, err = r.api.AdminSetUserPassword(r.ctx, &cip.AdminSetUserPasswordInput{UserPoolId: &poolID, Username: &args[0], Password: &pw, Permanent: permanent})
			return r.apiError(err)
		},
	}
	poolFlag(cmd, &poolID)
	cmd.Flags().StringVar(&password, "password", "", "the new password (default: $USERPOOL_PASSWORD, else read from standard input)")
	cmd.Flags().BoolVar(&permanent, "permanent", false, "set the user's password rather than a temporary one")
	return cmd
}

// userDetails is the table of one user.
func userDetails(username string, status types.UserStatusType, enabled bool, created, modified *time.Time, attrs []types.AttributeType) *table {
	d := &details{}
	d.field("Username", username)
	d.field("Status", string(status))
	d.field("Enabled", fmtBool(enabled))
	d.field("Created", fmtTime(created))
	d.field("Modified", fmtTime(modified))
	attrRows(d, attrs)
	return &d.table
}

// parseAttrs reads NAME=VALUE flags.
func parseAttrs(cmd *cobra.Command, list []string) ([]types.AttributeType, error) {
	var out []types.AttributeType
	for _, kv := range list {
		name, value, ok := strings.Cut(kv, "=")
		if !ok || strings.TrimSpace(name) == "" {
			return nil, usagef(cmd, "--attr %q is not NAME=VALUE", kv)
		}
		out = append(out, types.AttributeType{Name: aws.String(strings.TrimSpace(name)), Value: aws.String(value)})
	}
	return out, nil
}
