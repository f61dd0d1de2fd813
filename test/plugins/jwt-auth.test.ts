// jwt-auth through the real dist/jwt-auth.wasm: what the fixed scenario corpus cannot express —
// refused configurations, clock skew against the current time, hostile tokens, several tokens at once,
// and the example WasmPlugin / scenario configs against config.schema.json.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { parse as parseYaml } from 'yaml';
import { createRequire } from 'node:module';
import { runSingleRequest, type RequestObservation } from '../../host/node/single-request.ts';
import { jwks, makeKey, mint, rawToken, type KeyPair } from './jwt-auth-keys.ts';

const wasm = new URL('../../dist/jwt-auth.wasm', import.meta.url).pathname;
const skip = existsSync(wasm) ? false : 'dist/jwt-auth.wasm is not built (npm run build:plugin -- jwt-auth)';
const ISS = 'https://issuer.example.com';

let key: KeyPair;
let config: { jwtRules: Record<string, unknown>[] };
const setup = (async () => {
  key = await makeKey('ES256', 'k1');
  config = { jwtRules: [{ issuer: ISS, jwks: jwks(key) }] };
})();

async function request(cfg: unknown, headers: [string, string][], path = '/api'): Promise<RequestObservation> {
  return runSingleRequest({ plugins: [{ file: wasm, configuration: JSON.stringify(cfg) }], request: { path, headers }, upstream: { status: 200, body: 'ok' } });
}

async function configure(cfg: unknown): Promise<string> {
  try {
    await runSingleRequest({ plugins: [{ file: wasm, configuration: typeof cfg === 'string' ? cfg : JSON.stringify(cfg) }], request: { path: '/' } });
    return 'accepted';
  } catch (e) {
    return (e as Error).message;
  }
}

const now = () => Math.floor(Date.now() / 1000);

