// htmlEntityDecode with ModSecurity's rules: `&#DDD` and `&#xHH` (at least one digit; the `;` is optional
// and consumed when present) become the LOW BYTE of the value; the named entities quot, amp, lt, gt and
// nbsp (any case, `;` optional) become `"` `&` `<` `>` and 0xA0; anything else is copied as it is.
import { Bytes } from '../types';
import { hexVal, isDigit, scanTo, take } from './util';

function isAlnum(c: u32): bool {
  return isDigit(c) || ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x7a);
}

/** Case-insensitive compare of b[s, e) with an ASCII lower-case name. */
function nameIs(b: Bytes, s: i32, e: i32, name: string): bool {
  if (e - s != name.length) return false;
  for (let i = 0; i < name.length; i++) if ((u32(b[s + i]) | 0x20) != u32(name.charCodeAt(i))) return false;
  return true;
}

function named(b: Bytes, s: i32, e: i32): i32 {
  if (nameIs(b, s, e, 'quot')) return 0x22;
  if (nameIs(b, s, e, 'amp')) return 0x26;
  if (nameIs(b, s, e, 'lt')) return 0x3c;
  if (nameIs(b, s, e, 'gt')) return 0x3e;
  if (nameIs(b, s, e, 'nbsp')) return 0xa0;
  return -1;
}

export function htmlEntityDecode(input: Bytes): Bytes {
  const n = input.length;
  const first = scanTo(input, 0x26);
  if (first == n) return input;
  const out = new Uint8Array(n);
  out.set(input.subarray(0, first));
  let o = first;
  let i = first;
  let changed = false;
  while (i < n) {
    if (input[i] != 0x26 || i + 1 >= n) {
      out[o++] = input[i++];
      continue;
    }
    let end = -1; // index just past the entity's digits or name
    let value = -1;
    if (input[i + 1] == 0x23) {
      const hex = i + 2 < n && (input[i + 2] | 0x20) == 0x78;
      const k = hex ? i + 3 : i + 2;
      let j = k;
      // strtol saturates: once the value is past a byte it only matters whether it saturated.
      let v: u64 = 0;
      while (j < n && (hex ? hexVal(input[j]) >= 0 : isDigit(input[j]))) {
        const d = u64(hex ? hexVal(input[j]) : i32(input[j]) - 0x30);
        v = v > 0x0fffffffffffffff ? 0x7fffffffffffffff : min<u64>(v * (hex ? 16 : 10) + d, 0x7fffffffffffffff);
        j++;
      }
      if (j > k) {
        end = j;
        value = i32(v & 0xff);
      }
    } else {
      let j = i + 1;
      while (j < n && isAlnum(input[j])) j++;
      if (j > i + 1) {
        const v = named(input, i + 1, j);
        if (v >= 0) {
          end = j;
          value = v;
        } else {
          // Unknown name: copy `&` and the name as they are.
          for (let k = i; k < j; k++) out[o++] = input[k];
          i = j;
          continue;
        }
      }
    }
    if (end < 0) {
      out[o++] = input[i++];
      continue;
    }
    out[o++] = u8(value);
    changed = true;
    i = end < n && input[end] == 0x3b ? end + 1 : end;
  }
  return changed ? take(out, o) : input;
}
