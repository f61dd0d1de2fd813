// `npm run bench -- jwt-auth [--requests N] [--rounds N]`: ns/request of jwt-auth through our host, in
// interleaved rounds of the same run, for the rows — no token; an RS256 token seen for the first
// time (a ring of distinct tokens larger than the verified-token cache, so every request checks the
// signature); the same RS256 token again (cached); ES256 (cached); a 10-rule policy — against the floor
// module (a hand-written WAT making hello's host calls) and the host with no plugin. The RS256 signature
// check (first minus cached) is compared with Node's native crypto.verify of the same token.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createPublicKey, verify } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildFloor } from './fixtures/build.ts';
import { createBenchSubject, median, type BenchSubject } from '../host/node/bench-plugin.ts';
import { jwks, makeKey, mint } from '../test/plugins/jwt-auth-keys.ts';

const repo = fileURLToPath(new URL('..', import.meta.url));
const ISS = 'https://issuer.example.com';
/** More distinct tokens than the plugin's verified-token cache holds (1024), so none is ever cached. */
const FRESH_TOKENS = 1500;

function arg(args: string[], name: string, dflt: number): number {
  const i = args.indexOf(`--${name}`);
  const n = i >= 0 ? Number(args[i + 1]) : dflt;
  if (!Number.isInteger(n) || n <= 0) throw new Error(`bad --${name}: expected a positive integer`);
  return n;
}

/** ns per crypto.verify of an RS256 token (Node's OpenSSL), median of rounds. */
function nodeVerifyNs(token: string, jwk: object, n: number, rounds: number): number {
  const key = createPublicKey({ key: jwk as never, format: 'jwk' });
  const dot = token.lastIndexOf('.');
  const data = Buffer.from(token.slice(0, dot));
  const sig = Buffer.from(token.slice(dot + 1), 'base64url');
  const out: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < n; i++) if (!verify('RSA-SHA256', data, key, sig)) throw new Error('node verify failed');
    out.push(Number(process.hrtime.bigint() - t0) / n);
  }
  return median(out);
}

export async function run(args: string[]): Promise<void> {
  const perRound = arg(args, 'requests', 300);
  const rounds = arg(args, 'rounds', 5);
  const wasm = join(repo, 'dist/jwt-auth.wasm');
  if (!existsSync(wasm)) throw new Error('dist/jwt-auth.wasm is missing: run `npm run build:plugin -- jwt-auth` first');
  const es = await makeKey('ES256', 'es');
  const rs = await makeKey('RS256', 'rs');
  const claims = { iss: ISS, sub: 'alice', aud: 'api', exp: Math.floor(Date.now() / 1000) + 3600, groups: ['dev'] };
  const config = { jwtRules: [{ issuer: ISS, audiences: ['api'], jwks: jwks(es, rs), outputClaimToHeaders: [{ header: 'x-user', claim: 'sub' }] }] };
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
  let next = 0;
  // The host's request factory spreads this object per request, so the getter hands out the next token.
  const rotating = { path, get headers() { return headers(fresh[next++ % fresh.length]); } };
  const rsToken = await mint(rs, claims);
  const tmp = mkdtempSync(join(tmpdir(), 'meshplug-bench-jwt-'));
  const subjects: Record<string, BenchSubject> = {};
  try {
    const floor = await buildFloor(join(tmp, 'floor-hello.wasm'));
    const plugin = (cfg: unknown) => [{ file: wasm, configuration: JSON.stringify(cfg) }];
    subjects['no plugin'] = await createBenchSubject([], { path, headers: headers() });
    subjects['floor'] = await createBenchSubject([{ file: floor }], { path, headers: headers() });
    subjects['no token'] = await createBenchSubject(plugin(config), { path, headers: headers() });
    subjects['RS256 first time'] = await createBenchSubject(plugin(config), rotating);
    subjects['RS256 cached'] = await createBenchSubject(plugin(config), { path, headers: headers(rsToken) });
    subjects['ES256 cached'] = await createBenchSubject(plugin(config), { path, headers: headers(await mint(es, claims)) });
    subjects['RS256 + 10-rule policy'] = await createBenchSubject(plugin(tenRules), { path, headers: headers(rsToken) });
    const samples: Record<string, number[]> = Object.fromEntries(Object.keys(subjects).map((k) => [k, []]));
    for (let r = 0; r < rounds; r++) for (const [name, s] of Object.entries(subjects)) samples[name]!.push(await s.round(perRound));
    const ns = (name: string) => median(samples[name]!);
    const base = ns('no plugin');
    const added = (name: string) => Math.max(1, ns(name) - base);
    console.log(`jwt-auth through the meshplug host: ${rounds} interleaved rounds of ${perRound} requests, median ns/request`);
    console.log('subject                      ns/req   added over no-plugin   added / floor added   memory bytes');
    for (const name of Object.keys(subjects)) {
      const anchor = name === 'no plugin';
      console.log(`${name.padEnd(26)} ${String(Math.round(ns(name))).padStart(8)}   ${(anchor ? '—' : String(Math.round(added(name)))).padStart(20)}   ${(anchor ? '—' : (added(name) / added('floor')).toFixed(2)).padStart(19)}   ${subjects[name]!.memoryBytes()}`);
    }
    const nodeNs = nodeVerifyNs(rsToken, rs.publicJwk, 2000, rounds);
    const verifyNs = Math.max(1, ns('RS256 first time') - ns('RS256 cached'));
    console.log(`\nRS256 signature check in the plugin (first time − cached): ${Math.round(verifyNs)} ns; Node crypto.verify: ${Math.round(nodeNs)} ns; ratio ${(verifyNs / nodeNs).toFixed(2)}× (target ≤ 3×)`);
    console.log(`cached RS256 over the floor: ${Math.round(ns('RS256 cached') - ns('floor'))} ns (target ≤ 5000 ns)`);
  } finally {
    for (const s of Object.values(subjects)) s.close();
    rmSync(tmp, { recursive: true, force: true });
  }
}
