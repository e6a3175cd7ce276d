// Drives a running userpool server with amazon-cognito-identity-js, the
// browser SDK, exactly as an app would, and checks the tokens it gets with
// jose, a JWT library independent of both the SDK and the server. Run by
// jsinterop_test.go:
//
//   NODE_PATH=<node_modules> node interop.js '<config JSON>'
//
// The config names the server URL, pool, app clients and users. The script
// prints one JSON object on stdout: for each step, whether it succeeded, the
// SDK error (code, name, message) when it failed, and what it observed (the
// claims jose verified, attributes, challenge parameters). The Go test judges
// the results; this script only records them, so one failing step does not
// hide the others.

'use strict';

const {
  AuthenticationDetails,
  CognitoAccessToken,
  CognitoIdToken,
  CognitoRefreshToken,
  CognitoUser,
  CognitoUserPool,
  CognitoUserSession,
} = require('amazon-cognito-identity-js');
const { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } = require('jose');

const cfg = JSON.parse(process.argv[2] || process.env.INTEROP_CONFIG || '{}');
const STEP_TIMEOUT_MS = 30000;

const issuer = `${cfg.url}/${cfg.poolId}`;
const jwksURL = new URL(`${issuer}/.well-known/jwks.json`);
const jwks = createRemoteJWKSet(jwksURL);

function pool(clientId) {
  return new CognitoUserPool({ UserPoolId: cfg.poolId, ClientId: clientId, endpoint: cfg.url });
}

function user(clientId, username) {
  return new CognitoUser({ Username: username, Pool: pool(clientId) });
}

function errorOf(err) {
  if (!err) return null;
  return { code: err.code || null, name: err.name || null, message: err.message || String(err) };
}

function withTimeout(what, promise) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(Object.assign(new Error(`${what}: no callback within ${STEP_TIMEOUT_MS} ms`), { code: 'Timeout' })), STEP_TIMEOUT_MS);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

// authenticate runs CognitoUser.authenticateUser (USER_SRP_AUTH, the SDK's
// default flow) and settles with what the SDK called back: onSuccess,
// onFailure or newPasswordRequired.
function authenticate(cognitoUser, username, password) {
  const details = new AuthenticationDetails({ Username: username, Password: password });
  return withTimeout('authenticateUser', new Promise((resolve) => {
    cognitoUser.authenticateUser(details, {
      onSuccess: (session) => resolve({ callback: 'onSuccess', session }),
      onFailure: (err) => resolve({ callback: 'onFailure', err }),
      newPasswordRequired: (userAttributes, requiredAttributes) =>
        resolve({ callback: 'newPasswordRequired', userAttributes, requiredAttributes }),
      mfaRequired: (name, params) => resolve({ callback: 'mfaRequired', challenge: name, params }),
      totpRequired: (name, params) => resolve({ callback: 'totpRequired', challenge: name, params }),
      customChallenge: (params) => resolve({ callback: 'customChallenge', params }),
      mfaSetup: (name, params) => resolve({ callback: 'mfaSetup', challenge: name, params }),
      selectMFAType: (name, params) => resolve({ callback: 'selectMFAType', challenge: name, params }),
    });
  }));
}

function completeNewPassword(cognitoUser, newPassword, attributes) {
  return withTimeout('completeNewPasswordChallenge', new Promise((resolve) => {
    cognitoUser.completeNewPasswordChallenge(newPassword, attributes, {
      onSuccess: (session) => resolve({ callback: 'onSuccess', session }),
      onFailure: (err) => resolve({ callback: 'onFailure', err }),
      mfaRequired: (name, params) => resolve({ callback: 'mfaRequired', challenge: name, params }),
      customChallenge: (params) => resolve({ callback: 'customChallenge', params }),
    });
  }));
}

function nodeCallback(what, fn) {
  return withTimeout(what, new Promise((resolve) => fn((err, data) => resolve({ err, data }))));
}

function getUserAttributes(cognitoUser) {
  return nodeCallback('getUserAttributes', (cb) => cognitoUser.getUserAttributes(cb));
}

function refreshSession(cognitoUser, refreshToken) {
  return nodeCallback('refreshSession', (cb) => cognitoUser.refreshSession(refreshToken, cb));
}

function globalSignOut(cognitoUser) {
  return withTimeout('globalSignOut', new Promise((resolve) => {
    cognitoUser.globalSignOut({
      onSuccess: (msg) => resolve({ msg }),
      onFailure: (err) => resolve({ err }),
    });
  }));
}

function attributeMap(list) {
  const out = {};
  for (const a of list || []) out[a.getName()] = a.getValue();
  return out;
}

