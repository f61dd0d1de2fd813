// lowercase / uppercase: ASCII only, byte for byte (ModSecurity uses tolower() in the C locale; Go's
// strings.ToLower in Coraza would also fold non-ASCII UTF-8, but WAF values are bytes).
// Eight bytes at a time (SWAR): for bytes below 0x80, adding 0x80-lo sets the top bit when the byte is
// >= lo, adding 0x80-(hi+1) when it is > hi; the XOR of both marks the bytes in [lo, hi]. The top bit is
// masked off first so no addition carries into the next byte, and bytes >= 0x80 are excluded after.
import { Bytes } from '../types';

const ONES: u64 = 0x0101010101010101;
const HIGH: u64 = 0x8080808080808080;

/** 0x80 in each byte of w that lies in [lo, hi] (both below 0x80). */
@inline function inRange(w: u64, lo: u64, hi: u64): u64 {
  const h = w & ~HIGH;
  return ((h + (0x80 - lo) * ONES) ^ (h + (0x80 - hi - 1) * ONES)) & ~w & HIGH;
}

function mapCase(input: Bytes, lo: u32, hi: u32): Bytes {
  const n = input.length;
  const p = input.dataStart;
  let i = 0;
  // Find the first byte to change; most values are already in the wanted case.
  while (i + 8 <= n && inRange(load<u64>(p + i), lo, hi) == 0) i += 8;
  while (i < n && !(u32(load<u8>(p + i)) >= lo && u32(load<u8>(p + i)) <= hi)) i++;
  if (i == n) return input;
  const out = input.slice(0);
  const q = out.dataStart;
  i &= ~7;
  for (; i + 8 <= n; i += 8) {
    const w = load<u64>(q + i);
    store<u64>(q + i, w ^ (inRange(w, lo, hi) >> 2)); // 0x80 >> 2 = 0x20, the case bit
  }
  for (; i < n; i++) {
    const c = u32(load<u8>(q + i));
    if (c >= lo && c <= hi) store<u8>(q + i, u8(c ^ 0x20));
  }
  return out;
}

export function lowercase(input: Bytes): Bytes {
  return mapCase(input, 0x41, 0x5a);
}

export function uppercase(input: Bytes): Bytes {
  return mapCase(input, 0x61, 0x7a);
}
