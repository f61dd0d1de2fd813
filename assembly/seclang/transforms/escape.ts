// escapeSeqDecode: ANSI C escapes \a \b \f \n \r \t \v \\ \? \' \", \xHH (exactly two hex digits),
// octal \O..\OOO (value truncated to a byte); any other `\c` becomes `c`; a trailing `\` stays.
import { Bytes } from '../types';
import { hexVal, isOctal, take } from './util';

function simpleEscape(c: u32): i32 {
  switch (c) {
    case 0x61: return 0x07; // a
    case 0x62: return 0x08; // b
    case 0x66: return 0x0c; // f
    case 0x6e: return 0x0a; // n
    case 0x72: return 0x0d; // r
    case 0x74: return 0x09; // t
    case 0x76: return 0x0b; // v
    case 0x5c: case 0x3f: case 0x27: case 0x22: return i32(c);
  }
  return -1;
}

export function escapeSeqDecode(input: Bytes): Bytes {
  const n = input.length;
  let start = 0;
  while (start < n && input[start] != 0x5c) start++;
  if (start >= n - 1) return input; // no backslash, or only a trailing one (kept)
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
    const s = simpleEscape(c);
    if (s >= 0) {
      out[o++] = u8(s);
      i += 2;
    } else if ((c | 0x20) == 0x78 && i + 3 < n && hexVal(input[i + 2]) >= 0 && hexVal(input[i + 3]) >= 0) {
      out[o++] = u8((hexVal(input[i + 2]) << 4) | hexVal(input[i + 3]));
      i += 4;
    } else if (isOctal(c)) {
      let j = 2;
      let v: u32 = c - 0x30;
      while (j < 4 && i + j < n && isOctal(input[i + j])) {
        v = (v << 3) | (u32(input[i + j]) - 0x30);
        j++;
      }
      out[o++] = u8(v);
      i += j;
    } else {
      out[o++] = u8(c);
      i += 2;
    }
  }
  return take(out, o);
}
