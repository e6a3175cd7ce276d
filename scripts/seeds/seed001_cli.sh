#!/usr/bin/env bash
# Seed 001 (AWS knowledge-center article "How do I recover a user password
# in Amazon Cognito?") run with the AWS CLI against userpool: the article's
# commands verbatim, but for the IDs, user names and passwords.
#
#   USERPOOL_ENDPOINT=http://127.0.0.1:9229 scripts/seeds/seed001_cli.sh
#
# Prints one line per step; exits non-zero at the first mismatch.
set -euo pipefail

: "${USERPOOL_ENDPOINT:?set USERPOOL_ENDPOINT to the userpool server URL, e.g. http://127.0.0.1:9229}"
export AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local AWS_DEFAULT_REGION=us-east-1
export AWS_PAGER=""
unset AWS_PROFILE AWS_SESSION_TOKEN
export AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null

E="$USERPOOL_ENDPOINT"
step=0

fail() {
  echo "FAIL: $*" >&2
  exit 1
}

# A command that fails unexpectedly (an AWS CLI call answering an error)
# stops the script here, after its own message.
trap 'echo "FAIL: line $LINENO: exit status $? from: $BASH_COMMAND" >&2' ERR

ok() {
  step=$((step + 1))
  echo "ok $step - $*"
}

# py runs a python3 snippet with the JSON document on stdin; it exits 1
# with a message when an assertion fails.
py() {
  python3 -c "$1"
}

# json_get DOC PATH prints DOC's value at the dotted PATH.
json_get() {
  printf '%s' "$1" | python3 -c '
import json, sys
v = json.load(sys.stdin)
for k in sys.argv[1].split("."):
    if not isinstance(v, dict) or k not in v:
        sys.exit(1)
    v = v[k]
print(v)' "$2"
}

# expect_json DOC PATH WANT fails unless DOC's value at PATH is WANT.
expect_json() {
  local got
  got=$(json_get "$1" "$2" 2>/dev/null) || fail "$2 missing in: $1"
  [ "$got" = "$3" ] || fail "$2: want '$3', got '$got' in: $1"
}

# expect_error WANT_SUBSTRING CMD... runs CMD, which must fail with WANT in
# its stderr.
expect_error() {
  local want=$1 out
  shift
  if out=$("$@" 2>&1); then
    fail "expected an error containing '$want', the command succeeded: $out"
  fi
  case "$out" in
    *"$want"*) ;;
    *) fail "expected an error containing '$want', got: $out" ;;
  esac
  printf '%s' "$out"
}

# last_code POOL USERNAME prints the code of the newest outbox message to
# the user (GET /_userpool/outbox).
last_code() {
  python3 - "$E" "$1" "$2" <<'EOF'
import json, sys, urllib.parse, urllib.request
endpoint, pool, user = sys.argv[1:4]
q = urllib.parse.urlencode({"userPoolId": pool, "username": user})
with urllib.request.urlopen(endpoint.rstrip("/") + "/_userpool/outbox?" + q, timeout=10) as r:
    msgs = json.load(r)["Messages"]
codes = [m["Code"] for m in msgs if m.get("Code")]
if not codes:
    sys.exit("no code in the outbox for %s in %s: %s" % (user, pool, msgs))
print(codes[-1])
EOF
}

# outbox_count POOL USERNAME prints how many outbox messages carry a code.
outbox_count() {
  python3 - "$E" "$1" "$2" <<'EOF'
import json, sys, urllib.parse, urllib.request
endpoint, pool, user = sys.argv[1:4]
q = urllib.parse.urlencode({"userPoolId": pool, "username": user})
with urllib.request.urlopen(endpoint.rstrip("/") + "/_userpool/outbox?" + q, timeout=10) as r:
    print(sum(1 for m in json.load(r)["Messages"] if m.get("Code")))
EOF
}

# secret_hash USERNAME CLIENT_ID SECRET: Base64(HMAC_SHA256(secret, username + clientId)).
secret_hash() {
  python3 -c '
import base64, hashlib, hmac, sys
user, client, secret = sys.argv[1:4]
print(base64.b64encode(hmac.new(secret.encode(), (user + client).encode(), hashlib.sha256).digest()).decode())' "$1" "$2" "$3"
}

