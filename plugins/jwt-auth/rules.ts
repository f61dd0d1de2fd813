// jwtRules (Istio RequestAuthentication) → compiled rules: parsed keys, normalised audiences,
// token locations and output headers, all checked once at configure time.
import { Jwk, parseJwks } from "../../assembly/crypto/index";
import { JsonValue } from "../../assembly/json/index";
import { asciiLower, headerNameProblem, utf8 } from "../../sdk";
import { FieldErrors } from "./fields";
import { durationMs, RemoteKeys, splitJwksUri } from "./remote-jwks";

export enum LocationKind { Header = 0, Param = 1, Cookie = 2 }

/** One place a token may be read from; rules that read there share it. */
export class Location {
  rules: Array<i32> = new Array<i32>();
  /** UTF-8 of name and prefix, encoded once: the request path compares and passes bytes. */
  nameBytes: ArrayBuffer;
  prefixBytes: ArrayBuffer;
  constructor(public kind: LocationKind, public name: string, public prefix: string) {
    this.nameBytes = utf8(name);
    this.prefixBytes = utf8(prefix);
  }
}

export class ClaimHeader {
  headerBytes: ArrayBuffer;
  /** Index of the header in RuleSet.outputHeaders. */
  output: i32;
  constructor(public header: string, public path: Array<string>, outputs: Array<string>) {
    this.headerBytes = utf8(header);
    this.output = outputs.indexOf(header);
  }
}

export class Rule {
  issuer: string = "";
  audiences: Array<string> = new Array<string>();
  keys: Array<Jwk> = new Array<Jwk>();
  /** Set when the keys come from jwksUri (then `keys` holds the last good fetch). */
  remote: RemoteKeys | null = null;
  forward: bool = false;
  payloadHeader: string = "";
  payloadHeaderBytes: ArrayBuffer = new ArrayBuffer(0);
  /** Index of payloadHeader in RuleSet.outputHeaders (-1: none). */
  payloadOutput: i32 = -1;
  claimHeaders: Array<ClaimHeader> = new Array<ClaimHeader>();
  /** Per audience, a one-element list of it, made on first use: a verified token whose only audience is
   *  exactly that string shares it (remembered tokens then hold fewer objects for the collector to mark). */
  private soleAudiences: Array<Array<string> | null> = new Array<Array<string> | null>();

  soleAudience(k: i32): Array<string> {
    const all = this.soleAudiences;
    while (all.length <= k) all.push(null);
    let a = all[k];
    if (a === null) {
      a = [this.audiences[k]];
      all[k] = a;
    }
    return a;
  }
}

export class RuleSet {
  rules: Array<Rule> = new Array<Rule>();
  locations: Array<Location> = new Array<Location>();
  /** Every output header: client-sent copies are removed from every request. */
  outputHeaders: Array<string> = new Array<string>();
  outputHeaderBytes: Array<ArrayBuffer> = new Array<ArrayBuffer>();
  /** Per-request scratch, one byte per output header (the module handles one request at a time). */
  outputState: StaticArray<u8> = new StaticArray<u8>(0);
  /** Some rule fetches its keys (streams then need their own contexts). */
  hasRemote: bool = false;
  /** Rule indexes sorted by issuer: istiod orders the providers that way, and the order decides which
   *  rule's tokens win when several rules could pass. */
  order: Array<i32> = new Array<i32>();
}

const RULE_FIELDS: string[] = [
  "issuer", "audiences", "jwks", "jwksUri", "fromHeaders", "fromParams", "fromCookies", "forwardOriginalToken",
  "outputPayloadToHeader", "outputClaimToHeaders", "timeout", "jwksCluster", "jwksCacheDuration",
];

/** Envoy compares audiences without scheme and trailing slash ("https://a/" == "a"). */
export function normalizeAudience(a: string): string {
  let s = a;
  if (s.startsWith("http://")) s = s.substring(7);
  else if (s.startsWith("https://")) s = s.substring(8);
  while (s.endsWith("/")) s = s.substring(0, s.length - 1);
  return s;
}

function addLocation(set: RuleSet, kind: LocationKind, name: string, prefix: string, rule: i32): void {
  for (let i = 0; i < set.locations.length; i++) {
    const l = set.locations[i];
    if (l.kind == kind && l.name == name && l.prefix == prefix) {
      if (!l.rules.includes(rule)) l.rules.push(rule);
      return;
    }
  }
  const l = new Location(kind, name, prefix);
  l.rules.push(rule);
  set.locations.push(l);
}

function outputHeader(e: FieldErrors, set: RuleSet, raw: string, path: string): string {
  const name = asciiLower(raw);
  const p = headerNameProblem(name);
  if (p !== null) e.fail(path, p);
  else if (name.startsWith(":")) e.fail(path, "must not be a pseudo-header");
  else if (!set.outputHeaders.includes(name)) {
    set.outputHeaders.push(name);
    set.outputHeaderBytes.push(utf8(name));
  }
  return name;
}

function compileRemote(e: FieldErrors, v: JsonValue, path: string, uri: string): RemoteKeys {
  const k = new RemoteKeys();
  const split = splitJwksUri(uri);
  if (!split.ok) e.fail(path + ".jwksUri", split.reason);
  k.authority = split.authority;
  k.path = split.path;
  k.cluster = e.string(v, "jwksCluster", path, "");
  if (e.ok && k.cluster.length == 0) e.fail(path + ".jwksCluster", "is required with jwksUri (the cluster that serves it)");
  const timeout = durationMs(e.string(v, "timeout", path, "5s"));
  if (timeout <= 0 || timeout > 600_000) e.fail(path + ".timeout", "must be a duration like \"5s\" or \"500ms\" (at most 600s)");
  else k.timeoutMs = <u32>timeout;
  const cache = durationMs(e.string(v, "jwksCacheDuration", path, "300s"));
  if (cache <= 0) e.fail(path + ".jwksCacheDuration", "must be a positive duration like \"300s\"");
  else k.cacheNs = <u64>cache * 1_000_000;
  return k;
}

