// jwt-auth's peer-identity policy fields through the real dist/jwt-auth.wasm in our host, which (unlike the
// Envoy oracle, whose peer is plain TCP) can present a TLS peer certificate: `principals` / `namespaces` /
// `source.principal` / `source.namespace` against the SPIFFE URI SAN as Istio matches them, `ipBlocks`
// against the peer address, `connection.sni`.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { test } from 'node:test';
import { startHostSide } from '../../envoy-test/jwt-oracle-host.ts';
import type { OracleRequest } from '../../envoy-test/jwt-oracle-types.ts';

const wasm = new URL('../../dist/jwt-auth.wasm', import.meta.url).pathname;
const skip = existsSync(wasm) ? false : 'dist/jwt-auth.wasm is not built (npm run build:plugin -- jwt-auth)';

const on = (path: string, extra: object) => ({ to: [{ operation: { paths: [path] } }], ...extra });
const config = {
  policies: [{
    action: 'ALLOW',
    rules: [
      on('/p-exact', { from: [{ source: { principals: ['cluster.local/ns/shop/sa/cart'] } }] }),
      on('/p-any', { from: [{ source: { principals: ['*'] } }] }),
      on('/p-prefix', { from: [{ source: { principals: ['cluster.local/ns/shop/*'] } }] }),
      on('/p-suffix', { from: [{ source: { principals: ['*/sa/cart'] } }] }),
      on('/p-not', { from: [{ source: { notPrincipals: ['cluster.local/ns/shop/sa/cart'] } }] }),
      on('/ns', { from: [{ source: { namespaces: ['shop'] } }] }),
      on('/ns-glob', { from: [{ source: { namespaces: ['sh*'] } }] }),
      on('/ns-not', { from: [{ source: { notNamespaces: ['shop'] } }] }),
      on('/w-principal', { when: [{ key: 'source.principal', values: ['cluster.local/ns/shop/sa/cart'] }] }),
      on('/w-ns', { when: [{ key: 'source.namespace', values: ['shop'] }] }),
      on('/ip', { from: [{ source: { ipBlocks: ['10.0.0.0/8', '2001:db8::/32'] } }] }),
      on('/sni', { when: [{ key: 'connection.sni', values: ['*.example.com'] }] }),
    ],
  }],
};

const cart = 'spiffe://cluster.local/ns/shop/sa/cart';
const cases: [string, OracleRequest['peer'] | undefined, number][] = [
  ['/p-exact', { uriSan: cart }, 200],
  ['/p-exact', { uriSan: 'spiffe://cluster.local/ns/shop/sa/cart-admin' }, 403],
  ['/p-exact', undefined, 403],
  ['/p-any', { uriSan: cart }, 200],
  ['/p-any', undefined, 403],
  ['/p-prefix', { uriSan: cart }, 200],
  ['/p-prefix', { uriSan: 'spiffe://cluster.local/ns/other/sa/cart' }, 403],
  ['/p-suffix', { uriSan: cart }, 200],
  ['/p-suffix', { uriSan: 'spiffe://td/ns/x/sa/cartx' }, 403],
  ['/p-not', { uriSan: cart }, 403],
  ['/p-not', undefined, 200],
  ['/ns', { uriSan: cart }, 200],
  ['/ns', { uriSan: 'spiffe://cluster.local/ns/shopping/sa/cart' }, 403],
  ['/ns', undefined, 403],
  ['/ns-glob', { uriSan: 'spiffe://cluster.local/ns/shopping/sa/cart' }, 200],
  ['/ns-not', { uriSan: cart }, 403],
  ['/ns-not', { uriSan: 'spiffe://cluster.local/ns/web/sa/cart' }, 200],
  ['/w-principal', { uriSan: cart }, 200],
  ['/w-ns', { uriSan: cart }, 200],
  ['/w-ns', { uriSan: 'spiffe://cluster.local/ns/web/sa/x' }, 403],
  ['/ip', { address: '10.1.2.3:5555' }, 200],
  ['/ip', { address: '[2001:db8::7]:5555' }, 200],
  ['/ip', { address: '11.1.2.3:5555' }, 403],
  ['/sni', { sni: 'api.example.com' }, 200],
  ['/sni', { sni: 'api.example.org' }, 403],
  ['/sni', undefined, 403],
];

test('peer identity, address and SNI policies (Istio SPIFFE matching)', { skip }, async () => {
  const host = await startHostSide(wasm, JSON.stringify(config));
  try {
    for (const [path, peer, want] of cases) {
      const r = await host.send({ name: path, method: 'GET', path, headers: [['host', 'example.com']], peer });
      assert.equal(r.status, want, `${path} with peer ${JSON.stringify(peer)}: ${r.status} ${r.body}`);
    }
  } finally {
    host.close();
  }
});
