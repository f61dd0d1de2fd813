// A plugin's smoke scenarios for the Istio suite: the scenarios of test/scenarios/ that run that plugin alone
// with the configuration its example WasmPlugin carries (a scenario without config counts when the example's
// pluginConfig equals the defaults in the plugin's config.schema.json), and that need nothing from the
// upstream but an echo. Expectations are reduced to what an echo workload can show: no metrics, logs,
// response bodies or response headers the scenario's own upstream reply would have set.
import { existsSync, readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { canonicalJson } from '../../host/delivery/to-envoy-plugin.ts';
import { checkExpectations, loadScenarios, type HeaderList, type Observation, type Scenario } from '../../test/lib/scenario.ts';

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

function schemaDefaults(plugin: string): Record<string, unknown> | undefined {
  const path = join(repoRoot, 'plugins', plugin, 'config.schema.json');
  if (!existsSync(path)) return undefined;
  const schema = JSON.parse(readFileSync(path, 'utf8')) as { properties?: Record<string, { default?: unknown }> };
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(schema.properties ?? {})) if (v.default !== undefined) out[k] = v.default;
  return out;
}

function configMatches(plugin: string, scenarioConfig: unknown, exampleConfig: Record<string, unknown>): boolean {
  if (scenarioConfig !== undefined) return canonicalJson(scenarioConfig) === canonicalJson(exampleConfig);
  if (Object.keys(exampleConfig).length === 0) return true;
  const defaults = schemaDefaults(plugin);
  return defaults !== undefined && canonicalJson(defaults) === canonicalJson(exampleConfig);
}

/** Expectations an echo workload behind a sidecar can be held to. */
function reduce(s: Scenario, side: 'inbound' | 'outbound'): Scenario {
  const upstreamHeaders = new Set((s.upstream?.headers ?? []).map(([k]) => k.toLowerCase()));
  const responseHeaders = Object.fromEntries(Object.entries(s.expect.response.headers ?? {}).filter(([k]) => !upstreamHeaders.has(k.toLowerCase())));
  let upstreamRequest = s.expect.upstreamRequest;
  if (upstreamRequest && side === 'outbound') {
    // Outbound requests must carry `Host: upstream.local` to be routed.
    const { host: _host, ...headers } = upstreamRequest.headers ?? {};
    upstreamRequest = { ...upstreamRequest, headers };
  }
  return {
    ...s,
    expect: {
      upstreamRequest,
      response: { status: s.expect.response.status, headers: responseHeaders, bodyContains: s.expect.response.bodyContains },
    },
  };
}

export function smokeScenarios(plugin: string, exampleConfig: Record<string, unknown>): Scenario[] {
  return loadScenarios()
    .map(({ scenario }) => scenario)
    .filter((s) => s.plugins.length === 1 && s.plugins[0]!.wasm === plugin && !s.onlyIn && !s.clusters &&
      (s.repeat ?? 1) === 1 && (s.upstream?.status ?? 200) === 200 && configMatches(plugin, s.plugins[0]!.config, exampleConfig));
}

export interface SmokeResult {
  scenario: string;
  side: 'inbound' | 'outbound' | 'local';
  observation: Observation;
}

/** One HTTP/1.1 exchange through node:http, which (unlike fetch) sends the Host header it is given. */
function exchange(base: string, method: string, path: string, headers: HeaderList, body: string | undefined): Promise<{ status: number; headers: HeaderList; body: string }> {
  const target = new URL(base);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: target.hostname, port: target.port, method, path, headers: headers.map(([k, v]) => [k, v]).flat(), timeout: 30_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const out: HeaderList = [];
        for (let i = 0; i < res.rawHeaders.length; i += 2) out.push([res.rawHeaders[i]!.toLowerCase(), res.rawHeaders[i + 1]!]);
        resolve({ status: res.statusCode ?? 0, headers: out, body: Buffer.concat(chunks).toString('utf8') });
      });
    });
    req.on('timeout', () => req.destroy(new Error(`no answer from ${base} within 30 s`)));
    req.on('error', reject);
    req.end(body);
  });
}

/** Sends one scenario's request to `base`; the echo workload's reply says what the upstream saw. */
export async function sendScenario(s: Scenario, base: string, side: SmokeResult['side']): Promise<SmokeResult> {
  const headers: HeaderList = (s.request.headers ?? []).filter(([k]) => !(side === 'outbound' && k.toLowerCase() === 'host'));
  if (side === 'outbound') headers.push(['host', 'upstream.local']);
  else if (!headers.some(([k]) => k.toLowerCase() === 'host')) headers.push(['host', 'example.com']);
  if (s.request.body !== undefined && !headers.some(([k]) => k.toLowerCase() === 'content-length')) {
    headers.push(['content-length', String(Buffer.byteLength(s.request.body))]); // the mesh's echo reads content-length only
  }
  const res = await exchange(base, s.request.method ?? 'GET', s.request.path ?? '/', headers, s.request.body);
  let upstreamRequest: Observation['upstreamRequest'] = null;
  try {
    const echoed = JSON.parse(res.body) as { method?: unknown; path?: unknown; headers?: unknown; body?: unknown };
    if (typeof echoed.method === 'string' && Array.isArray(echoed.headers)) {
      upstreamRequest = { method: echoed.method, path: String(echoed.path), headers: echoed.headers as HeaderList, body: String(echoed.body ?? '') };
    }
  } catch {
    /* not the echo: the request did not reach the workload */
  }
  return { scenario: s.name, side, observation: { upstreamRequest, response: res, logs: [], metrics: {} } };
}

/**
 * For a plugin without smoke scenarios: a plain GET that must reach the workload with 200, which shows the
 * module was fetched, its digest accepted and its configuration taken (no deny-all, no refused filter).
 */
export const LOAD_PROBE: Scenario = {
  name: 'delivery only: a plain GET passes through the loaded plugin',
  plugins: [],
  request: { method: 'GET', path: '/meshplug-delivery-probe' },
  expect: { upstreamRequest: { method: 'GET', path: '/meshplug-delivery-probe' }, response: { status: 200 } },
};

export function checkSmoke(s: Scenario, r: SmokeResult): string[] {
  return checkExpectations(reduce(s, r.side === 'outbound' ? 'outbound' : 'inbound'), r.observation);
}