test('bad configurations are refused with the field and the reason', { skip }, async () => {
  await setup;
  const rule = config.jwtRules[0];
  const cases: [unknown, string][] = [
    ['{"jwtRules": [', 'pluginConfig: is not valid JSON'],
    ['[]', 'pluginConfig: must be a JSON object'],
    [{ extra: 1 }, 'pluginConfig.extra: unknown field'],
    [{ jwtRules: [{ ...rule, issuers: 'x' }] }, 'jwtRules[0].issuers: unknown field'],
    [{ jwtRules: [{ issuer: ISS }] }, 'jwtRules[0].jwks: is required'],
    [{ jwtRules: [{ ...rule, jwksUri: 'https://x/jwks', jwksCluster: 'c' }] }, 'jwtRules[0]: set either "jwks" or "jwksUri", not both'],
    [{ jwtRules: [{ issuer: ISS, jwksUri: 'ftp://x/jwks', jwksCluster: 'c' }] }, 'jwtRules[0].jwksUri: must start with http:// or https://'],
    [{ jwtRules: [{ issuer: ISS, jwksUri: 'https://x/jwks' }] }, 'jwtRules[0].jwksCluster: is required with jwksUri'],
    [{ jwtRules: [{ issuer: ISS, jwksUri: 'https://x/jwks', jwksCluster: 'c', timeout: '5 minutes' }] }, 'jwtRules[0].timeout: must be a duration'],
    [{ jwtRules: [{ issuer: ISS, jwksUri: 'https://x/jwks', jwksCluster: 'c', jwksCacheDuration: '0s' }] }, 'jwtRules[0].jwksCacheDuration: must be a positive duration'],
    [{ jwtRules: [{ ...rule, jwksCluster: 'c' }] }, 'jwtRules[0].jwksCluster: needs jwksUri'],
    [{ jwtRules: [{ issuer: ISS, jwks: '{"keys": []}' }] }, 'jwtRules[0].jwks: has no usable key'],
    [{ jwtRules: [{ issuer: ISS, jwks: '{"keys": [{"kty":"RSA","n":"AQAB","e":"AQAB"}]}' }] }, 'jwtRules[0].jwks: has no usable key'],
    [{ jwtRules: [{ issuer: ISS, jwks: 'not json' }] }, 'jwtRules[0].jwks: jwks: invalid JSON'],
    [{ jwtRules: [{ ...rule, audiences: 'a' }] }, 'jwtRules[0].audiences: must be a list'],
    [{ jwtRules: [{ ...rule, fromHeaders: [{ name: 'bad header' }] }] }, 'jwtRules[0].fromHeaders[0].name'],
    [{ jwtRules: [{ ...rule, outputClaimToHeaders: [{ header: 'x-a' }] }] }, 'jwtRules[0].outputClaimToHeaders[0]: needs "header" and "claim"'],
    [{ jwtRules: [{ ...rule, outputClaimToHeaders: [{ header: ':path', claim: 'sub' }] }] }, 'outputClaimToHeaders[0].header: has a character not allowed'],
    [{ jwtRules: [{ ...rule, outputClaimToHeaders: [{ header: 'x-a', claim: 'a..b' }] }] }, 'has an empty path segment'],
    [{ ...config, policies: [{ action: 'CUSTOM' }] }, 'policies[0].action: must be ALLOW, DENY or AUDIT'],
    [{ ...config, policies: [{ rules: [{ from: [{ source: { nameSpaces: ['a'] } }] }] }] }, 'policies[0].rules[0].from[0].source.nameSpaces: unknown field'],
    [{ ...config, policies: [{ rules: [{ from: [{ source: { ipBlocks: ['10.0.0.0/33'] } }] }] }] }, 'source.ipBlocks[0]: "10.0.0.0/33" is not an IP address or CIDR block'],
    [{ ...config, policies: [{ rules: [{ from: [{ source: { notRemoteIpBlocks: ['x'] } }] }] }] }, 'source.notRemoteIpBlocks[0]: "x" is not an IP address'],
    [{ ...config, policies: [{ rules: [{ to: [{ operation: { ports: ['80', '70000'] } }] }] }] }, 'operation.ports[1]: "70000" is not a port number'],
    [{ ...config, policies: [{ rules: [{ to: [{ operation: { paths: ['/a/{**}/b'] } }] }] }] }, 'operation.paths[0]: {**} must be the last segment'],
    [{ ...config, policies: [{ rules: [{ to: [{ operation: { notPaths: ['/a/x{*}'] } }] }] }] }, 'operation.notPaths[0]: "x{*}": {*} and {**} must be whole path segments'],
    [{ ...config, policies: [{ rules: [{ when: [{ key: 'source.ip', values: ['1.2.3.400'] }] }] }] }, 'when[0].values[0]: "1.2.3.400" is not an IP address'],
    [{ ...config, policies: [{ rules: [{ when: [{ key: 'destination.port', notValues: ['http'] }] }] }] }, 'when[0].notValues[0]: "http" is not a port number'],
    [{ ...config, policies: [{ rules: [{ when: [{ key: 'experimental.envoy.filters.a[b]', values: ['1'] }] }] }] }, '"experimental.envoy.filters.a[b]" is not a key this plugin evaluates'],
    [{ ...config, policies: [{ rules: [{ when: [{ key: 'request.auth.claims[groups]' }] }] }] }, 'needs "values" or "notValues"'],
    [{ ...config, policies: [{ rules: [{ when: [{ key: 'request.auth.claims[]', values: ['a'] }] }] }] }, 'is not a key this plugin evaluates'],
  ];
  for (const [cfg, want] of cases) {
    const got = await configure(cfg);
    assert.ok(got.includes(want), `config ${JSON.stringify(cfg)}\n  expected a refusal containing: ${want}\n  got: ${got}`);
  }
  assert.equal(await configure(config), 'accepted');
  assert.equal(await configure(''), 'accepted', 'an empty configuration authenticates nothing and passes everything');
});

test('clock skew is 60 s for exp and nbf', { skip }, async () => {
  await setup;
  const status = async (claims: Record<string, unknown>) => (await request(config, [['authorization', `Bearer ${await mint(key, { iss: ISS, ...claims })}`]])).response;
  assert.equal((await status({ exp: now() - 30 })).status, 200);
  assert.deepEqual([(await status({ exp: now() - 90 })).status, (await status({ exp: now() - 90 })).body], [401, 'Jwt is expired']);
  assert.equal((await status({ nbf: now() + 30 })).status, 200);
  assert.equal((await status({ nbf: now() + 90 })).body, 'Jwt not yet valid');
  assert.equal((await status({})).status, 200, 'no exp is accepted');
});

