// Every callback the host may call, exported from the plugin's entry file with
//   export * from "../../sdk/exports";
// Each one finds the context by id, calls the plugin, then frees the host blocks lent to the
// plugin during the call (BytesView data).
import { GrpcStatus, PeerType } from "./enums";
import { collectNow, collectSometimes } from "./gc";
import { releaseHostBlocks } from "./memory";
import { contexts, createRoot, createStream, forgetCall, forgetContext, ownerOf } from "../dispatcher";
import { Context, HttpContext, RootContext, TcpContext } from "../context";
import { newLogEpoch } from "../log";
// Parsed here so that `--use abort=sdk/abort/abort` finds it in every plugin.
import "../abort";

export { malloc } from "./memory";

/** ABI marker: the host reads the name, never calls it. */
export function proxy_abi_version_0_2_1(): void {}

@inline function http(id: u32): HttpContext | null {
  const c = contexts.get(id);
  return c !== null && c instanceof HttpContext ? changetype<HttpContext>(c) : null;
}

@inline function tcp(id: u32): TcpContext | null {
  const c = contexts.get(id);
  return c !== null && c instanceof TcpContext ? changetype<TcpContext>(c) : null;
}

@inline function root(id: u32): RootContext | null {
  const c = contexts.get(id);
  return c !== null && c instanceof RootContext ? changetype<RootContext>(c) : null;
}

// ---- lifecycle ---------------------------------------------------------------------------------

export function proxy_on_context_create(id: u32, parentId: u32): void {
  newLogEpoch();
  if (parentId == 0) createRoot(id);
  else createStream(id, parentId);
  releaseHostBlocks();
}

export function proxy_on_vm_start(id: u32, vmConfigurationSize: u32): u32 {
  newLogEpoch();
  const r = root(id);
  const ok = r !== null && r.onVmStart(<i32>vmConfigurationSize);
  releaseHostBlocks();
  collectNow();
  return ok ? 1 : 0;
}

export function proxy_on_configure(id: u32, pluginConfigurationSize: u32): u32 {
  newLogEpoch();
  const r = root(id);
  const ok = r !== null && r.onConfigure(<i32>pluginConfigurationSize);
  releaseHostBlocks();
  collectNow();
  return ok ? 1 : 0;
}

export function proxy_validate_configuration(id: u32, pluginConfigurationSize: u32): u32 {
  newLogEpoch();
  const r = root(id);
  const ok = r !== null && r.validateConfiguration(<i32>pluginConfigurationSize);
  releaseHostBlocks();
  collectNow();
  return ok ? 1 : 0;
}

export function proxy_on_tick(id: u32): void {
  newLogEpoch();
  const r = root(id);
  if (r !== null) r.onTick();
  releaseHostBlocks();
  collectSometimes();
}

export function proxy_on_queue_ready(id: u32, queueId: u32): void {
  newLogEpoch();
  const r = root(id);
  if (r !== null) r.onQueueReady(queueId);
  releaseHostBlocks();
  collectSometimes();
}

export function proxy_on_foreign_function(id: u32, functionId: u32, dataSize: u32): void {
  newLogEpoch();
  const r = root(id);
  if (r !== null) r.onForeignFunction(functionId, <i32>dataSize);
  releaseHostBlocks();
}

export function proxy_on_log(id: u32): void {
  newLogEpoch();
  const c = contexts.get(id);
  if (c !== null) c.onLog();
  releaseHostBlocks();
}

export function proxy_on_done(id: u32): u32 {
  newLogEpoch();
  const c = contexts.get(id);
  const done = c === null || c.onDone();
  releaseHostBlocks();
  return done ? 1 : 0;
}

export function proxy_on_delete(id: u32): void {
  newLogEpoch();
  const c = contexts.get(id);
  if (c !== null) {
    c.onDelete();
    forgetContext(id);
  }
  releaseHostBlocks();
  collectSometimes();
}

// ---- HTTP streams --------------------------------------------------------------------------------

export function proxy_on_request_headers(id: u32, numHeaders: u32, endOfStream: u32): u32 {
  newLogEpoch();
  const c = http(id);
  const s = c === null ? 0 : <u32>c.onRequestHeaders(<i32>numHeaders, endOfStream != 0);
  releaseHostBlocks();
  return s;
}

export function proxy_on_request_body(id: u32, bodySize: u32, endOfStream: u32): u32 {
  newLogEpoch();
  const c = http(id);
  const s = c === null ? 0 : <u32>c.onRequestBody(<i32>bodySize, endOfStream != 0);
  releaseHostBlocks();
  collectSometimes(); // a long streamed body makes garbage across many callbacks
  return s;
}

export function proxy_on_request_trailers(id: u32, numTrailers: u32): u32 {
  newLogEpoch();
  const c = http(id);
  const s = c === null ? 0 : <u32>c.onRequestTrailers(<i32>numTrailers);
  releaseHostBlocks();
  return s;
}

