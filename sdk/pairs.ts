// Header maps ("pairs") in the host's wire format: u32 count, then (name_len, value_len) per pair,
// then each name and value followed by one 0x00 byte. All integers little-endian.
import { BytesView } from "./bytes";

/** One header (or gRPC metadata entry, or trailer). */
@final export class Header {
  constructor(public name: string, public value: string) {}
}

/** Serialized size of the headers, or -1 when they exceed the host's limits (1024 pairs, 1 MiB). */
function pairsSize(headers: Header[]): i32 {
  const n = headers.length;
  if (n > 1024) return -1;
  let size: i64 = 4 + 8 * <i64>n;
  for (let i = 0; i < n; i++) {
    const h = unchecked(headers[i]);
    size += <i64>String.UTF8.byteLength(h.name) + <i64>String.UTF8.byteLength(h.value) + 2;
  }
  return size > 1 << 20 ? -1 : <i32>size;
}

/** Serializes headers; null when the host would reject them as too large (it would read them as empty). */
export function serializePairs(headers: Header[]): ArrayBuffer | null {
  const size = pairsSize(headers);
  if (size < 0) return null;
  const buf = new ArrayBuffer(size);
  const base = changetype<usize>(buf);
  const n = headers.length;
  store<u32>(base, n);
  let data = base + 4 + 8 * <usize>n;
  for (let i = 0; i < n; i++) {
    const h = unchecked(headers[i]);
    const nl = String.UTF8.encodeUnsafe(changetype<usize>(h.name), h.name.length, data);
    store<u8>(data + nl, 0);
    data += nl + 1;
    const vl = String.UTF8.encodeUnsafe(changetype<usize>(h.value), h.value.length, data);
    store<u8>(data + vl, 0);
    data += vl + 1;
    store<u32>(base + 4 + 8 * <usize>i, <u32>nl);
    store<u32>(base + 8 + 8 * <usize>i, <u32>vl);
  }
  return buf;
}

/**
 * A zero-copy reader over serialized pairs handed over by the host. A malformed block (lengths
 * running past its end) reads as empty rather than trapping.
 */
export class PairsView {
  private n: i32 = 0;
  private offsets: StaticArray<u32>; // start of each name; the value follows name + 1

  constructor(private ptr: usize, private len: i32) {
    let count: i32 = 0;
    if (len >= 4) {
      const n = load<u32>(ptr);
      // Each pair needs at least 10 bytes (two lengths, two terminators).
      if (<u64>n * 10 + 4 <= <u64>len) count = <i32>n;
    }
    this.offsets = new StaticArray<u32>(count);
    let data: u64 = 4 + 8 * <u64>count;
    for (let i = 0; i < count; i++) {
      const nl = <u64>load<u32>(ptr + 4 + 8 * <usize>i);
      const vl = <u64>load<u32>(ptr + 8 + 8 * <usize>i);
      if (data + nl + vl + 2 > <u64>len) { count = 0; break; }
      unchecked(this.offsets[i] = <u32>data);
      data += nl + vl + 2;
    }
    this.n = count;
  }

  /** Number of pairs (0 for a malformed block). */
  get count(): i32 { return this.n; }

  nameAt(i: i32): BytesView {
    if (<u32>i >= <u32>this.count) return new BytesView(0, 0);
    const at = unchecked(this.offsets[i]);
    return new BytesView(this.ptr + at, <i32>load<u32>(this.ptr + 4 + 8 * <usize>i));
  }

  valueAt(i: i32): BytesView {
    if (<u32>i >= <u32>this.count) return new BytesView(0, 0);
    const nl = load<u32>(this.ptr + 4 + 8 * <usize>i);
    return new BytesView(this.ptr + unchecked(this.offsets[i]) + nl + 1, <i32>load<u32>(this.ptr + 8 + 8 * <usize>i));
  }

  /** First value whose name equals `name` byte-wise (names from the host are lower-case). */
  get<T>(name: T): BytesView | null {
    for (let i = 0; i < this.count; i++) if (this.nameAt(i).equals(name)) return this.valueAt(i);
    return null;
  }

  /** Copies every pair into strings. */
  toHeaders(): Header[] {
    const out = new Array<Header>(this.count);
    for (let i = 0; i < this.count; i++) unchecked(out[i] = new Header(this.nameAt(i).toString(), this.valueAt(i).toString()));
    return out;
  }
}
