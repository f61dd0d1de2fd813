// jwt-auth's part of `npm run bench:envoy`: the same RS256 token, keys and policy through one Envoy 1.40
// each — no filter (the anchor), Envoy's native jwt_authn + rbac as istiod configures them, and
// dist/jwt-auth.wasm — with wrk, in interleaved rounds of the same run. Prints the p50 latency each adds
// over the anchor and the ratio wasm / native (target ≤ 1.5), and the same ratio of Envoy's CPU time per
// request (all its threads, from /proc): on a shared machine wrk's latency mostly measures the load, the
// CPU time does not count time spent descheduled.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { startEnvoy, type RunningEnvoy } from '../host/envoy/process.ts';
import { jwks, makeKey, mint } from '../test/plugins/jwt-auth-keys.ts';
import { oracleBootstrap, type Side } from './jwt-oracle-envoy.ts';
import type { JwtAuthConfig } from './jwt-oracle-istio.ts';
import { parseWrk, type WrkResult } from './lib/wrk.ts';
import { repoRoot } from './lib/plugin-path.ts';
import { cpuNs } from './jwt-bench-verify.ts';

const ISS = 'https://issuer.example.com';
const median = (xs: number[]) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]!; };

/** wrk with one extra header (envoy-test/lib/wrk.ts sends none). */
function wrk(url: string, header: string, o: { connections: number; seconds: number; cpu?: number }): Promise<WrkResult> {
  const args = ['-t1', `-c${o.connections}`, `-d${o.seconds}s`, '--latency', '-H', header, url];
  const [cmd, ...rest] = o.cpu === undefined ? ['wrk', ...args] : ['taskset', '-c', String(o.cpu), 'wrk', ...args];
  return new Promise((resolve, reject) => {
    const child = spawn(cmd!, rest, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => { out += c.toString(); });
    child.stderr.on('data', (c: Buffer) => { out += c.toString(); });
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code !== 0) { reject(new Error(`wrk exited ${code}: ${out.trim().slice(0, 300)}`)); return; }
      try { resolve(parseWrk(out)); } catch (e) { reject(e); }
    });
  });
}

export interface JwtBenchOptions {
  upstreamUrl: string;
  workDir: string;
  rounds: number;
  seconds: number;
  connections: number;
  envoyWrapper?: string[];
  wrkCpu?: number;
}

