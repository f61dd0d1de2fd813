// jwt-auth decodes the three segments with its own table-driven base64url decoder (plugins/jwt-auth/b64url.ts)
// and skips decoding a header identical to the last good one. Both must refuse exactly what strict base64url
// refuses (RFC 4648 §5: URL alphabet only, no padding, length mod 4 != 1, zero unused bits), each with its
// segment's reason, on one VM so that the remembered header is in play.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ProxyWasmHost } from '../../host/core/host.ts';
import { loadPluginFile } from '../../host/node/load-plugin.ts';
import { nodePlatform } from '../../host/node/platform.ts';
import { jwks, makeKey, mint } from './jwt-auth-keys.ts';

const wasm = fileURLToPath(new URL('../../dist/jwt-auth.wasm', import.meta.url));
const skip = existsSync(wasm) ? false : 'dist/jwt-auth.wasm missing: run `npm run build:plugin -- jwt-auth`';
const ISS = 'https://issuer.example.com';
const URL_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** The reference: strict unpadded base64url. */
function strictlyValid(s: string): boolean {
  return /^[A-Za-z0-9_-]*$/.test(s) && s.length % 4 !== 1 && Buffer.from(s, 'base64url').toString('base64url') === s;
}

/** Variants of a valid segment that strict base64url refuses. */
function invalidVariants(s: string): string[] {
  const last = URL_ALPHABET.indexOf(s.at(-1)!);
  // A final group of 2 or 3 characters whose last character has an unused bit set.
  const nonCanonical = s.length % 4 === 0
    ? [`${s}AB`, `${s}AAB`]
    : [s.slice(0, -1) + URL_ALPHABET[last | 1]!];
  return [
    ...nonCanonical,
    `${s}=`, `${s}==`, `${s.slice(0, 4)}=${s.slice(4)}`,
    `${s.slice(0, 5)}+${s.slice(6)}`, `${s.slice(0, 5)}/${s.slice(6)}`, `${s.slice(0, 5)} ${s.slice(6)}`,
    `${s.slice(0, 5)}*${s.slice(6)}`,
    s.length % 4 === 0 ? `${s}A` : s.length % 4 === 2 ? s.slice(0, -1) : s.slice(0, -2),
  ];
}

test('jwt-auth: each segment is refused exactly when strict base64url refuses it', { skip }, async () => {
  const hs = await makeKey('HS256', 'hs');
  const config = { jwtRules: [{ issuer: ISS, jwks: jwks(hs) }] };
  const host = new ProxyWasmHost({
    platform: nodePlatform(), workers: 1, logLevel: 'critical',
    upstream: () => ({ status: 200, headers: [['content-length', '0']], body: new Uint8Array(0) }),
  });
  try {
    host.addPlugin(await loadPluginFile({ file: wasm, name: 'jwt', configuration: new TextEncoder().encode(JSON.stringify(config)) }));
    const send = async (token: string) => {
      const res = await host.handle({ method: 'GET', path: '/api', authority: 'example.com', scheme: 'http', protocol: 'HTTP/1.1',
        headers: [['authorization', `Bearer ${token}`]], body: new Uint8Array(0),
        connection: { id: host.newConnectionId(), sourceAddress: '127.0.0.1:4000', destinationAddress: '127.0.0.1:10000' } });
      return { status: res.status, body: new TextDecoder().decode(res.body) };
    };
    const exp = Math.floor(Date.now() / 1000) + 600;
    const names = ['header', 'payload', 'signature'];
    for (const sub of ['alice', 'bo', 'carol']) { // payload lengths with different remainders mod 4
      const good = await mint(hs, { iss: ISS, sub, exp });
      const parts = good.split('.');
      for (let seg = 0; seg < 3; seg++) {
        for (const v of invalidVariants(parts[seg]!)) {
          assert.equal(strictlyValid(v), false, `the reference refuses ${JSON.stringify(v)}`);
          const token = parts.map((p, i) => (i === seg ? v : p)).join('.');
          // A good token first: its header is then the remembered one.
          assert.equal((await send(good)).status, 200, 'the untouched token passes');
          assert.deepEqual(await send(token), { status: 401, body: `Jwt ${names[seg]} is an invalid Base64url encoded` }, `${names[seg]} ${JSON.stringify(v)}`);
        }
      }
    }
  } finally {
    host.close();
  }
});
