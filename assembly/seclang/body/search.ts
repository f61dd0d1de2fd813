// Counting a pattern's occurrences in linear time (Knuth–Morris–Pratt), so a hostile boundary made of
// repeated characters cannot make the scan quadratic.
import { Bytes } from "../types";

/** Occurrences of `pat` (non-empty) in hay[0, end), overlapping ones included. */
export function countOccurrences(hay: Bytes, end: i32, pat: Bytes): i32 {
  const m = pat.length;
  if (m == 0 || end < m) return 0;
  const fail = new Int32Array(m);
  let k = 0;
  for (let i = 1; i < m; i++) {
    while (k > 0 && unchecked(pat[i]) != unchecked(pat[k])) k = unchecked(fail[k - 1]);
    if (unchecked(pat[i]) == unchecked(pat[k])) k++;
    unchecked((fail[i] = k));
  }
  let count = 0;
  k = 0;
  for (let i = 0; i < end; i++) {
    const c = unchecked(hay[i]);
    while (k > 0 && c != unchecked(pat[k])) k = unchecked(fail[k - 1]);
    if (c == unchecked(pat[k])) k++;
    if (k == m) {
      count++;
      k = unchecked(fail[k - 1]);
    }
  }
  return count;
}
