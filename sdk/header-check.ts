// Validation of header names/values given in configuration, with the rules Envoy and Istio apply
// (an invalid one set per request would make Envoy fail every request with 503).
import { decimal } from "./bytes";

/** null when `name` is a valid header name (an RFC 9110 token; Envoy lower-cases it); else the problem. */
export function headerNameProblem(name: string): string | null {
  if (name.length == 0) return "is empty";
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (!isTokenChar(c)) return "has a character not allowed in a header name (code " + decimal(c) + ")";
  }
  return null;
}

/** null when `value` is a valid header value; else the problem. */
export function headerValueProblem(value: string): string | null {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    // Istio and Envoy refuse NUL, CR, LF and the other control characters except horizontal tab.
    if ((c < 0x20 && c != 0x09) || c == 0x7F) return "has a control character (code " + decimal(c) + ")";
  }
  return null;
}

function isTokenChar(c: i32): bool {
  if ((c >= 0x61 && c <= 0x7A) || (c >= 0x41 && c <= 0x5A)) return true;
  if (c >= 0x30 && c <= 0x39) return true;
  // RFC 9110 tchar punctuation: ! # $ % & ' * + - . ^ _ ` | ~
  return c == 0x21 || (c >= 0x23 && c <= 0x27) || c == 0x2A || c == 0x2B || c == 0x2D || c == 0x2E || c == 0x5E
    || c == 0x5F || c == 0x60 || c == 0x7C || c == 0x7E;
}

/** ASCII lower-casing (header names are ASCII; avoids the Unicode case tables of toLowerCase). */
export function asciiLower(s: string): string {
  let i = 0;
  const n = s.length;
  while (i < n && !(s.charCodeAt(i) >= 0x41 && s.charCodeAt(i) <= 0x5A)) i++;
  if (i == n) return s;
  const out = changetype<string>(__new(<usize>n << 1, idof<string>()));
  memory.copy(changetype<usize>(out), changetype<usize>(s), <usize>n << 1);
  for (; i < n; i++) {
    const c = load<u16>(changetype<usize>(out) + (<usize>i << 1));
    if (c >= 0x41 && c <= 0x5A) store<u16>(changetype<usize>(out) + (<usize>i << 1), c + 32);
  }
  return out;
}
