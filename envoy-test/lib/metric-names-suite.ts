// Checks envoy-test/metric-names.json against Envoy: each counter the probe defines must appear in
// /stats under the recorded name and in /stats/prometheus as the recorded sample line (or not at all).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderBootstrap } from '../../host/envoy/bootstrap.ts';
import { startEnvoy, type RunningEnvoy } from '../../host/envoy/process.ts';
import { startEchoUpstream } from '../../host/node/echo-upstream.ts';
import { compileWat } from '../../test/fixtures/wat/compile.ts';
import { repoRoot } from './plugin-path.ts';
import { sendRequest } from './send-request.ts';
import type { Report } from './report.ts';

export interface MetricNameRow { define: string; stats: string; prometheus: string | null }
export interface MetricNamesTable { statsTags: string[]; metrics: MetricNameRow[] }

export const metricNamesPath = fileURLToPath(new URL('../metric-names.json', import.meta.url));

export function loadMetricNames(): MetricNamesTable {
  return JSON.parse(readFileSync(metricNamesPath, 'utf8')) as MetricNamesTable;
}

/** Prometheus sample lines of plugin metrics: everything that is not Envoy's own `envoy_*` family. */
export function pluginSamples(prometheusText: string): string[] {
  return prometheusText.split('\n').filter((l) => l.trim() && !l.startsWith('#') && !l.startsWith('envoy_'));
}

export async function runMetricNamesSuite(envoyPath: string, report: Report, dir: string): Promise<void> {
  const table = loadMetricNames();
  const wasmPath = join(dir, 'metric-names.wasm');
  writeFileSync(wasmPath, await compileWat('metric-names'));
  const upstream = await startEchoUpstream();
  let envoy: RunningEnvoy | undefined;
  try {
    envoy = await startEnvoy({
      envoyPath, dir, cwd: repoRoot,
      configYaml: renderBootstrap({
        plugins: [{ name: 'metric_names', wasmPath, configuration: table.metrics.map((m) => m.define).join('\n') }],
        upstream: upstream.url, listenPort: 0, adminPort: 0, statsTags: table.statsTags,
      }),
    });
    await sendRequest({ port: envoy.ports.ingress!, method: 'GET', path: '/', headers: [['host', 'example.com']] });
    const stats = await envoy.stats();
    const samples = pluginSamples(await envoy.admin('/stats/prometheus'));
    const expected = new Set(table.metrics.map((m) => m.prometheus).filter((p): p is string => p !== null));
    const unexpected = samples.filter((s) => !expected.has(s));
    for (const m of table.metrics) {
      const problems: string[] = [];
      if (stats[m.stats] !== 1) problems.push(`/stats ${JSON.stringify(m.stats)}: expected 1, Envoy: ${stats[m.stats] ?? 'absent'}`);
      if (m.prometheus !== null && !samples.includes(m.prometheus)) problems.push(`/stats/prometheus: expected the line ${JSON.stringify(m.prometheus)}; Envoy's lines not in the table: ${JSON.stringify(unexpected)}`);
      if (problems.length) report.fail(`metric ${JSON.stringify(m.define)}`, problems, envoy.stderrPath);
      else report.pass(`metric ${JSON.stringify(m.define)}`);
    }
    if (unexpected.length) report.fail('metric names: no other Prometheus lines', [`Envoy printed lines the table does not list: ${JSON.stringify(unexpected)}`], envoy.stderrPath);
  } finally {
    await envoy?.stop();
    await upstream.close();
  }
}
