// Concurrent first requests share one discovery callout and concurrent callbacks one JWKS callout per VM:
// the waiting requests resume when it answers, and a failed fetch answers every one of them 503. Runs the
// real dist/oidc.wasm in our gateway in front of a scripted provider that counts what it is asked for
// and answers slowly, so the requests really overlap.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { request as httpRequest } from 'node:http';
import { test } from 'node:test';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';

type SigningKey = Parameters<SignJWT['sign']>[0];
import { renderBootstrap } from '../../host/envoy/bootstrap.ts';
import { locateEnvoy } from '../../host/envoy/locate.ts';
import { startEnvoy, type RunningEnvoy } from '../../host/envoy/process.ts';
import { startEchoUpstream } from '../../host/node/echo-upstream.ts';
import { startGateway } from '../../host/node/gateway.ts';
import { COOKIE_SECRET, freePort, wasm } from './oidc-stack.ts';

const skip = existsSync(wasm) ? false : 'dist/oidc.wasm is not built';
const envoy = locateEnvoy();
const skipEnvoy = skip || ('missing' in envoy ? envoy.missing : false);
const HTML = 'text/html,application/xhtml+xml;q=0.9,*/*;q=0.8';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface ScriptedProvider {
  issuer: string;
  hits: Record<string, number>;
  /** Per path: [status, delay ms]; the default is 200 after 300 ms. */
  answers: Record<string, [number, number]>;
  close(): Promise<void>;
}

/** Discovery, JWKS and a token endpoint that signs an ID token whose nonce is the code it is given. */
async function startScriptedProvider(clientId: string): Promise<ScriptedProvider> {
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' };
  const port = await freePort();
  const issuer = `http://127.0.0.1:${port}`;
  const hits: Record<string, number> = {};
  const answers: Record<string, [number, number]> = {};
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    hits[path] = (hits[path] ?? 0) + 1;
    let body = '';
    req.on('data', (c: Buffer) => { body += c.toString(); });
    req.on('end', async () => {
      const [status, delay] = answers[path] ?? [200, 300];
      await sleep(delay);
      if (status !== 200) { res.writeHead(status).end('provider failure'); return; }
      let doc: unknown;
      if (path === '/.well-known/openid-configuration') {
        doc = { issuer, authorization_endpoint: `${issuer}/auth`, token_endpoint: `${issuer}/token`, jwks_uri: `${issuer}/jwks` };
      } else if (path === '/jwks') doc = { keys: [jwk] };
      else if (path === '/token') doc = await tokenAnswer(privateKey, issuer, clientId, new URLSearchParams(body).get('code') ?? '');
      else { res.writeHead(404).end(); return; }
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(doc));
    });
  });
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', () => r()));
  return { issuer, hits, answers, close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }) };
}

async function tokenAnswer(key: SigningKey, issuer: string, clientId: string, nonce: string): Promise<unknown> {
  const now = Math.floor(Date.now() / 1000);
  const idToken = await new SignJWT({ nonce }).setProtectedHeader({ alg: 'ES256', kid: 'k1' }).setIssuer(issuer)
    .setSubject('alice').setAudience(clientId).setIssuedAt(now).setExpirationTime(now + 300).sign(key);
  return { access_token: 'at', token_type: 'Bearer', expires_in: 300, id_token: idToken };
}

interface Answer { status: number; location: string; setCookie: string[]; body: string }

function get(port: number, path: string, headers: Record<string, string>): Promise<Answer> {
  return new Promise((ok, bad) => {
    const r = httpRequest({ host: '127.0.0.1', port, path, headers: { host: `localhost:${port}`, ...headers } }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => { body += c.toString(); });
      res.on('end', () => ok({ status: res.statusCode ?? 0, location: String(res.headers.location ?? ''), setCookie: res.headers['set-cookie'] ?? [], body }));
    });
    r.on('error', bad);
    r.end();
  });
}

type HostKind = 'ours' | 'envoy';

/** The plugin in our gateway or in real Envoy 1.40, with cluster `idp` reaching the scripted provider. */
async function withStack(host: HostKind, fn: (s: { port: number; idp: ScriptedProvider }) => Promise<void>): Promise<void> {
  const idp = await startScriptedProvider('meshplug');
  const port = await freePort();
  const config = JSON.stringify({
    issuer: idp.issuer, cluster: 'idp', clientId: 'meshplug', clientSecret: 's3cret', redirectUri: `http://localhost:${port}/oauth2/callback`,
    cookieSecret: COOKIE_SECRET, timeout: '3s',
  });
  let stop: () => Promise<void>;
  if (host === 'ours') {
    const gateway = await startGateway({
      listen: { host: '127.0.0.1', port }, admin: null, upstream: 'echo', workers: 1, logLevel: 'warn', statsTags: null,
      clusters: { idp: idp.issuer },
      plugins: [{ name: 'oidc', wasm, rootId: '', vmId: '', failurePolicy: 'FAIL_CLOSED', config }],
    }, () => {});
    stop = () => gateway.close();
  } else {
    const upstream = await startEchoUpstream();
    const yaml = renderBootstrap({
      plugins: [{ name: 'oidc', wasmPath: wasm, configuration: config }], upstream: upstream.url,
      clusters: [{ name: 'idp', url: idp.issuer }], listenPort: port, adminPort: 0,
    });
    let e: RunningEnvoy;
    try {
      e = await startEnvoy({ configYaml: yaml });
    } catch (err) {
      await upstream.close();
      throw err;
    }
    stop = async () => { await e.stop(); await upstream.close(); };
  }
  try {
    await fn({ port, idp });
  } finally {
    await stop();
    await idp.close();
  }
}

