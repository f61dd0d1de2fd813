// The first-time signature check in real Envoy 1.40, both ways: dist/jwt-auth.wasm with `verifyWith: "wasm"`
// (our AssemblyScript crypto in V8) and `"host"` (Envoy's `verify_signature` foreign function, BoringSSL),
// next to Envoy's native jwt_authn and no filter (the anchor), for RS256 and ES256.
//   node --import tsx envoy-test/jwt-bench-verify.ts [--rounds 5] [--requests 300]
// Every request carries a token the Envoy has not seen (rounds × requests distinct tokens, more than the
// module's verified-token cache holds), sent one at a time over one keep-alive connection per variant, each
// token to every variant in turn; the latency each variant adds over the anchor (median of the per-round
// medians) is the cost of a first-time check.
// Sibling of jwt-bench.ts (the cached-token comparison with wrk, which cannot send a new token each time).
import { Agent, request } from 'node:http';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { locateEnvoy } from '../host/envoy/locate.ts';
import { startEnvoy, type RunningEnvoy } from '../host/envoy/process.ts';
import { startEchoUpstream } from '../host/node/echo-upstream.ts';
import { jwks, makeKey, mint, type Alg } from '../test/plugins/jwt-auth-keys.ts';
import { oracleBootstrap, type Side } from './jwt-oracle-envoy.ts';
import type { JwtAuthConfig } from './jwt-oracle-istio.ts';
import { repoRoot } from './lib/plugin-path.ts';

const ISS = 'https://issuer.example.com';
const median = (xs: number[]) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]!; };

function arg(args: string[], name: string, dflt: number): number {
  const i = args.indexOf(`--${name}`);
  const n = i >= 0 ? Number(args[i + 1]) : dflt;
  if (!Number.isInteger(n) || n <= 0) throw new Error(`bad --${name}: expected a positive integer`);
  return n;
}

/** One GET with the token; resolves with the latency in µs (throws unless 200). */
function get(agent: Agent, port: number, token: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const req = request({ host: '127.0.0.1', port, path: '/api', agent, headers: { authorization: `Bearer ${token}` } }, (res) => {
      res.resume();
      res.on('end', () => {
        if (res.statusCode !== 200) reject(new Error(`status ${res.statusCode}`));
        else resolve(Number(process.hrtime.bigint() - t0) / 1000);
      });
    });
    req.on('error', reject);
    req.end();
  });
}

/** CPU time (ns) all of a process's threads have run so far (Linux schedstat), or NaN elsewhere. */
export function cpuNs(pid: number): number {
  try {
    let sum = 0;
    for (const t of readdirSync(`/proc/${pid}/task`)) sum += Number(readFileSync(`/proc/${pid}/task/${t}/schedstat`, 'utf8').split(' ')[0]);
    return sum;
  } catch {
    return Number.NaN;
  }
}

interface Variant { name: string; side: Side | null; verifyWith?: string; envoy?: RunningEnvoy; agent: Agent; p50: number[]; cpu: number[] }

