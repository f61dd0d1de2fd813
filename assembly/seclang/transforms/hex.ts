// hexDecode, hexEncode (lower-case), sqlHexDecode.
import { Bytes } from '../types';
import { hexVal, take } from './util';

/** Decodes an even-length all-hex value; anything else is left unchanged (Coraza reports an error then). */
export function hexDecode(input: Bytes): Bytes {
  const n = input.length;
  if ((n & 1) != 0) return input;
  const out = new Uint8Array(n >> 1);
  for (let i = 0; i < n; i += 2) {
    const h = hexVal(input[i]);
    const l = hexVal(input[i + 1]);
    if (h < 0 || l < 0) return input;
    out[i >> 1] = u8((h << 4) | l);
  }
  return out;
}

const HEX = '0123456789abcdef';

export function hexEncode(input: Bytes): Bytes {
  const n = input.length;
  if (n == 0) return input;
  const out = new Uint8Array(n * 2);
  for (let i = 0; i < n; i++) {
    const c = u32(input[i]);
    out[2 * i] = u8(HEX.charCodeAt(c >> 4));
    out[2 * i + 1] = u8(HEX.charCodeAt(c & 15));
  }
  return out;
}

/**
 * sqlHexDecode (ModSecurity): each `0x` / `0X` followed by hex digit pairs becomes those bytes
 * (`0x414243` -> `ABC`); an odd last digit is kept as text; `0x` without two hex digits is left alone.
 */
export function sqlHexDecode(input: Bytes): Bytes {
  const n = input.length;
  const out = new Uint8Array(n);
  let o = 0;
  let changed = false;
  let i = 0;
  while (i < n) {
    if (input[i] == 0x30 && i + 3 < n && (input[i + 1] | 0x20) == 0x78 && hexVal(input[i + 2]) >= 0 && hexVal(input[i + 3]) >= 0) {
      i += 2;
      while (i + 1 < n && hexVal(input[i]) >= 0 && hexVal(input[i + 1]) >= 0) {
        out[o++] = u8((hexVal(input[i]) << 4) | hexVal(input[i + 1]));
        i += 2;
      }
      changed = true;
    } else {
      out[o++] = input[i++];
    }
  }
  return changed ? take(out, o) : input;
}
