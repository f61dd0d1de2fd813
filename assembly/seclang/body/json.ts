// application/json bodies as Coraza flattens them into ARGS_POST: every leaf becomes a pair named by
// its path (`json.a.b`, array elements `json.a.0`), strings unescaped, numbers/true/false as written,
// null as "". Like Coraza, every non-empty array also yields its length under its own path
// (`json.a` = "2"), and a top-level scalar is read as a one-element array (`json.0`, `json` = "1").
//
// Structure, numbers and literals go through assembly/json's lexer (strict RFC 8259 grammar);
// strings are unescaped here straight to bytes, and, like Coraza's gjson, bytes >= 0x80 are taken as
// they are (no UTF-8 check) so invalid UTF-8 payloads are inspected instead of skipped. Pairs found
// before an error stay in `out` (Coraza's best-effort inspection); the error comes back as text.
import { Bytes, PairList } from "../types";
import { Lexer } from "../../json/lexer";
import { JsonErrorCode, jsonErrorReason } from "../../json/error";
import { hexValue } from "../../encoding/bytes";
import { ByteBuf } from "./bytebuf";

/** Coraza's budget on the flattened form: 8 × the body, at least 4 KiB (names repeat whole paths). */
const BUDGET_FACTOR: i32 = 8;
const BUDGET_FLOOR: i32 = 4096;

const OPEN_OBJ: i32 = 0x7b;
const CLOSE_OBJ: i32 = 0x7d;
const OPEN_ARR: i32 = 0x5b;
const CLOSE_ARR: i32 = 0x5d;

/** Result of `parseJsonLimited`: the error text ("" if none) and whether the argument limit cut it. */
export class JsonLimits {
  error: string = "";
  truncated: bool = false;
}

/**
 * Adds one pair per leaf of `body` to `out`. Containers nested deeper than `maxDepth` (the root
 * counts as 1) are an error, as are malformed documents. Returns "" or the error text; an empty
 * body gives nothing and no error.
 */
export function parseJson(body: Bytes, out: PairList, maxDepth: i32): string {
  return parseJsonLimited(body, out, maxDepth, 0).error;
}

/** Same, keeping at most `argLimit` leaves (0 = no limit); the rest of the body is still validated. */
export function parseJsonLimited(body: Bytes, out: PairList, maxDepth: i32, argLimit: i32): JsonLimits {
  // An empty body is no document at all, not a malformed one (Coraza does not run its processor).
  if (body.length == 0) return new JsonLimits();
  const w = new Walker(body, out, maxDepth, argLimit);
  const res = new JsonLimits();
  res.error = w.run();
  res.truncated = w.truncated;
  return res;
}

class Walker {
  lx: Lexer = new Lexer();
  path: ByteBuf = new ByteBuf(128);
  value: ByteBuf = new ByteBuf(64);
  // One entry per open container: is it an object, how many members so far, path length at its start.
  isObj: Array<bool> = new Array<bool>();
  count: Array<i32> = new Array<i32>();
  base: Array<i32> = new Array<i32>();
  budget: i64;
  used: i64 = 0;
  leaves: i32 = 0;
  lengths: i32 = 0;
  truncated: bool = false;
  overBudget: bool = false;

  constructor(public body: Bytes, public out: PairList, public maxDepth: i32, public argLimit: i32) {
    this.lx.reset(body.dataStart, body.length);
    const b = <i64>body.length * BUDGET_FACTOR;
    this.budget = b < BUDGET_FLOOR ? BUDGET_FLOOR : b;
    this.path.pushString("json");
  }

  run(): string {
    const lx = this.lx;
    lx.skipWs();
    const c = lx.peek();
    if (c != OPEN_OBJ && c != OPEN_ARR) {
      // A top-level scalar: Coraza iterates it as a single element.
      this.path.push(0x2e);
      this.path.push(0x30);
      if (!this.scalar()) return this.error();
      this.path.len = 4;
      this.emitLength(1);
    } else if (!this.containers()) {
      return this.error();
    }
    if (this.overBudget) return this.error();
    lx.skipWs();
    if (lx.pos < lx.end) {
      lx.fail(JsonErrorCode.TrailingData, lx.pos);
      return this.error();
    }
    return "";
  }

