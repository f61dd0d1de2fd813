// Resolves proxy_get_property paths the way Envoy does (fact sheet §7): generic attributes first, then the
// Wasm extras, then filter state written by proxy_set_property. Stream-derived values need a stream, and
// anything read from the request headers needs them to be reachable (in on_request_headers, while paused
// there, or in on_log).
import { WasmResult } from './abi.ts';
import type { Context, StreamContext, TcpContext } from './contexts.ts';
import type { ConnectionInfo } from './types.ts';
import { bool, int64, protoNode, protoStruct, str, stringMap, strShared, uint64 } from './property-values.ts';
import type { HostServices } from './services.ts';

export type PropertyResult = { result: WasmResult.Ok; value: Uint8Array } | { result: WasmResult };

const ok = (value: Uint8Array): PropertyResult => ({ result: WasmResult.Ok, value });
const notFound: PropertyResult = { result: WasmResult.NotFound };
const noSegments: string[] = [];
const wrappers = new Set(['request', 'response', 'connection', 'upstream', 'source', 'destination', 'xds']);

/** Route-level facts the host reports under xds.* (set to what the Envoy bootstrap would name them). */
export interface RouteInfo {
  clusterName?: string;
  routeName?: string;
  virtualHostName?: string;
  filterChainName?: string;
  listenerDirection?: number;
}

function splitAddress(addr: string): { ip: string; port: number } {
  const i = addr.lastIndexOf(':');
  return { ip: addr.slice(0, i), port: Number(addr.slice(i + 1)) };
}

const strOrMissing = (v: string | undefined): PropertyResult => (v === undefined ? notFound : ok(str(v)));

function requestAttr(ctx: StreamContext, name: string, rest: string[]): PropertyResult {
  const s = ctx.stream;
  const headersReachable = ctx.requestHeadersOpen || ctx.phase === 'log';
  const h = s.requestHeaders;
  // Header-derived attributes: missing while the filter cannot reach the request headers.
  switch (name) {
    case 'path': return headersReachable ? strOrMissing(h.get(':path')) : notFound;
    case 'url_path': {
      const p = headersReachable ? h.get(':path') : undefined;
      return p === undefined ? notFound : ok(str(p.split('?')[0]!));
    }
    case 'host': return headersReachable ? strOrMissing(h.get(':authority')) : notFound;
    case 'scheme': return headersReachable ? strOrMissing(h.get(':scheme')) : notFound;
    case 'method': return headersReachable ? strOrMissing(h.get(':method')) : notFound;
    case 'referer': return headersReachable ? strOrMissing(h.get('referer')) : notFound;
    case 'useragent': return headersReachable ? strOrMissing(h.get('user-agent')) : notFound;
    case 'id': return headersReachable ? strOrMissing(h.get('x-request-id')) : notFound;
    case 'query': {
      const p = headersReachable ? h.get(':path') : undefined;
      if (p === undefined) return notFound;
      const q = p.indexOf('?');
      return ok(str(q < 0 ? '' : p.slice(q + 1).split('#')[0]!));
    }
    case 'headers': {
      if (rest.length > 0) return headersReachable ? strOrMissing(h.getJoined(rest[0]!)) : notFound;
      if (!headersReachable) return ok(stringMap([])); // Envoy answers an empty map once it let go of them
      const seen = new Map<string, string>();
      for (const [k, v] of h.entries) seen.set(k, seen.has(k) ? `${seen.get(k)},${v}` : v);
      return ok(stringMap([...seen.entries()]));
    }
    case 'time': return ok(int64(s.startNanos));
    case 'protocol': return ok(strShared(s.protocol));
    case 'duration': return s.endNanos === null ? notFound : ok(int64(s.endNanos - s.startNanos));
    case 'size': {
      const cl = headersReachable ? h.get('content-length') : undefined;
      if (cl !== undefined) return /^\d+$/.test(cl) ? ok(int64(Number(cl))) : notFound;
      return ok(int64(s.requestBytesReceived));
    }
    case 'total_size': return ok(int64(s.requestBytesReceived + (headersReachable ? h.byteSize() : 0)));
    default: return notFound;
  }
}

