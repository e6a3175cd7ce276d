package main

import (
	"os"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/spf13/cobra"
)

func newForgotPasswordCommand() *cobra.Command {
	var clientID, secret string
	cmd := &cobra.Command{
		Use:   "forgot-password --client CLIENT_ID USERNAME",
		Short: "Send a user a code to reset their password (ForgotPassword)",
		Long: "Ask for a password reset code, as a user who forgot their password does, and print where it was\n" +
			"sent. The code is in the outbox (userpool outbox); finish with userpool confirm-forgot-password.",
		Example: "  userpool forgot-password --client 1example23456789 jane\n" +
			"  userpool outbox --pool us-east-1_AbCdEfGhI --username jane --output json | jq -r '.Messages[-1].Code'",
		Args: exactArgs("USERNAME"),
		RunE: func(cmd *cobra.Command, args []string) error {
			r, err := connect(cmd, "client")
			if err != nil {
				return err
			}
			out, err := r.api.ForgotPassword(r.ctx, &cip.ForgotPasswordInput{ClientId: &clientID, Username: &args[0],
				SecretHash: optionalSecretHash(secret, args[0], clientID)})
			if err != nil {
				return r.apiError(err)
			}
			return r.emit(out, func() *table {
				d := &details{}
				if c := out.CodeDeliveryDetails; c != nil {
					d.field("Destination", aws.ToString(c.Destination))
					d.field("DeliveryMedium", string(c.DeliveryMedium))
					d.field("AttributeName", aws.ToString(c.AttributeName))
				}
				return &d.table
			})
		},
	}
	clientFlag(cmd, &clientID)
	secretFlag(cmd, &secret)
	return cmd
}

func newConfirmForgotPasswordCommand() *cobra.Command {
	var clientID, secret, code, password string
	cmd := &cobra.Command{
		Use:   "confirm-forgot-password --client CLIENT_ID USERNAME --code CODE [--password NEW_PASSWORD]",
		Short: "Set a new password with a reset code (ConfirmForgotPassword)",
		Long: "Set a user's new password with the code forgot-password (or user reset-password) sent them.\n" +
			"The password comes from --password, else from $USERPOOL_PASSWORD, else it is read from standard\n" +
			"input (not echoed on a terminal). Prints nothing on success.",
		Example: "  userpool confirm-forgot-password --client 1example23456789 jane --code 123456 --password 'New-Passw0rd!'",
		Args:    exactArgs("USERNAME"),
		RunE: func(cmd *cobra.Command, args []string) error {
			r, err := connect(cmd, "client", "code")
			if err != nil {
				return err
			}
			pw, err := r.newPassword(password, "USERPOOL_PASSWORD", "New password")
			if err != nil {
				return err
			}
			_, err = r.api.ConfirmForgotPassword(r.ctx, &cip.ConfirmForgotPasswordInput{ClientId: &clientID, Username: &args[0],
				ConfirmationCode: &code, Password: &pw, SecretHash: optionalSecretHash(secret, args[0], clientID)})
			return r.apiError(err)
		},
	}
	clientFlag(cmd, &clientID)
	secretFlag(cmd, &secret)
	f := cmd.Flags()
	f.StringVar(&code, "code", "", "the code sent to the user (required; alias --confirmation-code)")
	alias(cmd, &code, "confirmation-code", "code")
	f.StringVar(&password, "password", "", "the new password (default: $USERPOOL_PASSWORD, else read from standard input)")
	return cmd
}

func newChangePasswordCommand() *cobra.Command {
	var token, previous, proposed string
	cmd := &cobra.Command{
		Use:   "change-password --access-token TOKEN [--previous PASSWORD] [--proposed NEW_PASSWORD]",
		Short: "Change a signed-in user's password (ChangePassword)",
		Long: "Change the password of the user an access token (from userpool login) belongs to.\n" +
			"The access token comes from --access-token or $USERPOOL_ACCESS_TOKEN; the current password from\n" +
			"--previous or $USERPOOL_PASSWORD; the new one from --proposed or $USERPOOL_NEW_PASSWORD. A password\n" +
			"given neither way is read from standard input (not echoed on a terminal). Prints nothing on success.",
		Example: "  TOKEN=$(userpool login --pool us-east-1_AbCdEfGhI --client 1example23456789 jane --output json | jq -r .AuthenticationResult.AccessToken)\n" +
			"  userpool change-password --access-token \"$TOKEN\" --previous 'Passw0rd!' --proposed 'New-Passw0rd!'",
		Args: noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if token == "" {
				token = os.Getenv("USERPOOL_ACCESS_TOKEN")
			}
			if token == "" {
				return usagef(cmd, "--access-token (or $USERPOOL_ACCESS_TOKEN) is required")
			}
			r, err := connect(cmd)
			if err != nil {
				return err
			}
			prev, err := r.password(previous, "USERPOOL_PASSWORD", "Current password")
			if err != nil {
				return err
			}
			next, err := r.newPassword(proposed, "USERPOOL_NEW_PASSWORD", "New password")
			if err != nil {
				return err
			}
			_, err = r.api.ChangePassword(r.ctx, &cip.ChangePasswordInput{AccessToken: &token, PreviousPassword: &prev, ProposedPassword: &next})
			return r.apiError(err)
		},
	}
	f := cmd.Flags()
	f.StringVar(&token, "access-token", "", "the user's access token (default: $USERPOOL_ACCESS_TOKEN)")
	f.StringVar(&previous, "previous", "", "the current password (alias --previous-password; default: $USERPOOL_PASSWORD, else read from standard input)")
	alias(cmd, &previous, "previous-password", "previous")
	f.StringVar(&proposed, "proposed", "", "the new password (alias --proposed-password; default: $USERPOOL_NEW_PASSWORD, else read from standard input)")
	alias(cmd, &proposed, "proposed-password", "proposed")
	return cmd
}
