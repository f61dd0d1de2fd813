// Byte helpers shared by the transformations. Every transformation returns its input object when nothing
// changed (the engine caches on identity), so most of them scan first and only allocate on a change.
import { Bytes } from '../types';

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
