// The per-VM cache of opened sessions picks a slot from the cookie's last bytes only, so a cookie that
// shares a cached session's length and end (same slot, same hash) must still be refused unless every byte
// matches: the full compare, not the hash, decides. Cookies differing in their first, a middle or the
// byte just before the hashed tail all land on the cached entry's slot.
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
const ISSUER = 'https://login.example.com';

/** The cookie with the base64url character at `i` replaced by another one. */
function flip(cookie: string, i: number): string {
  const c = cookie[i] === 'A' ? 'B' : 'A';
  return cookie.slice(0, i) + c + cookie.slice(i + 1);
}

test('oidc: a cookie sharing a cached session\'s slot and hash is not that session', { skip }, async () => {
  const now = Math.floor(Date.now() / 1000);
  const cookie = mintSessionCookie(COOKIE_SECRET, ISSUER, 'meshplug', { createdS: now, expiresS: now + 600, idToken: `eyJ${'x'.repeat(700)}.y.z` });
  const host = new ProxyWasmHost({
    platform: nodePlatform(), workers: 1, logLevel: 'critical',
    upstream: () => ({ status: 200, headers: [['content-length', '0']], body: new Uint8Array(0) }),
  });
  try {
    const configuration = new TextEncoder().encode(JSON.stringify({
      issuer: ISSUER, cluster: 'idp', clientId: 'meshplug', clientSecret: 'x', redirectUri: 'https://app.example.com/oauth2/callback',
      cookieSecret: COOKIE_SECRET, provider: { authorizationEndpoint: `${ISSUER}/auth`, tokenEndpoint: `${ISSUER}/token`, jwksUri: `${ISSUER}/jwks` },
    }));
    host.addPlugin(await loadPluginFile({ file: wasm, name: 'oidc', configuration }));
    const send = async (value: string) => {
      const req: IncomingRequest = { method: 'GET', path: '/api', authority: 'app.example.com', scheme: 'https', protocol: 'HTTP/1.1',
        headers: [['accept', 'application/json'], ['cookie', `oidc_session_0=${value}`]], body: new Uint8Array(0),
        connection: { id: host.newConnectionId(), sourceAddress: '127.0.0.1:4000', destinationAddress: '127.0.0.1:10000' } };
      return (await host.handle(req)).status;
    };
    assert.equal(await send(cookie), 200, 'opened and cached');
    assert.equal(await send(cookie), 200, 'from the cache');
    const len = cookie.length;
    for (const at of [0, 1, len >> 1, len - 33, len - 40]) {
      assert.equal(await send(flip(cookie, at)), 401, `one character changed at ${at} of ${len}`);
    }
    assert.equal(await send(cookie), 200, 'the cached session is still served');
  } finally {
    host.close();
  }
});
