package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"
)

func newOutboxCommand() *cobra.Command {
	var endpoint, poolID, username string
	cmd := &cobra.Command{
		Use:   "outbox",
		Short: "Print the emails and SMS messages the server would have sent",
		Long: "Print the messages (invitations, confirmation and reset codes) userpool recorded for a pool,\n" +
			"oldest first, as JSON: {\"Messages\": [{\"UserPoolId\", \"Username\", \"Medium\", \"Destination\",\n" +
			"\"Subject\", \"Body\", \"Code\", \"CreatedAt\"}]}.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if poolID == "" {
				return usageError{fmt.Errorf("--user-pool-id is required")}
			}
			q := url.Values{"userPoolId": {poolID}}
			if username != "" {
				q.Set("username", username)
			}
			u := strings.TrimRight(endpoint, "/") + "/_userpool/outbox?" + q.Encode()
			client := &http.Client{Timeout: 30 * time.Second}
			resp, err := client.Get(u)
			if err != nil {
				return err
			}
			defer resp.Body.Close()
			body, err := io.ReadAll(resp.Body)
			if err != nil {
				return err
			}
			if resp.StatusCode != http.StatusOK {
				var e struct{ Type, Message string }
				var raw map[string]string
				if json.Unmarshal(body, &raw) == nil {
					e.Type, e.Message = raw["__type"], raw["message"]
				}
				if e.Type == "" {
					return fmt.Errorf("outbox: HTTP %d: %s", resp.StatusCode, strings.TrimSpace(string(body)))
				}
				return fmt.Errorf("%s: %s", e.Type, e.Message)
			}
			var pretty any
			if err := json.Unmarshal(body, &pretty); err != nil {
				return fmt.Errorf("outbox: unexpected answer: %w", err)
			}
			enc := json.NewEncoder(os.Stdout)
			enc.SetIndent("", "  ")
			return enc.Encode(pretty)
		},
	}
	f := cmd.Flags()
	f.StringVar(&endpoint, "endpoint", envOr("USERPOOL_ENDPOINT", "http://127.0.0.1:9229"), "URL of the userpool server")
	f.StringVar(&poolID, "user-pool-id", "", "user pool ID (required)")
	f.StringVar(&username, "username", "", "only this user's messages (username, email or phone number)")
	return cmd
}
