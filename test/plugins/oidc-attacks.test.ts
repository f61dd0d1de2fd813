// Attacks on the login, each through the real .wasm against the real provider: replayed and forged
// state, a state from another browser, a wrong nonce, a reused code, open redirects, tampered,
// garbage, foreign and oversized cookies. None may yield a session; none may trap.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { BROWSER, headerOf, Jar, login, send, signInAtProvider, startStack, upstreamSaw, wasm, type Reply, type Stack } from './oidc-stack.ts';

const skip = existsSync(wasm) ? false : 'dist/oidc.wasm missing (npm run build:plugin -- oidc)';
let stack: Stack;
const API = { accept: 'application/json' };

before(async () => { if (!skip) stack = await startStack(); });
after(async () => {
  // Whatever was thrown at it, the VM never trapped.
  if (stack) assert.ok(!stack.logs.some((l) => /unreachable|abort|panic/i.test(l)), stack.logs.join('\n'));
  await stack?.close();
});

function noSession(r: Reply): void {
  assert.ok(!r.setCookies().some((c) => /^oidc_session_\d+=[^;]/.test(c)), `no session cookie: ${r.setCookies().join(' | ')}`);
}

async function signedIn(jar: Jar): Promise<boolean> {
  return (await send(jar, `${stack.origin}/api/me`, { headers: API })).status === 200;
}

test('a replayed callback (state already used) → 400, no session', { skip }, async () => {
  const jar = new Jar();
  const { callback, callbackUrl } = await login(stack, jar, '/a');
  assert.equal(callback.status, 302);
  const attacker = new Jar();
  const replay = await send(attacker, callbackUrl, { headers: BROWSER });
  assert.equal(replay.status, 400);
  assert.match(replay.body, /^oidc: sign-in failed: no login is in progress/);
  noSession(replay);
  // The legitimate browser replaying it: its state cookie was cleared by the first callback.
  const again = await send(jar, callbackUrl, { headers: BROWSER });
  assert.equal(again.status, 400);
  noSession(again);
});

test('a forged state parameter → 400 and the state cookie is cleared', { skip }, async () => {
  const jar = new Jar();
  const { callback } = await login(stack, jar, '/b', {
    beforeCallback: (u) => { const url = new URL(u); const s = url.searchParams.get('state')!; url.searchParams.set('state', (s[0] === 'A' ? 'B' : 'A') + s.slice(1)); return url.toString(); },
  });
  assert.equal(callback.status, 400);
  assert.match(callback.body, /state parameter does not match/);
  assert.ok(callback.setCookies().some((c) => c.startsWith('oidc_state=;') && c.includes('Max-Age=0')));
  noSession(callback);
  assert.equal(await signedIn(jar), false);
});

test('a callback carrying a state minted for another browser (login CSRF) → 400', { skip }, async () => {
  const victim = new Jar();
  await send(victim, `${stack.origin}/c`, { headers: BROWSER }); // the victim has a login of their own in flight
  const attacker = new Jar();
  const { callbackUrl } = await login(stack, attacker, '/c', { beforeCallback: (u) => u });
  const forced = await send(victim, callbackUrl, { headers: BROWSER });
  assert.equal(forced.status, 400);
  noSession(forced);
});

test('an ID token with another nonce → 401, no session', { skip }, async () => {
  const jar = new Jar();
  const { callback } = await login(stack, jar, '/d', {
    rewriteAuthorize: (u) => { u.searchParams.set('nonce', 'attacker-chosen-nonce'); return u; },
  });
  assert.equal(callback.status, 401);
  assert.match(callback.body, /nonce does not match/);
  noSession(callback);
});

