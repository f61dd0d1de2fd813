// A small strict JSON (RFC 8259) reader for plugin configuration: whole-document parse into a tree,
// errors as a message with the byte offset (never a trap). Rejects what Envoy/Istio would never
// send but a typo might produce: trailing commas, comments, control characters in strings,
// invalid UTF-8, lone surrogate escapes, duplicate keys, nesting deeper than 64, trailing bytes.
// Not meant for per-request data: parse once in onConfigure.

import { decimal } from "./bytes";

export enum JsonKind { Null, Bool, Number, String, Array, Object }

export class JsonValue {
  kind: JsonKind = JsonKind.Null;
  bool: bool = false;
  /** The number's source text; parsed on demand by `num` (keeps strtod out of modules that never read numbers). */
  numText: string = "";
  str: string = "";
  items: JsonValue[] = [];  // Array elements
  keys: string[] = [];      // Object keys, in document order
  values: JsonValue[] = []; // Object values, parallel to keys

  /** The number's value (0 when not a number). */
  get num(): f64 { return this.kind == JsonKind.Number ? parseFloat(this.numText) : 0; }

  get isNull(): bool { return this.kind == JsonKind.Null; }
  get isBool(): bool { return this.kind == JsonKind.Bool; }
  get isNumber(): bool { return this.kind == JsonKind.Number; }
  get isString(): bool { return this.kind == JsonKind.String; }
  get isArray(): bool { return this.kind == JsonKind.Array; }
  get isObject(): bool { return this.kind == JsonKind.Object; }

  /** Member `key` of an object; null when absent or not an object. */
  get(key: string): JsonValue | null {
    if (this.kind != JsonKind.Object) return null;
    for (let i = 0; i < this.keys.length; i++) if (unchecked(this.keys[i]) == key) return unchecked(this.values[i]);
    return null;
  }

  /** True when the number is an integer within [min, max]. */
  isIntegerIn(min: f64, max: f64): bool {
    if (this.kind != JsonKind.Number) return false;
    const n = this.num;
    return Math.floor(n) == n && n >= min && n <= max;
  }
}

export class JsonResult {
  constructor(public value: JsonValue | null, public error: string) {}
  get ok(): bool { return this.value !== null; }
}

const MAX_DEPTH = 64;

class Parser {
  pos: i32 = 0;
  error: string = "";
  constructor(public ptr: usize, public len: i32) {}

  fail(msg: string): JsonValue | null {
    if (this.error.length == 0) this.error = msg + " at byte " + decimal(this.pos);
    return null;
  }

  @inline peek(): i32 { return this.pos < this.len ? <i32>load<u8>(this.ptr + <usize>this.pos) : -1; }

  ws(): void {
    while (this.pos < this.len) {
      const c = load<u8>(this.ptr + <usize>this.pos);
      if (c != 0x20 && c != 0x09 && c != 0x0A && c != 0x0D) break;
      this.pos++;
    }
  }

  literal(word: string, v: JsonValue): JsonValue | null {
    for (let i = 0; i < word.length; i++) {
      if (this.peek() != word.charCodeAt(i)) return this.fail("invalid literal");
      this.pos++;
    }
    return v;
  }

  value(depth: i32): JsonValue | null {
    if (depth > MAX_DEPTH) return this.fail("nesting too deep");
    this.ws();
    const c = this.peek();
    const v = new JsonValue();
    if (c == 0x7B) return this.object(depth, v);
    if (c == 0x5B) return this.array(depth, v);
    if (c == 0x22) {
      const s = this.string();
      if (s === null) return null;
      v.kind = JsonKind.String; v.str = s;
      return v;
    }
    if (c == 0x74) { v.kind = JsonKind.Bool; v.bool = true; return this.literal("true", v); }
    if (c == 0x66) { v.kind = JsonKind.Bool; return this.literal("false", v); }
    if (c == 0x6E) return this.literal("null", v);
    if (c == 0x2D || (c >= 0x30 && c <= 0x39)) return this.number(v);
    return this.fail(c < 0 ? "unexpected end of input" : "unexpected character");
  }

