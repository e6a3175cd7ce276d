package flows

import (
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

func (f *fixture) forgot(name string) (*cip.ForgotPasswordOutput, error) {
	return f.c.ForgotPassword(ctx, &cip.ForgotPasswordInput{ClientId: f.clientID(), Username: &name})
}

func (f *fixture) confirmForgot(name, code, pw string) error {
	_, err := f.c.ConfirmForgotPassword(ctx, &cip.ConfirmForgotPasswordInput{ClientId: f.clientID(), Username: &name, ConfirmationCode: &code, Password: &pw})
	return err
}

func (f *fixture) status(name string) types.UserStatusType {
	f.t.Helper()
	u, err := f.c.AdminGetUser(ctx, &cip.AdminGetUserInput{UserPoolId: &f.poolID, Username: &name})
	if err != nil {
		f.t.Fatal(err)
	}
	return u.UserStatus
}

func (f *fixture) setPassword(name, pw string, permanent bool) error {
	_, err := f.c.AdminSetUserPassword(ctx, &cip.AdminSetUserPasswordInput{UserPoolId: &f.poolID, Username: &name, Password: &pw, Permanent: permanent})
	return err
}

// verifiedUser is a confirmed user whose email is verified (so it can
// receive reset codes).
func (f *fixture) verifiedUser(name, email string) {
	f.t.Helper()
	f.confirmedUser(name, "email", email)
	if _, err := f.c.AdminUpdateUserAttributes(ctx, &cip.AdminUpdateUserAttributesInput{UserPoolId: &f.poolID, Username: &name,
		UserAttributes: attrs("email_verified", "true")}); err != nil {
		f.t.Fatal(err)
	}
}

// TestSeed000ForgotPasswordFlow is seed 000's "Complete Forgot Password
// Flow": initiate, read the code, confirm, sign in with the new password.
func TestSeed000ForgotPasswordFlow(t *testing.T) {
	t.Parallel()
	f := newFixture(t, fixtureOpts{})
	f.verifiedUser("john.doe", "john@example.com")
	out, err := f.forgot("john.doe")
	if err != nil {
		t.Fatal(err)
	}
	d := out.CodeDeliveryDetails
	if aws.ToString(d.Destination) != "j***@e***.com" || d.DeliveryMedium != types.DeliveryMediumTypeEmail || aws.ToString(d.AttributeName) != "email" {
		t.Fatalf("CodeDeliveryDetails = %+v", d)
	}
	msgs := f.srv.Outbox(t, f.poolID, "john.doe")
	last := msgs[len(msgs)-1]
	if last.Destination != "john@example.com" || len(last.Code) != 6 || !strings.Contains(last.Body, last.Code) {
		t.Fatalf("outbox message = %+v", last)
	}
	if err := f.confirmForgot("john.doe", last.Code, "New-Passw0rd"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.srpAuth("john.doe", "New-Passw0rd"); err != nil {
		t.Fatalf("authenticate with the new password: %v", err)
	}
	// The code was single-use.
	err = f.confirmForgot("john.doe", last.Code, "Other-Passw0rd")
	wantErr[*types.ExpiredCodeException](t, err, "Invalid code provided, please request a code again.")
}

// TestSeed001AdminResetThenForgotFlow is seed 001: AdminResetUserPassword,
// then sign-in fails with PasswordResetRequiredException until the user
// completes ConfirmForgotPassword with the code sent to them.
func TestSeed001AdminResetThenForgotFlow(t *testing.T) {
	t.Parallel()
	f := newFixture(t, fixtureOpts{pool: func(in *cip.CreateUserPoolInput) {
		in.UsernameAttributes = []types.UsernameAttributeType{"email"}
	}})
	f.verifiedUser("diego@example.com", "diego@example.com")
	old, err := f.passwordAuth("diego@example.com", password)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.c.AdminResetUserPassword(ctx, &cip.AdminResetUserPasswordInput{UserPoolId: &f.poolID, Username: aws.String("diego@example.com")}); err != nil {
		t.Fatal(err)
	}
	if s := f.status("diego@example.com"); s != types.UserStatusTypeResetRequired {
		t.Fatalf("status = %s", s)
	}
	_, err = f.passwordAuth("diego@example.com", password)
	wantErr[*types.PasswordResetRequiredException](t, err, "Password reset required for the user")
	_, err = f.srpAuth("diego@example.com", password)
	wantErr[*types.PasswordResetRequiredException](t, err, "Password reset required for the user")
	// The reset signed the user out.
	_, err = f.c.GetUser(ctx, &cip.GetUserInput{AccessToken: old.AuthenticationResult.AccessToken})
	wantErr[*types.NotAuthorizedException](t, err, "Access Token has been revoked")

	code := f.srv.LastCode(t, f.poolID, "diego@example.com")
	if err := f.confirmForgot("diego@example.com", code, "New-Passw0rd"); err != nil {
		t.Fatal(err)
	}
	if s := f.status("diego@example.com"); s != types.UserStatusTypeConfirmed {
		t.Fatalf("status after confirm = %s", s)
	}
	if _, err := f.passwordAuth("diego@example.com", "New-Passw0rd"); err != nil {
		t.Fatal(err)
	}
}

// TestSeed002ForgotPasswordErrors covers the errors seed 002 lists for
// ForgotPassword that can arise here.
func TestSeed002ForgotPasswordErrors(t *testing.T) {
	t.Parallel()
	f := newFixture(t, fixtureOpts{})
	f.confirmedUser("noverify", "email", "nv@example.com")
	_, err := f.forgot("noverify")
	wantErr[*types.InvalidParameterException](t, err, "Cannot reset password for the user as there is no registered/verified email or phone_number")
	_, err = f.forgot("ghost")
	wantErr[*types.UserNotFoundException](t, err, "Username/client id combination not found.")

	f.verifiedUser("dis", "dis@example.com")
	f.c.AdminDisableUser(ctx, &cip.AdminDisableUserInput{UserPoolId: &f.poolID, Username: aws.String("dis")})
	_, err = f.forgot("dis")
	wantErr[*types.NotAuthorizedException](t, err, "User is disabled.")

	f.invitedUser("fresh", "Temp-Passw0rd", "email", "fresh@example.com", "email_verified", "true")
	_, err = f.forgot("fresh")
	wantErr[*types.NotAuthorizedException](t, err, "User password cannot be reset in the current state.")

	// Rate limit: 10 requests an hour, then LimitExceededException.
	f.verifiedUser("busy", "busy@example.com")
	for i := 0; i < 10; i++ {
		if _, err := f.forgot("busy"); err != nil {
			t.Fatalf("request %d: %v", i+1, err)
		}
	}
	_, err = f.forgot("busy")
	wantErr[*types.LimitExceededException](t, err, "Attempt limit exceeded, please try after some time.")
	f.srv.Advance(time.Hour + time.Second)
	if _, err := f.forgot("busy"); err != nil {
		t.Fatalf("after an hour: %v", err)
	}

	// Administrator-only recovery.
	g := newFixture(t, fixtureOpts{pool: func(in *cip.CreateUserPoolInput) {
		in.AccountRecoverySetting = &types.AccountRecoverySettingType{RecoveryMechanisms: []types.RecoveryOptionType{{Name: "admin_only", Priority: aws.Int32(1)}}}
	}})
	g.verifiedUser("adm", "adm@example.com")
	_, err = g.forgot("adm")
	wantErr[*types.NotAuthorizedException](t, err, "Contact administrator to reset password.")

	// Secret hash.
	h := newFixture(t, fixtureOpts{client: func(in *cip.CreateUserPoolClientInput) { in.GenerateSecret = true }})
	h.verifiedUser("sec", "sec@example.com")
	_, err = h.forgot("sec")
	wantErr[*types.NotAuthorizedException](t, err, "Client "+aws.ToString(h.clientID())+" is configured for secret but secret was not received")
	_, err = h.c.ForgotPassword(ctx, &cip.ForgotPasswordInput{ClientId: h.clientID(), Username: aws.String("sec"),
		SecretHash: aws.String(secretHash(aws.ToString(h.client.ClientSecret), "sec", aws.ToString(h.clientID())))})
	if err != nil {
		t.Fatal(err)
	}
}

func TestForgotPasswordHidesUsers(t *testing.T) {
	t.Parallel()
	f := newFixture(t, fixtureOpts{client: func(in *cip.CreateUserPoolClientInput) {
		in.PreventUserExistenceErrors = types.PreventUserExistenceErrorTypesEnabled
	}})
	f.verifiedUser("real", "real@example.com")
	out, err := f.forgot("ghost@example.com")
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(out.CodeDeliveryDetails.Destination) != "g***@e***.com" || out.CodeDeliveryDetails.DeliveryMedium != types.DeliveryMediumTypeEmail {
		t.Fatalf("simulated delivery = %+v", out.CodeDeliveryDetails)
	}
	if msgs := f.srv.Outbox(t, f.poolID, "ghost@example.com"); len(msgs) != 0 {
		t.Fatalf("a message went out for an unknown user: %+v", msgs)
	}
	err = f.confirmForgot("ghost@example.com", "123456", "New-Passw0rd")
	wantErr[*types.CodeMismatchException](t, err, "Invalid verification code provided, please try again.")
	// Timing: an unknown user's answer takes about as long as a real one.
	timeOf := func(name string) time.Duration {
		best := time.Hour
		for i := 0; i < 5; i++ {
			start := time.Now()
			f.forgot(name)
			best = min(best, time.Since(start))
		}
		return best
	}
	real, ghost := timeOf("real"), timeOf("ghost2@example.com")
	if ghost*4 < real || real*4 < ghost {
		t.Errorf("timing differs: real user %v, unknown user %v", real, ghost)
	}
}

func TestConfirmForgotPasswordCodes(t *testing.T) {
	t.Parallel()
	f := newFixture(t, fixtureOpts{})
	f.verifiedUser("amy", "amy@example.com")
	err := f.confirmForgot("amy", "123456", "New-Passw0rd")
	wantErr[*types.ExpiredCodeException](t, err, "Invalid code provided, please request a code again.")
	f.forgot("amy")
	first := f.srv.LastCode(t, f.poolID, "amy")
	f.forgot("amy")
	second := f.srv.LastCode(t, f.poolID, "amy")
	if first != second {
		err = f.confirmForgot("amy", first, "New-Passw0rd")
		wantErr[*types.CodeMismatchException](t, err, "Invalid verification code provided, please try again.")
	}
	err = f.confirmForgot("amy", second, "short")
	wantErr[*types.InvalidPasswordException](t, err, "Password does not conform to policy: Password not long enough")
	err = f.confirmForgot("amy", second, "nouppercase1!")
	wantErr[*types.InvalidPasswordException](t, err, "Password does not conform to policy: Password must have uppercase characters")
	// Expiry after an hour.
	f.srv.Advance(time.Hour + time.Second)
	err = f.confirmForgot("amy", second, "New-Passw0rd")
	wantErr[*types.ExpiredCodeException](t, err, "Invalid code provided, please request a code again.")

	// Repeated wrong codes void the code.
	f.forgot("amy")
	code := f.srv.LastCode(t, f.poolID, "amy")
	wrong := "000000"
	if code == wrong {
		wrong = "111111"
	}
	for i := 0; i < 5; i++ {
		err = f.confirmForgot("amy", wrong, "New-Passw0rd")
		wantErr[*types.CodeMismatchException](t, err, "Invalid verification code provided, please try again.")
	}
	err = f.confirmForgot("amy", code, "New-Passw0rd")
	wantErr[*types.LimitExceededException](t, err, "Attempt limit exceeded, please try after some time.")
}

func TestConfirmForgotPasswordRace(t *testing.T) {
	t.Parallel()
	f := newFixture(t, fixtureOpts{})
	f.verifiedUser("race", "race@example.com")
	f.forgot("race")
	code := f.srv.LastCode(t, f.poolID, "race")
	var wg sync.WaitGroup
	var mu sync.Mutex
	wins := 0
	for i := 0; i < 2; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if f.confirmForgot("race", code, "New-Passw0rd") == nil {
				mu.Lock()
				wins++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if wins != 1 {
		t.Fatalf("one code confirmed %d times", wins)
	}
}

// TestSeed003AdminSetUserPassword is seed 003: temporary and permanent
// passwords, from every status.
func TestSeed003AdminSetUserPassword(t *testing.T) {
	t.Parallel()
	f := newFixture(t, fixtureOpts{})
	f.confirmedUser("sam")
	if err := f.setPassword("sam", "Temp-Passw0rd", false); err != nil {
		t.Fatal(err)
	}
	if s := f.status("sam"); s != types.UserStatusTypeForceChangePassword {
		t.Fatalf("status = %s", s)
	}
	out, err := f.passwordAuth("sam", "Temp-Passw0rd")
	if err != nil || out.ChallengeName != types.ChallengeNameTypeNewPasswordRequired {
		t.Fatalf("sign-in with the temporary password = %+v, %v", out, err)
	}
	if err := f.setPassword("sam", "Perm-Passw0rd", true); err != nil {
		t.Fatal(err)
	}
	if s := f.status("sam"); s != types.UserStatusTypeConfirmed {
		t.Fatalf("status = %s", s)
	}
	if _, err := f.passwordAuth("sam", "Perm-Passw0rd"); err != nil {
		t.Fatal(err)
	}
	// Errors seed 003 lists.
	err = f.setPassword("sam", "short", true)
	wantErr[*types.InvalidPasswordException](t, err, "Password does not conform to policy: Password not long enough")
	err = f.setPassword("nobody", "Perm-Passw0rd", true)
	wantErr[*types.UserNotFoundException](t, err, "User does not exist.")
	_, err = f.c.AdminSetUserPassword(ctx, &cip.AdminSetUserPasswordInput{UserPoolId: aws.String("us-east-1_nope"), Username: aws.String("sam"), Password: aws.String("Perm-Passw0rd")})
	wantErr[*types.ResourceNotFoundException](t, err, "User pool us-east-1_nope does not exist.")
	_, err = f.c.AdminSetUserPassword(ctx, &cip.AdminSetUserPasswordInput{UserPoolId: &f.poolID, Username: aws.String("sam"), Password: aws.String(" Lead-Passw0rd")})
	wantErr[*types.InvalidParameterException](t, err, "1 validation error detected: Value at 'password' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[\\S]+.*[\\S]+$")

	// The temporary password expires after TemporaryPasswordValidityDays.
	f.setPassword("sam", "Temp-Passw0rd2", false)
	f.srv.Advance(7*24*time.Hour + time.Minute)
	_, err = f.passwordAuth("sam", "Temp-Passw0rd2")
	wantErr[*types.NotAuthorizedException](t, err, "Temporary password has expired and must be reset by an administrator.")
	// An administrator sets it again.
	if err := f.setPassword("sam", "Temp-Passw0rd3", false); err != nil {
		t.Fatal(err)
	}
	if out, err := f.passwordAuth("sam", "Temp-Passw0rd3"); err != nil || out.ChallengeName != types.ChallengeNameTypeNewPasswordRequired {
		t.Fatalf("after a new temporary password: %+v, %v", out, err)
	}
}

func TestPasswordHistory(t *testing.T) {
	t.Parallel()
	f := newFixture(t, fixtureOpts{pool: func(in *cip.CreateUserPoolInput) {
		in.Policies = &types.UserPoolPolicyType{PasswordPolicy: &types.PasswordPolicyType{MinimumLength: aws.Int32(8), RequireNumbers: true, PasswordHistorySize: aws.Int32(2)}}
	}})
	f.confirmedUser("hist")
	if err := f.setPassword("hist", "second1x", true); err != nil {
		t.Fatal(err)
	}
	for _, reused := range []string{password, "second1x"} {
		err := f.setPassword("hist", reused, true)
		wantErr[*types.PasswordHistoryPolicyViolationException](t, err, "The password has been used recently and cannot be reused.")
	}
	if err := f.setPassword("hist", "third11x", true); err != nil {
		t.Fatal(err)
	}
	// The oldest dropped out of a history of 2.
	if err := f.setPassword("hist", password, true); err != nil {
		t.Fatalf("a password older than the history was refused: %v", err)
	}
}

func TestChangePassword(t *testing.T) {
	t.Parallel()
	f := newFixture(t, fixtureOpts{})
	f.confirmedUser("chad")
	out, _ := f.passwordAuth("chad", password)
	tok := out.AuthenticationResult.AccessToken
	change := func(prev, next string) error {
		_, err := f.c.ChangePassword(ctx, &cip.ChangePasswordInput{AccessToken: tok, PreviousPassword: &prev, ProposedPassword: &next})
		return err
	}
	wantErr[*types.NotAuthorizedException](t, change("Wrong-passw0rd", "New-Passw0rd"), "Incorrect username or password.")
	wantErr[*types.InvalidPasswordException](t, change(password, "weak"), "Password does not conform to policy: Password not long enough")
	if err := change(password, "New-Passw0rd"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.srpAuth("chad", "New-Passw0rd"); err != nil {
		t.Fatal(err)
	}
	// Wrong previous passwords count toward the lockout.
	for i := 0; i < 5; i++ {
		change("Wrong-passw0rd", "Other-Passw0rd")
	}
	wantErr[*types.LimitExceededException](t, change("New-Passw0rd", "Other-Passw0rd"), "Attempt limit exceeded, please try after some time.")
	f.srv.Advance(2 * time.Second)
	if err := change("New-Passw0rd", "Other-Passw0rd"); err != nil {
		t.Fatalf("after the lockout: %v", err)
	}
}

func TestAdminResetUserPasswordStates(t *testing.T) {
	t.Parallel()
	f := newFixture(t, fixtureOpts{})
	reset := func(name string) error {
		_, err := f.c.AdminResetUserPassword(ctx, &cip.AdminResetUserPasswordInput{UserPoolId: &f.poolID, Username: &name})
		return err
	}
	f.invitedUser("inv", "Temp-Passw0rd")
	wantErr[*types.NotAuthorizedException](t, reset("inv"), "User password cannot be reset in the current state.")
	if _, err := f.c.SignUp(ctx, &cip.SignUpInput{ClientId: f.clientID(), Username: aws.String("unc"), Password: aws.String(password)}); err != nil {
		t.Fatal(err)
	}
	wantErr[*types.NotAuthorizedException](t, reset("unc"), "User password cannot be reset in the current state.")
	wantErr[*types.UserNotFoundException](t, reset("nobody"), "User does not exist.")
	// No verified contact: the password is reset, no message goes out.
	f.confirmedUser("plain")
	if err := reset("plain"); err != nil {
		t.Fatal(err)
	}
	if s := f.status("plain"); s != types.UserStatusTypeResetRequired {
		t.Fatalf("status = %s", s)
	}
	// A verified phone number gets the code by SMS (the legacy rule prefers it).
	f.confirmedUser("phoney", "phone_number", "+12065551234", "email", "phoney@example.com")
	f.c.AdminUpdateUserAttributes(ctx, &cip.AdminUpdateUserAttributesInput{UserPoolId: &f.poolID, Username: aws.String("phoney"),
		UserAttributes: attrs("phone_number_verified", "true", "email_verified", "true")})
	if err := reset("phoney"); err != nil {
		t.Fatal(err)
	}
	msgs := f.srv.Outbox(t, f.poolID, "phoney")
	if last := msgs[len(msgs)-1]; last.Medium != "SMS" || last.Destination != "+12065551234" || last.Code == "" {
		t.Fatalf("reset message = %+v", last)
	}
	// Again, from RESET_REQUIRED: a new code.
	if err := reset("phoney"); err != nil {
		t.Fatal(err)
	}
}

// TestSeed000Verification is seed 000's "Email/Phone Verification After
// Update": update the email, send a code, validate it.
func TestSeed000Verification(t *testing.T) {
	t.Parallel()
	f := newFixture(t, fixtureOpts{})
	f.verifiedUser("vic", "vic@example.com")
	out, _ := f.passwordAuth("vic", password)
	tok := out.AuthenticationResult.AccessToken
	if _, err := f.c.UpdateUserAttributes(ctx, &cip.UpdateUserAttributesInput{AccessToken: tok, UserAttributes: attrs("email", "newemail@example.com")}); err != nil {
		t.Fatal(err)
	}
	send, err := f.c.GetUserAttributeVerificationCode(ctx, &cip.GetUserAttributeVerificationCodeInput{AccessToken: tok, AttributeName: aws.String("email")})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(send.CodeDeliveryDetails.Destination) != "n***@e***.com" {
		t.Fatalf("CodeDeliveryDetails = %+v", send.CodeDeliveryDetails)
	}
	_, err = f.c.VerifyUserAttribute(ctx, &cip.VerifyUserAttributeInput{AccessToken: tok, AttributeName: aws.String("email"), Code: aws.String("000000")})
	var mismatch *types.CodeMismatchException
	if err == nil || !asErr(err, &mismatch) {
		// 000000 could be the real code one time in a million.
		t.Logf("wrong code answer: %v", err)
	}
	code := f.srv.LastCode(t, f.poolID, "vic")
	if _, err := f.c.VerifyUserAttribute(ctx, &cip.VerifyUserAttributeInput{AccessToken: tok, AttributeName: aws.String("email"), Code: &code}); err != nil {
		t.Fatal(err)
	}
	got, _ := f.c.GetUser(ctx, &cip.GetUserInput{AccessToken: tok})
	m := attrMap(got.UserAttributes)
	if m["email"] != "newemail@example.com" || m["email_verified"] != "true" {
		t.Fatalf("attributes = %v", m)
	}
	// A verified email can now recover the password.
	if _, err := f.forgot("vic"); err != nil {
		t.Fatal(err)
	}
	_, err = f.c.GetUserAttributeVerificationCode(ctx, &cip.GetUserAttributeVerificationCodeInput{AccessToken: tok, AttributeName: aws.String("name")})
	wantErr[*types.InvalidParameterException](t, err, "Invalid attribute name: name can not be verified.")
}

func TestAttributesRequireVerificationBeforeUpdate(t *testing.T) {
	t.Parallel()
	f := newFixture(t, fixtureOpts{pool: func(in *cip.CreateUserPoolInput) {
		in.UserAttributeUpdateSettings = &types.UserAttributeUpdateSettingsType{AttributesRequireVerificationBeforeUpdate: []types.VerifiedAttributeType{"email"}}
	}})
	f.verifiedUser("wes", "wes@example.com")
	out, _ := f.passwordAuth("wes", password)
	tok := out.AuthenticationResult.AccessToken
	upd, err := f.c.UpdateUserAttributes(ctx, &cip.UpdateUserAttributesInput{AccessToken: tok, UserAttributes: attrs("email", "wes@new.example.com")})
	if err != nil {
		t.Fatal(err)
	}
	if len(upd.CodeDeliveryDetailsList) != 1 {
		t.Fatalf("CodeDeliveryDetailsList = %+v", upd.CodeDeliveryDetailsList)
	}
	got, _ := f.c.GetUser(ctx, &cip.GetUserInput{AccessToken: tok})
	if m := attrMap(got.UserAttributes); m["email"] != "wes@example.com" || m["email_verified"] != "true" {
		t.Fatalf("the old email should stay until the new one is verified: %v", m)
	}
	msgs := f.srv.Outbox(t, f.poolID, "wes")
	last := msgs[len(msgs)-1]
	if last.Destination != "wes@new.example.com" {
		t.Fatalf("code went to %s", last.Destination)
	}
	if _, err := f.c.VerifyUserAttribute(ctx, &cip.VerifyUserAttributeInput{AccessToken: tok, AttributeName: aws.String("email"), Code: &last.Code}); err != nil {
		t.Fatal(err)
	}
	got, _ = f.c.GetUser(ctx, &cip.GetUserInput{AccessToken: tok})
	if m := attrMap(got.UserAttributes); m["email"] != "wes@new.example.com" || m["email_verified"] != "true" {
		t.Fatalf("after verification: %v", m)
	}
}

// TestStatusByFlow crosses every user status with every password flow.
func TestStatusByFlow(t *testing.T) {
	t.Parallel()
	type outcome struct {
		exception string // "" for success
		message   string
	}
	flows := []string{"sign-in", "forgot", "admin-reset", "admin-set-temporary", "admin-set-permanent"}
	table := map[string]map[string]outcome{
		"UNCONFIRMED": {
			"sign-in":             {"UserNotConfirmedException", "User is not confirmed."},
			"forgot":              {"InvalidParameterException", "Cannot reset password for the user as there is no registered/verified email or phone_number"},
			"admin-reset":         {"NotAuthorizedException", "User password cannot be reset in the current state."},
			"admin-set-temporary": {}, "admin-set-permanent": {},
		},
		"CONFIRMED": {"sign-in": {}, "forgot": {}, "admin-reset": {}, "admin-set-temporary": {}, "admin-set-permanent": {}},
		"FORCE_CHANGE_PASSWORD": {
			"sign-in":             {}, // NEW_PASSWORD_REQUIRED
			"forgot":              {"NotAuthorizedException", "User password cannot be reset in the current state."},
			"admin-reset":         {"NotAuthorizedException", "User password cannot be reset in the current state."},
			"admin-set-temporary": {}, "admin-set-permanent": {},
		},
		"RESET_REQUIRED": {
			"sign-in": {"PasswordResetRequiredException", "Password reset required for the user"},
			"forgot":  {}, "admin-reset": {}, "admin-set-temporary": {}, "admin-set-permanent": {},
		},
		"DISABLED": {
			"sign-in":             {"NotAuthorizedException", "User is disabled."},
			"forgot":              {"NotAuthorizedException", "User is disabled."},
			"admin-reset":         {"NotAuthorizedException", "User is disabled."},
			"admin-set-temporary": {}, "admin-set-permanent": {},
		},
	}
	wantStatus := map[string]types.UserStatusType{"admin-set-temporary": types.UserStatusTypeForceChangePassword, "admin-set-permanent": types.UserStatusTypeConfirmed, "admin-reset": types.UserStatusTypeResetRequired}
	for state, row := range table {
		for _, flow := range flows {
			t.Run(state+"/"+flow, func(t *testing.T) {
				t.Parallel()
				f := newFixture(t, fixtureOpts{})
				name := "u"
				switch state {
				case "UNCONFIRMED":
					f.c.SignUp(ctx, &cip.SignUpInput{ClientId: f.clientID(), Username: &name, Password: aws.String(password), UserAttributes: attrs("email", "u@example.com")})
				case "FORCE_CHANGE_PASSWORD":
					f.invitedUser(name, password, "email", "u@example.com", "email_verified", "true")
				default:
					f.verifiedUser(name, "u@example.com")
					if state == "RESET_REQUIRED" {
						f.c.AdminResetUserPassword(ctx, &cip.AdminResetUserPasswordInput{UserPoolId: &f.poolID, Username: &name})
					}
					if state == "DISABLED" {
						f.c.AdminDisableUser(ctx, &cip.AdminDisableUserInput{UserPoolId: &f.poolID, Username: &name})
					}
				}
				var err error
				switch flow {
				case "sign-in":
					_, err = f.passwordAuth(name, password)
				case "forgot":
					_, err = f.forgot(name)
				case "admin-reset":
					_, err = f.c.AdminResetUserPassword(ctx, &cip.AdminResetUserPasswordInput{UserPoolId: &f.poolID, Username: &name})
				case "admin-set-temporary":
					err = f.setPassword(name, "Other-Passw0rd", false)
				case "admin-set-permanent":
					err = f.setPassword(name, "Other-Passw0rd", true)
				}
				want := row[flow]
				if want.exception == "" {
					if err != nil {
						t.Fatalf("want success, got %v", err)
					}
					if s, ok := wantStatus[flow]; ok {
						if got := f.status(name); got != s {
							t.Fatalf("status = %s, want %s", got, s)
						}
					}
					return
				}
				if err == nil || !strings.Contains(err.Error(), want.exception+": "+want.message) {
					t.Fatalf("got %v, want %s: %s", err, want.exception, want.message)
				}
			})
		}
	}
}

func TestInvitationDeliveryMediums(t *testing.T) {
	t.Parallel()
	f := newFixture(t, fixtureOpts{})
	create := func(name string, mediums []types.DeliveryMediumType, kv ...string) error {
		_, err := f.c.AdminCreateUser(ctx, &cip.AdminCreateUserInput{UserPoolId: &f.poolID, Username: &name, DesiredDeliveryMediums: mediums, UserAttributes: attrs(kv...)})
		return err
	}
	wantErr[*types.InvalidParameterException](t, create("a", []types.DeliveryMediumType{"EMAIL"}, "phone_number", "+12065550100"),
		"No email provided but desired delivery medium was Email")
	wantErr[*types.InvalidParameterException](t, create("b", []types.DeliveryMediumType{"SMS"}, "email", "b@example.com"),
		"No phone_number provided but desired delivery medium was SMS")
	if err := create("c", []types.DeliveryMediumType{"EMAIL", "SMS"}, "email", "c@example.com", "phone_number", "+12065550101"); err != nil {
		t.Fatal(err)
	}
	msgs := f.srv.Outbox(t, f.poolID, "c")
	if len(msgs) != 2 || msgs[0].Medium != "EMAIL" || msgs[1].Medium != "SMS" || !strings.Contains(msgs[0].Body, "Your username is c and temporary password is ") {
		t.Fatalf("invitations = %+v", msgs)
	}
	// Without DesiredDeliveryMediums (AWS's default is SMS), a user with only
	// an email still gets the invitation by email.
	if err := create("d", nil, "email", "d@example.com"); err != nil {
		t.Fatal(err)
	}
	if msgs := f.srv.Outbox(t, f.poolID, "d"); len(msgs) != 1 || msgs[0].Medium != "EMAIL" {
		t.Fatalf("default invitation = %+v", msgs)
	}
}
