// Per-request data shared by every plugin in the chain: header maps, bodies, trailers and the stream info
// properties are computed from. The chain (http-filter-chain.ts) drives it; host functions read and edit it.
import { HeaderMap } from './header-map.ts';
import type { ConnectionInfo, IncomingRequest } from './types.ts';

export class HttpStream {
  readonly requestHeaders: HeaderMap;
  requestBody: Uint8Array;
  requestTrailers: HeaderMap | null;
  responseHeaders: HeaderMap | null = null;
  responseBody: Uint8Array = new Uint8Array(0);
  responseTrailers: HeaderMap | null = null;
  /** Bytes of the request body received so far (request.size when there is no content-length). */
  requestBytesReceived: number;
  responseBytesSent = 0;
  responseCode: number | null = null;
  responseCodeDetails = '';
  responseFlags = 0;
  upstreamAddress: string | null = null;
  upstreamStartNanos: bigint | null = null;
  upstreamEndNanos: bigint | null = null;
  endNanos: bigint | null = null;
  /** Filter state written by proxy_set_property (key = path joined by '.'). */
  readonly filterState = new Map<string, Uint8Array>();
  readonly connection: ConnectionInfo;
  readonly protocol: string;
  readonly requestHeaderBytes: number;

  constructor(req: IncomingRequest, readonly startNanos: bigint, readonly startMonotonic: bigint, requestId: string) {
    // Envoy puts pseudo-headers first, then headers in arrival order, and adds x-forwarded-proto and
    // x-request-id before any filter runs (envoy-checked.md).
    const entries: [string, string][] = [
      [':authority', req.authority],
      [':path', req.path],
      [':method', req.method],
      [':scheme', req.scheme],
    ];
    for (const [k, v] of req.headers) {
      const key = k.toLowerCase();
      if (key === 'host') continue; // it became :authority
      entries.push([key, v]);
    }
    this.requestHeaders = new HeaderMap(entries);
    if (!this.requestHeaders.has('x-forwarded-proto')) this.requestHeaders.add('x-forwarded-proto', req.scheme);
    if (!this.requestHeaders.has('x-request-id')) this.requestHeaders.add('x-request-id', requestId);
    this.requestHeaderBytes = this.requestHeaders.byteSize();
    this.requestBody = req.body;
    this.requestBytesReceived = req.body.length;
    this.requestTrailers = req.trailers && req.trailers.length ? new HeaderMap(req.trailers) : null;
    this.connection = req.connection;
    this.protocol = req.protocol;
  }
}
