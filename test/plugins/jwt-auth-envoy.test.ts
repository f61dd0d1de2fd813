// jwt-auth's remote JWKS in real Envoy 1.40, which the scenario corpus cannot set up (it needs a JWKS
// server): keys fetched through a cluster, used, cached across requests, and a bad token still refused.
// Skipped when Envoy or dist/jwt-auth.wasm is missing.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import { test } from 'node:test';
import { renderBootstrap } from '../../host/envoy/bootstrap.ts';
import { locateEnvoy } from '../../host/envoy/locate.ts';
import { startEnvoy, type RunningEnvoy } from '../../host/envoy/process.ts';
import { startEchoUpstream } from '../../host/node/echo-upstream.ts';
import { jwks, makeKey, mint } from './jwt-auth-keys.ts';

const wasm = new URL('../../dist/jwt-auth.wasm', import.meta.url).pathname;
const envoy = locateEnvoy();
const skip = !existsSync(wasm) ? 'dist/jwt-auth.wasm is not built' : 'missing' in envoy ? envoy.missing : false;
const ISS = 'https://issuer.example.com';

test('Envoy: remote JWKS through a cluster, fetched once for several requests', { skip }, async () => {
  const key = await makeKey('ES256', 'k1');
  const other = await makeKey('ES256', 'k1');
  let hits = 0;
  let seenAuthority = '';
  const idp = createServer((req, res) => {
    hits++;
    seenAuthority = req.headers.host ?? '';
    res.writeHead(200, { 'content-type': 'application/json' }).end(jwks(key));
  });
  await new Promise<void>((ok) => idp.listen(0, '127.0.0.1', () => ok()));
  const idpUrl = `http://127.0.0.1:${(idp.address() as { port: number }).port}`;
  const upstream = await startEchoUpstream();
  const config = { jwtRules: [{ issuer: ISS, jwksUri: 'http://idp.example.com/keys', jwksCluster: 'idp' }] };
  const yaml = renderBootstrap({
    plugins: [{ name: 'jwt-auth', wasmPath: wasm, configuration: JSON.stringify(config) }],
    upstream: upstream.url, clusters: [{ name: 'idp', url: idpUrl }], listenPort: 0, adminPort: 0,
  });
  let e: RunningEnvoy | null = null;
  try {
    e = await startEnvoy({ configYaml: yaml });
    const get = async (token: string) => {
      const r = await fetch(`http://127.0.0.1:${e!.ports.ingress}/api`, { headers: { authorization: `Bearer ${token}` } });
      return { status: r.status, body: await r.text() };
    };
    const good = await mint(key, { iss: ISS, sub: 'alice' });
    for (let i = 0; i < 3; i++) assert.equal((await get(good)).status, 200);
    assert.deepEqual(await get(await mint(other, { iss: ISS })), { status: 401, body: 'Jwt verification fails' });
    assert.equal(hits, 1, 'the keys are fetched once and cached');
    assert.equal(seenAuthority, 'idp.example.com');
  } finally {
    await e?.stop();
    await upstream.close();
    idp.closeAllConnections();
    await new Promise<void>((ok) => idp.close(() => ok()));
  }
});

test('Envoy: concurrent requests wait for one slow JWKS fetch and all resume', { skip }, async () => {
  const key = await makeKey('ES256', 'k1');
  let hits = 0;
  const idp = createServer((req, res) => {
    hits++;
    setTimeout(() => res.writeHead(200, { 'content-type': 'application/json' }).end(jwks(key)), 400);
  });
  await new Promise<void>((ok) => idp.listen(0, '127.0.0.1', () => ok()));
  const idpUrl = `http://127.0.0.1:${(idp.address() as { port: number }).port}`;
  const upstream = await startEchoUpstream();
  const config = { jwtRules: [{ issuer: ISS, jwksUri: 'http://idp.example.com/keys', jwksCluster: 'idp' }] };
  const yaml = renderBootstrap({
    plugins: [{ name: 'jwt-auth', wasmPath: wasm, configuration: JSON.stringify(config) }],
    upstream: upstream.url, clusters: [{ name: 'idp', url: idpUrl }], listenPort: 0, adminPort: 0,
  });
  let e: RunningEnvoy | null = null;
  try {
    e = await startEnvoy({ configYaml: yaml });
    const good = await mint(key, { iss: ISS, sub: 'alice' });
    const statuses = await Promise.all(Array.from({ length: 6 }, async () => {
      const r = await fetch(`http://127.0.0.1:${e!.ports.ingress}/api`, { headers: { authorization: `Bearer ${good}`, connection: 'close' } });
      await r.text();
      return r.status;
    }));
    assert.deepEqual(statuses, Array(6).fill(200));
    assert.equal(hits, 1, 'one fetch for six waiting requests');
  } finally {
    await e?.stop();
    await upstream.close();
    idp.closeAllConnections();
    await new Promise<void>((ok) => idp.close(() => ok()));
  }
});

test('Envoy: verifyWith "host" loads (Envoy has verify_signature) and answers as the Wasm crypto does', { skip }, async () => {
  const keys = await Promise.all((['RS256', 'RS512', 'ES256', 'ES384', 'PS256', 'EdDSA'] as const).map((alg) => makeKey(alg, alg)));
  const upstream = await startEchoUpstream();
  const run = async (verifyWith: string) => {
    const config = { jwtRules: [{ issuer: ISS, jwks: jwks(...keys) }], verifyWith };
    const yaml = renderBootstrap({
      plugins: [{ name: 'jwt-auth', wasmPath: wasm, configuration: JSON.stringify(config) }], upstream: upstream.url, listenPort: 0, adminPort: 0,
    });
    const e = await startEnvoy({ configYaml: yaml });
    try {
      const out: string[] = [];
      for (const key of keys) {
        const good = await mint(key, { iss: ISS, sub: 'alice' });
        const [h, p, sig] = good.split('.');
        const bad = Buffer.from(sig, 'base64url');
        bad[3] ^= 1;
        for (const token of [good, `${h}.${p}.${bad.toString('base64url')}`]) {
          const r = await fetch(`http://127.0.0.1:${e.ports.ingress}/api`, { headers: { authorization: `Bearer ${token}` } });
          out.push(`${key.alg} ${r.status} ${await r.text()}`.slice(0, 60));
        }
      }
      return out;
    } finally {
      await e.stop();
    }
  };
  try {
    const host = await run('host');
    assert.equal(host.filter((l) => l.includes(' 200 ')).length, keys.length, host.join('\n'));
    assert.equal(host.filter((l) => l.endsWith(' 401 Jwt verification fails')).length, keys.length, host.join('\n'));
    assert.deepEqual(await run('wasm'), host);
  } finally {
    await upstream.close();
  }
});
