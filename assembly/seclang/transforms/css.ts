// cssDecode (CSS 2.1 escapes, Coraza v3.8's reading): `\` + 1..6 hex digits is one code point, written
// as UTF-8 (0 becomes U+FFFD, full-width ASCII U+FF01..FF5E folds to ASCII, surrogates and values above
// U+10FFFF become U+FFFD), and one whitespace byte after it is swallowed; `\` + newline is removed;
// `\` + any other byte is that byte; a trailing lone `\` is dropped.
import { Bytes } from '../types';
import { Out, hexVal, isSpace, scanTo } from './util';

export function pushUtf8(o: Out, cp: u32): void {
  if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) cp = 0xfffd;
  if (cp < 0x80) o.push(cp);
  else if (cp < 0x800) {
    o.push(0xc0 | (cp >> 6));
    o.push(0x80 | (cp & 0x3f));
  } else if (cp < 0x10000) {
    o.push(0xe0 | (cp >> 12));
    o.push(0x80 | ((cp >> 6) & 0x3f));
    o.push(0x80 | (cp & 0x3f));
  } else {
    o.push(0xf0 | (cp >> 18));
    o.push(0x80 | ((cp >> 12) & 0x3f));
    o.push(0x80 | ((cp >> 6) & 0x3f));
    o.push(0x80 | (cp & 0x3f));
  }
}

export function cssDecode(input: Bytes): Bytes {
  const n = input.length;
  const start = scanTo(input, 0x5c);
  if (start == n) return input;
  const o = new Out(n);
  for (let k = 0; k < start; k++) o.push(input[k]);
  let i = start;
  while (i < n) {
    const c = input[i];
    if (c != 0x5c) {
      o.push(c);
      i++;
      continue;
    }
    if (i + 1 >= n) break; // lone trailing backslash: continuation to nothing
    i++;
    let j = 0;
    let cp: u32 = 0;
    while (j < 6 && i + j < n && hexVal(input[i + j]) >= 0) {
      cp = (cp << 4) | u32(hexVal(input[i + j]));
      j++;
    }
    if (j > 0) {
      if (cp == 0) cp = 0xfffd;
      if (cp >= 0xff01 && cp <= 0xff5e) cp -= 0xfee0;
      pushUtf8(o, cp);
      if (i + j < n && isSpace(input[i + j])) j++;
      i += j;
    } else if (input[i] == 0x0a) {
      i++;
    } else {
      o.push(input[i]);
      i++;
    }
  }
  return o.bytes();
}
