// Byte helpers shared by the transformations. Every transformation returns its input object when nothing
// changed (the engine caches on identity), so most of them scan first and only allocate on a change.
import { Bytes } from '../types';
import { copyBytes } from '../chunk';

/** 0..15 for an ASCII hex digit, -1 otherwise. */
// @ts-ignore: decorator
@inline export function hexVal(c: u32): i32 {
  if (c - 0x30 < 10) return i32(c - 0x30);
  const l = (c | 0x20) - 0x61;
  return l < 6 ? i32(l + 10) : -1;
}

/** The whitespace set of C's isspace(): space, \t \n \v \f \r (what ModSecurity's transformations use). */
export function isSpace(c: u32): bool {
  return c == 0x20 || (c >= 0x09 && c <= 0x0d);
}

export function isDigit(c: u32): bool {
  return c >= 0x30 && c <= 0x39;
}

export function isOctal(c: u32): bool {
  return c >= 0x30 && c <= 0x37;
}

/** The first `n` bytes of a work buffer as the result (a view: no second copy). */
export function take(buf: Bytes, n: i32): Bytes {
  return n == buf.length ? buf : buf.subarray(0, n);
}

/** Index of the first byte `c` at or after `from`, or the length (a plain load per byte: the scans that
 * let most values through unchanged are the hot part of many transformations). */
export function scanTo(b: Bytes, c: u32, from: i32 = 0): i32 {
  const n = b.length;
  const p = b.dataStart;
  let i = from;
  while (i < n && <u32>load<u8>(p + <usize>i) != c) i++;
  return i;
}

/** Index of the first byte >= 0x80, or the length. */
export function scanToHigh(b: Bytes): i32 {
  const n = b.length;
  const p = b.dataStart;
  let i = 0;
  while (i < n && load<u8>(p + <usize>i) < 0x80) i++;
  return i;
}

/** The empty result shared by transformations whose output is empty (results are never written to). */
export const NOTHING: Bytes = new Uint8Array(0);

const SCRATCH_MAX: i32 = 1 << 16;
let scratchBuf: Bytes = new Uint8Array(256);

/**
 * A work buffer of at least `n` bytes, shared: only for a transformation that calls no other one while
 * it writes, and whose result is then copied out with `exact` (one allocation of the right size instead
 * of a buffer and a view). Very large values get a buffer of their own.
 */
export function scratch(n: i32): Bytes {
  if (n > SCRATCH_MAX) return new Uint8Array(n);
  if (scratchBuf.length < n) scratchBuf = new Uint8Array(max(n, scratchBuf.length << 1));
  return scratchBuf;
}

/** The first `n` bytes of a scratch buffer as a result of their own (NOTHING when empty). */
export function exact(buf: Bytes, n: i32): Bytes {
  if (n == 0) return NOTHING;
  if (buf !== scratchBuf) return take(buf, n);
  return copyBytes(buf.dataStart, n);
}

/** Bytes of an ASCII string (for the hash/length transformations that produce text). */
export function ascii(s: string): Bytes {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = u8(s.charCodeAt(i));
  return out;
}

/** Growable byte output for transformations whose result may be longer than the input. */
export class Out {
  buf: Bytes;
  len: i32 = 0;
  constructor(cap: i32) {
    this.buf = new Uint8Array(max(cap, 16));
  }
  push(b: u32): void {
    if (this.len == this.buf.length) this.grow(1);
    unchecked((this.buf[this.len++] = u8(b)));
  }
  grow(extra: i32): void {
    const nb = new Uint8Array(max(this.buf.length * 2, this.len + extra));
    nb.set(this.buf.subarray(0, this.len));
    this.buf = nb;
  }
  bytes(): Bytes {
    return take(this.buf, this.len);
  }
}
