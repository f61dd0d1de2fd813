// Hex (base16): lower-case on output, either case on input, even length required.
import { BytesResult, hexValue } from "./bytes";

export function hexEncodePtr(ptr: usize, len: i32): string {
  if (len < 0) len = 0;
  const out = new Uint8Array(len << 1);
  const o = out.dataStart;
  for (let i = 0; i < len; i++) {
    const b = <u32>load<u8>(ptr + <usize>i);
    const hi = b >> 4;
    const lo = b & 15;
    store<u8>(o + (<usize>i << 1), <u8>(hi < 10 ? 48 + hi : 87 + hi));
    store<u8>(o + (<usize>i << 1) + 1, <u8>(lo < 10 ? 48 + lo : 87 + lo));
  }
  return String.UTF8.decodeUnsafe(o, <usize>out.length);
}

export function hexEncode(bytes: Uint8Array): string {
  return hexEncodePtr(bytes.dataStart, bytes.length);
}

export function hexDecodePtr(ptr: usize, len: i32): BytesResult {
  if (len < 0) len = 0;
  if (len & 1) return BytesResult.failure("odd number of hex digits", len);
  const out = new Uint8Array(len >> 1);
  const o = out.dataStart;
  for (let i = 0; i < len; i += 2) {
    const hi = hexValue(load<u8>(ptr + <usize>i));
    if (hi < 0) return BytesResult.failure("invalid hex digit", i);
    const lo = hexValue(load<u8>(ptr + <usize>i + 1));
    if (lo < 0) return BytesResult.failure("invalid hex digit", i + 1);
    store<u8>(o + <usize>(i >> 1), <u8>((hi << 4) | lo));
  }
  return BytesResult.success(out);
}

export function hexDecode(text: string): BytesResult {
  const buf = String.UTF8.encode(text);
  return hexDecodePtr(changetype<usize>(buf), buf.byteLength);
}
