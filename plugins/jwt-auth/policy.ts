// AuthorizationPolicy specs (ALLOW / DENY / AUDIT) compiled at configure time and evaluated per
// request the way Envoy's rbac filter runs istiod's translation: a rule matches when every present part
// (from, to, when) matches; within from/to any entry may match; a `not*` list must not match.
import { JsonValue } from "../../assembly/json/index";
import { PeekedValue, requestHeaders, utf8 } from "../../sdk";
import { claimAt } from "./claims-out";
import { Cidr } from "./cidr";
import { ConnectionFacts } from "./connection-facts";
import { FieldErrors } from "./fields";
import { globMatch } from "./glob";
import { MatchKind, MatchList, StringMatch } from "./istio-match";
import { Jwt } from "./jwt";
import { PathTemplate } from "./path-template";
import { LastString } from "./last-string";
import { RequestPath } from "./request-path";

const METHOD = utf8(":method");
const AUTHORITY = utf8(":authority");
const methods = new LastString();
const hosts = new LastString(true);
const peeked = new PeekedValue();
/** Claim values of one evaluation, reused (evaluations never nest). */
const claimValues = new Array<string>();

export enum Action { Allow = 0, Deny = 1, Audit = 2 }

/** What a policy can look at for one request. Each fact is read from the host the first time a policy
 *  asks for it, so a request costs only the host calls its policies need. */
export class RequestFacts {
  private read: i32 = 0;
  private methodValue: string = "";
  private hostValue: string = "";
  private pathValue: string = "";
  /** The token whose claims policies see: the first verified one (Envoy's metadata holds its payload). */
  jwt: Jwt | null = null;
  conn: ConnectionFacts = new ConnectionFacts();
  /** :path as the request has it (with the query). */
  private rawPath: RequestPath = new RequestPath();

  /** Starts a request (one object serves every request of a stream context). */
  reset(rawPath: RequestPath, jwt: Jwt | null): void {
    this.read = 0;
    this.methodValue = "";
    this.hostValue = "";
    this.pathValue = "";
    this.rawPath = rawPath;
    this.jwt = jwt;
    this.conn.reset();
  }

  /** First use of a fact: true exactly once. */
  private first(bit: i32): bool {
    if ((this.read & bit) != 0) return false;
    this.read |= bit;
    return true;
  }

  get method(): string {
    if (this.first(1)) {
      if (requestHeaders.peek(METHOD, peeked)) this.methodValue = methods.of(peeked.ptr, peeked.length);
    }
    return this.methodValue;
  }

  /** :authority lower-cased (Istio matches it whole: a port is part of it). */
  get host(): string {
    if (this.first(2)) {
      if (requestHeaders.peek(AUTHORITY, peeked)) this.hostValue = hosts.of(peeked.ptr, peeked.length);
    }
    return this.hostValue;
  }

  /** Path without the query string, as Istio matches it. */
  get path(): string {
    if (this.first(4)) {
      const raw = this.rawPath.text;
      const q = raw.indexOf("?");
      this.pathValue = q < 0 ? raw : raw.substring(0, q);
    }
    return this.pathValue;
  }
}

/** What a value list is compared against. */
enum Key {
  Claim, RequestPrincipal, Audiences, Presenter, Header, Host, Method, Path, Port, SourceIp, RemoteIp,
  DestinationIp, PeerPrincipal, Namespace, Sni,
}

/** Istio's request principal value split into issuer and subject matchers (iss/sub, split at the last "/"). */
class PrincipalMatch {
  constructor(public iss: StringMatch, public sub: StringMatch) {}

  static of(v: string): PrincipalMatch {
    const any = new StringMatch(MatchKind.Any, "");
    const idx = v.lastIndexOf("/");
    const found = idx >= 0;
    const iss = found ? v.substring(0, idx) : v;
    const sub = found ? v.substring(idx + 1) : "";
    const exact = (t: string): StringMatch => new StringMatch(MatchKind.Exact, t);
    if (v == "*") return new PrincipalMatch(any, any);
    if (v.startsWith("*")) {
      if (!found) return new PrincipalMatch(any, new StringMatch(MatchKind.Suffix, v.substring(1)));
      return new PrincipalMatch(iss == "*" ? any : new StringMatch(MatchKind.Suffix, iss.substring(1)), exact(sub));
    }
    if (v.endsWith("*")) {
      if (!found) return new PrincipalMatch(new StringMatch(MatchKind.Prefix, v.substring(0, v.length - 1)), any);
      return new PrincipalMatch(exact(iss), sub == "*" ? any : new StringMatch(MatchKind.Prefix, sub.substring(0, sub.length - 1)));
    }
    return new PrincipalMatch(exact(iss), exact(sub));
  }

