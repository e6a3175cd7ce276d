#!/usr/bin/env python3
"""Seeds 002 and 003 (boto3's forgot_password and admin_set_user_password
documentation) run with boto3 against userpool: every documented parameter,
the response shapes, the resulting user statuses and the exceptions that can
arise, each checked by name and message.

    USERPOOL_ENDPOINT=http://127.0.0.1:9229 scripts/seeds/seed002_003_boto3.py

Prints one line per step ("ok N" / "not ok N"); a mismatch in a step that
later ones do not depend on is reported and the script goes on; it exits 1
if any step failed.
"""

import base64
import contextlib
import hashlib
import hmac
import json
import os
import sys
import traceback
import urllib.parse
import urllib.request

import boto3
import botocore.exceptions

ENDPOINT = os.environ.get("USERPOOL_ENDPOINT")
if not ENDPOINT:
    sys.exit("set USERPOOL_ENDPOINT to the userpool server URL, e.g. http://127.0.0.1:9229")

# Keep the caller's AWS configuration (profiles, retry mode) out of it.
for var in ("AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_RETRY_MODE", "AWS_MAX_ATTEMPTS"):
    os.environ.pop(var, None)
os.environ["AWS_CONFIG_FILE"] = os.devnull
os.environ["AWS_SHARED_CREDENTIALS_FILE"] = os.devnull

client = boto3.client(
    "cognito-idp",
    endpoint_url=ENDPOINT,
    region_name="us-east-1",
    aws_access_key_id="local",
    aws_secret_access_key="local",
)

_step = 0


def ok(msg):
    global _step
    _step += 1
    print("ok %d - %s" % (_step, msg), flush=True)


class Mismatch(Exception):
    pass


_failures = []


@contextlib.contextmanager
def soft(what):
    """Runs a step that later steps do not depend on: a mismatch is
    reported as "not ok" and the script goes on (it still exits 1)."""
    global _step
    try:
        yield
    except (Mismatch, botocore.exceptions.ClientError) as e:
        _step += 1
        _failures.append("%s: %s" % (what, e))
        print("not ok %d - %s: %s" % (_step, what, e), flush=True)


def check(cond, msg):
    if not cond:
        raise Mismatch(msg)


def expect_error(exc_class, message, fn, **kwargs):
    """Calls fn(**kwargs), which must raise exc_class (one of
    client.exceptions.*) with exactly this message (None: any message).
    Returns the error."""
    try:
        out = fn(**kwargs)
    except exc_class as e:
        got = e.response["Error"].get("Message")
        if message is not None:
            check(got == message, "%s: want message %r, got %r" % (exc_class.__name__, message, got))
        return e
    except client.exceptions.ClientError as e:
        raise Mismatch(
            "want %s(%r), got %s(%r)"
            % (exc_class.__name__, message, e.response["Error"].get("Code"), e.response["Error"].get("Message"))
        )
    out.pop("ResponseMetadata", None)
    raise Mismatch("want %s(%r), the call succeeded: %r" % (exc_class.__name__, message, out))


def secret_hash(username, client_id, secret):
    """Base64(HMAC_SHA256(key=client secret, msg=username + client id)), as
    the Cognito developer guide computes SECRET_HASH."""
    mac = hmac.new(secret.encode(), (username + client_id).encode(), hashlib.sha256)
    return base64.b64encode(mac.digest()).decode()


def outbox(pool_id, username):
    q = urllib.parse.urlencode({"userPoolId": pool_id, "username": username})
    with urllib.request.urlopen(ENDPOINT.rstrip("/") + "/_userpool/outbox?" + q, timeout=10) as r:
        return json.load(r)["Messages"]


def last_code(pool_id, username):
    codes = [m["Code"] for m in outbox(pool_id, username) if m.get("Code")]
    check(codes, "no code in the outbox for %s in %s" % (username, pool_id))
    return codes[-1]


def code_count(pool_id, username):
    return sum(1 for m in outbox(pool_id, username) if m.get("Code"))


def body(resp):
    resp = dict(resp)
    resp.pop("ResponseMetadata", None)
    return resp


def status(pool_id, username):
    return client.admin_get_user(UserPoolId=pool_id, Username=username)["UserStatus"]