test('a PKCE challenge replaced at the provider → the token request fails → 401', { skip }, async () => {
  const jar = new Jar();
  const { callback } = await login(stack, jar, '/e', {
    rewriteAuthorize: (u) => { u.searchParams.set('code_challenge', 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM'); return u; },
  });
  assert.equal(callback.status, 401);
  assert.match(callback.body, /refused the authorization code/);
  noSession(callback);
});

test('a reused authorization code (state cookie copied) → 401, no second session', { skip }, async () => {
  const jar = new Jar();
  const first = await send(jar, `${stack.origin}/f`, { headers: BROWSER });
  const stolenState = jar.get(stack.origin, 'oidc_state')!;
  const { callback, callbackUrl } = await signInAtProvider(stack, jar, new URL(first.location!));
  assert.equal(callback.status, 302);
  const thief = new Jar();
  thief.set(stack.origin, 'oidc_state', stolenState);
  const reuse = await send(thief, callbackUrl, { headers: BROWSER });
  assert.equal(reuse.status, 401);
  noSession(reuse);
});

test('open redirects: the page after login is always a path on this origin', { skip }, async () => {
  const cases: [string, string][] = [
    ['//evil.example/x', '/'], ['/\\evil.example/x', '/'], ['http://evil.example/x', '/'], ['/%2F%2Fevil.example', '/%2F%2Fevil.example'],
    ['/ok/page?next=//evil.example', '/ok/page?next=//evil.example'], ['/..//evil.example', '/..//evil.example'],
    ['/%09/evil.example', '/%09/evil.example'],
  ];
  for (const [raw, expected] of cases) {
    const jar = new Jar();
    const { callback } = await login(stack, jar, '/', { rawPath: raw });
    assert.equal(callback.status, 302, `${raw}: ${callback.body}`);
    assert.equal(callback.location, expected, raw);
    assert.equal(new URL(callback.location!, stack.origin).origin, stack.origin, `${raw} stays on this origin`);
  }
});

test('tampered, garbage, foreign and oversized session cookies: 401 for APIs, a new login for browsers', { skip }, async () => {
  const jar = new Jar();
  const { callback } = await login(stack, jar, '/g');
  assert.equal(callback.status, 302);
  const good = jar.get(stack.origin, 'oidc_session_0')!;
  const flipped = good.slice(0, 40) + (good[40] === 'A' ? 'B' : 'A') + good.slice(41);
  const state = (await send(new Jar(), `${stack.origin}/x`, { headers: BROWSER })).setCookies()[0]!.split(';')[0]!.split('=')[1]!;
  const bad: [string, string][] = [
    ['tampered', `oidc_session_0=${flipped}`],
    ['truncated', `oidc_session_0=${good.slice(0, good.length - 5)}`],
    ['garbage', 'oidc_session_0=%%%not-base64%%%'],
    ['empty', 'oidc_session_0='],
    ['state cookie as a session', `oidc_session_0=${state}`],
    ['oversized chunk', `oidc_session_0=${'A'.repeat(3900)}`],
    ['too many chunks', Array.from({ length: 9 }, (_, i) => `oidc_session_${i}=${'A'.repeat(100)}`).join('; ')],
    ['chunk order swapped', `oidc_session_1=${good}; oidc_session_0=x`],
  ];
  for (const [what, cookie] of bad) {
    const api = await send(new Jar(), `${stack.origin}/api`, { headers: { ...API, cookie } });
    assert.equal(api.status, 401, what);
    const page = await send(new Jar(), `${stack.origin}/page`, { headers: { ...BROWSER, cookie } });
    assert.equal(page.status, 302, what);
    assert.ok(page.location!.startsWith(`${stack.idp.issuer}/auth?`), what);
    assert.ok(page.setCookies().some((c) => /^oidc_session_0=; Path=\/; Max-Age=0/.test(c)), `${what}: the bad session is cleared`);
  }
  // The untouched cookie still works, and a client-sent Authorization header is replaced by the plugin's.
  const ok = await send(new Jar(), `${stack.origin}/api`, { headers: { ...API, cookie: `oidc_session_0=${good}`, authorization: 'Bearer forged' } });
  assert.equal(ok.status, 200);
  assert.notEqual(headerOf(upstreamSaw(ok).headers, 'authorization'), 'Bearer forged');
});

test('a session sealed under another cookieSecret is foreign → 401', { skip }, async () => {
  const other = await startStack({ config: { cookieSecret: Buffer.alloc(32, 9).toString('base64') } });
  try {
    const jar = new Jar();
    const { callback } = await login(other, jar, '/h');
    assert.equal(callback.status, 302);
    const foreign = jar.get(other.origin, 'oidc_session_0')!;
    const r = await send(new Jar(), `${stack.origin}/api`, { headers: { ...API, cookie: `oidc_session_0=${foreign}` } });
    assert.equal(r.status, 401);
  } finally { await other.close(); }
});

test('hostile callbacks: bad query, POST, provider error, oversized state → 4xx, never a trap', { skip }, async () => {
  const jar = new Jar();
  await send(jar, `${stack.origin}/i`, { headers: BROWSER });
  const expect = async (init: Parameters<typeof send>[2], status: number, path = '/oauth2/callback') => {
    const r = await send(jar, stack.origin + path, init);
    assert.equal(r.status, status, `${path}: ${r.body}`);
    noSession(r);
  };
  await expect({ headers: BROWSER }, 400, '/oauth2/callback?code=abc&state=%zz');
  await expect({ headers: BROWSER }, 400, '/oauth2/callback?code=abc');
  await expect({ headers: BROWSER }, 401, '/oauth2/callback?error=access_denied&state=x');
  await expect({ method: 'POST', headers: BROWSER, body: 'code=a' }, 400);
  await expect({ headers: { ...BROWSER, cookie: `oidc_state=${'A'.repeat(5000)}` } }, 400, `/oauth2/callback?code=a&state=${'B'.repeat(43)}`);
  await expect({ headers: { ...BROWSER, cookie: 'oidc_state=garbage!' } }, 400, `/oauth2/callback?code=a&state=${'B'.repeat(43)}`);
});
