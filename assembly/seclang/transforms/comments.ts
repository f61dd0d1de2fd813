// removeComments, removeCommentsChar, replaceComments (ModSecurity's rules, which Coraza keeps).
import { Bytes } from '../types';
import { exact, scratch } from './util';

/**
 * removeComments: drops C comments and HTML comments (an unterminated one becomes one space); `--` or
 * `#` outside a comment cuts the value there. Quirk kept from ModSecurity/Coraza: the byte right after a
 * closing `*` + `/` or `-->` is copied without being examined (a NUL when the comment ends the value).
 */
export function removeComments(input: Bytes): Bytes {
  const n = input.length;
  const out = scratch(n + 1);
  let o = 0;
  let i = 0;
  let inComment = false;
  let changed = false;
  while (i < n) {
    const c = u32(input[i]);
    if (!inComment) {
      if (c == 0x2f && i + 1 < n && input[i + 1] == 0x2a) {
        inComment = true;
        changed = true;
        i += 2;
      } else if (c == 0x3c && i + 3 < n && input[i + 1] == 0x21 && input[i + 2] == 0x2d && input[i + 3] == 0x2d) {
        inComment = true;
        changed = true;
        i += 4;
      } else if ((c == 0x2d && i + 1 < n && input[i + 1] == 0x2d) || c == 0x23) {
        changed = true;
        break;
      } else {
        out[o++] = u8(c);
        i++;
      }
    } else if (c == 0x2a && i + 1 < n && input[i + 1] == 0x2f) {
      inComment = false;
      i += 2;
      out[o++] = i < n ? input[i] : 0; // past the end: the C string's terminating NUL
      i++;
    } else if (c == 0x2d && i + 2 < n && input[i + 1] == 0x2d && input[i + 2] == 0x3e) {
      inComment = false;
      i += 3;
      out[o++] = i < n ? input[i] : 0; // past the end: the C string's terminating NUL
      i++;
    } else {
      i++;
    }
  }
  if (inComment) {
    out[o++] = 0x20;
    changed = true;
  }
  return changed ? exact(out, o) : input;
}

/** removeCommentsChar: deletes the comment markers themselves: `/*`, `*` + `/`, `<!--`, `-->`, `--`, `#`. */
export function removeCommentsChar(input: Bytes): Bytes {
  const n = input.length;
  const out = scratch(n);
  let o = 0;
  let i = 0;
  while (i < n) {
    const c = input[i];
    const c1: u32 = i + 1 < n ? input[i + 1] : 0;
    if (c == 0x2f && c1 == 0x2a) i += 2;
    else if (c == 0x2a && c1 == 0x2f) i += 2;
    else if (c == 0x3c && c1 == 0x21 && i + 3 < n && input[i + 2] == 0x2d && input[i + 3] == 0x2d) i += 4;
    else if (c == 0x2d && c1 == 0x2d && i + 2 < n && input[i + 2] == 0x3e) i += 3;
    else if (c == 0x2d && c1 == 0x2d) i += 2;
    else if (c == 0x23) i += 1;
    else out[o++] = input[i++];
  }
  return o == n ? input : exact(out, o);
}

/** replaceComments: each C comment (terminated or not) becomes one space. */
export function replaceComments(input: Bytes): Bytes {
  const n = input.length;
  const out = scratch(n);
  let o = 0;
  let i = 0;
  let inComment = false;
  let changed = false;
  while (i < n) {
    if (!inComment) {
      if (input[i] == 0x2f && i + 1 < n && input[i + 1] == 0x2a) {
        inComment = true;
        changed = true;
        i += 2;
      } else out[o++] = input[i++];
    } else if (input[i] == 0x2a && i + 1 < n && input[i + 1] == 0x2f) {
      inComment = false;
      i += 2;
      out[o++] = 0x20;
    } else i++;
  }
  if (inComment) out[o++] = 0x20;
  return changed ? exact(out, o) : input;
}