# ---------------------------------------------------------------- set-up
# A pool whose users sign in with their email, emails verified
# automatically; a public app client and one with a secret.

POOL=$(aws cognito-idp create-user-pool --endpoint-url "$E" --pool-name seed001 \
  --auto-verified-attributes email --username-attributes email \
  --query UserPool.Id --output text)
[[ "$POOL" =~ ^us-east-1_[0-9A-Za-z]+$ ]] || fail "create-user-pool: unexpected pool id '$POOL'"
ok "create-user-pool --auto-verified-attributes email: $POOL"

CLIENT=$(aws cognito-idp create-user-pool-client --endpoint-url "$E" --user-pool-id "$POOL" \
  --client-name web --explicit-auth-flows ALLOW_USER_PASSWORD_AUTH ALLOW_REFRESH_TOKEN_AUTH \
  --query UserPoolClient.ClientId --output text)
[ -n "$CLIENT" ] || fail "create-user-pool-client: no client id"
ok "create-user-pool-client (no secret): $CLIENT"

out=$(aws cognito-idp create-user-pool-client --endpoint-url "$E" --user-pool-id "$POOL" \
  --client-name server --generate-secret --explicit-auth-flows ALLOW_USER_PASSWORD_AUTH ALLOW_REFRESH_TOKEN_AUTH)
SCLIENT=$(json_get "$out" UserPoolClient.ClientId)
SECRET=$(json_get "$out" UserPoolClient.ClientSecret)
[ -n "$SCLIENT" ] && [ -n "$SECRET" ] || fail "create-user-pool-client --generate-secret: $out"
ok "create-user-pool-client --generate-secret: $SCLIENT"

for who in jane diego; do
  aws cognito-idp admin-create-user --endpoint-url "$E" --user-pool-id "$POOL" \
    --username "$who@example.com" --message-action SUPPRESS \
    --user-attributes Name=email,Value="$who@example.com" Name=email_verified,Value=true >/dev/null
  aws cognito-idp admin-set-user-password --endpoint-url "$E" --user-pool-id "$POOL" \
    --username "$who@example.com" --password 'Initial#Pass1' --permanent
  ok "admin-create-user $who@example.com (email_verified=true) + admin-set-user-password --permanent"
done

# ---------------------------------------------------------------- ForgotPassword
# aws cognito-idp forgot-password --client-id 38fjsnc484p94kpqsnet7mpld0 --username jane@example.com

out=$(aws cognito-idp forgot-password --endpoint-url "$E" --client-id "$CLIENT" --username jane@example.com)
printf '%s' "$out" | py '
import json, sys
got = json.load(sys.stdin)
want = {"CodeDeliveryDetails": {"Destination": "j***@e***.com", "DeliveryMedium": "EMAIL", "AttributeName": "email"}}
if got != want:
    sys.exit("forgot-password output: want %s, got %s" % (json.dumps(want), json.dumps(got)))
' || fail "forgot-password jane@example.com"
ok "forgot-password --username jane@example.com -> CodeDeliveryDetails j***@e***.com EMAIL email"

JANE_CODE=$(last_code "$POOL" jane@example.com)
[[ "$JANE_CODE" =~ ^[0-9]{6}$ ]] || fail "outbox: jane's code '$JANE_CODE' is not 6 digits"
ok "outbox has jane's reset code"

# ---------------------------------------------------------------- ConfirmForgotPassword
# aws cognito-idp confirm-forgot-password --client-id 3n4b5urk1ft4fl3mg5e62d9ado --username=diego@example.com --password PASSWORD --confirmation-code CONF_CODE

out=$(aws cognito-idp forgot-password --endpoint-url "$E" --client-id "$CLIENT" --username diego@example.com)
expect_json "$out" CodeDeliveryDetails.Destination 'd***@e***.com'
DIEGO_CODE=$(last_code "$POOL" diego@example.com)
ok "forgot-password --username diego@example.com -> d***@e***.com, code in the outbox"

