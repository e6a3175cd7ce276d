package api

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// String returns a pointer to v.
func String(v string) *string { return &v }

// Int32 returns a pointer to v.
func Int32(v int32) *int32 { return &v }

// Int64 returns a pointer to v.
func Int64(v int64) *int64 { return &v }

// Bool returns a pointer to v.
func Bool(v bool) *bool { return &v }

// ToString returns *p, or "" when p is nil.
func ToString(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

// ToInt32 returns *p, or 0 when p is nil.
func ToInt32(p *int32) int32 {
	if p == nil {
		return 0
	}
	return *p
}

// ToInt64 returns *p, or 0 when p is nil.
func ToInt64(p *int64) int64 {
	if p == nil {
		return 0
	}
	return *p
}

// ToBool returns *p, or false when p is nil.
func ToBool(p *bool) bool {
	if p == nil {
		return false
	}
	return *p
}

// Timestamp is a point in time that the JSON 1.1 protocol encodes as epoch
// seconds, a JSON number with millisecond precision (1732526400.123).
type Timestamp struct{ time.Time }

// NewTimestamp returns a *Timestamp holding t.
func NewTimestamp(t time.Time) *Timestamp { return &Timestamp{t} }

// MarshalJSON encodes t as epoch seconds, truncated to milliseconds; whole
// seconds have no fraction.
func (t Timestamp) MarshalJSON() ([]byte, error) {
	ms := t.UnixMilli()
	var b []byte
	if ms < 0 {
		b, ms = append(b, '-'), -ms
	}
	sec, frac := ms/1000, ms%1000
	b = strconv.AppendInt(b, sec, 10)
	if frac != 0 {
		f := fmt.Sprintf("%03d", frac)
		b = append(b, '.')
		b = append(b, strings.TrimRight(f, "0")...)
	}
	return b, nil
}

// UnmarshalJSON decodes epoch seconds given as a JSON number or a string
// holding one. JSON null leaves t unchanged.
func (t *Timestamp) UnmarshalJSON(data []byte) error {
	data = bytes.TrimSpace(data)
	if string(data) == "null" {
		return nil
	}
	s := string(data)
	if len(s) >= 2 && s[0] == '"' && s[len(s)-1] == '"' {
		u, err := strconv.Unquote(s)
		if err != nil {
			return fmt.Errorf("api: invalid timestamp %s", data)
		}
		s = strings.TrimSpace(u)
	}
	tt, err := parseEpochSeconds(s)
	if err != nil {
		return fmt.Errorf("api: invalid timestamp %s", data)
	}
	t.Time = tt
	return nil
}

// parseEpochSeconds parses a decimal number of seconds exactly (no float
// rounding) when it is plain decimal, and through float64 otherwise
// (exponent notation).
func parseEpochSeconds(s string) (time.Time, error) {
	intPart, fracPart, hasFrac := strings.Cut(s, ".")
	neg := strings.HasPrefix(intPart, "-")
	digits := strings.TrimPrefix(intPart, "-")
	if digits != "" && isDigits(digits) && (!hasFrac || (fracPart != "" && isDigits(fracPart))) {
		sec, err := strconv.ParseInt(digits, 10, 64)
		if err != nil {
			return time.Time{}, err
		}
		var nsec int64
		if hasFrac {
			f := (fracPart + "000000000")[:9]
			nsec, _ = strconv.ParseInt(f, 10, 64)
		}
		if neg {
			sec, nsec = -sec, -nsec
		}
		return time.Unix(sec, nsec).UTC(), nil
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return time.Time{}, err
	}
	if math.IsNaN(f) || math.IsInf(f, 0) || math.Abs(f) > 1e15 {
		return time.Time{}, errors.New("out of range")
	}
	sec := math.Floor(f)
	return time.Unix(int64(sec), int64(math.Round((f-sec)*1e3))*1e6).UTC(), nil
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// Exception is an error the API returns to clients as
// {"__type": ErrorCode(), "message": ErrorMessage()} with status HTTPStatus().
// Every modeled exception (zz_generated_exceptions.go) implements it.
type Exception interface {
	error
	ErrorCode() string
	ErrorMessage() string
	HTTPStatus() int
}

// UnknownOperationException is returned for an X-Amz-Target naming no
// operation of the service. It is not in the model.
type UnknownOperationException struct {
	Message string `json:"message"`
}

// NewUnknownOperationException returns an UnknownOperationException.
func NewUnknownOperationException(msg string) *UnknownOperationException {
	return &UnknownOperationException{Message: msg}
}

func (e *UnknownOperationException) Error() string {
	return exceptionError("UnknownOperationException", e.ErrorMessage())
}

// ErrorCode returns "UnknownOperationException".
func (e *UnknownOperationException) ErrorCode() string { return "UnknownOperationException" }

// ErrorMessage returns the message.
func (e *UnknownOperationException) ErrorMessage() string {
	if e == nil {
		return ""
	}
	return e.Message
}

// HTTPStatus returns 400.
func (e *UnknownOperationException) HTTPStatus() int { return 400 }

// SerializationException is returned for a request body that is not valid
// JSON or does not fit the input shape. It is not in the model.
type SerializationException struct {
	Message string `json:"message"`
}

// NewSerializationException returns a SerializationException.
func NewSerializationException(msg string) *SerializationException {
	return &SerializationException{Message: msg}
}

func (e *SerializationException) Error() string {
	return exceptionError("SerializationException", e.ErrorMessage())
}

// ErrorCode returns "SerializationException".
func (e *SerializationException) ErrorCode() string { return "SerializationException" }

// ErrorMessage returns the message.
func (e *SerializationException) ErrorMessage() string {
	if e == nil {
		return ""
	}
	return e.Message
}

// HTTPStatus returns 400.
func (e *SerializationException) HTTPStatus() int { return 400 }

// exceptionError formats an exception's Error() string: "<code>: <message>",
// or just the code when the message is empty.
func exceptionError(code, msg string) string {
	if msg == "" {
		return code
	}
	return code + ": " + msg
}
