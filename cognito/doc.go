// Package cognito is a high-level client for Amazon Cognito user pools,
// pycognito's API in Go. It is built on aws-sdk-go-v2's
// cognitoidentityprovider client and works against AWS and against
// userpool alike (point it at userpool with WithEndpoint).
//
// # The model
//
// A Cognito value is one app client of one user pool acting for one user:
//
//	u, err := cognito.New(ctx, "us-east-1_AbC123", clientID, cognito.WithUsername("jane"))
//	err = u.Authenticate(ctx, "Passw0rd!")   // SRP: the password never leaves the client
//	user, err := u.GetUser(ctx)              // with the access token it now holds
//
// Self-service operations act for that user: by name (InitiateForgotPassword,
// ConfirmForgotPassword, ConfirmSignUp, Authenticate) or with the tokens a
// sign-in left on the value (GetUser, UpdateProfile, ChangePassword,
// SendVerification, ValidateVerification, Logout). Those renew an expired
// access token first with the refresh token, as pycognito's check_token
// does. Admin operations (AdminAuthenticate, AdminGetUser,
// AdminUpdateProfile, AdminCreateUser, AdminResetPassword,
// AdminSetPassword) need AWS credentials allowed to call them: without
// WithAWSConfig, New loads the default AWS configuration, or uses dummy
// credentials with WithEndpoint (userpool does not check signatures).
//
// The region is the pool ID's prefix unless WithRegion says otherwise. The
// tokens a sign-in returns are verified before they are kept (RS256
// signature by a key of the pool's JWKS, issuer, audience or client_id,
// token_use, expiry): the issuer is https://cognito-idp.<region>.amazonaws.com/<poolID>
// on AWS, and <endpoint>/<poolID> with WithEndpoint (override it with
// WithIssuerURL when a server is reached under another address than the
// one it names in its tokens).
//
// With an app client secret (WithClientSecret), SECRET_HASH is added to
// every request that takes it: over the username held, and over the USERNAME
// a challenge names when answering it.
//
// # Errors
//
// Cognito's refusals are aws-sdk-go-v2's exception types, wrapped by the
// SDK as usual, so errors.As finds them:
//
//	var mismatch *types.CodeMismatchException
//	if errors.As(err, &mismatch) { ... }
//
// The package's own errors are for what the client itself decides:
// ErrNoUsername, ErrNoTokens, *TokenVerificationError (pycognito's
// TokenVerificationException), *ForceChangePasswordError (pycognito's
// ForceChangePasswordException, with a Respond method that completes the
// challenge) and *ChallengeError for challenges this package does not
// answer (MFA, custom auth; pycognito raises MFAChallengeException or
// NotImplementedError).
//
// # From pycognito
//
//	pycognito                                      cognito
//	Cognito(pool_id, client_id, username=...)      New(ctx, poolID, clientID, WithUsername(...))
//	  client_secret=, user_pool_region=            WithClientSecret, WithRegion
//	  id_token=, access_token=, refresh_token=     WithTokens(id, access, refresh)
//	  botocore_config=, session=, access_key=...   WithAWSConfig(aws.Config)
//	  boto3_client_kwargs={"endpoint_url": url}    WithEndpoint(url)
//	  pool_domain_url / user_pool_url              WithIssuerURL(base) / Issuer()
//	u.id_token, u.access_token, u.refresh_token    Tokens()
//	authenticate(password)                         Authenticate(ctx, password)
//	admin_authenticate(password)                   AdminAuthenticate(ctx, password)
//	new_password_challenge(password, new)          NewPasswordChallenge(ctx, password, new)
//	except ForceChangePasswordException            errors.As(err, &fc) with fc *ForceChangePasswordError; fc.Respond
//	initiate_forgot_password()                     InitiateForgotPassword(ctx)
//	confirm_forgot_password(code, password)        ConfirmForgotPassword(ctx, code, password)
//	change_password(previous, proposed)            ChangePassword(ctx, previous, proposed)
//	admin_reset_password(username, metadata)       AdminResetPassword(ctx, username, metadata)
//	(boto3 admin_set_user_password)                AdminSetPassword(ctx, username, password, permanent)
//	send_verification(attribute="email")           SendVerification(ctx, attribute)   // "" means "email"
//	validate_verification(code, attribute)         ValidateVerification(ctx, code, attribute)
//	update_profile(attrs)                          UpdateProfile(ctx, attrs)
//	admin_update_profile(attrs)                    AdminUpdateProfile(ctx, attrs)
//	get_user()                                     GetUser(ctx)
//	admin_get_user()                               AdminGetUser(ctx)
//	admin_create_user(username, temporary_password, additional_kwargs, **attrs)
//	                                               AdminCreateUser(ctx, username, tempPassword, attrs, opts...)
//	register(username, password) with set_base_attributes / add_custom_attributes
//	                                               Register(ctx, username, password, attrs)   // "custom:x" keys
//	confirm_sign_up(code)                          ConfirmSignUp(ctx, code)
//	logout()                                       Logout(ctx)
//	verify_tokens()                                VerifyTokens(ctx)   // returns the claims
//	check_token(renew=True)                        CheckToken(ctx, renew)
//	renew_access_token()                           RenewAccessToken(ctx)
//	u.client (boto3)                               Client() (*cognitoidentityprovider.Client)
//
// Attributes are map[string]string in both directions, values as Cognito
// sends them ("true", not True); pycognito's attr_map renaming is left to
// the caller. Dates and statuses of a user are fields of User.
package cognito