export function proxy_on_request_metadata(id: u32, numElements: u32): u32 {
  newLogEpoch();
  const c = http(id);
  if (c !== null) c.onRequestMetadata(<i32>numElements);
  releaseHostBlocks();
  return 0;
}

export function proxy_on_response_headers(id: u32, numHeaders: u32, endOfStream: u32): u32 {
  newLogEpoch();
  const c = http(id);
  const s = c === null ? 0 : <u32>c.onResponseHeaders(<i32>numHeaders, endOfStream != 0);
  releaseHostBlocks();
  return s;
}

export function proxy_on_response_body(id: u32, bodySize: u32, endOfStream: u32): u32 {
  newLogEpoch();
  const c = http(id);
  const s = c === null ? 0 : <u32>c.onResponseBody(<i32>bodySize, endOfStream != 0);
  releaseHostBlocks();
  collectSometimes(); // a long streamed body makes garbage across many callbacks
  return s;
}

export function proxy_on_response_trailers(id: u32, numTrailers: u32): u32 {
  newLogEpoch();
  const c = http(id);
  const s = c === null ? 0 : <u32>c.onResponseTrailers(<i32>numTrailers);
  releaseHostBlocks();
  return s;
}

export function proxy_on_response_metadata(id: u32, numElements: u32): u32 {
  newLogEpoch();
  const c = http(id);
  if (c !== null) c.onResponseMetadata(<i32>numElements);
  releaseHostBlocks();
  return 0;
}

// ---- TCP connections -----------------------------------------------------------------------------

export function proxy_on_new_connection(id: u32): u32 {
  newLogEpoch();
  const c = tcp(id);
  const s = c === null ? 0 : <u32>c.onNewConnection();
  releaseHostBlocks();
  return s;
}

export function proxy_on_downstream_data(id: u32, size: u32, endOfStream: u32): u32 {
  newLogEpoch();
  const c = tcp(id);
  const s = c === null ? 0 : <u32>c.onDownstreamData(<i32>size, endOfStream != 0);
  releaseHostBlocks();
  collectSometimes(); // a long streamed body makes garbage across many callbacks
  return s;
}

export function proxy_on_upstream_data(id: u32, size: u32, endOfStream: u32): u32 {
  newLogEpoch();
  const c = tcp(id);
  const s = c === null ? 0 : <u32>c.onUpstreamData(<i32>size, endOfStream != 0);
  releaseHostBlocks();
  collectSometimes(); // a long streamed body makes garbage across many callbacks
  return s;
}

export function proxy_on_downstream_connection_close(id: u32, peer: u32): void {
  newLogEpoch();
  const c = tcp(id);
  if (c !== null) c.onDownstreamConnectionClose(<PeerType>peer);
  releaseHostBlocks();
}

export function proxy_on_upstream_connection_close(id: u32, peer: u32): void {
  newLogEpoch();
  const c = tcp(id);
  if (c !== null) c.onUpstreamConnectionClose(<PeerType>peer);
  releaseHostBlocks();
}

// ---- callouts (delivered on the root; forwarded to the issuing context) --------------------------

export function proxy_on_http_call_response(rootId: u32, callId: u32, numHeaders: u32, bodySize: u32, numTrailers: u32): void {
  newLogEpoch();
  const c: Context | null = ownerOf(rootId, callId, true);
  if (c !== null) c.onHttpCallResponse(callId, <i32>numHeaders, <i32>bodySize, <i32>numTrailers);
  releaseHostBlocks();
  collectSometimes();
}

export function proxy_on_grpc_receive_initial_metadata(rootId: u32, token: u32, numElements: u32): void {
  newLogEpoch();
  const c = ownerOf(rootId, token, false);
  if (c !== null) c.onGrpcReceiveInitialMetadata(token, <i32>numElements);
  releaseHostBlocks();
}

export function proxy_on_grpc_receive(rootId: u32, token: u32, messageSize: u32): void {
  newLogEpoch();
  const c = ownerOf(rootId, token, false);
  if (c !== null) c.onGrpcReceive(token, <i32>messageSize);
  releaseHostBlocks();
}

export function proxy_on_grpc_receive_trailing_metadata(rootId: u32, token: u32, numElements: u32): void {
  newLogEpoch();
  const c = ownerOf(rootId, token, false);
  if (c !== null) c.onGrpcReceiveTrailingMetadata(token, <i32>numElements);
  releaseHostBlocks();
}

export function proxy_on_grpc_close(rootId: u32, token: u32, status: u32): void {
  newLogEpoch();
  const c = ownerOf(rootId, token, true);
  if (c !== null) c.onGrpcClose(token, <GrpcStatus>status);
  else forgetCall(token);
  releaseHostBlocks();
}
