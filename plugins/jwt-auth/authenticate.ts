// The per-request path of jwtRules: find the tokens, check each one in Envoy's order (format →
// issuer → time → audience → signature), then edit the request (token removal, output headers).
import { getCookie } from "../../assembly/encoding/index";
import { requestHeaders } from "../../sdk";
import { claimAt, claimHeaderValue } from "./claims-out";
import { Failure } from "./failure";
import { Jwt, parseJwt } from "./jwt";
import { queryParam, withoutQueryParam } from "./query-param";
import { Location, LocationKind, normalizeAudience, Rule, RuleSet } from "./rules";
import { VerifiedCache } from "./verified-cache";
import { verifySignature } from "./verify";

const CLOCK_SKEW_SECONDS: i64 = 60;

/** A token that passed, with where it came from and the rule that accepted it. */
export class Verified {
  constructor(public jwt: Jwt, public rule: Rule, public location: Location) {}
}

export class AuthResult {
  verified: Array<Verified> = new Array<Verified>();
  failure: Failure = Failure.None;
  /** With Failure.NeedKeys: the rule whose remote keys must be fetched. */
  needRule: i32 = -1;
}

/** The clock and whether this pass may ask for a JWKS fetch (not when re-checking after one). */
export class Moment {
  constructor(public nowNs: u64, public mayFetch: bool) {}
  get seconds(): i64 { return <i64>(this.nowNs / 1_000_000_000); }
}

function extract(loc: Location, path: string): string | null {
  if (loc.kind == LocationKind.Param) return queryParam(path, loc.name);
  if (loc.kind == LocationKind.Cookie) {
    const cookies = requestHeaders.get("cookie");
    return cookies === null ? null : getCookie(cookies, loc.name);
  }
  const value = requestHeaders.get(loc.name);
  // "bearer x" (wrong case), "Basic x" and a bare "Bearer " are not tokens: the request goes on as anonymous.
  if (value === null || !value.startsWith(loc.prefix)) return null;
  const token = value.substring(loc.prefix.length);
  return token.length == 0 ? null : token;
}

function audienceAllowed(rule: Rule, jwt: Jwt): bool {
  if (rule.audiences.length == 0) return true;
  for (let i = 0; i < jwt.audiences.length; i++) {
    if (rule.audiences.includes(normalizeAudience(jwt.audiences[i]))) return true;
  }
  return false;
}

function checkToken(set: RuleSet, cache: VerifiedCache, loc: Location, token: string, at: Moment, out: AuthResult): Failure {
  const nowSeconds = at.seconds;
  const parsed = parseJwt(token);
  if (parsed.failure != Failure.None) return parsed.failure;
  const jwt = parsed.jwt!;
  let rule: Rule | null = null;
  let ruleIndex: i32 = -1;
  for (let i = 0; i < loc.rules.length && rule === null; i++) {
    const r = set.rules[loc.rules[i]];
    if (r.issuer.length == 0 || (jwt.hasIss && r.issuer == jwt.iss)) { rule = r; ruleIndex = loc.rules[i]; }
  }
  if (rule === null) return Failure.UnknownIssuer;
  if (jwt.nbf > 0 && nowSeconds + CLOCK_SKEW_SECONDS < jwt.nbf) return Failure.NotYetValid;
  if (jwt.exp > 0 && nowSeconds > jwt.exp + CLOCK_SKEW_SECONDS) return Failure.Expired;
  if (!audienceAllowed(rule, jwt)) return Failure.AudienceNotAllowed;
  if (!cache.has(token, ruleIndex)) {
    const remote = rule.remote;
    if (remote !== null && !remote.isFresh(at.nowNs)) {
      // Stale keys are still used when a refresh just failed; no keys at all fails closed.
      if (at.mayFetch) { out.needRule = ruleIndex; return Failure.NeedKeys; }
      if (remote.fetchedNs == 0) return Failure.JwksFetchFailed;
    }
    const sig = verifySignature(jwt, rule.keys);
    if (sig != Failure.None) return sig;
    cache.add(token, ruleIndex);
  }
  out.verified.push(new Verified(jwt, rule, loc));
  return Failure.None;
}

/** Checks every token the request carries; stops at the first failure. */
export function authenticate(set: RuleSet, cache: VerifiedCache, path: string, at: Moment): AuthResult {
  const out = new AuthResult();
  for (let i = 0; i < set.locations.length; i++) {
    const loc = set.locations[i];
    const token = extract(loc, path);
    if (token === null) continue;
    const f = checkToken(set, cache, loc, token, at, out);
    if (f != Failure.None) { out.failure = f; return out; }
  }
  return out;
}

/** After success: drop consumed tokens, strip client copies of output headers, add ours. */
export function applyOutputs(set: RuleSet, result: AuthResult, path: string): void {
  let newPath = path;
  for (let i = 0; i < result.verified.length; i++) {
    const v = result.verified[i];
    if (v.rule.forward) continue;
    if (v.location.kind == LocationKind.Header) requestHeaders.remove(v.location.name);
    else if (v.location.kind == LocationKind.Param) newPath = withoutQueryParam(newPath, v.location.name);
  }
  if (newPath != path) requestHeaders.replace(":path", newPath);
  stripOutputHeaders(set);
  for (let i = 0; i < result.verified.length; i++) {
    const v = result.verified[i];
    if (v.rule.payloadHeader.length > 0) requestHeaders.replace(v.rule.payloadHeader, v.jwt.payloadSegment);
    const claims = v.rule.claimHeaders;
    for (let j = 0; j < claims.length; j++) {
      const c = claimAt(v.jwt.payload, claims[j].path);
      if (c === null) continue;
      const text = claimHeaderValue(c);
      if (text !== null) requestHeaders.replace(claims[j].header, text);
    }
  }
}

export function stripOutputHeaders(set: RuleSet): void {
  for (let i = 0; i < set.outputHeaders.length; i++) requestHeaders.remove(set.outputHeaders[i]);
}

