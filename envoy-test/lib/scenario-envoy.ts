// Runs one scenario through a real Envoy: one Envoy per scenario (start-up is ~0.2 s), so metrics and
// log lines belong to this scenario alone and no delta arithmetic is needed.
import type { Observation, Scenario } from '../../test/lib/scenario.ts';
import { stringify } from 'yaml';
import { bootstrapObject } from '../../host/envoy/bootstrap.ts';
import { startEnvoy, type RunningEnvoy } from '../../host/envoy/process.ts';
import { startEchoUpstream } from '../../host/node/echo-upstream.ts';
import { pluginConfiguration, pluginName, repoRoot, wasmFile } from './plugin-path.ts';
import { sendRequest, type HeaderList, type ReceivedResponse } from './send-request.ts';
import { pluginLogs } from './envoy-logs.ts';

/** Starts what a scenario's clusters name (fixture servers or URLs) → cluster name → URL, and a closer.
 *  Throws SkipScenario when it cannot. */
export type ClusterResolver = (spec: Record<string, string>) => Promise<{ urls: Record<string, string>; close(): Promise<void> }>;

export class SkipScenario extends Error {}

export interface EnvoyRun {
  observation: Observation;
  /** Envoy's own VM lines (traps, failures), for expectations about them. */
  vmLogs: Observation['logs'];
  stderrPath: string;
}

function renderWith(options: EnvoyRunOptions, o: Parameters<typeof bootstrapObject>[0]): string {
  const b = bootstrapObject(o);
  if (options.http2Clusters?.size) useHttp2(b, options.http2Clusters);
  return stringify(b, { lineWidth: 0 });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits until Envoy has finished (and so logged) `count` downstream requests: on_log runs after the reply. */
async function waitForCompletion(envoy: RunningEnvoy, count: number): Promise<void> {
  const deadline = Date.now() + 3_000;
  while (Date.now() < deadline) {
    const stats = await envoy.stats();
    if ((stats['http.ingress.downstream_rq_completed'] ?? 0) >= count) return;
    await sleep(10);
  }
}

export interface EnvoyRunOptions {
  /** Clusters that speak HTTP/2 to their server (gRPC services need it). */
  http2Clusters?: Set<string>;
}

/** Marks the named clusters of a bootstrap object as HTTP/2 (prior knowledge), as a gRPC service needs. */
export function useHttp2(bootstrap: Record<string, unknown>, names: Set<string>): void {
  const clusters = (bootstrap.static_resources as { clusters: Record<string, unknown>[] }).clusters;
  for (const c of clusters) {
    if (!names.has(String(c.name))) continue;
    c.typed_extension_protocol_options = {
      'envoy.extensions.upstreams.http.v3.HttpProtocolOptions': {
        '@type': 'type.googleapis.com/envoy.extensions.upstreams.http.v3.HttpProtocolOptions',
        explicit_http_config: { http2_protocol_options: {} },
      },
    };
  }
}

export async function runScenarioInEnvoy(s: Scenario, resolveCluster: ClusterResolver, envoyPath: string, dir?: string, options: EnvoyRunOptions = {}): Promise<EnvoyRun> {
  const fixtures = await resolveCluster(s.clusters ?? {});
  const clusters = Object.entries(fixtures.urls).map(([name, url]) => ({ name, url }));
  const upstream = await startEchoUpstream(s.upstream ? { reply: s.upstream } : {});
  let envoy: RunningEnvoy | undefined;
  try {
    envoy = await startEnvoy({
      envoyPath,
      dir,
      cwd: repoRoot,
      configYaml: renderWith(options, {
        plugins: s.plugins.map((p) => ({
          name: pluginName(p),
          wasmPath: wasmFile(p.wasm),
          configuration: pluginConfiguration(p),
          rootId: p.rootId,
          vmId: p.vmId,
          failurePolicy: p.failurePolicy,
        })),
        upstream: upstream.url,
        clusters,
        listenPort: 0,
        adminPort: 0,
      }),
    });
    const headers: HeaderList = [...(s.request.headers ?? [])];
    if (!headers.some(([k]) => k.toLowerCase() === 'host')) headers.unshift(['host', 'example.com']);
    let response: ReceivedResponse = { status: 0, headers: [], body: '', complete: true };
    let seenBefore = 0;
    const repeat = s.repeat ?? 1;
    for (let i = 0; i < repeat; i++) {
      seenBefore = upstream.requests.length;
      response = await sendRequest({ port: envoy.ports.ingress!, method: s.request.method ?? 'GET', path: s.request.path ?? '/', headers, body: s.request.body });
    }
    await waitForCompletion(envoy, repeat);
    const stats = await envoy.stats();
    const metrics: Record<string, number> = {};
    for (const [k, v] of Object.entries(stats)) if (k.startsWith('wasmcustom.')) metrics[k] = v;
    // A scenario may name any Envoy stat (e.g. wasm.<plugin>.vm_reload_success), not only custom ones.
    for (const k of Object.keys(s.expect.metrics ?? {})) if (k in stats) metrics[k] = stats[k]!;
    const up = upstream.requests.length > seenBefore ? upstream.requests[upstream.requests.length - 1]! : null;
    await envoy.stop();
    const logs = pluginLogs(envoy.logs());
    return {
      observation: {
        upstreamRequest: up ? { method: up.method, path: up.path, headers: up.headers, body: up.body } : null,
        // `connection: close` answers our client's one-shot connection; it is not the plugin's doing.
        response: { status: response.status, headers: response.headers.filter(([k]) => k !== 'connection'), body: response.body },
        logs: logs.plugin,
        metrics,
      },
      vmLogs: logs.vm,
      stderrPath: envoy.stderrPath,
    };
  } finally {
    await envoy?.stop();
    await upstream.close();
    await fixtures.close();
  }
}
