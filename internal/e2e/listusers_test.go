package e2e

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

// listNames runs ListUsers with a filter and returns the usernames, sorted.
func (e *env) listNames(pool, filter string) []string {
	e.t.Helper()
	out := try(e.c.ListUsers(e.t.Context(), &cip.ListUsersInput{UserPoolId: aws.String(pool), Filter: aws.String(filter)})).ok(e.t)
	names := []string{}
	for _, u := range out.Users {
		names = append(names, aws.ToString(u.Username))
	}
	slices.Sort(names)
	return names
}

func TestListUsersFilters(t *testing.T) {
	e := start(t)
	ctx := t.Context()
	pool := e.pool(func(in *cip.CreateUserPoolInput) {
		in.Schema = []types.SchemaAttributeType{{Name: aws.String("foo"), AttributeDataType: types.AttributeDataTypeString}}
	})
	client := aws.ToString(e.client(pool, nil).ClientId)
	jane := e.createUser(pool, "jane", "email", "jane@example.com", "phone_number", "+15555550100", "name", "Jane Doe",
		"given_name", "Jane", "family_name", "Doe", "preferred_username", "jd", "custom:foo", "x")
	e.createUser(pool, "janet", "email", "janet@example.org", "phone_number", "+15555550199", "name", "Janet Roe",
		"given_name", "Janet", "family_name", "Roe", "preferred_username", "jr")
	e.createUser(pool, "Jack", "email", "jack@example.com", "given_name", "Jack", "family_name", "Doe", "name", "O\"Brien")
	e.signUp(client, "bob", "email", "bob@example.com", "phone_number", "+4930123456", "given_name", "Bob", "name", "100%_sure")
	e.signUp(client, "amy", "email", "a_y@example.com")
	try(e.c.AdminConfirmSignUp(ctx, &cip.AdminConfirmSignUpInput{UserPoolId: aws.String(pool), Username: aws.String("amy")})).ok(t)
	try(e.c.AdminDisableUser(ctx, &cip.AdminDisableUserInput{UserPoolId: aws.String(pool), Username: aws.String("janet")})).ok(t)
	sub := attrMap(jane.Attributes)["sub"]

	for filter, want := range map[string][]string{
		`username = "jane"`:                             {"jane"},
		`username ^= "jan"`:                             {"jane", "janet"},
		`username ^= "J"`:                               {"Jack"},
		`username = "JANE"`:                             {},
		`email = "jane@example.com"`:                    {"jane"},
		`email ^= "ja"`:                                 {"Jack", "jane", "janet"},
		`email ^= "a_"`:                                 {"amy"},
		`email ^= "jane@example.c"`:                     {"jane"},
		`phone_number = "+15555550100"`:                 {"jane"},
		`phone_number ^= "+1555555"`:                    {"jane", "janet"},
		`phone_number ^= "+49"`:                         {"bob"},
		`name = "Jane Doe"`:                             {"jane"},
		`name ^= "Jan"`:                                 {"jane", "janet"},
		`name = "O\"Brien"`:                             {"Jack"},
		`name ^= "100%"`:                                {"bob"},
		`name ^= "100%_"`:                               {"bob"},
		`name ^= "1000"`:                                {},
		`given_name = "Jane"`:                           {"jane"},
		`given_name ^= "Ja"`:                            {"Jack", "jane", "janet"},
		`family_name = "Doe"`:                           {"Jack", "jane"},
		`family_name ^= "R"`:                            {"janet"},
		`preferred_username = "jd"`:                     {"jane"},
		`preferred_username ^= "j"`:                     {"jane", "janet"},
		`cognito:user_status = "UNCONFIRMED"`:           {"bob"},
		`cognito:user_status = "CONFIRMED"`:             {"amy"},
		`cognito:user_status = "confirmed"`:             {"amy"},
		`cognito:user_status ^= "FORCE"`:                {"Jack", "jane", "janet"},
		`cognito:user_status = "FORCE_CHANGE_PASSWORD"`: {"Jack", "jane", "janet"},
		`status = "Enabled"`:                            {"Jack", "amy", "bob", "jane"},
		`status = "Disabled"`:                           {"janet"},
		`status = "disabled"`:                           {},
		`sub = "` + sub + `"`:                           {"jane"},
		`  email   ^=   "bob"  `:                        {"bob"},
		`email="bob@example.com"`:                       {"bob"},
		`email = "nobody@example.com"`:                  {},
		``:                                              {"Jack", "amy", "bob", "jane", "janet"},
	} {
		if got := e.listNames(pool, filter); !slices.Equal(got, want) {
			t.Errorf("filter %s: got %v, want %v", filter, got, want)
		}
	}

	for _, bad := range []string{`email = jane`, `email == "x"`, `email "x"`, `= "x"`, `email ^ "x"`, `email = "x`, `email = "x" AND name = "y"`, `"email" = "x"`} {
		_, err := e.c.ListUsers(ctx, &cip.ListUsersInput{UserPoolId: aws.String(pool), Filter: aws.String(bad)})
		wantErr[*types.InvalidParameterException](t, err, "Error while parsing filter.")
	}
	for _, attr := range []string{"custom:foo", "nickname", "email_verified", "address"} {
		_, err := e.c.ListUsers(ctx, &cip.ListUsersInput{UserPoolId: aws.String(pool), Filter: aws.String(attr + ` = "x"`)})
		wantErr[*types.InvalidParameterException](t, err, "Invalid search attribute: "+attr)
	}
}

