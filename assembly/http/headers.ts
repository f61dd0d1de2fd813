// Header name/value validation as Envoy and Istio apply it, so a plugin can refuse a bad config at
// configure time instead of failing every request later.
//  - Names: RFC 9110 tokens, lower-case (Envoy lower-cases names; a config that relies on case is
//    a mistake). Pseudo-headers (`:path`) only when allowed.
//  - Values at config time: Istio's validation rejects 0x00–0x08, 0x0A–0x1F and 0x7F (HTAB is
//    fine). Envoy itself refuses NUL, CR and LF outright; other control bytes pass its config
//    checks but fail each request with 503 — hence the stricter config rule.
import { isTokenChar, lowerAscii } from "./token";
import { StringResult } from "../encoding/bytes";

/** Offset of the first byte that makes ptr[0..len) an invalid lower-case header name, or -1. */
export function badHeaderNameAt(ptr: usize, len: i32, allowPseudo: bool = false): i32 {
  if (len <= 0) return 0;
  let i = 0;
  if (allowPseudo && load<u8>(ptr) == 0x3a) {
    if (len == 1) return 1;
    i = 1;
  }
  for (; i < len; i++) {
    const c = <u32>load<u8>(ptr + <usize>i);
    if (!isTokenChar(c) || c - 0x41 < 26) return i;
  }
  return -1;
}

/** Offset of the first byte Istio's config validation rejects in a header value, or -1. */
export function badHeaderValueAt(ptr: usize, len: i32): i32 {
  for (let i = 0; i < len; i++) {
    const c = <u32>load<u8>(ptr + <usize>i);
    if ((c < 0x20 && c != 0x09) || c == 0x7f) return i;
  }
  return -1;
}

/** True when Envoy would accept the value on the wire (no NUL, CR or LF). */
export function isEnvoySafeHeaderValuePtr(ptr: usize, len: i32): bool {
  for (let i = 0; i < len; i++) {
    const c = load<u8>(ptr + <usize>i);
    if (c == 0 || c == 0x0a || c == 0x0d) return false;
  }
  return true;
}

/** "" when `name` is a valid lower-case header name, else the reason. */
export function checkHeaderName(name: string, allowPseudo: bool = false): string {
  const buf = String.UTF8.encode(name);
  const at = badHeaderNameAt(changetype<usize>(buf), buf.byteLength, allowPseudo);
  if (at < 0) return "";
  if (name.length == 0) return "header name is empty";
  const c = <u32>load<u8>(changetype<usize>(buf) + <usize>at);
  if (c - 0x41 < 26) return "header name \"" + name + "\" must be lower-case";
  if (c == 0x3a && at == 0) return "pseudo-header \"" + name + "\" is not allowed here";
  return "header name \"" + name + "\" has an invalid character at " + at.toString();
}

/** Lower-cases then validates a header name (what a config loader usually wants). */
export function canonicalHeaderName(name: string, allowPseudo: bool = false): StringResult {
  const lower = lowerAscii(name);
  const why = checkHeaderName(lower, allowPseudo);
  return why.length == 0 ? StringResult.success(lower) : StringResult.failure(why, 0);
}

/** "" when `value` passes Istio's header-value validation, else the reason. */
export function checkHeaderValue(value: string): string {
  const buf = String.UTF8.encode(value);
  const at = badHeaderValueAt(changetype<usize>(buf), buf.byteLength);
  if (at < 0) return "";
  const c = <u32>load<u8>(changetype<usize>(buf) + <usize>at);
  return "header value has control character 0x" + (c < 16 ? "0" : "") + c.toString(16) + " at byte " + at.toString();
}

export function isEnvoySafeHeaderValue(value: string): bool {
  const buf = String.UTF8.encode(value);
  return isEnvoySafeHeaderValuePtr(changetype<usize>(buf), buf.byteLength);
}