  object(depth: i32, v: JsonValue): JsonValue | null {
    v.kind = JsonKind.Object;
    this.pos++;
    this.ws();
    if (this.peek() == 0x7D) { this.pos++; return v; }
    while (true) {
      this.ws();
      if (this.peek() != 0x22) return this.fail("expected a string key");
      const k = this.string();
      if (k === null) return null;
      for (let i = 0; i < v.keys.length; i++) if (v.keys[i] == k) return this.fail("duplicate key \"" + k + "\"");
      this.ws();
      if (this.peek() != 0x3A) return this.fail("expected ':'");
      this.pos++;
      const m = this.value(depth + 1);
      if (m === null) return null;
      v.keys.push(k); v.values.push(m);
      this.ws();
      const c = this.peek();
      this.pos++;
      if (c == 0x7D) return v;
      if (c != 0x2C) { this.pos--; return this.fail("expected ',' or '}'"); }
    }
  }

  array(depth: i32, v: JsonValue): JsonValue | null {
    v.kind = JsonKind.Array;
    this.pos++;
    this.ws();
    if (this.peek() == 0x5D) { this.pos++; return v; }
    while (true) {
      const m = this.value(depth + 1);
      if (m === null) return null;
      v.items.push(m);
      this.ws();
      const c = this.peek();
      this.pos++;
      if (c == 0x5D) return v;
      if (c != 0x2C) { this.pos--; return this.fail("expected ',' or ']'"); }
    }
  }

  digits(): i32 {
    const start = this.pos;
    while (this.peek() >= 0x30 && this.peek() <= 0x39) this.pos++;
    return this.pos - start;
  }

  number(v: JsonValue): JsonValue | null {
    const start = this.pos;
    if (this.peek() == 0x2D) this.pos++;
    if (this.peek() == 0x30) this.pos++;
    else if (this.digits() == 0) return this.fail("invalid number");
    if (this.peek() == 0x2E) { this.pos++; if (this.digits() == 0) return this.fail("invalid number"); }
    if (this.peek() == 0x65 || this.peek() == 0x45) {
      this.pos++;
      if (this.peek() == 0x2B || this.peek() == 0x2D) this.pos++;
      if (this.digits() == 0) return this.fail("invalid number");
    }
    v.kind = JsonKind.Number;
    v.numText = String.UTF8.decodeUnsafe(this.ptr + <usize>start, <usize>(this.pos - start));
    return v;
  }

  hex4(): i32 {
    if (this.pos + 4 > this.len) return -1;
    let r = 0;
    for (let i = 0; i < 4; i++) {
      const c = <i32>load<u8>(this.ptr + <usize>this.pos);
      this.pos++;
      let d: i32;
      if (c >= 0x30 && c <= 0x39) d = c - 0x30;
      else if (c >= 0x61 && c <= 0x66) d = c - 0x57;
      else if (c >= 0x41 && c <= 0x46) d = c - 0x37;
      else return -1;
      r = (r << 4) | d;
    }
    return r;
  }

  // Reads one escape after the backslash at this.pos - 1; returns the code point or -1 (error set).
  escape(): i32 {
    const e = this.peek();
    this.pos++;
    if (e == 0x22 || e == 0x5C || e == 0x2F) return e;
    if (e == 0x62) return 8;
    if (e == 0x66) return 12;
    if (e == 0x6E) return 10;
    if (e == 0x72) return 13;
    if (e == 0x74) return 9;
    if (e != 0x75) { this.pos--; this.fail("invalid escape"); return -1; }
    const u = this.hex4();
    if (u < 0) { this.fail("invalid \\u escape"); return -1; }
    if (u >= 0xDC00 && u < 0xE000) { this.fail("lone surrogate escape"); return -1; }
    if (u < 0xD800 || u >= 0xDC00) return u;
    if (this.peek() != 0x5C || this.pos + 1 >= this.len || load<u8>(this.ptr + <usize>this.pos + 1) != 0x75) {
      this.fail("lone surrogate escape"); return -1;
    }
    this.pos += 2;
    const lo = this.hex4();
    if (lo < 0xDC00 || lo >= 0xE000) { this.fail("lone surrogate escape"); return -1; }
    return 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
  }

