package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/userpool/userpool/internal/declare"
	"github.com/userpool/userpool/internal/server"
	"github.com/userpool/userpool/internal/service"
	"github.com/userpool/userpool/internal/store/sqlite"
)

func newServeCommand() *cobra.Command {
	var listen, dataDir, region, issuerURL, logLevel, configFile string
	var limits service.Limits
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Run the server",
		Long: "Run the Cognito-compatible server on an embedded SQLite store.\n\n" +
			"With --config, the declarative setup file (pools, app clients, users; see docs/declarative.md) is\n" +
			"applied before the server starts listening, as `userpool apply -f` would.\n\n" +
			"Every flag can also be set by an environment variable: USERPOOL_LISTEN, USERPOOL_DATA_DIR,\nUSERPOOL_REGION, USERPOOL_LOG_LEVEL, USERPOOL_CONFIG.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			level := new(slog.LevelVar)
			if err := level.UnmarshalText([]byte(logLevel)); err != nil {
				return usageError{fmt.Errorf("--log-level: %w", err)}
			}
			log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))
			var decl *declare.File
			if configFile != "" {
				// A bad file fails before the store is touched.
				var err error
				if decl, err = loadDeclaration(configFile); err != nil {
					return err
				}
			}
			return serve(cmd.Context(), server.Config{Listen: listen, DataDir: dataDir, Region: region, IssuerURL: issuerURL, Log: log, Limits: limits}, decl)
		},
	}
	f := cmd.Flags()
	f.StringVar(&listen, "listen", envOr("USERPOOL_LISTEN", "127.0.0.1:9229"), "address to listen on (host:port)")
	f.StringVar(&dataDir, "data-dir", envOr("USERPOOL_DATA_DIR", ".userpool"), "directory of the embedded SQLite store")
	f.StringVar(&region, "region", envOr("USERPOOL_REGION", "us-east-1"), "AWS region the server presents (pool IDs start with it)")
	f.StringVar(&issuerURL, "issuer-url", envOr("USERPOOL_ISSUER_URL", ""), "public base URL of token issuers (<url>/<poolId>), for a server behind a proxy; default: the URL each request came in on")
	f.IntVar(&limits.CodeRequestsPerHour, "code-requests-per-hour", envInt("USERPOOL_CODE_REQUESTS_PER_HOUR", service.DefaultLimits.CodeRequestsPerHour), "codes (password reset, confirmation, verification) one user may request per hour")
	f.IntVar(&limits.CodeAttempts, "code-attempts", envInt("USERPOOL_CODE_ATTEMPTS", service.DefaultLimits.CodeAttempts), "wrong guesses that void a code")
	f.StringVar(&logLevel, "log-level", envOr("USERPOOL_LOG_LEVEL", "info"), "log level: debug, info, warn or error")
	f.StringVar(&configFile, "config", envOr("USERPOOL_CONFIG", ""), "declarative setup file (YAML or JSON) to apply before listening")
	return cmd
}

// serve runs the server until SIGINT or SIGTERM, first applying decl
// when it is not nil.
func serve(ctx context.Context, cfg server.Config, decl *declare.File) error {
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()

	app, err := server.Open(ctx, cfg)
	if err != nil {
		return err
	}
	defer app.Close()

	if decl != nil {
		res, err := declare.Apply(ctx, app.Service, decl)
		if err != nil {
			return err
		}
		for _, c := range res.Changes {
			cfg.Log.Info(fmt.Sprintf("%s: %s", decl.Source, c))
		}
		cfg.Log.Info(fmt.Sprintf("applied %s", decl.Source), "changes", len(res.Changes), "pools", strings.Join(res.PoolIDs, ","))
	}

	ln, err := net.Listen("tcp", cfg.Listen)
	if err != nil {
		return err
	}
	srv := &http.Server{
		Handler:           app.Handler,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(cfg.Log.Handler(), slog.LevelWarn),
	}
	dbPath, _ := filepath.Abs(filepath.Join(cfg.DataDir, sqlite.FileName))
	cfg.Log.Info(fmt.Sprintf("userpool listening on %s, data in %s", endpointURL(ln.Addr()), dbPath), "region", cfg.Region)

	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	cfg.Log.Info("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

func endpointURL(addr net.Addr) string {
	s := addr.String()
	if strings.HasPrefix(s, "[::]:") || strings.HasPrefix(s, "0.0.0.0:") {
		return "http://" + s + " (all interfaces)"
	}
	return "http://" + s
}