test('"Bearer " with nothing after it is no token (our host keeps the trailing space; Envoy trims it)', { skip }, async () => {
  await setup;
  const o = await request(config, [['authorization', 'Bearer ']]);
  assert.equal(o.response.status, 200);
});

test('every extracted token must verify: a good header token does not excuse a bad query token', { skip }, async () => {
  await setup;
  const good = await mint(key, { iss: ISS, sub: 'a' });
  const other = await makeKey('ES256', 'k1');
  const bad = await mint(other, { iss: ISS, sub: 'a' });
  const o = await request(config, [['authorization', `Bearer ${good}`]], `/api?access_token=${bad}`);
  assert.deepEqual([o.response.status, o.response.body, o.upstreamRequest], [401, 'Jwt verification fails', null]);
  const both = await request(config, [['authorization', `Bearer ${good}`]], `/api?access_token=${good}&q=1`);
  assert.equal(both.response.status, 200);
  assert.equal(both.upstreamRequest?.path, '/api?q=1');
  assert.equal(both.upstreamRequest?.headers.find(([k]) => k === 'authorization'), undefined);
});

test('hostile tokens get a 401 with a reason, never a trap', { skip }, async () => {
  await setup;
  const hostile = [
    'a.b.c', '...', '.x.y', 'x..y', 'é.é.é', '\u0000.\u0000.\u0000', 'A'.repeat(20_000),
    rawToken('[]', '{}'), rawToken('{"alg":1}', '{}'), rawToken('{"alg":"XX1"}', '{}'), rawToken('{"alg":"RS256","kid":7}', '{}'),
    rawToken('{"alg":"ES256"}', '{"iss":5}'), rawToken('{"alg":"ES256"}', '{"iss":"' + ISS + '","exp":"soon"}'),
    rawToken('{"alg":"ES256"}', '{"iss":"' + ISS + '","aud":[1]}'), rawToken('{"alg":"ES256"}', '[' .repeat(5000)),
    rawToken('{"alg":"ES256"}', `{"iss":"${ISS}"}`, '!!!'), rawToken('{"alg":"ES256"}', `{"iss":"${ISS}"}`, 'AAAA'),
    rawToken('{"alg":"HS256"}', `{"iss":"${ISS}"}`, 'AAAA'), rawToken('{"alg":"EdDSA"}', `{"iss":"${ISS}"}`, 'A'.repeat(86)),
  ];
  for (const t of hostile) {
    const o = await request(config, [['authorization', `Bearer ${t}`]]);
    assert.equal(o.response.status, 401, `token ${JSON.stringify(t.slice(0, 60))}: ${o.response.body}`);
    assert.ok(o.response.body.length > 0);
    assert.equal(o.upstreamRequest, null);
  }
  // The plugin still answers normally afterwards.
  assert.equal((await request(config, [['authorization', `Bearer ${await mint(key, { iss: ISS })}`]])).response.status, 200);
});

test('a claim with control characters is not copied into a header', { skip }, async () => {
  await setup;
  const cfg = { jwtRules: [{ ...config.jwtRules[0], outputClaimToHeaders: [{ header: 'x-name', claim: 'name' }] }] };
  const o = await request(cfg, [['authorization', `Bearer ${await mint(key, { iss: ISS, name: 'a\r\nx-evil: 1' })}`]]);
  assert.equal(o.response.status, 200);
  assert.equal(o.upstreamRequest?.headers.find(([k]) => k === 'x-name'), undefined);
  assert.equal(o.upstreamRequest?.headers.find(([k]) => k === 'x-evil'), undefined);
});

