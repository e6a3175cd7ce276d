package e2e

import (
	"slices"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

func (e *env) describeClient(poolID, clientID string) *types.UserPoolClientType {
	e.t.Helper()
	return try(e.c.DescribeUserPoolClient(e.t.Context(), &cip.DescribeUserPoolClientInput{UserPoolId: aws.String(poolID), ClientId: aws.String(clientID)})).ok(e.t).UserPoolClient
}

func TestCreateUserPoolClientDefaults(t *testing.T) {
	e := start(t)
	pool := e.pool(nil)
	c := e.client(pool, func(in *cip.CreateUserPoolClientInput) { in.ClientName = aws.String("web") })
	id := aws.ToString(c.ClientId)
	if !clientIDs.MatchString(id) {
		t.Fatalf("client ID %q", id)
	}
	for name, got := range map[string]*types.UserPoolClientType{"create": c, "describe": e.describeClient(pool, id)} {
		if aws.ToString(got.ClientId) != id || aws.ToString(got.UserPoolId) != pool || aws.ToString(got.ClientName) != "web" {
			t.Fatalf("%s: %+v", name, got)
		}
		if got.ClientSecret != nil {
			t.Fatalf("%s: secret %q without GenerateSecret", name, aws.ToString(got.ClientSecret))
		}
		if got.PreventUserExistenceErrors != types.PreventUserExistenceErrorTypesLegacy {
			t.Fatalf("%s: PreventUserExistenceErrors = %q, want LEGACY", name, got.PreventUserExistenceErrors)
		}
		if got.RefreshTokenValidity != 30 || aws.ToInt32(got.AuthSessionValidity) != 3 || !aws.ToBool(got.EnableTokenRevocation) {
			t.Fatalf("%s: refresh %d session %d revocation %v", name, got.RefreshTokenValidity, aws.ToInt32(got.AuthSessionValidity), aws.ToBool(got.EnableTokenRevocation))
		}
		if got.CreationDate == nil || time.Since(*got.CreationDate) > time.Minute || got.LastModifiedDate == nil {
			t.Fatalf("%s: dates %v %v", name, got.CreationDate, got.LastModifiedDate)
		}
	}
	other := aws.ToString(e.client(pool, nil).ClientId)
	if other == id || !clientIDs.MatchString(other) {
		t.Fatalf("second client ID %q", other)
	}
}

func TestCreateUserPoolClientSecret(t *testing.T) {
	e := start(t)
	pool := e.pool(nil)
	c := e.client(pool, func(in *cip.CreateUserPoolClientInput) { in.GenerateSecret = true })
	secret := aws.ToString(c.ClientSecret)
	if !secretRe.MatchString(secret) {
		t.Fatalf("generated secret %q (%d chars)", secret, len(secret))
	}
	if got := aws.ToString(e.describeClient(pool, aws.ToString(c.ClientId)).ClientSecret); got != secret {
		t.Fatalf("described secret %q, want %q", got, secret)
	}
	if s2 := aws.ToString(e.client(pool, func(in *cip.CreateUserPoolClientInput) { in.GenerateSecret = true }).ClientSecret); s2 == secret {
		t.Fatal("two clients got the same secret")
	}
	// A secret of the caller's choosing.
	given := "myownsecret0123456789abcdef"
	c = e.client(pool, func(in *cip.CreateUserPoolClientInput) { in.ClientSecret = aws.String(given) })
	if aws.ToString(c.ClientSecret) != given {
		t.Fatalf("given secret = %q", aws.ToString(c.ClientSecret))
	}
	_, err := e.c.CreateUserPoolClient(t.Context(), &cip.CreateUserPoolClientInput{UserPoolId: aws.String(pool), ClientName: aws.String("x"), GenerateSecret: true, ClientSecret: aws.String(given)})
	wantErr[*types.InvalidParameterException](t, err, "Cannot set both ClientSecret and GenerateSecret.")
}

func TestCreateUserPoolClientSettings(t *testing.T) {
	e := start(t)
	ctx := t.Context()
	pool := e.pool(func(in *cip.CreateUserPoolInput) {
		in.Schema = []types.SchemaAttributeType{{Name: aws.String("tenant"), AttributeDataType: types.AttributeDataTypeString}}
	})
	c := e.client(pool, func(in *cip.CreateUserPoolClientInput) {
		in.ExplicitAuthFlows = []types.ExplicitAuthFlowsType{types.ExplicitAuthFlowsTypeAllowUserPasswordAuth, types.ExplicitAuthFlowsTypeAllowRefreshTokenAuth}
		in.AccessTokenValidity = aws.Int32(30)
		in.IdTokenValidity = aws.Int32(2)
		in.RefreshTokenValidity = 7
		in.TokenValidityUnits = &types.TokenValidityUnitsType{AccessToken: types.TimeUnitsTypeMinutes, IdToken: types.TimeUnitsTypeHours, RefreshToken: types.TimeUnitsTypeDays}
		in.AuthSessionValidity = aws.Int32(10)
		in.PreventUserExistenceErrors = types.PreventUserExistenceErrorTypesEnabled
		in.ReadAttributes = []string{"email", "name", "custom:tenant"}
		in.WriteAttributes = []string{"email", "custom:tenant"}
		in.EnableTokenRevocation = aws.Bool(false)
	})
	got := e.describeClient(pool, aws.ToString(c.ClientId))
	if !slices.Equal(got.ExplicitAuthFlows, []types.ExplicitAuthFlowsType{"ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"}) {
		t.Fatalf("ExplicitAuthFlows = %v", got.ExplicitAuthFlows)
	}
	if aws.ToInt32(got.AccessTokenValidity) != 30 || aws.ToInt32(got.IdTokenValidity) != 2 || got.RefreshTokenValidity != 7 || aws.ToInt32(got.AuthSessionValidity) != 10 {
		t.Fatalf("validities %d %d %d %d", aws.ToInt32(got.AccessTokenValidity), aws.ToInt32(got.IdTokenValidity), got.RefreshTokenValidity, aws.ToInt32(got.AuthSessionValidity))
	}
	u := got.TokenValidityUnits
	if u == nil || u.AccessToken != types.TimeUnitsTypeMinutes || u.IdToken != types.TimeUnitsTypeHours || u.RefreshToken != types.TimeUnitsTypeDays {
		t.Fatalf("TokenValidityUnits = %+v", u)
	}
	if got.PreventUserExistenceErrors != types.PreventUserExistenceErrorTypesEnabled || aws.ToBool(got.EnableTokenRevocation) {
		t.Fatalf("PreventUserExistenceErrors %s revocation %v", got.PreventUserExistenceErrors, aws.ToBool(got.EnableTokenRevocation))
	}
	if !slices.Equal(got.ReadAttributes, []string{"email", "name", "custom:tenant"}) || !slices.Equal(got.WriteAttributes, []string{"email", "custom:tenant"}) {
		t.Fatalf("read %v write %v", got.ReadAttributes, got.WriteAttributes)
	}

	bad := func(mod func(in *cip.CreateUserPoolClientInput)) error {
		in := &cip.CreateUserPoolClientInput{UserPoolId: aws.String(pool), ClientName: aws.String("bad")}
		mod(in)
		_, err := e.c.CreateUserPoolClient(ctx, in)
		return err
	}
	const rangeMsg = "Invalid range for token validity."
	for name, mod := range map[string]func(in *cip.CreateUserPoolClientInput){
		"access 2 minutes": func(in *cip.CreateUserPoolClientInput) {
			in.AccessTokenValidity = aws.Int32(2)
			in.TokenValidityUnits = &types.TokenValidityUnitsType{AccessToken: types.TimeUnitsTypeMinutes}
		},
		"access 25 hours (default unit)": func(in *cip.CreateUserPoolClientInput) { in.AccessTokenValidity = aws.Int32(25) },
		"id 2 days": func(in *cip.CreateUserPoolClientInput) {
			in.IdTokenValidity = aws.Int32(2)
			in.TokenValidityUnits = &types.TokenValidityUnitsType{IdToken: types.TimeUnitsTypeDays}
		},
		"refresh 3651 days": func(in *cip.CreateUserPoolClientInput) { in.RefreshTokenValidity = 3651 },
		"refresh 30 minutes": func(in *cip.CreateUserPoolClientInput) {
			in.RefreshTokenValidity = 30
			in.TokenValidityUnits = &types.TokenValidityUnitsType{RefreshToken: types.TimeUnitsTypeMinutes}
		},
	} {
		t.Run(name, func(t *testing.T) { wantErr[*types.InvalidParameterException](t, bad(mod), rangeMsg) })
	}
	// The edges of the ranges are allowed.
	e.client(pool, func(in *cip.CreateUserPoolClientInput) {
		in.AccessTokenValidity, in.IdTokenValidity, in.RefreshTokenValidity = aws.Int32(5), aws.Int32(1440), 60
		in.TokenValidityUnits = &types.TokenValidityUnitsType{AccessToken: "minutes", IdToken: "minutes", RefreshToken: "minutes"}
	})
	e.client(pool, func(in *cip.CreateUserPoolClientInput) { in.RefreshTokenValidity = 3650 })

	err := bad(func(in *cip.CreateUserPoolClientInput) { in.AuthSessionValidity = aws.Int32(16) })
	wantErr[*types.InvalidParameterException](t, err, "1 validation error detected: Value '16' at 'authSessionValidity' failed to satisfy constraint: Member must have value less than or equal to 15")
	err = bad(func(in *cip.CreateUserPoolClientInput) { in.ReadAttributes = []string{"email", "custom:nope"} })
	wantErr[*types.InvalidParameterException](t, err, "Invalid read attributes specified while creating a client")
	err = bad(func(in *cip.CreateUserPoolClientInput) { in.WriteAttributes = []string{"favourite_colour"} })
	wantErr[*types.InvalidParameterException](t, err, "Invalid write attributes specified while creating a client")
	err = bad(func(in *cip.CreateUserPoolClientInput) {
		in.ExplicitAuthFlows = []types.ExplicitAuthFlowsType{"ALLOW_USER_SRP_AUTH", "USER_PASSWORD_AUTH"}
	})
	wantErr[*types.InvalidParameterException](t, err, "ExplicitAuthFlows can't have both ALLOW_ and legacy (non ALLOW_) values.")
	err = bad(func(in *cip.CreateUserPoolClientInput) { in.PreventUserExistenceErrors = "SOMETIMES" })
	wantErrPrefix[*types.InvalidParameterException](t, err, "1 validation error detected: Value 'SOMETIMES' at 'preventUserExistenceErrors' failed to satisfy constraint: Member must satisfy enum value set:")
}

func TestUpdateUserPoolClient(t *testing.T) {
	e := start(t)
	ctx := t.Context()
	pool := e.pool(nil)
	c := e.client(pool, func(in *cip.CreateUserPoolClientInput) {
		in.GenerateSecret = true
		in.ExplicitAuthFlows = []types.ExplicitAuthFlowsType{"ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"}
		in.PreventUserExistenceErrors = types.PreventUserExistenceErrorTypesEnabled
		in.ReadAttributes = []string{"email"}
		in.AccessTokenValidity = aws.Int32(2)
	})
	id := aws.ToString(c.ClientId)
	time.Sleep(5 * time.Millisecond)
	out := try(e.c.UpdateUserPoolClient(ctx, &cip.UpdateUserPoolClientInput{
		UserPoolId: aws.String(pool), ClientId: aws.String(id), ClientName: aws.String("renamed"), RefreshTokenValidity: 10,
	})).ok(t).UserPoolClient
	got := e.describeClient(pool, id)
	for name, u := range map[string]*types.UserPoolClientType{"update": out, "describe": got} {
		if aws.ToString(u.ClientName) != "renamed" || u.RefreshTokenValidity != 10 {
			t.Fatalf("%s: name %q refresh %d", name, aws.ToString(u.ClientName), u.RefreshTokenValidity)
		}
		if aws.ToString(u.ClientSecret) != aws.ToString(c.ClientSecret) {
			t.Fatalf("%s: secret changed", name)
		}
		// Omitted settings go back to their defaults.
		if len(u.ExplicitAuthFlows) != 0 || u.PreventUserExistenceErrors != types.PreventUserExistenceErrorTypesLegacy || len(u.ReadAttributes) != 0 || u.AccessTokenValidity != nil {
			t.Fatalf("%s: omitted settings kept: %v %s %v %v", name, u.ExplicitAuthFlows, u.PreventUserExistenceErrors, u.ReadAttributes, u.AccessTokenValidity)
		}
		if !u.CreationDate.Equal(*c.CreationDate) || !u.LastModifiedDate.After(*c.LastModifiedDate) {
			t.Fatalf("%s: dates %v %v (created %v)", name, u.CreationDate, u.LastModifiedDate, c.CreationDate)
		}
	}
	_, err := e.c.UpdateUserPoolClient(ctx, &cip.UpdateUserPoolClientInput{UserPoolId: aws.String(pool), ClientId: aws.String(id),
		IdTokenValidity: aws.Int32(2000), TokenValidityUnits: &types.TokenValidityUnitsType{IdToken: types.TimeUnitsTypeMinutes}})
	wantErr[*types.InvalidParameterException](t, err, "Invalid range for token validity.")
	_, err = e.c.UpdateUserPoolClient(ctx, &cip.UpdateUserPoolClientInput{UserPoolId: aws.String(pool), ClientId: aws.String(id), WriteAttributes: []string{"sub"}})
	wantErr[*types.InvalidParameterException](t, err, "Invalid write attributes specified while creating a client")
	// A failed update changes nothing.
	if got := e.describeClient(pool, id); aws.ToString(got.ClientName) != "renamed" || len(got.WriteAttributes) != 0 {
		t.Fatalf("failed update changed the client: %+v", got)
	}
}

func TestDeleteUserPoolClient(t *testing.T) {
	e := start(t)
	ctx := t.Context()
	pool := e.pool(nil)
	id := aws.ToString(e.client(pool, nil).ClientId)
	keep := aws.ToString(e.client(pool, nil).ClientId)
	try(e.c.DeleteUserPoolClient(ctx, &cip.DeleteUserPoolClientInput{UserPoolId: aws.String(pool), ClientId: aws.String(id)})).ok(t)
	msg := "User pool client " + id + " does not exist."
	_, err := e.c.DescribeUserPoolClient(ctx, &cip.DescribeUserPoolClientInput{UserPoolId: aws.String(pool), ClientId: aws.String(id)})
	wantErr[*types.ResourceNotFoundException](t, err, msg)
	_, err = e.c.DeleteUserPoolClient(ctx, &cip.DeleteUserPoolClientInput{UserPoolId: aws.String(pool), ClientId: aws.String(id)})
	wantErr[*types.ResourceNotFoundException](t, err, msg)
	_, err = e.c.SignUp(ctx, &cip.SignUpInput{ClientId: aws.String(id), Username: aws.String("bob"), Password: aws.String(goodPassword)})
	wantErr[*types.ResourceNotFoundException](t, err, msg)
	e.describeClient(pool, keep)
}

func TestListUserPoolClientsPagination(t *testing.T) {
	e := start(t)
	ctx := t.Context()
	pool := e.pool(nil)
	other := e.pool(nil)
	e.client(other, nil)
	want := map[string]string{}
	for i := range 5 {
		name := "client-" + string(rune('a'+i))
		want[aws.ToString(e.client(pool, func(in *cip.CreateUserPoolClientInput) { in.ClientName = aws.String(name) }).ClientId)] = name
	}
	seen := map[string]bool{}
	var sizes []int
	var token *string
	for range 10 {
		out := try(e.c.ListUserPoolClients(ctx, &cip.ListUserPoolClientsInput{UserPoolId: aws.String(pool), MaxResults: aws.Int32(2), NextToken: token})).ok(t)
		sizes = append(sizes, len(out.UserPoolClients))
		for _, c := range out.UserPoolClients {
			id := aws.ToString(c.ClientId)
			if seen[id] || want[id] != aws.ToString(c.ClientName) || aws.ToString(c.UserPoolId) != pool {
				t.Fatalf("listed %+v (seen %v, want name %q)", c, seen[id], want[id])
			}
			seen[id] = true
		}
		if token = out.NextToken; token == nil {
			break
		}
	}
	if !slices.Equal(sizes, []int{2, 2, 1}) || len(seen) != 5 {
		t.Fatalf("page sizes %v, %d clients", sizes, len(seen))
	}
	// Without MaxResults, all of them.
	out := try(e.c.ListUserPoolClients(ctx, &cip.ListUserPoolClientsInput{UserPoolId: aws.String(pool)})).ok(t)
	if len(out.UserPoolClients) != 5 || out.NextToken != nil {
		t.Fatalf("all clients: %d, token %v", len(out.UserPoolClients), out.NextToken)
	}
	empty := e.pool(nil)
	out = try(e.c.ListUserPoolClients(ctx, &cip.ListUserPoolClientsInput{UserPoolId: aws.String(empty), MaxResults: aws.Int32(10)})).ok(t)
	if out.UserPoolClients == nil || len(out.UserPoolClients) != 0 {
		t.Fatalf("empty pool: %#v", out.UserPoolClients)
	}
}

func TestClientOfAnotherPool(t *testing.T) {
	e := start(t)
	ctx := t.Context()
	a, b := e.pool(nil), e.pool(nil)
	id := aws.ToString(e.client(a, nil).ClientId)
	msg := "User pool client " + id + " does not exist."
	_, err := e.c.DescribeUserPoolClient(ctx, &cip.DescribeUserPoolClientInput{UserPoolId: aws.String(b), ClientId: aws.String(id)})
	wantErr[*types.ResourceNotFoundException](t, err, msg)
	_, err = e.c.UpdateUserPoolClient(ctx, &cip.UpdateUserPoolClientInput{UserPoolId: aws.String(b), ClientId: aws.String(id), ClientName: aws.String("stolen")})
	wantErr[*types.ResourceNotFoundException](t, err, msg)
	_, err = e.c.DeleteUserPoolClient(ctx, &cip.DeleteUserPoolClientInput{UserPoolId: aws.String(b), ClientId: aws.String(id)})
	wantErr[*types.ResourceNotFoundException](t, err, msg)
	if got := e.describeClient(a, id); aws.ToString(got.ClientName) != "app" {
		t.Fatalf("client changed through another pool: %+v", got)
	}
	_, err = e.c.DescribeUserPoolClient(ctx, &cip.DescribeUserPoolClientInput{UserPoolId: aws.String(a), ClientId: aws.String("nosuchclient0000000000000a")})
	wantErr[*types.ResourceNotFoundException](t, err, "User pool client nosuchclient0000000000000a does not exist.")
}
