// Session lifetime through the real .wasm and the real provider: refresh-token renewal when the ID
// token expires, a refused refresh starting a new login, the absolute session lifetime, the access
// token forwarded instead of the ID token, client_secret_post, and an ES256-signing provider.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { test } from 'node:test';
import { BROWSER, COOKIE_SECRET, headerOf, Jar, login, send, startStack, upstreamSaw, wasm, type Stack } from './oidc-stack.ts';
import { mintSessionCookie } from './oidc-session-mint.ts';

const skip = existsSync(wasm) ? false : 'dist/oidc.wasm missing (npm run build:plugin -- oidc)';
const API = { accept: 'application/json' };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function claimsOf(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as Record<string, unknown>;
}

async function bearer(stack: Stack, jar: Jar, headers: Record<string, string> = API) {
  const r = await send(jar, `${stack.origin}/api`, { headers });
  return { r, token: r.status === 200 ? headerOf(upstreamSaw(r).headers, 'authorization')?.slice(7) : undefined };
}

async function withStack(o: Parameters<typeof startStack>[0], fn: (s: Stack) => Promise<void>): Promise<void> {
  const s = await startStack(o);
  try { await fn(s); } finally { await s.close(); }
}

test('an expired ID token is renewed with the refresh token through the cluster; the new cookie comes back', { skip }, async () => {
  // 3 s tokens: the renewed token must still be valid for the third request, even on a loaded CI machine.
  await withStack({ provider: { idTokenTtl: 3 } }, async (stack) => {
    const jar = new Jar();
    assert.equal((await login(stack, jar, '/')).callback.status, 302);
    const first = await bearer(stack, jar);
    assert.ok(first.token);
    await sleep(3200);
    const tokenCalls = stack.idp.seen.filter((s) => s.startsWith('POST /token')).length;
    const second = await bearer(stack, jar);
    assert.equal(second.r.status, 200);
    assert.notEqual(second.token, first.token);
    assert.ok((claimsOf(second.token!).exp as number) > (claimsOf(first.token!).exp as number));
    assert.equal(claimsOf(second.token!).sub, 'alice');
    assert.equal(stack.idp.seen.filter((s) => s.startsWith('POST /token')).length, tokenCalls + 1, 'one refresh');
    assert.ok(second.r.setCookies().some((c) => c.startsWith('oidc_session_0=') && !c.includes('Max-Age=0')), 'renewed session cookie');
    // The renewed cookie is used without another refresh.
    const third = await bearer(stack, jar);
    assert.equal(third.token, second.token);
  });
});

test('a refused refresh starts a new login (browser) or answers 401 (API); the IdP down during refresh → 503', { skip }, async () => {
  await withStack({ provider: { idTokenTtl: 1 } }, async (stack) => {
    const jar = new Jar();
    await login(stack, jar, '/');
    await sleep(1200);
    stack.idp.fail = 400;
    assert.equal((await bearer(stack, jar)).r.status, 401);
    const page = await send(jar, `${stack.origin}/page`, { headers: BROWSER });
    assert.equal(page.status, 302);
    assert.ok(page.location!.startsWith(`${stack.idp.issuer}/auth?`));
  });
  await withStack({ provider: { idTokenTtl: 1 } }, async (stack) => {
    const jar = new Jar();
    await login(stack, jar, '/');
    await sleep(1200);
    stack.idp.fail = 502;
    const r = await bearer(stack, jar);
    assert.equal(r.r.status, 503);
    assert.match(r.r.body, /identity provider is unavailable \(token endpoint\)/);
  });
});

test('without a refresh token an expired session means a new login', { skip }, async () => {
  await withStack({ provider: { idTokenTtl: 1 }, config: { scopes: ['openid'] } }, async (stack) => {
    const jar = new Jar();
    await login(stack, jar, '/');
    assert.equal((await bearer(stack, jar)).r.status, 200);
    await sleep(1200);
    assert.equal((await bearer(stack, jar)).r.status, 401);
  });
});

test('sessionLifetime bounds a session even while refreshes would succeed', { skip }, async () => {
  await withStack({ config: { sessionLifetime: '1s' } }, async (stack) => {
    const jar = new Jar();
    const { callback } = await login(stack, jar, '/');
    assert.ok(callback.setCookies().some((c) => c.startsWith('oidc_session_0=') && c.includes('Max-Age=1;')));
    assert.equal((await bearer(stack, jar)).r.status, 200);
    await sleep(1100);
    assert.equal((await bearer(stack, jar)).r.status, 401);
  });
});

