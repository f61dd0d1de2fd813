// base64url without padding, as JWS segments are, decoded through a 256-entry table four characters at
// a time: no branch per character (a token's characters are random, so per-character branches
// mispredict), no result object. Accepts exactly what assembly/encoding's strict base64url decoder
// accepts: the URL alphabet only, no `=`, no whitespace, length mod 4 != 1, zero unused bits.

/** Sextet of each byte, 0xff for bytes outside the alphabet. */
const SEXTET = new StaticArray<u8>(256);
for (let i = 0; i < 256; i++) unchecked((SEXTET[i] = 0xff));
for (let i = 0; i < 26; i++) {
  unchecked((SEXTET[0x41 + i] = <u8>i));
  unchecked((SEXTET[0x61 + i] = <u8>(26 + i)));
}
for (let i = 0; i < 10; i++) unchecked((SEXTET[0x30 + i] = <u8>(52 + i)));
unchecked((SEXTET[0x2d] = 62));
unchecked((SEXTET[0x5f] = 63));

/** Decoded size of `len` characters, or -1 when no valid encoding has that length. */
export function b64urlDecodedLength(len: i32): i32 {
  const rem = len & 3;
  if (len < 0 || rem == 1) return -1;
  return (len >> 2) * 3 + (rem == 0 ? 0 : rem - 1);
}

// @ts-ignore: decorator
@inline
function sx(t: usize, src: usize, i: i32): u32 {
  return <u32>load<u8>(t + <usize>load<u8>(src + <usize>i));
}

/** Decodes src[0..len) into dst (b64urlDecodedLength(len) bytes); false on any invalid input. */
export function b64urlDecodeInto(src: usize, len: i32, dst: usize): bool {
  const t = changetype<usize>(SEXTET);
  const full = len >> 2;
  // Invalid characters have the high bit set in the table: OR everything, check once.
  let bad: u32 = 0;
  let w = dst;
  for (let g = 0; g < full; g++) {
    const i = g << 2;
    const a = sx(t, src, i), b = sx(t, src, i + 1), c = sx(t, src, i + 2), d = sx(t, src, i + 3);
    bad |= a | b | c | d;
    const v = (a << 18) | (b << 12) | (c << 6) | d;
    store<u8>(w, <u8>(v >> 16));
    store<u8>(w, <u8>(v >> 8), 1);
    store<u8>(w, <u8>v, 2);
    w += 3;
  }
  const rem = len & 3;
  const i = full << 2;
  if (rem == 2) {
    const a = sx(t, src, i), b = sx(t, src, i + 1);
    bad |= a | b;
    // The last character's low 4 bits do not make a byte: they must be zero (canonical form).
    bad |= <u32>((b & 0xf) != 0) << 7;
    store<u8>(w, <u8>((a << 2) | (b >> 4)));
  } else if (rem == 3) {
    const a = sx(t, src, i), b = sx(t, src, i + 1), c = sx(t, src, i + 2);
    bad |= a | b | c;
    bad |= <u32>((c & 0x3) != 0) << 7;
    const v = (a << 12) | (b << 6) | c;
    store<u8>(w, <u8>(v >> 10));
    store<u8>(w, <u8>(v >> 2), 1);
  } else if (rem == 1) {
    return false;
  }
  return (bad & 0x80) == 0;
}
