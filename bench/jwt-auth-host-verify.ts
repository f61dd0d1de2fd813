// `npm run bench -- jwt-auth-host-verify [--requests N] [--rounds N]`: the first-time signature check of
// jwt-auth through our host both ways — `verifyWith: "wasm"` (our AssemblyScript crypto) and `"host"` (the
// `verify_signature` foreign function; in our host, node:crypto behind Envoy's argument encoding) — for
// RS256 and ES256, in interleaved rounds of the same run. Each token is new to the module (a ring larger
// than the verified-token cache), so every request decodes, parses and checks a token; an HS256 ring (the
// same claims, an HMAC check of ~1 µs) is subtracted to leave the public-key check alone: a cached row
// would not do, as a new token also costs the cache's own work. Node's crypto.verify is the anchor.
// The same comparison in real Envoy: envoy-test/jwt-bench-verify.ts.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createBenchSubject, median, type BenchSubject } from '../host/node/bench-plugin.ts';
import { jwks, makeKey, mint, type KeyPair } from '../test/plugins/jwt-auth-keys.ts';
import { arg, FRESH_TOKENS, ISS, nodeVerifyNs } from './fixtures/jwt-bench.ts';

const repo = fileURLToPath(new URL('..', import.meta.url));
export async function run(args: string[]): Promise<void> {
  const perRound = arg(args, 'requests', 500);
  const rounds = arg(args, 'rounds', 5);
  const wasm = join(repo, 'dist/jwt-auth.wasm');
  if (!existsSync(wasm)) throw new Error(`${wasm} is missing: run \`npm run build:plugin -- jwt-auth\` first`);
  const keys = { RS256: await makeKey('RS256', 'rs'), ES256: await makeKey('ES256', 'es') };
  const hs = await makeKey('HS256', 'hs');
  const claims = { iss: ISS, sub: 'alice', exp: Math.floor(Date.now() / 1000) + 3600 };
  const headers = (token: string): [string, string][] => [['authorization', `Bearer ${token}`]];
  const subjects: Record<string, BenchSubject> = {};
  const anchors: Record<string, number> = {};
  const ring = async (key: KeyPair) => {
    const fresh: string[] = [];
    for (let i = 0; i < FRESH_TOKENS; i++) fresh.push(await mint(key, { ...claims, jti: String(i) }));
    // The host's request factory spreads this object per request: the getter hands out the next token.
    // One counter per subject: a shared one would hand each only part of the ring, and the tokens it saw
    // a moment ago could still be in its cache.
    const request = () => {
      let next = 0;
      return { path: '/api', get headers() { return headers(fresh[next++ % fresh.length]!); } };
    };
    return { fresh, request };
  };
  const config = (key: KeyPair, mode: string) => [{ file: wasm, configuration: JSON.stringify({ jwtRules: [{ issuer: ISS, jwks: jwks(key) }], verifyWith: mode }) }];
  try {
    subjects['HS256 first time'] = await createBenchSubject(config(hs, 'auto'), (await ring(hs)).request());
    for (const [alg, key] of Object.entries(keys)) {
      const { fresh, request } = await ring(key);
      anchors[alg] = nodeVerifyNs(fresh[0]!, key, 2000, rounds);
      for (const mode of ['wasm', 'host']) subjects[`${alg} first time, ${mode}`] = await createBenchSubject(config(key, mode), request());
    }
    const samples: Record<string, number[]> = Object.fromEntries(Object.keys(subjects).map((k) => [k, []]));
    for (let r = 0; r < rounds; r++) {
      for (const [name, s] of Object.entries(subjects)) samples[name]!.push(await s.round(perRound));
    }
    const ns = (name: string) => median(samples[name]!);
    console.log(`jwt-auth signature check through the meshplug host, verifyWith wasm vs host: ${rounds} interleaved rounds of ${perRound} requests, medians in ns/request`);
    for (const name of Object.keys(subjects)) console.log(`${name.padEnd(28)} ${String(Math.round(ns(name))).padStart(9)}`);
    for (const alg of Object.keys(keys)) {
      const check = (mode: string) => Math.max(1, ns(`${alg} first time, ${mode}`) - ns('HS256 first time'));
      const w = check('wasm');
      const h = check('host');
      const n = anchors[alg]!;
      console.log(`\n${alg} check (first time − HS256 first time): wasm ${Math.round(w)} ns (${(w / n).toFixed(2)}× Node), host ${Math.round(h)} ns (${(h / n).toFixed(2)}× Node); host / wasm ${(h / w).toFixed(2)}; Node crypto.verify ${Math.round(n)} ns`);
    }
  } finally {
    for (const s of Object.values(subjects)) s.close();
  }
}
