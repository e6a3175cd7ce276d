// Command userpool-load drives a Cognito-compatible endpoint (userpool, or a
// peer such as moto_server) with concurrent requests and reports throughput
// and latency, so servers can be compared in one run on one machine:
//
//	userpool-load -endpoint http://127.0.0.1:9229 -op AdminGetUser -c 16 -d 10s
//
// It creates its own pool, client and user first, through the API.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/userpool/userpool/internal/testserver"
)

func main() {
	endpoint := flag.String("endpoint", "http://127.0.0.1:9229", "server URL")
	op := flag.String("op", "AdminGetUser", "operation: AdminGetUser, DescribeUserPool, UserPasswordAuth, SignUp")
	conc := flag.Int("c", 16, "concurrent workers")
	dur := flag.Duration("d", 10*time.Second, "duration")
	flag.Parse()
	if err := run(*endpoint, *op, *conc, *dur); err != nil {
		fmt.Fprintln(os.Stderr, "userpool-load:", err)
		os.Exit(1)
	}
}

const password = "Passw0rd!"

func run(endpoint, op string, conc int, dur time.Duration) error {
	ctx := context.Background()
	c := testserver.NewClient(endpoint)
	pool, err := c.CreateUserPool(ctx, &cip.CreateUserPoolInput{PoolName: aws.String("load")})
	if err != nil {
		return err
	}
	poolID := pool.UserPool.Id
	cl, err := c.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{UserPoolId: poolID, ClientName: aws.String("load"),
		ExplicitAuthFlows: []types.ExplicitAuthFlowsType{"ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"}})
	if err != nil {
		return err
	}
	clientID := cl.UserPoolClient.ClientId
	if _, err := c.AdminCreateUser(ctx, &cip.AdminCreateUserInput{UserPoolId: poolID, Username: aws.String("jane"), MessageAction: types.MessageActionTypeSuppress,
		UserAttributes: []types.AttributeType{{Name: aws.String("email"), Value: aws.String("jane@example.com")}}}); err != nil {
		return err
	}
	if _, err := c.AdminSetUserPassword(ctx, &cip.AdminSetUserPasswordInput{UserPoolId: poolID, Username: aws.String("jane"), Password: aws.String(password), Permanent: true}); err != nil {
		return err
	}
	var seq atomic.Int64
	call := map[string]func() error{
		"AdminGetUser": func() error {
			_, err := c.AdminGetUser(ctx, &cip.AdminGetUserInput{UserPoolId: poolID, Username: aws.String("jane")})
			return err
		},
		"DescribeUserPool": func() error {
			_, err := c.DescribeUserPool(ctx, &cip.DescribeUserPoolInput{UserPoolId: poolID})
			return err
		},
		"UserPasswordAuth": func() error {
			_, err := c.InitiateAuth(ctx, &cip.InitiateAuthInput{ClientId: clientID, AuthFlow: types.AuthFlowTypeUserPasswordAuth,
				AuthParameters: map[string]string{"USERNAME": "jane", "PASSWORD": password}})
			return err
		},
		"SignUp": func() error {
			name := fmt.Sprintf("user%d", seq.Add(1))
			_, err := c.SignUp(ctx, &cip.SignUpInput{ClientId: clientID, Username: &name, Password: aws.String(password)})
			return err
		},
	}[op]
	if call == nil {
		return fmt.Errorf("unknown -op %s", op)
	}
	if err := call(); err != nil {
		return fmt.Errorf("warm-up %s: %w", op, err)
	}
	deadline := time.Now().Add(dur)
	var mu sync.Mutex
	var lat []time.Duration
	var errs atomic.Int64
	var wg sync.WaitGroup
	for range conc {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var mine []time.Duration
			for time.Now().Before(deadline) {
				start := time.Now()
				if err := call(); err != nil {
					errs.Add(1)
					continue
				}
				mine = append(mine, time.Since(start))
			}
			mu.Lock()
			lat = append(lat, mine...)
			mu.Unlock()
		}()
	}
	wg.Wait()
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	pct := func(p float64) time.Duration {
		if len(lat) == 0 {
			return 0
		}
		return lat[int(float64(len(lat)-1)*p)]
	}
	fmt.Printf("%s %s: %d ok, %d errors in %v = %.0f req/s; p50 %v p99 %v\n", endpoint, op, len(lat), errs.Load(), dur,
		float64(len(lat))/dur.Seconds(), pct(0.5).Round(time.Microsecond), pct(0.99).Round(time.Microsecond))
	return nil
}
