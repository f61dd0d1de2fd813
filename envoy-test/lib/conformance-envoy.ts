// Checks one row of conformance.json against real Envoy: a refused module must stop Envoy at start-up
// (and fail `--mode validate` too); a served one must answer each request as the row says.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderBootstrap, type EnvoyPlugin } from '../../host/envoy/bootstrap.ts';
import { EnvoyStartError, parseEnvoyLog, startEnvoy, type EnvoyLogLine, type RunningEnvoy } from '../../host/envoy/process.ts';
import { startEchoUpstream } from '../../host/node/echo-upstream.ts';
import { compileWat } from '../../test/fixtures/wat/compile.ts';
import type { HeaderExpect, HeaderList } from '../../test/lib/scenario.ts';
import type { ConformanceCase } from './conformance-table.ts';
import { pluginLogs } from './envoy-logs.ts';
import { repoRoot } from './plugin-path.ts';
import { sendRequest } from './send-request.ts';

export interface CaseResult { problems: string[]; stderrPath: string }

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function checkHeaders(where: string, want: HeaderExpect | undefined, got: HeaderList, problems: string[]): void {
  for (const [k, v] of Object.entries(want ?? {})) {
    const actual = got.find(([n]) => n === k.toLowerCase())?.[1];
    if (v === null ? actual !== undefined : actual !== v) problems.push(`${where} header ${k}: expected ${JSON.stringify(v)}, Envoy: ${JSON.stringify(actual ?? null)}`);
  }
}

function checkLogs(c: ConformanceCase, lines: EnvoyLogLine[], problems: string[]): void {
  const logs = pluginLogs(lines);
  for (const want of c.logs ?? []) {
    const pool = want.source === 'plugin' ? logs.plugin : logs.vm;
    // Lines outside the wasm logger (the final "Unable to create Wasm plugin" is on `main`) count as host lines.
    const extra = want.source === 'host' ? lines.filter((l) => l.logger !== 'wasm').map((l) => ({ level: l.level, message: l.message })) : [];
    const n = [...pool, ...extra].filter((l) => l.level === want.level && l.message.includes(want.contains)).length;
    if (want.count !== undefined ? n !== want.count : n === 0) {
      problems.push(`${want.source} log [${want.level}] ${JSON.stringify(want.contains)}: expected ${want.count ?? 'at least 1'} line(s), Envoy printed ${n}`);
    }
  }
}

export async function runConformanceCase(c: ConformanceCase, envoyPath: string, workDir: string): Promise<CaseResult> {
  const wasmPath = join(workDir, `${c.module.replace(/[^a-z0-9]+/gi, '_')}.wasm`);
  writeFileSync(wasmPath, await compileWat(join(repoRoot, c.module)));
  const plugin: EnvoyPlugin = { ...c.plugin, wasmPath };
  const upstream = await startEchoUpstream();
  const problems: string[] = [];
  let envoy: RunningEnvoy | undefined;
  const yaml = renderBootstrap({ plugins: [plugin], upstream: upstream.url, listenPort: 0, adminPort: 0, bufferLimitBytes: c.bufferLimitBytes });
  try {
    try {
      envoy = await startEnvoy({ configYaml: yaml, envoyPath, cwd: repoRoot, dir: workDir });
    } catch (e) {
      if (!(e instanceof EnvoyStartError)) throw e;
      if (c.outcome !== 'refused') return { problems: [`expected Envoy to serve, but ${e.message}`], stderrPath: e.stderrPath };
      checkLogs(c, parseEnvoyLog(e.stderr), problems);
      const configPath = join(e.stderrPath, '..', 'envoy.yaml');
      const v = spawnSync(envoyPath, ['--mode', 'validate', '--config-path', configPath, '--use-dynamic-base-id'], { encoding: 'utf8', timeout: 60_000 });
      if (v.status === 0) problems.push('envoy --mode validate accepted the configuration');
      return { problems, stderrPath: e.stderrPath };
    }
    if (c.outcome === 'refused') problems.push('expected Envoy to refuse the plugin, but it started');
    for (const [i, want] of (c.requests ?? []).entries()) {
      if (want.waitMsBefore) await sleep(want.waitMsBefore);
      const before = upstream.requests.length;
      upstream.setReply(want.upstreamReply ? { status: want.upstreamReply.status ?? 200, body: 'b'.repeat(want.upstreamReply.bodyBytes) } : null);
      const r = await sendRequest({
        port: envoy.ports.ingress!, method: want.method ?? 'GET', path: '/', headers: [['host', 'example.com']],
        body: want.bodyBytes === undefined ? undefined : 'a'.repeat(want.bodyBytes),
      });
      const reached = upstream.requests.length > before;
      if (!r.complete !== (want.resetAfterHeaders ?? false)) problems.push(`request ${i + 1}: expected the response ${want.resetAfterHeaders ? 'to be reset after its headers' : 'to complete'}, Envoy: ${r.complete ? 'completed' : 'reset after headers'}`);
      if (r.status !== want.status) problems.push(`request ${i + 1} status: expected ${want.status}, Envoy: ${r.status}`);
      if (reached !== want.upstreamReached) problems.push(`request ${i + 1} upstream reached: expected ${want.upstreamReached}, Envoy: ${reached}`);
      if (want.body !== undefined && r.body !== want.body) problems.push(`request ${i + 1} body: expected ${JSON.stringify(want.body)}, Envoy: ${JSON.stringify(r.body.slice(0, 200))}`);
      checkHeaders(`request ${i + 1} response`, want.responseHeaders, r.headers, problems);
      if (reached) checkHeaders(`request ${i + 1} upstream`, want.upstreamHeaders, upstream.requests[upstream.requests.length - 1]!.headers, problems);
    }
    const stats = await envoy.stats();
    for (const [k, v] of Object.entries(c.metrics ?? {})) if (stats[k] !== v) problems.push(`metric ${k}: expected ${v}, Envoy: ${stats[k] ?? 'absent'}`);
    await envoy.stop();
    checkLogs(c, envoy.logs(), problems);
    return { problems, stderrPath: envoy.stderrPath };
  } finally {
    await envoy?.stop();
    await upstream.close();
  }
}