function responseAttr(ctx: StreamContext, name: string, rest: string[]): PropertyResult {
  const s = ctx.stream;
  const headersReachable = ctx.responseHeadersOpen || ctx.phase === 'log';
  switch (name) {
    case 'code': return s.responseCode === null ? notFound : ok(int64(s.responseCode));
    case 'code_details': return s.responseCodeDetails ? ok(str(s.responseCodeDetails)) : notFound;
    case 'flags': return ok(int64(s.responseFlags));
    case 'grpc_status': {
      if (s.responseCode === null) return notFound;
      const explicit = s.responseTrailers?.get('grpc-status') ?? s.responseHeaders?.get('grpc-status');
      return ok(int64(explicit !== undefined && /^\d+$/.test(explicit) ? Number(explicit) : httpToGrpcStatus(s.responseCode)));
    }
    case 'headers': {
      const map = headersReachable ? s.responseHeaders : null;
      if (rest.length > 0) {
        const v = map?.getJoined(rest[0]!);
        return v === undefined ? notFound : ok(str(v));
      }
      return ok(stringMap(map ? map.entries : [])); // an empty map before the response (as Envoy)
    }
    case 'trailers': return ok(stringMap(s.responseTrailers ? s.responseTrailers.entries : []));
    case 'size': return ok(int64(s.responseBytesReceived));
    case 'total_size': return ok(int64(s.responseBytesReceived + (headersReachable && s.responseHeaders ? s.responseHeaders.byteSize() : 0)));
    case 'backend_latency':
      // Known once the stream is complete (Envoy reports it from the access-log hook on).
      return ctx.phase === 'log' && s.upstreamStartNanos !== null && s.upstreamEndNanos !== null ? ok(int64(s.upstreamEndNanos - s.upstreamStartNanos)) : notFound;
    default: return notFound;
  }
}

/** Envoy's mapping of an HTTP status to a gRPC status when the response carries none. */
function httpToGrpcStatus(code: number): number {
  switch (code) {
    case 400: return 13;
    case 401: return 16;
    case 403: return 7;
    case 404: return 12;
    case 429: case 502: case 503: case 504: return 14;
    default: return 2;
  }
}

function upstreamAttr(ctx: StreamContext, name: string): PropertyResult {
  const s = ctx.stream;
  if (name === 'request_attempt_count') return ok(uint64(s.upstreamAttempts));
  if (!s.upstreamAddress) return notFound;
  switch (name) {
    case 'address': return ok(str(s.upstreamAddress));
    case 'port': return ok(int64(splitAddress(s.upstreamAddress).port));
    case 'local_address': return s.upstreamLocalAddress ? ok(str(s.upstreamLocalAddress)) : notFound;
    case 'transport_failure_reason': return ok(str(''));
    case 'locality': return ok(new Uint8Array(0)); // an empty envoy.config.core.v3.Locality
    case 'cx_pool_ready_duration':
      return s.upstreamStartNanos !== null ? ok(int64(0)) : notFound;
    default: return notFound;
  }
}

/** A TLS attribute of the connection: missing without TLS. */
function tlsField(c: ConnectionInfo, v: string | undefined): PropertyResult {
  return c.tlsVersion && v !== undefined ? ok(str(v)) : notFound;
}

function connectionAttr(c: ConnectionInfo, name: string): PropertyResult {
  switch (name) {
    case 'id': return ok(uint64(c.id));
    case 'mtls': return ok(bool(!!c.mtls));
    case 'requested_server_name': return ok(str(c.requestedServerName ?? ''));
    case 'tls_version': return tlsField(c, c.tlsVersion);
    case 'uri_san_peer_certificate': return tlsField(c, c.uriSanPeerCertificate);
    case 'dns_san_peer_certificate': return tlsField(c, c.dnsSanPeerCertificate);
    case 'subject_peer_certificate': return tlsField(c, c.subjectPeerCertificate);
    default: return notFound;
  }
}

export function getProperty(ctx: Context, path: readonly string[], services: HostServices, route: RouteInfo): PropertyResult {
  if (path.length === 0) return notFound;
  // A loop, not path.some(): the path is usually a frozen array, which V8 iterates slowly.
  for (let i = 0; i < path.length; i++) if (path[i] === '') return notFound;
  // Indexing, not destructuring: the path may be a frozen array shared by every request (a slow iteration).
  const head = path[0]!;
  const second: string | undefined = path[1];
  const rest = path.length > 2 ? path.slice(2) : noSegments;
  const root = ctx.kind === 'root' ? ctx : ctx.root;
  if (ctx.kind === 'tcp') return tcpProperty(ctx, head, second, path);
  const stream = ctx.kind === 'stream' ? ctx : null;
  // Whole wrappers cannot be listed; without a stream (a root context) they do not exist at all.
  if (second === undefined && wrappers.has(head)) return stream || head === 'xds' ? { result: WasmResult.SerializationFailure } : notFound;
  switch (head) {
    case 'plugin_name': return ok(str(root.plugin.name));
    case 'plugin_root_id': return ok(str(root.plugin.rootId));
    case 'plugin_vm_id': return ok(str(root.vm.spec.vmId));
    case 'connection_id': return stream ? ok(uint64(stream.stream.connection.id)) : notFound;
    case 'xds': return xdsAttr(second!, rest, services, route, stream);
    case 'request': return stream ? requestAttr(stream, second!, rest) : notFound;
    case 'response': return stream ? responseAttr(stream, second!, rest) : notFound;
    case 'connection': return stream ? connectionAttr(stream.stream.connection, second!) : notFound;
    case 'source':
    case 'destination': {
      if (!stream) return notFound;
      const addr = head === 'source' ? stream.stream.remoteAddress : stream.stream.connection.destinationAddress;
      if (second === 'address') return ok(strShared(addr));
      if (second === 'port') return ok(int64(splitAddress(addr).port));
      return notFound;
    }
    case 'upstream': return stream ? upstreamAttr(stream, second!) : notFound;
    case 'metadata': return stream && second === undefined ? ok(new Uint8Array(0)) : notFound; // no dynamic metadata
    case 'upstream_filter_state':
      if (!stream) return notFound;
      if (second === undefined) return stream.stream.upstreamAddress ? { result: WasmResult.SerializationFailure } : notFound;
      return notFound;
    case 'filter_state': {
      if (!stream) return notFound;
      if (second === undefined) return { result: WasmResult.SerializationFailure }; // the whole map is not serializable
      const v = stream.stream.filterState.get(second.startsWith('wasm.') ? second.slice(5) : `\u0001${second}`);
      return v ? ok(v) : notFound;
    }
    default: {
      if (!stream) return notFound;
      const v = stream.stream.filterState.get(path.join('\u0000'));
      return v ? ok(v) : notFound;
    }
  }
}

