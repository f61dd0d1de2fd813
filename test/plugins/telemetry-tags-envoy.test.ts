// telemetry-tags in real Envoy 1.40 where the scenario corpus cannot look: /stats/prometheus with Istio's
// stats_tags rule (parsed with a Prometheus text-format parser) and node metadata as a tag source.
// Skipped when Envoy or dist/telemetry-tags.wasm is missing.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { test } from 'node:test';
import { renderBootstrap } from '../../host/envoy/bootstrap.ts';
import { locateEnvoy } from '../../host/envoy/locate.ts';
import { startEnvoy, type RunningEnvoy } from '../../host/envoy/process.ts';
import { startEchoUpstream } from '../../host/node/echo-upstream.ts';

const wasm = new URL('../../dist/telemetry-tags.wasm', import.meta.url).pathname;
const envoy = locateEnvoy();
const skip = !existsSync(wasm) ? 'dist/telemetry-tags.wasm is not built' : 'missing' in envoy ? envoy.missing : false;

interface PromSample { value?: string; labels?: Record<string, string>; count?: string }
interface PromFamily { name: string; type: string; metrics: PromSample[] }
const parsePrometheus = createRequire(import.meta.url)('parse-prometheus-text-format') as (text: string) => PromFamily[];

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function completed(e: RunningEnvoy, n: number): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if (((await e.stats())['http.ingress.downstream_rq_completed'] ?? 0) >= n) return;
    await sleep(10);
  }
  throw new Error(`Envoy did not complete ${n} requests`);
}

test('Envoy /stats/prometheus: requests_total{api_version="…"} with the stats_tags rule; node metadata as a source', { skip }, async () => {
  const config = {
    tags: [
      { name: 'api_version', from: { header: 'x-api-version' }, default: 'unknown', values: ['v1', 'v2'] },
      { name: 'zone', from: { property: ['xds', 'node', 'metadata', 'ZONE'] }, default: 'none' },
    ],
    metrics: [{ name: 'requests_total', type: 'counter', tags: ['api_version'] }],
    responseHeaders: { 'x-zone': 'zone' },
  };
  const upstream = await startEchoUpstream();
  const yaml = 'node:\n  id: sidecar-7\n  metadata:\n    ZONE: east-1\n' + renderBootstrap({
    plugins: [{ name: 'telemetry-tags', wasmPath: wasm, configuration: JSON.stringify(config) }],
    upstream: upstream.url, listenPort: 0, adminPort: 0, statsTags: ['api_version'],
  });
  let e: RunningEnvoy | null = null;
  try {
    e = await startEnvoy({ configYaml: yaml });
    const sends: [string | null, number][] = [['v1', 2], ['v9', 1], [null, 1]];
    let n = 0;
    for (const [v, count] of sends) {
      for (let i = 0; i < count; i++) {
        const r: Response = await fetch(`http://127.0.0.1:${e!.ports.ingress}/`, { headers: v ? { 'x-api-version': v } : {} });
        assert.equal(r.status, 200);
        assert.equal(r.headers.get('x-zone'), 'east-1');
        await r.arrayBuffer();
        n++;
      }
    }
    await completed(e!, n);
    const families = parsePrometheus(await e!.admin('/stats/prometheus'));
    const fam = families.find((f) => f.name === 'requests_total');
    assert.ok(fam, `no requests_total family; families: ${families.map((f) => f.name).filter((x) => !x.startsWith('envoy_')).join(', ')}`);
    assert.equal(fam.type, 'COUNTER');
    assert.deepEqual(Object.fromEntries(fam.metrics.map((m) => [m.labels?.api_version, Number(m.value)])), { v1: 2, other: 1, unknown: 1 });
  } finally {
    await e?.stop();
    await upstream.close();
  }
});
