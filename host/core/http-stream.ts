// Per-request data shared by every plugin in the chain: header maps, bodies, trailers and the stream info
// properties are computed from. The chain (http-filter-chain.ts) drives it; host functions read and edit it.
import { HeaderMap, isInvalidHeaderValue } from './header-map.ts';
import { remoteAddressOf } from './remote-address.ts';
import type { ConnectionInfo, IncomingRequest } from './types.ts';

export class HttpStream {
  readonly requestHeaders: HeaderMap;
  /** `source.address`: the socket peer, or the last x-forwarded-for entry (see remote-address.ts). */
  readonly remoteAddress: string;
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
  private filterStateMap: Map<string, Uint8Array> | null = null;
  /** Filter state written by proxy_set_property (key = path joined by NUL); created on first use. */
  get filterState(): Map<string, Uint8Array> { return (this.filterStateMap ??= new Map()); }
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
    if (req.method === 'CONNECT' && req.path === '') entries.splice(1, 1); // Envoy gives CONNECT no :path
    if (req.noAuthority) entries.shift();
    for (const [k, v] of req.headers) {
      const key = k.toLowerCase();
      if (key === 'host') continue; // it became :authority
      entries.push([key, trimOws(v)]); // the codec trims optional whitespace
    }
    this.requestHeaders = HeaderMap.adopt(entries);
    // Values from an HTTP parser cannot hold NUL/CR/LF; anything else is checked once here.
    if (!req.headersChecked) this.requestHeaders.suspect = req.headers.some(([, v]) => isInvalidHeaderValue(v));
    if (!this.requestHeaders.has('x-forwarded-proto')) this.requestHeaders.add('x-forwarded-proto', req.scheme);
    if (!this.requestHeaders.has('x-request-id')) this.requestHeaders.addTrusted('x-request-id', requestId);
    this.requestBody = req.body;
    this.requestTrailers = req.trailers && req.trailers.length ? new HeaderMap(req.trailers) : null;
    this.connection = req.connection;
    // Taken before any filter runs, as Envoy's connection manager does.
    this.remoteAddress = remoteAddressOf(req.connection.sourceAddress, this.requestHeaders.get('x-forwarded-for'));
    this.protocol = req.protocol;
    this.closeConnection = !!req.closeConnection;
  }
}

/** Strips leading and trailing spaces and tabs (HTTP's optional whitespace); no work for clean values. */
function trimOws(v: string): string {
  const n = v.length;
  if (n === 0) return v;
  const first = v.charCodeAt(0);
  const last = v.charCodeAt(n - 1);
  if (first !== 32 && first !== 9 && last !== 32 && last !== 9) return v;
  let a = 0;
  let b = n;
  while (a < b && (v.charCodeAt(a) === 32 || v.charCodeAt(a) === 9)) a++;
  while (b > a && (v.charCodeAt(b - 1) === 32 || v.charCodeAt(b - 1) === 9)) b--;
  return v.slice(a, b);
}
