// A FAPI 2.0 client written only with oauth4webapi's stock calls: private_key_jwt, DPoP, PAR, PKCE S256.
// The end-to-end test starts it with the server's issuer, the client id, the client's private JWK and its redirect URI;
// it prints one "AUTHORIZE <url>" line, reads the URL the browser landed on from stdin, and prints one "RESULT <json>".
// The library's own vendored copy (vendor/) is used, so the test needs no network.
import * as oauth from 'oauth4webapi';
import { createInterface } from 'node:readline';

const insecure = { [oauth.allowInsecureRequests]: true }; // loopback HTTP in the test; the library refuses it otherwise
const issuer = new URL(process.env.ISSUER);
const redirectUri = process.env.REDIRECT_URI;
const client = { client_id: process.env.CLIENT_ID };
const jwk = JSON.parse(process.env.CLIENT_JWK);
const alg = process.env.CLIENT_ALG ?? 'ES256';
const privateKey = await crypto.subtle.importKey('jwk', jwk, alg === 'ES256' ? { name: 'ECDSA', namedCurve: 'P-256' } : { name: 'RSA-PSS', hash: 'SHA-256' }, false, ['sign']);
const clientAuth = oauth.PrivateKeyJwt({ key: privateKey, kid: jwk.kid });
const DPoP = oauth.DPoP(client, await oauth.generateKeyPair('ES256'));

// RFC 9449 §8: a server may answer use_dpop_nonce once; the library remembers the nonce, the call is simply repeated.
async function withNonceRetry(call) {
  try {
    return await call();
  } catch (err) {
    if (oauth.isDPoPNonceError(err)) return await call();
    throw err;
  }
}

const as = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, insecure));
const codeVerifier = oauth.generateRandomCodeVerifier();
const state = oauth.generateRandomState();
const nonce = oauth.generateRandomNonce();
const parameters = new URLSearchParams({
  redirect_uri: redirectUri,
  scope: 'openid profile email',
  response_type: 'code',
  code_challenge: await oauth.calculatePKCECodeChallenge(codeVerifier),
  code_challenge_method: 'S256',
  state,
  nonce,
});
const pushed = await withNonceRetry(async () => oauth.processPushedAuthorizationResponse(as, client,
  await oauth.pushedAuthorizationRequest(as, client, clientAuth, parameters, { DPoP, ...insecure })));

const authorize = new URL(as.authorization_endpoint);
authorize.searchParams.set('client_id', client.client_id);
authorize.searchParams.set('request_uri', pushed.request_uri);
console.log(`AUTHORIZE ${authorize.href}`);

const lines = createInterface({ input: process.stdin });
const landed = new URL((await lines[Symbol.asyncIterator]().next()).value);
lines.close();

const callback = oauth.validateAuthResponse(as, client, landed, state);
const tokens = await withNonceRetry(async () => oauth.processAuthorizationCodeResponse(as, client,
  await oauth.authorizationCodeGrantRequest(as, client, clientAuth, callback, redirectUri, codeVerifier, { DPoP, ...insecure }),
  { expectedNonce: nonce, requireIdToken: true }));
const idToken = oauth.getValidatedIdTokenClaims(tokens);
const userInfo = await withNonceRetry(async () => oauth.processUserInfoResponse(as, client, idToken.sub,
  await oauth.userInfoRequest(as, client, tokens.access_token, { DPoP, ...insecure })));

console.log(`RESULT ${JSON.stringify({
  token_type: tokens.token_type,
  access_token: tokens.access_token,
  expires_in: tokens.expires_in,
  id_token_sub: idToken.sub,
  userinfo: userInfo,
  par_expires_in: pushed.expires_in,
})}`);
