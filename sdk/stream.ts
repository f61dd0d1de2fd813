// Controlling the current stream: resume after a pause, reset it, or answer locally.
import { GrpcStatus, StreamType, WasmResult } from "./abi/enums";
import { proxy_close_stream, proxy_continue_stream, proxy_send_local_response } from "./abi/imports";
import { ARG_A, ARG_B, setArg } from "./bytes";
import { Header, serializePairs } from "./pairs";
import { setLastResult } from "./result";

/** Resumes a paused request (deferred until the callback returns). */
export function continueRequest(): WasmResult { return <WasmResult>setLastResult(proxy_continue_stream(StreamType.Request)); }
/** Resumes a paused response. */
export function continueResponse(): WasmResult { return <WasmResult>setLastResult(proxy_continue_stream(StreamType.Response)); }
/** Resumes reading a paused TCP connection (Downstream) or any stream type. */
export function continueStream(type: StreamType): WasmResult { return <WasmResult>setLastResult(proxy_continue_stream(type)); }
/** Resets an HTTP stream (Request/Response) or closes a TCP connection side (Downstream/Upstream). */
export function closeStream(type: StreamType): WasmResult { return <WasmResult>setLastResult(proxy_close_stream(type)); }

const NO_HEADERS: Header[] = [];

/**
 * Answers the request locally (sent when the callback returns; the callback's status is forced to
 * stop). `details` appears in Envoy's response-code details (spaces become `_`). Call once per stream.
 */
export function sendLocalResponse<B>(status: u32, body: B, headers: Header[] = NO_HEADERS, grpcStatus: GrpcStatus = GrpcStatus.None,
  details: string = ""): WasmResult {
  let hp: usize = 0;
  let hl: usize = 0;
  let pairs: ArrayBuffer | null = null; // kept in a local so it stays alive during the call
  if (headers.length != 0) {
    pairs = serializePairs(headers);
    if (pairs === null) return <WasmResult>setLastResult(WasmResult.BadArgument);
    hp = changetype<usize>(pairs);
    hl = <usize>pairs.byteLength;
  }
  const d = setArg(ARG_A, details);
  const b = setArg(ARG_B, body);
  return <WasmResult>setLastResult(proxy_send_local_response(status, d.ptr, d.len, b.ptr, b.len, hp, hl, grpcStatus));
}
