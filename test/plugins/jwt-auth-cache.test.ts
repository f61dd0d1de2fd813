// The verified-token cache through the real module on one VM: a repeated token skips parsing and the
// signature check, but the clock is still checked on every request, output headers are the same as the
// first time, client copies of them are still stripped, and a token one byte away from a cached one is
// checked from scratch.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ProxyWasmHost } from '../../host/core/host.ts';
import type { IncomingRequest } from '../../host/core/types.ts';
import type { UpstreamRequest } from '../../host/core/platform.ts';
import { loadPluginFile } from '../../host/node/load-plugin.ts';
import { nodePlatform } from '../../host/node/platform.ts';
import { jwks, makeKey, mint } from './jwt-auth-keys.ts';

const wasm = fileURLToPath(new URL('../../dist/jwt-auth.wasm', import.meta.url));
const skip = existsSync(wasm) ? false : 'dist/jwt-auth.wasm missing: run `npm run build:plugin -- jwt-auth`';

/** jwt-auth under `config` in our host; send() gives the status, and the path and the `picked` headers the
 *  upstream saw (null: the upstream was not reached). */
async function jwtHost(config: unknown, picked: (name: string) => boolean) {
  let seen: UpstreamRequest | null = null;
  const host = new ProxyWasmHost({
    platform: nodePlatform(), workers: 1, logLevel: 'critical',
    upstream: (req) => { seen = req; return { status: 200, headers: [['content-length', '0']], body: new Uint8Array(0) }; },
  });
  host.addPlugin(await loadPluginFile({ file: wasm, name: 'jwt', configuration: new TextEncoder().encode(JSON.stringify(config)) }));
  const send = async (path: string, headers: [string, string][]) => {
    seen = null;
    const res = await host.handle({ method: 'GET', path, authority: 'example.com', scheme: 'http', protocol: 'HTTP/1.1', headers, body: new Uint8Array(0),
      connection: { id: host.newConnectionId(), sourceAddress: '127.0.0.1:4000', destinationAddress: '127.0.0.1:10000' } });
    const got = seen as UpstreamRequest | null;
    return { status: res.status, path: got?.path ?? null, headers: got ? got.headers.filter(([n]) => picked(n)) : null };
  };
  return { host, send };
}
const ISS = 'https://issuer.example.com';

test('jwt-auth: a cached token is still time-checked, gets the same outputs, and differs by bytes', { skip }, async () => {
  const rs = await makeKey('RS256', 'rs');
  const other = await makeKey('RS256', 'rs'); // same kid, different key
  const config = { jwtRules: [{ issuer: ISS, audiences: ['api'], jwks: jwks(rs), outputClaimToHeaders: [{ header: 'x-user', claim: 'sub' }] }] };
  // A clock the test moves: the token expires while it sits in the cache.
  let skewNs = 0n;
  const base = nodePlatform();
  const platform = { ...base, nowNanos: () => base.nowNanos() + skewNs };
  let seen: UpstreamRequest | null = null;
  const host = new ProxyWasmHost({
    platform, workers: 1, logLevel: 'critical',
    upstream: (req) => { seen = req; return { status: 200, headers: [['content-length', '0']], body: new Uint8Array(0) }; },
  });
  try {
    host.addPlugin(await loadPluginFile({ file: wasm, name: 'jwt', configuration: new TextEncoder().encode(JSON.stringify(config)) }));
    const send = async (token: string, extra: [string, string][] = []) => {
      seen = null;
      const req: IncomingRequest = { method: 'GET', path: '/api', authority: 'example.com', scheme: 'http', protocol: 'HTTP/1.1',
        headers: [['authorization', `Bearer ${token}`], ...extra], body: new Uint8Array(0),
        connection: { id: host.newConnectionId(), sourceAddress: '127.0.0.1:4000', destinationAddress: '127.0.0.1:10000' } };
      const res = await host.handle(req);
      const got = seen as UpstreamRequest | null;
      const users = got ? got.headers.filter(([n]) => n === 'x-user').map(([, v]) => v) : null;
      return { status: res.status, body: new TextDecoder().decode(res.body), users };
    };
    const exp = Math.floor(Date.now() / 1000) + 600;
    const good = await mint(rs, { iss: ISS, sub: 'alice', aud: 'api', exp });
    const first = await send(good);
    assert.deepEqual([first.status, first.users], [200, ['alice']]);
    assert.deepEqual((await send(good, [['x-user', 'mallory']])).users, ['alice'], 'cached: the client copy is stripped, ours added');

    // One byte changed in the signature: not the cached token, so it is verified (and fails).
    const last = good.at(-2) === 'A' ? 'B' : 'A';
    const tampered = good.slice(0, -2) + last + good.slice(-1);
    assert.deepEqual(await send(tampered), { status: 401, body: 'Jwt verification fails', users: null });
    // Same claims signed by another key under the same kid: different bytes, refused.
    assert.equal((await send(await mint(other, { iss: ISS, sub: 'alice', aud: 'api', exp }))).status, 401);
    assert.equal((await send(good)).status, 200, 'the good token is still cached and valid');

    // Past exp + 60 s skew: the cached token is refused as expired.
    skewNs = BigInt(600 + 61) * 1_000_000_000n;
    assert.deepEqual(await send(good), { status: 401, body: 'Jwt is expired', users: null });
    skewNs = 0n;
    assert.equal((await send(good)).status, 200, 'back in time, the cached token passes again');

    // A token that passed under no rule is never cached: the wrong audience is refused every time.
    const wrongAud = await mint(rs, { iss: ISS, sub: 'alice', aud: 'other', exp });
    for (let i = 0; i < 2; i++) assert.deepEqual(await send(wrongAud), { status: 403, body: 'Audiences in Jwt are not allowed', users: null });
  } finally {
    host.close();
  }
});

