// jsDecode: JavaScript escapes. \uHHHH and \u{H..H} (1-6 digits) keep the LOW BYTE of the code point,
// plus 0x20 for full-width ASCII (U+FF01..U+FF5E) so `\uff1c` is `<`; \xHH; octal \OOO (at most one byte:
// three digits only when the first is 0-3); \a \b \f \n \r \t \v; any other `\c` is `c`; a trailing `\`
// stays. (ModSecurity's rules, with Coraza v3.8's \u{...} addition.)
import { Bytes } from '../types';
import { hexVal, isOctal, scanTo, take } from './util';

/** Number of hex digits of a well-formed `\u{...}` whose digits start at `p`, else 0. */
function extendedLen(b: Bytes, p: i32): i32 {
  let j = 0;
  while (j < 6 && p + j < b.length && hexVal(b[p + j]) >= 0) j++;
  if (j == 0 || p + j >= b.length || b[p + j] != 0x7d) return 0;
  return j;
}

export function jsDecode(input: Bytes): Bytes {
  const n = input.length;
  const start = scanTo(input, 0x5c);
  if (start >= n - 1) return input;
  const out = new Uint8Array(n);
  out.set(input.subarray(0, start));
  let o = start;
  let i = start;
  while (i < n) {
    if (input[i] != 0x5c || i + 1 >= n) {
      out[o++] = input[i++];
      continue;
    }
    const c = u32(input[i + 1]);
    const ext = c == 0x75 && i + 2 < n && input[i + 2] == 0x7b ? extendedLen(input, i + 3) : 0;
    if (ext > 0) {
      let cp: u32 = 0;
      for (let k = 0; k < ext; k++) cp = (cp << 4) | u32(hexVal(input[i + 3 + k]));
      let b = cp & 0xff;
      if (cp >= 0xff01 && cp <= 0xff5e) b = (b + 0x20) & 0xff;
      out[o++] = u8(b);
      i += ext + 4;
    } else if (c == 0x75 && i + 5 < n && hexVal(input[i + 2]) >= 0 && hexVal(input[i + 3]) >= 0 &&
        hexVal(input[i + 4]) >= 0 && hexVal(input[i + 5]) >= 0) {
      let b = u32((hexVal(input[i + 4]) << 4) | hexVal(input[i + 5]));
      if (b > 0 && b < 0x5f && (input[i + 2] | 0x20) == 0x66 && (input[i + 3] | 0x20) == 0x66) b += 0x20;
      out[o++] = u8(b);
      i += 6;
    } else if (c == 0x78 && i + 3 < n && hexVal(input[i + 2]) >= 0 && hexVal(input[i + 3]) >= 0) {
      out[o++] = u8((hexVal(input[i + 2]) << 4) | hexVal(input[i + 3]));
      i += 4;
    } else if (isOctal(c)) {
      let j = 1;
      while (j < 3 && i + 1 + j < n && isOctal(input[i + 1 + j])) j++;
      if (j == 3 && c > 0x33) j = 2;
      let v: u32 = 0;
      for (let k = 0; k < j; k++) v = (v << 3) | (u32(input[i + 1 + k]) - 0x30);
      out[o++] = u8(v);
      i += 1 + j;
    } else {
      let r = c;
      if (c == 0x61) r = 0x07;
      else if (c == 0x62) r = 0x08;
      else if (c == 0x66) r = 0x0c;
      else if (c == 0x6e) r = 0x0a;
      else if (c == 0x72) r = 0x0d;
      else if (c == 0x74) r = 0x09;
      else if (c == 0x76) r = 0x0b;
      out[o++] = u8(r);
      i += 2;
    }
  }
  return take(out, o);
}
