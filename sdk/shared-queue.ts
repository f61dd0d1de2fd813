// Shared queues: any VM can enqueue; the VM that registered the queue gets onQueueReady on its root.
import { WasmResult } from "./abi/enums";
import { proxy_dequeue_shared_queue, proxy_enqueue_shared_queue, proxy_register_shared_queue, proxy_resolve_shared_queue } from "./abi/imports";
import { clearRet, keepUntilCallbackEnd, ret0, ret1, RET0, RET1 } from "./abi/memory";
import { ARG_A, ARG_B, BytesView, setArg } from "./bytes";
import { setLastResult } from "./result";

/** Registers (or re-opens) a queue of this vm_id and makes this VM its receiver. Returns its id, 0 on failure. */
export function registerQueue<N>(name: N): u32 {
  const n = setArg(ARG_A, name);
  store<u32>(RET0, 0);
  return setLastResult(proxy_register_shared_queue(n.ptr, n.len, RET0)) == 0 ? ret0() : 0;
}

/** Finds a queue registered by vm `vmId` ("" = this vm_id). Returns its id, 0 when absent. */
export function resolveQueue<V, N>(vmId: V, name: N): u32 {
  const v = setArg(ARG_A, vmId);
  const n = setArg(ARG_B, name);
  store<u32>(RET0, 0);
  return setLastResult(proxy_resolve_shared_queue(v.ptr, v.len, n.ptr, n.len, RET0)) == 0 ? ret0() : 0;
}

export function enqueue<D>(queueId: u32, data: D): WasmResult {
  const d = setArg(ARG_A, data);
  return <WasmResult>setLastResult(proxy_enqueue_shared_queue(queueId, d.ptr, d.len));
}

/** The next item; null when the queue is empty (lastResult() Empty) or unknown (NotFound). */
export function dequeue(queueId: u32): BytesView | null {
  clearRet();
  if (setLastResult(proxy_dequeue_shared_queue(queueId, RET0, RET1)) != 0) return null;
  const p = <usize>ret0();
  keepUntilCallbackEnd(p);
  return new BytesView(p, <i32>ret1());
}
