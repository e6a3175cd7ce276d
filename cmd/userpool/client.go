package main

import (
	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/spf13/cobra"
)

func newClientCommand() *cobra.Command {
	return groupCommand("client", "Create, list, describe and delete app clients",
		"Create, list, describe and delete the app clients of a user pool.",
		newClientCreateCommand(), newClientListCommand(), newClientDescribeCommand(), newClientDeleteCommand())
}

func newClientCreateCommand() *cobra.Command {
	var poolID, name string
	var secret bool
	var flows []string
	cmd := &cobra.Command{
		Use:   "create --pool POOL_ID --name NAME",
		Short: "Create an app client (CreateUserPoolClient)",
		Long: "Create an app client and print it, with its secret when --secret asks for one.\n" +
			"Without --flows the client allows Cognito's default flows: ALLOW_USER_SRP_AUTH, ALLOW_CUSTOM_AUTH\n" +
			"and ALLOW_REFRESH_TOKEN_AUTH.",
		Example: "  userpool client create --pool us-east-1_AbCdEfGhI --name web\n" +
			"  userpool client create --pool us-east-1_AbCdEfGhI --name backend --secret \\\n" +
			"      --flows ALLOW_USER_SRP_AUTH,ALLOW_ADMIN_USER_PASSWORD_AUTH,ALLOW_REFRESH_TOKEN_AUTH",
		Args: noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			r, err := connect(cmd, "pool", "name")
			if err != nil {
				return err
			}
			out, err := r.api.CreateUserPoolClient(r.ctx, &cip.CreateUserPoolClientInput{
				UserPoolId:        aws.String(poolID),
				ClientName:        aws.String(name),
				GenerateSecret:    secret,
				ExplicitAuthFlows: enums[types.ExplicitAuthFlowsType](flows),
			})
			if err != nil {
				return r.apiError(err)
			}
			return r.emit(out, func() *table { return clientDetails(out.UserPoolClient) })
		},
	}
	poolFlag(cmd, &poolID)
	f := cmd.Flags()
	f.StringVar(&name, "name", "", "the client's name (required; alias --client-name)")
	alias(cmd, &name, "client-name", "name")
	f.BoolVar(&secret, "secret", false, "give the client a secret (alias --generate-secret)")
	f.BoolVar(&secret, "generate-secret", false, "same as --secret")
	f.MarkHidden("generate-secret")
	f.StringSliceVar(&flows, "flows", nil, "explicit auth flows: ALLOW_USER_SRP_AUTH, ALLOW_USER_PASSWORD_AUTH, ALLOW_ADMIN_USER_PASSWORD_AUTH,\nALLOW_CUSTOM_AUTH, ALLOW_REFRESH_TOKEN_AUTH (alias --explicit-auth-flows)")
	f.StringSliceVar(&flows, "explicit-auth-flows", nil, "same as --flows")
	f.MarkHidden("explicit-auth-flows")
	return cmd
}

func newClientListCommand() *cobra.Command {
	var poolID string
	cmd := &cobra.Command{
		Use:     "list --pool POOL_ID",
		Short:   "List a pool's app clients (ListUserPoolClients)",
		Example: "  userpool client list --pool us-east-1_AbCdEfGhI",
		Args:    noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			r, err := connect(cmd, "pool")
			if err != nil {
				return err
			}
			all := &cip.ListUserPoolClientsOutput{UserPoolClients: []types.UserPoolClientDescription{}}
			p := cip.NewListUserPoolClientsPaginator(r.api, &cip.ListUserPoolClientsInput{UserPoolId: aws.String(poolID), MaxResults: aws.Int32(60)})
			for p.HasMorePages() {
				page, err := p.NextPage(r.ctx)
				if err != nil {
					return r.apiError(err)
				}
				all.UserPoolClients = append(all.UserPoolClients, page.UserPoolClients...)
			}
			return r.emit(all, func() *table {
				t := &table{header: []string{"CLIENT_ID", "NAME"}}
				for _, c := range all.UserPoolClients {
					t.add(aws.ToString(c.ClientId), aws.ToString(c.ClientName))
				}
				return t
			})
		},
	}
	poolFlag(cmd, &poolID)
	return cmd
}

