// Small host services: time, ticks, foreign functions, the last status, proxy_done.
import { WasmResult } from "./abi/enums";
import {
  proxy_call_foreign_function, proxy_done, proxy_get_current_time_nanoseconds, proxy_get_status, proxy_set_tick_period_milliseconds,
} from "./abi/imports";
import { clearRet, freeHostBlock, keepUntilCallbackEnd, ret0, ret1, RET0, RET1, RET2 } from "./abi/memory";
import { ARG_A, ARG_B, BytesView, setArg } from "./bytes";
import { setLastResult } from "./result";

/** Wall-clock time in nanoseconds since the Unix epoch (0 if the host refuses). */
export function nowNanos(): u64 {
  store<u64>(RET2, 0);
  setLastResult(proxy_get_current_time_nanoseconds(RET2));
  return load<u64>(RET2);
}

/** Calls the root's onTick every `ms` milliseconds (0 stops). */
export function setTickPeriod(ms: u32): WasmResult {
  return <WasmResult>setLastResult(proxy_set_tick_period_milliseconds(ms));
}

/** Calls a host extension function by name (Envoy: compress, uncompress, clear_route_cache, ...). Null on failure. */
export function callForeignFunction<N, A>(name: N, args: A): BytesView | null {
  const n = setArg(ARG_A, name);
  const a = setArg(ARG_B, args);
  clearRet();
  if (setLastResult(proxy_call_foreign_function(n.ptr, n.len, a.ptr, a.len, RET0, RET1)) != 0) return null;
  const p = <usize>ret0();
  keepUntilCallbackEnd(p);
  return new BytesView(p, <i32>ret1());
}

export class HostStatus {
  constructor(public code: u32, public message: string) {}
}

/** The root context's last status: set by a gRPC close or a failed HTTP call (code 11 "reset"). */
export function getStatus(): HostStatus {
  clearRet();
  store<u32>(RET2, 0);
  // RET2 holds the code; RET0/RET1 the message block.
  setLastResult(proxy_get_status(RET2, RET0, RET1));
  const p = <usize>ret0();
  const msg = String.UTF8.decodeUnsafe(p, ret1());
  freeHostBlock(p);
  return new HostStatus(load<u32>(RET2), msg);
}

/** A root context that returned false from onDone calls this when it has finished. */
export function done(): WasmResult { return <WasmResult>setLastResult(proxy_done()); }