function compileRule(e: FieldErrors, set: RuleSet, v: JsonValue, path: string, index: i32): Rule {
  const r = new Rule();
  e.onlyKnown(v, path, RULE_FIELDS);
  r.issuer = e.string(v, "issuer", path, "");
  const auds = e.strings(v, "audiences", path);
  for (let i = 0; i < auds.length; i++) r.audiences.push(normalizeAudience(auds[i]));
  const jwks = e.string(v, "jwks", path, "");
  const uri = e.string(v, "jwksUri", path, "");
  if (e.ok && jwks.length > 0 && uri.length > 0) e.fail(path, "set either \"jwks\" or \"jwksUri\", not both");
  else if (e.ok && uri.length > 0) r.remote = compileRemote(e, v, path, uri);
  else if (e.ok) {
    if (jwks.length == 0) e.fail(path + ".jwks", "is required (an inline JWKS document, or jwksUri with jwksCluster)");
    else {
      const parsed = parseJwks(Uint8Array.wrap(String.UTF8.encode(jwks)));
      if (!parsed.ok) e.fail(path + ".jwks", parsed.reason);
      else if (parsed.keys.length == 0) {
        e.fail(path + ".jwks", "has no usable key" + (parsed.skipped.length > 0 ? " (" + parsed.skipped.join("; ") + ")" : ""));
      } else r.keys = parsed.keys;
    }
  }
  r.forward = e.bool(v, "forwardOriginalToken", path, false);
  const payload = e.string(v, "outputPayloadToHeader", path, "");
  if (payload.length > 0) {
    r.payloadHeader = outputHeader(e, set, payload, path + ".outputPayloadToHeader");
    r.payloadHeaderBytes = utf8(r.payloadHeader);
    r.payloadOutput = set.outputHeaders.indexOf(r.payloadHeader);
  }
  const claims = e.array(v, "outputClaimToHeaders", path);
  for (let i = 0; i < claims.length; i++) {
    const cp = path + ".outputClaimToHeaders[" + i.toString() + "]";
    const c = e.object(claims[i], cp);
    if (c === null) continue;
    e.onlyKnown(c, cp, ["header", "claim"]);
    const header = e.string(c, "header", cp, "");
    const claim = e.string(c, "claim", cp, "");
    if (header.length == 0 || claim.length == 0) { e.fail(cp, "needs \"header\" and \"claim\""); continue; }
    const parts = claim.split(".");
    if (parts.includes("")) { e.fail(cp + ".claim", "has an empty path segment"); continue; }
    r.claimHeaders.push(new ClaimHeader(outputHeader(e, set, header, cp + ".header"), parts, set.outputHeaders));
  }
  if (r.remote === null) {
    if (v.has("jwksCluster")) e.fail(path + ".jwksCluster", "needs jwksUri");
    if (v.has("jwksCacheDuration")) e.fail(path + ".jwksCacheDuration", "needs jwksUri");
  }

  // Token locations: the defaults apply only when none is configured (as Envoy's extractor does).
  const headers = e.array(v, "fromHeaders", path);
  const params = e.strings(v, "fromParams", path);
  const cookies = e.strings(v, "fromCookies", path);
  for (let i = 0; i < headers.length; i++) {
    const hp = path + ".fromHeaders[" + i.toString() + "]";
    const h = e.object(headers[i], hp);
    if (h === null) continue;
    e.onlyKnown(h, hp, ["name", "prefix"]);
    const name = asciiLower(e.string(h, "name", hp, ""));
    const problem = headerNameProblem(name);
    if (problem !== null) { e.fail(hp + ".name", problem); continue; }
    addLocation(set, LocationKind.Header, name, e.string(h, "prefix", hp, ""), index);
  }
  for (let i = 0; i < params.length; i++) {
    if (params[i].length == 0) e.fail(path + ".fromParams[" + i.toString() + "]", "must not be empty");
    addLocation(set, LocationKind.Param, params[i], "", index);
  }
  for (let i = 0; i < cookies.length; i++) {
    if (cookies[i].length == 0) e.fail(path + ".fromCookies[" + i.toString() + "]", "must not be empty");
    addLocation(set, LocationKind.Cookie, cookies[i], "", index);
  }
  if (headers.length == 0 && params.length == 0 && cookies.length == 0) {
    addLocation(set, LocationKind.Header, "authorization", "Bearer ", index);
    addLocation(set, LocationKind.Param, "access_token", "", index);
  }
  return r;
}

export function compileRules(e: FieldErrors, list: Array<JsonValue>): RuleSet {
  const set = new RuleSet();
  for (let i = 0; i < list.length; i++) {
    const path = "jwtRules[" + i.toString() + "]";
    const v = e.object(list[i], path);
    if (v === null) break;
    const rule = compileRule(e, set, v, path, i);
    if (rule.remote !== null) set.hasRemote = true;
    set.rules.push(rule);
    if (!e.ok) break;
  }
  set.outputState = new StaticArray<u8>(set.outputHeaders.length);
  for (let i = 0; i < set.rules.length; i++) set.order.push(i);
  // Insertion sort (a handful of rules), stable for equal issuers.
  for (let i = 1; i < set.order.length; i++) {
    const x = set.order[i];
    let j = i - 1;
    while (j >= 0 && set.rules[set.order[j]].issuer > set.rules[x].issuer) { set.order[j + 1] = set.order[j]; j--; }
    set.order[j + 1] = x;
  }
  return set;
}
