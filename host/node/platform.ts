// Node implementation of the host core's Platform: clocks, randomness, timers, HTTP callouts and gRPC streams
// to clusters.
import { randomFillSync } from 'node:crypto';
import { deflateSync, inflateSync } from 'node:zlib';
import type { Platform } from '../core/platform.ts';
import { openGrpcStream } from './grpc-transport.ts';
import { httpExchange } from './http-exchange.ts';
import { nodeSignatureVerifier } from './signature-crypto.ts';

export function nodePlatform(): Platform {
  const epochOffset = BigInt(Date.now()) * 1_000_000n - process.hrtime.bigint();
  return {
    nowNanos: () => process.hrtime.bigint() + epochOffset,
    monotonicNanos: () => process.hrtime.bigint(),
    randomBytes: (target) => { randomFillSync(target); },
    httpCall: async (req) => {
      const headers = req.headers.filter(([k]) => !k.startsWith(':'));
      const get = (name: string) => req.headers.find(([k]) => k === name)?.[1] ?? '';
      const r = await httpExchange({
        baseUrl: req.url,
        method: get(':method'),
        path: get(':path'),
        authority: get(':authority'),
        headers,
        body: req.body,
        timeoutMs: req.timeoutMs,
      });
      return { headers: [[':status', String(r.status)], ...r.headers], body: r.body, trailers: r.trailers ?? [] };
    },
    grpcStream: (req, events) => openGrpcStream(req, events),
    setInterval: (fn, ms) => {
      const t = setInterval(fn, ms);
      t.unref();
      return () => clearInterval(t);
    },
    setTimeout: (fn, ms) => {
      const t = setTimeout(fn, ms);
      t.unref();
      return () => clearTimeout(t);
    },
    defer: (fn) => queueMicrotask(fn),
    zlib: { deflate: (b) => deflateSync(b), inflate: (b) => inflateSync(b) },
    signatures: nodeSignatureVerifier,
  };
}
