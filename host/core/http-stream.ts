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
  /** Request body bytes handed to the filters so far (request.size without content-length, total_size). */
  requestBytesReceived = 0;
  /** Response body bytes received from the upstream so far (response.size). */
  responseBytesReceived = 0;
  /** The router's view of the upstream connection, once one was picked. */
  upstreamLocalAddress: string | null = null;
  upstreamAttempts = 0;
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
  /** The downstream asked to close the connection after this response (HTTP/1.0, `connection: close`). */
  readonly closeConnection: boolean;

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
      entries.push([key, v.replace(/^[ \t]+|[ \t]+$/g, '')]); // the codec trims optional whitespace
    }
    this.requestHeaders = new HeaderMap(entries);
    if (!this.requestHeaders.has('x-forwarded-proto')) this.requestHeaders.add('x-forwarded-proto', req.scheme);
    if (!this.requestHeaders.has('x-request-id')) this.requestHeaders.add('x-request-id', requestId);
    this.requestBody = req.body;
    this.requestTrailers = req.trailers && req.trailers.length ? new HeaderMap(req.trailers) : null;
    this.connection = req.connection;
    this.protocol = req.protocol;
    this.closeConnection = !!req.closeConnection;
  }
}