func TestListUsersAttributesToGet(t *testing.T) {
	e := start(t)
	ctx := t.Context()
	pool := e.pool(nil)
	e.createUser(pool, "jane", "email", "jane@example.com", "name", "Jane")
	out := try(e.c.ListUsers(ctx, &cip.ListUsersInput{UserPoolId: aws.String(pool), AttributesToGet: []string{"email"}})).ok(t)
	if len(out.Users) != 1 {
		t.Fatalf("users %+v", out.Users)
	}
	u := out.Users[0]
	if m := attrMap(u.Attributes); len(m) != 1 || m["email"] != "jane@example.com" {
		t.Fatalf("AttributesToGet [email]: %v", m)
	}
	if aws.ToString(u.Username) != "jane" || u.UserStatus != types.UserStatusTypeForceChangePassword || !u.Enabled || u.UserCreateDate == nil || u.UserLastModifiedDate == nil {
		t.Fatalf("user fields %+v", u)
	}
	out = try(e.c.ListUsers(ctx, &cip.ListUsersInput{UserPoolId: aws.String(pool), AttributesToGet: []string{"email", "sub", "name"}})).ok(t)
	if m := attrMap(out.Users[0].Attributes); len(m) != 3 || !uuidV4.MatchString(m["sub"]) || m["name"] != "Jane" {
		t.Fatalf("AttributesToGet [email sub name]: %v", m)
	}
	out = try(e.c.ListUsers(ctx, &cip.ListUsersInput{UserPoolId: aws.String(pool)})).ok(t)
	if m := attrMap(out.Users[0].Attributes); m["sub"] == "" || m["email"] == "" || m["name"] == "" {
		t.Fatalf("all attributes: %v", m)
	}
	_, err := e.c.ListUsers(ctx, &cip.ListUsersInput{UserPoolId: aws.String(pool), AttributesToGet: []string{"email", "custom:nope"}})
	wantErr[*types.InvalidParameterException](t, err, "One or more requested attributes do not exist.")
}

