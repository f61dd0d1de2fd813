// The JSON tree: one class for every kind, so walking a config needs no casts.

export enum JsonKind {
  Null = 0,
  Bool = 1,
  Number = 2,
  String = 3,
  Array = 4,
  Object = 5,
}

export function jsonKindName(k: JsonKind): string {
  switch (k) {
    case JsonKind.Null: return "null";
    case JsonKind.Bool: return "boolean";
    case JsonKind.Number: return "number";
    case JsonKind.String: return "string";
    case JsonKind.Array: return "array";
    case JsonKind.Object: return "object";
  }
  return "?";
}

// Objects with more members than this get a hash index, so lookups and duplicate checks on
// hostile documents with many keys stay linear overall.
const INDEX_FROM: i32 = 32;

export class JsonValue {
  kind: JsonKind = JsonKind.Null;
  bool: bool = false;
  num: f64 = 0;
  /** True when the literal had no fraction/exponent and fits i64 exactly (see `int`). */
  isInt: bool = false;
  int: i64 = 0;
  str: string = "";
  /** Array elements, or object member values (parallel to `keys`). */
  items: Array<JsonValue> | null = null;
  /** Object member names in document order. */
  keys: Array<string> | null = null;
  private index: Map<string, i32> | null = null;

  static null(): JsonValue {
    return new JsonValue();
  }
  static boolean(b: bool): JsonValue {
    const v = new JsonValue();
    v.kind = JsonKind.Bool;
    v.bool = b;
    return v;
  }
  static number(n: f64): JsonValue {
    const v = new JsonValue();
    v.kind = JsonKind.Number;
    v.num = n;
    if (Number.isSafeInteger(n)) {
      v.isInt = true;
      v.int = <i64>n;
    }
    return v;
  }
  static integer(i: i64): JsonValue {
    const v = new JsonValue();
    v.kind = JsonKind.Number;
    v.num = <f64>i;
    v.isInt = true;
    v.int = i;
    return v;
  }
  static string(s: string): JsonValue {
    const v = new JsonValue();
    v.kind = JsonKind.String;
    v.str = s;
    return v;
  }
  static array(): JsonValue {
    const v = new JsonValue();
    v.kind = JsonKind.Array;
    v.items = new Array<JsonValue>();
    return v;
  }
  static object(): JsonValue {
    const v = new JsonValue();
    v.kind = JsonKind.Object;
    v.items = new Array<JsonValue>();
    v.keys = new Array<string>();
    return v;
  }

  get isNull(): bool { return this.kind == JsonKind.Null; }
  get isBool(): bool { return this.kind == JsonKind.Bool; }
  get isNumber(): bool { return this.kind == JsonKind.Number; }
  get isString(): bool { return this.kind == JsonKind.String; }
  get isArray(): bool { return this.kind == JsonKind.Array; }
  get isObject(): bool { return this.kind == JsonKind.Object; }

  /** Number of array elements or object members; 0 for scalars. */
  get length(): i32 {
    const items = this.items;
    return items === null ? 0 : items.length;
  }

  /** Array element `i`, or null when out of range or not an array. */
  at(i: i32): JsonValue | null {
    if (this.kind != JsonKind.Array) return null;
    const items = this.items!;
    if (i < 0 || i >= items.length) return null;
    return unchecked(items[i]);
  }

  /** Member `key` of an object (the last one if the document repeated it), or null. */
  get(key: string): JsonValue | null {
    const i = this.indexOf(key);
    return i < 0 ? null : unchecked(this.items![i]);
  }

  has(key: string): bool {
    return this.indexOf(key) >= 0;
  }

  /** Position of member `key` in `keys`/`items`, or -1. */
  indexOf(key: string): i32 {
    if (this.kind != JsonKind.Object) return -1;
    const keys = this.keys!;
    const n = keys.length;
    if (n > INDEX_FROM) {
      const idx = this.ensureIndex();
      return idx.has(key) ? idx.get(key) : -1;
    }
    for (let i = n - 1; i >= 0; i--) if (unchecked(keys[i]) == key) return i;
    return -1;
  }

  /** Appends to an array; ignored for other kinds. */
  push(v: JsonValue): JsonValue {
    if (this.kind == JsonKind.Array) this.items!.push(v);
    return this;
  }

  /**
   * Adds member `key` to an object, keeping document order. Returns false (and still adds) when
   * the key was already present, so the parser can reject duplicates when asked.
   */
  set(key: string, v: JsonValue): bool {
    if (this.kind != JsonKind.Object) return false;
    const keys = this.keys!;
    const dup = this.indexOf(key) >= 0;
    keys.push(key);
    this.items!.push(v);
    const idx = this.index;
    if (idx !== null) idx.set(key, keys.length - 1);
    return !dup;
  }

  /**
   * Appends member `key` without looking for an earlier one (the parser checks duplicates itself
   * only when asked, so building big objects stays linear).
   */
  append(key: string, v: JsonValue): void {
    if (this.kind != JsonKind.Object) return;
    const keys = this.keys!;
    keys.push(key);
    this.items!.push(v);
    const idx = this.index;
    if (idx !== null) idx.set(key, keys.length - 1);
  }

  private ensureIndex(): Map<string, i32> {
    let idx = this.index;
    if (idx === null) {
      idx = new Map<string, i32>();
      const keys = this.keys!;
      for (let i = 0; i < keys.length; i++) idx.set(unchecked(keys[i]), i);
      this.index = idx;
    }
    return idx;
  }
}
