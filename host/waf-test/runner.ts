// Runs go-ftw test cases against a WAF module in our gateway, in process: an albedo backend, the gateway
// with the WAF configured for CRS regression runs, and for each stage a marker request before and after
// the test request, so the WAF log lines between the two markers are the stage's (go-ftw's method).
import { randomUUID } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { startGateway, type Gateway } from '../node/gateway.ts';
import { startAlbedo, type Albedo } from './albedo.ts';
import { checkStage } from './check.ts';
import { markerHeader, readCrsDir, testPluginConfig } from './crs-config.ts';
import { FtwFormatError, parseFtwFile, type Stage, type StageInput, type TestCase } from './ftw-test.ts';
import { LogCapture } from './log-window.ts';
import { applyOutputOverrides, forcedResult, noOverrides, type Overrides } from './overrides.ts';
import { sendRaw, type RawResult } from './raw-client.ts';
import { buildRequest } from './request.ts';

export type Outcome = 'pass' | 'fail' | 'skip';

export interface TestResult {
  id: string;
  result: Outcome;
  /** Why it failed or was skipped; for a pass, the override that applied, if any. */
  reason: string;
}

export interface RunOptions {
  testsDir: string;
  wasm: string;
  crsDir?: string | null;
  overrides?: Overrides;
  /** Test ids (`920100-4`) or rule ids (`920100`); empty = all. */
  only?: string[];
  timeoutMs?: number;
  /** Notes for the user (load time, workarounds); the summary output stays separate. */
  note?: (line: string) => void;
  /** When set, receives each failing stage's request, status and log lines (--verbose). */
  trace?: (line: string) => void;
  /**
   * Run the tests the overrides `ignore` anyway: one that still fails stays skipped, one that passes is a
   * failure (its override is stale), so a checked-in list can only shrink. go-ftw itself never runs them.
   */
  checkIgnored?: boolean;
}

export interface RunSummary {
  results: TestResult[];
  passed: number;
  failed: number;
  skipped: number;
  seconds: number;
  /** The WAF's onConfigure/VM start time through the gateway, ms. */
  loadMs: number;
}

