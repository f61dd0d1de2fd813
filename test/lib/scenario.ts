// The shared scenario corpus: one shape that the host runner (test/scenarios.test.ts) and the real-Envoy
// runner (envoy-test/run.ts) both drive, so the two cannot drift. See test/scenarios/README.md.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export type HeaderList = [string, string][];
export type FailurePolicy = 'FAIL_CLOSED' | 'FAIL_OPEN' | 'FAIL_RELOAD';

export interface ScenarioPlugin {
  /** `hello` → dist/hello.wasm; anything with a `/` or `.wasm` → a path relative to the repo root. */
  wasm: string;
  /** Plugin configuration: a JSON value (sent as JSON text) or a string (sent as is). */
  config?: unknown;
  /** Envoy `config.name` → property `plugin_name` and the log prefix. Default: the wasm's base name. */
  name?: string;
  /** Envoy `root_id`. Default "". */
  rootId?: string;
  /** Envoy `vm_config.vm_id`. Default "". */
  vmId?: string;
  failurePolicy?: FailurePolicy;
}

export interface ScenarioRequest {
  method?: string; // default GET
  path?: string; // default /
  headers?: HeaderList; // `host` becomes :authority (default "example.com")
  body?: string;
}

export interface ScenarioUpstream {
  status?: number; // default 200
  headers?: HeaderList;
  body?: string;
}

/** A header expectation: a string = exact value of the first occurrence; null = must be absent. */
export type HeaderExpect = Record<string, string | null>;

export interface ScenarioExpect {
  /** null: the upstream must not receive the request. Omitted: not checked. */
  upstreamRequest?: null | { method?: string; path?: string; headers?: HeaderExpect; body?: string };
  response: { status: number; headers?: HeaderExpect; body?: string; bodyContains?: string };
  /** Envoy stat names as `/stats` prints them (e.g. `wasmcustom.hello_requests_total`) → value. */
  metrics?: Record<string, number>;
  /** Each must match a captured plugin log line (substring of the message; level when given). */
  logs?: { level?: LogLevelName; contains: string }[];
}

export type LogLevelName = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'critical';

export interface Scenario {
  name: string;
  description?: string;
  plugins: ScenarioPlugin[];
  /** Cluster name → fixture server name (see test/lib/fixtures.ts) or an http(s) URL. */
  clusters?: Record<string, string>;
  request: ScenarioRequest;
  upstream?: ScenarioUpstream;
  /** How many times to send the request (metrics are checked after the last one). Default 1. */
  repeat?: number;
  expect: ScenarioExpect;
  /**
   * Parts that differ on every run (random state, nonces, sealed cookies), which the Envoy runner's host-vs-Envoy
   * diff compares by shape instead of exactly: `response.headers.<name>`, `upstream.headers.<name>` (lower
   * case), `response.body`, `upstream.body`. Expectations (`expect`) still apply to them in full.
   */
  volatile?: string[];
  /** Why this case runs in one host only (a documented, deliberate difference). */
  onlyIn?: { host: 'ours' | 'envoy'; reason: string };
}

/** What one run of a scenario produced — the same shape as `meshplug request --json`. */
export interface Observation {
  upstreamRequest: null | { method: string; path: string; headers: HeaderList; body: string };
  response: { status: number; headers: HeaderList; body: string };
  logs: { level: LogLevelName; message: string }[];
  metrics: Record<string, number>;
  /** The host's own lines about the VM (traps, backtraces): checked by `expect.logs`, not diffed. */
  vmLogs?: { level: LogLevelName; message: string }[];
}

const scenarioDir = fileURLToPath(new URL('../scenarios/', import.meta.url));

/** Every scenario of test/scenarios/*.json (each file holds an array), with its file name. */
export function loadScenarios(dir = scenarioDir): { file: string; scenario: Scenario }[] {
  const out: { file: string; scenario: Scenario }[] = [];
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
    const list = JSON.parse(readFileSync(join(dir, file), 'utf8')) as Scenario[];
    for (const scenario of list) out.push({ file, scenario });
  }
  return out;
}

function firstHeader(headers: HeaderList, name: string): string | undefined {
  const lower = name.toLowerCase();
  return headers.find(([k]) => k === lower)?.[1];
}

/** Checks an observation against the scenario's expectations; returns one line per mismatch. */
export function checkExpectations(s: Scenario, o: Observation): string[] {
  const bad: string[] = [];
  const e = s.expect;
  const headerChecks = (where: string, want: HeaderExpect | undefined, got: HeaderList) => {
    for (const [k, v] of Object.entries(want ?? {})) {
      const actual = firstHeader(got, k);
      if (v === null && actual !== undefined) bad.push(`${where} header ${k}: expected absent, got ${JSON.stringify(actual)}`);
      if (v !== null && actual !== v) bad.push(`${where} header ${k}: expected ${JSON.stringify(v)}, got ${JSON.stringify(actual)}`);
    }
  };
  if (e.upstreamRequest === null && o.upstreamRequest !== null) bad.push('upstream: expected not to be reached, but it was');
  if (e.upstreamRequest) {
    const u = o.upstreamRequest;
    if (!u) bad.push('upstream: expected a request, none arrived');
    else {
      if (e.upstreamRequest.method !== undefined && u.method !== e.upstreamRequest.method) bad.push(`upstream method: expected ${e.upstreamRequest.method}, got ${u.method}`);
      if (e.upstreamRequest.path !== undefined && u.path !== e.upstreamRequest.path) bad.push(`upstream path: expected ${e.upstreamRequest.path}, got ${u.path}`);
      if (e.upstreamRequest.body !== undefined && u.body !== e.upstreamRequest.body) bad.push(`upstream body: expected ${JSON.stringify(e.upstreamRequest.body)}, got ${JSON.stringify(u.body)}`);
      headerChecks('upstream', e.upstreamRequest.headers, u.headers);
    }
  }
  if (o.response.status !== e.response.status) bad.push(`response status: expected ${e.response.status}, got ${o.response.status}`);
  headerChecks('response', e.response.headers, o.response.headers);
  if (e.response.body !== undefined && o.response.body !== e.response.body) bad.push(`response body: expected ${JSON.stringify(e.response.body)}, got ${JSON.stringify(o.response.body)}`);
  if (e.response.bodyContains !== undefined && !o.response.body.includes(e.response.bodyContains)) bad.push(`response body: expected to contain ${JSON.stringify(e.response.bodyContains)}, got ${JSON.stringify(o.response.body)}`);
  for (const [name, value] of Object.entries(e.metrics ?? {})) {
    if (o.metrics[name] !== value) bad.push(`metric ${name}: expected ${value}, got ${o.metrics[name]}`);
  }
  const allLogs = [...o.logs, ...(o.vmLogs ?? [])];
  for (const want of e.logs ?? []) {
    if (!allLogs.some((l) => l.message.includes(want.contains) && (!want.level || l.level === want.level))) {
      bad.push(`log: expected a ${want.level ?? 'any-level'} line containing ${JSON.stringify(want.contains)}`);
    }
  }
  return bad;
}
