// Where a tag's raw value comes from, and reading it during a request. A read leaves the value's
// bytes in `value` (zero-copy where the host's bytes can be used as they are) and returns whether
// the source had one.
import { BytesView, getProperty, getPropertyInt, propertyPath, requestHeaders, responseHeaders, utf8 } from "../../sdk";
import { PercentOptions, percentDecodePtr } from "../../assembly/encoding";
import { Regex } from "../../assembly/regex";

export enum SourceKind { RequestHeader, ResponseHeader, Method, Path, PathSegment, PathRegex, Query, ResponseCode, ResponseCodeClass, Property }

export class Source {
  name: ArrayBuffer = new ArrayBuffer(0); // header name, query key or encoded property path
  index: i32 = 0; // path segment (negative counts from the end)
  regex: Regex | null = null;
  group: i32 = 0;
  constructor(public readonly kind: SourceKind) {}

  /** Only known once the response has started. */
  get responsePhase(): bool {
    return this.kind == SourceKind.ResponseHeader || this.kind == SourceKind.ResponseCode || this.kind == SourceKind.ResponseCodeClass;
  }
}

export function headerSource(kind: SourceKind, name: string): Source {
  const s = new Source(kind);
  s.name = utf8(name);
  return s;
}

export function propertySource(segments: string[]): Source {
  const s = new Source(SourceKind.Property);
  s.name = propertyPath(segments);
  return s;
}

/** The value of the latest successful read(). */
export class ValueBytes { ptr: usize = 0; len: i32 = 0; keep: Uint8Array | null = null; }
export const value = new ValueBytes();

const PATH = utf8(":path");
const METHOD = utf8(":method");
const STATUS = utf8(":status");
const RESPONSE_CODE = propertyPath(["response", "code"]);
const CLASSES: ArrayBuffer[] = [utf8("1xx"), utf8("2xx"), utf8("3xx"), utf8("4xx"), utf8("5xx")];
const STATUS_DIGITS = new ArrayBuffer(3);
const FORM = PercentOptions.form().lenient();

function set(ptr: usize, len: i32): bool { value.ptr = ptr; value.len = len; return true; }
function setView(v: BytesView | null): bool { return v === null ? false : set(v.ptr, v.length); }
function setBuffer(b: ArrayBuffer): bool { return set(changetype<usize>(b), b.byteLength); }

export function read(s: Source): bool {
  switch (s.kind) {
    case SourceKind.RequestHeader: return setView(requestHeaders.view(s.name));
    case SourceKind.ResponseHeader: return setView(responseHeaders.view(s.name));
    case SourceKind.Method: return setView(requestHeaders.view(METHOD));
    case SourceKind.Property: return setView(getProperty(s.name));
    case SourceKind.ResponseCode: return readStatus(false);
    case SourceKind.ResponseCodeClass: return readStatus(true);
  }
  // The rest look at the path without its query string.
  const p = requestHeaders.view(PATH);
  if (p === null) return false;
  const q = queryStart(p);
  if (s.kind == SourceKind.Path) return set(p.ptr, q);
  if (s.kind == SourceKind.PathSegment) return readSegment(p.ptr, q, s.index);
  if (s.kind == SourceKind.PathRegex) return readCapture(s, p.ptr, q);
  return readQuery(p.ptr + <usize>q, p.length - q, s.name);
}

function queryStart(p: BytesView): i32 {
  for (let i = 0; i < p.length; i++) if (load<u8>(p.ptr + <usize>i) == 0x3F) return i;
  return p.length;
}

// Segments of "/a/b/c" are a, b, c: index 0 is the first, -1 the last.
function readSegment(ptr: usize, len: i32, index: i32): bool {
  let count = 0;
  for (let i = 0; i < len; i++) if (load<u8>(ptr + <usize>i) == 0x2F) count++;
  if (count == 0) return false;
  const want = index >= 0 ? index : count + index;
  if (want < 0 || want >= count) return false;
  let seen = -1;
  let start = 0;
  for (let i = 0; i <= len; i++) {
    if (i == len || load<u8>(ptr + <usize>i) == 0x2F) {
      if (seen == want) return set(ptr + <usize>start, i - start);
      seen++;
      start = i + 1;
    }
  }
  return false;
}

function readCapture(s: Source, ptr: usize, len: i32): bool {
  const re = s.regex!;
  if (!re.capturesBytes(ptr, len)) return false;
  const a = re.slots[2 * s.group];
  const b = re.slots[2 * s.group + 1];
  if (a < 0 || b < a) return false;
  return set(ptr + <usize>a, b - a);
}

// The first `key=value` pair whose key matches byte for byte; the value is form-decoded only when needed.
function readQuery(ptr: usize, len: i32, key: ArrayBuffer): bool {
  if (len <= 0) return false;
  const kp = changetype<usize>(key);
  const kl = key.byteLength;
  let i = 1; // past '?'
  while (i <= len) {
    let end = i;
    while (end < len && load<u8>(ptr + <usize>end) != 0x26) end++;
    let eq = i;
    while (eq < end && load<u8>(ptr + <usize>eq) != 0x3D) eq++;
    if (eq - i == kl && memory.compare(ptr + <usize>i, kp, <usize>kl) == 0) {
      const vs = eq < end ? eq + 1 : end;
      return setDecoded(ptr + <usize>vs, end - vs);
    }
    i = end + 1;
  }
  return false;
}

function setDecoded(ptr: usize, len: i32): bool {
  let plain = true;
  for (let i = 0; i < len; i++) {
    const c = load<u8>(ptr + <usize>i);
    if (c == 0x25 || c == 0x2B) { plain = false; break; }
  }
  if (plain) return set(ptr, len);
  const r = percentDecodePtr(ptr, len, FORM);
  if (!r.ok) return set(ptr, len);
  value.keep = r.value; // keeps the decoded bytes alive while they are used
  return set(r.value.dataStart, r.value.length);
}

// :status in response headers; in on_log after a reply that skipped them, Envoy's response.code.
function readStatus(asClass: bool): bool {
  let code: i32 = 0;
  const v = responseHeaders.view(STATUS);
  if (v !== null) {
    if (v.length != 3) return false;
    for (let i = 0; i < 3; i++) {
      const d = <i32>v.at(i) - 0x30;
      if (d < 0 || d > 9) return false;
      code = code * 10 + d;
    }
  } else {
    const n = getPropertyInt(RESPONSE_CODE);
    if (!n.ok || n.value < 100 || n.value > 999) return false;
    code = <i32>n.value;
  }
  if (asClass) return code >= 100 && code < 600 ? setBuffer(CLASSES[code / 100 - 1]) : false;
  const d = changetype<usize>(STATUS_DIGITS);
  store<u8>(d, <u8>(0x30 + code / 100));
  store<u8>(d + 1, <u8>(0x30 + (code / 10) % 10));
  store<u8>(d + 2, <u8>(0x30 + code % 10));
  return setBuffer(STATUS_DIGITS);
}
