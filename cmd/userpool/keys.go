package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"

	"github.com/spf13/cobra"
)

func newKeysCommand() *cobra.Command {
	return groupCommand("keys", "Manage a pool's token signing keys",
		"Manage the RSA keys a pool signs its tokens with (published at <endpoint>/<pool>/.well-known/jwks.json).",
		newKeysRotateCommand())
}

func newKeysRotateCommand() *cobra.Command {
	var poolID string
	cmd := &cobra.Command{
		Use:   "rotate --pool POOL_ID",
		Short: "Start signing a pool's tokens with a new key",
		Long: "Make a new signing key for a pool and print its key ID (kid). New tokens are signed with it;\n" +
			"the JWKS keeps the previous keys, so tokens already issued still verify. This is a userpool\n" +
			"endpoint (POST /_userpool/keys/rotate), not part of the Cognito API.",
		Example: "  userpool keys rotate --pool us-east-1_AbCdEfGhI",
		Args:    noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			r, err := connect(cmd, "pool")
			if err != nil {
				return err
			}
			body, err := devAPI(r.ctx, r.endpoint, http.MethodPost, "/_userpool/keys/rotate", url.Values{"userPoolId": {poolID}})
			if err != nil {
				return err
			}
			var out struct{ KeyId string }
			if err := json.Unmarshal(body, &out); err != nil || out.KeyId == "" {
				return fmt.Errorf("keys rotate: unexpected answer %q", body)
			}
			return r.emit(out, func() *table {
				d := &details{}
				d.field("KeyId", out.KeyId)
				return &d.table
			})
		},
	}
	poolFlag(cmd, &poolID)
	return cmd
}
