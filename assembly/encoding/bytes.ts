// Small helpers shared by the encoders: results that carry a reason instead of trapping, and
// conversions between strings and UTF-8 bytes.

/** Bytes or a reason. `at` is the byte offset in the input where the problem was found (-1 if none). */
export class BytesResult {
  constructor(
    public ok: bool,
    public value: Uint8Array,
    public error: string,
    public at: i32,
  ) {}
  static success(value: Uint8Array): BytesResult {
    return new BytesResult(true, value, "", -1);
  }
  static failure(error: string, at: i32): BytesResult {
    return new BytesResult(false, new Uint8Array(0), error, at);
  }
  /** The value as a string (invalid UTF-8 becomes U+FFFD); "" on failure. */
  text(): string {
    return String.UTF8.decodeUnsafe(this.value.dataStart, <usize>this.value.length);
  }
}

/** A string or a reason. */
export class StringResult {
  constructor(
    public ok: bool,
    public value: string,
    public error: string,
    public at: i32,
  ) {}
  static success(value: string): StringResult {
    return new StringResult(true, value, "", -1);
  }
  static failure(error: string, at: i32): StringResult {
    return new StringResult(false, "", error, at);
  }
}

/** UTF-8 bytes of a string (lone surrogates become U+FFFD). */
export function utf8Bytes(s: string): Uint8Array {
  return Uint8Array.wrap(String.UTF8.encode(s));
}

/** String from UTF-8 bytes at `ptr[0..len)` (invalid sequences become U+FFFD). */
export function utf8String(ptr: usize, len: i32): string {
  return String.UTF8.decodeUnsafe(ptr, <usize>len);
}

/** Growable byte buffer; used by encoders that cannot know the output size up front. */
export class ByteSink {
  buf: Uint8Array;
  len: i32 = 0;
  constructor(capacity: i32 = 64) {
    this.buf = new Uint8Array(capacity < 16 ? 16 : capacity);
  }
  // @ts-ignore: decorator
  @inline
  ensure(extra: i32): void {
    if (this.len + extra > this.buf.length) this.grow(this.len + extra);
  }
  grow(need: i32): void {
    let cap = this.buf.length << 1;
    if (cap < need) cap = need;
    const next = new Uint8Array(cap);
    memory.copy(next.dataStart, this.buf.dataStart, <usize>this.len);
    this.buf = next;
  }
  byte(b: u32): void {
    this.ensure(1);
    store<u8>(this.buf.dataStart + <usize>this.len, <u8>b);
    this.len++;
  }
  bytes(ptr: usize, n: i32): void {
    if (n <= 0) return;
    this.ensure(n);
    memory.copy(this.buf.dataStart + <usize>this.len, ptr, <usize>n);
    this.len += n;
  }
  ascii(s: string): void {
    const n = s.length;
    this.ensure(n);
    const base = this.buf.dataStart + <usize>this.len;
    for (let i = 0; i < n; i++) store<u8>(base + <usize>i, <u8>s.charCodeAt(i));
    this.len += n;
  }
  utf8(s: string): void {
    const b = String.UTF8.encode(s);
    this.bytes(changetype<usize>(b), b.byteLength);
  }
  /** A copy of the written bytes. */
  toBytes(): Uint8Array {
    const out = new Uint8Array(this.len);
    memory.copy(out.dataStart, this.buf.dataStart, <usize>this.len);
    return out;
  }
  toString(): string {
    return String.UTF8.decodeUnsafe(this.buf.dataStart, <usize>this.len);
  }
  reset(): void {
    this.len = 0;
  }
}

/** Upper-case hex digit for 0..15. */
// @ts-ignore: decorator
@inline
export function hexDigitUpper(n: u32): u32 {
  return n < 10 ? 48 + n : 55 + n;
}

/** Value of a hex digit, or -1. */
// @ts-ignore: decorator
@inline
export function hexValue(c: u32): i32 {
  if (c - 48 < 10) return <i32>(c - 48);
  const l = c | 0x20;
  if (l - 97 < 6) return <i32>(l - 87);
  return -1;
}
