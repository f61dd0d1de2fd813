// Istio's HTTPMatchRequest subset: `uri`, `method`, `headers`, `queryParams`, `ignoreUriCase`
// (`name` is accepted and ignored). All given conditions must hold; a rule's list matches when any entry does.
import { asciiLower, JsonValue } from "../../sdk";
import { MAX_ENTRIES } from "./limits";
import { onlyKeys, Problems, sub } from "./problems";
import { RequestView } from "./request-view";
import { MatchKind, parseStringMatch, StringMatch } from "./string-match";

export class NamedMatch {
  /** Header names encoded once; `host` is asked for as :authority (Envoy's lookup of host answers it). */
  nameBuf: ArrayBuffer;
  constructor(public name: string, public match: StringMatch) {
    this.nameBuf = String.UTF8.encode(name == "host" ? ":authority" : name);
  }
}

export class RouteMatch {
  uri: StringMatch | null = null;
  method: StringMatch | null = null;
  headers: NamedMatch[] = [];
  query: NamedMatch[] = [];
  ignoreUriCase: bool = false;

  /** The `uri.prefix` when the uri condition is a prefix (a `rewrite.uri` then replaces only it). */
  get prefix(): string | null {
    const u = this.uri;
    return u !== null && u.kind == MatchKind.Prefix ? u.text : null;
  }

  matches(r: RequestView): bool {
    const m = this.method;
    if (m !== null && !m.matches(r.method)) return false;
    const u = this.uri;
    if (u !== null) {
      // ignoreUriCase compares lower-cased (exact and prefix texts were lower-cased at configure time).
      const path = this.ignoreUriCase ? asciiLower(r.pathOnly) : r.pathOnly;
      if (!u.matches(path)) return false;
    }
    for (let i = 0; i < this.headers.length; i++) {
      const h = unchecked(this.headers[i]);
      const v = r.header(h.nameBuf);
      if (v === null || !h.match.matches(v)) return false;
    }
    if (this.query.length > 0) {
      const q = r.query();
      for (let i = 0; i < this.query.length; i++) {
        const c = unchecked(this.query[i]);
        const v = q.get(c.name);
        if (v === null || !c.match.matches(v)) return false;
      }
    }
    return true;
  }
}

const FIELDS: string[] = ["name", "uri", "method", "headers", "queryParams", "ignoreUriCase"];

export function parseRouteMatch(v: JsonValue, field: string, p: Problems): RouteMatch | null {
  if (!v.isObject) { p.fail(field, "must be an object"); return null; }
  if (!onlyKeys(v, field, FIELDS, p)) return null;
  const m = new RouteMatch();
  const ic = v.get("ignoreUriCase");
  if (ic !== null) {
    if (!ic.isBool) { p.fail(sub(field, "ignoreUriCase"), "must be true or false"); return null; }
    m.ignoreUriCase = ic.bool;
  }
  const uri = v.get("uri");
  if (uri !== null) {
    const u = parseStringMatch(uri, sub(field, "uri"), p, false);
    if (u === null) return null;
    if (m.ignoreUriCase && u.kind != MatchKind.Regex) u.text = asciiLower(u.text);
    m.uri = u;
  }
  const meth = v.get("method");
  if (meth !== null) {
    const mm = parseStringMatch(meth, sub(field, "method"), p, false);
    if (mm === null) return null;
    m.method = mm;
  }
  if (!parseNamed(v, "headers", field, true, m.headers, p)) return null;
  if (!parseNamed(v, "queryParams", field, false, m.query, p)) return null;
  return m;
}

function parseNamed(v: JsonValue, key: string, field: string, lower: bool, out: NamedMatch[], p: Problems): bool {
  const x = v.get(key);
  if (x === null) return true;
  const f = sub(field, key);
  if (!x.isObject) return p.fail(f, "must be an object of name to {exact|prefix|regex}");
  if (x.keys.length > MAX_ENTRIES) return p.fail(f, "has more than " + MAX_ENTRIES.toString() + " entries");
  for (let i = 0; i < x.keys.length; i++) {
    const name = lower ? asciiLower(x.keys[i]) : x.keys[i];
    if (name.length == 0) return p.fail(f, "has an empty name");
    const sm = parseStringMatch(x.values[i], sub(f, x.keys[i]), p, true);
    if (sm === null) return false;
    out.push(new NamedMatch(name, sm));
  }
  return true;
}