// verifyToken checks a token against the pool's JWKS with jose: RS256
// signature by a key the JWKS lists, iss, exp (and iat), and for an ID token
// aud; token_use and (access token) client_id are checked here by hand.
// It throws on any failure.
async function verifyToken(jwt, use, clientId) {
  const options = { issuer, algorithms: ['RS256'], requiredClaims: ['exp', 'iat', 'sub', 'token_use'] };
  if (use === 'id') options.audience = clientId;
  const { payload, protectedHeader } = await jwtVerify(jwt, jwks, options);
  if (payload.token_use !== use) throw new Error(`token_use is ${JSON.stringify(payload.token_use)}, want ${use}`);
  if (use === 'access' && payload.client_id !== clientId) {
    throw new Error(`client_id is ${JSON.stringify(payload.client_id)}, want ${clientId}`);
  }
  return { header: protectedHeader, claims: payload };
}

// verifySession verifies a CognitoUserSession's ID and access tokens and
// records the verified claims (or the verification error) for each.
async function verifySession(session, clientId) {
  const out = { sdkIsValid: session.isValid() };
  for (const [use, jwt] of [['id', session.getIdToken().getJwtToken()], ['access', session.getAccessToken().getJwtToken()]]) {
    try {
      out[use] = await verifyToken(jwt, use, clientId);
    } catch (err) {
      out[use] = { error: { code: err.code || null, message: err.message } };
    }
  }
  out.hasRefreshToken = !!session.getRefreshToken().getToken();
  return out;
}

function sessionTokens(session) {
  return {
    id: session.getIdToken().getJwtToken(),
    access: session.getAccessToken().getJwtToken(),
    refresh: session.getRefreshToken().getToken(),
  };
}

const results = {};

async function step(name, fn) {
  const start = Date.now();
  try {
    results[name] = await fn();
  } catch (err) {
    results[name] = { ok: false, error: errorOf(err), thrown: true };
  }
  results[name].ms = Date.now() - start;
}

// outcome turns an SDK callback result into a step result.
function outcome(r, extra) {
  const res = { ok: !r.err && r.callback !== 'onFailure', callback: r.callback || null, error: errorOf(r.err) };
  return Object.assign(res, extra || {});
}

