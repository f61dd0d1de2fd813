// oidc survives a live configuration change on a running VM (an updated WasmPlugin): a new cookieSecret
// makes every cached session foreign at once, and a refused configuration keeps the previous one.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { test } from 'node:test';
import { ProxyWasmHost } from '../../host/core/host.ts';
import type { IncomingRequest } from '../../host/core/types.ts';
import { loadPluginFile } from '../../host/node/load-plugin.ts';
import { nodePlatform } from '../../host/node/platform.ts';
import { mintSessionCookie } from './oidc-session-mint.ts';
import { COOKIE_SECRET, wasm } from './oidc-stack.ts';

const skip = existsSync(wasm) ? false : 'dist/oidc.wasm missing (npm run build:plugin -- oidc)';
const enc = new TextEncoder();
const ISSUER = 'https://login.example.com';
const OTHER_SECRET = Buffer.alloc(32, 3).toString('base64');

function config(cookieSecret: string): Uint8Array {
  return enc.encode(JSON.stringify({
    issuer: ISSUER, cluster: 'idp', clientId: 'meshplug', clientSecret: 'x', redirectUri: 'https://app.example.com/oauth2/callback', cookieSecret,
    provider: { authorizationEndpoint: `${ISSUER}/auth`, tokenEndpoint: `${ISSUER}/token`, jwksUri: `${ISSUER}/jwks` },
  }));
}

test('oidc: reconfiguring a running VM re-keys the sessions (cache included) and keeps the plan on a bad config', { skip }, async () => {
  const now = Math.floor(Date.now() / 1000);
  const session = { createdS: now, expiresS: now + 600, idToken: 'a.b.c' };
  const underA = mintSessionCookie(COOKIE_SECRET, ISSUER, 'meshplug', session);
  const underB = mintSessionCookie(OTHER_SECRET, ISSUER, 'meshplug', session);
  const host = new ProxyWasmHost({
    platform: nodePlatform(), workers: 1, logLevel: 'critical',
    upstream: () => ({ status: 200, headers: [['content-length', '0']], body: new Uint8Array(0) }),
  });
  try {
    host.addPlugin(await loadPluginFile({ file: wasm, name: 'oidc', configuration: config(COOKIE_SECRET) }));
    const send = async (cookie: string) => {
      const req: IncomingRequest = { method: 'GET', path: '/api', authority: 'app.example.com', scheme: 'https', protocol: 'HTTP/1.1',
        headers: [['accept', 'application/json'], ['cookie', `oidc_session_0=${cookie}`]], body: new Uint8Array(0),
        connection: { id: host.newConnectionId(), sourceAddress: '127.0.0.1:4000', destinationAddress: '127.0.0.1:10000' } };
      return (await host.handle(req)).status;
    };
    assert.deepEqual([await send(underA), await send(underA), await send(underB)], [200, 200, 401]);
    host.reconfigure('oidc', config(OTHER_SECRET));
    assert.deepEqual([await send(underA), await send(underB)], [401, 200], 'the cached session of the old key is not trusted');
    assert.throws(() => host.reconfigure('oidc', enc.encode('{"issuer": "x"}')));
    assert.deepEqual([await send(underA), await send(underB)], [401, 200]);
  } finally {
    host.close();
  }
});
