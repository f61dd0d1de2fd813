// The foundation benchmark: hello through our host against (a) the floor — a hand-written WAT module making
// exactly hello's host calls — and (b) hello written with proxy-wasm-sdk-as. Rounds are interleaved so the
// machine's drift hits every subject alike; the cost of the host's chain without any plugin is measured too
// and subtracted, so the "added" column is what each module itself costs per request.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildBenchFixtures } from './fixtures/build.ts';
import { createBenchSubject, median, type BenchSubject } from '../host/node/bench-plugin.ts';

const repo = fileURLToPath(new URL('..', import.meta.url));

function arg(args: string[], name: string, dflt: number): number {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : dflt;
}

export async function run(args: string[]): Promise<void> {
  const perRound = arg(args, 'requests', 20000);
  const rounds = arg(args, 'rounds', 7);
  const memoryRequests = arg(args, 'memory-requests', 100000);
  const ours = join(repo, 'dist/hello.wasm');
  if (!existsSync(ours)) throw new Error('dist/hello.wasm is missing: run `npm run build:plugin -- hello` first');
  const tmp = mkdtempSync(join(tmpdir(), 'meshplug-bench-'));
  try {
    const fx = await buildBenchFixtures(tmp);
    const files: Record<string, string> = { floor: fx.floor, ours, 'proxy-wasm-sdk-as': fx.sdkAs };
    const subjects: Record<string, BenchSubject> = { 'no plugin': await createBenchSubject([]) };
    for (const [name, file] of Object.entries(files)) subjects[name] = await createBenchSubject([{ file }]);
    const samples: Record<string, number[]> = Object.fromEntries(Object.keys(subjects).map((k) => [k, []]));
    for (let r = 0; r < rounds; r++) for (const [name, s] of Object.entries(subjects)) samples[name]!.push(await s.round(perRound));
    const base = median(samples['no plugin']!);
    const memStart = Object.fromEntries(Object.entries(subjects).map(([k, s]) => [k, s.memoryBytes()]));
    for (const s of Object.values(subjects)) await s.round(memoryRequests);
    const row = (name: string) => {
      const ns = median(samples[name]!);
      return { name, ns, added: Math.max(1, ns - base), size: name === 'no plugin' ? 0 : readFileSync(files[name]!).length, mem0: memStart[name]!, mem1: subjects[name]!.memoryBytes() };
    };
    const rows = Object.keys(subjects).map(row);
    const get = (n: string) => rows.find((r) => r.name === n)!;
    const floor = get('floor'), mine = get('ours'), sdkAs = get('proxy-wasm-sdk-as');
    console.log(`hello through the meshplug host: ${rounds} interleaved rounds of ${perRound} requests, median ns/request`);
    console.log('subject              ns/req  added over no-plugin  .wasm bytes  memory start → after ' + memoryRequests + ' more requests');
    for (const r of rows) {
      console.log(`${r.name.padEnd(20)} ${String(Math.round(r.ns)).padStart(7)}  ${r.name === 'no plugin' ? '                   —' : String(Math.round(r.added)).padStart(20)}  ${String(r.size || '—').padStart(11)}  ${r.mem0} → ${r.mem1}`);
    }
    const ratio = (a: number, b: number) => (a / b).toFixed(2);
    const checks = [
      [`ours / floor, whole request (target ≤ 1.15)`, ratio(mine.ns, floor.ns), mine.ns / floor.ns <= 1.15],
      [`ours / floor, added cost`, ratio(mine.added, floor.added), null],
      [`proxy-wasm-sdk-as / ours, whole request (target ≥ 2)`, ratio(sdkAs.ns, mine.ns), sdkAs.ns / mine.ns >= 2],
      [`proxy-wasm-sdk-as / ours, added cost (target ≥ 2)`, ratio(sdkAs.added, mine.added), sdkAs.added / mine.added >= 2],
      [`ours .wasm / proxy-wasm-sdk-as .wasm (target ≤ 0.5)`, ratio(mine.size, sdkAs.size), mine.size / sdkAs.size <= 0.5],
      [`ours memory flat after ${memoryRequests} requests`, `${mine.mem0} → ${mine.mem1}`, mine.mem1 === mine.mem0],
    ] as const;
    console.log('');
    for (const [what, value, met] of checks) console.log(`${what.padEnd(58)} ${String(value).padStart(14)}  ${met === null ? '' : met ? 'met' : 'NOT met'}`);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
