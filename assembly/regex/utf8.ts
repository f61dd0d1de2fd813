// UTF-8 decoding for the matcher. Invalid bytes decode to -1 with width 1, so they match no class
// (as in RE2, whose UTF-8 automata only accept well-formed sequences) and never trap.

/** Width in bytes of the last decode() (0 at the end of input). */
export let decodedWidth: i32 = 0;

@inline
function cont(b: u32): bool {
  return (b & 0xc0) == 0x80;
}

/** The code point at ptr[pos], or -1 (invalid byte or end of input). Sets decodedWidth. */
export function decode(ptr: usize, len: i32, pos: i32, latin1: bool): i32 {
  if (pos >= len) {
    decodedWidth = 0;
    return -1;
  }
  const b0 = u32(load<u8>(ptr + pos));
  decodedWidth = 1;
  if (b0 < 0x80 || latin1) return i32(b0);
  const left = len - pos;
  if (b0 < 0xc2) return -1;
  if (b0 < 0xe0) {
    if (left < 2) return -1;
    const b1 = u32(load<u8>(ptr + pos + 1));
    if (!cont(b1)) return -1;
    decodedWidth = 2;
    return i32(((b0 & 0x1f) << 6) | (b1 & 0x3f));
  }
  if (b0 < 0xf0) {
    if (left < 3) return -1;
    const b1 = u32(load<u8>(ptr + pos + 1));
    const b2 = u32(load<u8>(ptr + pos + 2));
    if (!cont(b1) || !cont(b2)) return -1;
    const c = ((b0 & 0x0f) << 12) | ((b1 & 0x3f) << 6) | (b2 & 0x3f);
    if (c < 0x800) return -1; // overlong
    decodedWidth = 3;
    return i32(c);
  }
  if (b0 < 0xf5) {
    if (left < 4) return -1;
    const b1 = u32(load<u8>(ptr + pos + 1));
    const b2 = u32(load<u8>(ptr + pos + 2));
    const b3 = u32(load<u8>(ptr + pos + 3));
    if (!cont(b1) || !cont(b2) || !cont(b3)) return -1;
    const c = ((b0 & 0x07) << 18) | ((b1 & 0x3f) << 12) | ((b2 & 0x3f) << 6) | (b3 & 0x3f);
    if (c < 0x10000 || c > 0x10ffff) return -1;
    decodedWidth = 4;
    return i32(c);
  }
  return -1;
}
