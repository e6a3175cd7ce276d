package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"

	"github.com/spf13/cobra"
)

func newOutboxCommand() *cobra.Command {
	var poolID, username string
	cmd := &cobra.Command{
		Use:   "outbox",
		Short: "Print the emails and SMS messages the server would have sent",
		Long: "Print the messages (invitations, confirmation and reset codes) userpool recorded for a pool,\n" +
			"oldest first. As JSON (--output json): {\"Messages\": [{\"UserPoolId\", \"Username\", \"Medium\",\n" +
			"\"Destination\", \"Subject\", \"Body\", \"Code\", \"CreatedAt\"}]}; as a table, one message a line.",
		Example: "  userpool outbox --user-pool-id us-east-1_AbCdEfGhI\n" +
			"  userpool outbox --user-pool-id us-east-1_AbCdEfGhI --username jane --output json | jq -r '.Messages[-1].Code'",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if poolID == "" {
				return usagef(cmd, "--user-pool-id is required")
			}
			format, err := outputFormat(cmd)
			if err != nil {
				return err
			}
			q := url.Values{"userPoolId": {poolID}}
			if username != "" {
				q.Set("username", username)
			}
			body, err := devAPI(cmd.Context(), global.endpoint, http.MethodGet, "/_userpool/outbox", q)
			if err != nil {
				return err
			}
			if format == "table" {
				var out struct {
					Messages []struct{ Username, Medium, Destination, Subject, Code, CreatedAt string }
				}
				if err := json.Unmarshal(body, &out); err != nil {
					return fmt.Errorf("outbox: unexpected answer: %w", err)
				}
				t := &table{header: []string{"CREATED", "USERNAME", "MEDIUM", "DESTINATION", "CODE", "SUBJECT"}}
				for _, m := range out.Messages {
					t.add(m.CreatedAt, m.Username, m.Medium, m.Destination, m.Code, m.Subject)
				}
				return t.print(cmd.OutOrStdout())
			}
			var pretty bytes.Buffer
			if err := json.Indent(&pretty, bytes.TrimSpace(body), "", "  "); err != nil {
				return fmt.Errorf("outbox: unexpected answer: %w", err)
			}
			pretty.WriteByte('\n')
			_, err = pretty.WriteTo(cmd.OutOrStdout())
			return err
		},
	}
	f := cmd.Flags()
	f.StringVar(&poolID, "user-pool-id", "", "user pool ID (required; alias --pool)")
	alias(cmd, &poolID, "pool", "user-pool-id")
	f.StringVar(&username, "username", "", "only this user's messages (username, email or phone number)")
	return cmd
}
