// A gRPC call or stream as Envoy's async gRPC client runs it (checked against Envoy 1.40 through
// envoy-test/scenarios/grpc.json): the request headers it sends, trailers-only answers (an empty initial
// metadata callback, then the whole header block as trailing metadata), the status text Envoy hands to
// proxy_get_status (`<grpc-message>{<response code details>}`), the router's local replies for a dead
// server and a timeout (UNAVAILABLE), and unary calls that report only the message on success.
import { GrpcStatus } from './grpc-framing.ts';
import type { GrpcTransportFailure, GrpcTransportStream, Platform } from './platform.ts';
import type { HeaderList } from './types.ts';

/** What a callout reports to the plugin (see imports/grpc.ts); nothing after close or cancel. */
export interface GrpcCalloutSink {
  initialMetadata(metadata: HeaderList): void;
  message(message: Uint8Array): void;
  trailingMetadata(metadata: HeaderList): void;
  close(status: number, message: string): void;
}

export interface GrpcTarget {
  /** Base URL of the cluster's server. */
  url: string;
  /** The cluster name: Envoy's :authority for an envoy_grpc service. */
  authority: string;
  service: string;
  method: string;
  metadata: HeaderList;
}

const CONNECT_ERROR = 'upstream connect error or disconnect/reset before headers. reset reason: ';

/** Envoy's close message: the grpc-message with the stream's response code details appended. */
function statusText(message: string, details: string): string {
  return message === '' ? details : `${message}{${details}}`;
}

function headerValue(h: HeaderList, name: string): string | undefined {
  for (const [k, v] of h) if (k === name) return v;
  return undefined;
}

function grpcStatusOf(h: HeaderList): number | null {
  const v = headerValue(h, 'grpc-status');
  if (v === undefined) return null;
  return /^\d{1,9}$/.test(v) ? Number(v) : GrpcStatus.Unknown;
}

function grpcMessageOf(h: HeaderList): string {
  const v = headerValue(h, 'grpc-message') ?? '';
  try {
    return decodeURIComponent(v);
  } catch {
    return v;
  }
}

/** The request headers Envoy's async client (and its router) send for a gRPC call, in Envoy's order. */
export function grpcRequestHeaders(t: GrpcTarget, timeoutMs: number): HeaderList {
  const h: HeaderList = [
    [':method', 'POST'],
    [':path', `/${t.service}/${t.method}`],
    [':authority', t.authority],
    [':scheme', 'http'],
    ['te', 'trailers'],
  ];
  if (timeoutMs > 0) h.push(['grpc-timeout', `${timeoutMs}m`]);
  h.push(['content-type', 'application/grpc']);
  for (const [k, v] of t.metadata) h.push([k.toLowerCase(), v]);
  h.push(['x-envoy-internal', 'true']);
  if (timeoutMs > 0) h.push(['x-envoy-expected-rq-timeout-ms', String(timeoutMs)]);
  return h;
}

/** One stream (proxy_grpc_stream) or the stream under a unary call. */
export class GrpcStreamCallout {
  private transport: GrpcTransportStream | null = null;
  private finished = false;
  private headersSeen = false;
  private cancelTimer: (() => void) | null = null;
  private readonly startedMs: number;

  constructor(private readonly platform: Platform, private readonly sink: GrpcCalloutSink) {
    this.startedMs = Number(platform.monotonicNanos() / 1_000_000n);
  }

  /** Opens the stream. `timeoutMs` > 0 answers like the router's timeout if the call is not done by then. */
  start(target: GrpcTarget, timeoutMs: number): void {
    const open = this.platform.grpcStream;
    if (!open) throw new Error('this platform has no gRPC transport');
    if (timeoutMs > 0) {
      this.cancelTimer = this.platform.setTimeout(() => {
        this.transport?.cancel();
        this.localReply('upstream request timeout', 'response_timeout');
      }, timeoutMs);
    }
    this.transport = open.call(this.platform, { url: target.url, headers: grpcRequestHeaders(target, timeoutMs) }, {
      onHeaders: (h, end) => this.onHeaders(h, end),
      onMessage: (m) => { if (!this.finished) this.sink.message(m); },
      onTrailers: (t) => { if (!this.finished) this.onTrailers(t); },
      onFailure: (f) => this.onFailure(f),
    });
  }

