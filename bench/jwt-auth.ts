// `npm run bench -- jwt-auth [--requests N] [--rounds N] [--module FILE]`: ns/request of jwt-auth through our host, in
// interleaved rounds of the same run, for the rows — no token; an RS256 token seen for the first
// time (a ring of distinct tokens larger than the verified-token cache, so every request checks the
// signature); the same RS256 token again (cached); ES256 (cached); a 10-rule policy; and an HS256 token
// seen for the first time (the cheapest signature: the row shows what a new token costs besides its
// signature — decoding, JSON, the cache insert, collection). Each row is compared
// with the floor module (a hand-written WAT making hello's host calls) given the SAME request — a token
// row with a floor whose request carries the same Authorization header — so the difference is the
// plugin's own work, not the host's cost of a bigger request. The RS256 signature check (first minus
// cached) is compared with Node's native crypto.verify of the same token.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildFloor } from './fixtures/build.ts';
import { createBenchSubject, median, type BenchSubject } from '../host/node/bench-plugin.ts';
import type { PluginFileOptions } from '../host/node/load-plugin.ts';
import { jwks, makeKey, mint } from '../test/plugins/jwt-auth-keys.ts';
import { arg, FRESH_TOKENS, ISS, mainThreadCpuNs, nodeVerifyNs } from './fixtures/jwt-bench.ts';