test('forward the access token in a custom header; client_secret_post; an ES256 provider', { skip }, async () => {
  await withStack({
    config: { tokenEndpointAuth: 'client_secret_post', forward: { token: 'accessToken', header: 'x-access-token' } },
    provider: { tokenEndpointAuthMethod: 'client_secret_post', alg: 'ES256' },
  }, async (stack) => {
    const jar = new Jar();
    const { callback } = await login(stack, jar, '/p');
    assert.equal(callback.status, 302, callback.body);
    const r = await send(jar, `${stack.origin}/api`, { headers: API });
    assert.equal(r.status, 200);
    const seen = upstreamSaw(r).headers;
    const access = headerOf(seen, 'x-access-token')!;
    assert.ok(access.length > 20);
    assert.equal(headerOf(seen, 'authorization'), undefined);
    // The access token is the provider's: its userinfo endpoint accepts it.
    const info = await fetch(`${stack.idp.issuer}/me`, { headers: { authorization: `Bearer ${access}` } });
    assert.equal(info.status, 200);
    assert.equal(((await info.json()) as { sub: string }).sub, 'alice');
  });
});

test('skipPaths pass without a session; claim headers are still stripped there', { skip }, async () => {
  await withStack({ config: { skipPaths: [{ prefix: '/public/' }, { exact: '/healthz' }], forward: { claimsToHeaders: [{ claim: 'email', header: 'x-email' }] } } }, async (stack) => {
    const r = await send(new Jar(), `${stack.origin}/public/a.css`, { headers: { ...API, 'x-email': 'forged@example.com' } });
    assert.equal(r.status, 200);
    assert.equal(headerOf(upstreamSaw(r).headers, 'x-email'), undefined);
    assert.equal((await send(new Jar(), `${stack.origin}/healthz`, { headers: API })).status, 200);
    assert.equal((await send(new Jar(), `${stack.origin}/healthz/x`, { headers: API })).status, 401);
  });
});

test('a large ID token is split over several session cookies and read back joined', { skip }, async () => {
  await withStack({ provider: { nameLength: 6000 } }, async (stack) => {
    const jar = new Jar();
    const { callback } = await login(stack, jar, '/big');
    assert.equal(callback.status, 302, callback.body);
    const names = jar.names(stack.origin).filter((n) => n.startsWith('oidc_session_')).sort();
    assert.ok(names.length >= 3, names.join());
    assert.deepEqual(names, names.map((_, i) => `oidc_session_${i}`));
    assert.ok(names.every((n) => jar.get(stack.origin, n)!.length <= 3800));
    const r = await bearer(stack, jar);
    assert.equal(r.r.status, 200);
    assert.equal((claimsOf(r.token!).name as string).length, 6000);
    // Drop the middle chunk: what is left is not a session.
    jar.delete(stack.origin, 'oidc_session_1');
    assert.equal((await bearer(stack, jar)).r.status, 401);
  });
});

test('a session written from the documented format by another implementation is accepted', { skip }, async () => {
  await withStack({ config: { forward: { claimsToHeaders: [{ claim: 'email', header: 'x-email' }] } } }, async (stack) => {
    const now = Math.floor(Date.now() / 1000);
    const idToken = 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.sig';
    const value = mintSessionCookie(COOKIE_SECRET, stack.idp.issuer, 'meshplug', { createdS: now, expiresS: now + 60, idToken, claims: ['x@example.com'] });
    const r = await send(new Jar(), `${stack.origin}/api`, { headers: { accept: 'application/json', cookie: `oidc_session_0=${value}` } });
    assert.equal(r.status, 200);
    assert.equal(headerOf(upstreamSaw(r).headers, 'authorization'), `Bearer ${idToken}`);
    assert.equal(headerOf(upstreamSaw(r).headers, 'x-email'), 'x@example.com');
    // The same value split by hand over two cookies (with another cookie between) reads the same.
    const split = `oidc_session_0=${value.slice(0, 40)}; other=1; oidc_session_1=${value.slice(40)}`;
    assert.equal((await send(new Jar(), `${stack.origin}/api`, { headers: { accept: 'application/json', cookie: split } })).status, 200);
    // Expired by its own clock (and no refresh token): refused.
    const old = mintSessionCookie(COOKIE_SECRET, stack.idp.issuer, 'meshplug', { createdS: now - 100, expiresS: now - 1, idToken, claims: ['x'] });
    assert.equal((await send(new Jar(), `${stack.origin}/api`, { headers: { accept: 'application/json', cookie: `oidc_session_0=${old}` } })).status, 401);
    // Written for another client: foreign.
    const other = mintSessionCookie(COOKIE_SECRET, stack.idp.issuer, 'someone-else', { createdS: now, expiresS: now + 60, idToken, claims: ['x'] });
    assert.equal((await send(new Jar(), `${stack.origin}/api`, { headers: { accept: 'application/json', cookie: `oidc_session_0=${other}` } })).status, 401);
  });
});
