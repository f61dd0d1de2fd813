// Properties (Envoy attributes): get/set by path, with typed readers for Envoy's encodings
// (integers and timestamps as 8-byte little-endian, bools as 1 byte, maps/lists as pairs).
// A path is an array of segments (["request", "headers", "x-id"]), a dotted string
// ("request.path": only for segments without dots), or a pre-encoded ArrayBuffer (propertyPath()).
import { WasmResult } from "./abi/enums";
import { proxy_get_property, proxy_set_property } from "./abi/imports";
import { clearRet, freeHostBlock, keepUntilCallbackEnd, ret0, ret1, RET0, RET1 } from "./abi/memory";
import { ARG_B, BytesView, setArg } from "./bytes";
import { PairsView } from "./pairs";
import { setLastResult } from "./result";

/** Encodes segments joined by 0x00, as the host expects. Encode constant paths once. */
export function propertyPath(segments: string[]): ArrayBuffer {
  let size = 0;
  for (let i = 0; i < segments.length; i++) size += String.UTF8.byteLength(segments[i]) + (i > 0 ? 1 : 0);
  const buf = new ArrayBuffer(size);
  let p = changetype<usize>(buf);
  for (let i = 0; i < segments.length; i++) {
    if (i > 0) store<u8>(p++, 0);
    const s = segments[i];
    p += String.UTF8.encodeUnsafe(changetype<usize>(s), s.length, p);
  }
  return buf;
}

function encodePath<T>(path: T): ArrayBuffer {
  if (isString<T>()) return propertyPath(changetype<string>(path).split("."));
  else if (path instanceof ArrayBuffer) return changetype<ArrayBuffer>(path);
  else if (isArray<T>()) return propertyPath(changetype<string[]>(path));
  else ERROR("property path must be a string, string[] or ArrayBuffer");
  return changetype<ArrayBuffer>(0);
}

/** Raw bytes of a property, zero-copy; null when absent or not readable (lastResult() says why). */
export function getProperty<T>(path: T): BytesView | null {
  const p = encodePath(path);
  clearRet();
  if (setLastResult(proxy_get_property(changetype<usize>(p), p.byteLength, RET0, RET1)) != 0) return null;
  const ptr = <usize>ret0();
  keepUntilCallbackEnd(ptr);
  return new BytesView(ptr, <i32>ret1());
}

/** A string property (e.g. request.path); null when absent. */
export function getPropertyString<T>(path: T): string | null {
  const p = encodePath(path);
  clearRet();
  if (setLastResult(proxy_get_property(changetype<usize>(p), p.byteLength, RET0, RET1)) != 0) return null;
  const ptr = <usize>ret0();
  const s = String.UTF8.decodeUnsafe(ptr, ret1());
  freeHostBlock(ptr);
  return s;
}

/** Result of a typed numeric read: `ok` false when absent or of another size. */
export class PropertyNumber {
  constructor(public ok: bool, public value: i64) {}
}

function read8<T>(path: T): PropertyNumber {
  const v = getProperty(path);
  if (v === null) return new PropertyNumber(false, 0);
  if (v.length != 8) { setLastResult(WasmResult.SerializationFailure); return new PropertyNumber(false, 0); }
  return new PropertyNumber(true, load<i64>(v.ptr));
}

/** int properties (request.size, response.code, source.port ...). */
export function getPropertyInt<T>(path: T): PropertyNumber { return read8(path); }
/** uint properties (connection.id): read the value as u64 via `<u64>value`. */
export function getPropertyUint<T>(path: T): PropertyNumber { return read8(path); }
/** timestamp properties (request.time): nanoseconds since the epoch. */
export function getPropertyTimestampNanos<T>(path: T): PropertyNumber { return read8(path); }
/** duration properties (request.duration): nanoseconds. */
export function getPropertyDurationNanos<T>(path: T): PropertyNumber { return read8(path); }

/** double properties: NaN when absent. */
export function getPropertyFloat<T>(path: T): f64 {
  const n = read8(path);
  return n.ok ? reinterpret<f64>(n.value) : NaN;
}

/** bool properties (connection.mtls): -1 absent, 0 false, 1 true. */
export function getPropertyBool<T>(path: T): i32 {
  const v = getProperty(path);
  if (v === null) return -1;
  if (v.length != 1) { setLastResult(WasmResult.SerializationFailure); return -1; }
  return v.at(0) != 0 ? 1 : 0;
}

/** map properties (request.headers): pairs; null when absent. */
export function getPropertyMap<T>(path: T): PairsView | null {
  const v = getProperty(path);
  return v === null ? null : new PairsView(v.ptr, v.length);
}

/** list properties: elements are the pair keys; null when absent. */
export function getPropertyList<T>(path: T): string[] | null {
  const m = getPropertyMap(path);
  if (m === null) return null;
  const out = new Array<string>(m.count);
  for (let i = 0; i < m.count; i++) out[i] = m.nameAt(i).toString();
  return out;
}

/** Stores bytes under filter state `wasm.<path>` for this stream. NotFound in a root context. */
export function setProperty<T, V>(path: T, value: V): WasmResult {
  const p = encodePath(path);
  const v = setArg(ARG_B, value);
  return <WasmResult>setLastResult(proxy_set_property(changetype<usize>(p), p.byteLength, v.ptr, v.len));
}
