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

export interface BenchOptions {
  plugins: PluginFileOptions[];
  requests?: number; // per round, default 20000
  rounds?: number; // default 5
  request?: Partial<IncomingRequest>;
}

const browserHeaders: [string, string][] = [
  ['user-agent', 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36'],
  ['accept', 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8'],
  ['accept-language', 'en-US,en;q=0.9'],
  ['accept-encoding', 'gzip, deflate, br'],
];

export async function benchPlugins(o: BenchOptions): Promise<BenchResult> {
  const reply: UpstreamResponse = { status: 200, headers: [['content-type', 'text/plain'], ['content-length', '2']], body: new TextEncoder().encode('ok') };
  const host = new ProxyWasmHost({
    platform: nodePlatform(),
    upstream: () => reply,
    workers: 1,
    logLevel: 'warn',
  });
  let wasmBytes = 0;
  for (const p of o.plugins) {
    const spec = await loadPluginFile(p);
    wasmBytes += spec.code.length;
    host.addPlugin(spec);
  }
  const body = new Uint8Array(0);
  const req = (): IncomingRequest => ({
    method: 'GET', path: '/index.html?q=1', authority: 'example.com', scheme: 'http', protocol: 'HTTP/1.1',
    headers: browserHeaders, body, connection: { id: 1, sourceAddress: '127.0.0.1:40000', destinationAddress: '127.0.0.1:10000' },
    ...o.request,
  });
  const perRound = o.requests ?? 20000;
  const rounds = o.rounds ?? 5;
  for (let i = 0; i < Math.min(2000, perRound); i++) {
    const r = host.handle(req());
    if (r instanceof Promise) await r;
  } // warm-up (JIT, allocator)
  const memoryStartBytes = host.memoryBytes();
  const samples: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < perRound; i++) {
      const pending = host.handle(req());
      const res = pending instanceof Promise ? await pending : pending;
      if (res.status === 0) throw new Error('benchmark request was reset');
    }
    samples.push(Number(process.hrtime.bigint() - t0) / perRound);
  }
  samples.sort((a, b) => a - b);
  const memoryEndBytes = host.memoryBytes();
  host.close();
  return { nsPerRequest: Math.round(samples[Math.floor(samples.length / 2)]!), memoryStartBytes, memoryEndBytes, wasmBytes };
}
