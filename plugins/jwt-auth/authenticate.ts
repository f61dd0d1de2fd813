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
import { KID_REFETCH_NS } from "./jwks-fetcher";
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

/** The clock, and the rules whose keys this request already waited for (it never waits twice for one). */
export class Moment {
  constructor(public nowNs: u64, public fetched: Array<i32>) {}
  get seconds(): i64 { return <i64>(this.nowNs / 1_000_000_000); }
  mayFetch(rule: i32): bool { return !this.fetched.includes(rule); }
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

/** Checks one token against one rule: issuer, nbf/exp, audience, then the signature (cached). */
function checkToken(set: RuleSet, cache: VerifiedCache, ruleIndex: i32, loc: Location, token: string, at: Moment, out: AuthResult): Failure {
  const nowSeconds = at.seconds;
  const parsed = parseJwt(token);
  if (parsed.failure != Failure.None) return parsed.failure;
  const jwt = parsed.jwt!;
  const rule = set.rules[ruleIndex];
  if (rule.issuer.length > 0 && (!jwt.hasIss || rule.issuer != jwt.iss)) return Failure.UnknownIssuer;
  if (jwt.nbf > 0 && nowSeconds + CLOCK_SKEW_SECONDS < jwt.nbf) return Failure.NotYetValid;
  if (jwt.exp > 0 && nowSeconds > jwt.exp + CLOCK_SKEW_SECONDS) return Failure.Expired;
  if (!audienceAllowed(rule, jwt)) return Failure.AudienceNotAllowed;
  if (!cache.has(token, ruleIndex)) {
    const remote = rule.remote;
    if (remote !== null && !remote.isFresh(at.nowNs)) {
      // Stale keys are still used when a refresh just failed; no keys at all fails closed.
      if (at.mayFetch(ruleIndex)) { out.needRule = ruleIndex; return Failure.NeedKeys; }
      if (remote.fetchedNs == 0) return Failure.JwksFetchFailed;
    }
    const sig = verifySignature(jwt, rule.keys);
    // An unknown kid may mean the issuer rotated its keys: refetch once (rate-limited per rule).
    if (sig == Failure.KidAlgUnmatch && remote !== null && at.mayFetch(ruleIndex) && at.nowNs - remote.kidRefetchNs >= KID_REFETCH_NS) {
      remote.kidRefetchNs = at.nowNs;
      out.needRule = ruleIndex;
      return Failure.NeedKeys;
    }
    if (sig != Failure.None) return sig;
    cache.add(token, ruleIndex);
  }
  out.verified.push(new Verified(jwt, rule, loc));
  return Failure.None;
}

/**
 * Every token in one rule's locations must pass that rule (Envoy's authenticator for one provider stops
 * at the first failure). No token: Missing, which only a requirement that needs a token treats as failure.
 */
function checkRule(set: RuleSet, cache: VerifiedCache, ruleIndex: i32, path: string, at: Moment, out: AuthResult): Failure {
  let found = false;
  for (let i = 0; i < set.locations.length; i++) {
    const loc = set.locations[i];
    if (!loc.rules.includes(ruleIndex)) continue;
    const token = extract(loc, path);
    if (token === null) continue;
    found = true;
    const f = checkToken(set, cache, ruleIndex, loc, token, at, out);
    if (f != Failure.None) return f;
  }
  return found ? Failure.None : Failure.Missing;
}

/**
 * Istio's requirement, evaluated as Envoy does. One rule: its tokens must pass, none is fine. Several rules
 * (in issuer order): any of [rule 0 alone with a token, rule 1 alone, ..., all rules each passing or
 * absent]; the first alternative that passes decides which tokens were used (others stay untouched), and a
 * refusal reports the last alternative's reason.
 */
export function authenticate(set: RuleSet, cache: VerifiedCache, path: string, at: Moment): AuthResult {
  const order = set.order;
  if (order.length > 1) {
    for (let i = 0; i < order.length; i++) {
      const alone = new AuthResult();
      const f = checkRule(set, cache, order[i], path, at, alone);
      if (f == Failure.None || f == Failure.NeedKeys) { alone.failure = f; return alone; }
    }
  }
  const out = new AuthResult();
  for (let i = 0; i < order.length; i++) {
    const f = checkRule(set, cache, order[i], path, at, out);
    if (f != Failure.None && f != Failure.Missing) { out.failure = f; return out; }
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
    // Added, not replaced: like Envoy, each verified token contributes its own copy.
    if (v.rule.payloadHeader.length > 0) requestHeaders.add(v.rule.payloadHeader, v.jwt.payloadSegment);
    const claims = v.rule.claimHeaders;
    for (let j = 0; j < claims.length; j++) {
      const c = claimAt(v.jwt.payload, claims[j].path);
      if (c === null) continue;
      const text = claimHeaderValue(c);
      if (text !== null) requestHeaders.add(claims[j].header, text);
    }
  }
}

export function stripOutputHeaders(set: RuleSet): void {
  for (let i = 0; i < set.outputHeaders.length; i++) requestHeaders.remove(set.outputHeaders[i]);
}