  matches(jwt: Jwt | null): bool {
    return jwt !== null && jwt.hasIss && jwt.hasSub && this.iss.matches(jwt.iss) && this.sub.matches(jwt.sub);
  }
}

/** One compiled value list (`values` or `notValues`, `hosts` or `notHosts`, ...) for one key. */
class Values {
  strings: MatchList = new MatchList([]);
  principals: Array<PrincipalMatch> = new Array<PrincipalMatch>();
  templates: Array<PathTemplate> = new Array<PathTemplate>();
  cidrs: Array<Cidr> = new Array<Cidr>();
  ports: Array<i64> = new Array<i64>();
  globs: Array<string> = new Array<string>();
  count: i32 = 0;

  constructor(public key: Key, public claimPath: Array<string>, public header: string) {}

  get isEmpty(): bool { return this.count == 0; }

  add(e: FieldErrors, v: string, path: string): void {
    this.count++;
    const k = this.key;
    if (k == Key.RequestPrincipal) this.principals.push(PrincipalMatch.of(v));
    else if (k == Key.Path && PathTemplate.isTemplate(v)) {
      const problem = PathTemplate.problem(v);
      if (problem !== null) e.fail(path, problem);
      else this.templates.push(PathTemplate.compile(v));
    } else if (k == Key.SourceIp || k == Key.RemoteIp || k == Key.DestinationIp) {
      const c = Cidr.parse(v);
      if (c === null) e.fail(path, "\"" + v + "\" is not an IP address or CIDR block");
      else this.cidrs.push(c);
    } else if (k == Key.Port) {
      const p = portNumber(v);
      if (p < 0) e.fail(path, "\"" + v + "\" is not a port number (0-65535)");
      else this.ports.push(p);
    } else if (k == Key.Namespace) this.globs.push("*/ns/" + v + "/*");
    else if (k == Key.PeerPrincipal) this.strings.items.push(StringMatch.withPrefix(v, "spiffe://"));
    else if (k == Key.Host) this.strings.items.push(StringMatch.of(v.toLowerCase(), true));
    else this.strings.items.push(StringMatch.of(v, k == Key.Header));
  }

  /** Whether any value in the list matches this request. */
  matches(r: RequestFacts, headers: (name: string) => string | null): bool {
    const k = this.key;
    if (k == Key.RequestPrincipal) {
      for (let i = 0; i < this.principals.length; i++) if (this.principals[i].matches(r.jwt)) return true;
      return false;
    }
    if (k == Key.Path) {
      for (let i = 0; i < this.templates.length; i++) if (this.templates[i].matches(r.path)) return true;
      return this.strings.any(r.path);
    }
    if (k == Key.SourceIp || k == Key.RemoteIp || k == Key.DestinationIp) {
      const c = r.conn;
      // Envoy's `source.address` is already the remote address it computed (x-forwarded-for when it trusts it).
      const ip = k == Key.DestinationIp ? c.destinationIp : c.sourceIp;
      for (let i = 0; i < this.cidrs.length; i++) if (this.cidrs[i].contains(ip)) return true;
      return false;
    }
    if (k == Key.Port) return this.ports.includes(r.conn.destinationPort);
    if (k == Key.Namespace) {
      const who = r.conn.peerPrincipal;
      for (let i = 0; i < this.globs.length; i++) if (who.length > 0 && globMatch(this.globs[i], who)) return true;
      return false;
    }
    if (k == Key.PeerPrincipal) { const who = r.conn.peerPrincipal; return who.length > 0 && this.strings.any(who); }
    if (k == Key.Sni) return this.strings.any(r.conn.sni);
    if (k == Key.Host) return this.strings.any(r.host);
    if (k == Key.Method) return this.strings.any(r.method);
    if (k == Key.Header) { const h = headers(this.header); return h !== null && this.strings.any(h); }
    const jwt = r.jwt;
    if (jwt === null) return false;
    if (k == Key.Audiences) return this.strings.anyOf(jwt.audiences);
    const vals = claimValues;
    vals.length = 0;
    if (k == Key.Presenter) addClaimValues(claimAt(jwt.payload, ["azp"]), false, true, vals);
    else {
      // normalize_payload_in_metadata splits only the top-level `scope` and `permission` claims.
      const top = this.claimPath.length == 1 ? this.claimPath[0] : "";
      addClaimValues(claimAt(jwt.payload, this.claimPath), top == "scope" || top == "permission", true, vals);
    }
    return this.strings.anyOf(vals);
  }
}