function xdsAttr(name: string, rest: string[], services: HostServices, route: RouteInfo, stream: StreamContext | null): PropertyResult {
  const node = services.node;
  if (name === 'node') {
    if (rest.length === 0) return ok(protoNode(node.id, node.cluster, node.metadata));
    if (rest[0] === 'id') return ok(str(node.id));
    if (rest[0] === 'cluster') return ok(str(node.cluster));
    if (rest[0] === 'metadata') {
      if (rest.length === 1) return ok(protoStruct(node.metadata));
      const v = node.metadata[rest[1]!];
      return v === undefined ? notFound : ok(str(v));
    }
    return notFound;
  }
  if (!stream) return notFound;
  switch (name) {
    case 'cluster_name': return ok(str(route.clusterName ?? 'upstream'));
    case 'route_name': return ok(str(route.routeName ?? ''));
    case 'virtual_host_name': return ok(str(route.virtualHostName ?? 'all'));
    case 'filter_chain_name': return ok(str(route.filterChainName ?? ''));
    case 'listener_direction': return ok(int64(route.listenerDirection ?? 0));
    case 'cluster_metadata':
    case 'route_metadata':
    case 'virtual_host_metadata':
    case 'listener_metadata':
      return ok(new Uint8Array(0)); // empty envoy.config.core.v3.Metadata
    case 'upstream_host_metadata': return stream.stream.upstreamAddress ? { result: WasmResult.SerializationFailure } : notFound;
    default: return notFound;
  }
}

/** A network filter's view: the connection's attributes; no request or response. */
function tcpProperty(ctx: TcpContext, head: string, second: string | undefined, path: readonly string[]): PropertyResult {
  const t = ctx.tcp;
  if (second === undefined && wrappers.has(head)) return head === 'request' || head === 'response' ? notFound : { result: WasmResult.SerializationFailure };
  switch (head) {
    case 'plugin_name': return ok(str(ctx.root.plugin.name));
    case 'plugin_root_id': return ok(str(ctx.root.plugin.rootId));
    case 'plugin_vm_id': return ok(str(ctx.root.vm.spec.vmId));
    case 'connection_id': return ok(uint64(t.connection.id));
    case 'connection': return connectionAttr(t.connection, second!);
    case 'source':
    case 'destination': {
      const addr = head === 'source' ? t.connection.sourceAddress : t.connection.destinationAddress;
      if (second === 'address') return ok(str(addr));
      if (second === 'port') return ok(int64(splitAddress(addr).port));
      return notFound;
    }
    case 'upstream': {
      if (!t.upstreamAddress) return notFound;
      if (second === 'address') return ok(str(t.upstreamAddress));
      if (second === 'port') return ok(int64(splitAddress(t.upstreamAddress).port));
      if (second === 'local_address' && t.upstreamLocalAddress) return ok(str(t.upstreamLocalAddress));
      return notFound;
    }
    case 'filter_state': {
      if (second === undefined) return { result: WasmResult.SerializationFailure };
      const v = t.filterState.get(second.startsWith('wasm.') ? second.slice(5) : `\u0001${second}`);
      return v ? ok(v) : notFound;
    }
    case 'request':
    case 'response':
    case 'xds':
      return notFound;
    default: {
      const v = t.filterState.get(path.join('\u0000'));
      return v ? ok(v) : notFound;
    }
  }
}
