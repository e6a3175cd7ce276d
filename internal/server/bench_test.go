package server_test

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/userpool/userpool/api"
	"github.com/userpool/userpool/internal/server"
)

// BenchmarkHTTPAdminGetUser measures a whole read request through the HTTP
// stack (routing, JSON 1.1 decoding, validation, store, encoding) on one
// connection at a time; run with -cpu to see it in parallel.
func BenchmarkHTTPAdminGetUser(b *testing.B) {
	ctx := context.Background()
	app, err := server.Open(ctx, server.Config{DataDir: b.TempDir()})
	if err != nil {
		b.Fatal(err)
	}
	defer app.Close()
	srv := httptest.NewServer(app.Handler)
	defer srv.Close()
	pool, err := app.Service.CreateUserPool(ctx, &api.CreateUserPoolRequest{PoolName: api.String("bench")})
	if err != nil {
		b.Fatal(err)
	}
	poolID := api.ToString(pool.UserPool.Id)
	if _, err := app.Service.AdminCreateUser(ctx, &api.AdminCreateUserRequest{UserPoolId: &poolID, Username: api.String("jane"),
		MessageAction: api.String("SUPPRESS"), UserAttributes: []api.AttributeType{{Name: api.String("email"), Value: api.String("jane@example.com")}}}); err != nil {
		b.Fatal(err)
	}
	body := []byte(`{"UserPoolId":"` + poolID + `","Username":"jane"}`)
	client := srv.Client()
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			req, _ := http.NewRequest("POST", srv.URL+"/", bytes.NewReader(body))
			req.Header.Set("Content-Type", "application/x-amz-json-1.1")
			req.Header.Set("X-Amz-Target", "AWSCognitoIdentityProviderService.AdminGetUser")
			resp, err := client.Do(req)
			if err != nil {
				b.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != 200 {
				b.Fatalf("status %d", resp.StatusCode)
			}
		}
	})
}