async function main() {
  const c = cfg.client; // PreventUserExistenceErrors LEGACY
  const alice = cfg.confirmed;
  const bob = cfg.invited;

  let aliceSession = null;
  let aliceUser = null;

  await step('wrongPassword', async () => {
    const r = await authenticate(user(c, alice.username), alice.username, alice.password + 'x');
    return outcome(r);
  });

  await step('unknownUserLegacy', async () => {
    const r = await authenticate(user(c, 'nobody-here'), 'nobody-here', 'Whatever1!');
    return outcome(r);
  });

  await step('unknownUserEnabled', async () => {
    const r = await authenticate(user(cfg.enabledClient, 'nobody-here'), 'nobody-here', 'Whatever1!');
    return outcome(r);
  });

  // NEW_PASSWORD_REQUIRED: the invited user signs in with the temporary
  // password, and the app answers as the SDK's docs show.
  let bobUser = null;
  let bobChallenge = null;
  await step('newPasswordRequired', async () => {
    bobUser = user(c, bob.username);
    const r = await authenticate(bobUser, bob.username, bob.tempPassword);
    bobChallenge = r;
    return outcome(r, { userAttributes: r.userAttributes || null, requiredAttributes: r.requiredAttributes || null });
  });

  await step('completeNewPassword', async () => {
    if (!bobChallenge || bobChallenge.callback !== 'newPasswordRequired') {
      return { ok: false, error: { code: 'Skipped', message: 'no newPasswordRequired callback' } };
    }
    const attrs = Object.assign({}, bobChallenge.userAttributes);
    // Not writable: the SDK's README says to delete them before answering.
    delete attrs.email_verified;
    delete attrs.email;
    delete attrs.phone_number_verified;
    attrs.name = bob.name;
    const r = await completeNewPassword(bobUser, bob.newPassword, attrs);
    const extra = { sent: attrs };
    if (r.callback === 'onSuccess') extra.verified = await verifySession(r.session, c);
    return outcome(r, extra);
  });

  await step('newPasswordAttributes', async () => {
    const r = await getUserAttributes(bobUser);
    return outcome(r, { attributes: r.err ? null : attributeMap(r.data) });
  });

  await step('newPasswordSignIn', async () => {
    const r = await authenticate(user(c, bob.username), bob.username, bob.newPassword);
    const extra = {};
    if (r.callback === 'onSuccess') extra.verified = await verifySession(r.session, c);
    return outcome(r, extra);
  });

  await step('tempPasswordAfterChange', async () => {
    const r = await authenticate(user(c, bob.username), bob.username, bob.tempPassword);
    return outcome(r);
  });

  // The confirmed user: SRP sign-in, tokens, attributes, refresh, sign-out.
  await step('signIn', async () => {
    aliceUser = user(c, alice.username);
    const r = await authenticate(aliceUser, alice.username, alice.password);
    const extra = {};
    if (r.callback === 'onSuccess') {
      aliceSession = r.session;
      extra.verified = await verifySession(r.session, c);
    }
    return outcome(r, extra);
  });

  // jose must reject what is not right, or its acceptances prove nothing:
  // tampered, misaddressed and mistyped variants of the server's tokens.
  await step('verifierRejects', async () => {
    if (!aliceSession) return { ok: false, error: { code: 'Skipped', message: 'no session' } };
    const t = sessionTokens(aliceSession);
    const attempts = {};
    const tryVerify = async (name, fn) => {
      try {
        await fn();
        attempts[name] = null; // accepted: wrong
      } catch (err) {
        attempts[name] = err.code || err.message;
      }
    };
    const [h, p, s] = t.id.split('.');
    const sig = Buffer.from(s, 'base64url');
    sig[sig.length - 1] ^= 1;
    await tryVerify('badSignature', () => verifyToken(`${h}.${p}.${sig.toString('base64url')}`, 'id', c));
    const claims = JSON.parse(Buffer.from(p, 'base64url').toString());
    claims.email = 'mallory@example.com';
    await tryVerify('alteredPayload', () => verifyToken(`${h}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${s}`, 'id', c));
    await tryVerify('wrongAudience', () => verifyToken(t.id, 'id', 'some-other-client'));
    await tryVerify('accessAsId', () => verifyToken(t.access, 'id', c));
    await tryVerify('wrongIssuer', () => jwtVerify(t.id, jwks, { issuer: `${cfg.url}/us-east-1_Other`, algorithms: ['RS256'] }));
    return { ok: true, kid: decodeProtectedHeader(t.id).kid, attempts };
  });

  await step('getUserAttributes', async () => {
    const r = await getUserAttributes(aliceUser);
    return outcome(r, { attributes: r.err ? null : attributeMap(r.data) });
  });

  let oldTokens = aliceSession ? sessionTokens(aliceSession) : null;
  await step('refreshSession', async () => {
    if (!aliceSession) return { ok: false, error: { code: 'Skipped', message: 'no session' } };
    const r = await refreshSession(aliceUser, aliceSession.getRefreshToken());
    const extra = {};
    if (!r.err) {
      const t = sessionTokens(r.data);
      extra.verified = await verifySession(r.data, c);
      extra.newAccessToken = t.access !== oldTokens.access;
      extra.newIdToken = t.id !== oldTokens.id;
      extra.sameRefreshToken = t.refresh === oldTokens.refresh;
    }
    return outcome(r, extra);
  });

  await step('getUserAttributesAfterRefresh', async () => {
    const r = await getUserAttributes(aliceUser);
    return outcome(r, { attributes: r.err ? null : attributeMap(r.data) });
  });

  await step('globalSignOut', async () => {
    const r = await globalSignOut(aliceUser);
    return outcome(r, { message: r.msg || null });
  });

  // After the sign-out, an app still holding the old tokens (set back on a
  // fresh CognitoUser, since the SDK cleared its own) is refused.
  await step('getUserAttributesAfterSignOut', async () => {
    if (!oldTokens) return { ok: false, error: { code: 'Skipped', message: 'no session' } };
    const u = user(c, alice.username);
    u.setSignInUserSession(new CognitoUserSession({
      IdToken: new CognitoIdToken({ IdToken: oldTokens.id }),
      AccessToken: new CognitoAccessToken({ AccessToken: oldTokens.access }),
      RefreshToken: new CognitoRefreshToken({ RefreshToken: oldTokens.refresh }),
    }));
    const r = await getUserAttributes(u);
    return outcome(r);
  });

  // refreshSession goes through the SDK's requestWithRetry, which retries
  // every error (NotAuthorizedException included) with backoff up to 5 s:
  // this step takes some 6 s by the SDK's design.
  await step('refreshAfterSignOut', async () => {
    if (!oldTokens) return { ok: false, error: { code: 'Skipped', message: 'no session' } };
    const r = await refreshSession(user(c, alice.username), new CognitoRefreshToken({ RefreshToken: oldTokens.refresh }));
    return outcome(r);
  });

  await step('signInAgainAfterSignOut', async () => {
    const r = await authenticate(user(c, alice.username), alice.username, alice.password);
    const extra = {};
    if (r.callback === 'onSuccess') extra.verified = await verifySession(r.session, c);
    return outcome(r, extra);
  });
}

main().then(
  () => {
    process.stdout.write(JSON.stringify({ issuer, steps: results }) + '\n');
  },
  (err) => {
    process.stderr.write(`interop.js: ${err && err.stack ? err.stack : err}\n`);
    process.exit(1);
  },
);