function portNumber(v: string): i64 {
  if (v.length == 0 || v.length > 5) return -1;
  let n: i64 = 0;
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return -1;
    n = n * 10 + (c - 0x30);
  }
  return n > 65535 ? -1 : n;
}

/** String values only, as Envoy's metadata string matchers see them: a string (split on spaces for
 *  scope-like claims), or the strings of a list (one level). Numbers, booleans and objects never match. */
function addClaimValues(v: JsonValue | null, splitWords: bool, listOk: bool, out: Array<string>): void {
  if (v === null) return;
  if (v.isString) {
    if (!splitWords) { out.push(v.str); return; }
    const words = v.str.split(" ");
    for (let i = 0; i < words.length; i++) if (words[i].length > 0) out.push(words[i]);
  } else if (v.isArray && listOk) for (let i = 0; i < v.length; i++) addClaimValues(v.at(i), false, false, out);
}

/** A positive list and its `not*` counterpart for one key. */
class Pair {
  constructor(public yes: Values, public no: Values) {}

  get isEmpty(): bool { return this.yes.isEmpty && this.no.isEmpty; }

  matches(r: RequestFacts, headers: (name: string) => string | null): bool {
    if (!this.yes.isEmpty && !this.yes.matches(r, headers)) return false;
    return this.no.isEmpty || !this.no.matches(r, headers);
  }
}

function valuesOf(e: FieldErrors, obj: JsonValue, name: string, path: string, key: Key, claimPath: Array<string> = [], header: string = ""): Values {
  const out = new Values(key, claimPath, header);
  const list = e.strings(obj, name, path);
  for (let i = 0; i < list.length; i++) out.add(e, list[i], path + "." + name + "[" + i.toString() + "]");
  return out;
}

function pair(e: FieldErrors, obj: JsonValue, name: string, notName: string, path: string, key: Key): Pair {
  return new Pair(valuesOf(e, obj, name, path, key), valuesOf(e, obj, notName, path, key));
}

/** Every listed field present in the request's terms: the parts of a `from.source` or a `to.operation`. */
function allMatch(parts: Array<Pair>, r: RequestFacts, headers: (name: string) => string | null): bool {
  for (let i = 0; i < parts.length; i++) if (!parts[i].matches(r, headers)) return false;
  return true;
}

function nonEmpty(list: Array<Pair>): Array<Pair> {
  const out = new Array<Pair>();
  for (let i = 0; i < list.length; i++) if (!list[i].isEmpty) out.push(list[i]);
  return out;
}

function sourceParts(e: FieldErrors, v: JsonValue, path: string): Array<Pair> {
  e.onlyKnown(v, path, [
    "principals", "notPrincipals", "requestPrincipals", "notRequestPrincipals", "namespaces", "notNamespaces",
    "ipBlocks", "notIpBlocks", "remoteIpBlocks", "notRemoteIpBlocks",
  ]);
  return nonEmpty([
    pair(e, v, "principals", "notPrincipals", path, Key.PeerPrincipal),
    pair(e, v, "requestPrincipals", "notRequestPrincipals", path, Key.RequestPrincipal),
    pair(e, v, "namespaces", "notNamespaces", path, Key.Namespace),
    pair(e, v, "ipBlocks", "notIpBlocks", path, Key.SourceIp),
    pair(e, v, "remoteIpBlocks", "notRemoteIpBlocks", path, Key.RemoteIp),
  ]);
}

function operationParts(e: FieldErrors, v: JsonValue, path: string): Array<Pair> {
  e.onlyKnown(v, path, ["hosts", "notHosts", "ports", "notPorts", "methods", "notMethods", "paths", "notPaths"]);
  return nonEmpty([
    pair(e, v, "hosts", "notHosts", path, Key.Host),
    pair(e, v, "ports", "notPorts", path, Key.Port),
    pair(e, v, "methods", "notMethods", path, Key.Method),
    pair(e, v, "paths", "notPaths", path, Key.Path),
  ]);
}

