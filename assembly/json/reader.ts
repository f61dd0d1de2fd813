// Typed access to a parsed config with the JSON path in every error, e.g.
//   "`jwtRules[0].issuer`: expected string, got number".
// Getters never trap: on a problem they record the first error and return a neutral value, so a
// plugin reads every field it needs and checks `reader.ok` once.
import { JsonValue, JsonKind, jsonKindName } from "./value";
import { JsonOptions, parseJsonPtr } from "./parse";

// Shared by a reader and every child made from it: one first-error slot per document.
class ReadState {
  error: string = "";
}

export class JsonReader {
  private constructor(
    /** The value read here (null only when the document failed to parse). */
    public value: JsonValue,
    /** JSON path of this value, "" for the root. */
    public path: string,
    private state: ReadState,
  ) {}

  /** Reader over an already parsed value. */
  static of(value: JsonValue): JsonReader {
    return new JsonReader(value, "", new ReadState());
  }

  /** Parses the bytes; a syntax error becomes the reader's error (as "`$`: <reason> at byte N"). */
  static parsePtr(ptr: usize, len: i32, opts: JsonOptions = new JsonOptions()): JsonReader {
    const res = parseJsonPtr(ptr, len, opts);
    const r = new JsonReader(res.value, "", new ReadState());
    if (!res.ok) r.state.error = "invalid JSON: " + res.message;
    return r;
  }

  static parse(bytes: Uint8Array, opts: JsonOptions = new JsonOptions()): JsonReader {
    return JsonReader.parsePtr(bytes.dataStart, bytes.length, opts);
  }

  static parseString(text: string, opts: JsonOptions = new JsonOptions()): JsonReader {
    const buf = String.UTF8.encode(text);
    return JsonReader.parsePtr(changetype<usize>(buf), buf.byteLength, opts);
  }

  /** True while no error was recorded anywhere in this document. */
  get ok(): bool {
    return this.state.error.length == 0;
  }

  /** The first error recorded, "" if none. */
  get error(): string {
    return this.state.error;
  }

  /** Records an error about this value (first error wins). Returns false for chaining. */
  fail(message: string): bool {
    if (this.state.error.length == 0) this.state.error = "`" + this.displayPath() + "`: " + message;
    return false;
  }

  /** Records an error about member `key` of this object. */
  failAt(key: string, message: string): bool {
    return this.failPath(childPath(this.path, key), message);
  }

  private failPath(path: string, message: string): bool {
    if (this.state.error.length == 0) this.state.error = "`" + path + "`: " + message;
    return false;
  }

  private displayPath(): string {
    return this.path.length == 0 ? "$" : this.path;
  }

  // ---- members of an object ----

  /** True when this is an object with member `key` (a `null` member counts as absent). */
  has(key: string): bool {
    const v = this.value.get(key);
    return v !== null && v.kind != JsonKind.Null;
  }

  /** Required string member. */
  str(key: string): string {
    const v = this.member(key, JsonKind.String, true);
    return v === null ? "" : v.str;
  }

  /** Optional string member; `fallback` when absent or null. */
  optStr(key: string, fallback: string = ""): string {
    const v = this.member(key, JsonKind.String, false);
    return v === null ? fallback : v.str;
  }

  /**
   * String member restricted to `allowed` (enums such as a fail strategy). Required unless a
   * `fallback` is given for when it is absent.
   */
  oneOf(key: string, allowed: Array<string>, fallback: string | null = null): string {
    const v = this.member(key, JsonKind.String, fallback === null);
    if (v === null) return fallback === null ? "" : fallback;
    if (!allowed.includes(v.str)) {
      this.failAt(key, "must be one of " + allowed.join(", ") + ", got \"" + v.str + "\"");
      return fallback === null ? "" : fallback;
    }
    return v.str;
  }

  /** Required number member. */
  num(key: string): f64 {
    const v = this.member(key, JsonKind.Number, true);
    return v === null ? 0 : v.num;
  }

  optNum(key: string, fallback: f64 = 0): f64 {
    const v = this.member(key, JsonKind.Number, false);
    return v === null ? fallback : v.num;
  }

  /** Required integer member within [min, max]. */
  int(key: string, min: i64 = i64.MIN_VALUE, max: i64 = i64.MAX_VALUE): i64 {
    const v = this.member(key, JsonKind.Number, true);
    return v === null ? 0 : this.checkInt(key, v, min, max, 0);
  }

  optInt(key: string, fallback: i64 = 0, min: i64 = i64.MIN_VALUE, max: i64 = i64.MAX_VALUE): i64 {
    const v = this.member(key, JsonKind.Number, false);
    return v === null ? fallback : this.checkInt(key, v, min, max, fallback);
  }

  bool(key: string): bool {
    const v = this.member(key, JsonKind.Bool, true);
    return v === null ? false : v.bool;
  }

  optBool(key: string, fallback: bool = false): bool {
    const v = this.member(key, JsonKind.Bool, false);
    return v === null ? fallback : v.bool;
  }

  /** Required object member; on error an empty object reader (its getters then report nothing new). */
  obj(key: string): JsonReader {
    const v = this.member(key, JsonKind.Object, true);
    return new JsonReader(v === null ? JsonValue.object() : v, childPath(this.path, key), this.state);
  }

  /** Optional object member, null when absent. */
  optObj(key: string): JsonReader | null {
    const v = this.member(key, JsonKind.Object, false);
    return v === null ? null : new JsonReader(v, childPath(this.path, key), this.state);
  }