/** Runs the comparison and prints its table; returns a line saying why it was skipped, or null. */
export async function runJwtBench(o: JwtBenchOptions): Promise<string | null> {
  // JWT_BENCH_WASM=FILE: another build of the module (e.g. the previous one).
  const wasm = process.env.JWT_BENCH_WASM ?? join(repoRoot, 'dist', 'jwt-auth.wasm');
  if (!existsSync(wasm)) return `jwt-auth: skipped (${wasm} is not built)`;
  const rsa = await makeKey('RS256', 'rsa-1');
  const config: JwtAuthConfig = {
    jwtRules: [{ issuer: ISS, audiences: ['api.example.com'], jwks: jwks(rsa), outputClaimToHeaders: [{ header: 'x-user', claim: 'sub' }] }],
    policies: [
      { action: 'DENY', rules: [{ to: [{ operation: { paths: ['/admin*'] } }], when: [{ key: 'request.auth.claims[groups]', notValues: ['admins'] }] }] },
      { action: 'ALLOW', rules: [{ from: [{ source: { requestPrincipals: ['*'] } }], to: [{ operation: { methods: ['GET'] } }] }] },
    ],
  };
  const token = await mint(rsa, { iss: ISS, sub: 'alice', aud: 'api.example.com', exp: Math.floor(Date.now() / 1000) + 7200, groups: ['dev'] });
  const header = `Authorization: Bearer ${token}`;
  // cpu: Envoy's CPU µs per request in each round.
  const variants: { name: string; side: Side | null; envoy?: RunningEnvoy; runs: WrkResult[]; cpu: number[] }[] = [
    { name: 'no filter', side: null, runs: [], cpu: [] },
    { name: 'native jwt_authn + rbac', side: 'native', runs: [], cpu: [] },
    { name: 'jwt-auth.wasm', side: 'wasm', runs: [], cpu: [] },
  ];
  try {
    for (const v of variants) {
      const yaml = v.side === null ? oracleBootstrap('native', {}, wasm, o.upstreamUrl) : oracleBootstrap(v.side, config, wasm, o.upstreamUrl);
      v.envoy = await startEnvoy({ configYaml: yaml, dir: join(o.workDir, `jwt-${v.name.replace(/[^a-z0-9]+/gi, '-')}`), wrapper: o.envoyWrapper, cwd: repoRoot });
      await wrk(`http://127.0.0.1:${v.envoy.ports.ingress}/api`, header, { connections: o.connections, seconds: 1, cpu: o.wrkCpu });
    }
    for (let r = 0; r < o.rounds; r++) {
      for (const v of variants) {
        const c0 = cpuNs(v.envoy!.pid);
        const w = await wrk(`http://127.0.0.1:${v.envoy!.ports.ingress}/api`, header, { connections: o.connections, seconds: o.seconds, cpu: o.wrkCpu });
        v.runs.push(w);
        v.cpu.push((cpuNs(v.envoy!.pid) - c0) / Math.max(1, w.requests) / 1000);
      }
    }
  } finally {
    for (const v of variants) await v.envoy?.stop();
  }
  const p50 = (v: typeof variants[number]) => median(v.runs.map((x) => x.p50us));
  const anchor = p50(variants[0]!);
  console.log(`\njwt-auth vs Envoy's native jwt_authn + rbac: one RS256 token, the same keys and policy; ${o.rounds} interleaved rounds of ${o.seconds} s`);
  const cpu = (v: typeof variants[number]) => median(v.cpu);
  const cpuAnchor = cpu(variants[0]!);
  for (const v of variants) {
    const errors = v.runs.reduce((s, x) => s + x.errors, 0);
    console.log(`${v.name.padEnd(26)} req/s ${median(v.runs.map((x) => x.rps)).toFixed(0).padStart(7)}  p50 ${p50(v).toFixed(0).padStart(6)} µs  added ${(p50(v) - anchor).toFixed(0).padStart(6)} µs  CPU ${cpu(v).toFixed(1).padStart(6)} µs/req  added ${(cpu(v) - cpuAnchor).toFixed(1).padStart(6)} µs  non-2xx/errors ${errors}`);
  }
  const nativeAdded = p50(variants[1]!) - anchor;
  const wasmAdded = p50(variants[2]!) - anchor;
  const spread = Math.max(...variants[0]!.runs.map((x) => x.p50us)) - Math.min(...variants[0]!.runs.map((x) => x.p50us));
  const ratio = wasmAdded / nativeAdded;
  const verdict = nativeAdded > spread && nativeAdded > 0 ? (ratio <= 1.5 ? 'met' : 'NOT met') : 'inconclusive (the native added latency is within the anchor spread)';
  console.log(`jwt-auth added / native added (p50): ${ratio.toFixed(2)}  target ≤ 1.50: ${verdict}  (anchor spread ${spread.toFixed(0)} µs)`);
  const nativeCpu = cpu(variants[1]!) - cpuAnchor;
  const wasmCpu = cpu(variants[2]!) - cpuAnchor;
  const cpuSpread = Math.max(...variants[0]!.cpu) - Math.min(...variants[0]!.cpu);
  const cpuRatio = wasmCpu / nativeCpu;
  const cpuVerdict = nativeCpu > cpuSpread && nativeCpu > 0 ? (cpuRatio <= 1.5 ? 'met' : 'NOT met') : 'inconclusive (the native added CPU is within the anchor spread)';
  console.log(`jwt-auth added / native added (Envoy CPU per request): ${cpuRatio.toFixed(2)}  target ≤ 1.50: ${cpuVerdict}  (anchor spread ${cpuSpread.toFixed(1)} µs)`);
  return null;
}
