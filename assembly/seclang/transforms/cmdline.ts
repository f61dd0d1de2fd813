// cmdLine: normalises shell command lines against evasion (ModSecurity's rules): `\ " ' ^` are deleted;
// runs of space, tab, CR, LF, `,` and `;` become one space; a space before `/` or `(` is dropped; upper-case
// ASCII letters become lower-case.
import { Bytes } from '../types';
import { exact, scratch } from './util';

function special(c: u32): bool {
  return (c >= 0x41 && c <= 0x5a) || c == 0x22 || c == 0x27 || c == 0x5c || c == 0x5e || c == 0x20 ||
    c == 0x2c || c == 0x3b || c == 0x09 || c == 0x0d || c == 0x0a || c == 0x2f || c == 0x28;
}

export function cmdLine(input: Bytes): Bytes {
  const n = input.length;
  let start = 0;
  while (start < n && !special(unchecked(input[start]))) start++;
  if (start == n) return input;
  const out = scratch(n);
  memory.copy(out.dataStart, input.dataStart, <usize>start);
  let o = start;
  let space = false;
  for (let i = start; i < n; i++) {
    const c = u32(unchecked(input[i]));
    if (c == 0x22 || c == 0x27 || c == 0x5c || c == 0x5e) continue;
    if (c == 0x20 || c == 0x2c || c == 0x3b || c == 0x09 || c == 0x0d || c == 0x0a) {
      if (!space) {
        unchecked((out[o++] = 0x20));
        space = true;
      }
      continue;
    }
    if (c == 0x2f || c == 0x28) {
      if (space) o--;
      space = false;
      unchecked((out[o++] = u8(c)));
      continue;
    }
    unchecked((out[o++] = u8(c >= 0x41 && c <= 0x5a ? c | 0x20 : c)));
    space = false;
  }
  // Only quotes/spaces that were already normal (a lone ' ' or '/') may leave the bytes unchanged.
  if (o == n && memory.compare(out.dataStart, input.dataStart, n) == 0) return input;
  return exact(out, o);
}
