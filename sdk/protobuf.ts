// The little protobuf wire format that host extension functions speak (Envoy's foreign functions take and
// return serialized messages). Only what those messages use: varints and length-delimited fields.
// Not a general protobuf library: no groups, no packed repeated fields, no 64-bit fixed decoding.

const WIRE_VARINT: u32 = 0;
const WIRE_I64: u32 = 1;
const WIRE_LEN: u32 = 2;
const WIRE_I32: u32 = 5;

function varintSize(v: u64): i32 {
  let n = 1;
  while (v >= 0x80) { v >>= 7; n++; }
  return n;
}

/**
 * Builds one message. Fields are written in the order added; proto3 leaves default values out, so empty
 * bytes and zero varints are skipped (what a C++ SerializeToString would produce).
 */
export class ProtoWriter {
  private fields: Array<u32> = new Array<u32>();
  private values: Array<Uint8Array | null> = new Array<Uint8Array | null>();
  private ints: Array<u64> = new Array<u64>();
  private size: i32 = 0;

  /** A `bytes` or `string` field (strings: pass their UTF-8). */
  bytes(field: u32, value: Uint8Array): ProtoWriter {
    if (value.length == 0) return this;
    this.fields.push((field << 3) | WIRE_LEN);
    this.values.push(value);
    this.ints.push(0);
    this.size += varintSize((<u64>field) << 3) + varintSize(<u64>value.length) + value.length;
    return this;
  }

  /** A `string` field, encoded as UTF-8. */
  string(field: u32, value: string): ProtoWriter {
    return this.bytes(field, Uint8Array.wrap(String.UTF8.encode(value)));
  }

  /** A `uint32`/`uint64`/`bool`/enum field. */
  varint(field: u32, value: u64): ProtoWriter {
    if (value == 0) return this;
    this.fields.push((field << 3) | WIRE_VARINT);
    this.values.push(null);
    this.ints.push(value);
    this.size += varintSize((<u64>field) << 3) + varintSize(value);
    return this;
  }

  /** The serialized message. */
  finish(): Uint8Array {
    const out = new Uint8Array(this.size);
    let p = 0;
    for (let i = 0; i < this.fields.length; i++) {
      p = putVarint(out, p, <u64>this.fields[i]);
      const v = this.values[i];
      if (v === null) {
        p = putVarint(out, p, this.ints[i]);
      } else {
        p = putVarint(out, p, <u64>v.length);
        memory.copy(out.dataStart + <usize>p, v.dataStart, <usize>v.length);
        p += v.length;
      }
    }
    return out;
  }
}

function putVarint(out: Uint8Array, p: i32, v: u64): i32 {
  while (v >= 0x80) {
    unchecked(out[p++] = <u8>(v | 0x80));
    v >>= 7;
  }
  unchecked(out[p++] = <u8>v);
  return p;
}

/**
 * Reads a message field by field over raw memory (e.g. a host block), without copying:
 * `while (r.next()) { if (r.field == 1) ... r.varintValue / r.valuePtr, r.valueLen }`.
 * `next()` returns false at the end and on malformed input (then `malformed` is true).
 */
export class ProtoReader {
  field: u32 = 0;
  wireType: u32 = 0;
  varintValue: u64 = 0;
  valuePtr: usize = 0;
  valueLen: i32 = 0;
  malformed: bool = false;
  private pos: usize;
  private end: usize;

  constructor(ptr: usize, len: i32) {
    this.pos = ptr;
    this.end = ptr + <usize>len;
  }

  next(): bool {
    if (this.pos >= this.end) return false;
    const key = this.readVarint();
    if (this.malformed) return false;
    this.field = <u32>(key >> 3);
    this.wireType = <u32>(key & 7);
    if (this.field == 0) return this.fail();
    const wt = this.wireType;
    if (wt == WIRE_VARINT) {
      this.varintValue = this.readVarint();
      return !this.malformed;
    }
    if (wt == WIRE_LEN) {
      const n = this.readVarint();
      if (this.malformed || n > <u64>(this.end - this.pos)) return this.fail();
      this.valuePtr = this.pos;
      this.valueLen = <i32>n;
      this.pos += <usize>n;
      return true;
    }
    const width: usize = wt == WIRE_I64 ? 8 : wt == WIRE_I32 ? 4 : 0;
    if (width == 0 || this.end - this.pos < width) return this.fail();
    this.valuePtr = this.pos;
    this.valueLen = <i32>width;
    this.pos += width;
    return true;
  }

  private readVarint(): u64 {
    let v: u64 = 0;
    for (let shift: u64 = 0; shift < 70; shift += 7) {
      if (this.pos >= this.end) { this.malformed = true; return 0; }
      const b = <u64>load<u8>(this.pos++);
      v |= (b & 0x7F) << shift;
      if (b < 0x80) return v;
    }
    this.malformed = true;
    return 0;
  }

  private fail(): bool {
    this.malformed = true;
    return false;
  }
}
