// Fast path for reading a few top-level members (e.g. JWT claims `exp`, `iss`, `aud`) from a
// document without building a tree. The whole document is still validated strictly; unrelated
// members are skipped in place with no allocation. Build one scanner at configure time and reuse
// it for every request.
import { JsonErrorCode, JsonError, jsonErrorReason } from "./error";
import { JsonKind } from "./value";
import { Lexer } from "./lexer";
import { utf8Len } from "../encoding/utf8";

const ABSENT: i32 = -1;

export class ClaimScanner {
  private names: Array<Uint8Array> = new Array<Uint8Array>();
  private lx: Lexer = new Lexer();
  private sub: Lexer = new Lexer(); // for walking a recorded array span
  private nest: StaticArray<u8>;
  // Per requested name: what was found in the last scan.
  private kinds: StaticArray<i32>;
  private starts: StaticArray<usize>; // raw span: string content, number text, or whole container
  private ends: StaticArray<usize>;
  private escaped: StaticArray<bool>;
  private units: StaticArray<i32>;
  private nums: StaticArray<f64>;
  private ints: StaticArray<i64>;
  private intOk: StaticArray<bool>;
  private bools: StaticArray<bool>;

  /** Nesting limit for skipped values (the top-level object counts as 1). */
  maxDepth: i32;
  /** Largest document accepted, in bytes. */
  maxBytes: i32;
  /** Error of the last scan (code None when it succeeded). */
  errorCode: JsonErrorCode = JsonErrorCode.None;
  errorOffset: i32 = 0;

  constructor(names: Array<string>, maxDepth: i32 = 32, maxBytes: i32 = 64 * 1024) {
    const n = names.length;
    const depth = maxDepth < 1 ? 1 : maxDepth > 65536 ? 65536 : maxDepth; // one byte of stack per level
    this.nest = new StaticArray<u8>(depth);
    this.kinds = new StaticArray<i32>(n);
    this.starts = new StaticArray<usize>(n);
    this.ends = new StaticArray<usize>(n);
    this.escaped = new StaticArray<bool>(n);
    this.units = new StaticArray<i32>(n);
    this.nums = new StaticArray<f64>(n);
    this.ints = new StaticArray<i64>(n);
    this.intOk = new StaticArray<bool>(n);
    this.bools = new StaticArray<bool>(n);
    this.maxDepth = depth;
    this.maxBytes = maxBytes;
    for (let i = 0; i < n; i++) this.names.push(Uint8Array.wrap(String.UTF8.encode(unchecked(names[i]))));
  }

  /** Index of `name` as given to the constructor, or -1. */
  indexOf(name: string): i32 {
    const b = String.UTF8.encode(name);
    for (let i = 0; i < this.names.length; i++) {
      const nb = unchecked(this.names[i]);
      if (nb.length == b.byteLength && memory.compare(nb.dataStart, changetype<usize>(b), <usize>nb.length) == 0)
        return i;
    }
    return -1;
  }

  get ok(): bool {
    return this.errorCode == JsonErrorCode.None;
  }

  /** e.g. "duplicate key at byte 40"; "" after a successful scan. */
  get error(): string {
    if (this.errorCode == JsonErrorCode.None) return "";
    return jsonErrorReason(this.errorCode) + " at byte " + this.errorOffset.toString();
  }

  toError(): JsonError {
    return new JsonError(this.errorCode, this.errorOffset);
  }

  scanBytes(bytes: Uint8Array): bool {
    return this.scan(bytes.dataStart, bytes.length);
  }

  /**
   * Scans a JSON object at ptr[0..len). Returns false (see `error`) if the document is not a
   * valid JSON object within the limits, or repeats a requested name.
   * The recorded spans point into the input: read values before the buffer is freed.
   */
  scan(ptr: usize, len: i32): bool {
    const lx = this.lx;
    if (len < 0) len = 0;
    lx.reset(ptr, len);
    for (let i = 0; i < this.kinds.length; i++) unchecked((this.kinds[i] = ABSENT));
    const ok = len > this.maxBytes ? lx.fail(JsonErrorCode.TooLarge, ptr + <usize>this.maxBytes) : this.scanObject();
    this.errorCode = lx.code;
    this.errorOffset = lx.errorOffset;
    return ok && lx.code == JsonErrorCode.None;
  }

