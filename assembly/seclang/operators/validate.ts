// @validateByteRange, @validateUrlEncoding, @validateUtf8Encoding. Each matches when the value is NOT valid
// (that is how the CRS uses them: a match is a finding).
import { Bytes, Captures, Operator, OperatorResult } from '../types';
import { utf8InvalidAt } from '../../encoding/utf8';

class ByteRange extends Operator {
  constructor(private allowed: StaticArray<bool>) {
    super();
  }
  matches(value: Bytes, expanded: string | null, caps: Captures | null): bool {
    const ok = this.allowed;
    for (let i = 0; i < value.length; i++) {
      if (!unchecked(ok[unchecked(value[i])])) {
        if (caps != null) caps.set(0, value.slice(i, i + 1));
        return true;
      }
    }
    return false;
  }
}

/** A decimal byte 0..255, or -1. */
function parseByte(s: string): i32 {
  if (s.length == 0 || s.length > 3) return -1;
  let v = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return -1;
    v = v * 10 + (c - 0x30);
  }
  return v <= 255 ? v : -1;
}

/** `1-255`, `32,34,38,42-59`: comma-separated bytes and inclusive ranges. */
export function compileValidateByteRange(param: string): OperatorResult {
  const allowed = new StaticArray<bool>(256);
  const parts = param.split(',');
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i].trim();
    if (part.length == 0) return OperatorResult.fail('@validateByteRange: empty entry in "' + param + '"');
    const dash = part.indexOf('-');
    const lo = parseByte(dash < 0 ? part : part.substring(0, dash).trim());
    const hi = dash < 0 ? lo : parseByte(part.substring(dash + 1).trim());
    if (lo < 0 || hi < 0) return OperatorResult.fail('@validateByteRange: "' + part + '" is not a byte (0-255) or range');
    if (lo > hi) return OperatorResult.fail('@validateByteRange: range "' + part + '" is reversed');
    for (let b = lo; b <= hi; b++) allowed[b] = true;
  }
  return OperatorResult.ok(new ByteRange(allowed));
}

function isHex(c: u32): bool {
  return (c >= 0x30 && c <= 0x39) || ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x66);
}

class UrlEncoding extends Operator {
  matches(value: Bytes, expanded: string | null, caps: Captures | null): bool {
    const n = value.length;
    for (let i = 0; i < n; ) {
      if (value[i] != 0x25) {
        i++;
        continue;
      }
      // A `%` needs two hex digits after it: non-hex and truncated escapes are both invalid.
      if (i + 2 >= n || !isHex(value[i + 1]) || !isHex(value[i + 2])) {
        if (caps != null) caps.set(0, value.slice(i, min(i + 3, n)));
        return true;
      }
      i += 3;
    }
    return false;
  }
}

export function compileValidateUrlEncoding(param: string): OperatorResult {
  return OperatorResult.ok(new UrlEncoding());
}

class Utf8Encoding extends Operator {
  matches(value: Bytes, expanded: string | null, caps: Captures | null): bool {
    // RFC 3629: overlong forms, surrogates, code points above U+10FFFF and truncated sequences are invalid.
    return utf8InvalidAt(value.dataStart, value.length) >= 0;
  }
}

export function compileValidateUtf8Encoding(param: string): OperatorResult {
  return OperatorResult.ok(new Utf8Encoding());
}
