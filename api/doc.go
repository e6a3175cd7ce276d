// Package api holds the request/response types, exceptions, parameter
// validation and operation table of the Amazon Cognito user pools API
// (AWSCognitoIdentityProviderService, JSON 1.1), generated from the AWS API
// model by internal/apigen. Files named zz_generated_*.go are generated; the
// rest is hand-written.
//
// To regenerate: cd api && go generate
package api

//go:generate go run ../internal/apigen -model ../../shared/aws-model/cognito-idp-2016-04-18.json