  private scanObject(): bool {
    const lx = this.lx;
    lx.skipWs();
    const c = lx.peek();
    if (c != 0x7b) return lx.fail(c < 0 ? JsonErrorCode.UnexpectedEnd : JsonErrorCode.NotAnObject, lx.pos);
    lx.pos++;
    lx.skipWs();
    if (lx.peek() == 0x7d) {
      lx.pos++;
    } else {
      while (true) {
        lx.skipWs();
        const q = lx.peek();
        if (q != 0x22) return lx.fail(q < 0 ? JsonErrorCode.UnexpectedEnd : JsonErrorCode.ExpectedKey, lx.pos);
        const keyAt = lx.pos;
        if (!lx.scanString()) return false;
        const idx = this.match();
        lx.skipWs();
        const colon = lx.peek();
        if (colon != 0x3a) return lx.fail(colon < 0 ? JsonErrorCode.UnexpectedEnd : JsonErrorCode.ExpectedColon, lx.pos);
        lx.pos++;
        lx.skipWs();
        if (idx >= 0) {
          // A repeated claim is ambiguous (RFC 7519 §4): refuse rather than pick one.
          if (unchecked(this.kinds[idx]) != ABSENT) return lx.fail(JsonErrorCode.DuplicateKey, keyAt);
          if (!this.record(idx)) return false;
        } else if (!this.skipValue(1)) {
          return false;
        }
        lx.skipWs();
        const d = lx.peek();
        if (d == 0x2c) {
          lx.pos++;
          lx.skipWs();
          if (lx.peek() == 0x7d) return lx.fail(JsonErrorCode.TrailingComma, lx.pos);
          continue;
        }
        if (d == 0x7d) {
          lx.pos++;
          break;
        }
        return lx.fail(d < 0 ? JsonErrorCode.UnexpectedEnd : JsonErrorCode.UnexpectedChar, lx.pos);
      }
    }
    lx.skipWs();
    if (lx.pos < lx.end) return lx.fail(JsonErrorCode.TrailingData, lx.pos);
    return true;
  }

  // Which requested name the key just scanned is, or -1. No allocation.
  private match(): i32 {
    const lx = this.lx;
    for (let i = 0; i < this.names.length; i++) {
      const nb = unchecked(this.names[i]);
      if (rawEquals(lx, lx.strStart, lx.strEnd, lx.strHasEscape, nb.dataStart, nb.length)) return i;
    }
    return -1;
  }

  // Records the value at pos for name `i`.
  private record(i: i32): bool {
    const lx = this.lx;
    const c = lx.peek();
    const start = lx.pos;
    if (c == 0x22) {
      if (!lx.scanString()) return false;
      unchecked((this.kinds[i] = JsonKind.String));
      unchecked((this.starts[i] = lx.strStart));
      unchecked((this.ends[i] = lx.strEnd));
      unchecked((this.escaped[i] = lx.strHasEscape));
      unchecked((this.units[i] = lx.strUnits));
      return true;
    }
    if (c == 0x2d || (c >= 0x30 && c <= 0x39)) {
      if (!lx.scanNumber()) return false;
      unchecked((this.kinds[i] = JsonKind.Number));
      unchecked((this.nums[i] = lx.numValue));
      unchecked((this.ints[i] = lx.numInt));
      unchecked((this.intOk[i] = lx.numIntOk));
    } else if (c == 0x74 || c == 0x66) {
      if (!lx.literal(c == 0x74 ? "true" : "false")) return false;
      unchecked((this.kinds[i] = JsonKind.Bool));
      unchecked((this.bools[i] = c == 0x74));
    } else if (c == 0x6e) {
      if (!lx.literal("null")) return false;
      unchecked((this.kinds[i] = JsonKind.Null));
    } else if (c == 0x7b || c == 0x5b) {
      if (!this.skipValue(1)) return false;
      unchecked((this.kinds[i] = c == 0x7b ? JsonKind.Object : JsonKind.Array));
    } else {
      return lx.fail(c < 0 ? JsonErrorCode.UnexpectedEnd : JsonErrorCode.UnexpectedChar, lx.pos);
    }
    unchecked((this.starts[i] = start));
    unchecked((this.ends[i] = lx.pos));
    return true;
  }

