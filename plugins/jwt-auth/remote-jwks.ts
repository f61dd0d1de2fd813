// Remote JWKS (jwksUri fetched through a cluster): the URI split for the callout, the duration fields,
// and the per-rule key state (last good keys are kept when a later fetch fails).
import { Jwk, parseJwks } from "../../assembly/crypto/index";
import { Header } from "../../sdk";

export class JwksUri {
  constructor(public ok: bool, public authority: string, public path: string, public reason: string) {}
}

/** http(s)://host[:port]/path → :authority and :path for the callout. */
export function splitJwksUri(uri: string): JwksUri {
  let rest: string;
  if (uri.startsWith("https://")) rest = uri.substring(8);
  else if (uri.startsWith("http://")) rest = uri.substring(7);
  else return new JwksUri(false, "", "", "must start with http:// or https://");
  const slash = rest.indexOf("/");
  const authority = slash < 0 ? rest : rest.substring(0, slash);
  const path = slash < 0 ? "/" : rest.substring(slash);
  if (authority.length == 0) return new JwksUri(false, "", "", "has no host");
  for (let i = 0; i < uri.length; i++) {
    const c = uri.charCodeAt(i);
    if (c <= 0x20 || c >= 0x7f) return new JwksUri(false, "", "", "has a space or a non-ASCII byte");
  }
  return new JwksUri(true, authority, path, "");
}

/** "300s", "1.5s", "250ms" → milliseconds; -1 when malformed. */
export function durationMs(s: string): i64 {
  let scale: f64 = 1000;
  let num = s;
  if (s.endsWith("ms")) { scale = 1; num = s.substring(0, s.length - 2); }
  else if (s.endsWith("s")) num = s.substring(0, s.length - 1);
  else return -1;
  if (num.length == 0 || num.length > 12) return -1;
  let dots = 0;
  for (let i = 0; i < num.length; i++) {
    const c = num.charCodeAt(i);
    if (c == 0x2e) dots++;
    else if (c < 0x30 || c > 0x39) return -1;
  }
  if (dots > 1 || num.startsWith(".") || num.endsWith(".")) return -1;
  return <i64>(parseFloat(num) * scale);
}

export class RemoteKeys {
  cluster: string = "";
  authority: string = "";
  path: string = "";
  timeoutMs: u32 = 5000;
  cacheNs: u64 = 300 * 1_000_000_000;
  /** When the current keys were fetched; 0 = never. */
  fetchedNs: u64 = 0;
  /** When the last fetch failed (0: it did not); background retries are spaced by it. */
  failedNs: u64 = 0;
  /** When an unknown kid last caused a refetch (rate limit). */
  kidRefetchNs: u64 = 0;
  /** A fetch is on its way (requests needing keys wait for it instead of starting another). */
  inFlight: bool = false;

  isFresh(nowNs: u64): bool {
    return this.fetchedNs != 0 && nowNs - this.fetchedNs < this.cacheNs;
  }

  calloutHeaders(): Header[] {
    return [
      new Header(":method", "GET"), new Header(":path", this.path), new Header(":authority", this.authority),
      new Header("accept", "application/json"),
    ];
  }
}

/** The usable keys of a fetched JWKS document, or null when the document is unusable. */
export function keysFromFetch(status: string | null, body: Uint8Array): Array<Jwk> | null {
  if (status === null || status != "200") return null;
  const parsed = parseJwks(body);
  return parsed.ok && parsed.keys.length > 0 ? parsed.keys : null;
}
