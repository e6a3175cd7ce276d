package main

import (
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/spf13/cobra"
)

func newPoolCommand() *cobra.Command {
	return groupCommand("pool", "Create, list, describe and delete user pools",
		"Create, list, describe and delete user pools on a running userpool server (--endpoint).",
		newPoolCreateCommand(), newPoolListCommand(), newPoolDescribeCommand(), newPoolDeleteCommand())
}

func newPoolCreateCommand() *cobra.Command {
	var name string
	var usernameAttrs, aliasAttrs, autoVerify []string
	var minLength, tempDays int32
	var upper, lower, numbers, symbols, adminOnly bool
	cmd := &cobra.Command{
		Use:   "create --name NAME",
		Short: "Create a user pool (CreateUserPool)",
		Long: "Create a user pool and print it. The password policy flags start from Cognito's default policy\n" +
			"(8 characters with upper and lower case letters, numbers and symbols).",
		Example: "  userpool pool create --name demo --auto-verify email\n" +
			"  userpool pool create --name shop --username-attributes email --min-length 12 --require-symbols=false\n" +
			"  POOL=$(userpool pool create --name ci --output json | jq -r .UserPool.Id)",
		Args: noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			r, err := connect(cmd, "name")
			if err != nil {
				return err
			}
			in := &cip.CreateUserPoolInput{
				PoolName:               aws.String(name),
				UsernameAttributes:     enums[types.UsernameAttributeType](usernameAttrs),
				AliasAttributes:        enums[types.AliasAttributeType](aliasAttrs),
				AutoVerifiedAttributes: enums[types.VerifiedAttributeType](autoVerify),
			}
			f := cmd.Flags()
			if f.Changed("min-length") || f.Changed("require-uppercase") || f.Changed("require-lowercase") ||
				f.Changed("require-numbers") || f.Changed("require-symbols") || f.Changed("temporary-password-days") {
				in.Policies = &types.UserPoolPolicyType{PasswordPolicy: &types.PasswordPolicyType{
					MinimumLength: aws.Int32(minLength), RequireUppercase: upper, RequireLowercase: lower,
					RequireNumbers: numbers, RequireSymbols: symbols, TemporaryPasswordValidityDays: tempDays,
				}}
			}
			if adminOnly {
				in.AdminCreateUserConfig = &types.AdminCreateUserConfigType{AllowAdminCreateUserOnly: true}
			}
			out, err := r.api.CreateUserPool(r.ctx, in)
			if err != nil {
				return r.apiError(err)
			}
			return r.emit(out, func() *table { return poolDetails(out.UserPool) })
		},
	}
	f := cmd.Flags()
	f.StringVar(&name, "name", "", "the pool's name (required; alias --pool-name)")
	alias(cmd, &name, "pool-name", "name")
	f.StringSliceVar(&usernameAttrs, "username-attributes", nil, "sign in with these instead of a username: email, phone_number")
	f.StringSliceVar(&aliasAttrs, "alias-attributes", nil, "sign in with these as well as the username: email, phone_number, preferred_username")
	f.StringSliceVar(&autoVerify, "auto-verify", nil, "attributes to verify by sending a code: email, phone_number (alias --auto-verified-attributes)")
	f.StringSliceVar(&autoVerify, "auto-verified-attributes", nil, "same as --auto-verify")
	f.MarkHidden("auto-verified-attributes")
	f.Int32Var(&minLength, "min-length", 8, "password policy: minimum length")
	f.BoolVar(&upper, "require-uppercase", true, "password policy: require an upper case letter")
	f.BoolVar(&lower, "require-lowercase", true, "password policy: require a lower case letter")
	f.BoolVar(&numbers, "require-numbers", true, "password policy: require a number")
	f.BoolVar(&symbols, "require-symbols", true, "password policy: require a symbol")
	f.Int32Var(&tempDays, "temporary-password-days", 7, "password policy: days a temporary password is valid")
	f.BoolVar(&adminOnly, "admin-only", false, "only administrators create users (no self sign-up)")
	return cmd
}

func newPoolListCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:     "list",
		Short:   "List the user pools (ListUserPools)",
		Long:    "List every user pool, following the pages of ListUserPools.",
		Example: "  userpool pool list\n  userpool pool list --output json | jq -r '.UserPools[].Id'",
		Args:    noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			r, err := connect(cmd)
			if err != nil {
				return err
			}
			all := &cip.ListUserPoolsOutput{UserPools: []types.UserPoolDescriptionType{}}
			p := cip.NewListUserPoolsPaginator(r.api, &cip.ListUserPoolsInput{MaxResults: aws.Int32(60)})
			for p.HasMorePages() {
				page, err := p.NextPage(r.ctx)
				if err != nil {
					return r.apiError(err)
				}
				all.UserPools = append(all.UserPools, page.UserPools...)
			}
			return r.emit(all, func() *table {
				t := &table{header: []string{"ID", "NAME", "CREATED"}}
				for _, p := range all.UserPools {
					t.add(aws.ToString(p.Id), aws.ToString(p.Name), fmtTime(p.CreationDate))
				}
				return t
			})
		},
	}
	return cmd
}

func newPoolDescribeCommand() *cobra.Command {
	return &cobra.Command{
		Use:     "describe POOL_ID",
		Short:   "Describe a user pool (DescribeUserPool)",
		Example: "  userpool pool describe us-east-1_AbCdEfGhI\n  userpool pool describe us-east-1_AbCdEfGhI --output json",
		Args:    exactArgs("POOL_ID"),
		RunE: func(cmd *cobra.Command, args []string) error {
			r, err := connect(cmd)
			if err != nil {
				return err
			}
			out, err := r.api.DescribeUserPool(r.ctx, &cip.DescribeUserPoolInput{UserPoolId: aws.String(args[0])})
			if err != nil {
				return r.apiError(err)
			}
			return r.emit(out, func() *table { return poolDetails(out.UserPool) })
		},
	}
}

func newPoolDeleteCommand() *cobra.Command {
	return &cobra.Command{
		Use:     "delete POOL_ID",
		Short:   "Delete a user pool and everything in it (DeleteUserPool)",
		Long:    "Delete a user pool, its app clients and its users. Prints nothing on success.",
		Example: "  userpool pool delete us-east-1_AbCdEfGhI",
		Args:    exactArgs("POOL_ID"),
		RunE: func(cmd *cobra.Command, args []string) error {
			r, err := connect(cmd)
			if err != nil {
				return err
			}
			_, err = r.api.DeleteUserPool(r.ctx, &cip.DeleteUserPoolInput{UserPoolId: aws.String(args[0])})
			return r.apiError(err)
		},
	}
}

// poolDetails is the table of one pool.
func poolDetails(p *types.UserPoolType) *table {
	d := &details{}
	if p == nil {
		return &d.table
	}
	d.field("Id", aws.ToString(p.Id))
	d.field("Name", aws.ToString(p.Name))
	d.field("Arn", aws.ToString(p.Arn))
	d.field("Created", fmtTime(p.CreationDate))
	d.field("Modified", fmtTime(p.LastModifiedDate))
	d.field("Users", strconv.Itoa(int(p.EstimatedNumberOfUsers)))
	d.field("UsernameAttributes", fmtList(p.UsernameAttributes))
	d.field("AliasAttributes", fmtList(p.AliasAttributes))
	d.field("AutoVerifiedAttributes", fmtList(p.AutoVerifiedAttributes))
	d.field("MfaConfiguration", string(p.MfaConfiguration))
	if p.Policies != nil && p.Policies.PasswordPolicy != nil {
		pp := p.Policies.PasswordPolicy
		policy := []string{"min length " + fmtInt(pp.MinimumLength)}
		for _, r := range []struct {
			on   bool
			what string
		}{{pp.RequireUppercase, "uppercase"}, {pp.RequireLowercase, "lowercase"}, {pp.RequireNumbers, "numbers"}, {pp.RequireSymbols, "symbols"}} {
			if r.on {
				policy = append(policy, r.what)
			}
		}
		d.field("PasswordPolicy", strings.Join(policy, ", "))
	}
	if c := p.AdminCreateUserConfig; c != nil {
		d.field("AdminCreateUserOnly", fmtBool(c.AllowAdminCreateUserOnly))
	}
	d.field("DeletionProtection", string(p.DeletionProtection))
	d.field("Domain", aws.ToString(p.Domain))
	return &d.table
}

// enums converts flag values to an SDK enum list.
func enums[E ~string](values []string) []E {
	var out []E
	for _, v := range values {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, E(v))
		}
	}
	return out
}