func TestListUsersPagination(t *testing.T) {
	e := start(t)
	ctx := t.Context()
	pool := e.pool(nil)
	const n = 25
	want := map[string]bool{}
	for i := range n {
		name := fmt.Sprintf("user%02d", i)
		if i%5 == 0 {
			name = strings.ToUpper(name) // mixed case sorts around the rest
		}
		domain := "example.com"
		if i%2 == 0 {
			domain = "example.org"
		}
		e.createUser(pool, name, "email", name+"@"+domain)
		want[name] = true
	}
	walk := func(limit int32, filter *string) (seen map[string]int, pages []int) {
		seen = map[string]int{}
		var token *string
		for range 100 {
			out := try(e.c.ListUsers(ctx, &cip.ListUsersInput{UserPoolId: aws.String(pool), Limit: aws.Int32(limit), PaginationToken: token, Filter: filter})).ok(t)
			pages = append(pages, len(out.Users))
			for _, u := range out.Users {
				seen[aws.ToString(u.Username)]++
			}
			if token = out.PaginationToken; token == nil {
				return seen, pages
			}
		}
		t.Fatal("pagination does not end")
		return nil, nil
	}
	seen, pages := walk(7, nil)
	if !slices.Equal(pages, []int{7, 7, 7, 4}) || len(seen) != n {
		t.Fatalf("pages %v, %d users", pages, len(seen))
	}
	for name, count := range seen {
		if count != 1 || !want[name] {
			t.Fatalf("%s listed %d times", name, count)
		}
	}
	// An exact fit ends without a token.
	if _, pages := walk(5, nil); !slices.Equal(pages, []int{5, 5, 5, 5, 5}) {
		t.Fatalf("limit 5: pages %v", pages)
	}
	// Pages of a filtered list.
	seen, pages = walk(4, aws.String(`email ^= "user"`))
	if len(seen) != 20 || !slices.Equal(pages, []int{4, 4, 4, 4, 4}) {
		t.Fatalf("filtered: pages %v, %d users", pages, len(seen))
	}
	for name, count := range seen {
		if count != 1 || strings.HasPrefix(name, "USER") {
			t.Fatalf("filtered: %s listed %d times", name, count)
		}
	}
	// No Limit: up to 60.
	out := try(e.c.ListUsers(ctx, &cip.ListUsersInput{UserPoolId: aws.String(pool)})).ok(t)
	if len(out.Users) != n || out.PaginationToken != nil {
		t.Fatalf("no limit: %d users, token %v", len(out.Users), out.PaginationToken)
	}
	_, err := e.c.ListUsers(ctx, &cip.ListUsersInput{UserPoolId: aws.String(pool), Limit: aws.Int32(61)})
	wantErr[*types.InvalidParameterException](t, err, "1 validation error detected: Value '61' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 60")
	_, err = e.c.ListUsers(ctx, &cip.ListUsersInput{UserPoolId: aws.String(pool), PaginationToken: aws.String("@@@")})
	wantErr[*types.InvalidParameterException](t, err, "Invalid pagination token.")
}

func TestListUsersEmpty(t *testing.T) {
	e := start(t)
	pool := e.pool(nil)
	for _, body := range []string{
		`{"UserPoolId":"` + pool + `"}`,
		`{"UserPoolId":"` + pool + `","Filter":"email = \"nobody@example.com\""}`,
	} {
		r := call(t, e.srv.URL, "ListUsers", body)
		if r.Status != 200 {
			t.Fatalf("status %d: %s", r.Status, r.Body)
		}
		users, ok := r.JSON(t)["Users"].([]any)
		if !ok || len(users) != 0 {
			t.Fatalf("body %s: Users must be an empty list", r.Body)
		}
		if _, ok := r.JSON(t)["PaginationToken"]; ok {
			t.Fatalf("body %s has a PaginationToken", r.Body)
		}
	}
	out := try(e.c.ListUsers(t.Context(), &cip.ListUsersInput{UserPoolId: aws.String(pool)})).ok(t)
	if out.Users == nil || len(out.Users) != 0 {
		t.Fatalf("SDK Users = %#v", out.Users)
	}
}
