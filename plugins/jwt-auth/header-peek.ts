// Reads one request header without allocating: the value stays in the host block the SDK frees when the
// callback returns (HeaderMap.view allocates a BytesView per call; the cached-token path allocates nothing,
// so no garbage collection ever runs for it).
import { MapType } from "../../sdk/abi/enums";
import { proxy_get_header_map_value } from "../../sdk/abi/imports";
import { clearRet, keepUntilCallbackEnd, ret0, ret1, RET0, RET1 } from "../../sdk/abi/memory";

/** Where the last peek's value is: valid until the current callback returns. */
export class Peeked {
  ptr: usize = 0;
  len: i32 = 0;
}

/** Fills `out` with the first value of request header `name` (UTF-8); false when absent. */
export function peekRequestHeader(name: ArrayBuffer, out: Peeked): bool {
  clearRet();
  const r = proxy_get_header_map_value(MapType.HttpRequestHeaders, changetype<usize>(name), <usize>name.byteLength, RET0, RET1);
  const p = <usize>ret0();
  keepUntilCallbackEnd(p);
  out.ptr = p;
  out.len = r == 0 ? <i32>ret1() : 0;
  return r == 0;
}

/** Byte equality of two ranges (unaligned 8-byte steps: a token after "Bearer " is never aligned). */
export function bytesEqual(a: usize, b: usize, n: i32): bool {
  let i: i32 = 0;
  for (; i + 8 <= n; i += 8) if (load<u64>(a + <usize>i) != load<u64>(b + <usize>i)) return false;
  for (; i < n; i++) if (load<u8>(a + <usize>i) != load<u8>(b + <usize>i)) return false;
  return true;
}