// The cached path reads :path lazily and reuses its per-stream records: a repeated token must give the
// same upstream request as the first time wherever it came from, with the payload kept or dropped.
test('jwt-auth: a cached token from the query, or under a claim policy, edits the request as the first time did', { skip }, async () => {
  const rs = await makeKey('RS256', 'rs');
  const rules = { issuer: ISS, jwks: jwks(rs), outputPayloadToHeader: 'x-payload', outputClaimToHeaders: [{ header: 'x-groups', claim: 'groups' }] };
  const policy = { action: 'ALLOW', rules: [{ when: [{ key: 'request.auth.claims[groups]', values: ['dev'] }] }] };
  const exp = Math.floor(Date.now() / 1000) + 600;
  const dev = await mint(rs, { iss: ISS, sub: 'alice', exp, groups: ['dev'] });
  const ops = await mint(rs, { iss: ISS, sub: 'bob', exp, groups: ['ops'] });
  for (const config of [{ jwtRules: [rules] }, { jwtRules: [rules], policies: [policy] }]) {
    const { host, send } = await jwtHost(config, (n) => n === 'x-payload' || n === 'x-groups' || n === 'authorization');
    try {
      const payload = dev.split('.')[1]!;
      const groups = Buffer.from('["dev"]').toString('base64');
      const viaQuery = { status: 200, path: '/api?a=1&b=2', headers: [['x-payload', payload], ['x-groups', groups]] };
      for (let i = 0; i < 3; i++) {
        assert.deepEqual(await send(`/api?a=1&access_token=${dev}&b=2`, [['x-groups', 'forged']]), viaQuery, `query token, request ${i}`);
        assert.deepEqual(await send('/api', [['authorization', `Bearer ${dev}`]]),
          { status: 200, path: '/api', headers: [['x-payload', payload], ['x-groups', groups]] }, `header token, request ${i}`);
      }
      // Without the policy bob passes; with it his cached claims are still read and refused.
      for (let i = 0; i < 2; i++) assert.equal((await send('/api', [['authorization', `Bearer ${ops}`]])).status, config.policies ? 403 : 200);
    } finally {
      host.close();
    }
  }
});

// A remembered token keeps no signature bytes: checked later under another rule that never saw it, the
// signature is decoded again from the token and verified under that rule's keys.
test('jwt-auth: a token cached under one rule is verified afresh under another', { skip }, async () => {
  const rs = await makeKey('RS256', 'rs');
  const other = await makeKey('RS256', 'rs'); // same kid, different key
  const exp = Math.floor(Date.now() / 1000) + 600;
  // Same issuer, different token locations; rule B also knows another key under the same kid.
  const config = {
    jwtRules: [
      { issuer: ISS, jwks: jwks(rs), fromHeaders: [{ name: 'x-a' }], outputClaimToHeaders: [{ header: 'x-user-a', claim: 'sub' }] },
      { issuer: ISS, jwks: jwks(other, rs), fromHeaders: [{ name: 'x-b' }], outputClaimToHeaders: [{ header: 'x-user-b', claim: 'sub' }] },
    ],
  };
  const jwt = await jwtHost(config, (n) => n.startsWith('x-user'));
  const host = jwt.host;
  const send = async (headers: [string, string][]) => {
    const r = await jwt.send('/api', headers);
    return { status: r.status, users: r.headers };
  };
  try {
    const token = await mint(rs, { iss: ISS, sub: 'alice', exp });
    const forged = await mint(other, { iss: ISS, sub: 'alice', exp });
    for (let i = 0; i < 2; i++) {
      assert.deepEqual(await send([['x-a', token]]), { status: 200, users: [['x-user-a', 'alice']] }, `rule A, request ${i}`);
      assert.deepEqual(await send([['x-b', token]]), { status: 200, users: [['x-user-b', 'alice']] }, `rule B, request ${i}`);
      // Signed by a key only rule B has: cached under B, then refused by A's signature check every time.
      assert.deepEqual(await send([['x-b', forged]]), { status: 200, users: [['x-user-b', 'alice']] }, `forged under B, request ${i}`);
      assert.deepEqual(await send([['x-a', forged]]), { status: 401, users: null }, `forged under A, request ${i}`);
    }
  } finally {
    host.close();
  }
});
