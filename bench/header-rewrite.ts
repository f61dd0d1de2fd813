// `npm run bench -- header-rewrite`: ns/request of header-rewrite with a 20-header rule set — read 20
// request headers (the rule's match conditions), remove 20, add 20: the workload behind the published
// Alibaba figure of ~0.2 ms/request on Envoy — through our host, against the floor module (hand-written
// WAT making hello's 3 host calls) and the host with no plugin, in interleaved rounds of one run.
// "added" is what a module costs over the bare host; ratios are against the floor's added cost.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildFloor } from './fixtures/build.ts';
import { createBenchSubject, median, type BenchSubject } from '../host/node/bench-plugin.ts';

const repo = fileURLToPath(new URL('..', import.meta.url));
const N = 20;
const range = Array.from({ length: N }, (_, i) => i);

function positiveArg(args: string[], name: string, dflt: number): number {
  const i = args.indexOf(`--${name}`);
  const n = i >= 0 ? Number(args[i + 1]) : dflt;
  if (!Number.isInteger(n) || n <= 0) throw new Error(`bad --${name}: expected a positive integer`);
  return n;
}

/** Reads 20 headers (each must be present), removes them, adds 20 new ones. */
export const twentyHeaderConfig = {
  match: [{ headers: Object.fromEntries(range.map((i) => [`x-in-${i}`, { prefix: 'v' }])) }],
  headers: {
    request: {
      remove: range.map((i) => `x-in-${i}`),
      add: Object.fromEntries(range.map((i) => [`x-added-${i}`, `value-${i}`])),
    },
  },
};

/** The same 20 additions with formatters (each value copies a request header). */
export const twentyFormattedConfig = {
  headers: { request: { set: Object.fromEntries(range.map((i) => [`x-copy-${i}`, `%REQ(x-in-${i})%`])) } },
};

const request = {
  path: '/api/items?page=2',
  headers: [
    ['user-agent', 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36'],
    ['accept', 'application/json'],
    ...range.map((i) => [`x-in-${i}`, `value-of-incoming-header-${i}`]),
  ] as [string, string][],
};

export async function run(args: string[]): Promise<void> {
  const perRound = positiveArg(args, 'requests', 3000);
  const rounds = positiveArg(args, 'rounds', 5);
  const wasm = join(repo, 'dist/header-rewrite.wasm');
  if (!existsSync(wasm)) throw new Error('dist/header-rewrite.wasm is missing: run `npm run build:plugin -- header-rewrite` first');
  const tmp = mkdtempSync(join(tmpdir(), 'meshplug-bench-hr-'));
  const subjects: Record<string, BenchSubject> = {};
  try {
    const floor = await buildFloor(join(tmp, 'floor-hello.wasm'));
    subjects['no plugin'] = await createBenchSubject([], request);
    subjects['floor'] = await createBenchSubject([{ file: floor }], request);
    subjects['read 20, remove 20, add 20'] = await createBenchSubject([{ file: wasm, configuration: JSON.stringify(twentyHeaderConfig) }], request);
    subjects['set 20 with %REQ()%'] = await createBenchSubject([{ file: wasm, configuration: JSON.stringify(twentyFormattedConfig) }], request);
    const samples: Record<string, number[]> = Object.fromEntries(Object.keys(subjects).map((k) => [k, []]));
    for (let r = 0; r < rounds; r++) for (const [name, s] of Object.entries(subjects)) samples[name]!.push(await s.round(perRound));
    const ns = (name: string) => median(samples[name]!);
    const added = (name: string) => Math.max(1, ns(name) - ns('no plugin'));
    console.log(`header-rewrite through the meshplug host: ${rounds} interleaved rounds of ${perRound} requests, median ns/request`);
    console.log('subject                         ns/req   added over no-plugin   added / floor added');
    for (const name of Object.keys(subjects)) {
      const anchor = name === 'no plugin';
      console.log(`${name.padEnd(29)} ${String(Math.round(ns(name))).padStart(8)}   ${(anchor ? '—' : String(Math.round(added(name)))).padStart(20)}   ${(anchor ? '—' : (added(name) / added('floor')).toFixed(2)).padStart(19)}`);
    }
    const main = 'read 20, remove 20, add 20';
    console.log('');
    console.log(`${main} / floor, whole request: ${(ns(main) / ns('floor')).toFixed(2)}`);
    console.log(`${main} / floor, added cost:    ${(added(main) / added('floor')).toFixed(2)}`);
    // The published figure was measured in Envoy, this in our TypeScript host: only the ratios above are comparable run to run.
    console.log(`published reference: ~200000 ns/request for this workload in Envoy (Alibaba); here, in our host: ${Math.round(added(main))} ns added`);
    console.log(`host calls per request: floor 3, this rule set 60 (20 reads, 20 removes, 20 adds): added cost per host call vs floor ${((added(main) / 60) / (added('floor') / 3)).toFixed(2)}`);
  } finally {
    for (const s of Object.values(subjects)) s.close();
    rmSync(tmp, { recursive: true, force: true });
  }
}
