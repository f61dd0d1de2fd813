// What the host core needs from its platform. Node supplies sockets, clock and randomness
// (host/node/platform.ts); a browser build supplies fetch-based equivalents. The core never opens sockets.
import type { HeaderList } from './types.ts';

export interface HttpCallRequest {
  /** Base URL the cluster maps to, e.g. http://127.0.0.1:8081 */
  url: string;
  headers: HeaderList; // includes :method, :path, :authority
  body: Uint8Array;
  trailers: HeaderList;
  timeoutMs: number; // 0 = no timeout (as in Envoy)
}

export interface HttpCallResponse {
  headers: HeaderList; // includes :status
  body: Uint8Array;
  trailers: HeaderList;
}

export interface UpstreamRequest {
  method: string;
  path: string;
  authority: string;
  scheme: string;
  headers: HeaderList; // no pseudo-headers
  body: Uint8Array;
}

export interface UpstreamResponse {
  status: number;
  headers: HeaderList;
  body: Uint8Array;
  trailers?: HeaderList;
  /** The upstream host (`ip:port`) and our side of that connection, when a connection was made. */
  remoteAddress?: string;
  localAddress?: string;
}

export interface Platform {
  /** Wall clock, ns since the epoch. */
  nowNanos(): bigint;
  /** Monotonic clock, ns. */
  monotonicNanos(): bigint;
  randomBytes(target: Uint8Array): void;
  /** Performs an HTTP exchange with a cluster's server. Network failures resolve as Envoy would answer them. */
  httpCall(req: HttpCallRequest): Promise<HttpCallResponse>;
  /** Runs `fn` every `ms` milliseconds; returns a cancel function. Timers must not keep a CLI process alive. */
  setInterval(fn: () => void, ms: number): () => void;
  /** Runs `fn` once after `ms` milliseconds; returns a cancel function. */
  setTimeout(fn: () => void, ms: number): () => void;
  /** Schedules `fn` soon, after the current call stack (queue notifications, deferred continues). */
  defer(fn: () => void): void;
  /** Compression for Envoy's `compress`/`uncompress` foreign functions (zlib). */
  zlib?: { deflate(b: Uint8Array): Uint8Array; inflate(b: Uint8Array): Uint8Array };
}