const repo = fileURLToPath(new URL('..', import.meta.url));
export async function run(args: string[]): Promise<void> {
  const perRound = arg(args, 'requests', 1000);
  const rounds = arg(args, 'rounds', 7);
  // --module FILE: bench another build of the module (e.g. the previous one) with the same rows.
  const wi = args.indexOf('--module');
  const wasm = wi >= 0 && args[wi + 1] ? args[wi + 1]! : join(repo, 'dist/jwt-auth.wasm');
  if (!existsSync(wasm)) throw new Error(`${wasm} is missing: run \`npm run build:plugin -- jwt-auth\` first`);
  const es = await makeKey('ES256', 'es');
  const rs = await makeKey('RS256', 'rs');
  const hs = await makeKey('HS256', 'hs');
  const claims = { iss: ISS, sub: 'alice', aud: 'api', exp: Math.floor(Date.now() / 1000) + 3600, groups: ['dev'] };
  const config = { jwtRules: [{ issuer: ISS, audiences: ['api'], jwks: jwks(es, rs, hs), outputClaimToHeaders: [{ header: 'x-user', claim: 'sub' }] }] };
  // Ten ALLOW rules; only the last matches, so every request evaluates all of them.
  const tenRules = {
    ...config,
    policies: [{
      action: 'ALLOW',
      rules: [
        ...Array.from({ length: 9 }, (_, i) => ({
          from: [{ source: { requestPrincipals: [`${ISS}/svc-${i}`] } }],
          to: [{ operation: { methods: ['POST'], paths: [`/api/v${i}/*`] } }],
          when: [{ key: 'request.auth.claims[groups]', values: [`team-${i}`] }],
        })),
        { from: [{ source: { requestPrincipals: ['*'] } }], to: [{ operation: { paths: ['/api/*'] } }], when: [{ key: 'request.auth.claims[groups]', values: ['dev'] }] },
      ],
    }],
  };
  const path = '/api/v2/users/42';
  const headers = (token?: string): [string, string][] => [
    ['accept', 'application/json'], ['user-agent', 'bench'], ...(token ? [['authorization', `Bearer ${token}`] as [string, string]] : []),
  ];
  const fresh: string[] = [];
  for (let i = 0; i < FRESH_TOKENS; i++) fresh.push(await mint(rs, { ...claims, jti: String(i) }));
  const freshHs: string[] = [];
  for (let i = 0; i < FRESH_TOKENS; i++) freshHs.push(await mint(hs, { ...claims, jti: String(i) }));
  // The host's request factory spreads this object per request, so the getter hands out the next token.
  // Each subject gets its own counter: a shared one would hand each only part of the ring, and the
  // tokens it saw a moment ago could still be in its cache.
  const rotating = (ring: string[]) => {
    let next = 0;
    return { path, get headers() { return headers(ring[next++ % ring.length]); } };
  };
  const rsToken = await mint(rs, claims);
  const esToken = await mint(es, claims);
  const tmp = mkdtempSync(join(tmpdir(), 'meshplug-bench-jwt-'));
  const subjects: Record<string, BenchSubject> = {};
  try {
    const floor = await buildFloor(join(tmp, 'floor-hello.wasm'));
    const plugin = (cfg: unknown) => [{ file: wasm, configuration: JSON.stringify(cfg) }];
    // Every row names the floor that got the same request.
    const floorOf: Record<string, string> = {};
    const add = async (name: string, plugins: PluginFileOptions[], request: object, floorName: string) => {
      subjects[name] = await createBenchSubject(plugins, request);
      floorOf[name] = floorName;
    };
    await add('no plugin', [], { path, headers: headers() }, '');
    await add('floor', [{ file: floor }], { path, headers: headers() }, '');
    await add('floor + token', [{ file: floor }], { path, headers: headers(rsToken) }, '');
    await add('no token', plugin(config), { path, headers: headers() }, 'floor');
    await add('RS256 first time', plugin(config), rotating(fresh), 'floor + token');
    // verifyWith "auto" checks RS256 through the host's verify_signature; the same row with our Wasm crypto:
    await add('RS256 first, wasm crypto', plugin({ ...config, verifyWith: 'wasm' }), rotating(fresh), 'floor + token');
    await add('RS256 cached', plugin(config), { path, headers: headers(rsToken) }, 'floor + token');
    await add('ES256 cached', plugin(config), { path, headers: headers(esToken) }, 'floor + token');
    await add('RS256 + 10-rule policy', plugin(tenRules), { path, headers: headers(rsToken) }, 'floor + token');
    await add('HS256 first time', plugin(config), rotating(freshHs), 'floor + token');
    // Wall time per request, and the main thread's CPU time per request: on a shared machine the CPU time
    // is the steadier of the two (it does not count time spent descheduled, nor Node's JIT/GC threads).
    const samples: Record<string, number[]> = Object.fromEntries(Object.keys(subjects).map((k) => [k, []]));
    const cpuSamples: Record<string, number[]> = Object.fromEntries(Object.keys(subjects).map((k) => [k, []]));
    for (let r = 0; r < rounds; r++) {
      for (const [name, s] of Object.entries(subjects)) {
        const c0 = mainThreadCpuNs();
        samples[name]!.push(await s.round(perRound));
        cpuSamples[name]!.push((mainThreadCpuNs() - c0) / perRound);
      }
    }
    const ns = (name: string) => median(samples[name]!);
    const cpu = (name: string) => median(cpuSamples[name]!);
    const base = ns('no plugin');
    console.log(`jwt-auth through the meshplug host: ${rounds} interleaved rounds of ${perRound} requests, medians in ns/request`);
    console.log('subject                      wall   over no-plugin   vs floor (same request)   wall over floor   cpu   cpu over floor   memory bytes');
    for (const name of Object.keys(subjects)) {
      const f = floorOf[name]!;
      const cells = [
        name.padEnd(24), String(Math.round(ns(name))).padStart(8),
        (name === 'no plugin' ? '—' : String(Math.round(ns(name) - base))).padStart(16),
        (f ? `${(ns(name) / ns(f)).toFixed(2)}× ${f}` : '—').padStart(25),
        (f ? String(Math.round(ns(name) - ns(f))) : '—').padStart(17),
        String(Math.round(cpu(name))).padStart(7),
        (f ? String(Math.round(cpu(name) - cpu(f))) : '—').padStart(16),
        String(subjects[name]!.memoryBytes()).padStart(14),
      ];
      console.log(cells.join(' '));
    }
    const nodeNs = nodeVerifyNs(rsToken, rs, 2000, rounds);
    const verifyNs = Math.max(1, ns('RS256 first, wasm crypto') - ns('RS256 cached'));
    const hostVerifyNs = Math.max(1, ns('RS256 first time') - ns('RS256 cached'));
    console.log(`\nRS256 signature check in the plugin's Wasm crypto (first time − cached): ${Math.round(verifyNs)} ns; Node crypto.verify: ${Math.round(nodeNs)} ns; ratio ${(verifyNs / nodeNs).toFixed(2)}× (target ≤ 3×)`);
    const nodeCpu = nodeVerifyNs(rsToken, rs, 2000, rounds, true);
    const verifyCpu = Math.max(1, cpu('RS256 first, wasm crypto') - cpu('RS256 cached'));
    console.log(`the same in main-thread CPU time (steadier on a shared machine): ${Math.round(verifyCpu)} ns; Node ${Math.round(nodeCpu)} ns; ratio ${(verifyCpu / nodeCpu).toFixed(2)}× (target ≤ 3×)`);
    console.log(`RS256 through the host's verify_signature (verifyWith auto, first time − cached): ${Math.round(hostVerifyNs)} ns; ${(hostVerifyNs / verifyNs).toFixed(2)}× the Wasm crypto`);
    console.log(`cached RS256 over the floor with the same request: ${Math.round(ns('RS256 cached') - ns('floor + token'))} ns wall, ${Math.round(cpu('RS256 cached') - cpu('floor + token'))} ns CPU (target ≤ 5000 ns)`);
    console.log(`cached RS256 over no token (the token's own cost): ${Math.round(ns('RS256 cached') - ns('no token'))} ns wall, ${Math.round(cpu('RS256 cached') - cpu('no token'))} ns CPU`);
    console.log(`HS256 first time over RS256 cached (a new token's cost, nearly all of it besides the signature): ${Math.round(ns('HS256 first time') - ns('RS256 cached'))} ns wall, ${Math.round(cpu('HS256 first time') - cpu('RS256 cached'))} ns CPU`);
  } finally {
    for (const s of Object.values(subjects)) s.close();
    rmSync(tmp, { recursive: true, force: true });
  }
}