out=$(aws cognito-idp confirm-forgot-password --endpoint-url "$E" --client-id "$CLIENT" \
  --username=diego@example.com --password 'Diego#Reset1' --confirmation-code "$DIEGO_CODE")
[ -z "$out" ] || fail "confirm-forgot-password printed output: $out"
ok "confirm-forgot-password --username=diego@example.com (code from the outbox)"

out=$(aws cognito-idp confirm-forgot-password --endpoint-url "$E" --client-id "$CLIENT" \
  --username jane@example.com --password 'Jane#Reset1' --confirmation-code "$JANE_CODE")
ok "confirm-forgot-password --username jane@example.com"

out=$(aws cognito-idp initiate-auth --endpoint-url "$E" --client-id "$CLIENT" --auth-flow USER_PASSWORD_AUTH \
  --auth-parameters USERNAME=diego@example.com,PASSWORD='Diego#Reset1')
json_get "$out" AuthenticationResult.AccessToken >/dev/null || fail "initiate-auth after reset: no tokens in $out"
ok "initiate-auth USER_PASSWORD_AUTH with the new password -> tokens"

expect_error "(NotAuthorizedException)" aws cognito-idp initiate-auth --endpoint-url "$E" --client-id "$CLIENT" \
  --auth-flow USER_PASSWORD_AUTH --auth-parameters USERNAME=diego@example.com,PASSWORD='Initial#Pass1' >/dev/null
ok "initiate-auth with the old password -> NotAuthorizedException"

# ---------------------------------------------------------------- AdminResetUserPassword
# aws cognito-idp admin-reset-user-password --user-pool-id us-west-2_aaaaaaaaa --username diego@example.com

before=$(outbox_count "$POOL" diego@example.com)
aws cognito-idp admin-reset-user-password --endpoint-url "$E" --user-pool-id "$POOL" --username diego@example.com
status=$(aws cognito-idp admin-get-user --endpoint-url "$E" --user-pool-id "$POOL" --username diego@example.com \
  --query UserStatus --output text)
[ "$status" = RESET_REQUIRED ] || fail "admin-reset-user-password: status want RESET_REQUIRED, got $status"
after=$(outbox_count "$POOL" diego@example.com)
[ "$after" -eq $((before + 1)) ] || fail "admin-reset-user-password: want a new code in the outbox ($before -> $after messages with a code)"
ok "admin-reset-user-password -> RESET_REQUIRED, a code sent to the verified email"

err=$(expect_error "(PasswordResetRequiredException)" aws cognito-idp initiate-auth --endpoint-url "$E" --client-id "$CLIENT" \
  --auth-flow USER_PASSWORD_AUTH --auth-parameters USERNAME=diego@example.com,PASSWORD='Diego#Reset1')
case "$err" in
  *"when calling the InitiateAuth operation: Password reset required for the user"*) ;;
  *) fail "initiate-auth after admin reset: unexpected message: $err" ;;
esac
ok "initiate-auth after admin-reset-user-password -> PasswordResetRequiredException"

# aws cognito-idp confirm-forgot-password --client-id 3n4b5urk1ft4fl3mg5e62d9ado --username diego@example.com --password PASSWORD --confirmation-code CONF_CODE
DIEGO_CODE=$(last_code "$POOL" diego@example.com)
aws cognito-idp confirm-forgot-password --endpoint-url "$E" --client-id "$CLIENT" \
  --username diego@example.com --password 'Diego#Reset2' --confirmation-code "$DIEGO_CODE"
ok "confirm-forgot-password --username diego@example.com with the admin-reset code"

out=$(aws cognito-idp initiate-auth --endpoint-url "$E" --client-id "$CLIENT" --auth-flow USER_PASSWORD_AUTH \
  --auth-parameters USERNAME=diego@example.com,PASSWORD='Diego#Reset2')
json_get "$out" AuthenticationResult.IdToken >/dev/null || fail "initiate-auth after confirm: no tokens in $out"
ok "initiate-auth after the reset -> tokens"

# ---------------------------------------------------------------- AdminSetUserPassword
# Temporary: FORCE_CHANGE_PASSWORD, and sign-in answers NEW_PASSWORD_REQUIRED.

