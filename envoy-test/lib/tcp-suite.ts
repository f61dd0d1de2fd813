// The TCP corpus (envoy-test/scenarios/tcp*.json): a network-filter plugin in front of a TCP echo server,
// through real Envoy (envoy.filters.network.wasm + tcp_proxy) and through our host's TCP proxy
// (host/node/tcp-proxy.ts). A client sends the chunks, half-closes, and reads until the connection closes;
// what it received, what the upstream received and the plugin's log lines (in order) are compared.
import { readdirSync, readFileSync } from 'node:fs';
import { connect, createServer, type AddressInfo, type Socket } from 'node:net';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { startEnvoy } from '../../host/envoy/process.ts';
import { ProxyWasmHost } from '../../host/core/host.ts';
import type { LogRecord } from '../../host/core/types.ts';
import { loadPluginFile } from '../../host/node/load-plugin.ts';
import { nodePlatform } from '../../host/node/platform.ts';
import { startTcpProxy } from '../../host/node/tcp-proxy.ts';
import type { ScenarioPlugin } from '../../test/lib/scenario.ts';
import { pluginLogs } from './envoy-logs.ts';
import { withFixtureModules } from './grpc-clusters.ts';
import { watModule } from './tcp-lifecycle-wat.ts';
import { pluginConfiguration, pluginName, repoRoot } from './plugin-path.ts';
import type { Report } from './report.ts';

export const TCP_SCENARIO_FILE = /^tcp.*\.json$/;

export interface TcpScenario {
  name: string;
  plugins: ScenarioPlugin[];
  /** Chunks the client writes, each once the previous one's answer arrived (or 500 ms passed); then it half-closes. */
  send: string[];
  /** The client waits for the upstream's first bytes before it writes anything. */
  clientWaitsFirst?: boolean;
  /** `echo` (default): echoes, and closes 50 ms after the client's half-close; `close-first`: answers "bye" and closes 200 ms later. */
  upstream?: 'echo' | 'close-first';
  expect: {
    received?: string;
    upstreamReceived?: string;
    /** The plugin's connection log lines, in order (tick lines left out: their timing is not the connection's). */
    logs?: string[];
  };
}

export interface TcpObservation {
  received: string;
  upstreamReceived: string;
  logs: string[];
}

/** `fixture:NAME` and `wat:NAME` modules → built files. */
async function modules(plugins: ScenarioPlugin[]): Promise<ScenarioPlugin[]> {
  const out: ScenarioPlugin[] = [];
  for (const p of plugins) {
    if (p.wasm.startsWith('wat:')) out.push({ ...p, name: p.name ?? p.wasm.slice(4), wasm: await watModule(p.wasm.slice(4)) });
    else out.push(...(await withFixtureModules({ name: '', plugins: [p], request: {}, expect: { response: { status: 0 } } })).plugins);
  }
  return out;
}

export function loadTcpScenarios(): { file: string; scenario: TcpScenario }[] {
  const dir = join(repoRoot, 'envoy-test', 'scenarios');
  const out: { file: string; scenario: TcpScenario }[] = [];
  for (const file of readdirSync(dir).filter((f) => TCP_SCENARIO_FILE.test(f)).sort()) {
    for (const scenario of JSON.parse(readFileSync(join(dir, file), 'utf8')) as TcpScenario[]) out.push({ file: `envoy-test/scenarios/${file}`, scenario });
  }
  return out;
}

