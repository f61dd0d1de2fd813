// The boundary of a multipart/form-data body, from its Content-Type header, with ModSecurity's
// checks: the flags for a quoted boundary, whitespace around `=`, a missing `;`, and errors for
// what ModSecurity refuses (several boundary parameters, bad characters, partial quotes, ...).
// Unlike ModSecurity, other parameters may come before or after `boundary` (as RFC 2045 allows and
// Coraza accepts), and the parameter name is case-insensitive.
import { MultipartResult } from "./results";

/** The boundary bytes (without the leading `--`), or null with `error` set. */
export class BoundaryResult {
  boundary: Uint8Array | null = null;
  error: string = "";
}

const MAX_CONTENT_TYPE: i32 = 1024;

export function parseBoundary(contentType: string, out: MultipartResult): BoundaryResult {
  const res = new BoundaryResult();
  const ct = contentType;
  const n = ct.length;
  if (n > MAX_CONTENT_TYPE) return fail(res, "Multipart: Invalid boundary in C-T (length).");
  let p = skipWs(ct, 0);
  // The media type: multipart/<anything>, case-insensitive (Coraza takes every multipart/ subtype).
  let typeEnd = p;
  while (typeEnd < n && ct.charCodeAt(typeEnd) != 0x3b && !isWs(ct.charCodeAt(typeEnd))) typeEnd++;
  if (typeEnd - p < 11 || !startsWithCi(ct, p, "multipart/")) return fail(res, "Multipart: Invalid MIME type.");
  let at = boundaryParamAt(ct, typeEnd);
  if (at >= 0 && boundaryParamAt(ct, at + 8) >= 0) return fail(res, "Multipart: Multiple boundary parameters in C-T.");
  // No well-formed parameter: take the word itself, so the checks below say what is wrong with it.
  if (at < 0) at = indexOfCi(ct, "boundary", typeEnd);
  if (at < 0) return fail(res, "Multipart: Boundary not found in C-T.");
  // ModSecurity wants `;` between the media type and the boundary parameter.
  let semicolon = false;
  for (let i = typeEnd; i < at; i++) if (ct.charCodeAt(i) == 0x3b) semicolon = true;
  if (!semicolon) out.missingSemicolon = 1;

  p = at + 8;
  while (p < n && ct.charCodeAt(p) != 0x3d) {
    if (!isWs(ct.charCodeAt(p))) return fail(res, "Multipart: Invalid boundary in C-T (parameter name).");
    out.boundaryWhitespace = 1;
    p++;
  }
  if (p >= n) return fail(res, "Multipart: Invalid boundary in C-T (malformed).");
  p++; // '='
  if (p < n && isWs(ct.charCodeAt(p))) {
    out.boundaryWhitespace = 1;
    p = skipWs(ct, p);
  }
  let value = "";
  if (p < n && ct.charCodeAt(p) == 0x22) {
    // Quoted: up to the closing quote (a backslash escapes the next character).
    let q = p + 1;
    let escapes = false;
    while (q < n && ct.charCodeAt(q) != 0x22) {
      if (ct.charCodeAt(q) == 0x5c && q + 1 < n) {
        escapes = true;
        q++;
      }
      q++;
    }
    if (q >= n) return fail(res, "Multipart: Invalid boundary in C-T (quote).");
    value = escapes ? unescapeQuoted(ct.substring(p + 1, q)) : ct.substring(p + 1, q);
    out.boundaryQuoted = 1;
    p = q + 1;
  } else {
    let q = p;
    while (q < n && ct.charCodeAt(q) != 0x3b && !isWs(ct.charCodeAt(q))) q++;
    value = ct.substring(p, q);
    if (value.includes("\"")) return fail(res, "Multipart: Invalid boundary in C-T (quote).");
    p = q;
  }
  // Only whitespace, or further parameters after a `;`, may follow.
  p = skipWs(ct, p);
  if (p < n && ct.charCodeAt(p) != 0x3b) return fail(res, "Multipart: Invalid boundary in C-T (malformed).");
  if (value.length == 0) return fail(res, "Multipart: Invalid boundary in C-T (empty).");
  if (countBoundaryParams(value) != 0) return fail(res, "Multipart: Invalid boundary in C-T (content).");
  if (!validBoundaryChars(value)) return fail(res, "Multipart: Invalid boundary in C-T (characters).");
  const b = new Uint8Array(value.length);
  for (let i = 0; i < value.length; i++) b[i] = <u8>value.charCodeAt(i);
  res.boundary = b;
  return res;
}

// A quoted-string's content without its backslash escapes.
function unescapeQuoted(s: string): string {
  const parts = new Array<string>();
  let from = 0;
  for (let i = 0; i < s.length; i++) {
    if (s.charCodeAt(i) == 0x5c && i + 1 < s.length) {
      parts.push(s.substring(from, i));
      from = i + 1;
      i++;
    }
  }
  parts.push(s.substring(from));
  return parts.join("");
}

function fail(res: BoundaryResult, msg: string): BoundaryResult {
  res.error = msg;
  return res;
}

// Where a parameter named "boundary" (any case) starts at or after `from`: the word must follow
// white space or ';' and be followed by optional white space and '='. -1 when there is none.
function boundaryParamAt(s: string, from: i32): i32 {
  while (true) {
    const i = indexOfCi(s, "boundary", from);
    if (i < 0) return -1;
    from = i + 8;
    const before = i > 0 ? s.charCodeAt(i - 1) : 0x3b;
    if (before != 0x3b && !isWs(before)) continue;
    if (skipWs(s, i + 8) < s.length && s.charCodeAt(skipWs(s, i + 8)) == 0x3d) return i;
  }
}

// ModSecurity refuses a boundary value containing "boundary" (any case) followed somewhere by '='.
function countBoundaryParams(s: string): i32 {
  let count = 0;
  let from = 0;
  while (true) {
    const i = indexOfCi(s, "boundary", from);
    if (i < 0) return count;
    from = i + 8;
    if (s.indexOf("=", from) >= 0) count++;
  }
}

// RFC 2046 bchars: digits, letters, '()+_,-./:=? and space (not last).
function validBoundaryChars(s: string): bool {
  const n = s.length;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    const ok =
      (c >= 0x30 && c <= 0x39) ||
      (c >= 0x41 && c <= 0x5a) ||
      (c >= 0x61 && c <= 0x7a) ||
      (c == 0x20 && i + 1 < n) ||
      c == 0x27 || c == 0x28 || c == 0x29 || c == 0x2b || c == 0x5f || c == 0x2c || c == 0x2d ||
      c == 0x2e || c == 0x2f || c == 0x3a || c == 0x3d || c == 0x3f;
    if (!ok) return false;
  }
  return true;
}

function isWs(c: i32): bool {
  return c == 0x20 || c == 0x09 || c == 0x0a || c == 0x0d || c == 0x0b || c == 0x0c;
}

function skipWs(s: string, p: i32): i32 {
  while (p < s.length && isWs(s.charCodeAt(p))) p++;
  return p;
}

function lower(c: i32): i32 {
  return c >= 0x41 && c <= 0x5a ? c | 0x20 : c;
}

function startsWithCi(s: string, at: i32, lit: string): bool {
  if (at + lit.length > s.length) return false;
  for (let i = 0; i < lit.length; i++) if (lower(s.charCodeAt(at + i)) != lit.charCodeAt(i)) return false;
  return true;
}

// `lit` must be lower-case.
function indexOfCi(s: string, lit: string, from: i32): i32 {
  const last = s.length - lit.length;
  for (let i = from; i <= last; i++) if (startsWithCi(s, i, lit)) return i;
  return -1;
}