  // Validates and skips one value at pos. `depth` = containers already open around it.
  private skipValue(depth: i32): bool {
    const lx = this.lx;
    const nest = this.nest;
    let open = 0; // containers opened by this call
    while (true) {
      lx.skipWs();
      const c = lx.peek();
      let opened = false;
      if (c == 0x7b || c == 0x5b) {
        if (depth + open >= this.maxDepth) return lx.fail(JsonErrorCode.TooDeep, lx.pos);
        unchecked((nest[open] = <u8>c));
        open++;
        lx.pos++;
        lx.skipWs();
        const close = c == 0x7b ? 0x7d : 0x5d;
        if (lx.peek() == close) {
          lx.pos++;
          open--;
        } else {
          if (c == 0x7b && !this.skipKey()) return false;
          opened = true;
        }
      } else if (c == 0x22) {
        if (!lx.scanString()) return false;
      } else if (c == 0x2d || (c >= 0x30 && c <= 0x39)) {
        if (!lx.scanNumber(false)) return false;
      } else if (c == 0x74) {
        if (!lx.literal("true")) return false;
      } else if (c == 0x66) {
        if (!lx.literal("false")) return false;
      } else if (c == 0x6e) {
        if (!lx.literal("null")) return false;
      } else {
        return lx.fail(c < 0 ? JsonErrorCode.UnexpectedEnd : JsonErrorCode.UnexpectedChar, lx.pos);
      }
      if (opened) continue; // read the first member of the new container
      // After a value: separators and closers of the containers we opened.
      let next = false;
      while (open > 0) {
        lx.skipWs();
        const top = <i32>unchecked(nest[open - 1]);
        const close = top == 0x7b ? 0x7d : 0x5d;
        const d = lx.peek();
        if (d == 0x2c) {
          lx.pos++;
          lx.skipWs();
          if (lx.peek() == close) return lx.fail(JsonErrorCode.TrailingComma, lx.pos);
          if (top == 0x7b && !this.skipKey()) return false;
          next = true;
          break;
        }
        if (d == close) {
          lx.pos++;
          open--;
          continue;
        }
        return lx.fail(d < 0 ? JsonErrorCode.UnexpectedEnd : JsonErrorCode.UnexpectedChar, lx.pos);
      }
      if (!next) return true;
    }
    return false; // not reached: the loop only exits by return
  }

  private skipKey(): bool {
    const lx = this.lx;
    lx.skipWs();
    const q = lx.peek();
    if (q != 0x22) return lx.fail(q < 0 ? JsonErrorCode.UnexpectedEnd : JsonErrorCode.ExpectedKey, lx.pos);
    if (!lx.scanString()) return false;
    lx.skipWs();
    const d = lx.peek();
    if (d != 0x3a) return lx.fail(d < 0 ? JsonErrorCode.UnexpectedEnd : JsonErrorCode.ExpectedColon, lx.pos);
    lx.pos++;
    return true;
  }

  // ---- results of the last successful scan; `i` is the index of the name ----

  has(i: i32): bool {
    return i >= 0 && i < this.kinds.length && unchecked(this.kinds[i]) != ABSENT;
  }

  /** Kind of the value found for name `i`; -1 when absent. */
  kind(i: i32): i32 {
    return i >= 0 && i < this.kinds.length ? unchecked(this.kinds[i]) : ABSENT;
  }

  isString(i: i32): bool { return this.kind(i) == JsonKind.String; }
  isNumber(i: i32): bool { return this.kind(i) == JsonKind.Number; }

  /** Numeric value (0 unless the value is a number). */
  num(i: i32): f64 {
    return this.kind(i) == JsonKind.Number ? unchecked(this.nums[i]) : 0;
  }

  /** True when the value is an integer literal that fits i64 (then `int` is exact). */
  isInt(i: i32): bool {
    return this.kind(i) == JsonKind.Number && unchecked(this.intOk[i]);
  }

  int(i: i32): i64 {
    return this.isInt(i) ? unchecked(this.ints[i]) : 0;
  }

  bool(i: i32): bool {
    return this.kind(i) == JsonKind.Bool && unchecked(this.bools[i]);
  }

  /** The string value (allocates); "" unless the value is a string. */
  str(i: i32): string {
    if (this.kind(i) != JsonKind.String) return "";
    const lx = this.sub;
    lx.strStart = unchecked(this.starts[i]);
    lx.strEnd = unchecked(this.ends[i]);
    lx.strHasEscape = unchecked(this.escaped[i]);
    lx.strUnits = unchecked(this.units[i]);
    lx.end = lx.strEnd;
    return lx.decodeString();
  }

  /** True when the value is a string equal to `value` (compared as UTF-8, no allocation). */
  strEquals(i: i32, value: Uint8Array): bool {
    return this.strEqualsPtr(i, value.dataStart, value.length);
  }

  strEqualsPtr(i: i32, ptr: usize, len: i32): bool {
    if (this.kind(i) != JsonKind.String) return false;
    const lx = this.sub;
    lx.end = unchecked(this.ends[i]);
    return rawEquals(lx, unchecked(this.starts[i]), unchecked(this.ends[i]), unchecked(this.escaped[i]), ptr, len);
  }

