// Strict RFC 8259 parser producing a JsonValue tree. Iterative (an explicit container stack), so
// hostile nesting costs heap bounded by `maxDepth`, never the wasm call stack.
import { JsonErrorCode, JsonError } from "./error";
import { JsonValue, JsonKind } from "./value";
import { Lexer } from "./lexer";

export class JsonOptions {
  /** Deepest nesting of arrays/objects accepted (the root container counts as 1). */
  maxDepth: i32 = 64;
  /** Largest document accepted, in bytes. */
  maxBytes: i32 = 1 << 20;
  /** Reject objects that repeat a key (otherwise the last one wins in `get`). */
  rejectDuplicateKeys: bool = false;

  static defaults(): JsonOptions {
    return new JsonOptions();
  }
  depth(d: i32): JsonOptions {
    this.maxDepth = d;
    return this;
  }
  bytes(n: i32): JsonOptions {
    this.maxBytes = n;
    return this;
  }
  noDuplicates(): JsonOptions {
    this.rejectDuplicateKeys = true;
    return this;
  }
}

/** The parsed value, or why the document was rejected. */
export class JsonResult {
  constructor(
    public ok: bool,
    public value: JsonValue,
    public error: JsonError | null,
  ) {}
  /** "" when ok, else e.g. "trailing comma at byte 17". */
  get message(): string {
    const e = this.error;
    return e === null ? "" : e.message;
  }
}

export function parseJsonPtr(ptr: usize, len: i32, opts: JsonOptions = new JsonOptions()): JsonResult {
  const lx = new Lexer();
  lx.reset(ptr, len < 0 ? 0 : len);
  if (len > opts.maxBytes) {
    lx.fail(JsonErrorCode.TooLarge, ptr + <usize>opts.maxBytes);
    return failed(lx);
  }
  const root = parseValue(lx, opts);
  if (root === null) return failed(lx);
  lx.skipWs();
  if (lx.pos < lx.end) {
    lx.fail(JsonErrorCode.TrailingData, lx.pos);
    return failed(lx);
  }
  return new JsonResult(true, root, null);
}

export function parseJsonBytes(bytes: Uint8Array, opts: JsonOptions = new JsonOptions()): JsonResult {
  return parseJsonPtr(bytes.dataStart, bytes.length, opts);
}

export function parseJsonString(text: string, opts: JsonOptions = new JsonOptions()): JsonResult {
  const buf = String.UTF8.encode(text);
  return parseJsonPtr(changetype<usize>(buf), buf.byteLength, opts);
}

function failed(lx: Lexer): JsonResult {
  return new JsonResult(false, JsonValue.null(), new JsonError(lx.code, lx.errorOffset));
}

function parseValue(lx: Lexer, opts: JsonOptions): JsonValue | null {
  const stack = new Array<JsonValue>();
  const pendingKeys = new Array<string>(); // one per open object, the key awaiting its value
  while (true) {
    // Read one value; containers are opened and we loop to read their first member.
    lx.skipWs();
    const c = lx.peek();
    let v: JsonValue;
    if (c == 0x7b || c == 0x5b) {
      if (stack.length >= opts.maxDepth) {
        lx.fail(JsonErrorCode.TooDeep, lx.pos);
        return null;
      }
      lx.pos++;
      const isObj = c == 0x7b;
      const container = isObj ? JsonValue.object() : JsonValue.array();
      lx.skipWs();
      if (lx.peek() == (isObj ? 0x7d : 0x5d)) {
        lx.pos++;
        v = container; // empty container: emit it right away
      } else {
        stack.push(container);
        if (isObj && !readKey(lx, container, pendingKeys, opts)) return null;
        continue;
      }
    } else if (c == 0x22) {
      if (!lx.scanString()) return null;
      v = JsonValue.string(lx.decodeString());
    } else if (c == 0x2d || (c >= 0x30 && c <= 0x39)) {
      if (!lx.scanNumber()) return null;
      if (lx.numIntOk) {
        v = JsonValue.integer(lx.numInt);
        v.num = lx.numValue; // keeps -0
      } else {
        v = JsonValue.number(lx.numValue);
        v.isInt = false; // 1.0 and 1e3 are not integer literals (JsonReader.int still takes them)
      }
    } else if (c == 0x74) {
      if (!lx.literal("true")) return null;
      v = JsonValue.boolean(true);
    } else if (c == 0x66) {
      if (!lx.literal("false")) return null;
      v = JsonValue.boolean(false);
    } else if (c == 0x6e) {
      if (!lx.literal("null")) return null;
      v = JsonValue.null();
    } else {
      lx.fail(c < 0 ? JsonErrorCode.UnexpectedEnd : JsonErrorCode.UnexpectedChar, lx.pos);
      return null;
    }

    // Attach the value to its container, then consume separators and closers.
    while (true) {
      if (stack.length == 0) return v;
      const top = unchecked(stack[stack.length - 1]);
      const isObj = top.kind == JsonKind.Object;
      if (isObj) top.append(pendingKeys.pop(), v);
      else top.push(v);
      lx.skipWs();
      const d = lx.peek();
      if (d == 0x2c) {
        lx.pos++;
        lx.skipWs();
        const e = lx.peek();
        if (e == (isObj ? 0x7d : 0x5d)) {
          lx.fail(JsonErrorCode.TrailingComma, lx.pos);
          return null;
        }
        if (isObj && !readKey(lx, top, pendingKeys, opts)) return null;
        break; // read the next member
      }
      if (d == (isObj ? 0x7d : 0x5d)) {
        lx.pos++;
        stack.pop();
        v = top; // the closed container is the value for its parent
        continue;
      }
      lx.fail(d < 0 ? JsonErrorCode.UnexpectedEnd : JsonErrorCode.UnexpectedChar, lx.pos);
      return null;
    }
  }
}

/** Reads `"key" :` into pendingKeys; checks duplicates here so the error points at the key. */
function readKey(lx: Lexer, obj: JsonValue, pendingKeys: Array<string>, opts: JsonOptions): bool {
  lx.skipWs();
  const c = lx.peek();
  if (c != 0x22) return lx.fail(c < 0 ? JsonErrorCode.UnexpectedEnd : JsonErrorCode.ExpectedKey, lx.pos);
  const at = lx.pos;
  if (!lx.scanString()) return false;
  const key = lx.decodeString();
  if (opts.rejectDuplicateKeys && obj.has(key)) return lx.fail(JsonErrorCode.DuplicateKey, at);
  lx.skipWs();
  const d = lx.peek();
  if (d != 0x3a) return lx.fail(d < 0 ? JsonErrorCode.UnexpectedEnd : JsonErrorCode.ExpectedColon, lx.pos);
  lx.pos++;
  pendingKeys.push(key);
  return true;
}
