// Helpers shared by the operators.
import { Bytes, utf8 } from '../types';

/**
 * Operator parameters arrive as text (the rule file / JSON config decoded to a string); they are matched
 * against byte values as their UTF-8 bytes, which is what ModSecurity does with the raw rule file.
 */
export function paramBytes(s: string): Bytes {
  return utf8(s);
}

/** Does `hay` contain `needle` at byte offset `at`? */
export function bytesAt(hay: Bytes, at: i32, needle: Bytes): bool {
  const n = needle.length;
  if (at < 0 || at + n > hay.length) return false;
  return memory.compare(hay.dataStart + at, needle.dataStart, n) == 0;
}

export function bytesEqual(a: Bytes, b: Bytes): bool {
  return a.length == b.length && memory.compare(a.dataStart, b.dataStart, a.length) == 0;
}

/** First offset >= from where needle occurs in hay, -1 if none (an empty needle is found at `from`). */
export function indexOf(hay: Bytes, needle: Bytes, from: i32 = 0): i32 {
  const n = needle.length;
  const h = hay.length;
  if (n == 0) return from <= h ? from : -1;
  if (n > h) return -1;
  // First and last byte before comparing the middle: separators such as `/` or ` ` recur in the CRS
  // lists @within searches, so the first byte alone lets many candidates through.
  const hp = hay.dataStart;
  const np = needle.dataStart;
  const first = load<u8>(np);
  const tail = <usize>(n - 1);
  const lastByte = load<u8>(np + tail);
  const last = h - n;
  for (let i = max(from, 0); i <= last; i++) {
    const at = hp + <usize>i;
    if (load<u8>(at) != first || load<u8>(at + tail) != lastByte) continue;
    if (n <= 2 || memory.compare(at + 1, np + 1, tail - 1) == 0) return i;
  }
  return -1;
}

/**
 * ModSecurity's integers: leading whitespace, an optional sign, then digits up to the first non-digit
 * ("12abc" is 12); no digits is 0. `@eq` uses std::stoi (a value outside 32 bits is an exception, so 0);
 * `@ge @gt @le @lt` use atoll (64 bits, saturating like glibc's strtoll): `wide` selects the latter.
 */
export function toInt(b: Bytes, wide: bool = false): i64 {
  return toIntAt(b.dataStart, b.length, 1, wide);
}

/** toInt over a string (the expanded macro parameter), without converting it to bytes first. */
export function toIntText(s: string, wide: bool = false): i64 {
  return toIntAt(changetype<usize>(s), s.length, 2, wide);
}

/** toInt over `n` units of `width` bytes (1: bytes, 2: UTF-16 code units) at `p`. */
function toIntAt(p: usize, n: i32, width: i32, wide: bool): i64 {
  let i = 0;
  let c: u32 = 0;
  while (i < n) {
    c = width == 1 ? u32(load<u8>(p + i)) : u32(load<u16>(p + (i << 1)));
    if (!(c == 0x20 || (c >= 0x09 && c <= 0x0d))) break;
    i++;
  }
  let neg = false;
  if (i < n && (c == 0x2b || c == 0x2d)) {
    neg = c == 0x2d;
    i++;
  }
  const start = i;
  // Accumulate as a negative number: its range includes i64.MIN_VALUE.
  let v: i64 = 0;
  let overflow = false;
  while (i < n) {
    c = width == 1 ? u32(load<u8>(p + i)) : u32(load<u16>(p + (i << 1)));
    if (c < 0x30 || c > 0x39) break;
    const d = i64(c - 0x30);
    // v * 10 - d would pass i64.MIN_VALUE (-922337203685477580 * 10 - 8 is the last that fits).
    if (v < -922337203685477580 || (v == -922337203685477580 && d > 8)) overflow = true;
    else v = v * 10 - d;
    i++;
  }
  if (i == start) return 0;
  if (wide) {
    if (overflow) return neg ? i64.MIN_VALUE : i64.MAX_VALUE;
    if (!neg) return v == i64.MIN_VALUE ? i64.MAX_VALUE : -v;
    return v;
  }
  if (overflow) return 0;
  if (!neg) v = -v;
  if (v > 0x7fffffff || v < -0x80000000) return 0;
  return v;
}