async function listYaml(dir: string): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true, recursive: true });
  } catch (e) {
    throw new Error(`--tests: cannot read ${dir}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  return entries
    .filter((e) => e.isFile() && /\.ya?ml$/.test(e.name))
    .map((e) => join(e.parentPath ?? (e as unknown as { path: string }).path, e.name))
    .sort();
}

export interface LoadedTests { cases: TestCase[]; errors: TestResult[] }

/** Parses every YAML file under `dir`; a file that does not parse is one failed entry named after the file. */
export async function loadTests(dir: string): Promise<LoadedTests> {
  const cases: TestCase[] = [];
  const errors: TestResult[] = [];
  for (const file of await listYaml(dir)) {
    const rel = relative(dir, file);
    try {
      cases.push(...parseFtwFile(await readFile(file, 'utf8'), rel));
    } catch (e) {
      if (!(e instanceof FtwFormatError)) throw e;
      errors.push({ id: rel, result: 'fail', reason: e.message });
    }
  }
  return { cases, errors };
}

function selected(tc: TestCase, only: string[]): boolean {
  return only.length === 0 || only.includes(tc.id) || only.includes(String(tc.ruleId));
}

/** The module to run: checked to be readable here so a typo gives a clear message before anything starts. */
export async function loadableModule(wasm: string, _tmp: string, _note: (l: string) => void): Promise<string> {
  try {
    await readFile(wasm);
  } catch (e) {
    throw new Error(`--wasm: cannot read ${wasm}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  return wasm;
}

function markerInput(id: string): StageInput {
  return {
    destAddr: '127.0.0.1', port: 0, protocol: 'http', method: 'GET', uri: '/status/200', version: 'HTTP/1.1',
    headers: [['Accept', '*/*'], ['User-Agent', 'go-ftw test agent'], ['Host', 'localhost'], [markerHeader, id]],
    data: null, templateError: null, encodedData: null, encodedRequest: null, autocompleteHeaders: true,
  };
}

const nextTick = () => new Promise<void>((r) => setImmediate(r));

class StageRunner {
  constructor(private log: LogCapture, private port: number, private timeoutMs: number, private trace?: (line: string) => void) {}

  private send(bytes: Uint8Array): Promise<RawResult> {
    return sendRaw('127.0.0.1', this.port, bytes, this.timeoutMs);
  }

  /** Sends a marker request (retrying like go-ftw) and returns its log line index. */
  private async mark(id: string): Promise<number | string> {
    const built = buildRequest(markerInput(id));
    if (!built.ok) return built.error;
    for (let attempt = 0; attempt < 5; attempt++) {
      const r = await this.send(built.bytes);
      if (!r.ok) return `marker request failed: ${r.error}`;
      await nextTick();
      const at = this.log.findMarker(markerHeader, id);
      if (at !== null) return at;
    }
    return `the WAF did not log marker ${id} (is rule 999999 active and logging at warn level?)`;
  }

  async run(stage: Stage): Promise<{ pass: boolean; reasons: string[] }> {
    const id = randomUUID();
    const start = await this.mark(`${id}-s`);
    if (typeof start === 'string') return { pass: false, reasons: [start] };
    const built = buildRequest(stage.input);
    if (!built.ok) return { pass: false, reasons: [`cannot build the request: ${built.error}`] };
    const result = await this.send(built.bytes);
    await nextTick();
    const end = await this.mark(`${id}-e`);
    if (typeof end === 'string') return { pass: false, reasons: [end] };
    const lines = this.log.between(start, end);
    this.log.dropBefore(end);
    const v = checkStage(stage.output, result, lines);
    if (!v.pass && this.trace) {
      this.trace(`--- request (${built.bytes.length} bytes):\n${Buffer.from(built.bytes.subarray(0, 4096)).toString('latin1')}`);
      this.trace(`--- ${result.ok ? `status ${result.response.status}` : `error ${result.error}`}; log lines between the markers:`);
      for (const l of lines) this.trace(l.length > 600 ? l.slice(0, 600) + '…' : l);
    }
    if (stage.input.templateError) v.reasons.push(`(data template not evaluated, sent without a body as go-ftw does: ${stage.input.templateError})`);
    return v;
  }
}

export async function runWafTests(o: RunOptions): Promise<RunSummary> {
  const t0 = Date.now();
  const note = o.note ?? (() => {});
  const overrides = o.overrides ?? noOverrides;
  const only = o.only ?? [];
  const { cases, errors } = await loadTests(o.testsDir);
  const crs = o.crsDir ? await readCrsDir(o.crsDir) : null;
  const tmp = await mkdtemp(join(tmpdir(), 'meshplug-waf-test-'));
  let albedo: Albedo | null = null;
  let gw: Gateway | null = null;
  const results: TestResult[] = [...errors];
  let loadMs = 0;
  try {
    const wasm = await loadableModule(o.wasm, tmp, note);
    albedo = await startAlbedo();
    const log = new LogCapture();
    const tLoad = Date.now();
    try {
      gw = await startGateway({
        listen: { host: '127.0.0.1', port: 0 }, admin: null, upstream: albedo.url, workers: 1, logLevel: 'info', clusters: {}, statsTags: null,
        plugins: [{ name: 'waf', wasm, rootId: '', vmId: '', failurePolicy: 'FAIL_CLOSED', config: testPluginConfig(crs) }],
      }, log.push);
    } catch (e) {
      // The WAF says why it refused the configuration in its log: show that with the host's error.
      const said = log.between(-1, log.length).slice(-20);
      throw new Error(`${(e as Error).message}${said.length ? `\nWAF log:\n${said.join('\n')}` : ''}`);
    }
    loadMs = Date.now() - tLoad;
    note(`loaded ${o.wasm} with the CRS in ${loadMs} ms`);
    const port = Number(new URL(gw.url).port);
    const stages = new StageRunner(log, port, o.timeoutMs ?? 10000, o.trace);
    const toRun = cases.filter((tc) => selected(tc, only)).length;
    for (const id of only) if (!cases.some((tc) => tc.id === id || String(tc.ruleId) === id)) note(`note: --only ${id} matches no test`);
    let done = 0;
    for (const tc of cases) {
      if (selected(tc, only) && ++done % 250 === 0) note(`… ${done}/${toRun} tests, ${((Date.now() - t0) / 1000).toFixed(0)} s`);
      if (!selected(tc, only)) { results.push({ id: tc.id, result: 'skip', reason: 'not selected by --only' }); continue; }
      const forced = forcedResult(tc.id, overrides);
      const verifyIgnore = forced?.result === 'skip' && o.checkIgnored === true;
      if (forced && !verifyIgnore) { results.push({ id: tc.id, result: forced.result, reason: forced.reason }); continue; }
      const applied = applyOutputOverrides(tc, overrides);
      o.trace?.(`=== ${tc.id} ${tc.desc.trim().split('\n')[0]}`);
      const reasons: string[] = [];
      for (const [i, stage] of tc.stages.entries()) {
        let v = await stages.run(stage);
        if (!v.pass && stage.output.retryOnce) v = await stages.run(stage);
        if (!v.pass) reasons.push(`${tc.stages.length > 1 ? `stage ${i + 1}: ` : ''}${v.reasons.join('; ')}`);
      }
      const overrideNote = applied.length > 0 ? ` [override: ${applied.join(' / ').replace(/\s+/g, ' ')}]` : '';
      if (verifyIgnore) {
        results.push(reasons.length === 0
          ? { id: tc.id, result: 'fail', reason: `passes, but the overrides ignore it: remove the override (${forced!.reason})` }
          : { id: tc.id, result: 'skip', reason: `${forced!.reason} (still fails: ${reasons.join('; ')})` });
        continue;
      }
      results.push(reasons.length === 0
        ? { id: tc.id, result: 'pass', reason: overrideNote.trim() }
        : { id: tc.id, result: 'fail', reason: reasons.join('; ') + overrideNote });
    }
  } finally {
    await gw?.close();
    await albedo?.close();
    await rm(tmp, { recursive: true, force: true });
  }
  const count = (r: Outcome) => results.filter((x) => x.result === r).length;
  return { results, passed: count('pass'), failed: count('fail'), skipped: count('skip'), seconds: (Date.now() - t0) / 1000, loadMs };
}
