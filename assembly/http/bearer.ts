// Getting a token out of an Authorization header.
//  - `extractBearer`: RFC 6750 §2.1 strictly: `Bearer` (any case), one or more spaces, a token68
//    (`[A-Za-z0-9-._~+/]+=*`), optional trailing spaces. Anything else is an error value.
//  - `extractJwtLikeEnvoy`: what Envoy's jwt_authn extractor does with a `value_prefix`: find the
//    prefix anywhere (case-sensitive), then take the run of base64url characters and dots after
//    it. Use it when the plugin must accept exactly what Envoy's filter accepts.
import { StringResult } from "../encoding/bytes";

function isToken68Char(c: u32): bool {
  return (
    (c | 0x20) - 0x61 < 26 || c - 0x30 < 10 || c == 0x2d || c == 0x2e || c == 0x5f || c == 0x7e || c == 0x2b ||
    c == 0x2f
  );
}

function isJwtChar(c: u32): bool {
  return (c | 0x20) - 0x61 < 26 || c - 0x30 < 10 || c == 0x2d || c == 0x5f || c == 0x2e;
}

export function extractBearer(authorization: string): StringResult {
  const v = authorization;
  const n = v.length;
  if (n < 7) return StringResult.failure("not a Bearer credential", 0);
  const scheme = "bearer";
  for (let i = 0; i < 6; i++) {
    if ((v.charCodeAt(i) | 0x20) != scheme.charCodeAt(i)) return StringResult.failure("not a Bearer credential", 0);
  }
  let i = 6;
  if (v.charCodeAt(i) != 0x20) return StringResult.failure("expected a space after Bearer", i);
  while (i < n && v.charCodeAt(i) == 0x20) i++;
  const start = i;
  while (i < n && isToken68Char(<u32>v.charCodeAt(i))) i++;
  if (i == start) return StringResult.failure("empty Bearer token", i);
  while (i < n && v.charCodeAt(i) == 0x3d) i++;
  const end = i;
  while (i < n && v.charCodeAt(i) == 0x20) i++;
  if (i < n) return StringResult.failure("invalid character in Bearer token", i);
  return StringResult.success(v.substring(start, end));
}

/**
 * Envoy jwt_authn semantics; null when the prefix does not occur. (Like Envoy, when no token
 * character follows the prefix the whole value is returned, which then fails verification.)
 */
export function extractJwtLikeEnvoy(value: string, prefix: string = "Bearer "): string | null {
  const pos = prefix.length == 0 ? 0 : value.indexOf(prefix);
  if (pos < 0) return null;
  if (prefix.length == 0) return value;
  const n = value.length;
  let s = pos + prefix.length;
  while (s < n && !isJwtChar(<u32>value.charCodeAt(s))) s++;
  if (s >= n) return value;
  let e = s;
  while (e < n && isJwtChar(<u32>value.charCodeAt(e))) e++;
  return value.substring(s, e);
}