  error(): string {
    if (this.overBudget) {
      return "flattened JSON exceeds the " + this.budget.toString() + " byte budget for a " +
        this.body.length.toString() + " byte body";
    }
    const lx = this.lx;
    if (lx.code == JsonErrorCode.TooDeep) {
      return "max recursion reached while reading JSON (deeper than " + this.maxDepth.toString() + ")";
    }
    return "invalid JSON: " + jsonErrorReason(lx.code) + " at byte " + lx.errorOffset.toString();
  }

  // Walks the container at pos and everything inside it, without recursion.
  containers(): bool {
    const lx = this.lx;
    if (!this.open()) return false;
    while (this.isObj.length > 0) {
      const top = this.isObj.length - 1;
      const obj = unchecked(this.isObj[top]);
      const n = unchecked(this.count[top]);
      lx.skipWs();
      const d = lx.peek();
      if (d == (obj ? CLOSE_OBJ : CLOSE_ARR)) {
        lx.pos++;
        this.close();
        continue;
      }
      if (n > 0) {
        if (d != 0x2c) return lx.fail(d < 0 ? JsonErrorCode.UnexpectedEnd : JsonErrorCode.UnexpectedChar, lx.pos);
        lx.pos++;
        lx.skipWs();
        const e = lx.peek();
        if (e == CLOSE_OBJ || e == CLOSE_ARR) return lx.fail(JsonErrorCode.TrailingComma, lx.pos);
      }
      // The member's path: parent path, '.', then the key or the index.
      this.path.len = unchecked(this.base[top]);
      this.path.push(0x2e);
      if (obj) {
        if (lx.peek() != 0x22) {
          return lx.fail(lx.peek() < 0 ? JsonErrorCode.UnexpectedEnd : JsonErrorCode.ExpectedKey, lx.pos);
        }
        if (!readString(lx, this.path)) return false;
        lx.skipWs();
        if (lx.peek() != 0x3a) {
          return lx.fail(lx.peek() < 0 ? JsonErrorCode.UnexpectedEnd : JsonErrorCode.ExpectedColon, lx.pos);
        }
        lx.pos++;
      } else {
        this.path.pushDecimal(n);
      }
      unchecked((this.count[top] = n + 1));
      lx.skipWs();
      const v = lx.peek();
      if (v == OPEN_OBJ || v == OPEN_ARR) {
        if (!this.open()) return false;
      } else if (!this.scalar()) {
        return false;
      }
    }
    return true;
  }

  open(): bool {
    const lx = this.lx;
    if (this.isObj.length >= this.maxDepth) return lx.fail(JsonErrorCode.TooDeep, lx.pos);
    this.isObj.push(lx.peek() == OPEN_OBJ);
    this.count.push(0);
    this.base.push(this.path.len);
    lx.pos++;
    return true;
  }

  close(): void {
    const obj = this.isObj.pop();
    const n = this.count.pop();
    const base = this.base.pop();
    this.path.len = base;
    if (!obj && n > 0) this.emitLength(n);
  }

  // Reads the scalar at pos and adds it under the current path.
  scalar(): bool {
    const lx = this.lx;
    const c = lx.peek();
    const val = this.value;
    val.len = 0;
    if (c == 0x22) {
      if (!readString(lx, val)) return false;
    } else if (c == 0x2d || (c >= 0x30 && c <= 0x39)) {
      const start = lx.pos;
      if (!lx.scanNumber(false)) return false;
      val.pushRange(this.body, <i32>(start - lx.start), <i32>(lx.pos - lx.start));
    } else if (c == 0x74 || c == 0x66) {
      const start = lx.pos;
      if (!lx.literal(c == 0x74 ? "true" : "false")) return false;
      val.pushRange(this.body, <i32>(start - lx.start), <i32>(lx.pos - lx.start));
    } else if (c == 0x6e) {
      if (!lx.literal("null")) return false;
    } else {
      return lx.fail(c < 0 ? JsonErrorCode.UnexpectedEnd : JsonErrorCode.UnexpectedChar, lx.pos);
    }
    if (this.argLimit > 0 && this.leaves >= this.argLimit) this.truncated = true;
    if (this.truncated || this.overBudget) return true;
    if (!this.spend(val.len)) return true;
    this.out.add(this.path.copy(), val.copy());
    this.leaves++;
    return true;
  }

