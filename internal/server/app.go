package server

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"github.com/userpool/userpool/internal/service"
	"github.com/userpool/userpool/internal/store"
	"github.com/userpool/userpool/internal/store/sqlite"
)

// Config is what `userpool serve` is started with.
type Config struct {
	Listen  string // host:port
	DataDir string // where the embedded SQLite database lives
	Region  string
	// IssuerURL is the public base URL tokens name as issuer; when empty,
	// the URL each request came in on.
	IssuerURL string
	Log       *slog.Logger
	// Limits are the abuse limits (zero fields: defaults).
	Limits service.Limits
	// Now overrides the clock (tests).
	Now func() time.Time
}

// App is an assembled server: store, service and HTTP handler.
type App struct {
	Store   store.Store
	Service *service.Service
	Handler http.Handler
}

// Open opens the store in cfg.DataDir and assembles the server.
func Open(ctx context.Context, cfg Config) (*App, error) {
	st, err := sqlite.Open(ctx, cfg.DataDir)
	if err != nil {
		return nil, err
	}
	svc, err := service.New(ctx, st, service.Options{Region: cfg.Region, Log: cfg.Log, Now: cfg.Now, IssuerURL: cfg.IssuerURL, Limits: cfg.Limits})
	if err != nil {
		st.Close()
		return nil, err
	}
	return &App{Store: st, Service: svc, Handler: Handler(svc, Options{Log: cfg.Log})}, nil
}

// Close releases the store.
func (a *App) Close() error { return a.Store.Close() }
