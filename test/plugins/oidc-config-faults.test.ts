// Configuration refused with the field and the reason; the provider down, slow, wrong or recovering:
// 503 with a clear body (never a trap), discovery and keys fetched once and cached.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { parse as parseYaml } from 'yaml';
import { runSingleRequest } from '../../host/node/single-request.ts';
import { BROWSER, COOKIE_SECRET, freePort, Jar, login, send, startStack, wasm } from './oidc-stack.ts';

const skip = existsSync(wasm) ? false : 'dist/oidc.wasm missing (npm run build:plugin -- oidc)';
const MINIMAL = {
  issuer: 'http://127.0.0.1:9000', cluster: 'idp', clientId: 'meshplug', clientSecret: 's3cret',
  redirectUri: 'http://localhost/oauth2/callback', scopes: ['openid', 'profile', 'email'], cookieSecret: COOKIE_SECRET, logoutPath: '/logout',
};

async function configure(cfg: unknown): Promise<string> {
  try {
    const o = await runSingleRequest({ plugins: [{ file: wasm, configuration: typeof cfg === 'string' ? cfg : JSON.stringify(cfg) }], request: { path: '/', headers: [['accept', 'application/json']] } });
    return o.response.status === 401 ? 'accepted' : `unexpected ${o.response.status}`;
  } catch (e) {
    return (e as Error).message;
  }
}

test('the issue\'s minimal configuration, and the README/example configurations, are accepted', { skip }, async () => {
  assert.equal(await configure(MINIMAL), 'accepted');
  const example = parseYaml(readFileSync(new URL('../../plugins/oidc/examples/wasmplugin.yaml', import.meta.url), 'utf8')) as { spec: { pluginConfig: unknown } };
  assert.equal(await configure(example.spec.pluginConfig), 'accepted');
});

test('bad configurations are refused naming the field', { skip }, async () => {
  const cases: [Record<string, unknown>, RegExp][] = [
    [{ issuer: undefined }, /`issuer`: .*required|missing/],
    [{ issuer: 'ftp://idp' }, /`issuer`: must be an absolute http/],
    [{ cluster: '' }, /`cluster`: must not be empty/],
    [{ clientId: 7 }, /`clientId`: expected string/],
    [{ redirectUri: 'http://localhost/' }, /`redirectUri`: needs a callback path/],
    [{ redirectUri: '/oauth2/callback' }, /`redirectUri`: must be an absolute/],
    [{ scopes: ['profile'] }, /`scopes`: must include "openid"/],
    [{ cookieSecret: 'c2hvcnQ=' }, /`cookieSecret`: must decode to at least 32 bytes/],
    [{ cookieSecret: 'not base64!' }, /`cookieSecret`: must be base64/],
    [{ logoutPath: 'logout' }, /`logoutPath`: must be a path/],
    [{ logoutPath: '/oauth2/callback' }, /`logoutPath`: must differ/],
    [{ tokenEndpointAuth: 'private_key_jwt' }, /`tokenEndpointAuth`: must be one of client_secret_basic, client_secret_post/],
    [{ forward: { token: 'refreshToken' } }, /`forward.token`: must be one of/],
    [{ forward: { header: 'Bad Header' } }, /`forward.header`: header name/],
    [{ forward: { claimsToHeaders: [{ claim: 'email', header: 'authorization' }] } }, /`forward.claimsToHeaders\[0\].header`: must differ/],
    [{ sessionLifetime: '8 hours' }, /`sessionLifetime`: must be a duration/],
    [{ clockSkew: '1h' }, /`clockSkew`: is out of range/],
    [{ skipPaths: [{ prefix: '/a', exact: '/b' }] }, /`skipPaths\[0\]`: needs exactly one/],
    [{ skipPaths: [{ prefix: 'a' }] }, /`skipPaths\[0\]`: must start with/],
    [{ cookiePrefix: 'bad prefix' }, /`cookiePrefix`: must be a cookie-name token/],
    [{ prompt: 'always' }, /`prompt`: must be/],
    [{ provider: { authorizationEndpoint: 'http://idp/auth' } }, /`provider.tokenEndpoint`/],
    [{ clientSecrett: 'typo' }, /`clientSecrett`: unknown field/],
  ];
  for (const [patch, want] of cases) {
    const got = await configure({ ...MINIMAL, ...patch });
    assert.match(got, want, JSON.stringify(patch));
  }
  assert.match(await configure('not json'), /invalid JSON/);
  assert.match(await configure('[]'), /must be a JSON object/);
  assert.match(await configure(''), /`issuer`/);
});

