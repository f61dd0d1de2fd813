// Streaming JSON writer. It inserts commas and colons itself and refuses to produce invalid JSON:
// misuse (a value where a key is due, unbalanced ends), non-finite numbers, lone surrogates and
// invalid UTF-8 set `error` instead of trapping.
import { ByteSink, StringResult, hexDigitUpper } from "../encoding/bytes";
import { utf8InvalidAt } from "../encoding/utf8";
import { JsonValue, JsonKind } from "./value";

const IN_ARRAY: u8 = 0;
const IN_OBJECT: u8 = 1;

/** Deepest JsonValue tree `value()` will write; deeper trees are an error, not a stack overflow. */
export const MAX_WRITE_DEPTH: i32 = 1000;

export class JsonWriter {
  private out: ByteSink;
  private stack: Array<u8> = new Array<u8>();
  private first: bool = true; // no member written yet at this level
  private afterKey: bool = false;
  private done: bool = false; // a complete top-level value was written
  /** First problem found, "" while everything is fine. */
  error: string = "";

  constructor(capacity: i32 = 256) {
    this.out = new ByteSink(capacity);
  }

  get ok(): bool {
    return this.error.length == 0;
  }

  /** True when one complete value was written and every container is closed. */
  get complete(): bool {
    return this.done && this.stack.length == 0;
  }

  private fail(msg: string): void {
    if (this.error.length == 0) this.error = msg;
  }

  // Comma/colon bookkeeping before any value.
  private beforeValue(): void {
    const depth = this.stack.length;
    if (depth == 0) {
      if (this.done) this.fail("second top-level value");
      return;
    }
    if (unchecked(this.stack[depth - 1]) == IN_OBJECT) {
      if (!this.afterKey) this.fail("value in an object without a key");
      this.afterKey = false;
      return;
    }
    if (!this.first) this.out.byte(0x2c);
    this.first = false;
  }

  private afterValue(): void {
    if (this.stack.length == 0) this.done = true;
  }

  beginObject(): JsonWriter {
    this.beforeValue();
    this.out.byte(0x7b);
    this.stack.push(IN_OBJECT);
    this.first = true;
    return this;
  }

  endObject(): JsonWriter {
    const n = this.stack.length;
    if (n == 0 || unchecked(this.stack[n - 1]) != IN_OBJECT || this.afterKey) {
      this.fail("endObject without a matching beginObject");
      return this;
    }
    this.stack.pop();
    this.out.byte(0x7d);
    this.first = false;
    this.afterValue();
    return this;
  }

  beginArray(): JsonWriter {
    this.beforeValue();
    this.out.byte(0x5b);
    this.stack.push(IN_ARRAY);
    this.first = true;
    return this;
  }

  endArray(): JsonWriter {
    const n = this.stack.length;
    if (n == 0 || unchecked(this.stack[n - 1]) != IN_ARRAY) {
      this.fail("endArray without a matching beginArray");
      return this;
    }
    this.stack.pop();
    this.out.byte(0x5d);
    this.first = false;
    this.afterValue();
    return this;
  }

  key(k: string): JsonWriter {
    const n = this.stack.length;
    if (n == 0 || unchecked(this.stack[n - 1]) != IN_OBJECT || this.afterKey) {
      this.fail("key outside an object");
      return this;
    }
    if (!this.first) this.out.byte(0x2c);
    this.first = false;
    this.quoted(k);
    this.out.byte(0x3a);
    this.afterKey = true;
    return this;
  }

  string(s: string): JsonWriter {
    this.beforeValue();
    this.quoted(s);
    this.afterValue();
    return this;
  }

  /** A string given as UTF-8 bytes (e.g. straight from a host buffer); must be valid UTF-8. */
  stringBytes(ptr: usize, len: i32): JsonWriter {
    this.beforeValue();
    if (utf8InvalidAt(ptr, len) >= 0) this.fail("string is not valid UTF-8");
    const out = this.out;
    out.byte(0x22);
    for (let i = 0; i < len; i++) {
      const c = <u32>load<u8>(ptr + <usize>i);
      if (c < 0x20 || c == 0x22 || c == 0x5c) this.escapeAscii(c);
      else out.byte(c);
    }
    out.byte(0x22);
    this.afterValue();
    return this;
  }

  number(n: f64): JsonWriter {
    this.beforeValue();
    if (!isFinite(n)) {
      this.fail("number is not finite");
      this.out.ascii("null");
    } else if (Number.isSafeInteger(n)) {
      this.out.ascii((<i64>n).toString());
    } else {
      this.out.ascii(n.toString());
    }
    this.afterValue();
    return this;
  }