  /**
   * For claims like `aud` that are a string or an array of strings: true when the string, or any
   * string element, equals `value`. No allocation.
   */
  containsString(i: i32, value: Uint8Array): bool {
    const k = this.kind(i);
    if (k == JsonKind.String) return this.strEquals(i, value);
    if (k != JsonKind.Array) return false;
    const lx = this.sub;
    lx.reset(unchecked(this.starts[i]), <i32>(unchecked(this.ends[i]) - unchecked(this.starts[i])));
    lx.pos++; // '['
    while (lx.pos < lx.end) {
      lx.skipWs();
      const c = lx.peek();
      if (c == 0x22) {
        if (!lx.scanString()) return false;
        if (rawEquals(lx, lx.strStart, lx.strEnd, lx.strHasEscape, value.dataStart, value.length)) return true;
      } else if (c == 0x2c) {
        lx.pos++;
      } else if (c == 0x5d || c < 0) {
        return false;
      } else {
        // A non-string element: skip it with the main scanner's validated bounds (it is simple
        // to re-walk: numbers, literals and nested containers were validated by the scan).
        if (!skipRaw(lx)) return false;
      }
    }
    return false;
  }

  /** Elements of a string-or-array-of-strings value (allocates). Non-string elements are left out. */
  strings(i: i32): Array<string> {
    const out = new Array<string>();
    const k = this.kind(i);
    if (k == JsonKind.String) {
      out.push(this.str(i));
      return out;
    }
    if (k != JsonKind.Array) return out;
    const lx = this.sub;
    lx.reset(unchecked(this.starts[i]), <i32>(unchecked(this.ends[i]) - unchecked(this.starts[i])));
    lx.pos++;
    while (lx.pos < lx.end) {
      lx.skipWs();
      const c = lx.peek();
      if (c == 0x22) {
        if (!lx.scanString()) break;
        out.push(lx.decodeString());
      } else if (c == 0x2c) {
        lx.pos++;
      } else if (c == 0x5d || c < 0) {
        break;
      } else if (!skipRaw(lx)) {
        break;
      }
    }
    return out;
  }
}

// Skips one already-validated non-string element inside an array span: a number, a literal or a
// nested container (brackets are balanced and strings inside are skipped by scanString).
function skipRaw(lx: Lexer): bool {
  let depth = 0;
  while (lx.pos < lx.end) {
    const c = lx.peek();
    if (c == 0x22) {
      if (!lx.scanString()) return false;
      if (depth == 0) return true;
      continue;
    }
    if (c == 0x5b || c == 0x7b) depth++;
    else if (c == 0x5d || c == 0x7d) {
      if (depth == 0) return true; // end of the enclosing array
      depth--;
      lx.pos++;
      if (depth == 0) return true;
      continue;
    } else if (c == 0x2c && depth == 0) return true;
    lx.pos++;
  }
  return true;
}

/**
 * True when the raw JSON string content start..end (escapes included) decodes to exactly the
 * UTF-8 bytes target[0..tlen). No allocation.
 */
function rawEquals(lx: Lexer, start: usize, end: usize, hasEscape: bool, target: usize, tlen: i32): bool {
  if (!hasEscape) {
    const n = <i32>(end - start);
    return n == tlen && memory.compare(start, target, <usize>n) == 0;
  }
  const savedEnd = lx.strEnd;
  lx.strEnd = end;
  let p = start;
  let t: i32 = 0;
  let same = true;
  while (p < end) {
    const cp = lx.codePointAt(p);
    p = lx.cpNext;
    const n = utf8Len(cp);
    if (t + n > tlen) {
      same = false;
      break;
    }
    // Compare the code point's UTF-8 encoding with the next n target bytes.
    const q = target + <usize>t;
    if (n == 1) same = <u32>load<u8>(q) == cp;
    else if (n == 2) same = <u32>load<u8>(q) == (0xc0 | (cp >> 6)) && <u32>load<u8>(q + 1) == (0x80 | (cp & 0x3f));
    else if (n == 3)
      same =
        <u32>load<u8>(q) == (0xe0 | (cp >> 12)) &&
        <u32>load<u8>(q + 1) == (0x80 | ((cp >> 6) & 0x3f)) &&
        <u32>load<u8>(q + 2) == (0x80 | (cp & 0x3f));
    else
      same =
        <u32>load<u8>(q) == (0xf0 | (cp >> 18)) &&
        <u32>load<u8>(q + 1) == (0x80 | ((cp >> 12) & 0x3f)) &&
        <u32>load<u8>(q + 2) == (0x80 | ((cp >> 6) & 0x3f)) &&
        <u32>load<u8>(q + 3) == (0x80 | (cp & 0x3f));
    if (!same) break;
    t += n;
  }
  lx.strEnd = savedEnd;
  return same && t == tlen;
}
