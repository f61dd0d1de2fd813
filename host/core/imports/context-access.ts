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

export type BufferAccess = { get(): Uint8Array; set?(b: Uint8Array): void } | null;

export function bufferFor(ctx: Context | null, type: number): BufferAccess {
  if (!ctx) return null;
  const root = rootOf(ctx);
  switch (type) {
    case BufferType.VmConfiguration:
      return { get: () => root.vm.spec.vmConfiguration };
    case BufferType.PluginConfiguration:
      return root.pluginConfigReadable ? { get: () => root.plugin.configuration } : null;
    case BufferType.HttpCallResponseBody:
      return root.callResponse ? { get: () => root.callResponse!.body } : null;
    case BufferType.GrpcReceiveBuffer:
      return root.grpcMessage ? { get: () => root.grpcMessage! } : null;
    case BufferType.CallData:
      return root.callData ? { get: () => root.callData! } : null;
    case BufferType.NetworkDownstreamData:
      if (ctx.kind === 'tcp' && ctx.phase === 'downstream_data') {
        const t = ctx.tcp;
        return { get: () => t.readBuffer, set: (b) => { t.readBuffer = b; } };
      }
      return null;
    case BufferType.NetworkUpstreamData:
      if (ctx.kind === 'tcp' && ctx.phase === 'upstream_data') {
        const t = ctx.tcp;
        return { get: () => t.writeBuffer, set: (b) => { t.writeBuffer = b; } };
      }
      return null;
    case BufferType.HttpRequestBody:
      if (ctx.kind === 'stream' && ctx.phase === 'request_body') {
        const s = ctx.stream;
        return { get: () => s.requestBody, set: (b) => { s.requestBody = b; } };
      }
      return null;
    case BufferType.HttpResponseBody:
      if (ctx.kind === 'stream' && ctx.phase === 'response_body') {
        const s = ctx.stream;
        return { get: () => s.responseBody, set: (b) => { s.responseBody = b; } };
      }
      return null;
    default:
      return null;
  }
}
