// `npm run bench:envoy`: the hello contract through one Envoy 1.40 at a time, same load generator (wrk),
// same run: no Wasm filter (the anchor), the hand-written floor module, our `hello`, and hello on
// proxy-wasm-sdk-as, each with its example config. Rounds are interleaved so drift on a shared machine
// hits every variant alike; medians are printed as ratios against the anchor measured in this run.
// Target: our hello adds at most half the p50 latency proxy-wasm-sdk-as's hello adds. Then jwt-auth
// against Envoy's native jwt_authn + rbac (envoy-test/jwt-bench.ts; target ≤ 1.5× their added latency).
// BENCH_ONLY=jwt-auth runs only that comparison; JWT_BENCH_WASM=FILE benches another build of jwt-auth.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { renderBootstrap, standInUpstreamObject, type EnvoyPlugin } from '../host/envoy/bootstrap.ts';
import { startEnvoy, type RunningEnvoy } from '../host/envoy/process.ts';
import { locateEnvoy } from '../host/envoy/locate.ts';
import { optionalImport } from './lib/optional-import.ts';
import { repoRoot } from './lib/plugin-path.ts';
import { runWrk, type WrkResult } from './lib/wrk.ts';
import { runJwtBench } from './jwt-bench.ts';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
// BENCH_ONLY=jwt-auth: only the jwt-auth comparison (the hello variants take half the run).
const ONLY_JWT = process.env.BENCH_ONLY === 'jwt-auth';
const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
const CONNECTIONS = 8;
const HELLO_CONFIG = '{"header":"x-bar","value":"raised"}';

interface Variant { name: string; plugin?: EnvoyPlugin; envoy?: RunningEnvoy; runs: WrkResult[]; note?: string }

const median = (xs: number[]) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]!; };

function rssMiB(pid: number): number | null {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : null;
  } catch { return null; }
}

/** The SDK engineer's bench fixtures (floor / sdk-as / ours), when bench/fixtures/build.ts exists. */
async function benchFixtures(outDir: string): Promise<Record<string, string> | string> {
  const m = await optionalImport('bench/fixtures/build.ts');
  if (typeof m === 'string') return m;
  if (typeof m.buildBenchFixtures !== 'function') return 'bench/fixtures/build.ts exports no buildBenchFixtures';
  try {
    return (await (m.buildBenchFixtures as (d: string) => Promise<Record<string, string>>)(outDir));
  } catch (e) {
    return `buildBenchFixtures failed: ${(e as Error).message.split('\n')[0]}`;
  }
}

const pick = (f: Record<string, string>, re: RegExp) => Object.entries(f).find(([k]) => re.test(k))?.[1];

