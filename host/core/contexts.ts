// Context state the host keeps per VM: one root context per plugin, one stream context per plugin per request.
import type { HttpStream } from './http-stream.ts';
import type { PluginSpec } from './types.ts';
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
  /** Data handed to proxy_on_foreign_function / gRPC receive while that callback runs. */
  callData: Uint8Array | null = null;
  grpcMetadata: [string, string][] | null = null;
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

export type Context = RootContext | StreamContext;

/** Why a paused stream wakes up: a continue, a local reply, a reset, its VM failed, or the idle timeout. */
export type ResumeReason = 'continue' | 'reply' | 'reset' | 'fail' | 'timeout';
