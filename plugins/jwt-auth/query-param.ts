// Reads and removes one query parameter in a request path, keeping every other byte of the path as
// the client sent it (Envoy removes a consumed access_token the same way).

/** Value of the first `name=` parameter (raw, not percent-decoded: tokens are base64url), or null. */
export function queryParam(path: string, name: string): string | null {
  const q = path.indexOf("?");
  if (q < 0) return null;
  let start = q + 1;
  while (start <= path.length) {
    let end = path.indexOf("&", start);
    if (end < 0) end = path.length;
    const eq = path.indexOf("=", start);
    if (eq >= 0 && eq < end && path.substring(start, eq) == name) return path.substring(eq + 1, end);
    start = end + 1;
  }
  return null;
}

/** The path without any `name=...` parameter; drops the `?` when nothing is left. */
export function withoutQueryParam(path: string, name: string): string {
  const q = path.indexOf("?");
  if (q < 0) return path;
  const kept = new Array<string>();
  let start = q + 1;
  while (start <= path.length) {
    let end = path.indexOf("&", start);
    if (end < 0) end = path.length;
    const part = path.substring(start, end);
    const eq = part.indexOf("=");
    const key = eq < 0 ? part : part.substring(0, eq);
    if (key != name && part.length > 0) kept.push(part);
    start = end + 1;
  }
  const base = path.substring(0, q);
  return kept.length == 0 ? base : base + "?" + kept.join("&");
}