def sign_in(client_id, username, password, **extra):
    params = {"USERNAME": username, "PASSWORD": password}
    params.update(extra)
    return client.initiate_auth(ClientId=client_id, AuthFlow="USER_PASSWORD_AUTH", AuthParameters=params)


def new_user(pool_id, username, email=None, verified=True, password="Initial#Pass1", permanent=True):
    attrs = []
    if email:
        attrs = [
            {"Name": "email", "Value": email},
            {"Name": "email_verified", "Value": "true" if verified else "false"},
        ]
    client.admin_create_user(
        UserPoolId=pool_id,
        Username=username,
        UserAttributes=attrs,
        TemporaryPassword=password,
        MessageAction="SUPPRESS",
    )
    if permanent:
        client.admin_set_user_password(UserPoolId=pool_id, Username=username, Password=password, Permanent=True)


AUTH_FLOWS = ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]


def setup():
    pool = client.create_user_pool(PoolName="seed002-003", AutoVerifiedAttributes=["email"])["UserPool"]["Id"]
    public = client.create_user_pool_client(UserPoolId=pool, ClientName="web", ExplicitAuthFlows=AUTH_FLOWS)[
        "UserPoolClient"
    ]["ClientId"]
    sc = client.create_user_pool_client(
        UserPoolId=pool, ClientName="server", GenerateSecret=True, ExplicitAuthFlows=AUTH_FLOWS
    )["UserPoolClient"]
    check(sc.get("ClientSecret"), "create_user_pool_client(GenerateSecret=True): no ClientSecret")
    ok("set-up: pool %s, public client %s, secret client %s" % (pool, public, sc["ClientId"]))
    return pool, public, sc["ClientId"], sc["ClientSecret"]


# ---------------------------------------------------------------- seed 002

CONTEXT = {"IpAddress": "203.0.113.7", "EncodedData": "eyJkZXZpY2UiOiJzZWVkMDAyIn0="}
NO_CONTACT = "Cannot reset password for the user as there is no registered/verified email or phone_number"


