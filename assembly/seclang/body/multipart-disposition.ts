// A part's Content-Disposition (`form-data; name="a"; filename="b"`), read as ModSecurity reads it
// (its flags for single quotes and duplicates), plus RFC 5987 `filename*` as Coraza reads it. Unknown
// parameters are skipped (ModSecurity refuses them, Coraza and backends accept them).
import { Bytes } from "../types";
import { MultipartResult } from "./results";
import { ByteBuf } from "./bytebuf";
import { hexVal } from "./urlencoded";

export class Disposition {
  name: Bytes | null = null;
  /** The plain `filename` parameter. */
  filename: Bytes | null = null;
  /** `filename*` percent-decoded, when present and shaped `charset'lang'value`. */
  extFilename: Bytes | null = null;
  /** Why the header is malformed ("" when it is not); what was read before the problem is kept. */
  error: string = "";
}

export function parseDisposition(v: Bytes, out: MultipartResult): Disposition {
  const d = new Disposition();
  const n = v.length;
  let p = skipWs(v, 0);
  if (!startsWithCi(v, p, "form-data")) return bad(d, "not form-data");
  p += 9;
  p = skipWs(v, p);
  if (p >= n) return d;
  if (v[p] != 0x3b) return bad(d, "expected ';' after form-data");
  p++;
  const buf = new ByteBuf(64);
  while (true) {
    p = skipWs(v, p);
    if (p >= n) return d; // a trailing ';' is tolerated
    const ns = p;
    while (p < n && v[p] != 0x3d && v[p] != 0x3b && !isWsByte(v[p])) p++;
    const ne = p;
    if (ne == ns) return bad(d, "parameter name missing");
    p = skipWs(v, p);
    if (p >= n || v[p] != 0x3d) return bad(d, "parameter without '='");
    p = skipWs(v, p + 1);
    if (p >= n) return bad(d, "parameter value missing");
    buf.len = 0;
    let quoted = false;
    const q = <u32>v[p];
    if (q == 0x22 || q == 0x27) {
      // Both quotes are accepted, as backends accept them; a single quote is flagged.
      quoted = true;
      if (q == 0x27) out.invalidQuoting = 1;
      p++;
      let closed = false;
      while (p < n) {
        const c = <u32>v[p];
        if (c == 0x5c && p + 1 < n && (<u32>v[p + 1] == q || v[p + 1] == 0x5c)) {
          buf.push(v[p + 1]);
          p += 2;
          continue;
        }
        if (c == q) {
          closed = true;
          p++;
          break;
        }
        buf.push(c);
        p++;
      }
      if (!closed) {
        store(d, v, ns, ne, buf, quoted, out);
        return bad(d, "unterminated quoted value");
      }
    } else {
      const vs = p;
      while (p < n && isTokenChar(v[p])) p++;
      buf.pushRange(v, vs, p);
    }
    store(d, v, ns, ne, buf, quoted, out);
    p = skipWs(v, p);
    if (p >= n) return d;
    if (v[p] != 0x3b) {
      if (p > 0 && (v[p - 1] == 0x22 || v[p - 1] == 0x27)) out.invalidQuoting = 1;
      return bad(d, "expected ';' between parameters");
    }
    p++;
  }
  return d; // not reached: the loop returns
}

// Records parameter v[ns, ne) = value.
function store(d: Disposition, v: Bytes, ns: i32, ne: i32, value: ByteBuf, quoted: bool, out: MultipartResult): void {
  if (equalsCi(v, ns, ne, "name")) {
    if (hasSingleQuote(value)) out.invalidQuoting = 1;
    if (d.name !== null) {
      out.duplicatePartHeader = 1;
      bad(d, "duplicate name parameter");
      return;
    }
    d.name = value.copy();
  } else if (equalsCi(v, ns, ne, "filename")) {
    if (hasSingleQuote(value)) out.invalidQuoting = 1;
    if (d.filename !== null) {
      out.duplicatePartHeader = 1;
      bad(d, "duplicate filename parameter");
      return;
    }
    d.filename = value.copy();
  } else if (equalsCi(v, ns, ne, "filename*")) {
    // RFC 5987 ext-value is never quoted; Coraza still reads it, and flags the quoting.
    if (quoted) out.invalidQuoting = 1;
    if (d.extFilename !== null) {
      out.duplicatePartHeader = 1;
      bad(d, "duplicate filename* parameter");
      return;
    }
    readExtValue(d, value);
  } else if (ne - ns > 9 && startsWithCi(v, ns, "filename*")) {
    // RFC 2231 continuations (filename*0=...) are not reassembled: a backend that does may see
    // another name, so the header counts as malformed.
    bad(d, "filename continuation (RFC 2231) not supported");
  }
}

// `charset'language'percent-encoded` → extFilename; anything else is malformed.
function readExtValue(d: Disposition, value: ByteBuf): void {
  const b = value.data;
  const n = value.len;
  let first = -1;
  let second = -1;
  for (let i = 0; i < n; i++) {
    if (b[i] == 0x27) {
      if (first < 0) first = i;
      else {
        second = i;
        break;
      }
    }
  }
  if (second < 0) {
    bad(d, "malformed filename*");
    return;
  }
  const out = new ByteBuf(n - second);
  let invalid = false;
  for (let i = second + 1; i < n; i++) {
    const c = b[i];
    if (c == 0x25 && i + 2 < n && hexVal(b[i + 1]) >= 0 && hexVal(b[i + 2]) >= 0) {
      out.push((hexVal(b[i + 1]) << 4) | hexVal(b[i + 2]));
      i += 2;
      continue;
    }
    if (c == 0x25) invalid = true;
    out.push(c);
  }
  d.extFilename = out.copy();
  if (invalid) bad(d, "invalid percent escape in filename*");
}

function bad(d: Disposition, why: string): Disposition {
  if (d.error.length == 0) d.error = why;
  return d;
}

function hasSingleQuote(b: ByteBuf): bool {
  for (let i = 0; i < b.len; i++) if (b.data[i] == 0x27) return true;
  return false;
}

// RFC 2045 token characters (what ModSecurity accepts in an unquoted value).
function isTokenChar(c: u32): bool {
  if (c <= 0x20 || c >= 0x7f) return false;
  return !(
    c == 0x28 || c == 0x29 || c == 0x3c || c == 0x3e || c == 0x40 || c == 0x2c || c == 0x3b || c == 0x3a ||
    c == 0x5c || c == 0x22 || c == 0x2f || c == 0x5b || c == 0x5d || c == 0x3f || c == 0x3d
  );
}

function isWsByte(c: u32): bool {
  return c == 0x20 || c == 0x09;
}

function skipWs(v: Bytes, p: i32): i32 {
  while (p < v.length && isWsByte(v[p])) p++;
  return p;
}

function startsWithCi(v: Bytes, at: i32, lit: string): bool {
  if (at + lit.length > v.length) return false;
  for (let i = 0; i < lit.length; i++) {
    let c = <u32>v[at + i];
    if (c >= 0x41 && c <= 0x5a) c |= 0x20;
    if (c != <u32>lit.charCodeAt(i)) return false;
  }
  return true;
}

function equalsCi(v: Bytes, s: i32, e: i32, lit: string): bool {
  return e - s == lit.length && startsWithCi(v, s, lit);
}