  /** Required array member: one reader per element (paths like `rules[2]`). */
  arr(key: string): Array<JsonReader> {
    return this.elements(key, this.member(key, JsonKind.Array, true));
  }

  /** Optional array member, [] when absent. */
  optArr(key: string): Array<JsonReader> {
    return this.elements(key, this.member(key, JsonKind.Array, false));
  }

  /** Array of strings (required); reports the first non-string element with its index. */
  strArr(key: string): Array<string> {
    return this.strings(key, this.member(key, JsonKind.Array, true));
  }

  optStrArr(key: string): Array<string> {
    return this.strings(key, this.member(key, JsonKind.Array, false));
  }

  /** Member names of this object in document order (for map-like configs). */
  keys(): Array<string> {
    if (this.value.kind != JsonKind.Object) {
      this.fail("expected object, got " + jsonKindName(this.value.kind));
      return [];
    }
    return this.value.keys!.slice(0);
  }

  /** Reader for member `key` whatever its kind (for map-like configs and unions). */
  child(key: string): JsonReader {
    const v = this.value.get(key);
    return new JsonReader(v === null ? JsonValue.null() : v, childPath(this.path, key), this.state);
  }

  /** Fails on members other than `allowed`, to catch misspelt config fields. */
  allowOnly(allowed: Array<string>): bool {
    if (this.value.kind != JsonKind.Object) return true;
    const keys = this.value.keys!;
    for (let i = 0; i < keys.length; i++) {
      const k = unchecked(keys[i]);
      if (!allowed.includes(k)) return this.failAt(k, "unknown field");
    }
    return true;
  }

  // ---- this value itself (array elements) ----

  get kind(): JsonKind {
    return this.value.kind;
  }

  asStr(): string {
    if (this.value.kind != JsonKind.String) {
      this.fail("expected string, got " + jsonKindName(this.value.kind));
      return "";
    }
    return this.value.str;
  }

  asNum(): f64 {
    if (this.value.kind != JsonKind.Number) {
      this.fail("expected number, got " + jsonKindName(this.value.kind));
      return 0;
    }
    return this.value.num;
  }

  asBool(): bool {
    if (this.value.kind != JsonKind.Bool) {
      this.fail("expected boolean, got " + jsonKindName(this.value.kind));
      return false;
    }
    return this.value.bool;
  }

  // ---- helpers ----

  // The member if present with the right kind; records "required"/"expected" errors.
  private member(key: string, kind: JsonKind, required: bool): JsonValue | null {
    if (this.value.kind != JsonKind.Object) {
      this.fail("expected object, got " + jsonKindName(this.value.kind));
      return null;
    }
    const v = this.value.get(key);
    if (v === null || v.kind == JsonKind.Null) {
      if (required) this.failAt(key, "required " + jsonKindName(kind) + " is missing");
      return null;
    }
    if (v.kind != kind) {
      this.failAt(key, "expected " + jsonKindName(kind) + ", got " + jsonKindName(v.kind));
      return null;
    }
    return v;
  }

  private checkInt(key: string, v: JsonValue, min: i64, max: i64, fallback: i64): i64 {
    let i: i64;
    if (v.isInt) i = v.int;
    else if (Number.isSafeInteger(v.num)) i = <i64>v.num; // 1.0, 1e3
    else {
      this.failAt(key, "expected integer, got " + v.num.toString());
      return fallback;
    }
    if (i < min || i > max) {
      this.failAt(key, "must be between " + min.toString() + " and " + max.toString());
      return fallback;
    }
    return i;
  }

  private elements(key: string, v: JsonValue | null): Array<JsonReader> {
    const out = new Array<JsonReader>();
    if (v === null) return out;
    const items = v.items!;
    const base = childPath(this.path, key);
    for (let i = 0; i < items.length; i++) {
      out.push(new JsonReader(unchecked(items[i]), base + "[" + i.toString() + "]", this.state));
    }
    return out;
  }

  private strings(key: string, v: JsonValue | null): Array<string> {
    const out = new Array<string>();
    if (v === null) return out;
    const items = v.items!;
    for (let i = 0; i < items.length; i++) {
      const it = unchecked(items[i]);
      if (it.kind != JsonKind.String) {
        const at = childPath(this.path, key) + "[" + i.toString() + "]";
        this.failPath(at, "expected string, got " + jsonKindName(it.kind));
        return new Array<string>();
      }
      out.push(it.str);
    }
    return out;
  }
}

// `a.b`, or `a["odd key"]` when the key is not a plain identifier. An empty parent is the root.
function childPath(parent: string, key: string): string {
  if (isIdentifier(key)) return parent.length == 0 ? key : parent + "." + key;
  return parent + "[" + quoteKey(key) + "]";
}

function isIdentifier(k: string): bool {
  const n = k.length;
  if (n == 0) return false;
  for (let i = 0; i < n; i++) {
    const c = k.charCodeAt(i);
    const alpha = (c | 0x20) >= 0x61 && (c | 0x20) <= 0x7a;
    const digit = c >= 0x30 && c <= 0x39;
    if (!(alpha || c == 0x5f || c == 0x24 || c == 0x2d || (digit && i > 0))) return false;
  }
  return true;
}

// Quoted for display; hostile keys are cut so error messages stay short.
function quoteKey(k: string): string {
  const MAX = 64;
  const cut = k.length > MAX;
  const head = cut ? k.substring(0, MAX) : k;
  let s = head.replaceAll("\\", "\\\\").replaceAll("\"", "\\\"");
  return "\"" + s + (cut ? "..." : "") + "\"";
}
