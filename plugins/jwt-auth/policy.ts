// AuthorizationPolicy specs (ALLOW / DENY / AUDIT) compiled at configure time and evaluated per
// request the way Envoy's rbac filter runs Istio's translation: a rule matches when every present part
// (from, to, when) matches; within from/to any entry may match; a `not*` list must not match.
import { JsonValue } from "../../assembly/json/index";
import { claimAt } from "./claims-out";
import { FieldErrors } from "./fields";
import { MatchList } from "./istio-match";
import { Jwt } from "./jwt";

export enum Action { Allow = 0, Deny = 1, Audit = 2 }

/** What a policy can look at for one request. */
export class RequestFacts {
  method: string = "";
  /** :authority lower-cased, and the same without a port. */
  host: string = "";
  hostNoPort: string = "";
  /** Path without the query string, as Istio matches it. */
  path: string = "";
  /** "iss/sub" of the first verified token having both, else "". */
  principal: string = "";
  jwt: Jwt | null = null;
}

/** A positive list and its `not*` counterpart. */
class Pair {
  constructor(public yes: MatchList, public no: MatchList) {}

  allows(values: Array<string>): bool {
    if (!this.yes.isEmpty && !this.yes.anyOf(values)) return false;
    return this.no.isEmpty || !this.no.anyOf(values);
  }
}

function pair(e: FieldErrors, obj: JsonValue, name: string, notName: string, path: string, lower: bool = false): Pair {
  return new Pair(new MatchList(e.strings(obj, name, path), lower), new MatchList(e.strings(obj, notName, path), lower));
}

enum CondKind { Claim = 0, Principal = 1, Audiences = 2, Presenter = 3, Header = 4 }

class Condition {
  kind: CondKind = CondKind.Claim;
  claimPath: Array<string> = new Array<string>();
  header: string = "";
  values: Pair = new Pair(new MatchList([]), new MatchList([]));

  /** The request's values for this key (an absent value is an empty list). */
  valuesOf(r: RequestFacts, headers: (name: string) => string | null): Array<string> {
    const out = new Array<string>();
    const jwt = r.jwt;
    if (this.kind == CondKind.Principal) { if (r.principal.length > 0) out.push(r.principal); }
    else if (this.kind == CondKind.Audiences) { if (jwt !== null) return jwt.audiences; }
    else if (this.kind == CondKind.Presenter) { if (jwt !== null) addClaimValues(claimAt(jwt.payload, ["azp"]), false, out); }
    else if (this.kind == CondKind.Header) { const h = headers(this.header); if (h !== null) out.push(h); }
    else if (jwt !== null) {
      const last = this.claimPath[this.claimPath.length - 1];
      addClaimValues(claimAt(jwt.payload, this.claimPath), last == "scope" || last == "permission", out);
    }
    return out;
  }

  matches(r: RequestFacts, headers: (name: string) => string | null): bool {
    const vals = this.valuesOf(r, headers);
    if (!this.values.yes.isEmpty && !this.values.yes.anyOf(vals)) return false;
    return this.values.no.isEmpty || !this.values.no.anyOf(vals);
  }
}

/** Strings as they are (split on spaces for scope-like claims), numbers and booleans as text, arrays per element. */
function addClaimValues(v: JsonValue | null, splitWords: bool, out: Array<string>): void {
  if (v === null) return;
  if (v.isString) {
    if (!splitWords) { out.push(v.str); return; }
    const words = v.str.split(" ");
    for (let i = 0; i < words.length; i++) if (words[i].length > 0) out.push(words[i]);
  } else if (v.isBool) out.push(v.bool ? "true" : "false");
  else if (v.isNumber) out.push(v.isInt ? v.int.toString() : v.num.toString());
  else if (v.isArray) for (let i = 0; i < v.length; i++) addClaimValues(v.at(i), splitWords, out);
}

/** Istio fields this slice does not evaluate: refused by name rather than silently ignored. */
function notYet(e: FieldErrors, v: JsonValue, path: string, names: string[]): void {
  for (let i = 0; i < names.length; i++) if (v.has(names[i])) e.fail(path + "." + names[i], "is not supported yet");
}

class Source {
  requestPrincipals: Pair;
  constructor(e: FieldErrors, v: JsonValue, path: string) {
    notYet(e, v, path, ["principals", "notPrincipals", "namespaces", "notNamespaces", "ipBlocks", "notIpBlocks", "remoteIpBlocks", "notRemoteIpBlocks"]);
    e.onlyKnown(v, path, ["requestPrincipals", "notRequestPrincipals"]);
    this.requestPrincipals = pair(e, v, "requestPrincipals", "notRequestPrincipals", path);
  }
  matches(r: RequestFacts): bool {
    const p = new Array<string>();
    if (r.principal.length > 0) p.push(r.principal);
    return this.requestPrincipals.allows(p);
  }
}

class Operation {
  hosts: Pair;
  methods: Pair;
  paths: Pair;
  constructor(e: FieldErrors, v: JsonValue, path: string) {
    notYet(e, v, path, ["ports", "notPorts"]);
    e.onlyKnown(v, path, ["hosts", "notHosts", "methods", "notMethods", "paths", "notPaths"]);
    this.hosts = pair(e, v, "hosts", "notHosts", path, true);
    this.methods = pair(e, v, "methods", "notMethods", path);
    this.paths = pair(e, v, "paths", "notPaths", path);
    const all = e.strings(v, "paths", path).concat(e.strings(v, "notPaths", path));
    for (let i = 0; i < all.length; i++) {
      if (all[i].includes("{")) { e.fail(path + ".paths", "path templates ({*}, {**}) are not supported yet"); break; }
    }
  }
  matches(r: RequestFacts): bool {
    return this.hosts.allows([r.host, r.hostNoPort]) && this.methods.allows([r.method]) && this.paths.allows([r.path]);
  }
}

