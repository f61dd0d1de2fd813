// Which header maps and buffers the effective context may reach right now (fact sheet §7.3: Envoy drops its
// pointers to the request headers once a filter continues past them; they come back for on_log).
import { BufferType, MapType } from '../abi.ts';
import type { Context, RootContext, StreamContext, TcpContext } from '../contexts.ts';
import { HeaderMap } from '../header-map.ts';

export function rootOf(ctx: Context): RootContext {
  return ctx.kind === 'root' ? ctx : ctx.root;
}

export function streamOf(ctx: Context | null): StreamContext | null {
  return ctx && ctx.kind === 'stream' ? ctx : null;
}

export function tcpOf(ctx: Context | null): TcpContext | null {
  return ctx && ctx.kind === 'tcp' ? ctx : null;
}

export type MapAccess = { map: HeaderMap; writable: boolean } | null;

export function headerMapFor(ctx: Context | null, type: number): MapAccess {
  if (!ctx) return null;
  if (ctx.kind === 'root') {
    if (type === MapType.HttpCallResponseHeaders && ctx.callResponse) return { map: new HeaderMap(ctx.callResponse.headers), writable: false };
    if (type === MapType.HttpCallResponseTrailers && ctx.callResponse) return { map: new HeaderMap(ctx.callResponse.trailers), writable: false };
    if (ctx.grpcMetadata && ctx.grpcMetadata.type === type) return { map: new HeaderMap(ctx.grpcMetadata.entries), writable: false };
    return null;
  }
  if (ctx.kind === 'tcp') {
    // A network filter has no HTTP maps; callout answers are the root's.
    return type >= MapType.GrpcReceiveInitialMetadata ? headerMapFor(ctx.root, type) : null;
  }
  const s = ctx.stream;
  const inLog = ctx.phase === 'log';
  switch (type) {
    case MapType.HttpRequestHeaders:
      return ctx.requestHeadersOpen || inLog ? { map: s.requestHeaders, writable: !inLog } : null;
    case MapType.HttpRequestTrailers:
      return (ctx.phase === 'request_trailers' || inLog) && s.requestTrailers ? { map: s.requestTrailers, writable: !inLog } : null;
    case MapType.HttpResponseHeaders:
      return (ctx.responseHeadersOpen || inLog) && s.responseHeaders ? { map: s.responseHeaders, writable: !inLog } : null;
    case MapType.HttpResponseTrailers:
      return (ctx.phase === 'response_trailers' || inLog) && s.responseTrailers ? { map: s.responseTrailers, writable: !inLog } : null;
    case MapType.HttpCallResponseHeaders:
    case MapType.HttpCallResponseTrailers:
    case MapType.GrpcReceiveInitialMetadata:
    case MapType.GrpcReceiveTrailingMetadata:
      return headerMapFor(ctx.root, type); // callout answers live on the root, whichever context is effective
    default:
      return null;
  }
}

/**
 * The bytes of buffer `type` the effective context may reach right now, or null (NotFound). Returns the data
 * itself, not an accessor: it runs on every body read, so it allocates nothing.
 */
export function bufferData(ctx: Context | null, type: number): Uint8Array | null {
  if (!ctx) return null;
  switch (type) {
    case BufferType.VmConfiguration:
      return rootOf(ctx).vm.spec.vmConfiguration;
    case BufferType.PluginConfiguration: {
      const root = rootOf(ctx);
      return root.pluginConfigReadable ? root.plugin.configuration : null;
    }
    case BufferType.HttpCallResponseBody: {
      const root = rootOf(ctx);
      return root.callResponse ? root.callResponse.body : null;
    }
    case BufferType.GrpcReceiveBuffer:
      return rootOf(ctx).grpcMessage;
    case BufferType.CallData:
      return rootOf(ctx).callData;
    case BufferType.NetworkDownstreamData:
      return ctx.kind === 'tcp' && ctx.phase === 'downstream_data' ? ctx.tcp.readBuffer : null;
    case BufferType.NetworkUpstreamData:
      return ctx.kind === 'tcp' && ctx.phase === 'upstream_data' ? ctx.tcp.writeBuffer : null;
    case BufferType.HttpRequestBody:
      return ctx.kind === 'stream' && ctx.phase === 'request_body' ? ctx.stream.requestBody : null;
    case BufferType.HttpResponseBody:
      return ctx.kind === 'stream' && ctx.phase === 'response_body' ? ctx.stream.responseBody : null;
    default:
      return null;
  }
}

/** Body and network data buffers can be edited (where bufferData reaches them); the others are read-only. */
export function isWritableBuffer(type: number): boolean {
  return type === BufferType.HttpRequestBody || type === BufferType.HttpResponseBody
    || type === BufferType.NetworkDownstreamData || type === BufferType.NetworkUpstreamData;
}

/** Replaces a buffer bufferData found reachable and isWritableBuffer allows. */
export function replaceBuffer(ctx: Context, type: number, data: Uint8Array): void {
  if (ctx.kind === 'tcp') {
    if (type === BufferType.NetworkDownstreamData) ctx.tcp.readBuffer = data;
    else if (type === BufferType.NetworkUpstreamData) ctx.tcp.writeBuffer = data;
  } else if (ctx.kind === 'stream') {
    if (type === BufferType.HttpRequestBody) ctx.stream.requestBody = data;
    else if (type === BufferType.HttpResponseBody) ctx.stream.responseBody = data;
  }
}
