// What the host core needs from its platform. Node supplies sockets, clock and randomness
// (host/node/platform.ts); a browser build supplies fetch-based equivalents. The core never opens sockets.
import type { SignatureVerifier } from './foreign-verify-signature.ts';
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

export interface Platform extends GrpcCapablePlatform {
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
  /** Public-key signature checks for Envoy's `verify_signature` foreign function (absent: no such function). */
  signatures?: SignatureVerifier;
}

/** One HTTP/2 gRPC stream to a cluster's server, as the core asks the platform to open it. */
export interface GrpcTransportRequest {
  /** Base URL the cluster maps to (http://host:port; the server speaks HTTP/2). */
  url: string;
  /** Request headers in order, pseudo-headers first (:method, :path, :authority, :scheme). */
  headers: HeaderList;
}

/** What the platform reports about an open gRPC stream; nothing is reported after a cancel. */
export interface GrpcTransportEvents {
  /** Response headers (:status included); endStream = a trailers-only answer. */
  onHeaders(headers: HeaderList, endStream: boolean): void;
  /** One complete length-prefixed message. */
  onMessage(message: Uint8Array): void;
  onTrailers(trailers: HeaderList): void;
  /**
   * The stream failed before the response headers (no connection, a reset) or after them (a reset, a framing
   * error). `reason` is Envoy's reset reason (`remote connection failure`, `connection termination`),
   * `transport` the transport failure detail when there is one (`delayed connect error: Connection refused`).
   */
  onFailure(failure: GrpcTransportFailure): void;
}

export interface GrpcTransportFailure {
  beforeHeaders: boolean;
  reason: string;
  transport?: string;
}

export interface GrpcTransportStream {
  /** Sends one message (framed by the platform); endStream half-closes our side. */
  send(message: Uint8Array, endStream: boolean): void;
  /** Half-closes our side without a message (proxy_grpc_close on a stream). */
  end(): void;
  /** Resets the stream; no further events. */
  cancel(): void;
}

/** Optional platform capability: gRPC over HTTP/2. Without it, gRPC calls fail with InternalFailure. */
export interface GrpcCapablePlatform {
  grpcStream?(req: GrpcTransportRequest, events: GrpcTransportEvents): GrpcTransportStream;
}