/** A TCP upstream recording what it received. */
export async function startTcpUpstream(mode: 'echo' | 'close-first' = 'echo') {
  let received = '';
  const sockets = new Set<Socket>();
  const server = createServer({ allowHalfOpen: true }, (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => {});
    if (mode === 'close-first') {
      // The FIN follows the bytes after a pause, so both hosts see them as two reads whatever the load.
      s.write('bye');
      setTimeout(() => s.end(), 200);
      s.on('data', (d) => { received += d.toString('latin1'); });
      return;
    }
    s.on('data', (d) => { received += d.toString('latin1'); s.write(d); });
    // Ends 50 ms after the client did, so its last bytes and its FIN are separate reads in both hosts.
    s.on('end', () => setTimeout(() => s.end(), 50));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return {
    port: (server.address() as AddressInfo).port,
    received: () => received,
    close: async () => { for (const s of sockets) s.destroy(); await new Promise<void>((r) => server.close(() => r())); },
  };
}

/**
 * Connects, writes each chunk once the answer to the previous one arrived (so every step is its own read on
 * both sides, whatever the machine's load), half-closes, reads until the connection closes.
 */
export function tcpClient(port: number, chunks: string[], o: { waitFirst?: boolean; timeoutMs?: number } = {}): Promise<string> {
  const timeoutMs = o.timeoutMs ?? 3000;
  return new Promise((resolve, reject) => {
    let got = '';
    let wake: (() => void) | null = null;
    const s = connect({ port, host: '127.0.0.1', allowHalfOpen: true });
    const timer = setTimeout(() => { s.destroy(); reject(new Error(`the connection did not close within ${timeoutMs} ms (received ${JSON.stringify(got)})`)); }, timeoutMs);
    const answer = () => new Promise<void>((r) => {
      const t = setTimeout(() => { wake = null; r(); }, 500);
      wake = () => { clearTimeout(t); wake = null; setTimeout(r, 10); };
    });
    s.on('data', (d) => { got += d.toString('latin1'); wake?.(); });
    s.on('error', () => {});
    s.on('close', () => { clearTimeout(timer); resolve(got); });
    s.on('end', () => s.end());
    s.on('connect', async () => {
      if (o.waitFirst) await answer();
      for (const c of chunks) {
        const next = answer();
        s.write(c);
        await next;
      }
      s.end();
    });
  });
}

const connectionLine = (m: string) => m !== 'tcp-probe: tick';

function tcpBootstrap(s: TcpScenario, upstreamPort: number): string {
  const filters = s.plugins.map((p) => {
    const config: Record<string, unknown> = { name: pluginName(p), root_id: p.rootId ?? '' };
    const configuration = pluginConfiguration(p);
    if (configuration !== undefined) config.configuration = { '@type': 'type.googleapis.com/google.protobuf.StringValue', value: configuration };
    config.vm_config = { vm_id: p.vmId ?? '', runtime: 'envoy.wasm.runtime.v8', code: { local: { filename: p.wasm } } };
    return { name: 'envoy.filters.network.wasm', typed_config: { '@type': 'type.googleapis.com/envoy.extensions.filters.network.wasm.v3.Wasm', config } };
  });
  return stringify({
    admin: { address: { socket_address: { address: '127.0.0.1', port_value: 0 } } },
    static_resources: {
      listeners: [{
        name: 'ingress',
        address: { socket_address: { address: '127.0.0.1', port_value: 0 } },
        filter_chains: [{
          filters: [...filters, {
            name: 'envoy.filters.network.tcp_proxy',
            typed_config: { '@type': 'type.googleapis.com/envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy', stat_prefix: 'ingress', cluster: 'upstream' },
          }],
        }],
      }],
      clusters: [{
        name: 'upstream', type: 'STATIC', connect_timeout: '1s',
        load_assignment: { cluster_name: 'upstream', endpoints: [{ lb_endpoints: [{ endpoint: { address: { socket_address: { address: '127.0.0.1', port_value: upstreamPort } } } }] }] },
      }],
    },
  }, { lineWidth: 0 });
}

export async function runTcpScenarioInEnvoy(scenario: TcpScenario, envoyPath: string, dir: string): Promise<TcpObservation & { stderrPath: string }> {
  const s = { ...scenario, plugins: await modules(scenario.plugins) };
  const upstream = await startTcpUpstream(s.upstream);
  const envoy = await startEnvoy({ envoyPath, dir, cwd: repoRoot, configYaml: tcpBootstrap(s, upstream.port) });
  try {
    const received = await tcpClient(envoy.ports.ingress!, s.send, { waitFirst: s.clientWaitsFirst });
    await new Promise((r) => setTimeout(r, 100)); // on_done / on_log / on_delete run as the connection is torn down
    await envoy.stop();
    return { received, upstreamReceived: upstream.received(), logs: pluginLogs(envoy.logs()).plugin.map((l) => l.message).filter(connectionLine), stderrPath: envoy.stderrPath };
  } finally {
    await envoy.stop();
    await upstream.close();
  }
}

export async function runTcpScenarioInHost(scenario: TcpScenario): Promise<TcpObservation> {
  const plugins = await modules(scenario.plugins);
  const upstream = await startTcpUpstream(scenario.upstream);
  const logs: LogRecord[] = [];
  const host = new ProxyWasmHost({ platform: nodePlatform(), onLog: (r) => logs.push(r), upstream: () => ({ status: 503, headers: [], body: new Uint8Array(0) }) });
  for (const p of plugins) host.addPlugin(await loadPluginFile({ file: p.wasm, name: pluginName(p), configuration: pluginConfiguration(p), rootId: p.rootId, vmId: p.vmId }));
  const proxy = await startTcpProxy({ host, upstream: { host: '127.0.0.1', port: upstream.port } });
  try {
    const received = await tcpClient(proxy.port, scenario.send, { waitFirst: scenario.clientWaitsFirst });
    await new Promise((r) => setTimeout(r, 50));
    await proxy.close();
    host.close(); // root contexts end too (on_done, on_delete), as when Envoy stops
    return { received, upstreamReceived: upstream.received(), logs: logs.filter((l) => l.source !== 'host').map((l) => l.message).filter(connectionLine) };
  } finally {
    await proxy.close();
    await upstream.close();
  }
}

export function checkTcpExpectations(s: TcpScenario, o: TcpObservation): string[] {
  const bad: string[] = [];
  if (s.expect.received !== undefined && o.received !== s.expect.received) bad.push(`received: expected ${JSON.stringify(s.expect.received)}, got ${JSON.stringify(o.received)}`);
  if (s.expect.upstreamReceived !== undefined && o.upstreamReceived !== s.expect.upstreamReceived) {
    bad.push(`upstream received: expected ${JSON.stringify(s.expect.upstreamReceived)}, got ${JSON.stringify(o.upstreamReceived)}`);
  }
  if (s.expect.logs !== undefined && JSON.stringify(o.logs) !== JSON.stringify(s.expect.logs)) bad.push(`logs: expected ${JSON.stringify(s.expect.logs)}, got ${JSON.stringify(o.logs)}`);
  return bad;
}

export function diffTcp(ours: TcpObservation, envoy: TcpObservation): string[] {
  const out: string[] = [];
  for (const k of ['received', 'upstreamReceived', 'logs'] as const) {
    const a = JSON.stringify(ours[k]);
    const b = JSON.stringify(envoy[k]);
    if (a !== b) out.push(`${k}\n  our host: ${a}\n  Envoy:    ${b}`);
  }
  return out;
}

export async function runTcpSuite(envoyPath: string, report: Report, selected: (name: string) => boolean, dirFor: (name: string) => string): Promise<void> {
  for (const { file, scenario } of loadTcpScenarios()) {
    const name = `${file} › ${scenario.name}`;
    if (!selected(name)) continue;
    try {
      const problems: string[] = [];
      const envoy = await runTcpScenarioInEnvoy(scenario, envoyPath, dirFor(name));
      for (const p of checkTcpExpectations(scenario, envoy)) problems.push(`Envoy: ${p}`);
      const ours = await runTcpScenarioInHost(scenario);
      for (const p of checkTcpExpectations(scenario, ours)) problems.push(`our host: ${p}`);
      problems.push(...diffTcp(ours, envoy));
      if (problems.length) report.fail(name, problems, envoy.stderrPath);
      else report.pass(name);
    } catch (e) {
      report.fail(name, [(e as Error).message]);
    }
  }
}
