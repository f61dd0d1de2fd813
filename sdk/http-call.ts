// HTTP callouts. The host delivers the response to the root context; the SDK forwards it to the
// context that made the call (ctx.onHttpCallResponse) with the host's effective context switched
// to that stream, so continueRequest()/sendLocalResponse() there act on the right request. If the
// stream ended meanwhile, the response is dropped.
// Inside onHttpCallResponse read the answer with httpCallResponseHeaders / httpCallResponseBody /
// httpCallResponseTrailers (headers.ts, buffers.ts).
import { WasmResult } from "./abi/enums";
import { proxy_http_call } from "./abi/imports";
import { RET0 } from "./abi/memory";
import { ARG_A, ARG_B, setArg } from "./bytes";
import { Context } from "./context";
import { trackCall } from "./dispatcher";
import { Header, serializePairs } from "./pairs";
import { setLastResult } from "./result";

const NO_TRAILERS: Header[] = [];

/**
 * Calls `cluster` (an Envoy cluster name) with headers that must include :method, :path and
 * :authority. Returns the call id (> 0), or 0 when the host refused (lastResult(): BadArgument for an
 * unknown cluster or missing pseudo-headers). timeoutMs 0 = no timeout in Envoy.
 */
export function httpCall<B>(from: Context, cluster: string, headers: Header[], body: B, timeoutMs: u32,
  trailers: Header[] = NO_TRAILERS): u32 {
  const h = serializePairs(headers);
  const t = serializePairs(trailers);
  if (h === null || t === null) { setLastResult(WasmResult.BadArgument); return 0; }
  const c = setArg(ARG_A, cluster);
  const b = setArg(ARG_B, body);
  store<u32>(RET0, 0);
  const r = setLastResult(proxy_http_call(c.ptr, c.len, changetype<usize>(h), h.byteLength, b.ptr, b.len,
    trailers.length == 0 ? 0 : changetype<usize>(t), trailers.length == 0 ? 0 : t.byteLength, timeoutMs, RET0));
  if (r != 0) return 0;
  const id = load<u32>(RET0);
  trackCall(id, from.id, true);
  return id;
}