  emitLength(n: i32): void {
    if (this.truncated || this.overBudget) return;
    if (this.argLimit > 0 && this.lengths >= this.argLimit) {
      this.truncated = true;
      return;
    }
    const val = this.value;
    val.len = 0;
    val.pushDecimal(n);
    if (!this.spend(val.len)) return;
    this.out.add(this.path.copy(), val.copy());
    this.lengths++;
  }

  // Charges one pair to the byte budget; false (and overBudget) when it does not fit.
  spend(valueLen: i32): bool {
    const cost = <i64>this.path.len + valueLen;
    if (this.used + cost > this.budget) {
      this.overBudget = true;
      return false;
    }
    this.used += cost;
    return true;
  }
}

/**
 * Unescapes the string whose opening quote is at lx.pos into `out`, leaving pos after the closing
 * quote. Grammar as RFC 8259 (and gjson.Valid): no raw control bytes, only the standard escapes.
 * `\u` escapes become UTF-8; a surrogate not completed by a second `\u` escape becomes U+FFFD.
 */
function readString(lx: Lexer, out: ByteBuf): bool {
  let p = lx.pos + 1;
  const end = lx.end;
  while (true) {
    // Copy the plain run up to the next quote, backslash or control byte in one go.
    let q = p;
    while (q < end) {
      const c = <u32>load<u8>(q);
      if (c == 0x22 || c == 0x5c || c < 0x20) break;
      q++;
    }
    if (q > p) {
      const n = <i32>(q - p);
      out.reserve(n);
      memory.copy(out.data.dataStart + <usize>out.len, p, <usize>n);
      out.len += n;
    }
    p = q;
    if (p >= end) return lx.fail(JsonErrorCode.UnexpectedEnd, p);
    const c = <u32>load<u8>(p);
    if (c == 0x22) break;
    if (c < 0x20) return lx.fail(JsonErrorCode.ControlCharInString, p);
    // Backslash.
    if (p + 1 >= end) return lx.fail(JsonErrorCode.UnexpectedEnd, p + 1);
    const e = <u32>load<u8>(p + 1);
    if (e == 0x75) {
      const hi = hex4(lx, p + 2);
      if (hi < 0) return false;
      p += 6;
      let cp = <u32>hi;
      if (cp >= 0xd800 && cp <= 0xdfff && p + 1 < end && load<u8>(p) == 0x5c && load<u8>(p + 1) == 0x75) {
        // A second escape completes a surrogate pair (or yields U+FFFD, consumed, as Go does).
        const lo = hex4(lx, p + 2);
        if (lo < 0) return false;
        p += 6;
        cp = cp <= 0xdbff && lo >= 0xdc00 && lo <= 0xdfff ? 0x10000 + ((cp - 0xd800) << 10) + (<u32>lo - 0xdc00) : 0xfffd;
      }
      out.pushCodePoint(cp);
      continue;
    }
    let b: u32 = 0;
    if (e == 0x22 || e == 0x5c || e == 0x2f) b = e;
    else if (e == 0x62) b = 0x08;
    else if (e == 0x66) b = 0x0c;
    else if (e == 0x6e) b = 0x0a;
    else if (e == 0x72) b = 0x0d;
    else if (e == 0x74) b = 0x09;
    else return lx.fail(JsonErrorCode.BadEscape, p);
    out.push(b);
    p += 2;
  }
  lx.pos = p + 1;
  return true;
}

// The four hex digits at p as a number, or -1 after recording the error.
function hex4(lx: Lexer, p: usize): i32 {
  let v = 0;
  for (let i: usize = 0; i < 4; i++) {
    if (p + i >= lx.end) {
      lx.fail(JsonErrorCode.UnexpectedEnd, lx.end);
      return -1;
    }
    const d = hexValue(load<u8>(p + i));
    if (d < 0) {
      lx.fail(JsonErrorCode.BadEscape, p - 2);
      return -1;
    }
    v = (v << 4) | d;
  }
  return v;
}
