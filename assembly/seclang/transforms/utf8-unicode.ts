// utf8toUnicode (Coraza v3.8's output): every non-ASCII code point becomes `%u` + its hex value in lower
// case, at least 4 digits (`é` -> `%u00e9`, U+1F600 -> `%u1f600`); each byte that is not part of a valid
// UTF-8 sequence becomes `%ufffd` (U+FFFD, as Go decodes it); ASCII is copied.
import { Bytes } from '../types';
import { utf8SeqLen, utf8Decode } from '../../encoding/utf8';
import { Out, scanToHigh } from './util';

const HEX = '0123456789abcdef';

export function utf8toUnicode(input: Bytes): Bytes {
  const n = input.length;
  let i = scanToHigh(input);
  if (i == n) return input;
  const o = new Out(n + 16);
  for (let k = 0; k < i; k++) o.push(input[k]);
  const base = input.dataStart;
  while (i < n) {
    const c = input[i];
    if (c < 0x80) {
      o.push(c);
      i++;
      continue;
    }
    const len = utf8SeqLen(base + i, base + n);
    let cp: u32 = 0xfffd;
    if (len > 0) {
      cp = utf8Decode(base + i, len);
      i += len;
    } else i++;
    o.push(0x25);
    o.push(0x75);
    let digits = 4;
    if (cp > 0xffff) digits = cp > 0xfffff ? 6 : 5;
    for (let d = digits - 1; d >= 0; d--) o.push(HEX.charCodeAt((cp >> (4 * d)) & 15));
  }
  return o.bytes();
}
