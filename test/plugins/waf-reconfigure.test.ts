// waf configures while collecting garbage (plugins/waf/configure-gc.ts): nothing still needed may be freed.
// One VM is configured with the full CRS at PL4, reconfigured with it again (the old rules stay live while
// the new ones compile), with a large user file (its text lives only in the JSON configuration), and with a
// bad file (refused with its file:line, the previous rules keep working). Also: the CRS at PL4 fits in
// 64 MiB of linear memory (issue #10's target; the configure-time garbage alone used to double it past it).
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
const config = (lines: string[], files?: Record<string, string>) =>
  enc.encode(JSON.stringify({ directives_map: { d: lines }, default_directives: 'd', ...(files ? { files } : {}) }));
const crsPl4 = ['Include @recommended-conf', 'SecRuleEngine On', 'Include @crs-setup-conf',
  'SecAction "id:900000,phase:1,pass,nolog,setvar:tx.blocking_paranoia_level=4"', 'Include @owasp_crs/*.conf'];

/** A user rule file big enough for several collections while it compiles: each rule a distinct regex. */
function bigRuleFile(n: number): string {
  const lines: string[] = [];
  for (let i = 0; i < n; i++) {
    const words = Array.from({ length: 12 }, (_, k) => `w${i}x${k}(?:ab|cd)[0-9]{2,4}`).join('|');
    lines.push(`SecRule ARGS:q "@rx ^(?:${words}|\\"quoted${i}\\")$" \\`, `    "id:${10000 + i},phase:1,deny,status:${i % 2 ? 403 : 409},\\`, `    msg:'big rule ${i}, with \\'quotes\\''"`);
  }
  return lines.join('\n') + '\n';
}

test('waf: reconfiguring one VM (CRS twice, a large user file, a bad file) frees nothing still in use', { skip, timeout: 600_000 }, async () => {
  const logs: string[] = [];
  const host = new ProxyWasmHost({
    platform: nodePlatform(), workers: 1, logLevel: 'info', onLog: (r) => logs.push(r.message),
    upstream: () => ({ status: 200, headers: [['content-length', '2']], body: enc.encode('ok') }),
  });
  const send = async (path: string) => {
    logs.length = 0;
    const req: IncomingRequest = { method: 'GET', path, authority: 'shop.example.com', scheme: 'http', protocol: 'HTTP/1.1',
      headers: [['user-agent', 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0'], ['accept', 'text/html']],
      body: new Uint8Array(0), connection: { id: host.newConnectionId(), sourceAddress: '127.0.0.1:4000', destinationAddress: '127.0.0.1:10000' } };
    return (await host.handle(req)).status;
  };
  const crsWorks = async () => {
    assert.equal(await send('/products/list?category=shoes&page=2'), 200);
    assert.equal(await send("/products/list?id=1'%20OR%201=1--"), 403);
    assert.ok(logs.some((l) => l.includes('[id "942100"]')), 'libinjection rule 942100 matched');
    assert.equal(await send('/?q=<script>alert(1)</script>'), 403);
    assert.ok(logs.some((l) => l.includes('[id "941100"]')), 'XSS rule 941100 matched');
  };
  try {
    host.addPlugin(await loadPluginFile({ file: wasm, name: 'waf', configuration: config(crsPl4) }));
    assert.ok(host.memoryBytes() <= 64 * 1048576, `linear memory with the CRS at PL4: ${host.memoryBytes()} bytes`);
    await crsWorks();

    host.reconfigure('waf', config(crsPl4));
    await crsWorks();

    const n = 400;
    host.reconfigure('waf', config(['SecRuleEngine On', 'Include big.conf'], { 'big.conf': bigRuleFile(n) }));
    assert.equal(await send('/?q=w0x3cd17'), 409);
    assert.ok(logs.some((l) => l.includes('[id "10000"]') && l.includes("big rule 0, with 'quotes'")), logs.join('\n'));
    assert.equal(await send(`/?q=w${n - 1}x11ab1234`), 403);
    assert.ok(logs.some((l) => l.includes(`[id "${10000 + n - 1}"]`)));
    assert.equal(await send(`/?q=%22quoted${n - 2}%22`), 409);
    assert.equal(await send('/?q=w1x3cd1'), 200);

    const bad = bigRuleFile(300) + 'SecRule ARGS "@rx a" "id:x"\n';
    logs.length = 0;
    assert.throws(() => host.reconfigure('waf', config([...crsPl4, 'Include bad.conf'], { 'bad.conf': bad })), /Unable to create Wasm plugin waf/);
    assert.ok(logs.includes('waf: bad configuration: bad.conf:901: bad id `x`'), logs.join('\n'));
    assert.equal(await send('/?q=w0x3cd17'), 409, 'the previous configuration still answers');
    assert.equal(await send(`/?q=w${n - 1}x11ab1234`), 403);

    host.reconfigure('waf', config(crsPl4));
    await crsWorks();
  } finally {
    host.close();
  }
});
