// Package testserver starts a real userpool server for end-to-end tests: a
// real HTTP listener (httptest), a real SQLite store in a temporary
// directory, and aws-sdk-go-v2's Cognito client pointed at it.
package testserver

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"

	"github.com/userpool/userpool/internal/server"
)

// Server is a running userpool server.
type Server struct {
	URL     string
	DataDir string
	App     *server.App
	// Client is aws-sdk-go-v2's Cognito client for this server, with
	// retries off so a failure shows at once.
	Client *cip.Client

	http  *httptest.Server
	mu    sync.Mutex
	shift time.Duration
}

// Options adjust Start.
type Options struct {
	// DataDir reuses a data directory (to test restarts); a fresh temporary
	// one when empty.
	DataDir string
}

// Start starts a server that stops when the test ends.
func Start(t testing.TB, opts ...Options) *Server {
	t.Helper()
	var o Options
	if len(opts) > 0 {
		o = opts[0]
	}
	if o.DataDir == "" {
		o.DataDir = t.TempDir()
	}
	s := &Server{DataDir: o.DataDir}
	app, err := server.Open(context.Background(), server.Config{DataDir: o.DataDir, Region: "us-east-1", Now: s.now})
	if err != nil {
		t.Fatalf("testserver: open: %v", err)
	}
	s.App = app
	s.http = httptest.NewServer(app.Handler)
	s.URL = s.http.URL
	s.Client = NewClient(s.URL)
	t.Cleanup(s.Close)
	return s
}

// Close stops the server and closes its store.
func (s *Server) Close() {
	s.http.Close()
	s.App.Close()
}

// NewClient returns an aws-sdk-go-v2 Cognito client for the endpoint.
func NewClient(endpoint string) *cip.Client {
	return cip.New(cip.Options{
		Region:           "us-east-1",
		BaseEndpoint:     aws.String(endpoint),
		Credentials:      credentials.NewStaticCredentialsProvider("local", "local", ""),
		RetryMaxAttempts: 1,
		HTTPClient:       &http.Client{Transport: ownBody{&http.Transport{}}},
	})
}

// ownBody sends each request with a body of its own. smithy-go closes the
// SDK's request body as soon as the response arrives, and reading a closed
// body then fails (its WriteTo answers io.EOF as an error); net/http reads
// the body once more after sending it (to check for extra bytes), so when
// the response wins that race the transport closes the connection and the
// SDK fails with "use of closed network connection" while reading a good
// response (aws/aws-sdk-go-v2#2737; the SDK retries that error, but this
// client does not retry). A body that is never closed under the transport
// closes the window.
type ownBody struct{ rt http.RoundTripper }

func (o ownBody) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Body == nil || req.Body == http.NoBody {
		return o.rt.RoundTrip(req)
	}
	data, err := io.ReadAll(req.Body)
	req.Body.Close()
	if err != nil {
		return nil, err
	}
	req = req.Clone(req.Context())
	req.Body = io.NopCloser(bytes.NewReader(data))
	req.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(data)), nil }
	return o.rt.RoundTrip(req)
}

func (s *Server) now() time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	return time.Now().Add(s.shift)
}

// Advance moves the server's clock forward (to expire codes, sessions and
// tokens without sleeping).
func (s *Server) Advance(d time.Duration) {
	s.mu.Lock()
	s.shift += d
	s.mu.Unlock()
}

// Outbox reads GET /_userpool/outbox for a pool and (optionally) a user.
func (s *Server) Outbox(t testing.TB, poolID, username string) []server.OutboxMessage {
	t.Helper()
	q := url.Values{"userPoolId": {poolID}}
	if username != "" {
		q.Set("username", username)
	}
	resp, err := http.Get(s.URL + "/_userpool/outbox?" + q.Encode())
	if err != nil {
		t.Fatalf("outbox: %v", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("outbox: HTTP %d", resp.StatusCode)
	}
	var out server.OutboxResponse
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		t.Fatalf("outbox: %v", err)
	}
	return out.Messages
}

// LastCode returns the code of the newest outbox message to a user.
func (s *Server) LastCode(t testing.TB, poolID, username string) string {
	t.Helper()
	msgs := s.Outbox(t, poolID, username)
	for i := len(msgs) - 1; i >= 0; i-- {
		if msgs[i].Code != "" {
			return msgs[i].Code
		}
	}
	t.Fatalf("no code in the outbox for %s in %s", username, poolID)
	return ""
}
