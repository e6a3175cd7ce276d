// Package e2e holds userpool's end-to-end tests: a real server (see
// internal/testserver) driven by aws-sdk-go-v2's Cognito client, and, where
// a test is about the wire itself, by hand-built HTTP requests.
package e2e
