// Comma-separated header lists (RFC 9110 §5.6.1): `a, b ,"c,d"` → ["a", "b", "\"c,d\""].
// Commas inside quoted strings do not split; empty elements are dropped.
import { isOws } from "./token";

/** Elements of a list header; more than `maxItems` elements is reported by returning null. */
export function splitHeaderList(value: string, maxItems: i32 = 1024): Array<string> | null {
  const out = new Array<string>();
  const n = value.length;
  let i = 0;
  while (i <= n) {
    let start = i;
    let inQuote = false;
    let j = i;
    while (j < n) {
      const c = value.charCodeAt(j);
      if (inQuote) {
        if (c == 0x5c) j++; // quoted-pair: skip the escaped character
        else if (c == 0x22) inQuote = false;
      } else if (c == 0x22) inQuote = true;
      else if (c == 0x2c) break;
      j++;
    }
    let end = j > n ? n : j;
    while (start < end && isOws(<u32>value.charCodeAt(start))) start++;
    while (end > start && isOws(<u32>value.charCodeAt(end - 1))) end--;
    if (end > start) {
      if (out.length >= maxItems) return null;
      out.push(value.substring(start, end));
    }
    i = j + 1;
  }
  return out;
}

/**
 * True when an Accept header lists `text/html` (any case) with a non-zero q. Wildcards such as
 * `*\/*` do not count: the question is whether the client asked for HTML explicitly (browsers do).
 * Works in place on the string: nothing is allocated per request.
 */
export function acceptsHtml(accept: string): bool {
  const n = accept.length;
  let i = 0;
  while (i < n) {
    // One list element: [i, end) up to a ',' outside quotes.
    let end = i;
    let inQuote = false;
    while (end < n) {
      const c = accept.charCodeAt(end);
      if (inQuote) {
        if (c == 0x5c) end++;
        else if (c == 0x22) inQuote = false;
      } else if (c == 0x22) inQuote = true;
      else if (c == 0x2c) break;
      end++;
    }
    if (end > n) end = n;
    if (elementIsHtml(accept, i, end)) return true;
    i = end + 1;
  }
  return false;
}

const TEXT_HTML = "text/html";

// Is accept[a, b) `text/html` with no `q=0…` parameter?
function elementIsHtml(s: string, a: i32, b: i32): bool {
  while (a < b && isOws(<u32>s.charCodeAt(a))) a++;
  let r = a;
  while (r < b && s.charCodeAt(r) != 0x3b) r++; // end of the media range
  let re = r;
  while (re > a && isOws(<u32>s.charCodeAt(re - 1))) re--;
  if (re - a != 9) return false;
  for (let k = 0; k < 9; k++) {
    let c = s.charCodeAt(a + k);
    if (<u32>c - 0x41 < 26) c |= 0x20;
    if (c != TEXT_HTML.charCodeAt(k)) return false;
  }
  // Parameters: look for q whose value is all zeros (0, 0.0, 0.000).
  let p = r;
  while (p < b) {
    p++; // skip ';'
    while (p < b && isOws(<u32>s.charCodeAt(p))) p++;
    let pe = p;
    while (pe < b && s.charCodeAt(pe) != 0x3b) pe++;
    if (pe - p >= 2 && (s.charCodeAt(p) | 0x20) == 0x71) {
      let k = p + 1;
      while (k < pe && isOws(<u32>s.charCodeAt(k))) k++;
      if (k < pe && s.charCodeAt(k) == 0x3d) {
        k++;
        while (k < pe && isOws(<u32>s.charCodeAt(k))) k++;
        let ve = pe;
        while (ve > k && isOws(<u32>s.charCodeAt(ve - 1))) ve--;
        if (ve > k && s.charCodeAt(k) == 0x30) {
          let zero = true;
          for (let j = k + 1; j < ve; j++) {
            const c = s.charCodeAt(j);
            if (c != 0x30 && c != 0x2e) zero = false;
          }
          if (zero) return false;
        }
      }
    }
    p = pe;
  }
  return true;
}
