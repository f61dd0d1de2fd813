// The plugin-facing context classes. Override only the callbacks you need; the defaults let the
// stream continue. A RootContext exists per plugin configuration (several can share a VM); it
// creates one HttpContext per HTTP stream or one TcpContext per connection.
import { DataStatus, GrpcStatus, HeadersStatus, NetworkStatus, PeerType, TrailersStatus } from "./abi/enums";

export class Context {
  /** The host's id for this context. */
  id: u32 = 0;

  /** Response to an HTTP callout issued from this context (see http-call.ts). */
  onHttpCallResponse(callId: u32, numHeaders: i32, bodySize: i32, numTrailers: i32): void {}
  /** gRPC stream/call events for calls issued from this context (see grpc.ts). */
  onGrpcReceiveInitialMetadata(token: u32, numElements: i32): void {}
  onGrpcReceive(token: u32, messageSize: i32): void {}
  onGrpcReceiveTrailingMetadata(token: u32, numElements: i32): void {}
  onGrpcClose(token: u32, status: GrpcStatus): void {}

  /** Access-log hook: HTTP streams call it once the request is complete (before onDone in Envoy). */
  onLog(): void {}
  /** Streams: the return value is ignored. Roots: false = "I will call done() later". */
  onDone(): bool { return true; }
  /** Last call for this context; the SDK forgets it afterwards. */
  onDelete(): void {}
}

export class RootContext extends Context {
  /** The plugin's root id (`root_id` in Envoy, `pluginName` in Istio); "" when not set. */
  rootId: string = "";

  /** Once per root context after creation. Return false to reject the VM configuration. */
  onVmStart(vmConfigurationSize: i32): bool { return true; }
  /** Read the plugin configuration here (sdk/config.ts). Return false to reject it. */
  onConfigure(pluginConfigurationSize: i32): bool { return true; }
  /** Same contract as onConfigure, without side effects (Envoy does not call it today). */
  validateConfiguration(pluginConfigurationSize: i32): bool { return true; }
  /** Every tick period (setTickPeriod), per VM. */
  onTick(): void {}
  /** A shared queue this VM registered has data. */
  onQueueReady(queueId: u32): void {}
  /** Host-initiated foreign function callback; arguments in the CallData buffer. */
  onForeignFunction(functionId: u32, dataSize: i32): void {}

  /** A new HTTP stream; null = this plugin does not handle HTTP (the stream is left alone). */
  createHttpContext(id: u32): HttpContext | null { return null; }
  /** A new TCP connection; null = this plugin does not handle TCP. */
  createTcpContext(id: u32): TcpContext | null { return null; }
}

export class HttpContext extends Context {
  /** The root context that created this stream. */
  root: RootContext = changetype<RootContext>(0);

  onRequestHeaders(numHeaders: i32, endOfStream: bool): HeadersStatus { return HeadersStatus.Continue; }
  onRequestBody(bodySize: i32, endOfStream: bool): DataStatus { return DataStatus.Continue; }
  onRequestTrailers(numTrailers: i32): TrailersStatus { return TrailersStatus.Continue; }
  /** Envoy always continues after metadata; no status to return. */
  onRequestMetadata(numElements: i32): void {}
  onResponseHeaders(numHeaders: i32, endOfStream: bool): HeadersStatus { return HeadersStatus.Continue; }
  onResponseBody(bodySize: i32, endOfStream: bool): DataStatus { return DataStatus.Continue; }
  onResponseTrailers(numTrailers: i32): TrailersStatus { return TrailersStatus.Continue; }
  onResponseMetadata(numElements: i32): void {}
}

export class TcpContext extends Context {
  root: RootContext = changetype<RootContext>(0);

  onNewConnection(): NetworkStatus { return NetworkStatus.Continue; }
  onDownstreamData(dataSize: i32, endOfStream: bool): NetworkStatus { return NetworkStatus.Continue; }
  onUpstreamData(dataSize: i32, endOfStream: bool): NetworkStatus { return NetworkStatus.Continue; }
  onDownstreamConnectionClose(peer: PeerType): void {}
  onUpstreamConnectionClose(peer: PeerType): void {}
}
