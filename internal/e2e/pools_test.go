package e2e

import (
	"regexp"
	"slices"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

// schemaAttr finds an attribute in a pool's schema.
func schemaAttr(p *types.UserPoolType, name string) *types.SchemaAttributeType {
	for i := range p.SchemaAttributes {
		if aws.ToString(p.SchemaAttributes[i].Name) == name {
			return &p.SchemaAttributes[i]
		}
	}
	return nil
}

func (e *env) describePool(id string) *types.UserPoolType {
	e.t.Helper()
	return try(e.c.DescribeUserPool(e.t.Context(), &cip.DescribeUserPoolInput{UserPoolId: aws.String(id)})).ok(e.t).UserPool
}

func TestCreateUserPoolAllSettings(t *testing.T) {
	e := start(t)
	ctx := t.Context()
	before := time.Now().Add(-time.Second)
	out := try(e.c.CreateUserPool(ctx, &cip.CreateUserPoolInput{
		PoolName: aws.String("everything"),
		Policies: &types.UserPoolPolicyType{PasswordPolicy: &types.PasswordPolicyType{
			MinimumLength: aws.Int32(10), RequireUppercase: true, RequireNumbers: true, TemporaryPasswordValidityDays: 3,
		}},
		AutoVerifiedAttributes: []types.VerifiedAttributeType{types.VerifiedAttributeTypeEmail},
		UsernameAttributes:     []types.UsernameAttributeType{types.UsernameAttributeTypeEmail},
		UsernameConfiguration:  &types.UsernameConfigurationType{CaseSensitive: aws.Bool(false)},
		Schema: []types.SchemaAttributeType{
			{Name: aws.String("tenant"), AttributeDataType: types.AttributeDataTypeString, Mutable: aws.Bool(true),
				StringAttributeConstraints: &types.StringAttributeConstraintsType{MinLength: aws.String("1"), MaxLength: aws.String("20")}},
			{Name: aws.String("custom:age"), AttributeDataType: types.AttributeDataTypeNumber, Mutable: aws.Bool(false),
				NumberAttributeConstraints: &types.NumberAttributeConstraintsType{MinValue: aws.String("0"), MaxValue: aws.String("150")}},
			{Name: aws.String("name"), AttributeDataType: types.AttributeDataTypeString, Required: aws.Bool(true), Mutable: aws.Bool(true)},
		},
		AccountRecoverySetting: &types.AccountRecoverySettingType{RecoveryMechanisms: []types.RecoveryOptionType{
			{Name: types.RecoveryOptionNameTypeVerifiedEmail, Priority: aws.Int32(1)},
			{Name: types.RecoveryOptionNameTypeVerifiedPhoneNumber, Priority: aws.Int32(2)},
		}},
		AdminCreateUserConfig: &types.AdminCreateUserConfigType{
			AllowAdminCreateUserOnly: true,
			InviteMessageTemplate: &types.MessageTemplateType{
				EmailSubject: aws.String("Welcome"), EmailMessage: aws.String("Hello {username}, your password is {####}"),
				SMSMessage: aws.String("User {username} password {####}"),
			},
		},
		VerificationMessageTemplate: &types.VerificationMessageTemplateType{
			DefaultEmailOption: types.DefaultEmailOptionTypeConfirmWithCode,
			EmailSubject:       aws.String("Your code"), EmailMessage: aws.String("The code is {####}"),
			SmsMessage: aws.String("SMS code {####}"),
		},
		MfaConfiguration:   types.UserPoolMfaTypeOptional,
		SmsConfiguration:   &types.SmsConfigurationType{SnsCallerArn: aws.String("arn:aws:iam::123456789012:role/sns"), ExternalId: aws.String("ext")},
		DeletionProtection: types.DeletionProtectionTypeActive,
		UserPoolTags:       map[string]string{"env": "test"},
	})).ok(t)
	id := aws.ToString(out.UserPool.Id)
	if !poolIDRe.MatchString(id) {
		t.Fatalf("pool ID %q", id)
	}
	for name, p := range map[string]*types.UserPoolType{"create": out.UserPool, "describe": e.describePool(id)} {
		if aws.ToString(p.Id) != id || aws.ToString(p.Name) != "everything" {
			t.Fatalf("%s: id/name = %s/%s", name, aws.ToString(p.Id), aws.ToString(p.Name))
		}
		if want := "arn:aws:cognito-idp:us-east-1:"; !regexp.MustCompile(`^` + want + `\d{12}:userpool/` + id + `$`).MatchString(aws.ToString(p.Arn)) {
			t.Fatalf("%s: Arn = %s", name, aws.ToString(p.Arn))
		}
		if p.CreationDate == nil || p.CreationDate.Before(before) || p.CreationDate.After(time.Now().Add(time.Second)) {
			t.Fatalf("%s: CreationDate = %v", name, p.CreationDate)
		}
		pp := p.Policies.PasswordPolicy
		if aws.ToInt32(pp.MinimumLength) != 10 || !pp.RequireUppercase || pp.RequireLowercase || !pp.RequireNumbers || pp.RequireSymbols || pp.TemporaryPasswordValidityDays != 3 {
			t.Fatalf("%s: password policy %+v", name, pp)
		}
		if !slices.Equal(p.AutoVerifiedAttributes, []types.VerifiedAttributeType{"email"}) ||
			!slices.Equal(p.UsernameAttributes, []types.UsernameAttributeType{"email"}) || len(p.AliasAttributes) != 0 {
			t.Fatalf("%s: auto-verified %v username %v alias %v", name, p.AutoVerifiedAttributes, p.UsernameAttributes, p.AliasAttributes)
		}
		if p.UsernameConfiguration == nil || aws.ToBool(p.UsernameConfiguration.CaseSensitive) {
			t.Fatalf("%s: UsernameConfiguration %+v", name, p.UsernameConfiguration)
		}
		tenant := schemaAttr(p, "custom:tenant")
		if tenant == nil || tenant.AttributeDataType != types.AttributeDataTypeString || !aws.ToBool(tenant.Mutable) || aws.ToBool(tenant.Required) ||
			aws.ToString(tenant.StringAttributeConstraints.MinLength) != "1" || aws.ToString(tenant.StringAttributeConstraints.MaxLength) != "20" {
			t.Fatalf("%s: custom:tenant = %+v", name, tenant)
		}
		age := schemaAttr(p, "custom:age")
		if age == nil || age.AttributeDataType != types.AttributeDataTypeNumber || aws.ToBool(age.Mutable) ||
			aws.ToString(age.NumberAttributeConstraints.MaxValue) != "150" {
			t.Fatalf("%s: custom:age = %+v", name, age)
		}
		if schemaAttr(p, "tenant") != nil || schemaAttr(p, "custom:custom:age") != nil {
			t.Fatalf("%s: custom prefix applied wrongly: %+v", name, p.SchemaAttributes)
		}
		if a := schemaAttr(p, "name"); a == nil || !aws.ToBool(a.Required) {
			t.Fatalf("%s: name = %+v", name, a)
		}
		if a := schemaAttr(p, "sub"); a == nil || !aws.ToBool(a.Required) || aws.ToBool(a.Mutable) {
			t.Fatalf("%s: sub = %+v", name, a)
		}
		for _, std := range []string{"email", "email_verified", "phone_number", "phone_number_verified", "given_name", "family_name", "preferred_username", "updated_at"} {
			if schemaAttr(p, std) == nil {
				t.Fatalf("%s: standard attribute %s missing", name, std)
			}
		}
		rm := p.AccountRecoverySetting.RecoveryMechanisms
		if len(rm) != 2 || rm[0].Name != types.RecoveryOptionNameTypeVerifiedEmail || aws.ToInt32(rm[0].Priority) != 1 ||
			rm[1].Name != types.RecoveryOptionNameTypeVerifiedPhoneNumber || aws.ToInt32(rm[1].Priority) != 2 {
			t.Fatalf("%s: recovery %+v", name, rm)
		}
		ac := p.AdminCreateUserConfig
		if !ac.AllowAdminCreateUserOnly || aws.ToString(ac.InviteMessageTemplate.EmailSubject) != "Welcome" ||
			aws.ToString(ac.InviteMessageTemplate.EmailMessage) != "Hello {username}, your password is {####}" ||
			aws.ToString(ac.InviteMessageTemplate.SMSMessage) != "User {username} password {####}" {
			t.Fatalf("%s: AdminCreateUserConfig %+v", name, ac)
		}
		vt := p.VerificationMessageTemplate
		if vt.DefaultEmailOption != types.DefaultEmailOptionTypeConfirmWithCode || aws.ToString(vt.EmailSubject) != "Your code" ||
			aws.ToString(vt.EmailMessage) != "The code is {####}" || aws.ToString(vt.SmsMessage) != "SMS code {####}" {
			t.Fatalf("%s: VerificationMessageTemplate %+v", name, vt)
		}
		// The legacy top-level fields mirror the template.
		if aws.ToString(p.EmailVerificationMessage) != "The code is {####}" || aws.ToString(p.SmsVerificationMessage) != "SMS code {####}" {
			t.Fatalf("%s: legacy message fields %q %q", name, aws.ToString(p.EmailVerificationMessage), aws.ToString(p.SmsVerificationMessage))
		}
		if p.MfaConfiguration != types.UserPoolMfaTypeOptional || p.DeletionProtection != types.DeletionProtectionTypeActive {
			t.Fatalf("%s: mfa %s deletion protection %s", name, p.MfaConfiguration, p.DeletionProtection)
		}
		if p.SmsConfiguration == nil || aws.ToString(p.SmsConfiguration.SnsCallerArn) != "arn:aws:iam::123456789012:role/sns" {
			t.Fatalf("%s: SmsConfiguration %+v", name, p.SmsConfiguration)
		}
		if p.UserPoolTags["env"] != "test" {
			t.Fatalf("%s: tags %v", name, p.UserPoolTags)
		}
		if p.EstimatedNumberOfUsers != 0 {
			t.Fatalf("%s: EstimatedNumberOfUsers = %d", name, p.EstimatedNumberOfUsers)
		}
	}
}

func TestCreateUserPoolDefaults(t *testing.T) {
	e := start(t)
	id := e.pool(nil)
	other := e.pool(nil)
	if !poolIDRe.MatchString(id) || !poolIDRe.MatchString(other) || id == other {
		t.Fatalf("pool IDs %q %q", id, other)
	}
	p := e.describePool(id)
	pp := p.Policies.PasswordPolicy
	if aws.ToInt32(pp.MinimumLength) != 8 || !pp.RequireUppercase || !pp.RequireLowercase || !pp.RequireNumbers || !pp.RequireSymbols || pp.TemporaryPasswordValidityDays != 7 {
		t.Fatalf("default password policy %+v", pp)
	}
	if p.MfaConfiguration != types.UserPoolMfaTypeOff || p.DeletionProtection != types.DeletionProtectionTypeInactive {
		t.Fatalf("mfa %q deletion protection %q", p.MfaConfiguration, p.DeletionProtection)
	}
	if p.AdminCreateUserConfig == nil || p.AdminCreateUserConfig.AllowAdminCreateUserOnly || p.AdminCreateUserConfig.UnusedAccountValidityDays != 7 {
		t.Fatalf("AdminCreateUserConfig %+v", p.AdminCreateUserConfig)
	}
	if len(p.AutoVerifiedAttributes) != 0 || len(p.UsernameAttributes) != 0 || len(p.AliasAttributes) != 0 {
		t.Fatalf("attributes %v %v %v", p.AutoVerifiedAttributes, p.UsernameAttributes, p.AliasAttributes)
	}
	if p.VerificationMessageTemplate == nil || p.VerificationMessageTemplate.DefaultEmailOption != types.DefaultEmailOptionTypeConfirmWithCode {
		t.Fatalf("VerificationMessageTemplate %+v", p.VerificationMessageTemplate)
	}
	for _, a := range p.SchemaAttributes {
		if n := aws.ToString(a.Name); len(n) > 7 && n[:7] == "custom:" {
			t.Fatalf("unexpected custom attribute %s", n)
		}
	}
	if schemaAttr(p, "email") == nil || aws.ToBool(schemaAttr(p, "email").Required) {
		t.Fatalf("email schema %+v", schemaAttr(p, "email"))
	}
	// The deprecated UnusedAccountValidityDays sets the temporary password
	// validity when no policy gives it.
	id = e.pool(func(in *cip.CreateUserPoolInput) {
		in.AdminCreateUserConfig = &types.AdminCreateUserConfigType{UnusedAccountValidityDays: 2}
	})
	if got := e.describePool(id).Policies.PasswordPolicy.TemporaryPasswordValidityDays; got != 2 {
		t.Fatalf("TemporaryPasswordValidityDays from UnusedAccountValidityDays = %d", got)
	}
}

func TestCreateUserPoolInvalid(t *testing.T) {
	e := start(t)
	ctx := t.Context()
	create := func(mod func(in *cip.CreateUserPoolInput)) error {
		in := &cip.CreateUserPoolInput{PoolName: aws.String("bad")}
		mod(in)
		_, err := e.c.CreateUserPool(ctx, in)
		return err
	}
	err := create(func(in *cip.CreateUserPoolInput) {
		in.UsernameAttributes = []types.UsernameAttributeType{"email"}
		in.AliasAttributes = []types.AliasAttributeType{"phone_number"}
	})
	wantErr[*types.InvalidParameterException](t, err, "Only one of the aliasAttributes or usernameAttributes can be set in a User Pool.")

	err = create(func(in *cip.CreateUserPoolInput) {
		in.Schema = []types.SchemaAttributeType{{Name: aws.String("plan"), AttributeDataType: types.AttributeDataTypeString, Required: aws.Bool(true)}}
	})
	wantErr[*types.InvalidParameterException](t, err, "Required custom attributes are not supported currently.")

	err = create(func(in *cip.CreateUserPoolInput) {
		in.Schema = []types.SchemaAttributeType{
			{Name: aws.String("plan"), AttributeDataType: types.AttributeDataTypeString},
			{Name: aws.String("custom:plan"), AttributeDataType: types.AttributeDataTypeString},
		}
	})
	wantErr[*types.InvalidParameterException](t, err, "Duplicate attribute names are not allowed: custom:plan")

	err = create(func(in *cip.CreateUserPoolInput) {
		in.Schema = []types.SchemaAttributeType{{Name: aws.String("email"), AttributeDataType: types.AttributeDataTypeNumber}}
	})
	wantErr[*types.InvalidParameterException](t, err, "You can not change AttributeDataType or set developerOnlyAttribute for standard schema attribute email")

	err = create(func(in *cip.CreateUserPoolInput) {
		in.AccountRecoverySetting = &types.AccountRecoverySettingType{RecoveryMechanisms: []types.RecoveryOptionType{
			{Name: types.RecoveryOptionNameTypeAdminOnly, Priority: aws.Int32(1)},
			{Name: types.RecoveryOptionNameTypeVerifiedEmail, Priority: aws.Int32(2)},
		}}
	})
	wantErr[*types.InvalidParameterException](t, err, "admin_only can not be combined with other recovery mechanisms.")

	err = create(func(in *cip.CreateUserPoolInput) {
		in.Policies = &types.UserPoolPolicyType{PasswordPolicy: &types.PasswordPolicyType{MinimumLength: aws.Int32(5)}}
	})
	wantErr[*types.InvalidParameterException](t, err, "1 validation error detected: Value '5' at 'policies.passwordPolicy.minimumLength' failed to satisfy constraint: Member must have value greater than or equal to 6")

	// Nothing was created.
	if pools := try(e.c.ListUserPools(ctx, &cip.ListUserPoolsInput{MaxResults: aws.Int32(60)})).ok(t).UserPools; len(pools) != 0 {
		t.Fatalf("failed creates left %d pools", len(pools))
	}
}

func TestUpdateUserPoolRevertsOmittedSettings(t *testing.T) {
	e := start(t)
	ctx := t.Context()
	id := e.pool(func(in *cip.CreateUserPoolInput) {
		in.PoolName = aws.String("original")
		in.AutoVerifiedAttributes = []types.VerifiedAttributeType{"email"}
		in.UsernameAttributes = []types.UsernameAttributeType{"email"}
		in.UsernameConfiguration = &types.UsernameConfigurationType{CaseSensitive: aws.Bool(false)}
		in.Schema = []types.SchemaAttributeType{{Name: aws.String("tenant"), AttributeDataType: types.AttributeDataTypeString}}
		in.MfaConfiguration = types.UserPoolMfaTypeOptional
		in.DeletionProtection = types.DeletionProtectionTypeActive
		in.AdminCreateUserConfig = &types.AdminCreateUserConfigType{AllowAdminCreateUserOnly: true}
		in.VerificationMessageTemplate = &types.VerificationMessageTemplateType{EmailMessage: aws.String("Code {####}")}
		in.Policies = &types.UserPoolPolicyType{PasswordPolicy: &types.PasswordPolicyType{MinimumLength: aws.Int32(20), TemporaryPasswordValidityDays: 2}}
	})
	created := e.describePool(id)
	time.Sleep(5 * time.Millisecond)
	try(e.c.UpdateUserPool(ctx, &cip.UpdateUserPoolInput{
		UserPoolId: aws.String(id),
		Policies:   &types.UserPoolPolicyType{PasswordPolicy: &types.PasswordPolicyType{MinimumLength: aws.Int32(12), RequireSymbols: true}},
	})).ok(t)
	p := e.describePool(id)
	pp := p.Policies.PasswordPolicy
	if aws.ToInt32(pp.MinimumLength) != 12 || !pp.RequireSymbols || pp.RequireUppercase || pp.RequireLowercase || pp.RequireNumbers || pp.TemporaryPasswordValidityDays != 7 {
		t.Fatalf("password policy after update %+v", pp)
	}
	if len(p.AutoVerifiedAttributes) != 0 || p.MfaConfiguration != types.UserPoolMfaTypeOff || p.DeletionProtection != types.DeletionProtectionTypeInactive {
		t.Fatalf("omitted settings kept: auto-verified %v mfa %s protection %s", p.AutoVerifiedAttributes, p.MfaConfiguration, p.DeletionProtection)
	}
	if p.AdminCreateUserConfig.AllowAdminCreateUserOnly || aws.ToString(p.VerificationMessageTemplate.EmailMessage) != "" {
		t.Fatalf("omitted settings kept: %+v %+v", p.AdminCreateUserConfig, p.VerificationMessageTemplate)
	}
	// What UpdateUserPool cannot change stays.
	if aws.ToString(p.Name) != "original" || schemaAttr(p, "custom:tenant") == nil ||
		!slices.Equal(p.UsernameAttributes, []types.UsernameAttributeType{"email"}) || aws.ToBool(p.UsernameConfiguration.CaseSensitive) {
		t.Fatalf("update lost fixed settings: name %s schema %v username %v config %+v", aws.ToString(p.Name), p.SchemaAttributes, p.UsernameAttributes, p.UsernameConfiguration)
	}
	if !p.CreationDate.Equal(*created.CreationDate) || !p.LastModifiedDate.After(*created.LastModifiedDate) {
		t.Fatalf("dates: created %v→%v modified %v→%v", created.CreationDate, p.CreationDate, created.LastModifiedDate, p.LastModifiedDate)
	}
	// A new name and settings take effect.
	try(e.c.UpdateUserPool(ctx, &cip.UpdateUserPoolInput{
		UserPoolId: aws.String(id), PoolName: aws.String("renamed"),
		AutoVerifiedAttributes: []types.VerifiedAttributeType{"email"}, DeletionProtection: types.DeletionProtectionTypeActive,
	})).ok(t)
	p = e.describePool(id)
	if aws.ToString(p.Name) != "renamed" || len(p.AutoVerifiedAttributes) != 1 || p.DeletionProtection != types.DeletionProtectionTypeActive {
		t.Fatalf("after second update: %s %v %s", aws.ToString(p.Name), p.AutoVerifiedAttributes, p.DeletionProtection)
	}
	if aws.ToInt32(p.Policies.PasswordPolicy.MinimumLength) != 8 || !p.Policies.PasswordPolicy.RequireUppercase {
		t.Fatalf("password policy not back to default: %+v", p.Policies.PasswordPolicy)
	}
}

func TestDeleteUserPool(t *testing.T) {
	e := start(t)
	ctx := t.Context()
	id := e.pool(nil)
	client := aws.ToString(e.client(id, nil).ClientId)
	e.createUser(id, "jane")
	try(e.c.DeleteUserPool(ctx, &cip.DeleteUserPoolInput{UserPoolId: aws.String(id)})).ok(t)
	notFound := "User pool " + id + " does not exist."
	_, err := e.c.DescribeUserPool(ctx, &cip.DescribeUserPoolInput{UserPoolId: aws.String(id)})
	wantErr[*types.ResourceNotFoundException](t, err, notFound)
	_, err = e.c.DeleteUserPool(ctx, &cip.DeleteUserPoolInput{UserPoolId: aws.String(id)})
	wantErr[*types.ResourceNotFoundException](t, err, notFound)
	_, err = e.c.AdminGetUser(ctx, &cip.AdminGetUserInput{UserPoolId: aws.String(id), Username: aws.String("jane")})
	wantErr[*types.ResourceNotFoundException](t, err, notFound)
	// Its clients went with it.
	_, err = e.c.SignUp(ctx, &cip.SignUpInput{ClientId: aws.String(client), Username: aws.String("bob"), Password: aws.String(goodPassword)})
	wantErr[*types.ResourceNotFoundException](t, err, "User pool client "+client+" does not exist.")

	// Deletion protection.
	id = e.pool(func(in *cip.CreateUserPoolInput) { in.DeletionProtection = types.DeletionProtectionTypeActive })
	_, err = e.c.DeleteUserPool(ctx, &cip.DeleteUserPoolInput{UserPoolId: aws.String(id)})
	wantErr[*types.InvalidParameterException](t, err, "The user pool cannot be deleted because deletion protection is activated. Deletion protection must be inactivated first.")
	e.describePool(id)
	try(e.c.UpdateUserPool(ctx, &cip.UpdateUserPoolInput{UserPoolId: aws.String(id), DeletionProtection: types.DeletionProtectionTypeInactive})).ok(t)
	try(e.c.DeleteUserPool(ctx, &cip.DeleteUserPoolInput{UserPoolId: aws.String(id)})).ok(t)
}

func TestListUserPoolsPagination(t *testing.T) {
	e := start(t)
	ctx := t.Context()
	want := map[string]string{}
	for i := range 7 {
		name := "pool-" + string(rune('a'+i))
		id := e.pool(func(in *cip.CreateUserPoolInput) { in.PoolName = aws.String(name) })
		want[id] = name
	}
	seen := map[string]bool{}
	var sizes []int
	var token *string
	for {
		out := try(e.c.ListUserPools(ctx, &cip.ListUserPoolsInput{MaxResults: aws.Int32(3), NextToken: token})).ok(t)
		sizes = append(sizes, len(out.UserPools))
		for _, p := range out.UserPools {
			id := aws.ToString(p.Id)
			if seen[id] {
				t.Fatalf("pool %s listed twice", id)
			}
			seen[id] = true
			if want[id] != aws.ToString(p.Name) || p.CreationDate == nil || p.LastModifiedDate == nil {
				t.Fatalf("listed %+v, want name %q", p, want[id])
			}
		}
		if out.NextToken == nil {
			break
		}
		token = out.NextToken
		if len(sizes) > 5 {
			t.Fatal("pagination does not end")
		}
	}
	if !slices.Equal(sizes, []int{3, 3, 1}) || len(seen) != 7 {
		t.Fatalf("page sizes %v, %d pools seen", sizes, len(seen))
	}
	// An exact fit has no next page.
	out := try(e.c.ListUserPools(ctx, &cip.ListUserPoolsInput{MaxResults: aws.Int32(7)})).ok(t)
	if len(out.UserPools) != 7 || out.NextToken != nil {
		t.Fatalf("MaxResults 7: %d pools, token %v", len(out.UserPools), out.NextToken)
	}
	// Deleted pools leave the list.
	for id := range want {
		try(e.c.DeleteUserPool(ctx, &cip.DeleteUserPoolInput{UserPoolId: aws.String(id)})).ok(t)
		break
	}
	out = try(e.c.ListUserPools(ctx, &cip.ListUserPoolsInput{MaxResults: aws.Int32(60)})).ok(t)
	if len(out.UserPools) != 6 {
		t.Fatalf("after delete: %d pools", len(out.UserPools))
	}
	_, err := e.c.ListUserPools(ctx, &cip.ListUserPoolsInput{MaxResults: aws.Int32(3), NextToken: aws.String("!!not-a-token!!")})
	wantErr[*types.InvalidParameterException](t, err, "Invalid pagination token.")
}

func TestAddCustomAttributes(t *testing.T) {
	e := start(t)
	ctx := t.Context()
	id := e.pool(nil)
	try(e.c.AddCustomAttributes(ctx, &cip.AddCustomAttributesInput{UserPoolId: aws.String(id), CustomAttributes: []types.SchemaAttributeType{
		{Name: aws.String("plan"), AttributeDataType: types.AttributeDataTypeString},
		{Name: aws.String("score"), AttributeDataType: types.AttributeDataTypeNumber, Mutable: aws.Bool(false)},
	}})).ok(t)
	p := e.describePool(id)
	plan, score := schemaAttr(p, "custom:plan"), schemaAttr(p, "custom:score")
	if plan == nil || plan.AttributeDataType != types.AttributeDataTypeString || !aws.ToBool(plan.Mutable) {
		t.Fatalf("custom:plan = %+v", plan)
	}
	if score == nil || score.AttributeDataType != types.AttributeDataTypeNumber || aws.ToBool(score.Mutable) {
		t.Fatalf("custom:score = %+v", score)
	}
	// The new attributes can be used.
	u := e.createUser(id, "jane", "custom:plan", "gold", "custom:score", "42")
	if m := attrMap(u.Attributes); m["custom:plan"] != "gold" || m["custom:score"] != "42" {
		t.Fatalf("attributes %v", m)
	}
	_, err := e.c.AddCustomAttributes(ctx, &cip.AddCustomAttributesInput{UserPoolId: aws.String(id), CustomAttributes: []types.SchemaAttributeType{
		{Name: aws.String("plan"), AttributeDataType: types.AttributeDataTypeString},
	}})
	wantErr[*types.InvalidParameterException](t, err, "custom:plan: Existing attribute already has name custom:plan.")
	_, err = e.c.AddCustomAttributes(ctx, &cip.AddCustomAttributesInput{UserPoolId: aws.String(id), CustomAttributes: []types.SchemaAttributeType{
		{Name: aws.String("tier"), AttributeDataType: types.AttributeDataTypeString, Required: aws.Bool(true)},
	}})
	wantErr[*types.InvalidParameterException](t, err, "Required custom attributes are not supported currently.")
	if schemaAttr(e.describePool(id), "custom:tier") != nil {
		t.Fatal("a refused attribute was added")
	}
}

// TestUnknownPool checks that every pool-scoped operation answers
// ResourceNotFoundException for a pool that does not exist.
func TestUnknownPool(t *testing.T) {
	e := start(t)
	ctx := t.Context()
	real := e.pool(nil)
	client := aws.ToString(e.client(real, nil).ClientId)
	id := aws.String("us-east-1_NoSuchPoo")
	user := aws.String("jane")
	msg := "User pool us-east-1_NoSuchPoo does not exist."
	calls := map[string]func() error{
		"DescribeUserPool": func() error {
			_, err := e.c.DescribeUserPool(ctx, &cip.DescribeUserPoolInput{UserPoolId: id})
			return err
		},
		"UpdateUserPool": func() error { _, err := e.c.UpdateUserPool(ctx, &cip.UpdateUserPoolInput{UserPoolId: id}); return err },
		"DeleteUserPool": func() error { _, err := e.c.DeleteUserPool(ctx, &cip.DeleteUserPoolInput{UserPoolId: id}); return err },
		"AddCustomAttributes": func() error {
			_, err := e.c.AddCustomAttributes(ctx, &cip.AddCustomAttributesInput{UserPoolId: id, CustomAttributes: []types.SchemaAttributeType{{Name: aws.String("x"), AttributeDataType: types.AttributeDataTypeString}}})
			return err
		},
		"CreateUserPoolClient": func() error {
			_, err := e.c.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{UserPoolId: id, ClientName: aws.String("c")})
			return err
		},
		"DescribeUserPoolClient": func() error {
			_, err := e.c.DescribeUserPoolClient(ctx, &cip.DescribeUserPoolClientInput{UserPoolId: id, ClientId: aws.String(client)})
			return err
		},
		"UpdateUserPoolClient": func() error {
			_, err := e.c.UpdateUserPoolClient(ctx, &cip.UpdateUserPoolClientInput{UserPoolId: id, ClientId: aws.String(client)})
			return err
		},
		"DeleteUserPoolClient": func() error {
			_, err := e.c.DeleteUserPoolClient(ctx, &cip.DeleteUserPoolClientInput{UserPoolId: id, ClientId: aws.String(client)})
			return err
		},
		"ListUserPoolClients": func() error {
			_, err := e.c.ListUserPoolClients(ctx, &cip.ListUserPoolClientsInput{UserPoolId: id, MaxResults: aws.Int32(10)})
			return err
		},
		"AdminCreateUser": func() error {
			_, err := e.c.AdminCreateUser(ctx, &cip.AdminCreateUserInput{UserPoolId: id, Username: user})
			return err
		},
		"AdminGetUser": func() error {
			_, err := e.c.AdminGetUser(ctx, &cip.AdminGetUserInput{UserPoolId: id, Username: user})
			return err
		},
		"AdminDeleteUser": func() error {
			_, err := e.c.AdminDeleteUser(ctx, &cip.AdminDeleteUserInput{UserPoolId: id, Username: user})
			return err
		},
		"AdminEnableUser": func() error {
			_, err := e.c.AdminEnableUser(ctx, &cip.AdminEnableUserInput{UserPoolId: id, Username: user})
			return err
		},
		"AdminDisableUser": func() error {
			_, err := e.c.AdminDisableUser(ctx, &cip.AdminDisableUserInput{UserPoolId: id, Username: user})
			return err
		},
		"AdminUpdateUserAttributes": func() error {
			_, err := e.c.AdminUpdateUserAttributes(ctx, &cip.AdminUpdateUserAttributesInput{UserPoolId: id, Username: user, UserAttributes: attrs("name", "x")})
			return err
		},
		"AdminDeleteUserAttributes": func() error {
			_, err := e.c.AdminDeleteUserAttributes(ctx, &cip.AdminDeleteUserAttributesInput{UserPoolId: id, Username: user, UserAttributeNames: []string{"name"}})
			return err
		},
		"AdminConfirmSignUp": func() error {
			_, err := e.c.AdminConfirmSignUp(ctx, &cip.AdminConfirmSignUpInput{UserPoolId: id, Username: user})
			return err
		},
		"ListUsers": func() error { _, err := e.c.ListUsers(ctx, &cip.ListUsersInput{UserPoolId: id}); return err },
	}
	for name, f := range calls {
		t.Run(name, func(t *testing.T) {
			wantErr[*types.ResourceNotFoundException](t, f(), msg)
		})
	}
	// The outbox too.
	r := raw(t, "GET", e.srv.URL+"/_userpool/outbox?userPoolId=us-east-1_NoSuchPoo", "", "", nil)
	if r.Status != 400 || r.JSON(t)["__type"] != "ResourceNotFoundException" || r.JSON(t)["message"] != msg {
		t.Fatalf("outbox: %d %s", r.Status, r.Body)
	}
}
