// jwt-auth's remote JWKS against a real JWKS server on 127.0.0.1, through dist/jwt-auth.wasm in our host
// with one worker (one VM): concurrent requests share one fetch, a slow server makes them all wait for
// the same answer, an unknown kid (rotated keys) triggers one rate-limited refetch, and keys are refreshed
// in the background before they expire.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { test } from 'node:test';
import { ProxyWasmHost } from '../../host/core/host.ts';
import { loadPluginFile } from '../../host/node/load-plugin.ts';
import { nodePlatform } from '../../host/node/platform.ts';
import { jwks, makeKey, mint, type KeyPair } from './jwt-auth-keys.ts';

const wasm = new URL('../../dist/jwt-auth.wasm', import.meta.url).pathname;
const skip = existsSync(wasm) ? false : 'dist/jwt-auth.wasm is not built (npm run build:plugin -- jwt-auth)';
const ISS = 'https://issuer.example.com';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A JWKS server whose keys, delay and status can change mid-test; counts GETs. */
async function jwksServer() {
  const state = { keys: [] as KeyPair[], delayMs: 0, status: 200, hits: 0 };
  const server: Server = createServer((req, res) => {
    state.hits++;
    setTimeout(() => res.writeHead(state.status, { 'content-type': 'application/json' }).end(state.status === 200 ? jwks(...state.keys) : 'down'), state.delayMs);
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', () => ok()));
  const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  return { state, url, close: () => { server.closeAllConnections(); return new Promise<void>((ok) => server.close(() => ok())); } };
}

async function gateway(url: string, rule: Record<string, unknown> = {}) {
  const host = new ProxyWasmHost({
    platform: nodePlatform(), workers: 1, logLevel: 'off', clusters: { idp: url },
    upstream: () => ({ status: 200, headers: [['content-length', '2']], body: new TextEncoder().encode('ok') }),
  });
  const config = { jwtRules: [{ issuer: ISS, jwksUri: 'http://idp.example.com/jwks', jwksCluster: 'idp', ...rule }] };
  host.addPlugin(await loadPluginFile({ file: wasm, configuration: JSON.stringify(config), name: 'jwt-auth' }));
  const send = async (token: string) => {
    const r = await host.handle({
      method: 'GET', path: '/api', authority: 'example.com', scheme: 'http', protocol: 'HTTP/1.1',
      headers: [['authorization', `Bearer ${token}`]], body: new Uint8Array(0),
      connection: { id: host.newConnectionId(), sourceAddress: '127.0.0.1:40000', destinationAddress: '127.0.0.1:10000' },
    });
    return { status: r.status, body: new TextDecoder().decode(r.body) };
  };
  return { send, close: () => host.close() };
}

test('remote JWKS: concurrent requests share one slow fetch; a failed fetch answers every waiter', { skip }, async () => {
  const key = await makeKey('ES256', 'k1');
  const srv = await jwksServer();
  srv.state.keys = [key];
  srv.state.delayMs = 300;
  const gw = await gateway(srv.url);
  try {
    const token = await mint(key, { iss: ISS, sub: 'a' });
    const answers = await Promise.all(Array.from({ length: 8 }, () => gw.send(token)));
    assert.deepEqual(answers.map((a) => a.status), Array(8).fill(200));
    assert.equal(srv.state.hits, 1, 'eight waiting requests, one fetch');
  } finally {
    gw.close();
  }
  const gw2 = await gateway(srv.url, { timeout: '1s' });
  srv.state.status = 503;
  srv.state.hits = 0;
  try {
    const token = await mint(key, { iss: ISS, sub: 'a' });
    const answers = await Promise.all(Array.from({ length: 5 }, () => gw2.send(token)));
    assert.deepEqual(answers, Array(5).fill({ status: 401, body: 'Jwks remote fetch is failed' }));
    assert.equal(srv.state.hits, 1);
  } finally {
    gw2.close();
    await srv.close();
  }
});

test('remote JWKS: an unknown kid refetches once (rotation), then is rate-limited', { skip }, async () => {
  const old = await makeKey('ES256', 'old');
  const rotated = await makeKey('ES256', 'new');
  const srv = await jwksServer();
  srv.state.keys = [old];
  const gw = await gateway(srv.url);
  try {
    assert.equal((await gw.send(await mint(old, { iss: ISS }))).status, 200);
    assert.equal(srv.state.hits, 1);
    srv.state.keys = [old, rotated];
    assert.equal((await gw.send(await mint(rotated, { iss: ISS }))).status, 200, 'the new kid is found after one refetch');
    assert.equal(srv.state.hits, 2);
    const stranger = await makeKey('ES256', 'nobody');
    assert.deepEqual(await gw.send(await mint(stranger, { iss: ISS })), { status: 401, body: "Jwks doesn't have key to match kid or alg from Jwt" });
    assert.deepEqual(await gw.send(await mint(stranger, { iss: ISS })), { status: 401, body: "Jwks doesn't have key to match kid or alg from Jwt" });
    assert.equal(srv.state.hits, 2, 'bogus kids within the rate limit cause no fetch');
  } finally {
    gw.close();
    await srv.close();
  }
});

test('remote JWKS: keys are refreshed in the background before they expire', { skip }, async () => {
  const key = await makeKey('ES256', 'k1');
  const srv = await jwksServer();
  srv.state.keys = [key];
  const gw = await gateway(srv.url, { jwksCacheDuration: '2s' });
  try {
    const token = await mint(key, { iss: ISS });
    assert.equal((await gw.send(token)).status, 200);
    assert.equal(srv.state.hits, 1);
    // At 80% of 2 s the tick (every second) starts a refresh without any request waiting for it.
    await sleep(2600);
    assert.ok(srv.state.hits >= 2, `background refresh happened (${srv.state.hits} fetches)`);
    srv.state.delayMs = 3000; // a request now must not wait for a fetch: the keys are fresh
    const t0 = Date.now();
    assert.equal((await gw.send(token)).status, 200);
    assert.ok(Date.now() - t0 < 1000, 'served from refreshed keys');
  } finally {
    gw.close();
    await srv.close();
  }
});
