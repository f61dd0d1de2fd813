// Istio's corsPolicy, answered as Envoy's CORS filter answers, plus two deliberate improvements:
// `vary: origin` on every response of a CORS rule (caches must not mix origins) and a configuration
// error for allowCredentials with an origin pattern that matches "*" (Envoy would echo any origin).
import { Header, JsonValue } from "../../sdk";
import { durationSeconds } from "./duration";
import { MAX_ENTRIES } from "./limits";
import { at, onlyKeys, Problems, stringList, sub } from "./problems";
import { MatchKind, parseStringMatch, StringMatch } from "./string-match";

export class CorsPolicy {
  origins: StringMatch[] = [];
  /** Some pattern matches the literal "*": Envoy then allows every origin. */
  wildcard: bool = false;
  allowMethods: string = "";
  allowHeaders: string = "";
  exposeHeaders: string = "";
  maxAge: string = "";
  allowCredentials: bool = false;
  /** unmatchedPreflights: IGNORE answers a foreign preflight locally (no CORS headers) instead of forwarding. */
  ignoreUnmatchedPreflights: bool = false;

  /** Envoy's rule: case-sensitive, regexes match the whole origin; "null" (opaque origins) never matches. */
  allows(origin: string): bool {
    if (origin.length == 0 || origin == "null") return false;
    if (this.wildcard) return true;
    for (let i = 0; i < this.origins.length; i++) if (unchecked(this.origins[i]).matches(origin)) return true;
    return false;
  }

  /** Headers of the local answer to an allowed preflight. */
  preflightHeaders(origin: string): Header[] {
    const h = new Array<Header>();
    h.push(new Header("access-control-allow-origin", origin));
    if (this.allowCredentials) h.push(new Header("access-control-allow-credentials", "true"));
    if (this.allowMethods.length > 0) h.push(new Header("access-control-allow-methods", this.allowMethods));
    if (this.allowHeaders.length > 0) h.push(new Header("access-control-allow-headers", this.allowHeaders));
    if (this.exposeHeaders.length > 0) h.push(new Header("access-control-expose-headers", this.exposeHeaders));
    if (this.maxAge.length > 0) h.push(new Header("access-control-max-age", this.maxAge));
    h.push(new Header("vary", "origin"));
    return h;
  }
}

const FIELDS: string[] = [
  "allowOrigins", "allowOrigin", "allowMethods", "allowHeaders", "exposeHeaders", "maxAge", "allowCredentials", "unmatchedPreflights",
];

export function parseCors(v: JsonValue, field: string, p: Problems): CorsPolicy | null {
  if (!v.isObject) { p.fail(field, "must be an object"); return null; }
  if (!onlyKeys(v, field, FIELDS, p)) return null;
  const c = new CorsPolicy();
  const list = v.get("allowOrigins");
  if (list !== null) {
    const f = sub(field, "allowOrigins");
    if (!list.isArray) { p.fail(f, "must be a list of {exact|prefix|regex}"); return null; }
    if (list.items.length > MAX_ENTRIES) { p.fail(f, "has more than " + MAX_ENTRIES.toString() + " entries"); return null; }
    for (let i = 0; i < list.items.length; i++) {
      const m = parseStringMatch(list.items[i], at(f, i), p, false);
      if (m === null) return null;
      c.origins.push(m);
    }
  }
  // The deprecated Istio field: a list of exact origins.
  const old = v.get("allowOrigin");
  if (old !== null) {
    const names = stringList(old, sub(field, "allowOrigin"), p, MAX_ENTRIES);
    if (names === null) return null;
    for (let i = 0; i < names.length; i++) c.origins.push(new StringMatch(MatchKind.Exact, names[i], null));
  }
  for (let i = 0; i < c.origins.length; i++) if (c.origins[i].matches("*")) c.wildcard = true;
  const m = joined(v, "allowMethods", field, p);
  const h = joined(v, "allowHeaders", field, p);
  const e = joined(v, "exposeHeaders", field, p);
  if (m === null || h === null || e === null) return null;
  c.allowMethods = m;
  c.allowHeaders = h;
  c.exposeHeaders = e;
  const age = v.get("maxAge");
  if (age !== null) {
    const secs = age.isString ? durationSeconds(age.str) : -1;
    if (secs < 0) { p.fail(sub(field, "maxAge"), "must be a duration such as \"86400s\" or \"24h\""); return null; }
    c.maxAge = secs.toString();
  }
  const cred = v.get("allowCredentials");
  if (cred !== null) {
    if (!cred.isBool) { p.fail(sub(field, "allowCredentials"), "must be true or false"); return null; }
    c.allowCredentials = cred.bool;
  }
  if (c.allowCredentials && c.wildcard) {
    p.fail(sub(field, "allowCredentials"), "cannot be true when allowOrigins matches every origin (\"*\"): list the origins");
    return null;
  }
  const up = v.get("unmatchedPreflights");
  if (up !== null) {
    const s = up.isString ? up.str : "";
    if (s == "IGNORE") c.ignoreUnmatchedPreflights = true;
    else if (s != "FORWARD" && s != "UNSPECIFIED") { p.fail(sub(field, "unmatchedPreflights"), "must be FORWARD or IGNORE"); return null; }
  }
  return c;
}

function joined(v: JsonValue, key: string, field: string, p: Problems): string | null {
  const x = v.get(key);
  if (x === null) return "";
  const f = sub(field, key);
  const items = stringList(x, f, p, MAX_ENTRIES);
  if (items === null) return null;
  for (let i = 0; i < items.length; i++) {
    const s = items[i];
    for (let j = 0; j < s.length; j++) {
      const ch = s.charCodeAt(j);
      if (ch < 0x21 || ch > 0x7e || ch == 0x2c) { p.fail(at(f, i), "must be one token (no spaces, commas or control characters)"); return null; }
    }
    if (s.length == 0) { p.fail(at(f, i), "is empty"); return null; }
  }
  return items.join(",");
}
