// Context state the host keeps per VM: one root context per plugin, one stream context per plugin per request.
import type { GrpcStreamCallout } from './grpc-callout.ts';
import type { HttpStream } from './http-stream.ts';
import type { ConnectionInfo, PluginSpec } from './types.ts';
import type { WasmVm } from './vm.ts';

export interface LocalReply {
  status: number;
  details: string;
  body: Uint8Array;
  headers: [string, string][];
  grpcStatus: number;
}

export class RootContext {
  readonly kind = 'root' as const;
  tickPeriodMs = 0;
  cancelTick: (() => void) | null = null;
  /** PluginConfiguration is readable only while the root is being configured. */
  pluginConfigReadable = false;
  /** Set by the callout / gRPC machinery; read by proxy_get_status. */
  status: { code: number; message: Uint8Array } = { code: 0, message: new Uint8Array(0) };
  /** The callout whose response is being delivered (its headers/body/trailers are readable). */
  callResponse: { headers: [string, string][]; body: Uint8Array; trailers: [string, string][] } | null = null;
  /** Data handed to proxy_on_foreign_function while that callback runs. */
  callData: Uint8Array | null = null;
  /** The gRPC message (buffer 5) while proxy_on_grpc_receive runs. */
  grpcMessage: Uint8Array | null = null;
  /** gRPC metadata while proxy_on_grpc_receive_initial_metadata (map 4) or _trailing_metadata (map 5) runs. */
  grpcMetadata: { type: 4 | 5; entries: [string, string][] } | null = null;
  /** Outstanding gRPC calls and streams by token (Envoy keeps them on the root context). */
  readonly grpc = new Map<number, GrpcEntry>();
  /** proxy_on_done answered 0: the plugin will call proxy_done when it has finished. */
  donePending = false;
  deleted = false;
  constructor(readonly id: number, readonly vm: WasmVm, readonly plugin: PluginSpec) {}
}

export type StreamPhase = 'none' | 'request_headers' | 'request_body' | 'request_trailers' | 'response_headers' | 'response_body' | 'response_trailers' | 'log';

export class StreamContext {
  readonly kind = 'stream' as const;
  created = false;
  /** Which callback is running or paused; decides which maps and buffers are reachable. */
  phase: StreamPhase = 'none';
  /** Request headers stay reachable while the filter is paused in (or still inside) request headers. */
  requestHeadersOpen = false;
  responseHeadersOpen = false;
  /** Actions requested during a callback, applied when it returns (Envoy defers them). */
  continueRequest = false;
  continueResponse = false;
  closeRequested = false;
  localReply: LocalReply | null = null;
  /** Set while the chain waits for this context to continue. */
  resume: ((how: ResumeReason) => void) | null = null;
  deleted = false;
  constructor(readonly id: number, readonly vm: WasmVm, readonly root: RootContext, readonly stream: HttpStream) {}
}

/** Where a TCP context is: which callback runs (and so which data buffer is reachable). */
export type TcpPhase = 'none' | 'new_connection' | 'downstream_data' | 'upstream_data' | 'close' | 'done';

/** The per-connection state a network filter's contexts share (tcp-connection.ts drives it). */
export interface TcpStreamState {
  readonly connection: ConnectionInfo;
  /** Bytes read from the client and not yet passed on (Envoy's connection read buffer). */
  readBuffer: Uint8Array;
  /** Bytes from the upstream not yet written to the client. */
  writeBuffer: Uint8Array;
  /** Filter state written by proxy_set_property (key = path joined by NUL). */
  readonly filterState: Map<string, Uint8Array>;
  upstreamAddress: string | null;
  upstreamLocalAddress: string | null;
}

/** A network-filter (TCP) context: one per plugin per connection. */
export class TcpContext {
  readonly kind = 'tcp' as const;
  phase: TcpPhase = 'none';
  /** Actions requested during a callback, applied when it returns (Envoy defers them). */
  continueReading = false;
  closeDownstream = false;
  closeUpstream = false;
  /** Set while the chain is stopped at this filter: proxy_continue_stream(Downstream) runs it (deferred). */
  resume: (() => void) | null = null;
  deleted = false;
  constructor(readonly id: number, readonly vm: WasmVm, readonly root: RootContext, readonly tcp: TcpStreamState) {}
}

export type Context = RootContext | StreamContext | TcpContext;

/** A gRPC call or stream the root context owns. Streams stay known until both sides have closed. */
export interface GrpcEntry {
  callout: GrpcStreamCallout;
  localClosed: boolean;
  remoteClosed: boolean;
}

/** Why a paused stream wakes up: a continue, a local reply, a reset, its VM failed, or the idle timeout. */
export type ResumeReason = 'continue' | 'reply' | 'reset' | 'fail' | 'timeout';
