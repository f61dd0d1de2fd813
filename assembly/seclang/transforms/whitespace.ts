// compressWhitespace, removeWhitespace, trim, trimLeft, trimRight.
// Whitespace is C's isspace() set (space \t \n \v \f \r) plus NBSP as the raw byte 0xA0 (ModSecurity) and
// the UTF-8 encoded Unicode spaces Coraza recognises (U+0085, U+00A0, and for removeWhitespace the other
// Unicode White_Space code points), so both engines' evasions are covered.
import { Bytes } from '../types';
import { exact, isSpace, scratch, take } from './util';

/** Length of a UTF-8 encoded Latin-1 space (U+0085, U+00A0) at i, else 0. */
function latinSpaceAt(b: Bytes, i: i32): i32 {
  if (b[i] == 0xc2 && i + 1 < b.length && (b[i + 1] == 0x85 || b[i + 1] == 0xa0)) return 2;
  return 0;
}

/** Length of any UTF-8 encoded Unicode White_Space code point at i (as Go's unicode.IsSpace), else 0. */
function unicodeSpaceAt(b: Bytes, i: i32): i32 {
  const c = b[i];
  if (c == 0xc2) return latinSpaceAt(b, i);
  if (i + 2 >= b.length) return 0;
  const c1 = b[i + 1];
  const c2 = b[i + 2];
  if (c == 0xe1 && c1 == 0x9a && c2 == 0x80) return 3; // U+1680
  if (c == 0xe2 && c1 == 0x80 && ((c2 >= 0x80 && c2 <= 0x8a) || c2 == 0xa8 || c2 == 0xa9 || c2 == 0xaf)) return 3;
  if (c == 0xe2 && c1 == 0x81 && c2 == 0x9f) return 3; // U+205F
  if (c == 0xe3 && c1 == 0x80 && c2 == 0x80) return 3; // U+3000
  return 0;
}

function wsLen(b: Bytes, i: i32, unicode: bool): i32 {
  const c = u32(unchecked(b[i]));
  if (c < 0x80) return isSpace(c) ? 1 : 0; // the common case, kept cheap
  if (c == 0xa0) return 1;
  return unicode ? unicodeSpaceAt(b, i) : latinSpaceAt(b, i);
}

export function compressWhitespace(input: Bytes): Bytes {
  const n = input.length;
  // Unchanged unless some whitespace is not a single plain space.
  let i = 0;
  for (; i < n; i++) {
    const c = u32(unchecked(input[i]));
    if (c == 0x20) {
      if (i + 1 < n && wsLen(input, i + 1, false) > 0) break;
    } else if (c >= 0x80 ? wsLen(input, i, false) > 0 : isSpace(c)) break;
  }
  if (i == n) return input;
  const out = new Uint8Array(n);
  memory.copy(out.dataStart, input.dataStart, i);
  let o = i;
  let inWs = false;
  while (i < n) {
    const w = wsLen(input, i, false);
    if (w > 0) {
      if (!inWs) unchecked((out[o++] = 0x20));
      inWs = true;
      i += w;
    } else {
      unchecked((out[o++] = unchecked(input[i++])));
      inWs = false;
    }
  }
  return take(out, o);
}

export function removeWhitespace(input: Bytes): Bytes {
  const n = input.length;
  let i = 0;
  while (i < n && wsLen(input, i, true) == 0) i++;
  if (i == n) return input;
  const out = scratch(n);
  memory.copy(out.dataStart, input.dataStart, i);
  let o = i;
  while (i < n) {
    const w = wsLen(input, i, true);
    if (w > 0) i += w;
    else unchecked((out[o++] = unchecked(input[i++])));
  }
  return exact(out, o);
}

function isTrimSpace(c: u32): bool {
  return isSpace(c);
}

export function trimLeft(input: Bytes): Bytes {
  let s = 0;
  while (s < input.length && isTrimSpace(input[s])) s++;
  return s == 0 ? input : input.slice(s);
}

export function trimRight(input: Bytes): Bytes {
  let e = input.length;
  while (e > 0 && isTrimSpace(input[e - 1])) e--;
  return e == input.length ? input : input.slice(0, e);
}

export function trim(input: Bytes): Bytes {
  let s = 0;
  let e = input.length;
  while (s < e && isTrimSpace(input[s])) s++;
  while (e > s && isTrimSpace(input[e - 1])) e--;
  return s == 0 && e == input.length ? input : input.slice(s, e);
}
