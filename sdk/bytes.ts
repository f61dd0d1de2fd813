// Byte values at the SDK boundary.
//  - BytesView: a zero-copy view of bytes the host handed over; valid until the callback returns.
//  - Bytes arguments: SDK functions taking bytes accept a string (encoded to UTF-8 on each call),
//    an ArrayBuffer (use `utf8()` once at configure time for constants: no per-call work) or a
//    BytesView.

/** A zero-copy view of host-provided bytes. Valid only until the current callback returns. */
export class BytesView {
  constructor(public readonly ptr: usize, public readonly length: i32) {}

  @inline get isEmpty(): bool { return this.length == 0; }

  /** Byte at index i (0 <= i < length), no bounds check beyond the view. */
  at(i: i32): u8 {
    return <u32>i < <u32>this.length ? load<u8>(this.ptr + <usize>i) : 0;
  }

  /** Byte-wise equality with another byte value (string compared as UTF-8 without encoding). */
  equals<T>(other: T): bool { return bytesEqualTo(this.ptr, this.length, other); }

  /** Decodes as UTF-8 (invalid sequences become U+FFFD). Allocates. */
  toString(): string {
    return String.UTF8.decodeUnsafe(this.ptr, <usize>this.length);
  }

  /** Copies into a GC-managed buffer that outlives the callback. */
  toArrayBuffer(): ArrayBuffer {
    const out = new ArrayBuffer(this.length);
    memory.copy(changetype<usize>(out), this.ptr, <usize>this.length);
    return out;
  }

  /** A sub-view [start, end), clamped to this view. */
  slice(start: i32, end: i32 = i32.MAX_VALUE): BytesView {
    const s = min(max(start, 0), this.length);
    const e = min(max(end, s), this.length);
    return new BytesView(this.ptr + <usize>s, e - s);
  }
}

/** UTF-8 encoding of s, e.g. for header names and values prepared once at configure time. */
export function utf8(s: string): ArrayBuffer {
  return String.UTF8.encode(s);
}

/** Lower-case hex of `len` bytes at `ptr`. */
export function hexOf(ptr: usize, len: i32): string {
  if (len <= 0) return "";
  const out = changetype<string>(__new(<usize>len << 2, idof<string>()));
  const o = changetype<usize>(out);
  for (let i = 0; i < len; i++) {
    const b = load<u8>(ptr + <usize>i);
    store<u16>(o + (<usize>i << 2), hexDigit(b >> 4));
    store<u16>(o + (<usize>i << 2) + 2, hexDigit(b & 15));
  }
  return out;
}

/** Decimal text of n, for messages (smaller than the standard library's any-radix formatting). */
export function decimal(n: i32): string {
  let u = n < 0 ? <u32>-n : <u32>n;
  let len = n < 0 ? 2 : 1;
  for (let t = u; t >= 10; t /= 10) len++;
  const out = changetype<string>(__new(<usize>len << 1, idof<string>()));
  const o = changetype<usize>(out);
  if (n < 0) store<u16>(o, 0x2D);
  do {
    store<u16>(o + (<usize>--len << 1), <u16>(0x30 + u % 10));
    u /= 10;
  } while (u != 0);
  return out;
}

@inline function hexDigit(n: u32): u16 { return <u16>(n < 10 ? 0x30 + n : 0x57 + n); }

/** Hex of any byte value. */
export function hex<T>(v: T): string {
  const a = argBytes(v);
  return hexOf(a.ptr, a.len);
}

/** Whether the `len` bytes at `ptr` equal a byte value (a string is compared as UTF-8 without encoding). */
export function bytesEqualTo<T>(ptr: usize, len: i32, other: T): bool {
  if (isString<T>()) return equalsUtf8(ptr, len, changetype<string>(other));
  const a = argBytes(other);
  return len == a.len && memory.compare(ptr, a.ptr, <usize>a.len) == 0;
}

// Compares UTF-8 bytes with a UTF-16 string without allocating (lone surrogates as WTF-8, like String.UTF8.encode).
function equalsUtf8(p: usize, n: i32, s: string): bool {
  const sl = s.length;
  let i = 0;
  for (let j = 0; j < sl; j++) {
    let c = <u32>s.charCodeAt(j);
    if (c >= 0xD800 && c < 0xDC00 && j + 1 < sl) {
      const d = <u32>s.charCodeAt(j + 1);
      if (d >= 0xDC00 && d < 0xE000) { c = 0x10000 + ((c - 0xD800) << 10) + (d - 0xDC00); j++; }
    }
    if (c < 0x80) {
      if (i >= n || load<u8>(p + i) != c) return false;
      i += 1;
    } else if (c < 0x800) {
      if (i + 2 > n || load<u8>(p + i) != (0xC0 | (c >> 6)) || load<u8>(p + i + 1) != (0x80 | (c & 63))) return false;
      i += 2;
    } else if (c < 0x10000) {
      if (i + 3 > n || load<u8>(p + i) != (0xE0 | (c >> 12)) || load<u8>(p + i + 1) != (0x80 | ((c >> 6) & 63))
        || load<u8>(p + i + 2) != (0x80 | (c & 63))) return false;
      i += 3;
    } else {
      if (i + 4 > n || load<u8>(p + i) != (0xF0 | (c >> 18)) || load<u8>(p + i + 1) != (0x80 | ((c >> 12) & 63))
        || load<u8>(p + i + 2) != (0x80 | ((c >> 6) & 63)) || load<u8>(p + i + 3) != (0x80 | (c & 63))) return false;
      i += 4;
    }
  }
  return i == n;
}

/** A (pointer, length) pair for one host-call argument; `keep` holds an encoded string alive. */
@final export class Arg {
  ptr: usize = 0;
  len: i32 = 0;
  keep: ArrayBuffer | null = null;
}

// Argument slots reused by every SDK call (host calls never nest, so three slots are enough).
// @ts-ignore: decorator
@lazy export const ARG_A = new Arg();
// @ts-ignore: decorator
@lazy export const ARG_B = new Arg();
// @ts-ignore: decorator
@lazy export const ARG_C = new Arg();
// @ts-ignore: decorator
@lazy const ARG_TMP = new Arg();

/** Fills `slot` with the bytes of v: string (UTF-8 encoded now), ArrayBuffer, BytesView, Uint8Array, or null (empty). */
export function setArg<T>(slot: Arg, v: T): Arg {
  if (isNullable<T>()) {
    if (v === null) { slot.ptr = 0; slot.len = 0; slot.keep = null; return slot; }
  }
  if (isString<T>()) {
    const b = String.UTF8.encode(changetype<string>(v));
    slot.keep = b; slot.ptr = changetype<usize>(b); slot.len = b.byteLength;
  } else if (v instanceof ArrayBuffer) {
    // byteLength is the object header's size field (read inline: the getter stays a call).
    slot.keep = null; slot.ptr = changetype<usize>(v); slot.len = <i32>load<u32>(changetype<usize>(v) - 4);
  } else if (v instanceof BytesView) {
    slot.keep = null; slot.ptr = changetype<BytesView>(v).ptr; slot.len = changetype<BytesView>(v).length;
  } else if (v instanceof Uint8Array) {
    const u = changetype<Uint8Array>(v);
    slot.keep = u.buffer; slot.ptr = u.dataStart; slot.len = u.byteLength;
  } else {
    ERROR("bytes argument must be a string, ArrayBuffer, BytesView or Uint8Array");
  }
  return slot;
}

/** Bytes of v in a scratch slot, for immediate use only. */
export function argBytes<T>(v: T): Arg { return setArg<T>(ARG_TMP, v); }
