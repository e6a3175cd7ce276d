package api

import (
	"context"
	"fmt"
)

// Input is implemented by every operation input shape.
type Input interface {
	// Validate checks the input against the model's constraints and returns
	// nil or an *InvalidParameterException worded like AWS's.
	Validate() error
}

// Operation describes one API operation. The table of all of them is
// Operations (zz_generated_service.go).
type Operation struct {
	Name   string   // "AdminGetUser"
	NoAuth bool     // the model says authtype "none" (client-side operations such as SignUp, InitiateAuth)
	Errors []string // exception names the model lists for the operation

	// NewInput returns a new, empty input shape (*<Name>Request).
	NewInput func() Input
	// Invoke calls the operation's Service method with in, which must be
	// the type NewInput returns. It returns the output pointer, or a nil
	// any for operations without output, on error, or when the method
	// returned a nil output.
	Invoke func(ctx context.Context, s Service, in Input) (any, error)
}

// invoke adapts a Service method with an output shape to Operation.Invoke.
func invoke[I, O any](ctx context.Context, in Input, call func(context.Context, *I) (*O, error)) (any, error) {
	req, ok := any(in).(*I)
	if !ok || req == nil {
		return nil, NewSerializationException(fmt.Sprintf("unexpected input type %T", in))
	}
	out, err := call(ctx, req)
	if err != nil || out == nil {
		return nil, err
	}
	return out, nil
}

// invokeNoOutput adapts a Service method without an output shape to
// Operation.Invoke.
func invokeNoOutput[I any](ctx context.Context, in Input, call func(context.Context, *I) error) (any, error) {
	req, ok := any(in).(*I)
	if !ok || req == nil {
		return nil, NewSerializationException(fmt.Sprintf("unexpected input type %T", in))
	}
	return nil, call(ctx, req)
}