test('the WasmPlugin example and every scenario config match config.schema.json and are accepted', { skip }, async () => {
  const read = (p: string) => readFileSync(new URL(p, import.meta.url), 'utf8');
  const Ajv2020 = createRequire(import.meta.url)('ajv/dist/2020') as { default: new (o: object) => { compile(s: object): ((d: unknown) => boolean) & { errors?: unknown } } };
  const validate = new Ajv2020.default({ strict: false }).compile(JSON.parse(read('../../plugins/jwt-auth/config.schema.json')) as object);
  const example = (parseYaml(read('../../plugins/jwt-auth/examples/wasmplugin.yaml')) as { spec: { pluginConfig: unknown } }).spec.pluginConfig;
  assert.ok(validate(example), JSON.stringify(validate.errors));
  assert.equal(await configure(example), 'accepted');
  const scenarios = JSON.parse(read('../scenarios/jwt-auth.json')) as { name: string; plugins: { config: unknown }[] }[];
  for (const s of scenarios) assert.ok(validate(s.plugins[0].config), `${s.name}: ${JSON.stringify(validate.errors)}`);
});

/** A JWKS server on 127.0.0.1 that answers each GET with the next of `replies` (the last one repeats). */
async function jwksServer(replies: { status: number; body: string }[]) {
  const { createServer } = await import('node:http');
  let hits = 0;
  const server = createServer((req, res) => {
    const r = replies[Math.min(hits, replies.length - 1)]!;
    hits++;
    res.writeHead(r.status, { 'content-type': 'application/json' }).end(r.body);
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', () => ok()));
  const port = (server.address() as { port: number }).port;
  return { url: `http://127.0.0.1:${port}`, hits: () => hits, close: () => new Promise<void>((ok) => server.close(() => ok())) };
}

test('remote JWKS: fetched through the cluster once, then cached', { skip }, async () => {
  await setup;
  const srv = await jwksServer([{ status: 200, body: jwks(key) }]);
  try {
    const cfg = { jwtRules: [{ issuer: ISS, jwksUri: 'http://idp.example.com/jwks', jwksCluster: 'idp' }] };
    const token = await mint(key, { iss: ISS, sub: 'a' });
    const o = await runSingleRequest({ plugins: [{ file: wasm, configuration: JSON.stringify(cfg) }], clusters: { idp: srv.url }, workers: 1, repeat: 3, request: { path: '/api', headers: [['authorization', `Bearer ${token}`]] }, upstream: { status: 200 } });
    assert.equal(o.response.status, 200);
    assert.equal(srv.hits(), 1, 'one fetch for three requests');
    const other = await makeKey('ES256', 'k1');
    const bad = await runSingleRequest({ plugins: [{ file: wasm, configuration: JSON.stringify(cfg) }], clusters: { idp: srv.url }, request: { path: '/api', headers: [['authorization', `Bearer ${await mint(other, { iss: ISS })}`]] } });
    assert.deepEqual([bad.response.status, bad.response.body], [401, 'Jwt verification fails']);
  } finally {
    await srv.close();
  }
});

test('remote JWKS: a failing refresh keeps the last good keys; garbage JWKS fails closed', { skip }, async () => {
  await setup;
  const srv = await jwksServer([{ status: 200, body: jwks(key) }, { status: 503, body: 'down' }]);
  try {
    const cfg = { jwtRules: [{ issuer: ISS, jwksUri: 'http://idp.example.com/jwks', jwksCluster: 'idp', jwksCacheDuration: '1ms' }] };
    const token = await mint(key, { iss: ISS, sub: 'a' });
    const o = await runSingleRequest({ plugins: [{ file: wasm, configuration: JSON.stringify(cfg) }], clusters: { idp: srv.url }, workers: 1, repeat: 3, request: { path: '/api', headers: [['authorization', `Bearer ${token}`]] } });
    assert.equal(o.response.status, 200);
    assert.ok(srv.hits() >= 1);
  } finally {
    await srv.close();
  }
  const junk = await jwksServer([{ status: 200, body: '{"keys": "nope"}' }]);
  try {
    const cfg = { jwtRules: [{ issuer: ISS, jwksUri: 'http://idp.example.com/jwks', jwksCluster: 'idp' }] };
    const o = await runSingleRequest({ plugins: [{ file: wasm, configuration: JSON.stringify(cfg) }], clusters: { idp: junk.url }, request: { path: '/api', headers: [['authorization', `Bearer ${await mint(key, { iss: ISS })}`]] } });
    assert.deepEqual([o.response.status, o.response.body], [401, 'Jwks remote fetch is failed']);
  } finally {
    await junk.close();
  }
});