  // Validates a string (UTF-8, escapes, no control characters), then decodes it. Strings without
  // escapes are decoded straight from the input; others are first unescaped into UTF-8.
  string(): string | null {
    this.pos++; // opening quote
    const start = this.pos;
    let escaped = false;
    while (true) {
      if (this.pos >= this.len) { this.fail("unterminated string"); return null; }
      const c = <i32>load<u8>(this.ptr + <usize>this.pos);
      if (c == 0x22) break;
      if (c < 0x20) { this.fail("control character in string"); return null; }
      if (c == 0x5C) {
        escaped = true;
        this.pos++;
        if (this.escape() < 0) return null;
        continue;
      }
      if (c < 0x80) { this.pos++; continue; }
      // Multi-byte UTF-8: no overlongs, no surrogates, at most U+10FFFF.
      let need = 0; let cp = 0; let minCp = 0;
      if (c >= 0xC2 && c <= 0xDF) { need = 1; cp = c & 0x1F; minCp = 0x80; }
      else if (c >= 0xE0 && c <= 0xEF) { need = 2; cp = c & 0x0F; minCp = 0x800; }
      else if (c >= 0xF0 && c <= 0xF4) { need = 3; cp = c & 0x07; minCp = 0x10000; }
      else { this.fail("invalid UTF-8"); return null; }
      if (this.pos + need >= this.len) { this.fail("invalid UTF-8"); return null; }
      for (let i = 1; i <= need; i++) {
        const b = <i32>load<u8>(this.ptr + <usize>(this.pos + i));
        if ((b & 0xC0) != 0x80) { this.fail("invalid UTF-8"); return null; }
        cp = (cp << 6) | (b & 0x3F);
      }
      if (cp < minCp || cp > 0x10FFFF || (cp >= 0xD800 && cp < 0xE000)) { this.fail("invalid UTF-8"); return null; }
      this.pos += need + 1;
    }
    const end = this.pos;
    this.pos++; // closing quote
    if (!escaped) return String.UTF8.decodeUnsafe(this.ptr + <usize>start, <usize>(end - start));
    // Unescaped UTF-8 is never longer than its escaped form.
    const buf = heap.alloc(<usize>(end - start));
    let w: usize = 0;
    this.pos = start;
    while (this.pos < end) {
      const c = load<u8>(this.ptr + <usize>this.pos);
      this.pos++;
      if (c != 0x5C) { store<u8>(buf + w++, c); continue; }
      // An escape: write its code point as UTF-8 (n continuation bytes after the lead byte).
      const cp = <u32>this.escape();
      if (cp < 0x80) { store<u8>(buf + w++, <u8>cp); continue; }
      const n: u32 = cp < 0x800 ? 1 : cp < 0x10000 ? 2 : 3;
      store<u8>(buf + w++, <u8>((0xFF00 >> (n + 1)) | (cp >> (6 * n))));
      for (let k = <i32>n - 1; k >= 0; k--) store<u8>(buf + w++, <u8>(0x80 | ((cp >> (6 * <u32>k)) & 63)));
    }
    this.pos = end + 1;
    const out = String.UTF8.decodeUnsafe(buf, w);
    heap.free(buf);
    return out;
  }
}

/** Parses `len` UTF-8 bytes at `ptr` as one JSON document. */
export function parseJsonBytes(ptr: usize, len: i32): JsonResult {
  const p = new Parser(ptr, len);
  const v = p.value(0);
  if (v === null) return new JsonResult(null, p.error);
  p.ws();
  if (p.pos != len) { p.fail("unexpected data after the document"); return new JsonResult(null, p.error); }
  return new JsonResult(v, "");
}

/** Parses a JSON document held in a string. */
export function parseJson(text: string): JsonResult {
  const b = String.UTF8.encode(text);
  return parseJsonBytes(changetype<usize>(b), b.byteLength);
}