/** The `when` key → what it compares; null (with a failure) for keys Istio does not define. */
function conditionKey(e: FieldErrors, key: string, path: string): Values | null {
  if (key == "request.auth.principal") return new Values(Key.RequestPrincipal, [], "");
  if (key == "request.auth.audiences") return new Values(Key.Audiences, [], "");
  if (key == "request.auth.presenter") return new Values(Key.Presenter, [], "");
  if (key == "source.ip") return new Values(Key.SourceIp, [], "");
  if (key == "remote.ip") return new Values(Key.RemoteIp, [], "");
  if (key == "source.namespace") return new Values(Key.Namespace, [], "");
  if (key == "source.principal") return new Values(Key.PeerPrincipal, [], "");
  if (key == "destination.ip") return new Values(Key.DestinationIp, [], "");
  if (key == "destination.port") return new Values(Key.Port, [], "");
  if (key == "connection.sni") return new Values(Key.Sni, [], "");
  if (key.startsWith("request.headers[") && key.endsWith("]") && key.length > 17) {
    return new Values(Key.Header, [], key.substring(16, key.length - 1).toLowerCase());
  }
  if (key.startsWith("request.auth.claims[") && key.endsWith("]") && key.length > 21) {
    // request.auth.claims[a][b] → ["a", "b"]
    const claimPath = key.substring(20, key.length - 1).split("][");
    if (claimPath.includes("") || key.substring(20).includes("[[")) { e.fail(path + ".key", "has an empty claim name"); return null; }
    return new Values(Key.Claim, claimPath, "");
  }
  e.fail(path + ".key", key.length == 0 ? "is required" : "\"" + key + "\" is not a key this plugin evaluates");
  return null;
}

function parseCondition(e: FieldErrors, v: JsonValue, path: string): Pair | null {
  e.onlyKnown(v, path, ["key", "values", "notValues"]);
  const yes = conditionKey(e, e.string(v, "key", path, ""), path);
  if (yes === null) return null;
  const no = new Values(yes.key, yes.claimPath, yes.header);
  const vals = e.strings(v, "values", path);
  const nots = e.strings(v, "notValues", path);
  for (let i = 0; i < vals.length; i++) yes.add(e, vals[i], path + ".values[" + i.toString() + "]");
  for (let i = 0; i < nots.length; i++) no.add(e, nots[i], path + ".notValues[" + i.toString() + "]");
  if (yes.isEmpty && no.isEmpty) e.fail(path, "needs \"values\" or \"notValues\"");
  return new Pair(yes, no);
}

class PolicyRule {
  /** Each `from` entry's source fields (any entry may match). */
  from: Array<Array<Pair>> = new Array<Array<Pair>>();
  to: Array<Array<Pair>> = new Array<Array<Pair>>();
  when: Array<Pair> = new Array<Pair>();

  matches(r: RequestFacts, headers: (name: string) => string | null): bool {
    if (this.from.length > 0) {
      let any = false;
      for (let i = 0; i < this.from.length && !any; i++) any = allMatch(this.from[i], r, headers);
      if (!any) return false;
    }
    if (this.to.length > 0) {
      let any = false;
      for (let i = 0; i < this.to.length && !any; i++) any = allMatch(this.to[i], r, headers);
      if (!any) return false;
    }
    return allMatch(this.when, r, headers);
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
    r.from.push(s === null ? new Array<Pair>() : sourceParts(e, s, fp + ".source"));
  }
  const to = e.array(v, "to", path);
  for (let i = 0; i < to.length; i++) {
    const tp = path + ".to[" + i.toString() + "]";
    const t = e.object(to[i], tp);
    if (t === null) continue;
    e.onlyKnown(t, tp, ["operation"]);
    const o = e.object(t.get("operation"), tp + ".operation");
    r.to.push(o === null ? new Array<Pair>() : operationParts(e, o, tp + ".operation"));
  }
  const when = e.array(v, "when", path);
  for (let i = 0; i < when.length; i++) {
    const wp = path + ".when[" + i.toString() + "]";
    const w = e.object(when[i], wp);
    if (w === null) continue;
    const c = parseCondition(e, w, wp);
    if (c !== null) r.when.push(c);
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
