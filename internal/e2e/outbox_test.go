package e2e

import (
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

func TestOutboxHTTP(t *testing.T) {
	e := start(t)
	ctx := t.Context()
	pool := e.pool(func(in *cip.CreateUserPoolInput) {
		in.AutoVerifiedAttributes = []types.VerifiedAttributeType{"email"}
		in.AliasAttributes = []types.AliasAttributeType{"email", "phone_number"}
	})
	client := aws.ToString(e.client(pool, nil).ClientId)
	try(e.c.AdminCreateUser(ctx, &cip.AdminCreateUserInput{UserPoolId: aws.String(pool), Username: aws.String("jane"), TemporaryPassword: aws.String("Temp0rary!"),
		UserAttributes:         attrs("email", "jane@example.com", "email_verified", "true", "phone_number", "+15555550100", "phone_number_verified", "true"),
		DesiredDeliveryMediums: []types.DeliveryMediumType{"EMAIL"}})).ok(t)
	su := e.signUp(client, "bob", "email", "bob@example.com")
	before := time.Now().Add(-time.Minute)

	// The raw JSON has exactly the documented fields.
	r := raw(t, http.MethodGet, e.srv.URL+"/_userpool/outbox?"+url.Values{"userPoolId": {pool}, "username": {"jane"}}.Encode(), "", "", nil)
	if r.Status != 200 {
		t.Fatalf("outbox: %d %s", r.Status, r.Body)
	}
	var body struct{ Messages []map[string]any }
	if err := json.Unmarshal(r.Body, &body); err != nil || len(body.Messages) != 1 {
		t.Fatalf("outbox body %s: %v", r.Body, err)
	}
	var keys []string
	for k := range body.Messages[0] {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	if want := []string{"Body", "Code", "CreatedAt", "Destination", "Medium", "Subject", "UserPoolId", "Username"}; !slices.Equal(keys, want) {
		t.Fatalf("message fields %v, want %v", keys, want)
	}
	m := e.srv.Outbox(t, pool, "jane")[0]
	if m.UserPoolId != pool || m.Username != "jane" || m.Medium != "EMAIL" || m.Destination != "jane@example.com" ||
		m.Code != "" || m.CreatedAt.Before(before) || m.CreatedAt.After(time.Now().Add(time.Minute)) {
		t.Fatalf("invitation %+v", m)
	}
	// Found by every name the user signs in with.
	for _, name := range []string{"jane@example.com", "+15555550100", attrMap(e.getUser(pool, "jane").UserAttributes)["sub"]} {
		if got := e.srv.Outbox(t, pool, name); len(got) != 1 || got[0].Username != "jane" {
			t.Fatalf("outbox for %s: %+v", name, got)
		}
	}
	// bob's unverified email is no sign-in name, but his sub is.
	if got := e.srv.Outbox(t, pool, aws.ToString(su.UserSub)); len(got) != 1 || got[0].Username != "bob" || !sixDigits.MatchString(got[0].Code) {
		t.Fatalf("outbox for bob's sub: %+v", got)
	}
	if got := e.srv.Outbox(t, pool, "nobody"); got == nil || len(got) != 0 {
		t.Fatalf("outbox for nobody: %#v", got)
	}
	if got := e.srv.Outbox(t, pool, ""); len(got) != 2 || got[0].Username != "jane" || got[1].Username != "bob" {
		t.Fatalf("whole pool: %+v", got)
	}
	// Another pool's outbox is separate.
	if got := e.srv.Outbox(t, e.pool(nil), ""); len(got) != 0 {
		t.Fatalf("empty pool: %+v", got)
	}
	// Messages outlive the user.
	try(e.c.AdminDeleteUser(ctx, &cip.AdminDeleteUserInput{UserPoolId: aws.String(pool), Username: aws.String("bob")})).ok(t)
	if got := e.srv.Outbox(t, pool, "bob"); len(got) != 1 {
		t.Fatalf("after delete: %+v", got)
	}

	r = raw(t, http.MethodGet, e.srv.URL+"/_userpool/outbox", "", "", nil)
	if r.Status != 400 || r.JSON(t)["__type"] != "InvalidParameterException" || r.JSON(t)["message"] != "The userPoolId query parameter is required." {
		t.Fatalf("no pool: %d %s", r.Status, r.Body)
	}
	r = raw(t, http.MethodPost, e.srv.URL+"/_userpool/outbox?userPoolId="+pool, "", "", nil)
	if r.Status != 404 && r.Status != 405 {
		t.Fatalf("POST outbox: %d %s", r.Status, r.Body)
	}
}
