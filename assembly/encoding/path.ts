// URL path normalisation as Envoy's connection manager does it:
//  - `normalize_path` (PathUtil::canonicalPath, Chromium's CanonicalizePath): resolve `.` and `..`
//    segments (also written `%2e`), turn `\` into `/`, decode escaped unreserved characters
//    (`%41` → `A`), escape characters that may not appear raw (space, `"`, `<`, `>`, `^`, `` ` ``,
//    `{`, `|`, `}`, `#`, controls, bytes ≥ 0x80) and fail on NUL (raw or `%00`); `..` never climbs
//    above the root. Other escapes are kept as written.
//  - `merge_slashes` (PathUtil::mergeSlashes): collapse runs of `/`.
// Both act on the part before '?'; the query is kept as is. Envoy applies normalize first.
import { ByteSink, hexValue, hexDigitUpper, StringResult } from "./bytes";

export class PathOptions {
  normalize: bool = true;
  mergeSlashes: bool = false;

  static both(): PathOptions {
    const o = new PathOptions();
    o.mergeSlashes = true;
    return o;
  }
}

// What Chromium's table says about each byte in a path.
const PASS: u8 = 0;
const ESCAPE: u8 = 1; // write as %XX
const UNESCAPE: u8 = 2; // if seen as %XX, write the character itself
const INVALID: u8 = 3; // NUL: canonicalisation fails

function classify(c: u32): u8 {
  if (c == 0) return INVALID;
  if (c < 0x20 || c >= 0x7f) return ESCAPE;
  if ((c | 0x20) - 0x61 < 26 || c - 0x30 < 10) return UNESCAPE;
  switch (c) {
    case 0x2d: case 0x2e: case 0x5f: case 0x7e:
      return UNESCAPE; // - . _ ~
    case 0x20: case 0x22: case 0x23: case 0x3c: case 0x3e: case 0x3f: case 0x5e: case 0x60: case 0x7b: case 0x7c:
    case 0x7d:
      return ESCAPE; // space " # < > ? ^ ` { | }
    case 0x25:
      return ESCAPE; // '%' is handled before the table is consulted
  }
  return PASS;
}

// Length of a dot at p: 1 for ".", 3 for "%2e"/"%2E", else 0.
function dotLen(p: usize, i: i32, end: i32): i32 {
  const c = load<u8>(p + <usize>i);
  if (c == 0x2e) return 1;
  if (c == 0x25 && i + 3 <= end && load<u8>(p + <usize>i + 1) == 0x32 && (load<u8>(p + <usize>i + 2) | 0x20) == 0x65)
    return 3;
  return 0;
}

// @ts-ignore: decorator
@inline
function isSlash(c: u32): bool {
  return c == 0x2f || c == 0x5c;
}

// Output buffer view helpers on ByteSink.
// @ts-ignore: decorator
@inline
function at(out: ByteSink, i: i32): u32 {
  return <u32>load<u8>(out.buf.dataStart + <usize>i);
}

// Drops the last segment: output ends with '/', cut back to the previous '/' (never above root).
function backUp(out: ByteSink): void {
  let i = out.len - 1;
  if (i <= 0) return;
  i--;
  while (i > 0 && at(out, i) != 0x2f) i--;
  out.len = i + 1;
}

/** Canonicalises the path part p[0..end). Returns false when Envoy would reject the request. */
function canonicalize(p: usize, end: i32, out: ByteSink): bool {
  let ok = true;
  if (end == 0) {
    out.byte(0x2f);
    return true;
  }
  if (!isSlash(load<u8>(p))) out.byte(0x2f);
  let lastBadPercent = -100; // output index of a '%' that did not start a valid escape
  for (let i = 0; i < end; i++) {
    const c = <u32>load<u8>(p + <usize>i);
    const d = c == 0x2e || c == 0x25 ? dotLen(p, i, end) : 0;
    if (d > 0) {
      if (out.len > 0 && at(out, out.len - 1) == 0x2f) {
        // A dot right after a slash: `.`, `..` or just a name starting with a dot.
        const after = i + d;
        let kind = 0; // 0 = name, 1 = current dir, 2 = parent dir
        let consumed = 0;
        if (after == end) kind = 1;
        else if (isSlash(load<u8>(p + <usize>after))) {
          kind = 1;
          consumed = 1;
        } else {
          const d2 = dotLen(p, after, end);
          if (d2 > 0) {
            const after2 = after + d2;
            if (after2 == end) {
              kind = 2;
              consumed = d2;
            } else if (isSlash(load<u8>(p + <usize>after2))) {
              kind = 2;
              consumed = d2 + 1;
            }
          }
        }
        if (kind == 0) {
          out.byte(0x2e);
          i += d - 1;
        } else {
          if (kind == 2) backUp(out);
          i += d + consumed - 1;
        }
      } else {
        out.byte(0x2e);
        i += d - 1;
      }
      continue;
    }
    if (c == 0x5c) {
      out.byte(0x2f);
      continue;
    }
    if (c == 0x25) {
      const hi = i + 2 < end ? hexValue(load<u8>(p + <usize>i + 1)) : -1;
      const lo = i + 2 < end ? hexValue(load<u8>(p + <usize>i + 2)) : -1;
      if (hi >= 0 && lo >= 0) {
        const v = <u32>((hi << 4) | lo);
        const cls = classify(v);
        if (cls == UNESCAPE) {
          out.byte(v);
          // "%%30" style nesting: an earlier lone '%' plus what we just wrote may now read as an
          // escape; re-escape that '%' so the output cannot be decoded differently later.
          if (lastBadPercent >= out.len - 3) fixNestedEscape(p, i + 3, end, lastBadPercent, out);
        } else {
          out.byte(0x25);
          out.byte(load<u8>(p + <usize>i + 1));
          out.byte(load<u8>(p + <usize>i + 2));
          if (cls == INVALID) ok = false;
        }
        i += 2;
      } else {
        lastBadPercent = out.len;
        out.byte(0x25);
      }
      continue;
    }
    const cls = classify(c);
    if (cls == INVALID) {
      escapeByte(out, c);
      ok = false;
    } else if (cls == ESCAPE) {
      escapeByte(out, c);
    } else {
      out.byte(c);
    }
  }
  return ok;
}

