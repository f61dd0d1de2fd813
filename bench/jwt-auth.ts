// `npm run bench -- jwt-auth`: ns/request of jwt-auth through our host for a request without a token,
// with an ES256 / RS256 / HS256 token (the same token each time, so after the first request the
// verified-token cache skips the signature: this measures parse + checks + header edits) and with an
// RS256 token plus two policies, against the floor module (a hand-written WAT making
// hello's host calls) and the host with no plugin, in interleaved rounds of the same run.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildFloor } from './fixtures/build.ts';
import { createBenchSubject, median, type BenchSubject } from '../host/node/bench-plugin.ts';
import { jwks, makeKey, mint } from '../test/plugins/jwt-auth-keys.ts';

const repo = fileURLToPath(new URL('..', import.meta.url));
const ISS = 'https://issuer.example.com';

function arg(args: string[], name: string, dflt: number): number {
  const i = args.indexOf(`--${name}`);
  const n = i >= 0 ? Number(args[i + 1]) : dflt;
  if (!Number.isInteger(n) || n <= 0) throw new Error(`bad --${name}: expected a positive integer`);
  return n;
}

export async function run(args: string[]): Promise<void> {
  const perRound = arg(args, 'requests', 500);
  const rounds = arg(args, 'rounds', 5);
  const wasm = join(repo, 'dist/jwt-auth.wasm');
  if (!existsSync(wasm)) throw new Error('dist/jwt-auth.wasm is missing: run `npm run build:plugin -- jwt-auth` first');
  const es = await makeKey('ES256', 'es');
  const rs = await makeKey('RS256', 'rs');
  const hs = await makeKey('HS256', 'hs');
  const claims = { iss: ISS, sub: 'alice', aud: 'api', exp: Math.floor(Date.now() / 1000) + 3600, groups: ['dev'] };
  const config = { jwtRules: [{ issuer: ISS, audiences: ['api'], jwks: jwks(es, rs, hs), outputClaimToHeaders: [{ header: 'x-user', claim: 'sub' }] }] };
  const withPolicies = {
    ...config,
    policies: [
      { action: 'ALLOW', rules: [{ from: [{ source: { requestPrincipals: ['*'] } }] }] },
      { action: 'DENY', rules: [{ to: [{ operation: { paths: ['/admin*'] } }], when: [{ key: 'request.auth.claims[groups]', notValues: ['admins'] }] }] },
    ],
  };
  const path = '/api/v2/users/42';
  const headers = (token?: string): [string, string][] => [
    ['accept', 'application/json'], ['user-agent', 'bench'], ...(token ? [['authorization', `Bearer ${token}`] as [string, string]] : []),
  ];
  const tmp = mkdtempSync(join(tmpdir(), 'meshplug-bench-jwt-'));
  const subjects: Record<string, BenchSubject> = {};
  try {
    const floor = await buildFloor(join(tmp, 'floor-hello.wasm'));
    const plugin = (cfg: unknown) => [{ file: wasm, configuration: JSON.stringify(cfg) }];
    subjects['no plugin'] = await createBenchSubject([], { path, headers: headers() });
    subjects['floor'] = await createBenchSubject([{ file: floor }], { path, headers: headers() });
    subjects['jwt: no token'] = await createBenchSubject(plugin(config), { path, headers: headers() });
    subjects['jwt: ES256'] = await createBenchSubject(plugin(config), { path, headers: headers(await mint(es, claims)) });
    subjects['jwt: RS256 (2048)'] = await createBenchSubject(plugin(config), { path, headers: headers(await mint(rs, claims)) });
    subjects['jwt: HS256'] = await createBenchSubject(plugin(config), { path, headers: headers(await mint(hs, claims)) });
    subjects['jwt: RS256 + 2 policies'] = await createBenchSubject(plugin(withPolicies), { path, headers: headers(await mint(rs, claims)) });
    const samples: Record<string, number[]> = Object.fromEntries(Object.keys(subjects).map((k) => [k, []]));
    for (let r = 0; r < rounds; r++) for (const [name, s] of Object.entries(subjects)) samples[name]!.push(await s.round(perRound));
    const ns = (name: string) => median(samples[name]!);
    const base = ns('no plugin');
    const added = (name: string) => Math.max(1, ns(name) - base);
    console.log(`jwt-auth through the meshplug host: ${rounds} interleaved rounds of ${perRound} requests, median ns/request`);
    console.log('subject                        ns/req   added over no-plugin   added / floor added   memory bytes');
    for (const name of Object.keys(subjects)) {
      const anchor = name === 'no plugin';
      console.log(`${name.padEnd(28)} ${String(Math.round(ns(name))).padStart(8)}   ${(anchor ? '—' : String(Math.round(added(name)))).padStart(20)}   ${(anchor ? '—' : (added(name) / added('floor')).toFixed(2)).padStart(19)}   ${subjects[name]!.memoryBytes()}`);
    }
  } finally {
    for (const s of Object.values(subjects)) s.close();
    rmSync(tmp, { recursive: true, force: true });
  }
}
