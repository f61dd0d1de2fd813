// The plaintext layout inside the encrypted cookies: fixed-width integers and length-prefixed byte
// strings, little-endian. Binary rather than JSON so the per-request decode is a few bounds-checked
// loads with no parsing. The reader never trusts a length: a short or inconsistent record reads as bad.
import { ByteSink } from "../../assembly/encoding/bytes";

export class RecordWriter {
  private sink: ByteSink = new ByteSink(256);

  u8(v: u32): RecordWriter { this.sink.byte(v & 0xff); return this; }

  u64(v: u64): RecordWriter {
    for (let i = 0; i < 8; i++) this.sink.byte(<u32>((v >> (<u64>i * 8)) & 0xff));
    return this;
  }

  bytes(b: Uint8Array): RecordWriter {
    const n = <u32>b.length;
    for (let i: u32 = 0; i < 4; i++) this.sink.byte((n >> (i * 8)) & 0xff);
    this.sink.bytes(b.dataStart, b.length);
    return this;
  }

  text(s: string): RecordWriter { return this.bytes(Uint8Array.wrap(String.UTF8.encode(s))); }

  finish(): Uint8Array { return this.sink.buf.slice(0, this.sink.len); }
}

export class RecordReader {
  private pos: i32 = 0;
  /** False once any read ran past the end; every later read returns zero/empty. */
  ok: bool = true;
  /** Where the last `bytes()` field starts in `data` and how long it is (to read it without a copy). */
  at: i32 = 0;
  len: i32 = 0;

  constructor(public data: Uint8Array) {}

  private need(n: i32): bool {
    if (!this.ok || n < 0 || this.pos + n > this.data.length) { this.ok = false; return false; }
    return true;
  }

  u8(): u32 {
    if (!this.need(1)) return 0;
    return <u32>unchecked(this.data[this.pos++]);
  }

  u64(): u64 {
    if (!this.need(8)) return 0;
    const v = load<u64>(this.data.dataStart + <usize>this.pos);
    this.pos += 8;
    return v;
  }

  /** Skips over one length-prefixed field, leaving its place in `at`/`len`. */
  field(): bool {
    if (!this.need(4)) return false;
    const n = <i32>load<u32>(this.data.dataStart + <usize>this.pos);
    this.pos += 4;
    if (!this.need(n)) return false;
    this.at = this.pos;
    this.len = n;
    this.pos += n;
    return true;
  }

  /** The next field as a copied string ("" when bad). */
  text(): string {
    if (!this.field()) return "";
    return String.UTF8.decodeUnsafe(this.data.dataStart + <usize>this.at, <usize>this.len);
  }

  get atEnd(): bool { return this.ok && this.pos == this.data.length; }
}
