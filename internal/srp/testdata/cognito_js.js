// Cross-check helper for srp's Go tests: computes Cognito SRP client values
// with the real amazon-cognito-identity-js SDK (resolved through NODE_PATH).
// Reads one JSON request on stdin and writes one JSON answer on stdout.
//
//   {"mode":"helper", poolName, userId, password, saltHex, bHex, secretBlock, timestamp, aHex?}
//     AuthenticationHelper.getPasswordAuthenticationKey with an optional fixed
//     secret a, then the claim HMAC over the fixed timestamp.
//   {"mode":"flow", poolId, clientId, username, userIdForSrp, password, saltHex, bHex, secretBlock}
//     CognitoUser.authenticateUser against a stubbed transport; returns the
//     SRP_A it sent and the PASSWORD_VERIFIER responses it built.
//   {"mode":"dates", unixMillis:[...]}
//     DateHelper.getNowString() at each given instant.
'use strict';

const crypto = require('crypto');
const sdk = require('amazon-cognito-identity-js');
const BigInteger = require('amazon-cognito-identity-js/lib/BigInteger').default;

function readStdin() {
	return new Promise((resolve, reject) => {
		let data = '';
		process.stdin.setEncoding('utf8');
		process.stdin.on('data', c => (data += c));
		process.stdin.on('end', () => resolve(JSON.parse(data)));
		process.stdin.on('error', reject);
	});
}

function helperMode(req) {
	return new Promise((resolve, reject) => {
		const helper = new sdk.AuthenticationHelper(req.poolName);
		if (req.aHex) {
			helper.smallAValue = new BigInteger(req.aHex, 16);
			helper.largeAValue = undefined;
			helper.getLargeAValue(err => err && reject(err));
		}
		helper.getPasswordAuthenticationKey(
			req.userId,
			req.password,
			new BigInteger(req.bHex, 16),
			new BigInteger(req.saltHex, 16),
			(err, hkdf) => {
				if (err) return reject(err);
				const mac = crypto.createHmac('sha256', Buffer.from(hkdf));
				mac.update(Buffer.from(req.poolName, 'utf8'));
				mac.update(Buffer.from(req.userId, 'utf8'));
				mac.update(Buffer.from(req.secretBlock, 'base64'));
				mac.update(Buffer.from(req.timestamp, 'utf8'));
				resolve({
					A: helper.largeAValue.toString(16),
					u: helper.UValue.toString(16),
					key: Buffer.from(hkdf).toString('hex'),
					signature: mac.digest('base64'),
				});
			}
		);
	});
}

function flowMode(req) {
	return new Promise((resolve, reject) => {
		const pool = new sdk.CognitoUserPool({ UserPoolId: req.poolId, ClientId: req.clientId });
		let srpA;
		pool.client.request = (operation, params, callback) => {
			if (operation === 'InitiateAuth') {
				srpA = params.AuthParameters.SRP_A;
				callback(null, {
					ChallengeName: 'PASSWORD_VERIFIER',
					ChallengeParameters: {
						SALT: req.saltHex,
						SRP_B: req.bHex,
						SECRET_BLOCK: req.secretBlock,
						USER_ID_FOR_SRP: req.userIdForSrp,
						USERNAME: req.userIdForSrp,
					},
				});
			} else if (operation === 'RespondToAuthChallenge') {
				resolve({ SRP_A: srpA, ChallengeName: params.ChallengeName, responses: params.ChallengeResponses });
				callback(new Error('stop: captured'), null);
			} else {
				reject(new Error('unexpected operation ' + operation));
			}
		};
		const user = new sdk.CognitoUser({ Username: req.username, Pool: pool });
		user.authenticateUser(new sdk.AuthenticationDetails({ Username: req.username, Password: req.password }), {
			onSuccess: () => reject(new Error('unexpected success')),
			onFailure: err => {
				if (!String(err && err.message).startsWith('stop:')) reject(err);
			},
		});
	});
}

function datesMode(req) {
	const RealDate = Date;
	const out = [];
	try {
		for (const ms of req.unixMillis) {
			global.Date = class extends RealDate {
				constructor(...args) {
					if (args.length === 0) super(ms);
					else super(...args);
				}
			};
			out.push(new sdk.DateHelper().getNowString());
		}
	} finally {
		global.Date = RealDate;
	}
	return Promise.resolve({ timestamps: out });
}

const modes = { helper: helperMode, flow: flowMode, dates: datesMode };

readStdin()
	.then(req => {
		const fn = modes[req.mode];
		if (!fn) throw new Error('unknown mode ' + req.mode);
		return fn(req);
	})
	.then(res => process.stdout.write(JSON.stringify(res) + '\n'))
	.catch(err => {
		process.stderr.write(String((err && err.stack) || err) + '\n');
		process.exit(1);
	});