async function main(): Promise<number> {
  const envoyBin = locateEnvoy();
  if ('missing' in envoyBin) { console.error(`bench:envoy: ${envoyBin.missing}`); return 1; }
  if (spawnSync('wrk', ['--version']).error) { console.error('bench:envoy: wrk is not installed (apt-get install -y wrk)'); return 1; }
  const work = mkdtempSync(join(tmpdir(), 'meshplug-bench-envoy-'));
  // Envoy (one worker) on one core, wrk and the upstream on the other, when there are two.
  const pin = availableParallelism() >= 2 && !spawnSync('taskset', ['-c', '0', 'true']).error;
  const envoyCpu = pin ? ['taskset', '-c', '0'] : undefined;
  const otherCpu = pin ? 1 : undefined;

  const fixtures = await benchFixtures(join(work, 'fixtures'));
  const fx = typeof fixtures === 'string' ? {} : fixtures;
  const why = typeof fixtures === 'string' ? fixtures : 'not among the bench fixtures';
  const floor = pick(fx, /floor/i);
  const ours = pick(fx, /ours|meshplug/i) ?? join(repoRoot, 'dist', 'hello.wasm');
  const sdkAs = pick(fx, /sdk.?as/i);
  const variant = (name: string, file: string | undefined, missing: string): Variant =>
    file && existsSync(file) ? { name, plugin: { name: 'hello', wasmPath: file, configuration: HELLO_CONFIG }, runs: [] } : { name, runs: [], note: missing };
  const variants: Variant[] = [
    { name: 'no Wasm filter', runs: [] },
    variant('floor (hand-written WAT)', floor, why),
    variant('hello, ours (meshplug SDK)', ours, `${ours} not built (npm run build:plugin)`),
    variant('hello, proxy-wasm-sdk-as', sdkAs, why),
  ];

  const upstream = await startEnvoy({ configYaml: stringify(standInUpstreamObject(0, 0)), dir: join(work, 'upstream'), wrapper: pin ? ['taskset', '-c', '1'] : undefined });
  const upstreamUrl = `http://127.0.0.1:${upstream.ports.stand_in_upstream}`;
  try {
    if (ONLY_JWT) {
      const skipped = await runJwtBench({ upstreamUrl, workDir: work, rounds: ROUNDS, seconds: SECONDS, connections: CONNECTIONS, envoyWrapper: envoyCpu, wrkCpu: otherCpu });
      if (skipped) console.log(skipped);
      return 0;
    }
    for (const v of variants) {
      if (v.name !== 'no Wasm filter' && !v.plugin) continue;
      const dir = join(work, v.name.replace(/[^a-z0-9]+/gi, '-'));
      v.envoy = await startEnvoy({
        configYaml: renderBootstrap({ plugins: v.plugin ? [v.plugin] : [], upstream: upstreamUrl, listenPort: 0, adminPort: 0 }),
        dir, wrapper: envoyCpu, cwd: repoRoot,
      });
      // Warm-up: JIT, connection pools.
      await runWrk({ url: `http://127.0.0.1:${v.envoy.ports.ingress}/`, connections: CONNECTIONS, seconds: 1, cpu: otherCpu });
    }
    for (let r = 0; r < ROUNDS; r++) {
      for (const v of variants) {
        if (!v.envoy) continue;
        v.runs.push(await runWrk({ url: `http://127.0.0.1:${v.envoy.ports.ingress}/`, connections: CONNECTIONS, seconds: SECONDS, cpu: otherCpu }));
      }
    }
    const anchor = variants[0]!;
    const a = { rps: median(anchor.runs.map((x) => x.rps)), p50: median(anchor.runs.map((x) => x.p50us)), p99: median(anchor.runs.map((x) => x.p99us)) };
    const anchorMem = anchor.envoy ? await memory(anchor.envoy) : null;
    console.log(`Envoy ${envoyBin.version}, --concurrency 1${pin ? ', Envoy pinned to CPU 0, wrk and upstream to CPU 1' : ''}; wrk -t1 -c${CONNECTIONS}, ${ROUNDS} interleaved rounds of ${SECONDS} s; medians.\n`);
    const rows: string[][] = [['variant', 'req/s', 'vs none', 'p50 µs', 'p99 µs', 'p50 added', 'p99 added', 'errors', 'RSS MiB', '/memory allocated MiB (vs none)']];
    const added: Record<string, number> = {};
    for (const v of variants) {
      if (!v.envoy) { rows.push([v.name, `skipped: ${v.note}`]); continue; }
      const rps = median(v.runs.map((x) => x.rps));
      const p50 = median(v.runs.map((x) => x.p50us));
      const p99 = median(v.runs.map((x) => x.p99us));
      added[v.name] = p50 - a.p50;
      const mem = await memory(v.envoy);
      rows.push([
        v.name, rps.toFixed(0), (rps / a.rps).toFixed(2), p50.toFixed(0), p99.toFixed(0),
        v === anchor ? '-' : `${(p50 - a.p50).toFixed(0)}`, v === anchor ? '-' : `${(p99 - a.p99).toFixed(0)}`,
        String(v.runs.reduce((s, x) => s + x.errors, 0)),
        mem.rss === null ? '?' : mem.rss.toFixed(0),
        `${mem.allocated.toFixed(1)}${anchorMem && v !== anchor ? ` (+${(mem.allocated - anchorMem.allocated).toFixed(1)})` : ''}`,
      ]);
    }
    printTable(rows);
    const oursAdded = added['hello, ours (meshplug SDK)'];
    const sdkAdded = added['hello, proxy-wasm-sdk-as'];
    const floorAdded = added['floor (hand-written WAT)'];
    console.log('');
    // The anchor's own round-to-round spread bounds what this run can resolve: a ratio of differences
    // smaller than that is noise, and is reported as such rather than as met or missed.
    const anchorP50s = anchor.runs.map((x) => x.p50us);
    const noise = ROUNDS > 1 ? Math.max(...anchorP50s) - Math.min(...anchorP50s) : NaN;
    console.log(`anchor p50 spread over the rounds: ${Number.isNaN(noise) ? 'n/a (one round)' : `${noise.toFixed(0)} µs`}`);
    const resolvable = (x: number) => x > 0 && !Number.isNaN(noise) && x > noise;
    if (oursAdded !== undefined && floorAdded !== undefined) {
      const ratio = `ours added / floor added (p50): ${(oursAdded / floorAdded).toFixed(2)}  (peers/README: within 1.15 of the floor)`;
      console.log(resolvable(floorAdded) ? ratio : `${ratio}  -- inconclusive: the floor's added latency is within the noise`);
    }
    if (oursAdded !== undefined && sdkAdded !== undefined) {
      const ratio = oursAdded / sdkAdded;
      const verdict = resolvable(sdkAdded) ? (ratio <= 0.5 ? 'met' : 'NOT met') : 'inconclusive (sdk-as added latency is within the noise; rerun on a quiet machine)';
      console.log(`ours added / proxy-wasm-sdk-as added (p50): ${ratio.toFixed(2)}  target ≤ 0.50: ${verdict}`);
    } else {
      console.log('ours vs proxy-wasm-sdk-as: not compared (one of them is not available; see the table)');
    }
    // jwt-auth vs the native filters it replaces, against the same upstream.
    const jwtSkipped = await runJwtBench({ upstreamUrl, workDir: work, rounds: ROUNDS, seconds: SECONDS, connections: CONNECTIONS, envoyWrapper: envoyCpu, wrkCpu: otherCpu });
    if (jwtSkipped) console.log(jwtSkipped);
    return 0;
  } finally {
    for (const v of variants) await v.envoy?.stop();
    await upstream.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

async function memory(e: RunningEnvoy): Promise<{ rss: number | null; allocated: number }> {
  const m = JSON.parse(await e.admin('/memory')) as { allocated?: string };
  return { rss: rssMiB(e.pid), allocated: Number(m.allocated ?? 0) / 1024 / 1024 };
}

function printTable(rows: string[][]): void {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  for (const r of rows) console.log(r.length === 2 ? `${r[0]!.padEnd(widths[0]!)}  ${r[1]}` : r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  '));
}

// Ctrl-C: exit normally so the Envoys this run started are killed with it (host/envoy/process.ts).
for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => process.exit(130));
process.exitCode = await main();