def seed002(pool, public, secret_client, secret):
    ex = client.exceptions
    new_user(pool, "alice", "alice@example.com")
    h = secret_hash("alice", secret_client, secret)

    with soft("forgot_password with every parameter, then confirm_forgot_password"):
        resp = client.forgot_password(
            ClientId=secret_client,
            SecretHash=h,
            UserContextData=CONTEXT,
            Username="alice",
            AnalyticsMetadata={"AnalyticsEndpointId": "seed002-endpoint"},
            ClientMetadata={"source": "seed002", "locale": "en"},
        )
        want = {
            "CodeDeliveryDetails": {"Destination": "a***@e***.com", "DeliveryMedium": "EMAIL", "AttributeName": "email"}
        }
        check(body(resp) == want, "forgot_password: want %r, got %r" % (want, body(resp)))
        ok("forgot_password with every parameter -> %r" % body(resp))

        code = last_code(pool, "alice")
        check(len(code) == 6 and code.isdigit(), "outbox: code %r is not 6 digits" % code)
        ok("outbox (GET /_userpool/outbox) has the 6-digit code")

        wrong = "000000" if code != "000000" else "111111"
        expect_error(
            ex.CodeMismatchException,
            "Invalid verification code provided, please try again.",
            client.confirm_forgot_password,
            ClientId=secret_client,
            SecretHash=h,
            Username="alice",
            ConfirmationCode=wrong,
            Password="Alice#New1",
        )
        ok("confirm_forgot_password with a wrong code -> CodeMismatchException")

        resp = client.confirm_forgot_password(
            ClientId=secret_client,
            SecretHash=h,
            Username="alice",
            ConfirmationCode=code,
            Password="Alice#New1",
            UserContextData=CONTEXT,
            AnalyticsMetadata={"AnalyticsEndpointId": "seed002-endpoint"},
            ClientMetadata={"source": "seed002"},
        )
        check(body(resp) == {}, "confirm_forgot_password: want {}, got %r" % body(resp))
        check(status(pool, "alice") == "CONFIRMED", "after confirm_forgot_password: %r" % status(pool, "alice"))
        auth = sign_in(secret_client, "alice", "Alice#New1", SECRET_HASH=h)
        check("AccessToken" in auth.get("AuthenticationResult", {}), "sign-in with the new password: %r" % body(auth))
        ok("confirm_forgot_password with the outbox code -> {}, CONFIRMED, sign-in with the new password")

        expect_error(
            ex.ExpiredCodeException,
            "Invalid code provided, please request a code again.",
            client.confirm_forgot_password,
            ClientId=secret_client,
            SecretHash=h,
            Username="alice",
            ConfirmationCode=code,
            Password="Alice#New2",
        )
        ok("confirm_forgot_password with the used code again -> ExpiredCodeException")

    # The exceptions of forgot_password.
    with soft("forgot_password for an unknown user"):
        expect_error(
            ex.UserNotFoundException,
            "Username/client id combination not found.",
            client.forgot_password,
            ClientId=public,
            Username="nobody",
        )
        ok("forgot_password for an unknown user -> UserNotFoundException")

    with soft("forgot_password without a verified contact"):
        new_user(pool, "bob", "bob@example.com", verified=False)
        expect_error(ex.InvalidParameterException, NO_CONTACT, client.forgot_password, ClientId=public, Username="bob")
        new_user(pool, "bea")  # no email at all
        expect_error(ex.InvalidParameterException, NO_CONTACT, client.forgot_password, ClientId=public, Username="bea")
        ok("forgot_password with an unverified email / no email -> InvalidParameterException")

    with soft("forgot_password on a client with a secret, without SecretHash"):
        expect_error(
            ex.NotAuthorizedException,
            "Client %s is configured for secret but secret was not received" % secret_client,
            client.forgot_password,
            ClientId=secret_client,
            Username="alice",
        )
        ok("forgot_password on a client with a secret, without SecretHash -> NotAuthorizedException")

    with soft("forgot_password with a wrong SecretHash"):
        expect_error(
            ex.NotAuthorizedException,
            "Unable to verify secret hash for client %s" % secret_client,
            client.forgot_password,
            ClientId=secret_client,
            SecretHash=secret_hash("alice", secret_client, "not-the-secret"),
            Username="alice",
        )
        ok("forgot_password with a wrong SecretHash -> NotAuthorizedException")

    with soft("forgot_password for a FORCE_CHANGE_PASSWORD user"):
        new_user(pool, "carol", "carol@example.com", password="Temp#Pass1", permanent=False)
        check(status(pool, "carol") == "FORCE_CHANGE_PASSWORD", "carol: status %r" % status(pool, "carol"))
        expect_error(
            ex.NotAuthorizedException,
            "User password cannot be reset in the current state.",
            client.forgot_password,
            ClientId=public,
            Username="carol",
        )
        ok("forgot_password for a FORCE_CHANGE_PASSWORD user -> NotAuthorizedException")

    with soft("forgot_password for a disabled user"):
        new_user(pool, "dave", "dave@example.com")
        client.admin_disable_user(UserPoolId=pool, Username="dave")
        expect_error(
            ex.NotAuthorizedException, "User is disabled.", client.forgot_password, ClientId=public, Username="dave"
        )
        ok("forgot_password for a disabled user -> NotAuthorizedException")

    with soft("forgot_password past the hourly limit"):
        new_user(pool, "erin", "erin@example.com")
        for i in range(10):
            resp = client.forgot_password(ClientId=public, Username="erin")
            check(
                resp["CodeDeliveryDetails"]["Destination"] == "e***@e***.com",
                "forgot_password #%d for erin: %r" % (i + 1, body(resp)),
            )
        check(code_count(pool, "erin") == 10, "erin: want 10 codes in the outbox, got %d" % code_count(pool, "erin"))
        expect_error(
            ex.LimitExceededException,
            "Attempt limit exceeded, please try after some time.",
            client.forgot_password,
            ClientId=public,
            Username="erin",
        )
        check(code_count(pool, "erin") == 10, "erin: a refused request sent a code")
        ok("forgot_password 10 times succeeds, the 11th -> LimitExceededException (no code sent)")

    with soft("forgot_password with an unknown client id"):
        expect_error(
            ex.ResourceNotFoundException,
            "User pool client unknownclient0000000000000 does not exist.",
            client.forgot_password,
            ClientId="unknownclient0000000000000",
            Username="alice",
        )
        ok("forgot_password with an unknown client id -> ResourceNotFoundException")