const DISCOVERY = '/.well-known/openid-configuration';

for (const host of ['ours', 'envoy'] as const) {
  test(`${host}: concurrent first requests share one discovery callout and all get their redirect`, { skip: host === 'ours' ? skip : skipEnvoy }, async () => {
  await withStack(host, async ({ port, idp }) => {
    const answers = await Promise.all([1, 2, 3, 4, 5, 6].map((i) => get(port, `/page/${i}`, { accept: HTML })));
    for (const a of answers) {
      assert.equal(a.status, 302, a.body);
      assert.ok(a.location.startsWith(`${idp.issuer}/auth?`), a.location);
    }
    assert.equal(idp.hits[DISCOVERY], 1);
    // Discovered once, kept: later requests do not call out.
    assert.equal((await get(port, '/later', { accept: HTML })).status, 302);
    assert.equal(idp.hits[DISCOVERY], 1);
  });
  });
}

test('a failed discovery answers every request waiting for it 503; the next request tries again', { skip }, async () => {
  await withStack('ours', async ({ port, idp }) => {
    idp.answers[DISCOVERY] = [500, 300];
    const answers = await Promise.all([1, 2, 3, 4, 5].map((i) => get(port, `/page/${i}`, { accept: HTML })));
    for (const a of answers) {
      assert.equal(a.status, 503);
      assert.equal(a.body, 'oidc: the identity provider is unavailable (discovery); try again later\n');
    }
    assert.equal(idp.hits[DISCOVERY], 1);
    idp.answers[DISCOVERY] = [200, 0];
    assert.equal((await get(port, '/again', { accept: HTML })).status, 302);
    assert.equal(idp.hits[DISCOVERY], 2);
  });
});

/** Starts `n` logins (one browser each): the state cookie and the callback path whose code is the nonce. */
async function startLogins(port: number, n: number): Promise<{ cookie: string; callback: string; path: string }[]> {
  const out: { cookie: string; callback: string; path: string }[] = [];
  for (let i = 0; i < n; i++) {
    const path = `/app/${i}`;
    const a = await get(port, path, { accept: HTML });
    assert.equal(a.status, 302, a.body);
    const q = new URL(a.location).searchParams;
    const cookie = a.setCookie.map((c) => c.split(';')[0]!).find((c) => c.startsWith('oidc_state='))!;
    out.push({ cookie, path, callback: `/oauth2/callback?code=${encodeURIComponent(q.get('nonce')!)}&state=${encodeURIComponent(q.get('state')!)}` });
  }
  return out;
}

test('concurrent callbacks share one JWKS callout and all sign in', { skip }, async () => {
  await withStack('ours', async ({ port, idp }) => {
    const logins = await startLogins(port, 4);
    const answers = await Promise.all(logins.map((l) => get(port, l.callback, { accept: HTML, cookie: l.cookie })));
    answers.forEach((a, i) => {
      assert.equal(a.status, 302, a.body);
      assert.equal(a.location, logins[i]!.path);
      assert.ok(a.setCookie.some((c) => c.startsWith('oidc_session_0=') && !c.startsWith('oidc_session_0=;')), a.setCookie.join(' | '));
    });
    assert.equal(idp.hits['/token'], 4);
    assert.equal(idp.hits['/jwks'], 1);
  });
});

test('a failed JWKS fetch answers every callback waiting for it 503, none signs in', { skip }, async () => {
  await withStack('ours', async ({ port, idp }) => {
    const logins = await startLogins(port, 3);
    idp.answers['/jwks'] = [503, 300];
    // The token answers come back at once, so the callbacks queue on the one slow JWKS callout.
    idp.answers['/token'] = [200, 0];
    const answers = await Promise.all(logins.map((l) => get(port, l.callback, { accept: HTML, cookie: l.cookie })));
    for (const a of answers) {
      assert.equal(a.status, 503);
      assert.equal(a.body, 'oidc: the identity provider is unavailable (signing keys); try again later\n');
      assert.ok(!a.setCookie.some((c) => c.startsWith('oidc_session_0=') && !c.startsWith('oidc_session_0=;')));
    }
    assert.equal(idp.hits['/jwks'], 1);
  });
});

// In Envoy a stream that goes away takes its callout with it, so a waiter must call out itself (our
// host lets the callout finish and delivers nothing, and the waiter resumes from the answer).
for (const host of ['ours', 'envoy'] as const) {
  test(`${host}: when the request that called out goes away, a waiting request still gets its answer`, { skip: host === 'ours' ? skip : skipEnvoy }, async () => {
    await withStack(host, async ({ port, idp }) => {
      idp.answers[DISCOVERY] = [200, 1500];
      const first = httpRequest({ host: '127.0.0.1', port, path: '/leader', headers: { host: `localhost:${port}`, accept: HTML } });
      first.on('error', () => {});
      first.end();
      while (!idp.hits[DISCOVERY]) await sleep(20);
      const waiting = get(port, '/waiter', { accept: HTML });
      await sleep(300);
      first.destroy();
      const a = await waiting;
      assert.equal(a.status, 302, a.body);
      assert.ok(a.location.startsWith(`${idp.issuer}/auth?`));
      assert.equal(idp.hits[DISCOVERY], host === 'envoy' ? 2 : 1);
    });
  });
}
