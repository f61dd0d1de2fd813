// libinjection for the WAF's @detectSQLi / @detectXSS: the results of libinjection-go (what Coraza runs),
// computed over bytes with no allocation except the fingerprint string of a detection.
import { Bytes } from '../types';
import { checkSqli } from './sqli-detect';
import { SqliState } from './sqli-state';
import { checkXss } from './xss';

const sqli = new SqliState();

/** The SQLi fingerprint (e.g. "s&1c") when `input` is SQL injection, else null. */
export function detectSQLi(input: Bytes): string | null {
  return detectSQLiAt(input.dataStart, input.length);
}

/** detectSQLi over `len` bytes at `ptr`. */
export function detectSQLiAt(ptr: usize, len: i32): string | null {
  sqli.load(ptr, len);
  return checkSqli(sqli) ? sqli.fingerprintText() : null;
}

/** True when `input` is XSS. */
export function detectXSS(input: Bytes): bool {
  return checkXss(input.dataStart, input.length);
}

/** detectXSS over `len` bytes at `ptr`. */
export function detectXSSAt(ptr: usize, len: i32): bool {
  return checkXss(ptr, len);
}