# ---------------------------------------------------------------- seed 003


def seed003(pool, public):
    ex = client.exceptions

    with soft("admin_set_user_password(Permanent=False), then NEW_PASSWORD_REQUIRED"):
        new_user(pool, "frank", "frank@example.com")
        resp = client.admin_set_user_password(UserPoolId=pool, Username="frank", Password="Temp@1234", Permanent=False)
        check(body(resp) == {}, "admin_set_user_password: want {}, got %r" % body(resp))
        check(status(pool, "frank") == "FORCE_CHANGE_PASSWORD", "frank: status %r" % status(pool, "frank"))
        ok("admin_set_user_password(Permanent=False) -> {}, UserStatus FORCE_CHANGE_PASSWORD")

        auth = sign_in(public, "frank", "Temp@1234")
        check(auth.get("ChallengeName") == "NEW_PASSWORD_REQUIRED", "initiate_auth: %r" % body(auth))
        check(auth.get("Session"), "NEW_PASSWORD_REQUIRED without a Session")
        check("AuthenticationResult" not in auth, "NEW_PASSWORD_REQUIRED with tokens: %r" % body(auth))
        ok("initiate_auth(USER_PASSWORD_AUTH) -> ChallengeName NEW_PASSWORD_REQUIRED with a Session")

        done = client.respond_to_auth_challenge(
            ClientId=public,
            ChallengeName="NEW_PASSWORD_REQUIRED",
            Session=auth["Session"],
            ChallengeResponses={"USERNAME": "frank", "NEW_PASSWORD": "Frank#Chosen1"},
        )
        res = done.get("AuthenticationResult", {})
        check(
            all(res.get(k) for k in ("AccessToken", "IdToken", "RefreshToken")),
            "respond_to_auth_challenge: %r" % body(done),
        )
        check(status(pool, "frank") == "CONFIRMED", "frank after the new password: %r" % status(pool, "frank"))
        check("AuthenticationResult" in sign_in(public, "frank", "Frank#Chosen1"), "frank: no tokens")
        ok("respond_to_auth_challenge(NEW_PASSWORD_REQUIRED, Session) -> tokens, CONFIRMED")

    with soft("admin_set_user_password(Permanent=True) from UNCONFIRMED"):
        client.sign_up(
            ClientId=public,
            Username="gina",
            Password="Gina#Signup1",
            UserAttributes=[{"Name": "email", "Value": "gina@example.com"}],
        )
        check(status(pool, "gina") == "UNCONFIRMED", "gina after sign_up: %r" % status(pool, "gina"))
        client.admin_set_user_password(UserPoolId=pool, Username="gina", Password="Gina#Admin1", Permanent=True)
        check(status(pool, "gina") == "CONFIRMED", "gina: status %r" % status(pool, "gina"))
        check("AuthenticationResult" in sign_in(public, "gina", "Gina#Admin1"), "gina: no tokens")
        ok("admin_set_user_password(Permanent=True) from UNCONFIRMED -> CONFIRMED, sign-in works")

    with soft("admin_set_user_password(Permanent=True) from RESET_REQUIRED"):
        new_user(pool, "hank", "hank@example.com")
        client.admin_reset_user_password(UserPoolId=pool, Username="hank")
        check(status(pool, "hank") == "RESET_REQUIRED", "hank after admin_reset_user_password: %r" % status(pool, "hank"))
        expect_error(
            ex.PasswordResetRequiredException,
            "Password reset required for the user",
            sign_in,
            client_id=public,
            username="hank",
            password="Initial#Pass1",
        )
        client.admin_set_user_password(UserPoolId=pool, Username="hank", Password="Hank#Admin1", Permanent=True)
        check(status(pool, "hank") == "CONFIRMED", "hank: status %r" % status(pool, "hank"))
        check("AuthenticationResult" in sign_in(public, "hank", "Hank#Admin1"), "hank: no tokens")
        ok("admin_set_user_password(Permanent=True) from RESET_REQUIRED -> CONFIRMED, sign-in works")

    # The exceptions of admin_set_user_password.
    with soft("admin_set_user_password on an unknown pool"):
        expect_error(
            ex.ResourceNotFoundException,
            "User pool us-east-1_xxx does not exist.",
            client.admin_set_user_password,
            UserPoolId="us-east-1_xxx",
            Username="frank",
            Password="Hello@123",
            Permanent=True,
        )
        ok("admin_set_user_password on an unknown pool -> ResourceNotFoundException")

    with soft("admin_set_user_password for an unknown user"):
        expect_error(
            ex.UserNotFoundException,
            "User does not exist.",
            client.admin_set_user_password,
            UserPoolId=pool,
            Username="nobody",
            Password="Hello@123",
            Permanent=True,
        )
        ok("admin_set_user_password for an unknown user -> UserNotFoundException")

    with soft("admin_set_user_password with a short password"):
        expect_error(
            ex.InvalidPasswordException,
            "Password does not conform to policy: Password not long enough",
            client.admin_set_user_password,
            UserPoolId=pool,
            Username="frank",
            Password="Ab1!",
            Permanent=True,
        )
        ok("admin_set_user_password with a short password -> InvalidPasswordException")

    with soft("admin_set_user_password with a leading space"):
        expect_error(
            ex.InvalidParameterException,
            "1 validation error detected: Value at 'password' failed to satisfy constraint: "
            "Member must satisfy regular expression pattern: ^[\\S]+.*[\\S]+$",
            client.admin_set_user_password,
            UserPoolId=pool,
            Username="frank",
            Password=" Hello@123",
            Permanent=True,
        )
        ok("admin_set_user_password with a leading space -> InvalidParameterException (validation message)")

    with soft("admin_set_user_password with an inner space"):
        # A space that is neither leading nor trailing is allowed, and
        # counts as a symbol (developer guide, password policies).
        client.admin_set_user_password(UserPoolId=pool, Username="frank", Password="Hello 123a", Permanent=True)
        check("AuthenticationResult" in sign_in(public, "frank", "Hello 123a"), "frank: no tokens")
        ok("admin_set_user_password with an inner space (as the symbol) -> accepted, sign-in works")

    with soft("admin_set_user_password reusing a password"):
        hpool = client.create_user_pool(
            PoolName="seed003-history",
            Policies={
                "PasswordPolicy": {
                    "MinimumLength": 8,
                    "RequireUppercase": True,
                    "RequireLowercase": True,
                    "RequireNumbers": True,
                    "RequireSymbols": True,
                    "PasswordHistorySize": 2,
                }
            },
        )["UserPool"]
        got = hpool.get("Policies", {}).get("PasswordPolicy", {}).get("PasswordHistorySize")
        check(got == 2, "create_user_pool: PasswordHistorySize want 2, got %r" % got)
        new_user(hpool["Id"], "ivy", password="Temp#Pass0", permanent=False)
        client.admin_set_user_password(UserPoolId=hpool["Id"], Username="ivy", Password="First#Pass1", Permanent=True)
        client.admin_set_user_password(UserPoolId=hpool["Id"], Username="ivy", Password="Second#Pass2", Permanent=True)
        e = expect_error(
            ex.PasswordHistoryPolicyViolationException,
            None,  # AWS's text is not known (aws-behaviour.md)
            client.admin_set_user_password,
            UserPoolId=hpool["Id"],
            Username="ivy",
            Password="First#Pass1",
            Permanent=True,
        )
        ok(
            "admin_set_user_password reusing a password (PasswordHistorySize=2) -> "
            "PasswordHistoryPolicyViolationException (%r)" % e.response["Error"]["Message"]
        )


def main():
    try:
        pool, public, secret_client, secret = setup()
        seed002(pool, public, secret_client, secret)
        seed003(pool, public)
    except Mismatch as e:
        print("FAIL: %s" % e, file=sys.stderr)
        return 1
    except Exception:
        print("FAIL: unexpected error", file=sys.stderr)
        traceback.print_exc()
        return 1
    if _failures:
        print("FAIL: %d of %d steps failed:" % (len(_failures), _step), file=sys.stderr)
        for f in _failures:
            print("  - " + f, file=sys.stderr)
        return 1
    print("seeds 002 and 003: all %d steps passed" % _step)
    return 0


if __name__ == "__main__":
    sys.exit(main())
