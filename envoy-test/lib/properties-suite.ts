// Reads every property of PROPERTY_PATHS through the WAT property probe, in Envoy and in our host, with
// the same request, and compares the bytes per callback phase. One case per property path.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Observation, Scenario } from '../../test/lib/scenario.ts';
import { compileWat } from '../../test/fixtures/wat/compile.ts';
import { runScenarioInEnvoy } from './scenario-envoy.ts';
import { HOST_SPECIFIC_PROPERTIES, PROPERTY_PATHS, VOLATILE_PROPERTIES } from './property-paths.ts';
import { repoRoot } from './plugin-path.ts';
import type { HostRunner } from './host-side.ts';
import type { Report } from './report.ts';

/** Where run.ts compiles the WAT fixtures: inside the repo (git-ignored tmp/), so scenarios can name them. */
export const WAT_OUT_DIR = 'tmp/envoy-test/wat';
export const PROBE_WASM = `${WAT_OUT_DIR}/property-probe.wasm`;

export const PROBE_SCENARIO: Scenario = {
  name: 'property probe',
  plugins: [{ wasm: PROBE_WASM, name: 'probe', rootId: 'probe_root', vmId: 'probe_vm', config: PROPERTY_PATHS.join('\n') }],
  request: {
    method: 'POST',
    path: '/p/q?x=1&y=2',
    headers: [['host', 'Example.COM:8080'], ['x-probe', 'a'], ['X-Probe', 'b'], ['referer', 'http://ref.example/'], ['user-agent', 'probe-agent/1'], ['x-forwarded-for', '10.1.2.3']],
    body: 'hello',
  },
  upstream: { status: 201, headers: [['x-up', 'u']], body: 'from upstream' },
  expect: { response: { status: 201 } },
};

export const PHASES = ['configure', 'request_headers', 'response_headers', 'log'] as const;

export interface PropertyValue { status: number; hex: string }
/** path → phase → value (the first line seen: Envoy configures the root context several times). */
export type PropertyTable = Record<string, Partial<Record<(typeof PHASES)[number], PropertyValue>>>;

const LINE = /^prop (\w+) (\d+) (\d+) ([0-9a-f]*)$/;

export function parseProbeLogs(logs: Observation['logs']): PropertyTable {
  const table: PropertyTable = {};
  for (const l of logs) {
    const m = LINE.exec(l.message);
    if (!m) continue;
    const path = PROPERTY_PATHS[Number(m[2])];
    const phase = m[1] as (typeof PHASES)[number];
    if (!path || !PHASES.includes(phase)) continue;
    table[path] ??= {};
    table[path][phase] ??= { status: Number(m[3]), hex: m[4]! };
  }
  return table;
}

/** Decodes the ABI's pairs format (how map-valued properties arrive), or null if the bytes are not one. */
export function decodePairs(b: Buffer): [string, string][] | null {
  if (b.length < 4) return null;
  const n = b.readUInt32LE(0);
  if (n > 1024 || 4 + 8 * n > b.length) return null;
  const out: [string, string][] = [];
  let at = 4 + 8 * n;
  for (let i = 0; i < n; i++) {
    const kl = b.readUInt32LE(4 + 8 * i);
    const vl = b.readUInt32LE(8 + 8 * i);
    if (at + kl + vl + 2 > b.length || b[at + kl] !== 0 || b[at + kl + 1 + vl] !== 0) return null;
    out.push([b.toString('latin1', at, at + kl), b.toString('latin1', at + kl + 1, at + kl + 1 + vl)]);
    at += kl + vl + 2;
  }
  return at === b.length ? out : null;
}

const VOLATILE_HEADERS = new Set(['x-request-id', 'date', 'x-envoy-upstream-service-time']);
const maskText = (t: string) =>
  t.replace(/(127\.0\.0\.1|\[::1\]):\d+/g, '$1:<port>').replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, '<uuid>');

/** A value as it should be compared: volatile ones reduced to their length, `:port` and uuids masked. */
export function comparable(path: string, v: PropertyValue | undefined): string {
  if (!v) return 'not read';
  if (v.status !== 0) return `status ${v.status}`;
  if (HOST_SPECIFIC_PROPERTIES.has(path)) return 'ok';
  if (VOLATILE_PROPERTIES.has(path)) return `ok, ${v.hex.length / 2} bytes`;
  const bytes = Buffer.from(v.hex, 'hex');
  const text = bytes.toString('latin1');
  if (/^[\x20-\x7e]*$/.test(text)) return `ok ${JSON.stringify(maskText(text))}`;
  const pairs = decodePairs(bytes);
    // A map's order carries no meaning (Envoy's own order varies with hashing): compare sorted.
  if (pairs) return `ok map ${JSON.stringify(pairs.map(([k, val]) => [k, VOLATILE_HEADERS.has(k) ? '<volatile>' : maskText(val)]).sort())}`;
  return `ok hex ${v.hex}`;
}

export async function buildProbe(): Promise<void> {
  mkdirSync(join(repoRoot, WAT_OUT_DIR), { recursive: true });
  writeFileSync(join(repoRoot, PROBE_WASM), await compileWat('property-probe'));
}

export async function probeEnvoy(envoyPath: string, dir?: string): Promise<{ table: PropertyTable; stderrPath: string }> {
  await buildProbe();
  const run = await runScenarioInEnvoy(PROBE_SCENARIO, async () => ({ urls: {}, close: async () => {} }), envoyPath, dir);
  return { table: parseProbeLogs(run.observation.logs), stderrPath: run.stderrPath };
}

export async function runPropertySuite(envoyPath: string, report: Report, selected: (n: string) => boolean, host: HostRunner | string, dir: string): Promise<void> {
  const names = PROPERTY_PATHS.map((p) => `property ${p}`);
  if (!names.some(selected)) return;
  const { table: envoy, stderrPath } = await probeEnvoy(envoyPath, dir);
  writeFileSync(join(dir, 'envoy-properties.json'), JSON.stringify(envoy, null, 1));
  if (typeof host === 'string') {
    const read = PROPERTY_PATHS.filter((p) => envoy[p]).length;
    report.skip('properties', `our host is not available (${host}); Envoy answered ${read}/${PROPERTY_PATHS.length} paths`);
    return;
  }
  const ours = parseProbeLogs((await host(PROBE_SCENARIO)).logs);
  for (const path of PROPERTY_PATHS) {
    if (!selected(`property ${path}`)) continue;
    const problems: string[] = [];
    for (const phase of PHASES) {
      const a = comparable(path, ours[path]?.[phase]);
      const b = comparable(path, envoy[path]?.[phase]);
      if (a !== b) problems.push(`${phase}\n  our host: ${a}\n  Envoy:    ${b}`);
    }
    if (problems.length) report.fail(`property ${path}`, problems, stderrPath);
    else report.pass(`property ${path}`);
  }
}
