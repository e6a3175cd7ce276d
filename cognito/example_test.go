package cognito_test

import (
	"context"
	"errors"
	"fmt"
	"log"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/userpool/userpool/cognito"
)

// The forgot-password flow: a code by email, a new password, a sign-in.
func ExampleCognito_InitiateForgotPassword() {
	env := startExampleServer() // a userpool server with a pool and an app client
	defer env.Close()
	env.AddUser("john.doe", "john@example.com", "Passw0rd!")
	ctx := context.Background()

	u, err := cognito.New(ctx, env.PoolID, env.ClientID,
		cognito.WithEndpoint(env.URL), cognito.WithUsername("john.doe"))
	if err != nil {
		log.Fatal(err)
	}

	// Initiate forgot password.
	delivery, err := u.InitiateForgotPassword(ctx)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("Password reset code sent to", aws.ToString(delivery.Destination))

	// A mistyped code is refused.
	var mismatch *types.CodeMismatchException
	if err := u.ConfirmForgotPassword(ctx, "000000", "N3w-Passw0rd!"); errors.As(err, &mismatch) {
		fmt.Println("Wrong code:", mismatch.ErrorMessage())
	}

	// The user receives the code and provides a new password.
	code := env.Code("john.doe")
	if err := u.ConfirmForgotPassword(ctx, code, "N3w-Passw0rd!"); err != nil {
		log.Fatal(err)
	}
	fmt.Println("Password successfully reset!")

	// The user can now authenticate with the new password.
	if err := u.Authenticate(ctx, "N3w-Passw0rd!"); err != nil {
		log.Fatal(err)
	}
	fmt.Println("Authentication successful with new password!")
	// Output:
	// Password reset code sent to j***@e***.com
	// Wrong code: Invalid verification code provided, please try again.
	// Password successfully reset!
	// Authentication successful with new password!
}

// Changing the password of a signed-in user.
func ExampleCognito_ChangePassword() {
	env := startExampleServer()
	defer env.Close()
	env.AddUser("user", "user@example.com", "current-Passw0rd")
	ctx := context.Background()

	u, err := cognito.New(ctx, env.PoolID, env.ClientID,
		cognito.WithEndpoint(env.URL), cognito.WithUsername("user"))
	if err != nil {
		log.Fatal(err)
	}
	if err := u.Authenticate(ctx, "current-Passw0rd"); err != nil {
		log.Fatal(err)
	}

	// The previous password must be right.
	var notAuthorized *types.NotAuthorizedException
	if err := u.ChangePassword(ctx, "wrong-Passw0rd", "new-secure-Passw0rd"); errors.As(err, &notAuthorized) {
		fmt.Println("Password change failed:", notAuthorized.ErrorMessage())
	}

	if err := u.ChangePassword(ctx, "current-Passw0rd", "new-secure-Passw0rd"); err != nil {
		log.Fatal(err)
	}
	fmt.Println("Password changed successfully!")

	if err := u.Authenticate(ctx, "new-secure-Passw0rd"); err != nil {
		log.Fatal(err)
	}
	fmt.Println("Signed in with the new password")
	// Output:
	// Password change failed: Incorrect username or password.
	// Password changed successfully!
	// Signed in with the new password
}

// An administrator resets a user's password; the user sets a new one with
// the code they receive.
func ExampleCognito_AdminResetPassword() {
	env := startExampleServer()
	defer env.Close()
	env.AddUser("target-username", "target@example.com", "Passw0rd!")
	ctx := context.Background()

	// The administrator's Cognito value acts for no particular user.
	admin, err := cognito.New(ctx, env.PoolID, env.ClientID, cognito.WithEndpoint(env.URL))
	if err != nil {
		log.Fatal(err)
	}
	if err := admin.AdminResetPassword(ctx, "target-username", nil); err != nil {
		log.Fatal(err)
	}
	fmt.Println("Password reset initiated for user")

	// The user must now set a new password before signing in.
	u, err := cognito.New(ctx, env.PoolID, env.ClientID,
		cognito.WithEndpoint(env.URL), cognito.WithUsername("target-username"))
	if err != nil {
		log.Fatal(err)
	}
	var resetRequired *types.PasswordResetRequiredException
	if err := u.Authenticate(ctx, "Passw0rd!"); errors.As(err, &resetRequired) {
		fmt.Println("Sign-in refused:", resetRequired.ErrorMessage())
	}
	if err := u.ConfirmForgotPassword(ctx, env.Code("target-username"), "N3w-Passw0rd!"); err != nil {
		log.Fatal(err)
	}
	if err := u.Authenticate(ctx, "N3w-Passw0rd!"); err != nil {
		log.Fatal(err)
	}
	fmt.Println("Signed in with the new password")
	// Output:
	// Password reset initiated for user
	// Sign-in refused: Password reset required for the user
	// Signed in with the new password
}

// A new user signs in with the temporary password an administrator gave
// them and must choose their own.
func ExampleCognito_NewPasswordChallenge() {
	env := startExampleServer()
	defer env.Close()
	ctx := context.Background()

	admin, err := cognito.New(ctx, env.PoolID, env.ClientID, cognito.WithEndpoint(env.URL))
	if err != nil {
		log.Fatal(err)
	}
	created, err := admin.AdminCreateUser(ctx, "newemployee", "TempPass123!",
		map[string]string{"email": "employee@company.com"})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("User created with temporary password:", created.Status)

	u, err := cognito.New(ctx, env.PoolID, env.ClientID,
		cognito.WithEndpoint(env.URL), cognito.WithUsername("newemployee"))
	if err != nil {
		log.Fatal(err)
	}
	err = u.Authenticate(ctx, "TempPass123!")
	var fc *cognito.ForceChangePasswordError
	if errors.As(err, &fc) {
		fmt.Println("You must set a new password")
		if err := u.NewPasswordChallenge(ctx, "TempPass123!", "MyOwn-Passw0rd!"); err != nil {
			log.Fatal(err)
		}
		fmt.Println("New password set! You are now logged in.")
	} else if err != nil {
		log.Fatal(err)
	}
	fmt.Println("Access token held:", u.Tokens().AccessToken != "")
	// Output:
	// User created with temporary password: FORCE_CHANGE_PASSWORD
	// You must set a new password
	// New password set! You are now logged in.
	// Access token held: true
}

// A signed-in user changes their email address and verifies it.
func ExampleCognito_SendVerification() {
	env := startExampleServer()
	defer env.Close()
	env.AddUser("user", "old@example.com", "Passw0rd!")
	ctx := context.Background()

	u, err := cognito.New(ctx, env.PoolID, env.ClientID,
		cognito.WithEndpoint(env.URL), cognito.WithUsername("user"))
	if err != nil {
		log.Fatal(err)
	}
	if err := u.Authenticate(ctx, "Passw0rd!"); err != nil {
		log.Fatal(err)
	}

	// Update the email attribute.
	if err := u.UpdateProfile(ctx, map[string]string{"email": "newemail@example.com"}); err != nil {
		log.Fatal(err)
	}
	fmt.Println("Email updated to newemail@example.com")

	// Send a verification code.
	delivery, err := u.SendVerification(ctx, "email")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("Verification code sent to", aws.ToString(delivery.Destination))

	// Verify the email with the code the user received.
	if err := u.ValidateVerification(ctx, env.Code("user"), "email"); err != nil {
		log.Fatal(err)
	}
	user, err := u.GetUser(ctx)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("Email verified:", user.Attributes["email"], user.Attributes["email_verified"])
	// Output:
	// Email updated to newemail@example.com
	// Verification code sent to n***@e***.com
	// Email verified: newemail@example.com true
}
