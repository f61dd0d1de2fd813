// Measures a plugin chain in our host: ns per request (median over rounds) and linear memory before/after.
// Requests go through the full filter chain with an in-process upstream, so only host + plugin cost counts.
import { ProxyWasmHost } from '../core/host.ts';
import type { UpstreamResponse } from '../core/platform.ts';
import type { IncomingRequest } from '../core/types.ts';
import { loadPluginFile, type PluginFileOptions } from './load-plugin.ts';
import { nodePlatform } from './platform.ts';

export interface BenchResult {
  nsPerRequest: number;
  memoryStartBytes: number;
  memoryEndBytes: number;
  wasmBytes: number;
}

/** One configured chain that benchmark rounds can be run against (interleaved with other subjects). */
export interface BenchSubject {
  wasmBytes: number;
  memoryBytes(): number;
  /** Sends `n` requests; returns ns per request. */
  round(n: number): Promise<number>;
  close(): void;
}

const browserHeaders: [string, string][] = [
  ['user-agent', 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36'],
  ['accept', 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8'],
  ['accept-language', 'en-US,en;q=0.9'],
  ['accept-encoding', 'gzip, deflate, br'],
];

export async function createBenchSubject(plugins: PluginFileOptions[], request: Partial<IncomingRequest> = {}, reply?: UpstreamResponse): Promise<BenchSubject> {
  const answer: UpstreamResponse = reply ?? { status: 200, headers: [['content-type', 'text/plain'], ['content-length', '2']], body: new TextEncoder().encode('ok') };
  const host = new ProxyWasmHost({ platform: nodePlatform(), upstream: () => answer, workers: 1, logLevel: 'warn' });
  let wasmBytes = 0;
  for (const p of plugins) {
    const spec = await loadPluginFile(p);
    wasmBytes += spec.code.length;
    host.addPlugin(spec);
  }
  const body = new Uint8Array(0);
  const req = (): IncomingRequest => ({
    method: 'GET', path: '/index.html?q=1', authority: 'example.com', scheme: 'http', protocol: 'HTTP/1.1',
    headers: browserHeaders, body, connection: { id: 1, sourceAddress: '127.0.0.1:40000', destinationAddress: '127.0.0.1:10000' },
    headersChecked: true, // constant, clean values: as a parsed request would be
    ...request,
  });
  const subject: BenchSubject = {
    wasmBytes,
    memoryBytes: () => host.memoryBytes(),
    async round(n) {
      const t0 = process.hrtime.bigint();
      for (let i = 0; i < n; i++) {
        const pending = host.handle(req());
        const res = pending instanceof Promise ? await pending : pending;
        if (res.status === 0 || res.status >= 500) throw new Error(`benchmark request failed with ${res.status || 'a reset'} (${res.details})`);
      }
      return Number(process.hrtime.bigint() - t0) / n;
    },
    close: () => host.close(),
  };
  await subject.round(2000); // warm-up: JIT tiers, allocator pools
  return subject;
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

export interface BenchOptions {
  plugins: PluginFileOptions[];
  requests?: number; // per round, default 20000
  rounds?: number; // default 5
  request?: Partial<IncomingRequest>;
}

export async function benchPlugins(o: BenchOptions): Promise<BenchResult> {
  const subject = await createBenchSubject(o.plugins, o.request);
  const memoryStartBytes = subject.memoryBytes();
  const samples: number[] = [];
  for (let r = 0; r < (o.rounds ?? 5); r++) samples.push(await subject.round(o.requests ?? 20000));
  const memoryEndBytes = subject.memoryBytes();
  subject.close();
  return { nsPerRequest: Math.round(median(samples)), memoryStartBytes, memoryEndBytes, wasmBytes: subject.wasmBytes };
}
