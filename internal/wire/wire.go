// Package wire is the AWS JSON 1.1 edge of the server: it routes a POST by
// its X-Amz-Target header to the operation, decodes and validates the input
// against the API model, calls the service and writes the answer or the
// error envelope ({"__type": ..., "message": ...}) that AWS's SDKs parse.
//
// Requests are accepted with or without a SigV4 signature; signatures are not
// verified yet.
package wire

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"runtime/debug"
	"strings"
	"time"

	"github.com/userpool/userpool/api"
	"github.com/userpool/userpool/internal/ids"
)

// TargetPrefix is the service part of X-Amz-Target.
const TargetPrefix = "AWSCognitoIdentityProviderService."

// ContentType is the JSON 1.1 protocol's media type.
const ContentType = "application/x-amz-json-1.1"

// MaxBodyBytes bounds a request body; Cognito's inputs are small.
const MaxBodyBytes = 1 << 20

// internalMessage is all a client learns of an internal error; the details
// go to the log only.
const internalMessage = "Internal server error."

// Handler serves the Cognito user pools API.
type Handler struct {
	Service api.Service
	Log     *slog.Logger
}

type requestIDKey struct{}

// RequestID returns the x-amzn-RequestId of the request being served.
func RequestID(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey{}).(string)
	return id
}

// ServeHTTP handles POST / requests.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	reqID := ids.UUID()
	w.Header().Set("x-amzn-RequestId", reqID)
	ctx := context.WithValue(r.Context(), requestIDKey{}, reqID)

	op := strings.TrimPrefix(r.Header.Get("X-Amz-Target"), TargetPrefix)
	out, err := h.serve(ctx, r, op)
	status := http.StatusOK
	if err != nil {
		status = h.writeError(w, op, reqID, err)
	} else {
		writeJSON(w, http.StatusOK, out)
	}
	h.Log.LogAttrs(ctx, slog.LevelDebug, "request", slog.String("op", op), slog.Int("status", status),
		slog.Duration("took", time.Since(start)), slog.String("request_id", reqID))
}

func (h *Handler) serve(ctx context.Context, r *http.Request, op string) (out any, err error) {
	target := r.Header.Get("X-Amz-Target")
	if target == "" {
		return nil, &api.UnknownOperationException{Message: "Missing X-Amz-Target header."}
	}
	operation := api.Operations[op]
	if !strings.HasPrefix(target, TargetPrefix) || operation == nil {
		return nil, &api.UnknownOperationException{Message: fmt.Sprintf("Unknown operation %s.", target)}
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, MaxBodyBytes+1))
	if err != nil {
		return nil, &api.SerializationException{Message: "Could not read the request body."}
	}
	if len(body) > MaxBodyBytes {
		return nil, &api.SerializationException{Message: "Request body is too large."}
	}
	in := operation.NewInput()
	if len(bytes.TrimSpace(body)) > 0 {
		if err := decode(body, in); err != nil {
			return nil, err
		}
	}
	if err := in.Validate(); err != nil {
		return nil, err
	}
	defer func() {
		if p := recover(); p != nil {
			h.Log.Error("panic serving request", "op", op, "request_id", RequestID(ctx), "panic", fmt.Sprint(p), "stack", string(debug.Stack()))
			out, err = nil, &api.InternalErrorException{Message: internalMessage}
		}
	}()
	return operation.Invoke(ctx, h.Service, in)
}

// decode reads a JSON object into in, answering SerializationException for
// anything that is not one or does not fit the input's shape.
func decode(body []byte, in any) error {
	dec := json.NewDecoder(bytes.NewReader(body))
	if err := dec.Decode(in); err != nil {
		var typeErr *json.UnmarshalTypeError
		switch {
		case errors.As(err, &typeErr) && typeErr.Field != "":
			return &api.SerializationException{Message: fmt.Sprintf("Unexpected value of type %s for member %s.", typeErr.Value, typeErr.Field)}
		case errors.As(err, &typeErr):
			return &api.SerializationException{Message: "The request body must be a JSON object."}
		default:
			return &api.SerializationException{Message: "The request body is not valid JSON."}
		}
	}
	if dec.More() {
		return &api.SerializationException{Message: "The request body is not valid JSON."}
	}
	if _, err := dec.Token(); err != io.EOF {
		return &api.SerializationException{Message: "The request body is not valid JSON."}
	}
	return nil
}

func (h *Handler) writeError(w http.ResponseWriter, op, reqID string, err error) int {
	var ex api.Exception
	if !errors.As(err, &ex) {
		h.Log.Error("internal error", "op", op, "request_id", reqID, "err", err)
		ex = &api.InternalErrorException{Message: internalMessage}
	}
	status := ex.HTTPStatus()
	w.Header().Set("x-amzn-ErrorType", ex.ErrorCode())
	w.Header().Set("x-amzn-ErrorMessage", headerSafe(ex.ErrorMessage()))
	writeJSON(w, status, map[string]string{"__type": ex.ErrorCode(), "message": ex.ErrorMessage()})
	return status
}

// headerSafe drops characters a header value cannot carry.
func headerSafe(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || r > 0x7e {
			return ' '
		}
		return r
	}, s)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	body := []byte("{}")
	if v != nil {
		b, err := json.Marshal(v)
		if err != nil {
			status = http.StatusInternalServerError
			b, _ = json.Marshal(map[string]string{"__type": "InternalErrorException", "message": internalMessage})
		}
		body = b
	}
	w.Header().Set("Content-Type", ContentType)
	w.WriteHeader(status)
	w.Write(body)
}

// CORS wraps next so browser apps on other origins (the JavaScript SDK) can
// call the API: preflight requests are answered here, and every answer
// exposes the headers the SDKs read.
func CORS(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hdr := w.Header()
		origin := r.Header.Get("Origin")
		if origin == "" {
			origin = "*"
		} else {
			hdr.Add("Vary", "Origin")
		}
		hdr.Set("Access-Control-Allow-Origin", origin)
		hdr.Set("Access-Control-Expose-Headers", "x-amzn-RequestId, x-amzn-ErrorType, x-amzn-ErrorMessage, Date")
		if r.Method == http.MethodOptions {
			hdr.Set("Access-Control-Allow-Methods", "GET, POST, OPTIONS")
			if req := r.Header.Get("Access-Control-Request-Headers"); req != "" {
				hdr.Set("Access-Control-Allow-Headers", req)
			} else {
				hdr.Set("Access-Control-Allow-Headers", "Content-Type, X-Amz-Target, X-Amz-Date, X-Amz-User-Agent, X-Amz-Security-Token, Authorization, Cache-Control, amz-sdk-invocation-id, amz-sdk-request")
			}
			hdr.Set("Access-Control-Max-Age", "86400")
			w.WriteHeader(http.StatusNoContent)
			return
		}
		next.ServeHTTP(w, r)
	})
}
