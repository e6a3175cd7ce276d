// Package server assembles userpool's HTTP surface: the Cognito API at
// POST /, the developer outbox at GET /_userpool/outbox, and a health check,
// all behind CORS so browser apps can call them.
package server

import (
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"time"

	"github.com/userpool/userpool/api"
	"github.com/userpool/userpool/internal/ids"
	"github.com/userpool/userpool/internal/service"
	"github.com/userpool/userpool/internal/wire"
)

// Options configure the HTTP handler.
type Options struct {
	Log *slog.Logger
	// DisableOutbox hides the outbox (production mode).
	DisableOutbox bool
}

// Handler returns the server's HTTP handler.
func Handler(svc *service.Service, opts Options) http.Handler {
	log := opts.Log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	mux := http.NewServeMux()
	mux.Handle("POST /{$}", &wire.Handler{Service: svc, Log: log})
	mux.HandleFunc("GET /health", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	})
	if !opts.DisableOutbox {
		mux.Handle("GET /_userpool/outbox", outboxHandler(svc, log))
	}
	registerWellKnown(mux, svc, log, !opts.DisableOutbox)
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusNotFound, errorBody("ResourceNotFoundException", "No route for "+r.Method+" "+r.URL.Path+". The Cognito API is served at POST /."))
	})
	return withRequestID(wire.CORS(withBaseURL(mux)))
}

// withRequestID gives every answer an x-amzn-RequestId, as AWS does; the API
// handler replaces it with the ID it logs the request under.
func withRequestID(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("x-amzn-RequestId", ids.UUID())
		next.ServeHTTP(w, r)
	})
}

// OutboxMessage is one message as GET /_userpool/outbox returns it.
type OutboxMessage struct {
	UserPoolId  string
	Username    string
	Medium      string
	Destination string
	Subject     string
	Body        string
	Code        string
	CreatedAt   time.Time
}

// OutboxResponse is the body of GET /_userpool/outbox.
type OutboxResponse struct {
	Messages []OutboxMessage
}

func outboxHandler(svc *service.Service, log *slog.Logger) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		poolID := r.URL.Query().Get("userPoolId")
		if poolID == "" {
			writeJSON(w, http.StatusBadRequest, errorBody("InvalidParameterException", "The userPoolId query parameter is required."))
			return
		}
		msgs, err := svc.Outbox(r.Context(), poolID, r.URL.Query().Get("username"))
		if err != nil {
			var ex api.Exception
			if errors.As(err, &ex) {
				writeJSON(w, ex.HTTPStatus(), errorBody(ex.ErrorCode(), ex.ErrorMessage()))
				return
			}
			log.Error("outbox", "err", err)
			writeJSON(w, http.StatusInternalServerError, errorBody("InternalErrorException", "Internal server error."))
			return
		}
		out := OutboxResponse{Messages: []OutboxMessage{}}
		for _, m := range msgs {
			out.Messages = append(out.Messages, OutboxMessage{
				UserPoolId: m.PoolID, Username: m.Username, Medium: m.Medium, Destination: m.Destination,
				Subject: m.Subject, Body: m.Body, Code: m.Code, CreatedAt: m.CreatedAt,
			})
		}
		writeJSON(w, http.StatusOK, out)
	})
}

func errorBody(typ, msg string) map[string]string {
	return map[string]string{"__type": typ, "message": msg}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}