test('the provider unreachable (dead port) → 503 with a clear body; API requests still get 401 without a callout', { skip }, async () => {
  const dead = `http://127.0.0.1:${await freePort()}`;
  const stack = await startStack({ clusterUrl: dead });
  try {
    const r = await send(new Jar(), `${stack.origin}/page`, { headers: BROWSER });
    assert.equal(r.status, 503);
    assert.equal(r.body, 'oidc: the identity provider is unavailable (discovery); try again later\n');
    assert.equal(r.header('retry-after'), '5');
    assert.equal((await send(new Jar(), `${stack.origin}/api`, { headers: { accept: 'application/json' } })).status, 401);
    assert.ok(stack.logs.some((l) => l.includes('provider discovery failed')));
  } finally { await stack.close(); }
});

test('the provider erroring, then slow, then back: 503, 503 after the timeout, then a normal login', { skip }, async () => {
  const stack = await startStack();
  try {
    stack.idp.fail = 500;
    const r1 = await send(new Jar(), `${stack.origin}/page`, { headers: BROWSER });
    assert.equal(r1.status, 503);
    stack.idp.fail = 0; // hangs; the plugin's timeout is 1s
    const t0 = Date.now();
    const r2 = await send(new Jar(), `${stack.origin}/page`, { headers: BROWSER });
    assert.equal(r2.status, 503);
    assert.ok(Date.now() - t0 < 5000);
    stack.idp.fail = null;
    const jar = new Jar();
    const { callback } = await login(stack, jar, '/page');
    assert.equal(callback.status, 302);
    // Discovery and keys are cached: more logins fetch neither again.
    await login(stack, new Jar(), '/other');
    await login(stack, new Jar(), '/third');
    const okDiscoveries = stack.idp.seen.filter((s) => s === 'GET /.well-known/openid-configuration').length;
    assert.equal(okDiscoveries, 3, 'two failed attempts, then one that is cached');
    assert.equal(stack.idp.seen.filter((s) => s === 'GET /jwks').length, 1);
  } finally { await stack.close(); }
});

test('the provider down at the token exchange → 503 at the callback, no session', { skip }, async () => {
  const stack = await startStack();
  try {
    const jar = new Jar();
    const { callback } = await login(stack, jar, '/page', { beforeCallback: (u) => { stack.idp.fail = 503; return u; } });
    assert.equal(callback.status, 503);
    assert.match(callback.body, /unavailable \(token endpoint\)/);
    assert.ok(!callback.setCookies().some((c) => /^oidc_session_0=[^;]/.test(c)));
  } finally { await stack.close(); }
});

test('a discovery document for another issuer, or garbage, is refused → 503', { skip }, async () => {
  for (const body of [JSON.stringify({ issuer: 'http://evil.example', authorization_endpoint: 'http://evil.example/auth', token_endpoint: 'http://evil.example/token', jwks_uri: 'http://evil.example/jwks' }), '{"issuer":', 'x'.repeat(600_000)]) {
    const srv = createServer((_q, s) => { s.writeHead(200, { 'content-type': 'application/json' }).end(body); });
    await new Promise<void>((ok) => srv.listen(0, '127.0.0.1', () => ok()));
    const url = `http://127.0.0.1:${(srv.address() as AddressInfo).port}`;
    try {
      const o = await runSingleRequest({ plugins: [{ file: wasm, configuration: JSON.stringify({ ...MINIMAL, issuer: url }) }], clusters: { idp: url }, request: { path: '/', headers: [['accept', 'text/html']] } });
      assert.equal(o.response.status, 503);
      assert.ok(o.logs.some((l) => l.message.includes('provider discovery failed')));
      assert.equal(o.vmLogs.length, 0, o.vmLogs.map((l) => l.message).join('\n'));
    } finally {
      srv.closeAllConnections();
      await new Promise<void>((ok) => srv.close(() => ok()));
    }
  }
});

test('config.schema.json accepts what the plugin accepts and refuses the same mistakes', { skip }, async () => {
  const { Ajv2020 } = await import('ajv/dist/2020.js');
  const validate = new Ajv2020({ strict: false }).compile(JSON.parse(readFileSync(new URL('../../plugins/oidc/config.schema.json', import.meta.url), 'utf8')));
  const example = parseYaml(readFileSync(new URL('../../plugins/oidc/examples/wasmplugin.yaml', import.meta.url), 'utf8')) as { spec: { pluginConfig: unknown } };
  for (const good of [MINIMAL, example.spec.pluginConfig]) assert.ok(validate(good), JSON.stringify(validate.errors));
  for (const patch of [{ scopes: ['profile'] }, { tokenEndpointAuth: 'x' }, { sessionLifetime: '8 hours' }, { issuer: 'ftp://x' }, { unknown: 1 }, { skipPaths: [{ prefix: '/a', exact: '/b' }] }]) {
    assert.equal(validate({ ...MINIMAL, ...patch }), false, JSON.stringify(patch));
    assert.notEqual(await configure({ ...MINIMAL, ...patch }), 'accepted', JSON.stringify(patch));
  }
});
