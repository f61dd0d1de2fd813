// The oidc plugin in real Envoy 1.40 against the real provider, through a cluster: discovery, the login,
// the ID token upstream, a refresh after the ID token expired, the provider down (503, no trap), logout.
// The scenario corpus cannot set this up (it needs a provider). Skipped when Envoy or dist/oidc.wasm is missing.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { test } from 'node:test';
import { renderBootstrap } from '../../host/envoy/bootstrap.ts';
import { locateEnvoy } from '../../host/envoy/locate.ts';
import { startEnvoy, type RunningEnvoy } from '../../host/envoy/process.ts';
import { startEchoUpstream } from '../../host/node/echo-upstream.ts';
import { startTestProvider } from '../lib/oidc-provider.ts';
import { BROWSER, COOKIE_SECRET, freePort, headerOf, Jar, login, send, upstreamSaw, wasm, type Stack } from './oidc-stack.ts';

const envoy = locateEnvoy();
const skip = !existsSync(wasm) ? 'dist/oidc.wasm is not built' : 'missing' in envoy ? envoy.missing : false;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('Envoy: login through a cluster, bearer upstream, refresh, provider outage → 503, logout', { skip }, async () => {
  const port = await freePort();
  const origin = `http://localhost:${port}`;
  const idp = await startTestProvider({ redirectUris: [`${origin}/oauth2/callback`], postLogoutRedirectUris: [`${origin}/`], idTokenTtl: 2 });
  const upstream = await startEchoUpstream();
  const config = {
    issuer: idp.issuer, cluster: 'idp', clientId: 'meshplug', clientSecret: 'meshplug-secret', redirectUri: `${origin}/oauth2/callback`,
    scopes: ['openid', 'profile', 'email', 'offline_access'], cookieSecret: COOKIE_SECRET, logoutPath: '/logout', timeout: '1s',
  };
  const yaml = renderBootstrap({
    plugins: [{ name: 'oidc', wasmPath: wasm, configuration: JSON.stringify(config) }],
    upstream: upstream.url, clusters: [{ name: 'idp', url: idp.issuer }], listenPort: port, adminPort: 0,
  });
  let e: RunningEnvoy | null = null;
  try {
    e = await startEnvoy({ configYaml: yaml });
    const stack = { idp, origin } as Stack;
    const jar = new Jar();
    const { callback } = await login(stack, jar, '/app?x=1');
    assert.equal(callback.status, 302, callback.body);
    assert.equal(callback.location, '/app?x=1');
    const page = await send(jar, `${origin}/app?x=1`, { headers: BROWSER });
    assert.equal(page.status, 200);
    const token = headerOf(upstreamSaw(page).headers, 'authorization')!;
    assert.match(token, /^Bearer eyJ/);
    assert.equal(headerOf(upstreamSaw(page).headers, 'cookie'), undefined, 'no plugin cookie upstream');

    await sleep(2200); // the ID token expired: the plugin refreshes it through the cluster
    const renewed = await send(jar, `${origin}/app`, { headers: { accept: 'application/json' } });
    assert.equal(renewed.status, 200, renewed.body);
    assert.notEqual(headerOf(upstreamSaw(renewed).headers, 'authorization'), token);
    assert.ok(renewed.setCookies().some((c) => c.startsWith('oidc_session_0=') && !c.includes('Max-Age=0')));

    assert.equal((await send(new Jar(), `${origin}/api`, { headers: { accept: 'application/json' } })).status, 401);
    const bad = await send(new Jar(), `${origin}/api`, { headers: { accept: 'application/json', cookie: 'oidc_session_0=AAAA' } });
    assert.equal(bad.status, 401);

    // The session expires again while the provider hangs: Envoy times the callout out (the plugin's 1s) → 503.
    await sleep(2200);
    idp.fail = 0;
    const down = await send(jar, `${origin}/app`, { headers: { accept: 'application/json' } });
    assert.equal(down.status, 503);
    assert.equal(down.body, 'oidc: the identity provider is unavailable (token endpoint); try again later\n');
    idp.fail = null;

    const out = await send(jar, `${origin}/logout`, { headers: BROWSER });
    assert.equal(out.status, 302);
    assert.ok(out.location!.startsWith(`${idp.issuer}/session/end?id_token_hint=`));
    assert.deepEqual(jar.names(origin), []);
    assert.equal(e.logs().some((l) => /unreachable|Uncaught|wasm_fail_stream/.test(l.message)), false, 'no trap');
  } finally {
    await e?.stop();
    await upstream.close();
    await idp.close();
  }
});