  get done(): boolean { return this.finished; }

  send(message: Uint8Array, endStream: boolean): void {
    if (!this.finished) this.transport?.send(message, endStream);
  }

  /** proxy_grpc_close on a stream: half-close; the server may still answer. */
  closeSend(): void {
    if (!this.finished) this.transport?.end();
  }

  /** proxy_grpc_cancel: reset, and never call back. */
  cancel(): void {
    if (this.finished) return;
    this.finished = true;
    this.cancelTimer?.();
    this.transport?.cancel();
  }

  private onHeaders(h: HeaderList, endStream: boolean): void {
    if (this.finished) return;
    this.headersSeen = true;
    // The router stamps its timing on every answer that came from the upstream.
    const headers: HeaderList = [...h, ['x-envoy-upstream-service-time', String(this.elapsedMs())]];
    this.sink.initialMetadata(endStream ? [] : headers);
    if (this.finished) return; // the plugin cancelled from the callback
    if (headerValue(h, ':status') !== '200') {
      if (endStream && grpcStatusOf(h) !== null) this.onTrailers(headers);
      // Envoy (like Google's client) reports a non-200 answer without grpc-status as CANCELLED.
      else this.streamError(GrpcStatus.Cancelled);
      return;
    }
    if (endStream) this.onTrailers(headers);
  }

  private onTrailers(t: HeaderList): void {
    const status = grpcStatusOf(t) ?? GrpcStatus.Unknown;
    const message = grpcMessageOf(t);
    this.sink.trailingMetadata(t);
    this.finish(status, statusText(message, 'via_upstream'));
  }

  private onFailure(f: GrpcTransportFailure): void {
    if (this.finished) return;
    if (!f.beforeHeaders && this.headersSeen) {
      this.streamError(GrpcStatus.Internal);
      return;
    }
    const reason = f.reason.replace(/ /g, '_');
    const details = `upstream_reset_before_response_started{${reason}${f.transport ? `|${f.transport.replace(/ /g, '_')}` : ''}}`;
    this.localReply(CONNECT_ERROR + f.reason, details);
  }

  /** The router's local reply to a gRPC request: a trailers-only answer with UNAVAILABLE. */
  private localReply(message: string, details: string): void {
    if (this.finished) return;
    this.sink.initialMetadata([]);
    if (this.finished) return;
    const t: HeaderList = [[':status', '200'], ['content-type', 'application/grpc'], ['grpc-status', String(GrpcStatus.Unavailable)], ['grpc-message', message]];
    this.sink.trailingMetadata(t);
    this.finish(GrpcStatus.Unavailable, statusText(message, details));
  }

  private streamError(status: GrpcStatus): void {
    this.sink.trailingMetadata([]);
    this.transport?.cancel();
    this.finish(status, '');
  }

  private finish(status: number, message: string): void {
    if (this.finished) return;
    this.finished = true;
    this.cancelTimer?.();
    this.sink.close(status, message);
  }

  private elapsedMs(): number {
    return Math.max(0, Number(this.platform.monotonicNanos() / 1_000_000n) - this.startedMs);
  }
}

/**
 * A unary call: one message out, and on success only the (last) answer message; any failure, or OK
 * without a message (INTERNAL), arrives as a close. Metadata is not delivered for unary calls.
 */
export function unarySink(sink: Pick<GrpcCalloutSink, 'message' | 'close'>): GrpcCalloutSink {
  let answer: Uint8Array | null = null;
  return {
    initialMetadata: () => {},
    trailingMetadata: () => {},
    message: (m) => { answer = m; },
    close: (status, message) => {
      if (status !== GrpcStatus.Ok) sink.close(status, message);
      else if (answer === null) sink.close(GrpcStatus.Internal, '');
      else sink.message(answer);
    },
  };
}
