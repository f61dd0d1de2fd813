// Process-wide key/value store shared by every VM with the same vm_id, with compare-and-swap.
import { WasmResult } from "./abi/enums";
import { proxy_get_shared_data, proxy_set_shared_data } from "./abi/imports";
import { clearRet, keepUntilCallbackEnd, ret0, ret1, RET0, RET1, RET2 } from "./abi/memory";
import { ARG_A, ARG_B, BytesView, setArg } from "./bytes";
import { setLastResult } from "./result";

export class SharedValue {
  constructor(public value: BytesView, public cas: u32) {}
}

/** The value and its CAS token; null when the key is absent (lastResult() NotFound). */
export function getSharedData<K>(key: K): SharedValue | null {
  const k = setArg(ARG_A, key);
  clearRet();
  if (setLastResult(proxy_get_shared_data(k.ptr, k.len, RET0, RET1, RET2)) != 0) return null;
  const p = <usize>ret0();
  keepUntilCallbackEnd(p);
  return new SharedValue(new BytesView(p, <i32>ret1()), load<u32>(RET2));
}

/** Writes the value. cas 0 = unconditional; otherwise CasMismatch when someone wrote since you read. */
export function setSharedData<K, V>(key: K, value: V, cas: u32 = 0): WasmResult {
  const k = setArg(ARG_A, key);
  const v = setArg(ARG_B, value);
  return <WasmResult>setLastResult(proxy_set_shared_data(k.ptr, k.len, v.ptr, v.len, cas));
}
