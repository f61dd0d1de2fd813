// Absolute http(s) URLs from configuration and from the discovery document, split into the parts a
// callout through a cluster needs (:authority, :path) and the parts a browser redirect needs (origin).

export class HttpUrl {
  ok: bool = false;
  reason: string = "";
  https: bool = false;
  /** host[:port] as written. */
  authority: string = "";
  /** Path with query ("/" when the URL has none). */
  pathAndQuery: string = "";
  /** Path without query. */
  path: string = "";
  /** The URL exactly as given. */
  href: string = "";

  get origin(): string {
    return (this.https ? "https://" : "http://") + this.authority;
  }
}

function bad(reason: string): HttpUrl {
  const u = new HttpUrl();
  u.reason = reason;
  return u;
}

/** Parses http://host[:port][/path][?query]; fragments, user-info, spaces and non-ASCII are refused. */
export function parseHttpUrl(text: string): HttpUrl {
  let rest: string;
  const u = new HttpUrl();
  if (text.startsWith("https://")) { u.https = true; rest = text.substring(8); }
  else if (text.startsWith("http://")) rest = text.substring(7);
  else return bad("must be an absolute http:// or https:// URL");
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c <= 0x20 || c >= 0x7f) return bad("has a space, control or non-ASCII character");
    if (c == 0x23) return bad("must not have a fragment (#)");
    if (c == 0x5c) return bad("must not contain a backslash");
  }
  let end = rest.length;
  const slash = rest.indexOf("/");
  const question = rest.indexOf("?");
  if (slash >= 0) end = slash;
  if (question >= 0 && question < end) end = question;
  u.authority = rest.substring(0, end);
  if (u.authority.length == 0) return bad("has no host");
  if (u.authority.includes("@")) return bad("must not contain user information (@)");
  let pq = rest.substring(end);
  if (pq.length == 0 || pq.startsWith("?")) pq = "/" + pq;
  u.pathAndQuery = pq;
  const q = pq.indexOf("?");
  u.path = q < 0 ? pq : pq.substring(0, q);
  u.href = text;
  u.ok = true;
  return u;
}

/** `base` plus one more query parameter string ("a=1&b=2"), respecting a query the base already has. */
export function withQuery(base: string, query: string): string {
  return base + (base.includes("?") ? "&" : "?") + query;
}
