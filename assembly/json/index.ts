// Strict RFC 8259 JSON for plugins: parser, writer, typed config reader, claim fast path.
export { JsonErrorCode, JsonError, jsonErrorReason } from "./error";
export { JsonKind, JsonValue, jsonKindName } from "./value";
export { JsonOptions, JsonResult, parseJsonPtr, parseJsonBytes, parseJsonString } from "./parse";
export { JsonWriter, stringifyJson, MAX_WRITE_DEPTH } from "./writer";
export { JsonReader } from "./reader";
export { ClaimScanner } from "./claims";
export { MAX_NUMBER_CHARS } from "./lexer";

import { JsonOptions, JsonResult, parseJsonPtr, parseJsonBytes, parseJsonString } from "./parse";
import { JsonValue } from "./value";
import { stringifyJson } from "./writer";
import { StringResult } from "../encoding/bytes";

/** Familiar entry points: `JSON.parse(bytes, opts)`, `JSON.stringify(value)`. */
export class JSON {
  static parse(bytes: Uint8Array, opts: JsonOptions = new JsonOptions()): JsonResult {
    return parseJsonBytes(bytes, opts);
  }
  static parsePtr(ptr: usize, len: i32, opts: JsonOptions = new JsonOptions()): JsonResult {
    return parseJsonPtr(ptr, len, opts);
  }
  static parseString(text: string, opts: JsonOptions = new JsonOptions()): JsonResult {
    return parseJsonString(text, opts);
  }
  static stringify(v: JsonValue): StringResult {
    return stringifyJson(v);
  }
}