class PolicyRule {
  from: Array<Source> = new Array<Source>();
  to: Array<Operation> = new Array<Operation>();
  when: Array<Condition> = new Array<Condition>();

  matches(r: RequestFacts, headers: (name: string) => string | null): bool {
    if (this.from.length > 0) {
      let any = false;
      for (let i = 0; i < this.from.length && !any; i++) any = this.from[i].matches(r);
      if (!any) return false;
    }
    if (this.to.length > 0) {
      let any = false;
      for (let i = 0; i < this.to.length && !any; i++) any = this.to[i].matches(r);
      if (!any) return false;
    }
    for (let i = 0; i < this.when.length; i++) if (!this.when[i].matches(r, headers)) return false;
    return true;
  }
}

export class Policy {
  action: Action = Action.Allow;
  rules: Array<PolicyRule> = new Array<PolicyRule>();

  /** Istio: a policy without rules matches nothing (so an ALLOW policy without rules denies all). */
  matches(r: RequestFacts, headers: (name: string) => string | null): bool {
    for (let i = 0; i < this.rules.length; i++) if (this.rules[i].matches(r, headers)) return true;
    return false;
  }
}

function parseCondition(e: FieldErrors, v: JsonValue, path: string): Condition {
  const c = new Condition();
  e.onlyKnown(v, path, ["key", "values", "notValues"]);
  const key = e.string(v, "key", path, "");
  c.values = pair(e, v, "values", "notValues", path);
  if (c.values.yes.isEmpty && c.values.no.isEmpty) e.fail(path, "needs \"values\" or \"notValues\"");
  if (key == "request.auth.principal") c.kind = CondKind.Principal;
  else if (key == "request.auth.audiences") c.kind = CondKind.Audiences;
  else if (key == "request.auth.presenter") c.kind = CondKind.Presenter;
  else if (key.startsWith("request.headers[") && key.endsWith("]") && key.length > 17) {
    c.kind = CondKind.Header;
    c.header = key.substring(16, key.length - 1).toLowerCase();
  } else if (key.startsWith("request.auth.claims[") && key.endsWith("]") && key.length > 21) {
    c.kind = CondKind.Claim;
    // request.auth.claims[a][b] → ["a", "b"]
    c.claimPath = key.substring(20, key.length - 1).split("][");
    if (c.claimPath.includes("") || key.substring(20).includes("[[")) e.fail(path + ".key", "has an empty claim name");
  } else e.fail(path + ".key", key.length == 0 ? "is required" : "\"" + key + "\" is not supported yet");
  return c;
}

function parseRule(e: FieldErrors, v: JsonValue, path: string): PolicyRule {
  const r = new PolicyRule();
  e.onlyKnown(v, path, ["from", "to", "when"]);
  const from = e.array(v, "from", path);
  for (let i = 0; i < from.length; i++) {
    const fp = path + ".from[" + i.toString() + "]";
    const f = e.object(from[i], fp);
    if (f === null) continue;
    e.onlyKnown(f, fp, ["source"]);
    const s = e.object(f.get("source"), fp + ".source");
    if (s !== null) r.from.push(new Source(e, s, fp + ".source"));
  }
  const to = e.array(v, "to", path);
  for (let i = 0; i < to.length; i++) {
    const tp = path + ".to[" + i.toString() + "]";
    const t = e.object(to[i], tp);
    if (t === null) continue;
    e.onlyKnown(t, tp, ["operation"]);
    const o = e.object(t.get("operation"), tp + ".operation");
    if (o !== null) r.to.push(new Operation(e, o, tp + ".operation"));
  }
  const when = e.array(v, "when", path);
  for (let i = 0; i < when.length; i++) {
    const wp = path + ".when[" + i.toString() + "]";
    const w = e.object(when[i], wp);
    if (w !== null) r.when.push(parseCondition(e, w, wp));
  }
  return r;
}

export function compilePolicies(e: FieldErrors, list: Array<JsonValue>): Array<Policy> {
  const out = new Array<Policy>();
  for (let i = 0; i < list.length && e.ok; i++) {
    const path = "policies[" + i.toString() + "]";
    const v = e.object(list[i], path);
    if (v === null) break;
    e.onlyKnown(v, path, ["action", "rules"]);
    const p = new Policy();
    const action = e.string(v, "action", path, "ALLOW");
    if (action == "ALLOW") p.action = Action.Allow;
    else if (action == "DENY") p.action = Action.Deny;
    else if (action == "AUDIT") p.action = Action.Audit;
    else e.fail(path + ".action", "must be ALLOW, DENY or AUDIT (CUSTOM is not supported)");
    const rules = e.array(v, "rules", path);
    for (let j = 0; j < rules.length; j++) {
      const rp = path + ".rules[" + j.toString() + "]";
      const rv = e.object(rules[j], rp);
      if (rv !== null) p.rules.push(parseRule(e, rv, rp));
    }
    out.push(p);
  }
  return out;
}

/** AUDIT (no effect on the answer), then DENY, then ALLOW: true when the request may go on. */
export function authorize(policies: Array<Policy>, r: RequestFacts, headers: (name: string) => string | null): bool {
  let hasAllow = false;
  let allowed = false;
  for (let i = 0; i < policies.length; i++) {
    const p = policies[i];
    if (p.action == Action.Deny && p.matches(r, headers)) return false;
    if (p.action == Action.Allow) {
      hasAllow = true;
      if (!allowed && p.matches(r, headers)) allowed = true;
    }
  }
  return !hasAllow || allowed;
}
