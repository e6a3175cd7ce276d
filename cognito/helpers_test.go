package cognito_test

import (
	"context"
	"encoding/json"
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/userpool/userpool/internal/server"
	"github.com/userpool/userpool/internal/testserver"
)

// allFlows are the sign-in flows the test app clients allow.
var allFlows = []types.ExplicitAuthFlowsType{
	types.ExplicitAuthFlowsTypeAllowUserSrpAuth,
	types.ExplicitAuthFlowsTypeAllowAdminUserPasswordAuth,
	types.ExplicitAuthFlowsTypeAllowRefreshTokenAuth,
}

// createPool creates a user pool that verifies email addresses and an app
// client of it; pool and client adjust the requests.
func createPool(ctx context.Context, admin *cip.Client, pool func(*cip.CreateUserPoolInput), client func(*cip.CreateUserPoolClientInput)) (poolID string, cl *types.UserPoolClientType, err error) {
	pin := &cip.CreateUserPoolInput{PoolName: aws.String("cognito-test"),
		AutoVerifiedAttributes: []types.VerifiedAttributeType{types.VerifiedAttributeTypeEmail}}
	if pool != nil {
		pool(pin)
	}
	p, err := admin.CreateUserPool(ctx, pin)
	if err != nil {
		return "", nil, err
	}
	poolID = aws.ToString(p.UserPool.Id)
	cin := &cip.CreateUserPoolClientInput{UserPoolId: aws.String(poolID), ClientName: aws.String("app"), ExplicitAuthFlows: allFlows}
	if client != nil {
		client(cin)
	}
	c, err := admin.CreateUserPoolClient(ctx, cin)
	if err != nil {
		return "", nil, err
	}
	return poolID, c.UserPoolClient, nil
}

// createConfirmedUser creates a CONFIRMED user with a verified email and a
// permanent password, sending no message.
func createConfirmedUser(ctx context.Context, admin *cip.Client, poolID, username, email, password string) error {
	_, err := admin.AdminCreateUser(ctx, &cip.AdminCreateUserInput{
		UserPoolId: aws.String(poolID), Username: aws.String(username), MessageAction: types.MessageActionTypeSuppress,
		UserAttributes: []types.AttributeType{
			{Name: aws.String("email"), Value: aws.String(email)},
			{Name: aws.String("email_verified"), Value: aws.String("true")},
		},
	})
	if err != nil {
		return err
	}
	_, err = admin.AdminSetUserPassword(ctx, &cip.AdminSetUserPasswordInput{
		UserPoolId: aws.String(poolID), Username: aws.String(username), Password: aws.String(password), Permanent: true})
	return err
}

// lastCode reads the newest code sent to a user from the server's outbox
// (GET /_userpool/outbox).
func lastCode(base, poolID, username string) (string, error) {
	q := url.Values{"userPoolId": {poolID}, "username": {username}}
	resp, err := http.Get(base + "/_userpool/outbox?" + q.Encode())
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	var out server.OutboxResponse
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		return "", err
	}
	for i := len(out.Messages) - 1; i >= 0; i-- {
		if c := out.Messages[i].Code; c != "" {
			return c, nil
		}
	}
	return "", fmt.Errorf("no code in the outbox for %s", username)
}

// exampleServer is a userpool server started in-process for the examples
// (testserver.Start needs a testing.TB): a pool that verifies email
// addresses and an app client for it.
type exampleServer struct {
	URL      string
	PoolID   string
	ClientID string

	admin *cip.Client
	http  *httptest.Server
	app   *server.App
	dir   string
}

func startExampleServer() *exampleServer {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "userpool-example-")
	if err != nil {
		log.Fatal(err)
	}
	app, err := server.Open(ctx, server.Config{DataDir: dir, Region: "us-east-1"})
	if err != nil {
		log.Fatal(err)
	}
	e := &exampleServer{app: app, dir: dir, http: httptest.NewServer(app.Handler)}
	e.URL = e.http.URL
	e.admin = testserver.NewClient(e.URL)
	poolID, client, err := createPool(ctx, e.admin, nil, nil)
	if err != nil {
		log.Fatal(err)
	}
	e.PoolID, e.ClientID = poolID, aws.ToString(client.ClientId)
	return e
}

// Close stops the server and removes its data.
func (e *exampleServer) Close() {
	e.http.Close()
	e.app.Close()
	os.RemoveAll(e.dir)
}

// AddUser creates a confirmed user with a verified email address.
func (e *exampleServer) AddUser(username, email, password string) {
	if err := createConfirmedUser(context.Background(), e.admin, e.PoolID, username, email, password); err != nil {
		log.Fatal(err)
	}
}

// Code is the code the user last received, read from the outbox.
func (e *exampleServer) Code(username string) string {
	code, err := lastCode(e.URL, e.PoolID, username)
	if err != nil {
		log.Fatal(err)
	}
	return code
}
