// The jwt-auth oracle: every request of the corpus (jwt-oracle-corpus.ts) three ways — (a) real Envoy 1.40
// with its NATIVE jwt_authn + rbac filters configured as istiod translates the same RequestAuthentication /
// AuthorizationPolicy (jwt-oracle-istio.ts), (b) dist/jwt-auth.wasm in Envoy, (c) dist/jwt-auth.wasm in our
// host — and compares status, response headers (www-authenticate, content-type, ...), body and the request
// the upstream saw. Only the README's deliberate differences may differ, and those are checked to still be
// differences. One Envoy per configuration and side; every request of that configuration goes through it.
//
//   node --import tsx envoy-test/jwt-oracle.ts [FILTER...] [--verbose] [--verify-with=wasm|host|auto]
//
// --verify-with sets the module's `verifyWith` (where RS/ES signatures are checked; default: the module's
// default, auto) in Envoy and in our host, so the corpus runs through either signature path.
//
// Exit 0 when everything agrees, 1 otherwise; prints `oracle: skipped` (exit 0) without Envoy or the .wasm,
// unless CI=true.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { locateEnvoy } from '../host/envoy/locate.ts';
import { startEchoUpstream } from '../host/node/echo-upstream.ts';
import type { Observation } from '../test/lib/scenario.ts';
import { diffObservations } from './lib/compare.ts';
import { buildCorpus } from './jwt-oracle-corpus.ts';
import { startEnvoySide, type EnvoySide } from './jwt-oracle-envoy.ts';
import { startHostSide } from './jwt-oracle-host.ts';
import type { OracleConfig, OracleRequest, Seen } from './jwt-oracle-types.ts';
import { CLIENTS } from './jwt-oracle-tls.ts';

export const WASM = fileURLToPath(new URL('../dist/jwt-auth.wasm', import.meta.url));

/** What our host must present for a TLS request: the client certificate's SAN and the SNI. */
function hostPeer(r: OracleRequest): NonNullable<OracleRequest['peer']> {
  const san = r.tls?.client ? CLIENTS[r.tls.client] ?? '' : '';
  return {
    tls: true, sni: r.tls?.sni,
    ...(san.startsWith('URI:') ? { uriSan: san.slice(4) } : san.startsWith('DNS:') ? { dnsSan: san.slice(4) } : {}),
  };
}

export interface CaseResult {
  name: string;
  native: Seen;
  wasm: Seen;
  host: Seen;
  problems: string[];
  /** Set for a documented deliberate difference that behaved as documented. */
  deliberate?: string;
}

const asObservation = (s: Seen): Observation => ({
  upstreamRequest: s.upstream,
  response: { status: s.status, headers: s.headers, body: s.body },
  logs: [],
  metrics: {},
});

function differences(label: string, a: Seen, b: Seen): string[] {
  return diffObservations(asObservation(a), asObservation(b)).map((d) => `${label} · ${d.field}\n      first:  ${d.ours}\n      second: ${d.envoy}`);
}

/** Compares the three runs of one request. */
export function judge(r: OracleRequest, native: Seen, wasm: Seen, host: Seen): { problems: string[]; deliberate?: string } {
  // A known host (not plugin) difference: our host's answer is shown but not held against the plugin.
  const problems = r.hostKnown ? [] : differences('Envoy+wasm (first) vs our host (second)', wasm, host);
  if (!r.deliberate) return { problems: [...differences('native Envoy (first) vs Envoy+wasm (second)', native, wasm), ...problems] };
  const want = r.deliberate.ours;
  const ours: [string, Seen][] = r.hostKnown ? [['Envoy+wasm', wasm]] : [['Envoy+wasm', wasm], ['our host', host]];
  for (const [who, s] of ours) {
    if (s.status !== want.status || s.body !== want.body) problems.push(`deliberate difference: ${who} answered ${s.status} ${JSON.stringify(s.body)}, documented ${want.status} ${JSON.stringify(want.body)}`);
  }
  if (native.status === want.status && native.body === want.body) problems.push('marked as a deliberate difference, but native Envoy now answers the same: remove the mark');
  return { problems, deliberate: r.deliberate.why };
}

export type VerifyWith = 'wasm' | 'host' | 'auto';

