// Strict UTF-8 (RFC 3629): no overlongs, no surrogates (U+D800..U+DFFF), nothing above U+10FFFF.
// Works on raw bytes so host buffers can be checked without copying.

/**
 * Length (1..4) of the valid UTF-8 sequence starting at `p`, or 0 if the bytes at `p` are not a
 * valid sequence (or it is cut off by `end`). `p < end` is required.
 */
// @ts-ignore: decorator
@inline
export function utf8SeqLen(p: usize, end: usize): i32 {
  const b0 = <u32>load<u8>(p);
  if (b0 < 0x80) return 1;
  if (b0 < 0xc2) return 0; // continuation byte or overlong 2-byte lead
  const avail = end - p;
  if (b0 < 0xe0) {
    if (avail < 2) return 0;
    return isCont(load<u8>(p + 1)) ? 2 : 0;
  }
  if (b0 < 0xf0) {
    if (avail < 3) return 0;
    const b1 = <u32>load<u8>(p + 1);
    // E0 needs A0..BF (no overlong); ED needs 80..9F (no surrogates).
    const lo: u32 = b0 == 0xe0 ? 0xa0 : 0x80;
    const hi: u32 = b0 == 0xed ? 0x9f : 0xbf;
    if (b1 < lo || b1 > hi) return 0;
    return isCont(load<u8>(p + 2)) ? 3 : 0;
  }
  if (b0 < 0xf5) {
    if (avail < 4) return 0;
    const b1 = <u32>load<u8>(p + 1);
    // F0 needs 90..BF (no overlong); F4 needs 80..8F (max U+10FFFF).
    const lo: u32 = b0 == 0xf0 ? 0x90 : 0x80;
    const hi: u32 = b0 == 0xf4 ? 0x8f : 0xbf;
    if (b1 < lo || b1 > hi) return 0;
    return isCont(load<u8>(p + 2)) && isCont(load<u8>(p + 3)) ? 4 : 0;
  }
  return 0;
}

// @ts-ignore: decorator
@inline
function isCont(b: u8): bool {
  return (b & 0xc0) == 0x80;
}

/** Offset of the first invalid byte in `ptr[0..len)`, or -1 when it is all valid UTF-8. */
export function utf8InvalidAt(ptr: usize, len: i32): i32 {
  if (len <= 0) return -1;
  const end = ptr + <usize>len;
  let p = ptr;
  while (p < end) {
    // ASCII fast path: 8 bytes at a time while none has the high bit.
    while (p + 8 <= end && (load<u64>(p) & 0x8080808080808080) == 0) p += 8;
    if (p >= end) break;
    if (load<u8>(p) < 0x80) {
      p++;
      continue;
    }
    const n = utf8SeqLen(p, end);
    if (n == 0) return <i32>(p - ptr);
    p += <usize>n;
  }
  return -1;
}

/** True when `ptr[0..len)` is valid UTF-8. */
export function isValidUtf8Ptr(ptr: usize, len: i32): bool {
  return utf8InvalidAt(ptr, len) < 0;
}

/** True when the bytes are valid UTF-8. */
export function isValidUtf8(bytes: Uint8Array): bool {
  return utf8InvalidAt(bytes.dataStart, bytes.length) < 0;
}

/**
 * Code point of the valid sequence of length `n` at `p` (as returned by utf8SeqLen).
 */
// @ts-ignore: decorator
@inline
export function utf8Decode(p: usize, n: i32): u32 {
  const b0 = <u32>load<u8>(p);
  if (n == 1) return b0;
  if (n == 2) return ((b0 & 0x1f) << 6) | (<u32>load<u8>(p + 1) & 0x3f);
  if (n == 3)
    return ((b0 & 0x0f) << 12) | ((<u32>load<u8>(p + 1) & 0x3f) << 6) | (<u32>load<u8>(p + 2) & 0x3f);
  return (
    ((b0 & 0x07) << 18) |
    ((<u32>load<u8>(p + 1) & 0x3f) << 12) |
    ((<u32>load<u8>(p + 2) & 0x3f) << 6) |
    (<u32>load<u8>(p + 3) & 0x3f)
  );
}

/** Number of UTF-8 bytes needed for code point `cp`. */
// @ts-ignore: decorator
@inline
export function utf8Len(cp: u32): i32 {
  return cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
}