function escapeByte(out: ByteSink, c: u32): void {
  out.byte(0x25);
  out.byte(hexDigitUpper(c >> 4));
  out.byte(hexDigitUpper(c & 15));
}

// Output ends with '%' + one or two characters, the last one just unescaped. If those (plus the
// next input character when only one follows) form a valid escape, turn the '%' into "%25".
function fixNestedEscape(p: usize, next: i32, end: i32, pct: i32, out: ByteSink): void {
  const length = out.len;
  const last = at(out, length - 1);
  const appendNext = pct == length - 2;
  if (appendNext) {
    if (next == end || load<u8>(p + <usize>next) >= 0x80) return;
    out.byte(load<u8>(p + <usize>next));
  }
  const valid = pct + 2 < out.len && hexValue(at(out, pct + 1)) >= 0 && hexValue(at(out, pct + 2)) >= 0;
  if (valid) {
    if (!appendNext) out.byte(at(out, pct + 1));
    store<u8>(out.buf.dataStart + <usize>pct + 1, 0x32);
    store<u8>(out.buf.dataStart + <usize>pct + 2, 0x35);
    out.byte(last);
  } else if (appendNext) {
    out.len = length;
  }
}

// Envoy's merge: prefix "/" if the path started with one, the non-empty segments joined by "/",
// suffix "/" if it ended with one. (So "//" stays "//", as in Envoy.)
function mergeSlashes(p: usize, end: i32, out: ByteSink): void {
  let hasDouble = false;
  for (let i = 1; i < end; i++) {
    if (load<u8>(p + <usize>i) == 0x2f && load<u8>(p + <usize>i - 1) == 0x2f) {
      hasDouble = true;
      break;
    }
  }
  if (!hasDouble) {
    out.bytes(p, end);
    return;
  }
  if (end > 0 && load<u8>(p) == 0x2f) out.byte(0x2f);
  let first = true;
  let i = 0;
  while (i < end) {
    while (i < end && load<u8>(p + <usize>i) == 0x2f) i++;
    if (i >= end) break;
    let j = i;
    while (j < end && load<u8>(p + <usize>j) != 0x2f) j++;
    if (!first) out.byte(0x2f);
    out.bytes(p + <usize>i, j - i);
    first = false;
    i = j;
  }
  if (end > 0 && load<u8>(p + <usize>end - 1) == 0x2f) out.byte(0x2f);
}

/**
 * Normalises a request `:path` (query kept). Fails, as Envoy fails the request with 400, when the
 * path holds a NUL byte raw or escaped.
 */
export function normalizePathPtr(ptr: usize, len: i32, opts: PathOptions = new PathOptions()): StringResult {
  if (len < 0) len = 0;
  let q = 0;
  while (q < len && load<u8>(ptr + <usize>q) != 0x3f) q++;
  const stage = new ByteSink(len + 8);
  if (opts.normalize) {
    if (!canonicalize(ptr, q, stage)) return StringResult.failure("path contains a NUL byte", 0);
  } else {
    stage.bytes(ptr, q);
  }
  let pathOut = stage;
  if (opts.mergeSlashes) {
    pathOut = new ByteSink(stage.len + 2);
    mergeSlashes(stage.buf.dataStart, stage.len, pathOut);
  }
  pathOut.bytes(ptr + <usize>q, len - q);
  return StringResult.success(pathOut.toString());
}

export function normalizePath(path: string, opts: PathOptions = new PathOptions()): StringResult {
  const buf = String.UTF8.encode(path);
  return normalizePathPtr(changetype<usize>(buf), buf.byteLength, opts);
}
