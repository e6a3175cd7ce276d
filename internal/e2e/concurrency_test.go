package e2e

import (
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/userpool/userpool/internal/testserver"
)

// parallel runs f(i) for i in [0, n) at once and returns the errors.
func parallel(n int, f func(i int) error) []error {
	errs := make([]error, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			errs[i] = f(i)
		}()
	}
	close(start)
	wg.Wait()
	return errs
}

func TestConcurrentSignUps(t *testing.T) {
	e, pool, client := signUpEnv(t, nil, nil)
	ctx := t.Context()
	errs := parallel(20, func(i int) error {
		name := fmt.Sprintf("user%02d", i)
		_, err := e.c.SignUp(ctx, &cip.SignUpInput{ClientId: aws.String(client), Username: aws.String(name), Password: aws.String(goodPassword),
			UserAttributes: attrs("email", name+"@example.com")})
		return err
	})
	for i, err := range errs {
		if err != nil {
			t.Fatalf("sign-up %d: %v", i, err)
		}
	}
	users := try(e.c.ListUsers(ctx, &cip.ListUsersInput{UserPoolId: aws.String(pool)})).ok(t).Users
	if len(users) != 20 {
		t.Fatalf("%d users", len(users))
	}
	subs := map[string]bool{}
	for _, u := range users {
		subs[attrMap(u.Attributes)["sub"]] = true
	}
	if len(subs) != 20 {
		t.Fatalf("%d distinct subs", len(subs))
	}
	if msgs := e.srv.Outbox(t, pool, ""); len(msgs) != 20 {
		t.Fatalf("%d messages", len(msgs))
	}
}

func TestConcurrentSameUsername(t *testing.T) {
	e, pool, client := signUpEnv(t, nil, nil)
	ctx := t.Context()
	errs := parallel(10, func(i int) error {
		_, err := e.c.SignUp(ctx, &cip.SignUpInput{ClientId: aws.String(client), Username: aws.String("bob"), Password: aws.String(goodPassword),
			UserAttributes: attrs("email", fmt.Sprintf("bob%d@example.com", i))})
		return err
	})
	ok := 0
	for _, err := range errs {
		if err == nil {
			ok++
			continue
		}
		wantErr[*types.UsernameExistsException](t, err, "User already exists")
	}
	if ok != 1 {
		t.Fatalf("%d sign-ups succeeded", ok)
	}
	if n := e.describePool(pool).EstimatedNumberOfUsers; n != 1 {
		t.Fatalf("%d users", n)
	}
	if msgs := e.srv.Outbox(t, pool, "bob"); len(msgs) != 1 {
		t.Fatalf("%d messages: the losers' codes were sent", len(msgs))
	}
	// Racing confirmations of the one code: exactly one wins.
	code := e.srv.LastCode(t, pool, "bob")
	errs = parallel(5, func(int) error { return e.confirm(client, "bob", code) })
	ok = 0
	for _, err := range errs {
		if err == nil {
			ok++
			continue
		}
		wantErr[*types.NotAuthorizedException](t, err, "User cannot be confirmed. Current status is CONFIRMED")
	}
	if ok != 1 {
		t.Fatalf("%d confirmations succeeded", ok)
	}
}

func TestConcurrentEmailUsernames(t *testing.T) {
	e := start(t)
	ctx := t.Context()
	pool := e.pool(func(in *cip.CreateUserPoolInput) { in.UsernameAttributes = []types.UsernameAttributeType{"email"} })
	errs := parallel(10, func(int) error {
		_, err := e.c.AdminCreateUser(ctx, &cip.AdminCreateUserInput{UserPoolId: aws.String(pool), Username: aws.String("jane@example.com"), MessageAction: types.MessageActionTypeSuppress})
		return err
	})
	ok := 0
	for _, err := range errs {
		if err == nil {
			ok++
			continue
		}
		wantErr[*types.UsernameExistsException](t, err, "An account with the given email already exists.")
	}
	if ok != 1 {
		t.Fatalf("%d creates succeeded", ok)
	}
}

// TestSharedDataDir runs two servers on one data directory, as two
// processes would: each sees the other's writes, and unique names stay
// unique across them.
func TestSharedDataDir(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	dir := t.TempDir()
	a := testserver.Start(t, testserver.Options{DataDir: dir})
	b := testserver.Start(t, testserver.Options{DataDir: dir})
	out := try(a.Client.CreateUserPool(ctx, &cip.CreateUserPoolInput{PoolName: aws.String("shared"), AutoVerifiedAttributes: []types.VerifiedAttributeType{"email"}})).ok(t)
	pool := aws.ToString(out.UserPool.Id)
	client := try(b.Client.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{UserPoolId: aws.String(pool), ClientName: aws.String("c")})).ok(t).UserPoolClient.ClientId
	errs := parallel(10, func(i int) error {
		c := a.Client
		if i%2 == 1 {
			c = b.Client
		}
		_, err := c.SignUp(ctx, &cip.SignUpInput{ClientId: client, Username: aws.String("bob"), Password: aws.String(goodPassword), UserAttributes: attrs("email", "bob@example.com")})
		return err
	})
	ok := 0
	for _, err := range errs {
		var exists *types.UsernameExistsException
		switch {
		case err == nil:
			ok++
		case !errors.As(err, &exists):
			t.Fatalf("sign-up: %v", err)
		}
	}
	if ok != 1 {
		t.Fatalf("%d sign-ups succeeded", ok)
	}
	// A code sent by one server confirms on the other (one code key).
	code := a.LastCode(t, pool, "bob")
	try(b.Client.ConfirmSignUp(ctx, &cip.ConfirmSignUpInput{ClientId: client, Username: aws.String("bob"), ConfirmationCode: aws.String(code)})).ok(t)
	u := try(a.Client.AdminGetUser(ctx, &cip.AdminGetUserInput{UserPoolId: aws.String(pool), Username: aws.String("bob")})).ok(t)
	if u.UserStatus != types.UserStatusTypeConfirmed {
		t.Fatalf("status %s", u.UserStatus)
	}
}
