// @detectSQLi / @detectXSS: libinjection (assembly/seclang/libinjection). The parameter is ignored, as in
// ModSecurity. With `capture`, @detectSQLi puts the fingerprint (e.g. "s&1c") in TX.0.
import { Bytes, Captures, Operator, OperatorResult, utf8 } from '../types';
import { detectSQLi, detectXSS } from '../libinjection/index';

class DetectSQLi extends Operator {
  matches(value: Bytes, expanded: string | null, caps: Captures | null): bool {
    const fp = detectSQLi(value);
    if (fp == null) return false;
    if (caps != null) caps.set(0, utf8(fp));
    return true;
  }
}

class DetectXSS extends Operator {
  matches(value: Bytes, expanded: string | null, caps: Captures | null): bool {
    return detectXSS(value);
  }
}

export function compileDetectSQLi(param: string): OperatorResult {
  return OperatorResult.ok(new DetectSQLi());
}

export function compileDetectXSS(param: string): OperatorResult {
  return OperatorResult.ok(new DetectXSS());
}
