// The whole login through the real .wasm in our gateway against a real OpenID provider: redirect with
// PKCE, callback, sealed session cookie, bearer token upstream, claims as headers, logout.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { BROWSER, headerOf, Jar, login, send, startStack, upstreamSaw, wasm, type Stack } from './oidc-stack.ts';

const skip = existsSync(wasm) ? false : 'dist/oidc.wasm missing (npm run build:plugin -- oidc)';
let stack: Stack;

before(async () => {
  if (skip) return;
  stack = await startStack({ config: { forward: { claimsToHeaders: [{ claim: 'email', header: 'x-user-email' }, { claim: 'sub', header: 'x-user' }] } } });
});
after(async () => { await stack?.close(); });

test('an unauthenticated browser is sent to the provider with code, PKCE S256, state and nonce', { skip }, async () => {
  const jar = new Jar();
  const res = await send(jar, `${stack.origin}/app/page?x=1`, { headers: BROWSER });
  assert.equal(res.status, 302);
  const loc = new URL(res.location!);
  assert.equal(loc.origin + loc.pathname, `${stack.idp.issuer}/auth`);
  const q = loc.searchParams;
  assert.equal(q.get('response_type'), 'code');
  assert.equal(q.get('client_id'), 'meshplug');
  assert.equal(q.get('redirect_uri'), `${stack.origin}/oauth2/callback`);
  assert.equal(q.get('scope'), 'openid profile email offline_access');
  assert.equal(q.get('code_challenge_method'), 'S256');
  assert.match(q.get('code_challenge')!, /^[A-Za-z0-9_-]{43}$/);
  assert.match(q.get('state')!, /^[A-Za-z0-9_-]{43}$/);
  assert.match(q.get('nonce')!, /^[A-Za-z0-9_-]{22}$/);
  const setCookie = res.setCookies().find((c) => c.startsWith('oidc_state='))!;
  assert.match(setCookie, /; Path=\/; Max-Age=600; HttpOnly; SameSite=Lax$/);
  assert.equal(res.header('cache-control'), 'no-store');
  // A second login attempt gets fresh values.
  const again = new URL((await send(new Jar(), `${stack.origin}/app/page?x=1`, { headers: BROWSER })).location!);
  assert.notEqual(again.searchParams.get('state'), q.get('state'));
  assert.notEqual(again.searchParams.get('nonce'), q.get('nonce'));
});

test('API and XHR requests get 401 instead of a redirect', { skip }, async () => {
  const jar = new Jar();
  const api = await send(jar, `${stack.origin}/api/items`, { headers: { accept: 'application/json' } });
  assert.equal(api.status, 401);
  assert.equal(api.body, 'oidc: authentication required\n');
  const xhr = await send(jar, `${stack.origin}/app`, { headers: { ...BROWSER, 'x-requested-with': 'XMLHttpRequest' } });
  assert.equal(xhr.status, 401);
  assert.deepEqual(jar.names(stack.origin), []);
});

test('login: callback → session cookies → the original page with the ID token upstream; logout → provider → login again', { skip }, async () => {
  const jar = new Jar();
  const { callback } = await login(stack, jar, '/app/page?x=1');
  assert.equal(callback.status, 302, callback.body);
  assert.equal(callback.location, '/app/page?x=1');
  const cookies = callback.setCookies();
  assert.ok(cookies.some((c) => /^oidc_state=; Path=\/; Max-Age=0; HttpOnly; SameSite=Lax$/.test(c)), 'state cookie cleared');
  const session = cookies.find((c) => c.startsWith('oidc_session_0='))!;
  assert.match(session, /; Path=\/; Max-Age=28800; HttpOnly; SameSite=Lax$/);
  assert.ok(!session.includes('Secure'), 'no Secure on an http redirect URI');

  const page = await send(jar, `${stack.origin}/app/page?x=1`, { headers: { ...BROWSER, 'x-user': 'mallory', cookie: jar.header(stack.origin) + '; app=1' } });
  assert.equal(page.status, 200);
  const seen = upstreamSaw(page);
  const auth = headerOf(seen.headers, 'authorization')!;
  assert.match(auth, /^Bearer [\w-]+\.[\w-]+\.[\w-]+$/);
  const claims = JSON.parse(Buffer.from(auth.split('.')[1]!, 'base64url').toString());
  assert.equal(claims.iss, stack.idp.issuer);
  assert.equal(claims.aud, 'meshplug');
  assert.equal(claims.sub, 'alice');
  assert.equal(headerOf(seen.headers, 'x-user-email'), 'alice@example.com');
  assert.equal(headerOf(seen.headers, 'x-user'), 'alice', 'a client-sent claim header is replaced');
  assert.equal(headerOf(seen.headers, 'cookie'), 'app=1', 'the plugin\'s cookies never reach the upstream');

  // An XHR with the session passes too.
  const xhr = await send(jar, `${stack.origin}/api/x`, { headers: { accept: 'application/json' } });
  assert.equal(xhr.status, 200);

  const out = await send(jar, `${stack.origin}/logout`, { headers: BROWSER });
  assert.equal(out.status, 302);
  const loc = new URL(out.location!);
  assert.equal(loc.origin + loc.pathname, `${stack.idp.issuer}/session/end`);
  assert.equal(loc.searchParams.get('id_token_hint'), auth.slice(7));
  assert.equal(loc.searchParams.get('post_logout_redirect_uri'), `${stack.origin}/`);
  assert.equal(loc.searchParams.get('client_id'), 'meshplug');
  assert.deepEqual(jar.names(stack.origin), [], 'session cookies cleared');
  const afterLogout = await send(jar, `${stack.origin}/app/page`, { headers: BROWSER });
  assert.equal(afterLogout.status, 302);
  assert.ok(afterLogout.location!.startsWith(`${stack.idp.issuer}/auth?`));
});