  integer(i: i64): JsonWriter {
    this.beforeValue();
    this.out.ascii(i.toString());
    this.afterValue();
    return this;
  }

  bool(b: bool): JsonWriter {
    this.beforeValue();
    this.out.ascii(b ? "true" : "false");
    this.afterValue();
    return this;
  }

  null(): JsonWriter {
    this.beforeValue();
    this.out.ascii("null");
    this.afterValue();
    return this;
  }

  /** Writes a whole tree. */
  value(v: JsonValue): JsonWriter {
    this.writeValue(v, 0);
    return this;
  }

  private writeValue(v: JsonValue, depth: i32): void {
    if (depth >= MAX_WRITE_DEPTH) {
      this.fail("tree nested deeper than " + MAX_WRITE_DEPTH.toString());
      this.null();
      return;
    }
    switch (v.kind) {
      case JsonKind.Null: this.null(); break;
      case JsonKind.Bool: this.bool(v.bool); break;
      case JsonKind.Number: if (v.isInt) this.integer(v.int); else this.number(v.num); break;
      case JsonKind.String: this.string(v.str); break;
      case JsonKind.Array: {
        this.beginArray();
        const items = v.items!;
        for (let i = 0; i < items.length; i++) this.writeValue(unchecked(items[i]), depth + 1);
        this.endArray();
        break;
      }
      case JsonKind.Object: {
        this.beginObject();
        const items = v.items!;
        const keys = v.keys!;
        for (let i = 0; i < items.length; i++) {
          this.key(unchecked(keys[i]));
          this.writeValue(unchecked(items[i]), depth + 1);
        }
        this.endObject();
        break;
      }
    }
  }

  private escapeAscii(c: u32): void {
    const out = this.out;
    out.byte(0x5c);
    if (c == 0x22 || c == 0x5c) out.byte(c);
    else if (c == 0x0a) out.byte(0x6e);
    else if (c == 0x0d) out.byte(0x72);
    else if (c == 0x09) out.byte(0x74);
    else if (c == 0x08) out.byte(0x62);
    else if (c == 0x0c) out.byte(0x66);
    else {
      out.ascii("u00");
      out.byte(hexDigitUpper(c >> 4));
      out.byte(hexDigitUpper(c & 15));
    }
  }

  // UTF-16 → escaped UTF-8 between quotes.
  private quoted(s: string): void {
    const out = this.out;
    const n = s.length;
    out.ensure(n + 2);
    out.byte(0x22);
    for (let i = 0; i < n; i++) {
      const c = <u32>s.charCodeAt(i);
      if (c < 0x80) {
        if (c < 0x20 || c == 0x22 || c == 0x5c) this.escapeAscii(c);
        else out.byte(c);
      } else if (c < 0x800) {
        out.byte(0xc0 | (c >> 6));
        out.byte(0x80 | (c & 0x3f));
      } else if (c >= 0xd800 && c <= 0xdfff) {
        const lo = i + 1 < n ? <u32>s.charCodeAt(i + 1) : 0;
        if (c > 0xdbff || lo < 0xdc00 || lo > 0xdfff) {
          this.fail("string has a lone surrogate");
          out.ascii("\\uFFFD");
          continue;
        }
        const cp = 0x10000 + ((c - 0xd800) << 10) + (lo - 0xdc00);
        out.byte(0xf0 | (cp >> 18));
        out.byte(0x80 | ((cp >> 12) & 0x3f));
        out.byte(0x80 | ((cp >> 6) & 0x3f));
        out.byte(0x80 | (cp & 0x3f));
        i++;
      } else {
        out.byte(0xe0 | (c >> 12));
        out.byte(0x80 | ((c >> 6) & 0x3f));
        out.byte(0x80 | (c & 0x3f));
      }
    }
    out.byte(0x22);
  }

  /** The JSON text written so far, as UTF-8 bytes. */
  toBytes(): Uint8Array {
    return this.out.toBytes();
  }

  toString(): string {
    return this.out.toString();
  }
}

/** One-call serialisation of a tree; `ok` false (with the reason) if it cannot be valid JSON. */
export function stringifyJson(v: JsonValue): StringResult {
  const w = new JsonWriter();
  w.value(v);
  return w.ok ? StringResult.success(w.toString()) : StringResult.failure(w.error, -1);
}