async function benchAlg(alg: Alg, envoyPath: string, upstreamUrl: string, work: string, rounds: number, perRound: number): Promise<void> {
  const wasm = join(repoRoot, 'dist', 'jwt-auth.wasm');
  const key = await makeKey(alg, 'k1');
  const config: JwtAuthConfig = { jwtRules: [{ issuer: ISS, jwks: jwks(key) }] };
  const exp = Math.floor(Date.now() / 1000) + 7200;
  const tokens: string[] = [];
  for (let i = 0; i < rounds * perRound + 50; i++) tokens.push(await mint(key, { iss: ISS, sub: 'alice', exp, jti: String(i) }));
  const variants: Variant[] = [
    { name: 'no filter', side: null, agent: new Agent({ keepAlive: true, maxSockets: 1 }), p50: [], cpu: [] },
    { name: 'native jwt_authn', side: 'native', agent: new Agent({ keepAlive: true, maxSockets: 1 }), p50: [], cpu: [] },
    { name: 'jwt-auth.wasm, wasm', side: 'wasm', verifyWith: 'wasm', agent: new Agent({ keepAlive: true, maxSockets: 1 }), p50: [], cpu: [] },
    { name: 'jwt-auth.wasm, host', side: 'wasm', verifyWith: 'host', agent: new Agent({ keepAlive: true, maxSockets: 1 }), p50: [], cpu: [] },
  ];
  try {
    for (const v of variants) {
      const cfg = v.side === null ? {} : v.verifyWith ? ({ ...config, verifyWith: v.verifyWith } as JwtAuthConfig) : config;
      v.envoy = await startEnvoy({ envoyPath, configYaml: oracleBootstrap(v.side ?? 'native', cfg, wasm, upstreamUrl), dir: join(work, `${alg}-${v.name.replace(/[^a-z0-9]+/gi, '-')}`), cwd: repoRoot });
      for (let i = 0; i < 50; i++) await get(v.agent, v.envoy.ports.ingress!, tokens[i]!); // warm-up: connection, JIT
    }
    let next = 50;
    for (let r = 0; r < rounds; r++) {
      const batch = tokens.slice(next, next + perRound);
      next += perRound;
      // Each new token through every variant in turn (each Envoy sees it once), so a burst of load on this
      // shared machine hits all variants alike.
      const lat: number[][] = variants.map(() => []);
      const cpu0 = variants.map((v) => cpuNs(v.envoy!.pid));
      for (const t of batch) {
        for (let i = 0; i < variants.length; i++) lat[i]!.push(await get(variants[i]!.agent, variants[i]!.envoy!.ports.ingress!, t));
      }
      variants.forEach((v, i) => {
        v.p50.push(median(lat[i]!));
        v.cpu.push((cpuNs(v.envoy!.pid) - cpu0[i]!) / batch.length / 1000);
      });
    }
  } finally {
    for (const v of variants) { v.agent.destroy(); await v.envoy?.stop(); }
  }
  const p50 = (v: Variant) => median(v.p50);
  const cpu = (v: Variant) => median(v.cpu);
  const anchor = p50(variants[0]!);
  const cpuAnchor = cpu(variants[0]!);
  console.log(`\n${alg}, a new token on every request: ${rounds} interleaved rounds of ${perRound} sequential requests; p50 latency, and Envoy's CPU time per request (all its threads)`);
  for (const v of variants) {
    console.log(`${v.name.padEnd(22)} p50 ${p50(v).toFixed(0).padStart(6)} µs  added ${(p50(v) - anchor).toFixed(0).padStart(6)} µs   CPU ${cpu(v).toFixed(0).padStart(5)} µs/req  added ${(cpu(v) - cpuAnchor).toFixed(0).padStart(5)} µs`);
  }
  const added = (i: number) => Math.max(1, p50(variants[i]!) - anchor);
  const cpuAdded = (i: number) => Math.max(1, cpu(variants[i]!) - cpuAnchor);
  console.log(`added latency: wasm / host ${(added(2) / added(3)).toFixed(2)}; wasm / native ${(added(2) / added(1)).toFixed(2)}; host / native ${(added(3) / added(1)).toFixed(2)}`);
  console.log(`added CPU:     wasm / host ${(cpuAdded(2) / cpuAdded(3)).toFixed(2)}; wasm / native ${(cpuAdded(2) / cpuAdded(1)).toFixed(2)}; host / native ${(cpuAdded(3) / cpuAdded(1)).toFixed(2)}  (the steadier measure on a shared machine)`);
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const envoy = locateEnvoy();
  if ('missing' in envoy) { console.log(`skipped: ${envoy.missing}`); return 0; }
  if (!existsSync(join(repoRoot, 'dist', 'jwt-auth.wasm'))) { console.log('skipped: dist/jwt-auth.wasm is not built'); return 0; }
  const rounds = arg(args, 'rounds', 5);
  const perRound = arg(args, 'requests', 300);
  const upstream = await startEchoUpstream({ reply: { status: 200, body: 'ok' } });
  const work = mkdtempSync(join(tmpdir(), 'meshplug-jwt-bench-verify-'));
  try {
    for (const alg of ['RS256', 'ES256'] as Alg[]) await benchAlg(alg, envoy.path, upstream.url, work, rounds, perRound);
  } finally {
    await upstream.close();
    rmSync(work, { recursive: true, force: true });
  }
  return 0;
}

if (import.meta.url === `file://${process.argv[1]}`) process.exit(await main());
