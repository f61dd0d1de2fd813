// application/x-www-form-urlencoded bodies as Coraza (and ModSecurity) read ARGS_POST: pairs split on
// a separator, empty pairs skipped, a name without `=` gets an empty value, `+` is a space and `%XX`
// is decoded while a `%` not followed by two hex digits stays as it is. Duplicates stay, in order.
import { Bytes, PairList } from "../types";

const PLUS: u8 = 0x2b;
const PERCENT: u8 = 0x25;
const EQUALS: u8 = 0x3d;
export const AMPERSAND: u8 = 0x26;

/** Adds every pair of `body` to `out`. */
export function parseUrlencoded(body: Bytes, out: PairList, separator: u8 = AMPERSAND): void {
  parseUrlencodedLimited(body, out, separator, 0);
}

/**
 * Same, stopping after `limit` pairs (0 = no limit, like SecArgumentsLimit unset). Returns true when
 * a pair was left out because of the limit.
 */
export function parseUrlencodedLimited(body: Bytes, out: PairList, separator: u8, limit: i32): bool {
  const n = body.length;
  let added = 0;
  let start = 0;
  while (start < n) {
    let end = start;
    let eq = -1;
    while (end < n) {
      const c = unchecked(body[end]);
      if (c == separator) break;
      if (c == EQUALS && eq < 0) eq = end;
      end++;
    }
    if (end > start) {
      if (limit > 0 && added >= limit) return true;
      if (eq < 0) out.add(formDecode(body, start, end), new Uint8Array(0));
      else out.add(formDecode(body, start, eq), formDecode(body, eq + 1, end));
      added++;
    }
    start = end + 1;
  }
  return false;
}

/** `body[from, to)` with `+` → space and valid `%XX` escapes decoded; invalid escapes kept. */
export function formDecode(body: Bytes, from: i32, to: i32): Bytes {
  // Count the output first so the result is allocated once at its exact size.
  let len = 0;
  for (let i = from; i < to; i++) {
    if (unchecked(body[i]) == PERCENT && isHexPair(body, i + 1, to)) i += 2;
    len++;
  }
  const out = new Uint8Array(len);
  let o = 0;
  for (let i = from; i < to; i++) {
    const c = unchecked(body[i]);
    if (c == PLUS) {
      unchecked((out[o++] = 0x20));
    } else if (c == PERCENT && isHexPair(body, i + 1, to)) {
      unchecked((out[o++] = <u8>((hexVal(unchecked(body[i + 1])) << 4) | hexVal(unchecked(body[i + 2])))));
      i += 2;
    } else {
      unchecked((out[o++] = c));
    }
  }
  return out;
}

// Two hex digits at body[at], body[at+1], both before `to`.
function isHexPair(body: Bytes, at: i32, to: i32): bool {
  return at + 1 < to && hexVal(unchecked(body[at])) >= 0 && hexVal(unchecked(body[at + 1])) >= 0;
}

export function hexVal(c: u32): i32 {
  if (c >= 0x30 && c <= 0x39) return <i32>c - 0x30;
  const l = c | 0x20;
  if (l >= 0x61 && l <= 0x66) return <i32>l - 0x61 + 10;
  return -1;
}
