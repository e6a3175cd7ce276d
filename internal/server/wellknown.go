package server

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strings"

	"github.com/userpool/userpool/api"
	"github.com/userpool/userpool/internal/service"
)

// baseURL is the URL a request came in on, as a client addressed it (with
// the X-Forwarded-Proto and X-Forwarded-Host a proxy sets); token issuers
// derive from it unless --issuer-url is set.
func baseURL(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	if p := r.Header.Get("X-Forwarded-Proto"); p == "http" || p == "https" {
		scheme = p
	}
	host := r.Host
	if h := r.Header.Get("X-Forwarded-Host"); h != "" {
		host, _, _ = strings.Cut(h, ",")
		host = strings.TrimSpace(host)
	}
	return scheme + "://" + host
}

// withBaseURL puts the request's base URL in its context for the service.
func withBaseURL(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next.ServeHTTP(w, r.WithContext(service.WithBaseURL(r.Context(), baseURL(r))))
	})
}

// registerWellKnown adds each pool's JWKS and OpenID discovery document, at
// the paths AWS serves them under the issuer, and the key rotation endpoint.
func registerWellKnown(mux *http.ServeMux, svc *service.Service, log *slog.Logger, devEndpoints bool) {
	mux.HandleFunc("GET /{pool}/.well-known/jwks.json", func(w http.ResponseWriter, r *http.Request) {
		set, err := svc.JWKS(r.Context(), r.PathValue("pool"))
		if err != nil {
			writeServiceError(w, log, err)
			return
		}
		w.Header().Set("Cache-Control", "public, max-age=300")
		writeJSON(w, http.StatusOK, set)
	})
	mux.HandleFunc("GET /{pool}/.well-known/openid-configuration", func(w http.ResponseWriter, r *http.Request) {
		poolID := r.PathValue("pool")
		if _, err := svc.JWKS(r.Context(), poolID); err != nil {
			writeServiceError(w, log, err)
			return
		}
		iss := svc.Issuer(r.Context(), poolID)
		writeJSON(w, http.StatusOK, map[string]any{
			"issuer":                                iss,
			"jwks_uri":                              iss + "/.well-known/jwks.json",
			"subject_types_supported":               []string{"public"},
			"id_token_signing_alg_values_supported": []string{"RS256"},
			"response_types_supported":              []string{"code", "token"},
			"scopes_supported":                      []string{"openid", "email", "phone", "profile", "aws.cognito.signin.user.admin"},
			"token_endpoint_auth_methods_supported": []string{"client_secret_basic", "client_secret_post"},
		})
	})
	if devEndpoints {
		mux.HandleFunc("POST /_userpool/keys/rotate", func(w http.ResponseWriter, r *http.Request) {
			kid, err := svc.RotateSigningKey(r.Context(), r.URL.Query().Get("userPoolId"))
			if err != nil {
				writeServiceError(w, log, err)
				return
			}
			writeJSON(w, http.StatusOK, map[string]string{"KeyId": kid})
		})
	}
}

func writeServiceError(w http.ResponseWriter, log *slog.Logger, err error) {
	var ex api.Exception
	if errors.As(err, &ex) {
		status := ex.HTTPStatus()
		if _, ok := ex.(*api.ResourceNotFoundException); ok {
			status = http.StatusNotFound
		}
		writeJSON(w, status, errorBody(ex.ErrorCode(), ex.ErrorMessage()))
		return
	}
	if !errors.Is(err, context.Canceled) {
		log.Error("internal error", "err", err)
	}
	writeJSON(w, http.StatusInternalServerError, errorBody("InternalErrorException", "Internal server error."))
}
