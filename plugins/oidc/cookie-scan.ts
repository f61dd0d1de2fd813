// Cookie header scanning over raw bytes for the per-request path: find the session chunks' value spans
// and rebuild the header without the plugin's cookies, allocating nothing until an answer is needed.
// Same rules as Envoy's parseCookieValue (and assembly/encoding/cookie.ts, which returns strings):
// split on ';', leading whitespace dropped, pieces without '=' skipped, one pair of '"' stripped,
// first match wins.
import { BytesView } from "../../sdk";

export class Span {
  ptr: usize = 0;
  len: i32 = 0;
  found: bool = false;
}

// @ts-ignore: decorator
@inline
function isSpace(c: u32): bool {
  return c == 0x20 || (c >= 0x09 && c <= 0x0d);
}

/**
 * Index of the first `byte` in [from, len), or len. Sixteen bytes per step: the session cookie's value is
 * about a kilobyte without a ';' in it, and every authenticated request walks it.
 */
function findByte(ptr: usize, from: i32, len: i32, byte: u8): i32 {
  let i = from;
  const needle = i8x16.splat(<i8>byte);
  while (i + 16 <= len) {
    const hits = i8x16.bitmask(i8x16.eq(v128.load(ptr + <usize>i), needle));
    if (hits != 0) return i + <i32>ctz(hits);
    i += 16;
  }
  while (i < len && load<u8>(ptr + <usize>i) != byte) i++;
  return i;
}

/** Piece [start, end) of the header, with its name and value spans; walks ';'-separated pieces. */
class Piece {
  start: i32 = 0;
  end: i32 = 0;
  nameStart: i32 = 0;
  nameEnd: i32 = 0;
  valueStart: i32 = 0;
  valueEnd: i32 = 0;
  hasValue: bool = false;
  next: i32 = 0;

  advance(ptr: usize, len: i32): bool {
    if (this.next >= len) return false;
    let i = this.next;
    const end = findByte(ptr, i, len, 0x3b);
    this.next = end + 1;
    this.end = end;
    while (i < end && isSpace(load<u8>(ptr + <usize>i))) i++;
    this.start = i;
    const eq = findByte(ptr, i, end, 0x3d);
    this.hasValue = eq < end;
    this.nameStart = i;
    this.nameEnd = eq;
    let vs = eq + 1;
    let ve = end;
    if (ve - vs >= 2 && load<u8>(ptr + <usize>vs) == 0x22 && load<u8>(ptr + <usize>(ve - 1)) == 0x22) { vs++; ve--; }
    this.valueStart = vs;
    this.valueEnd = ve;
    return true;
  }
}

// One walker and one output buffer for every request: the per-request path allocates nothing here.
const piece = new Piece();
let rebuilt = new ArrayBuffer(0);

/**
 * One pass over the header for numbered cookies `<stem><digit>` (digit 0..slots-1): the first value of
 * each goes to spans[digit]. Used for the session chunks, so the header is walked once, not per chunk.
 */
export function findNumbered(ptr: usize, len: i32, stem: ArrayBuffer, spans: StaticArray<Span>): void {
  for (let i = 0; i < spans.length; i++) unchecked(spans[i]).found = false;
  const sp = changetype<usize>(stem);
  const sl = stem.byteLength;
  const p = piece;
  p.next = 0;
  while (p.advance(ptr, len)) {
    if (!p.hasValue || p.nameEnd - p.nameStart != sl + 1) continue;
    const d = <i32>load<u8>(ptr + <usize>(p.nameEnd - 1)) - 0x30;
    if (d < 0 || d >= spans.length || memory.compare(ptr + <usize>p.nameStart, sp, <usize>sl) != 0) continue;
    const span = unchecked(spans[d]);
    if (span.found) continue;
    span.ptr = ptr + <usize>p.valueStart;
    span.len = p.valueEnd - p.valueStart;
    span.found = true;
  }
}

/**
 * The header without pieces whose name starts with `prefix`, joined with "; "; null when none is left.
 * The view points into a buffer reused by the next call: hand it to the host at once.
 */
export function withoutPrefixed(ptr: usize, len: i32, prefix: ArrayBuffer): BytesView | null {
  const pp = changetype<usize>(prefix);
  const pl = prefix.byteLength;
  // Kept pieces are at most len - (number of ';') bytes, plus two separator bytes per ';': ≤ 2 × len.
  if (rebuilt.byteLength < len * 2) rebuilt = new ArrayBuffer(len * 2);
  const op = changetype<usize>(rebuilt);
  let w = 0;
  const p = piece;
  p.next = 0;
  while (p.advance(ptr, len)) {
    const n = p.end - p.start;
    if (n <= 0) continue;
    if (p.nameEnd - p.nameStart >= pl && memory.compare(ptr + <usize>p.nameStart, pp, <usize>pl) == 0) continue;
    if (w > 0) { store<u8>(op + <usize>w, 0x3b); store<u8>(op + <usize>w + 1, 0x20); w += 2; }
    memory.copy(op + <usize>w, ptr + <usize>p.start, <usize>n);
    w += n;
  }
  return w == 0 ? null : new BytesView(op, w);
}
