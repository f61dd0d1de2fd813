// `npm run bench -- telemetry-tags`: ns/request of telemetry-tags with 5 tags and 2 metrics (and with the
// issue's minimal config) through our host, against the floor module (a hand-written WAT making hello's
// host calls) and the host with no plugin, in interleaved rounds of the same run. The "added" column is
// what each module costs over the bare host; the ratios are against the floor's added cost.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildFloor } from './fixtures/build.ts';
import { createBenchSubject, median, type BenchSubject } from '../host/node/bench-plugin.ts';

const repo = fileURLToPath(new URL('..', import.meta.url));

function arg(args: string[], name: string, dflt: number): number {
  const i = args.indexOf(`--${name}`);
  const n = i >= 0 ? Number(args[i + 1]) : dflt;
  if (!Number.isInteger(n) || n <= 0) throw new Error(`bad --${name}: expected a positive integer`);
  return n;
}

export const minimalConfig = {
  tags: [{ name: 'api_version', from: { header: 'x-api-version' }, default: 'unknown', values: ['v1', 'v2'] }],
  metrics: [{ name: 'requests_total', type: 'counter', tags: ['api_version'] }],
};

/** 5 tags from 5 kinds of source, a counter over 3 of them and a latency histogram over 2. */
export const fiveTagsConfig = {
  tags: [
    { name: 'api_version', from: { header: 'x-api-version' }, default: 'unknown', values: ['v1', 'v2'] },
    { name: 'tenant', from: { header: 'x-tenant' }, maxValues: 50 },
    { name: 'route_version', from: { pathRegex: '^/api/(v[0-9]+)/' }, default: 'none' },
    { name: 'method', from: 'method', values: ['GET', 'POST', 'PUT', 'DELETE'] },
    { name: 'code_class', from: 'responseCodeClass' },
  ],
  metrics: [
    { name: 'requests_total', type: 'counter', tags: ['api_version', 'method', 'code_class'] },
    { name: 'request_duration_ms', type: 'histogram', tags: ['tenant', 'route_version'] },
  ],
};

const request = {
  path: '/api/v2/users/42?client=mobile',
  headers: [
    ['user-agent', 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36'],
    ['accept', 'application/json'],
    ['x-api-version', 'v1'],
    ['x-tenant', 'acme'],
  ] as [string, string][],
};

export async function run(args: string[]): Promise<void> {
  const perRound = arg(args, 'requests', 5000);
  const rounds = arg(args, 'rounds', 5);
  const wasm = join(repo, 'dist/telemetry-tags.wasm');
  if (!existsSync(wasm)) throw new Error('dist/telemetry-tags.wasm is missing: run `npm run build:plugin -- telemetry-tags` first');
  const tmp = mkdtempSync(join(tmpdir(), 'meshplug-bench-tags-'));
  const subjects: Record<string, BenchSubject> = {};
  try {
    const floor = await buildFloor(join(tmp, 'floor-hello.wasm'));
    subjects['no plugin'] = await createBenchSubject([], request);
    subjects['floor'] = await createBenchSubject([{ file: floor }], request);
    subjects['tags: minimal'] = await createBenchSubject([{ file: wasm, configuration: JSON.stringify(minimalConfig) }], request);
    subjects['tags: 5 tags, 2 metrics'] = await createBenchSubject([{ file: wasm, configuration: JSON.stringify(fiveTagsConfig) }], request);
    const samples: Record<string, number[]> = Object.fromEntries(Object.keys(subjects).map((k) => [k, []]));
    for (let r = 0; r < rounds; r++) for (const [name, s] of Object.entries(subjects)) samples[name]!.push(await s.round(perRound));
    const ns = (name: string) => median(samples[name]!);
    const base = ns('no plugin');
    const added = (name: string) => Math.max(1, ns(name) - base);
    console.log(`telemetry-tags through the meshplug host: ${rounds} interleaved rounds of ${perRound} requests, median ns/request`);
    console.log('subject                        ns/req   added over no-plugin   added / floor added   memory bytes');
    for (const name of Object.keys(subjects)) {
      const anchor = name === 'no plugin';
      console.log(`${name.padEnd(28)} ${String(Math.round(ns(name))).padStart(8)}   ${(anchor ? '—' : String(Math.round(added(name)))).padStart(20)}   ${(anchor ? '—' : (added(name) / added('floor')).toFixed(2)).padStart(19)}   ${subjects[name]!.memoryBytes()}`);
    }
    console.log('');
    console.log(`5 tags, 2 metrics / floor, whole request: ${(ns('tags: 5 tags, 2 metrics') / ns('floor')).toFixed(2)}`);
    console.log(`5 tags, 2 metrics / floor, added cost:    ${(added('tags: 5 tags, 2 metrics') / added('floor')).toFixed(2)}`);
  } finally {
    for (const s of Object.values(subjects)) s.close();
    rmSync(tmp, { recursive: true, force: true });
  }
}