aws cognito-idp admin-set-user-password --endpoint-url "$E" --user-pool-id "$POOL" \
  --username diego@example.com --password 'Temp@1234' --no-permanent
status=$(aws cognito-idp admin-get-user --endpoint-url "$E" --user-pool-id "$POOL" --username diego@example.com \
  --query UserStatus --output text)
[ "$status" = FORCE_CHANGE_PASSWORD ] || fail "admin-set-user-password (temporary): status want FORCE_CHANGE_PASSWORD, got $status"
ok "admin-set-user-password (temporary) -> FORCE_CHANGE_PASSWORD"

out=$(aws cognito-idp initiate-auth --endpoint-url "$E" --client-id "$CLIENT" --auth-flow USER_PASSWORD_AUTH \
  --auth-parameters USERNAME=diego@example.com,PASSWORD='Temp@1234')
expect_json "$out" ChallengeName NEW_PASSWORD_REQUIRED
json_get "$out" Session >/dev/null || fail "NEW_PASSWORD_REQUIRED without a Session: $out"
ok "initiate-auth with the temporary password -> ChallengeName NEW_PASSWORD_REQUIRED"

# aws cognito-idp admin-set-user-password --user-pool-id us-west-2_aaaaaaaaa --username diego@example.com --password Hello@123 --permanent
aws cognito-idp admin-set-user-password --endpoint-url "$E" --user-pool-id "$POOL" \
  --username diego@example.com --password Hello@123 --permanent
status=$(aws cognito-idp admin-get-user --endpoint-url "$E" --user-pool-id "$POOL" --username diego@example.com \
  --query UserStatus --output text)
[ "$status" = CONFIRMED ] || fail "admin-set-user-password --permanent: status want CONFIRMED, got $status"
ok "admin-set-user-password --password Hello@123 --permanent -> CONFIRMED"

out=$(aws cognito-idp initiate-auth --endpoint-url "$E" --client-id "$CLIENT" --auth-flow USER_PASSWORD_AUTH \
  --auth-parameters USERNAME=diego@example.com,PASSWORD=Hello@123)
json_get "$out" AuthenticationResult.AccessToken >/dev/null || fail "initiate-auth with Hello@123: no tokens in $out"
ok "initiate-auth with Hello@123 -> tokens"

# ---------------------------------------------------------------- --secret-hash
# "You must pass --secret-hash in the CLI command if ... the app client is
# configured with a secret."

expect_error "(NotAuthorizedException) when calling the ForgotPassword operation: Client $SCLIENT is configured for secret but secret was not received" \
  aws cognito-idp forgot-password --endpoint-url "$E" --client-id "$SCLIENT" --username jane@example.com >/dev/null
ok "forgot-password on the secret client without --secret-hash -> NotAuthorizedException"

HASH=$(secret_hash jane@example.com "$SCLIENT" "$SECRET")
out=$(aws cognito-idp forgot-password --endpoint-url "$E" --client-id "$SCLIENT" --username jane@example.com --secret-hash "$HASH")
expect_json "$out" CodeDeliveryDetails.Destination 'j***@e***.com'
JANE_CODE=$(last_code "$POOL" jane@example.com)
ok "forgot-password --secret-hash on the secret client -> j***@e***.com"

aws cognito-idp confirm-forgot-password --endpoint-url "$E" --client-id "$SCLIENT" --secret-hash "$HASH" \
  --username jane@example.com --password 'Jane#Secret1' --confirmation-code "$JANE_CODE"
ok "confirm-forgot-password --secret-hash on the secret client"

out=$(aws cognito-idp initiate-auth --endpoint-url "$E" --client-id "$SCLIENT" --auth-flow USER_PASSWORD_AUTH \
  --auth-parameters "{\"USERNAME\":\"jane@example.com\",\"PASSWORD\":\"Jane#Secret1\",\"SECRET_HASH\":\"$HASH\"}")
json_get "$out" AuthenticationResult.AccessToken >/dev/null || fail "initiate-auth on the secret client: no tokens in $out"
ok "initiate-auth on the secret client with the new password -> tokens"

echo "seed 001: all $step steps passed"
