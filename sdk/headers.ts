// Header maps of the current stream (and of a callout response / gRPC metadata). Names and values
// are any bytes argument (string, pre-encoded ArrayBuffer, BytesView); reads come back as
// zero-copy BytesView (valid until the callback returns) or as copied strings.
import { MapType } from "./abi/enums";
import {
  proxy_add_header_map_value, proxy_get_header_map_pairs, proxy_get_header_map_size, proxy_get_header_map_value,
  proxy_remove_header_map_value, proxy_replace_header_map_value, proxy_set_header_map_pairs,
} from "./abi/imports";
import { clearRet, freeHostBlock, keepUntilCallbackEnd, ret0, ret1, RET0, RET1 } from "./abi/memory";
import { ARG_A, ARG_B, BytesView, bytesEqualTo, setArg } from "./bytes";
import { Header, PairsView, serializePairs } from "./pairs";
import { setLastResult } from "./result";
import { WasmResult } from "./abi/enums";

/** A reusable slot `HeaderMap.peek` fills: where the value's bytes are, valid until the callback returns. */
export class PeekedValue {
  ptr: usize = 0;
  length: i32 = 0;

  /** Byte-wise equality with another byte value (strings compared as UTF-8 without encoding). */
  equals<T>(other: T): bool { return bytesEqualTo(this.ptr, this.length, other); }

  /** Decodes as UTF-8. Allocates. */
  toString(): string { return String.UTF8.decodeUnsafe(this.ptr, <usize>this.length); }
}

export class HeaderMap {
  constructor(public readonly type: MapType) {}

  /** First value of `name` as a zero-copy view; null if absent (lastResult() says why). */
  view<T>(name: T): BytesView | null {
    const n = setArg(ARG_A, name);
    clearRet();
    if (setLastResult(proxy_get_header_map_value(this.type, n.ptr, n.len, RET0, RET1)) != 0) return null;
    const p = <usize>ret0();
    keepUntilCallbackEnd(p);
    return new BytesView(p, <i32>ret1());
  }

  /**
   * First value of `name` into a caller-owned slot, allocating nothing (`view` allocates a BytesView per
   * call): for hot paths that must not make garbage. False if absent. The bytes stay valid until the
   * callback returns.
   */
  peek<T>(name: T, into: PeekedValue): bool {
    const n = setArg(ARG_A, name);
    clearRet();
    const r = setLastResult(proxy_get_header_map_value(this.type, n.ptr, n.len, RET0, RET1));
    const p = <usize>ret0();
    keepUntilCallbackEnd(p);
    into.ptr = p;
    into.length = r == 0 ? <i32>ret1() : 0;
    return r == 0;
  }

  /** First value of `name` as a string; null if absent. */
  get<T>(name: T): string | null {
    const n = setArg(ARG_A, name);
    clearRet();
    if (setLastResult(proxy_get_header_map_value(this.type, n.ptr, n.len, RET0, RET1)) != 0) return null;
    const p = <usize>ret0();
    const s = String.UTF8.decodeUnsafe(p, ret1());
    freeHostBlock(p);
    return s;
  }

  /** True when the map holds `name`. */
  has<T>(name: T): bool {
    const n = setArg(ARG_A, name);
    clearRet();
    const r = setLastResult(proxy_get_header_map_value(this.type, n.ptr, n.len, RET0, RET1));
    freeHostBlock(<usize>ret0());
    return r == 0;
  }

  /** Appends `name: value` (a second line if the header exists). */
  add<K, V>(name: K, value: V): WasmResult {
    const n = setArg(ARG_A, name);
    const v = setArg(ARG_B, value);
    return <WasmResult>setLastResult(proxy_add_header_map_value(this.type, n.ptr, n.len, v.ptr, v.len));
  }

  /** Sets `name` to `value`, replacing every existing value. */
  replace<K, V>(name: K, value: V): WasmResult {
    const n = setArg(ARG_A, name);
    const v = setArg(ARG_B, value);
    return <WasmResult>setLastResult(proxy_replace_header_map_value(this.type, n.ptr, n.len, v.ptr, v.len));
  }

  /** Removes every value of `name` (Ok when absent). */
  remove<K>(name: K): WasmResult {
    const n = setArg(ARG_A, name);
    return <WasmResult>setLastResult(proxy_remove_header_map_value(this.type, n.ptr, n.len));
  }

  /** Every pair, zero-copy; empty when the map is not available now. */
  pairs(): PairsView {
    clearRet();
    setLastResult(proxy_get_header_map_pairs(this.type, RET0, RET1));
    const p = <usize>ret0();
    keepUntilCallbackEnd(p);
    return new PairsView(p, <i32>ret1());
  }

  /** Every pair copied into strings. */
  all(): Header[] { return this.pairs().toHeaders(); }

  /** Replaces the whole map. BadArgument if the headers exceed the host's limits (1024 pairs, 1 MiB). */
  setAll(headers: Header[]): WasmResult {
    const buf = serializePairs(headers);
    if (buf === null) return <WasmResult>setLastResult(WasmResult.BadArgument);
    return <WasmResult>setLastResult(proxy_set_header_map_pairs(this.type, changetype<usize>(buf), buf.byteLength));
  }

  /** Envoy reports the sum of name and value bytes (not a count); -1 if unavailable. */
  byteSize(): i32 {
    store<u32>(RET0, 0);
    return setLastResult(proxy_get_header_map_size(this.type, RET0)) == 0 ? <i32>ret0() : -1;
  }
}

// @ts-ignore: decorator
@lazy export const requestHeaders = new HeaderMap(MapType.HttpRequestHeaders);
// @ts-ignore: decorator
@lazy export const requestTrailers = new HeaderMap(MapType.HttpRequestTrailers);
// @ts-ignore: decorator
@lazy export const responseHeaders = new HeaderMap(MapType.HttpResponseHeaders);
// @ts-ignore: decorator
@lazy export const responseTrailers = new HeaderMap(MapType.HttpResponseTrailers);
// @ts-ignore: decorator
@lazy export const httpCallResponseHeaders = new HeaderMap(MapType.HttpCallResponseHeaders);
// @ts-ignore: decorator
@lazy export const httpCallResponseTrailers = new HeaderMap(MapType.HttpCallResponseTrailers);
// @ts-ignore: decorator
@lazy export const grpcInitialMetadata = new HeaderMap(MapType.GrpcReceiveInitialMetadata);
// @ts-ignore: decorator
@lazy export const grpcTrailingMetadata = new HeaderMap(MapType.GrpcReceiveTrailingMetadata);
