// jwt-auth survives a live configuration change on a running VM (an updated WasmPlugin): new keys take
// effect at once (the verified-token cache does not let an old key's token through), and a refused
// configuration keeps the previous rules.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ProxyWasmHost } from '../../host/core/host.ts';
import type { IncomingRequest } from '../../host/core/types.ts';
import { loadPluginFile } from '../../host/node/load-plugin.ts';
import { nodePlatform } from '../../host/node/platform.ts';
import { jwks, makeKey, mint } from './jwt-auth-keys.ts';

const wasm = fileURLToPath(new URL('../../dist/jwt-auth.wasm', import.meta.url));
const skip = existsSync(wasm) ? false : 'dist/jwt-auth.wasm missing: run `npm run build:plugin -- jwt-auth`';
const enc = new TextEncoder();
const ISS = 'https://issuer.example.com';

test('jwt-auth: reconfiguring a running VM swaps keys and keeps the rules on a bad config', { skip }, async () => {
  const a = await makeKey('ES256', 'k');
  const b = await makeKey('ES256', 'k');
  const config = (k: typeof a) => enc.encode(JSON.stringify({ jwtRules: [{ issuer: ISS, jwks: jwks(k) }] }));
  const host = new ProxyWasmHost({
    platform: nodePlatform(), workers: 1, logLevel: 'critical',
    upstream: () => ({ status: 200, headers: [['content-length', '0']], body: new Uint8Array(0) }),
  });
  try {
    host.addPlugin(await loadPluginFile({ file: wasm, name: 'jwt', configuration: config(a) }));
    const send = async (token: string) => {
      const req: IncomingRequest = { method: 'GET', path: '/', authority: 'example.com', scheme: 'http', protocol: 'HTTP/1.1',
        headers: [['authorization', `Bearer ${token}`]], body: new Uint8Array(0),
        connection: { id: host.newConnectionId(), sourceAddress: '127.0.0.1:4000', destinationAddress: '127.0.0.1:10000' } };
      return (await host.handle(req)).status;
    };
    const ta = await mint(a, { iss: ISS });
    const tb = await mint(b, { iss: ISS });
    assert.deepEqual([await send(ta), await send(ta), await send(tb)], [200, 200, 401]);
    host.reconfigure('jwt', config(b));
    assert.deepEqual([await send(ta), await send(tb)], [401, 200], 'the cached token of the old key is not trusted');
    assert.throws(() => host.reconfigure('jwt', enc.encode('{"jwtRules": [{"issuer": "x"}]}')));
    assert.deepEqual([await send(ta), await send(tb)], [401, 200]);
  } finally {
    host.close();
  }
});
