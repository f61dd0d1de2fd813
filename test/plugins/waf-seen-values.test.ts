// plugins/waf/seen.ts remembers, across requests, what rule groups and rules made of request-header and
// cookie values. A remembered "no match" must never hide a value that does match: the same header with
// another value, a value that differs in one byte or in length, the value in another header, another
// ruleset of the same VM (per authority, or after a reconfiguration) whose rules do match it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ProxyWasmHost } from '../../host/core/host.ts';
import type { IncomingRequest } from '../../host/core/types.ts';
import { loadPluginFile } from '../../host/node/load-plugin.ts';
import { nodePlatform } from '../../host/node/platform.ts';

const wasm = fileURLToPath(new URL('../../dist/waf.wasm', import.meta.url));
const skip = existsSync(wasm) ? false : 'dist/waf.wasm missing: run `npm run build:plugin -- waf`';
const enc = new TextEncoder();
const crs = ['Include @recommended-conf', 'SecRuleEngine On', 'Include @crs-setup-conf', 'Include @owasp_crs/*.conf'];
const benignUa = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36';

function host(): ProxyWasmHost {
  return new ProxyWasmHost({
    platform: nodePlatform(), workers: 1, logLevel: 'error',
    upstream: () => ({ status: 200, headers: [['content-length', '2']], body: enc.encode('ok') }),
  });
}

async function send(h: ProxyWasmHost, headers: [string, string][], authority = 'shop.example.com'): Promise<number> {
  const req: IncomingRequest = { method: 'GET', path: '/products/list?page=2', authority, scheme: 'http', protocol: 'HTTP/1.1',
    headers: [['accept', 'text/html'], ...headers], body: new Uint8Array(0),
    connection: { id: h.newConnectionId(), sourceAddress: '127.0.0.1:4000', destinationAddress: '127.0.0.1:10000' } };
  return (await h.handle(req)).status;
}

test('waf: header and cookie values seen before never hide an attack in a new or changed value', { skip, timeout: 120_000 }, async () => {
  const h = host();
  try {
    h.addPlugin(await loadPluginFile({ file: wasm, name: 'waf', configuration: JSON.stringify({ directives_map: { d: crs }, default_directives: 'd' }) }));
    for (let i = 0; i < 3; i++) assert.equal(await send(h, [['user-agent', benignUa], ['cookie', 'session=3f9a1c7e; theme=dark']]), 200);
    // The same headers again, each with an attack: the remembered outcomes are for other bytes.
    assert.equal(await send(h, [['user-agent', `${benignUa} <script>alert(1)</script>`]]), 403, 'XSS in the User-Agent');
    assert.equal(await send(h, [['user-agent', benignUa], ['cookie', "session=1' OR 1=1--; theme=dark"]]), 403, 'SQLi in a cookie');
    // Same length as the benign value, one byte apart (hash and copy must both agree).
    const scanner = 'nikto'.padEnd(benignUa.length, 'x');
    assert.equal(scanner.length, benignUa.length);
    assert.equal(await send(h, [['user-agent', scanner]]), 403, 'a scanner User-Agent of the same length');
    // Benign again (its outcomes are still right), then the attack once more (a match is never skipped).
    assert.equal(await send(h, [['user-agent', benignUa]]), 200);
    assert.equal(await send(h, [['user-agent', `${benignUa} <script>alert(1)</script>`]]), 403, 'the attack, a second time');
    // A benign value remembered for the User-Agent, now in Referer: the Referer rules judge it themselves.
    assert.equal(await send(h, [['referer', 'javascript:alert(1)']]), 403, 'XSS in the Referer');
  } finally {
    h.close();
  }
});

test('waf: outcomes remembered for one ruleset are not used by another (per authority, reconfiguration)', { skip, timeout: 120_000 }, async () => {
  const h = host();
  const marker = 'X-Probe-Value-42';
  // Ruleset "a" ignores the header; ruleset "b" (other authority) denies the very same value.
  const a = ['SecRuleEngine On', 'SecRule REQUEST_HEADERS:x-probe "@rx ^never$" "id:1001,phase:1,deny,status:403"'];
  const b = ['SecRuleEngine On', `SecRule REQUEST_HEADERS:x-probe "@rx ^${marker}$" "id:2001,phase:1,deny,status:403"`];
  try {
    h.addPlugin(await loadPluginFile({ file: wasm, name: 'waf', configuration: JSON.stringify({
      directives_map: { a, b }, default_directives: 'a', per_authority_directives: { 'b.example.com': 'b' } }) }));
    for (let i = 0; i < 3; i++) assert.equal(await send(h, [['x-probe', marker]]), 200, 'ruleset a lets it through');
    assert.equal(await send(h, [['x-probe', marker]], 'b.example.com'), 403, 'ruleset b denies the same value');
    // Reconfigured: the new "a" denies what the old one remembered as harmless.
    h.reconfigure('waf', enc.encode(JSON.stringify({ directives_map: { d: b }, default_directives: 'd' })));
    assert.equal(await send(h, [['x-probe', marker]]), 403, 'the new configuration judges the value afresh');
  } finally {
    h.close();
  }
});
