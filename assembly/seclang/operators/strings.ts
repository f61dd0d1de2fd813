// Byte-string comparisons whose parameter may contain macros: @streq @contains @containsWord @beginsWith
// @endsWith @within @strmatch. A macro parameter is taken from `expanded` at match time; otherwise the
// parameter's bytes are computed once here. With `capture`, TX.0 gets the matched parameter (ModSecurity).
import { Bytes, Captures, Operator, OperatorResult, needsExpansion } from '../types';
import { bytesAt, bytesEqual, indexOf, paramBytes } from './util';

export const enum StrOp { STREQ, CONTAINS, CONTAINS_WORD, BEGINS, ENDS, WITHIN, STRMATCH }

/** ModSecurity v3 counts only ASCII letters as word bytes here (digits and `_` are boundaries). */
function isWordByte(c: u32): bool {
  return (c | 0x20) >= 0x61 && (c | 0x20) <= 0x7a;
}

/** `p` occurs in `v` with no ASCII letter right before or after it. */
function containsWord(v: Bytes, p: Bytes): bool {
  if (p.length == 0) return true;
  let at = indexOf(v, p, 0);
  while (at >= 0) {
    const end = at + p.length;
    const okBefore = at == 0 || !isWordByte(v[at - 1]);
    const okAfter = end == v.length || !isWordByte(v[end]);
    if (okBefore && okAfter) return true;
    at = indexOf(v, p, at + 1);
  }
  return false;
}

function test(op: StrOp, v: Bytes, p: Bytes): bool {
  switch (op) {
    case StrOp.STREQ: return bytesEqual(v, p);
    case StrOp.CONTAINS: return indexOf(v, p, 0) >= 0;
    case StrOp.CONTAINS_WORD: return containsWord(v, p);
    case StrOp.BEGINS: return bytesAt(v, 0, p);
    case StrOp.ENDS: return bytesAt(v, v.length - p.length, p);
    // ModSecurity and Coraza both search the value as a substring of the parameter (so "GE" is
    // "within" "GET POST"): the CRS guards against that with `|a| |b|` style lists. An empty value matches.
    case StrOp.WITHIN: return indexOf(p, v, 0) >= 0;
    default: return p.length > 0 && indexOf(v, p, 0) >= 0; // STRMATCH: a non-empty literal substring
  }
}

class StringOp extends Operator {
  /** The last expanded parameter and its bytes: the engine expands once per rule and then tries every value
   * of the target (920450 runs `@within %{tx.restricted_headers_basic}` on each header name), and the text
   * rarely changes between requests, so re-encoding it per value would be garbage for nothing. */
  private lastText: string | null = null;
  private lastBytes: Bytes = new Uint8Array(0);

  constructor(private op: StrOp, private param: Bytes) {
    super();
  }

  private expandedBytes(text: string): Bytes {
    const last = this.lastText;
    if (last !== null && (last === text || last == text)) return this.lastBytes;
    const b = paramBytes(text);
    this.lastText = text;
    this.lastBytes = b;
    return b;
  }

  matches(value: Bytes, expanded: string | null, caps: Captures | null): bool {
    const p = expanded != null ? this.expandedBytes(expanded) : this.param;
    const ok = test(this.op, value, p);
    if (ok && caps != null) caps.set(0, this.op == StrOp.WITHIN ? value : p);
    return ok;
  }
}

export function compileString(op: StrOp, param: string): OperatorResult {
  if (op == StrOp.STRMATCH && param.length == 0) return OperatorResult.fail('@strmatch needs a non-empty string');
  return OperatorResult.ok(new StringOp(op, needsExpansion(param) ? new Uint8Array(0) : paramBytes(param)));
}
export function compileStreq(param: string): OperatorResult { return compileString(StrOp.STREQ, param); }
export function compileContains(param: string): OperatorResult { return compileString(StrOp.CONTAINS, param); }
export function compileContainsWord(param: string): OperatorResult { return compileString(StrOp.CONTAINS_WORD, param); }
export function compileBeginsWith(param: string): OperatorResult { return compileString(StrOp.BEGINS, param); }
export function compileEndsWith(param: string): OperatorResult { return compileString(StrOp.ENDS, param); }
export function compileWithin(param: string): OperatorResult { return compileString(StrOp.WITHIN, param); }
export function compileStrmatch(param: string): OperatorResult { return compileString(StrOp.STRMATCH, param); }
