// A growable byte buffer: the processors build names and values in one reused buffer and copy out
// exactly the bytes each pair needs, so no per-byte allocation happens.
import { Bytes } from "../types";
import { copyBytes } from "../chunk";

export class ByteBuf {
  data: Uint8Array;
  len: i32 = 0;

  constructor(capacity: i32 = 64) {
    this.data = new Uint8Array(capacity < 16 ? 16 : capacity);
  }

  /** Room for `extra` more bytes (doubling, so appends stay linear overall). */
  reserve(extra: i32): void {
    const need = this.len + extra;
    if (need <= this.data.length) return;
    let cap = this.data.length << 1;
    while (cap < need) cap <<= 1;
    const next = new Uint8Array(cap);
    memory.copy(next.dataStart, this.data.dataStart, <usize>this.len);
    this.data = next;
  }

  push(b: u32): void {
    if (this.len == this.data.length) this.reserve(1);
    unchecked((this.data[this.len++] = <u8>b));
  }

  /** Appends src[from, to). */
  pushRange(src: Bytes, from: i32, to: i32): void {
    const n = to - from;
    if (n <= 0) return;
    this.reserve(n);
    memory.copy(this.data.dataStart + <usize>this.len, src.dataStart + <usize>from, <usize>n);
    this.len += n;
  }

  pushString(s: string): void {
    // ASCII only (names such as "json"); other code units are cut to their low byte.
    const n = s.length;
    this.reserve(n);
    for (let i = 0; i < n; i++) unchecked((this.data[this.len++] = <u8>s.charCodeAt(i)));
  }

  /** Appends `n` (>= 0) in decimal. */
  pushDecimal(n: i64): void {
    if (n < 0) {
      this.push(0x2d);
      n = -n;
    }
    let digits = 1;
    for (let t = n; t >= 10; t /= 10) digits++;
    this.reserve(digits);
    let p = this.len + digits;
    this.len = p;
    do {
      unchecked((this.data[--p] = <u8>(0x30 + <i32>(n % 10))));
      n /= 10;
    } while (n > 0);
  }

  /** Appends code point `cp` as UTF-8 (surrogates are written as U+FFFD, as Go does). */
  pushCodePoint(cp: u32): void {
    if ((cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff) cp = 0xfffd;
    if (cp < 0x80) {
      this.push(cp);
    } else if (cp < 0x800) {
      this.push(0xc0 | (cp >> 6));
      this.push(0x80 | (cp & 0x3f));
    } else if (cp < 0x10000) {
      this.push(0xe0 | (cp >> 12));
      this.push(0x80 | ((cp >> 6) & 0x3f));
      this.push(0x80 | (cp & 0x3f));
    } else {
      this.push(0xf0 | (cp >> 18));
      this.push(0x80 | ((cp >> 12) & 0x3f));
      this.push(0x80 | ((cp >> 6) & 0x3f));
      this.push(0x80 | (cp & 0x3f));
    }
  }

  /** A copy of bytes [from, to) (default: everything). */
  copy(from: i32 = 0, to: i32 = -1): Bytes {
    const end = to < 0 ? this.len : to;
    const n = end - from;
    if (n <= 0) return new Uint8Array(0);
    return copyBytes(this.data.dataStart + <usize>from, n);
  }
}

/** A copy of src[from, to). */
export function sliceBytes(src: Bytes, from: i32, to: i32): Bytes {
  const n = to - from;
  const out = new Uint8Array(n < 0 ? 0 : n);
  if (n > 0) memory.copy(out.dataStart, src.dataStart + <usize>from, <usize>n);
  return out;
}