func newClientDescribeCommand() *cobra.Command {
	var poolID string
	cmd := &cobra.Command{
		Use:   "describe --pool POOL_ID CLIENT_ID",
		Short: "Describe an app client, with its secret (DescribeUserPoolClient)",
		Example: "  userpool client describe --pool us-east-1_AbCdEfGhI 1example23456789\n" +
			"  userpool client describe --pool us-east-1_AbCdEfGhI 1example23456789 --output json | jq -r .UserPoolClient.ClientSecret",
		Args: exactArgs("CLIENT_ID"),
		RunE: func(cmd *cobra.Command, args []string) error {
			r, err := connect(cmd, "pool")
			if err != nil {
				return err
			}
			out, err := r.api.DescribeUserPoolClient(r.ctx, &cip.DescribeUserPoolClientInput{UserPoolId: aws.String(poolID), ClientId: aws.String(args[0])})
			if err != nil {
				return r.apiError(err)
			}
			return r.emit(out, func() *table { return clientDetails(out.UserPoolClient) })
		},
	}
	poolFlag(cmd, &poolID)
	return cmd
}

func newClientDeleteCommand() *cobra.Command {
	var poolID string
	cmd := &cobra.Command{
		Use:     "delete --pool POOL_ID CLIENT_ID",
		Short:   "Delete an app client (DeleteUserPoolClient)",
		Long:    "Delete an app client. Prints nothing on success.",
		Example: "  userpool client delete --pool us-east-1_AbCdEfGhI 1example23456789",
		Args:    exactArgs("CLIENT_ID"),
		RunE: func(cmd *cobra.Command, args []string) error {
			r, err := connect(cmd, "pool")
			if err != nil {
				return err
			}
			_, err = r.api.DeleteUserPoolClient(r.ctx, &cip.DeleteUserPoolClientInput{UserPoolId: aws.String(poolID), ClientId: aws.String(args[0])})
			return r.apiError(err)
		},
	}
	poolFlag(cmd, &poolID)
	return cmd
}

// clientDetails is the table of one app client.
func clientDetails(c *types.UserPoolClientType) *table {
	d := &details{}
	if c == nil {
		return &d.table
	}
	d.field("ClientId", aws.ToString(c.ClientId))
	d.field("ClientName", aws.ToString(c.ClientName))
	d.field("ClientSecret", aws.ToString(c.ClientSecret))
	d.field("UserPoolId", aws.ToString(c.UserPoolId))
	d.field("Created", fmtTime(c.CreationDate))
	d.field("Modified", fmtTime(c.LastModifiedDate))
	d.field("ExplicitAuthFlows", fmtList(c.ExplicitAuthFlows))
	units := types.TokenValidityUnitsType{AccessToken: types.TimeUnitsTypeHours, IdToken: types.TimeUnitsTypeHours, RefreshToken: types.TimeUnitsTypeDays}
	if u := c.TokenValidityUnits; u != nil {
		for _, f := range []struct{ set, def *types.TimeUnitsType }{{&u.AccessToken, &units.AccessToken}, {&u.IdToken, &units.IdToken}, {&u.RefreshToken, &units.RefreshToken}} {
			if *f.set != "" {
				*f.def = *f.set
			}
		}
	}
	validity := func(n *int32, unit types.TimeUnitsType) string {
		if n == nil || *n == 0 {
			return ""
		}
		return fmtInt(n) + " " + string(unit)
	}
	d.field("AccessTokenValidity", validity(c.AccessTokenValidity, units.AccessToken))
	d.field("IdTokenValidity", validity(c.IdTokenValidity, units.IdToken))
	d.field("RefreshTokenValidity", validity(&c.RefreshTokenValidity, units.RefreshToken))
	d.field("PreventUserExistenceErrors", string(c.PreventUserExistenceErrors))
	d.field("CallbackURLs", fmtList(c.CallbackURLs))
	d.field("AllowedOAuthFlows", fmtList(c.AllowedOAuthFlows))
	return &d.table
}
