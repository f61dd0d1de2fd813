// gRPC calls and streams. Events come back to the issuing context (like HTTP callouts):
// onGrpcReceiveInitialMetadata / onGrpcReceive / onGrpcReceiveTrailingMetadata / onGrpcClose.
// Read the message with grpcReceiveBuffer (buffers.ts), metadata with grpcInitialMetadata /
// grpcTrailingMetadata (headers.ts). `service` is an Envoy cluster name or a serialized
// envoy.config.core.v3.GrpcService.
import { WasmResult } from "./abi/enums";
import { proxy_grpc_call, proxy_grpc_cancel, proxy_grpc_close, proxy_grpc_send, proxy_grpc_stream } from "./abi/imports";
import { RET0 } from "./abi/memory";
import { ARG_A, ARG_B, ARG_C, setArg } from "./bytes";
import { Context } from "./context";
import { forgetCall, trackCall } from "./dispatcher";
import { Header, serializePairs } from "./pairs";
import { setLastResult } from "./result";

const NO_METADATA: Header[] = [];

class GrpcTarget {
  constructor(public service: ArrayBuffer, public serviceName: ArrayBuffer, public method: ArrayBuffer, public metadata: ArrayBuffer) {}
}

function target(service: string, serviceName: string, method: string, metadata: Header[]): GrpcTarget | null {
  const md = serializePairs(metadata);
  if (md === null) return null;
  return new GrpcTarget(String.UTF8.encode(service), String.UTF8.encode(serviceName), String.UTF8.encode(method), md);
}

/** A unary call; returns its token (> 0) or 0 when refused (lastResult()). The response arrives in onGrpcReceive, a failure in onGrpcClose. */
export function grpcCall<M>(from: Context, service: string, serviceName: string, method: string, message: M, timeoutMs: u32,
  metadata: Header[] = NO_METADATA): u32 {
  const t = target(service, serviceName, method, metadata);
  if (t === null) { setLastResult(WasmResult.BadArgument); return 0; }
  const m = setArg(ARG_A, message);
  store<u32>(RET0, 0);
  const mdLen = metadata.length == 0 ? 0 : t.metadata.byteLength;
  const r = setLastResult(proxy_grpc_call(changetype<usize>(t.service), t.service.byteLength, changetype<usize>(t.serviceName),
    t.serviceName.byteLength, changetype<usize>(t.method), t.method.byteLength, changetype<usize>(t.metadata), mdLen,
    m.ptr, m.len, timeoutMs, RET0));
  if (r != 0) return 0;
  const token = load<u32>(RET0);
  trackCall(token, from.id, true);
  return token;
}

/** Opens a stream; returns its token (> 0) or 0 when refused. Send with grpcSend, end with grpcClose. */
export function grpcStream(from: Context, service: string, serviceName: string, method: string, metadata: Header[] = NO_METADATA): u32 {
  const t = target(service, serviceName, method, metadata);
  if (t === null) { setLastResult(WasmResult.BadArgument); return 0; }
  store<u32>(RET0, 0);
  const mdLen = metadata.length == 0 ? 0 : t.metadata.byteLength;
  const r = setLastResult(proxy_grpc_stream(changetype<usize>(t.service), t.service.byteLength, changetype<usize>(t.serviceName),
    t.serviceName.byteLength, changetype<usize>(t.method), t.method.byteLength, changetype<usize>(t.metadata), mdLen, RET0));
  if (r != 0) return 0;
  const token = load<u32>(RET0);
  trackCall(token, from.id, false);
  return token;
}

/** Sends one message on a stream; endStream half-closes it. */
export function grpcSend<M>(token: u32, message: M, endStream: bool = false): WasmResult {
  const m = setArg(ARG_C, message);
  return <WasmResult>setLastResult(proxy_grpc_send(token, m.ptr, m.len, endStream ? 1 : 0));
}

/** Cancels a call or stream; no further events are delivered for it. */
export function grpcCancel(token: u32): WasmResult {
  forgetCall(token);
  return <WasmResult>setLastResult(proxy_grpc_cancel(token));
}

/** Closes a stream gracefully (the remote side may still send; onGrpcClose follows). */
export function grpcClose(token: u32): WasmResult {
  return <WasmResult>setLastResult(proxy_grpc_close(token));
}
