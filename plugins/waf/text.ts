// Small byte/text helpers of the engine: decimal numbers as bytes, ModSecurity-style integer parsing,
// and log-safe rendering of arbitrary bytes.
import { Bytes } from "../../assembly/seclang/types";

// Small numbers (counts, anomaly scores, flags, sizes) come up in every request: built once, shared.
// Values are never written in place (transformations return new arrays), so sharing is safe.
const SMALL: i32 = 1024;
const smallDecimals = new StaticArray<Bytes | null>(SMALL);

/** n as decimal ASCII bytes. */
export function decimal(n: i64): Bytes {
  if (n >= 0 && n < <i64>SMALL) {
    const hit = unchecked(smallDecimals[<i32>n]);
    if (hit !== null) return hit;
    const b = digits(n);
    unchecked(smallDecimals[<i32>n] = b);
    return b;
  }
  return digits(n);
}

/** The digits written straight into bytes (no intermediate string). */
function digits(n: i64): Bytes {
  const neg = n < 0;
  let u: u64 = neg ? <u64>(-n) : <u64>n;
  let len = neg ? 1 : 0;
  let x = u;
  do { len++; x /= 10; } while (x != 0);
  const out = new Uint8Array(len);
  let i = len;
  do { unchecked(out[--i] = <u8>(48 + <i32>(u % 10))); u /= 10; } while (u != 0);
  if (neg) unchecked(out[0] = 45);
  return out;
}

/** Leading optional sign and digits ("12abc" is 12, "" is 0); saturates instead of overflowing. */
export function parseIntBytes(b: Bytes): i64 {
  let i = 0;
  const n = b.length;
  while (i < n && (b[i] == 32 || b[i] == 9)) i++;
  let neg = false;
  if (i < n && (b[i] == 43 || b[i] == 45)) { neg = b[i] == 45; i++; }
  let v: i64 = 0;
  while (i < n && b[i] >= 48 && b[i] <= 57) {
    if (v < 100000000000000000) v = v * 10 + <i64>(b[i] - 48);
    i++;
  }
  return neg ? -v : v;
}

/**
 * Bytes as log text: printable ASCII kept, `"` and `\` escaped, anything else as `\xHH`, at most `max`
 * input bytes (longer values end with `...`). Log lines must be valid UTF-8 and one line.
 */
export function printable(b: Bytes, max: i32): string {
  const n = b.length < max ? b.length : max;
  // Worst case 4 output bytes per input byte; written once, decoded once (no string concatenation loop).
  const out = new Uint8Array(n * 4 + 3);
  let o = 0;
  for (let i = 0; i < n; i++) {
    const c = <i32>unchecked(b[i]);
    if (c == 34 || c == 92) { unchecked(out[o++] = 92); unchecked(out[o++] = <u8>c); }
    else if (c >= 32 && c < 127) unchecked(out[o++] = <u8>c);
    else {
      unchecked(out[o++] = 92); unchecked(out[o++] = 120);
      unchecked(out[o++] = <u8>HEX.charCodeAt(c >> 4)); unchecked(out[o++] = <u8>HEX.charCodeAt(c & 15));
    }
  }
  if (b.length > max) { unchecked(out[o++] = 46); unchecked(out[o++] = 46); unchecked(out[o++] = 46); }
  return String.UTF8.decodeUnsafe(out.dataStart, <usize>o);
}

const HEX = "0123456789abcdef";

/** Bytes decoded as UTF-8 (invalid sequences become U+FFFD); works on any view, not only whole buffers. */
export function textOf(b: Bytes): string {
  return String.UTF8.decodeUnsafe(b.dataStart, <usize>b.length);
}

/** Each byte as one character, ASCII lower-cased, in one allocation (TX names, content types: compared as text). */
export function latinLower(b: Bytes): string {
  const n = b.length;
  const out = changetype<string>(__new(<usize>n << 1, idof<string>()));
  const o = changetype<usize>(out);
  for (let i = 0; i < n; i++) {
    let c = <u32>unchecked(b[i]);
    if (c - 65 < 26) c += 32;
    store<u16>(o + (<usize>i << 1), <u16>c);
  }
  return out;
}
