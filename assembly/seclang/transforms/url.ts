// urlDecode, urlDecodeUni, urlEncode with ModSecurity's non-strict rules: a `%` without two hex digits is
// kept as it is (never an error), `+` is a space.
import { Bytes } from '../types';
import { hexVal, take, Out } from './util';
import { BESTFIT_CODES, BESTFIT_BYTES } from './bestfit';

function firstEscape(input: Bytes): i32 {
  for (let i = 0; i < input.length; i++) {
    const c = unchecked(input[i]);
    if (c == 0x25 || c == 0x2b) return i;
  }
  return -1;
}

export function urlDecode(input: Bytes): Bytes {
  const start = firstEscape(input);
  if (start < 0) return input;
  const n = input.length;
  const out = new Uint8Array(n);
  out.set(input.subarray(0, start));
  let o = start;
  let changed = false;
  for (let i = start; i < n; ) {
    const c = u32(unchecked(input[i]));
    if (c == 0x2b) {
      unchecked((out[o++] = 0x20));
      changed = true;
      i++;
    } else if (c == 0x25 && i + 2 < n && hexVal(unchecked(input[i + 1])) >= 0 && hexVal(unchecked(input[i + 2])) >= 0) {
      unchecked((out[o++] = u8((hexVal(unchecked(input[i + 1])) << 4) | hexVal(unchecked(input[i + 2])))));
      changed = true;
      i += 3;
    } else {
      unchecked((out[o++] = u8(c)));
      i++;
    }
  }
  return changed ? take(out, o) : input;
}

/** ASCII best-fit byte for a %u code point, or -1 (then the low byte is used, as ModSecurity does). */
function bestFit(code: i32): i32 {
  let lo = 0;
  let hi = BESTFIT_CODES.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const v = i32(unchecked(BESTFIT_CODES[mid]));
    if (v == code) return i32(unchecked(BESTFIT_BYTES[mid]));
    if (v < code) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

/**
 * Like urlDecode, plus IIS's `%uXXXX`: the code point is folded to ASCII by the codepage 20127 best-fit
 * table (what the CRS setups load); otherwise its low byte is kept, with 0x20 added for full-width ASCII
 * (U+FF01..U+FF5E). An invalid or truncated `%u` is copied as `%u`.
 */
export function urlDecodeUni(input: Bytes): Bytes {
  const start = firstEscape(input);
  if (start < 0) return input;
  const n = input.length;
  const out = new Uint8Array(n);
  out.set(input.subarray(0, start));
  let o = start;
  let changed = false;
  for (let i = start; i < n; ) {
    const c = u32(unchecked(input[i]));
    if (c == 0x2b) {
      unchecked((out[o++] = 0x20));
      changed = true;
      i++;
      continue;
    }
    if (c != 0x25) {
      unchecked((out[o++] = u8(c)));
      i++;
      continue;
    }
    if (i + 1 < n && (unchecked(input[i + 1]) | 0x20) == 0x75) {
      if (i + 5 < n) {
        const h2 = hexVal(unchecked(input[i + 2]));
        const h3 = hexVal(unchecked(input[i + 3]));
        const h4 = hexVal(unchecked(input[i + 4]));
        const h5 = hexVal(unchecked(input[i + 5]));
        if (h2 >= 0 && h3 >= 0 && h4 >= 0 && h5 >= 0) {
          const code = (h2 << 12) | (h3 << 8) | (h4 << 4) | h5;
          let b = bestFit(code);
          if (b < 0) {
            b = (h4 << 4) | h5;
            if (b > 0 && b < 0x5f && h2 == 15 && h3 == 15) b += 0x20;
          }
          unchecked((out[o++] = u8(b)));
          changed = true;
          i += 6;
          continue;
        }
      }
      unchecked((out[o++] = 0x25));
      unchecked((out[o++] = unchecked(input[i + 1])));
      i += 2;
      continue;
    }
    if (i + 2 < n) {
      const h1 = hexVal(unchecked(input[i + 1]));
      const h2 = hexVal(unchecked(input[i + 2]));
      if (h1 >= 0 && h2 >= 0) {
        unchecked((out[o++] = u8((h1 << 4) | h2)));
        changed = true;
        i += 3;
        continue;
      }
    }
    unchecked((out[o++] = 0x25));
    i++;
  }
  return changed ? take(out, o) : input;
}

const HEX_LOWER = '0123456789abcdef';

/** ModSecurity's urlEncode: `*`, digits and letters stay, space becomes `+`, every other byte `%xx`. */
export function urlEncode(input: Bytes): Bytes {
  const n = input.length;
  let i = 0;
  for (; i < n; i++) {
    const c = unchecked(input[i]);
    if (!keepInUrl(c)) break;
  }
  if (i == n) return input;
  const out = new Out(n * 3);
  for (let k = 0; k < n; k++) {
    const c = u32(unchecked(input[k]));
    if (c == 0x20) out.push(0x2b);
    else if (keepInUrl(c)) out.push(c);
    else {
      out.push(0x25);
      out.push(HEX_LOWER.charCodeAt(c >> 4));
      out.push(HEX_LOWER.charCodeAt(c & 15));
    }
  }
  return out.bytes();
}

function keepInUrl(c: u32): bool {
  return c == 0x2a || (c >= 0x30 && c <= 0x39) || ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x7a);
}
