// Rule groups (plugins/waf/groups.ts) only skip @rx rules their group's scan proved cannot match; every
// other rule runs in full. This pins that: each request of the CRS regression corpus goes through two
// VMs of dist/waf.wasm, one with `match_sets` (the default) and one without, and both must log the same
// rules in the same order with the same data and answer with the same status.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ProxyWasmHost } from '../../host/core/host.ts';
import type { IncomingRequest } from '../../host/core/types.ts';
import { loadPluginFile } from '../../host/node/load-plugin.ts';
import { nodePlatform } from '../../host/node/platform.ts';
import { testDirectives } from '../../host/waf-test/crs-config.ts';
import { loadTests } from '../../host/waf-test/runner.ts';

const wasm = process.env.WAF_WASM ?? fileURLToPath(new URL('../../dist/waf.wasm', import.meta.url));
const testsDir = '/work/shared/data/crs/tests';
const skip = !existsSync(wasm) ? 'dist/waf.wasm missing: run `npm run build:plugin -- waf`'
  : !existsSync(testsDir) ? `${testsDir} missing` : false;

const pl1Blocking = ['Include @recommended-conf', 'SecRuleEngine On', 'Include @crs-setup-conf', 'Include @owasp_crs/*.conf'];

interface Vm { host: ProxyWasmHost; lines: string[] }

async function vm(directives: string[], matchSets: boolean): Promise<Vm> {
  const lines: string[] = [];
  const config = JSON.stringify({ directives_map: { d: directives }, default_directives: 'd', match_sets: matchSets });
  const spec = await loadPluginFile({ file: wasm, name: 'waf', configuration: config });
  const body = new TextEncoder().encode('<html><body>ok</body></html>');
  const host = new ProxyWasmHost({
    platform: nodePlatform(), workers: 1, logLevel: 'info',
    upstream: () => ({ status: 200, headers: [['content-type', 'text/html'], ['content-length', String(body.length)]], body }),
    onLog: (r: { message?: string }) => { if (r.message) lines.push(r.message); },
  });
  host.addPlugin(spec);
  return { host, lines };
}

/** Rule ids, matched variables and data of the WAF's match lines, in order. */
function matches(lines: string[]): string[] {
  const out: string[] = [];
  for (const l of lines) {
    const id = /\[id "(\d+)"\]/.exec(l);
    if (!id || !l.includes('ModSecurity:')) continue;
    out.push(`${id[1]} ${/against variable `([^']*)'/.exec(l)?.[1] ?? ''} ${/\[data "((?:[^"\\]|\\.)*)"\]/.exec(l)?.[1] ?? ''}`);
  }
  return out;
}

/** The corpus' requests as host requests (raw encoded requests are left out: they need the HTTP parser). */
async function corpus(): Promise<{ id: string; req: IncomingRequest }[]> {
  const { cases } = await loadTests(testsDir);
  const out: { id: string; req: IncomingRequest }[] = [];
  for (const tc of cases) {
    for (const [i, st] of tc.stages.entries()) {
      const inp = st.input;
      if (inp.encodedRequest || inp.templateError) continue;
      const headers = inp.headers.filter(([k]) => !/^(host|content-length|transfer-encoding|connection)$/i.test(k)).map(([k, v]) => [k.toLowerCase(), v] as [string, string]);
      const authority = inp.headers.find(([k]) => /^host$/i.test(k))?.[1] ?? 'localhost';
      const body = inp.encodedData ? Buffer.from(inp.encodedData, 'base64') : new TextEncoder().encode(inp.data ?? '');
      if (body.length > 0) headers.push(['content-length', String(body.length)]);
      out.push({
        id: `${tc.id}#${i}`,
        req: {
          method: inp.method || 'GET', path: inp.uri || '/', authority, scheme: 'http', protocol: 'HTTP/1.1', headers,
          body: new Uint8Array(body), connection: { id: 1, sourceAddress: '127.0.0.1:40000', destinationAddress: '127.0.0.1:80' },
        },
      });
    }
  }
  return out;
}

async function compare(directives: string[]): Promise<number> {
  const on = await vm(directives, true);
  const off = await vm(directives, false);
  let matched = 0;
  try {
    for (const { id, req } of await corpus()) {
      on.lines.length = 0;
      off.lines.length = 0;
      const a = await on.host.handle({ ...req });
      const b = await off.host.handle({ ...req });
      const ma = matches(on.lines);
      assert.deepEqual(ma, matches(off.lines), `${id}: different rules logged`);
      assert.equal(a.status, b.status, `${id}: different status`);
      matched += ma.length;
    }
  } finally {
    on.host.close();
    off.host.close();
  }
  return matched;
}

test('waf: with and without match sets the CRS corpus logs the same rules (regression settings, paranoia 4)', { skip, timeout: 600_000 }, async () => {
  // Detection only and every paranoia level: every rule runs, none is cut short by an interruption.
  const n = await compare(testDirectives(null));
  assert.ok(n > 5000, `the corpus should make thousands of matches, got ${n}`);
});

test('waf: with and without match sets the CRS corpus gets the same answers (paranoia 1, blocking)', { skip, timeout: 600_000 }, async () => {
  const n = await compare(pl1Blocking);
  assert.ok(n > 1000, `the corpus should make matches, got ${n}`);
});
