// Why a JSON document was rejected, and where. Codes are cheap to set on the hot path; the message
// is only built when someone asks for it.

export enum JsonErrorCode {
  None = 0,
  UnexpectedEnd,
  UnexpectedChar,
  TrailingComma,
  ExpectedKey,
  ExpectedColon,
  BadEscape,
  LoneSurrogate,
  ControlCharInString,
  InvalidUtf8,
  LeadingZero,
  BadNumber,
  NumberTooLong,
  NumberOutOfRange,
  TooDeep,
  TooLarge,
  DuplicateKey,
  TrailingData,
  NotAnObject,
}

export function jsonErrorReason(code: JsonErrorCode): string {
  switch (code) {
    case JsonErrorCode.None: return "no error";
    case JsonErrorCode.UnexpectedEnd: return "unexpected end of input";
    case JsonErrorCode.UnexpectedChar: return "unexpected character";
    case JsonErrorCode.TrailingComma: return "trailing comma";
    case JsonErrorCode.ExpectedKey: return "expected a string key";
    case JsonErrorCode.ExpectedColon: return "expected ':' after key";
    case JsonErrorCode.BadEscape: return "invalid escape in string";
    case JsonErrorCode.LoneSurrogate: return "lone UTF-16 surrogate in \\u escape";
    case JsonErrorCode.ControlCharInString: return "unescaped control character in string";
    case JsonErrorCode.InvalidUtf8: return "invalid UTF-8";
    case JsonErrorCode.LeadingZero: return "number with a leading zero";
    case JsonErrorCode.BadNumber: return "malformed number";
    case JsonErrorCode.NumberTooLong: return "number literal too long";
    case JsonErrorCode.NumberOutOfRange: return "number out of range";
    case JsonErrorCode.TooDeep: return "nesting too deep";
    case JsonErrorCode.TooLarge: return "document too large";
    case JsonErrorCode.DuplicateKey: return "duplicate key";
    case JsonErrorCode.TrailingData: return "data after the JSON value";
    case JsonErrorCode.NotAnObject: return "top-level value is not an object";
  }
  return "unknown error";
}

/** A rejected document: the reason and the byte offset where it was detected. */
export class JsonError {
  constructor(
    public code: JsonErrorCode,
    public offset: i32,
  ) {}
  get reason(): string {
    return jsonErrorReason(this.code);
  }
  /** e.g. "trailing comma at byte 17". */
  get message(): string {
    return jsonErrorReason(this.code) + " at byte " + this.offset.toString();
  }
}