async function runConfig(c: OracleConfig, envoyPath: string, work: string, selected: (n: string) => boolean, verifyWith?: VerifyWith): Promise<CaseResult[]> {
  const requests = c.requests.filter((r) => selected(`${c.name} › ${r.name}`));
  if (requests.length === 0) return [];
  const upstream = await startEchoUpstream({ reply: { status: 200, body: 'ok' } });
  const sides: EnvoySide[] = [];
  // The module's own field: native Envoy gets the configuration without it.
  const moduleConfig = verifyWith ? { ...c.config, verifyWith } : c.config;
  const host = await startHostSide(WASM, JSON.stringify(moduleConfig), c.listenPorts?.wasm);
  try {
    const native = await startEnvoySide('native', c.config, { envoyPath, wasm: WASM, upstream, dir: join(work, `${c.name}-native`), listenPort: c.listenPorts?.native, tls: c.tls });
    sides.push(native);
    const wasm = await startEnvoySide('wasm', moduleConfig, { envoyPath, wasm: WASM, upstream, dir: join(work, `${c.name}-wasm`), listenPort: c.listenPorts?.wasm, tls: c.tls });
    sides.push(wasm);
    const out: CaseResult[] = [];
    for (const r of requests) {
      const t0 = Date.now();
      const n = await native.send(r);
      const t1 = Date.now();
      const w = await wasm.send(r);
      const t2 = Date.now();
      const h = await host.send(c.tls ? { ...r, peer: { ...r.peer, ...hostPeer(r) } } : r);
      if (process.env.ORACLE_TIMING) console.log(`${r.name}: native ${t1 - t0} ms, wasm ${t2 - t1} ms, host ${Date.now() - t2} ms`);
      out.push({ name: `${c.name} › ${r.name}`, native: n, wasm: w, host: h, ...judge(r, n, w, h) });
    }
    return out;
  } finally {
    for (const s of sides) await s.stop();
    host.close();
    await upstream.close();
  }
}

export interface OracleRun {
  skipped?: string;
  results: CaseResult[];
  work?: string;
  /** Case name → the known host difference it is marked with. */
  known: Map<string, string>;
}

export async function runOracle(filters: string[] = [], verifyWith?: VerifyWith): Promise<OracleRun> {
  const envoy = locateEnvoy();
  const known = new Map<string, string>();
  if ('missing' in envoy) return { skipped: envoy.missing, results: [], known };
  if (!existsSync(WASM)) return { skipped: 'dist/jwt-auth.wasm is not built (npm run build:plugin -- jwt-auth)', results: [], known };
  const selected = (n: string) => filters.length === 0 || filters.some((f) => n.includes(f));
  const work = mkdtempSync(join(tmpdir(), 'meshplug-jwt-oracle-'));
  const results: CaseResult[] = [];
  const corpus = await buildCorpus(join(work, 'tls'));
  for (const c of corpus) for (const r of c.requests) if (r.hostKnown) known.set(`${c.name} › ${r.name}`, r.hostKnown);
  // Two configurations at a time (each with its two Envoys): start-up is mostly waiting.
  const runs: Promise<CaseResult[]>[] = [];
  let next = 0;
  const worker = async () => {
    while (next < corpus.length) {
      const i = next++;
      runs[i] = runConfig(corpus[i]!, envoy.path, work, selected, verifyWith);
      await runs[i]!.catch(() => undefined);
    }
  };
  await Promise.all([worker(), worker()]);
  for (const r of runs) results.push(...(await r));
  if (results.every((r) => r.problems.length === 0)) rmSync(work, { recursive: true, force: true });
  return { results, work, known };
}

function summary(s: Seen): string {
  return `${s.status} ${JSON.stringify(s.body.slice(0, 60))}${s.upstream ? ' → upstream' : ''}`;
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const verbose = args.includes('--verbose');
  const vw = args.find((a) => a.startsWith('--verify-with='))?.slice('--verify-with='.length);
  if (vw !== undefined && vw !== 'wasm' && vw !== 'host' && vw !== 'auto') { console.error('--verify-with: wasm, host or auto'); return 2; }
  const run = await runOracle(args.filter((a) => !a.startsWith('--')), vw);
  if (run.skipped) {
    if (process.env.CI === 'true') { console.error(`oracle: FAILED: ${run.skipped} (required under CI=true)`); return 1; }
    console.log(`oracle: skipped: ${run.skipped}`);
    return 0;
  }
  let failed = 0;
  let deliberate = 0;
  for (const r of run.results) {
    const mark = r.problems.length ? 'FAIL' : r.deliberate ? 'DIFF' : 'ok  ';
    if (r.problems.length) failed++;
    if (r.deliberate && !r.problems.length) deliberate++;
    const known = run.known.get(r.name);
    console.log(`${mark} ${r.name}: ${summary(r.native)}${r.deliberate ? ` | ours: ${summary(r.wasm)} (deliberate: ${r.deliberate})` : ''}${known ? ` | our host: ${summary(r.host)} (known host difference: ${known})` : ''}`);
    if (r.problems.length || verbose) for (const p of r.problems) console.log(`     ${p}`);
  }
  console.log(`\noracle: ${run.results.length - failed} agree (${deliberate} of them documented deliberate differences), ${failed} disagree`);
  if (failed) console.log(`Envoy configs and logs: ${run.work}`);
  return failed ? 1 : 0;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => process.exit(130));
  process.exitCode = await main();
}
