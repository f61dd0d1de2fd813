// The host conformance table (envoy-test/conformance.json, recorded from real Envoy 1.40 and re-checked by
// `npm run test:envoy`) driven through our host: same modules, same settings, same outcome.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ProxyWasmHost } from '../../host/core/host.ts';
import { ModuleLoadError } from '../../host/core/module-check.ts';
import type { UpstreamRequest } from '../../host/core/platform.ts';
import type { LogRecord } from '../../host/core/types.ts';
import { pluginFromBytes } from '../../host/node/load-plugin.ts';
import { nodePlatform } from '../../host/node/platform.ts';
import { loadConformance, type ConformanceCase } from '../../envoy-test/lib/conformance-table.ts';
import { compileWat } from '../fixtures/wat/compile.ts';
import { repoRoot } from '../lib/host-runner.ts';
import { join } from 'node:path';

const dec = new TextDecoder();

async function runCase(c: ConformanceCase) {
  const logs: LogRecord[] = [];
  let reply = { status: 200, body: new Uint8Array(0) };
  let reached: UpstreamRequest | null = null;
  const host = new ProxyWasmHost({
    platform: nodePlatform(),
    workers: 1, // Envoy runs these with --concurrency 1
    onLog: (r) => logs.push(r),
    limits: c.bufferLimitBytes ? { bufferLimitBytes: c.bufferLimitBytes } : undefined,
    upstream: (r) => {
      reached = r;
      return { status: reply.status, headers: [['content-length', String(reply.body.length)]], body: reply.body };
    },
  });
  const code = await compileWat(join(repoRoot, c.module));
  const spec = await pluginFromBytes(code, {
    name: c.plugin.name,
    rootId: c.plugin.rootId,
    vmId: c.plugin.vmId,
    failurePolicy: c.plugin.failurePolicy,
    legacyFailOpen: c.plugin.failOpen,
    configuration: c.plugin.configuration,
  });
  let refused: ModuleLoadError | null = null;
  try {
    host.addPlugin(spec);
  } catch (e) {
    if (!(e instanceof ModuleLoadError)) throw e;
    refused = e;
  }
  assert.equal(refused ? 'refused' : 'serves', c.outcome, refused ? `refused: ${refused.message}` : 'served');
  for (const [i, r] of (c.requests ?? []).entries()) {
    if (r.waitMsBefore) await new Promise((res) => setTimeout(res, r.waitMsBefore));
    reached = null;
    reply = { status: r.upstreamReply?.status ?? 200, body: new TextEncoder().encode('b'.repeat(r.upstreamReply?.bodyBytes ?? 0)) };
    const pending = host.handle({
      method: r.method ?? 'GET', path: '/', authority: 'example.com', scheme: 'http', protocol: 'HTTP/1.1', headers: [],
      body: new TextEncoder().encode('a'.repeat(r.bodyBytes ?? 0)),
      connection: { id: 1, sourceAddress: '127.0.0.1:40000', destinationAddress: '127.0.0.1:10000' },
    });
    const out = pending instanceof Promise ? await pending : pending;
    const where = `request ${i + 1}`;
    assert.equal(out.status, r.status, `${where}: status`);
    assert.equal(reached !== null, r.upstreamReached, `${where}: upstream reached`);
    assert.equal(!!out.reset, !!r.resetAfterHeaders, `${where}: reset after headers`);
    if (r.body !== undefined) assert.equal(dec.decode(out.body), r.body, `${where}: body`);
    for (const [k, v] of Object.entries(r.responseHeaders ?? {})) {
      assert.equal(out.headers.find(([n]) => n === k)?.[1] ?? null, v, `${where}: response header ${k}`);
    }
    for (const [k, v] of Object.entries(r.upstreamHeaders ?? {})) {
      const got: string | null = (reached as UpstreamRequest | null)?.headers.find(([n]) => n === k)?.[1] ?? null;
      assert.equal(got, v, `${where}: upstream header ${k}`);
    }
  }
  await new Promise((res) => setImmediate(res));
  const stats = host.stats.snapshot();
  for (const [k, v] of Object.entries(c.metrics ?? {})) assert.equal(stats[k], v, `metric ${k}`);
  for (const l of c.logs ?? []) {
    const matching = logs.filter((x) => (x.source ?? 'plugin') === l.source && x.level === l.level && x.message.includes(l.contains));
    if (l.count !== undefined) assert.equal(matching.length, l.count, `log (${l.source}, ${l.level}) "${l.contains}" count; got ${JSON.stringify(logs)}`);
    else assert.ok(matching.length > 0, `log (${l.source}, ${l.level}) "${l.contains}" missing; got ${JSON.stringify(logs)}`);
  }
  host.close();
}

for (const c of loadConformance()) {
  test(`conformance: ${c.name}`, () => runCase(c));
}
