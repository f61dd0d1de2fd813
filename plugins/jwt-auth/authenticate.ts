// The per-request path of jwtRules: find the tokens, check each one in Envoy's order (format →
// issuer → time → audience → signature), then edit the request (token removal, output headers).
import { getCookie } from "../../assembly/encoding/index";
import { PeekedValue, requestHeaders } from "../../sdk";
import { claimAt, claimHeaderValue } from "./claims-out";
import { Failure } from "./failure";
import { Jwt, parseJwtBytes } from "./jwt";
import { queryParam, withoutQueryParam } from "./query-param";
import { Location, LocationKind, normalizeAudience, Rule, RuleSet } from "./rules";
import { RulePass, VerifiedCache } from "./verified-cache";
import { KID_REFETCH_NS } from "./jwks-fetcher";
import { verifySignature } from "./verify";
import { RequestPath } from "./request-path";

const CLOCK_SKEW_SECONDS: i64 = 60;

/** A token that passed, with where it came from and the rule that accepted it. */
export class Verified {
  constructor(public jwt: Jwt, public rule: Rule, public location: Location, public pass: RulePass) {}
}

/** One per stream, reused by every request on it (with its Verified records), so a request whose token
 *  is cached allocates nothing. */
export class AuthResult {
  verified: Array<Verified> = new Array<Verified>();
  failure: Failure = Failure.None;
  /** With Failure.NeedKeys: the rule whose remote keys must be fetched. */
  needRule: i32 = -1;
  private pool: Array<Verified> = new Array<Verified>();

  reset(): void {
    this.verified.length = 0;
    this.failure = Failure.None;
    this.needRule = -1;
  }

  add(jwt: Jwt, rule: Rule, location: Location, pass: RulePass): void {
    const n = this.verified.length;
    if (n < this.pool.length) {
      const v = this.pool[n];
      v.jwt = jwt;
      v.rule = rule;
      v.location = location;
      v.pass = pass;
      this.verified.push(v);
    } else {
      const v = new Verified(jwt, rule, location, pass);
      this.pool.push(v);
      this.verified.push(v);
    }
  }
}

/** The clock, and the rules whose keys this request already waited for (it never waits twice for one). */
export class Moment {
  constructor(public nowNs: u64, public fetched: Array<i32>) {}
  get seconds(): i64 { return <i64>(this.nowNs / 1_000_000_000); }
  mayFetch(rule: i32): bool { return !this.fetched.includes(rule); }
}

/** The token being checked: one at a time (checked before the next location is read). A header token
 *  points into the host's value; a query or cookie token into `held`, a copy. */
class TokenBytes {
  ptr: usize = 0;
  len: i32 = 0;
  held: ArrayBuffer | null = null;
  header: PeekedValue = new PeekedValue();

  hold(s: string | null): bool {
    if (s === null) return false;
    const b = String.UTF8.encode(s);
    this.held = b;
    this.ptr = changetype<usize>(b);
    this.len = b.byteLength;
    return true;
  }
}

const token = new TokenBytes();

/** Reads the token at one location into `token`; false when there is none. */
function extract(loc: Location, path: RequestPath): bool {
  if (loc.kind == LocationKind.Param) return path.hasQuery() && token.hold(queryParam(path.text, loc.name));
  if (loc.kind == LocationKind.Cookie) {
    const cookies = requestHeaders.get("cookie");
    return cookies !== null && token.hold(getCookie(cookies, loc.name));
  }
  const value = token.header;
  // "bearer x" (wrong case), "Basic x" and a bare "Bearer " are not tokens: the request goes on as anonymous.
  const n = loc.prefixBytes.byteLength;
  if (!requestHeaders.peek(loc.nameBytes, value) || value.length <= n) return false;
  if (n > 0 && memory.compare(value.ptr, changetype<usize>(loc.prefixBytes), <usize>n) != 0) return false;
  token.ptr = value.ptr + <usize>n;
  token.len = value.length - n;
  return true;
}

function audienceAllowed(rule: Rule, jwt: Jwt): bool {
  if (rule.audiences.length == 0) return true;
  const audiences = jwt.audiences;
  for (let i = 0; i < audiences.length; i++) {
    const a = audiences[i];
    const k = rule.audiences.indexOf(normalizeAudience(a));
    if (k < 0) continue;
    // The rule's equal string, when it is: a remembered token then holds fewer objects for the collector.
    const r = rule.audiences[k];
    if (r == a) {
      if (audiences.length == 1) jwt.audiences = rule.soleAudience(k);
      else audiences[i] = r;
    }
    return true;
  }
  return false;
}

function timeFailure(jwt: Jwt, nowSeconds: i64): Failure {
  if (jwt.nbf > 0 && nowSeconds + CLOCK_SKEW_SECONDS < jwt.nbf) return Failure.NotYetValid;
  if (jwt.exp > 0 && nowSeconds > jwt.exp + CLOCK_SKEW_SECONDS) return Failure.Expired;
  return Failure.None;
}

/** What every token passing a rule without claim headers yields. */
const NO_CLAIMS: RulePass = new StaticArray<ArrayBuffer | null>(0);

/** What the rule's claim headers carry for this token; computed once per (token, rule). */
function rulePass(rule: Rule, jwt: Jwt): RulePass {
  const claims = rule.claimHeaders;
  if (claims.length == 0) return NO_CLAIMS;
  const values = new StaticArray<ArrayBuffer | null>(claims.length);
  for (let j = 0; j < claims.length; j++) {
    values[j] = null;
    const c = claimAt(jwt.payload, claims[j].path);
    if (c === null) continue;
    const text = claimHeaderValue(c);
    if (text !== null) values[j] = String.UTF8.encode(text);
  }
  return values;
}

/** Checks one token against one rule: issuer, nbf/exp, audience, then the signature (cached). */
function checkToken(set: RuleSet, cache: VerifiedCache, ruleIndex: i32, loc: Location, at: Moment, out: AuthResult): Failure {
  const rule = set.rules[ruleIndex];
  const entry: Jwt | null = cache.find(token.ptr, token.len);
  let jwt: Jwt;
  if (entry !== null) {
    jwt = entry;
    const pass = entry.passed[ruleIndex];
    if (pass !== null) {
      // Issuer, audience and signature already passed under this rule: only the clock can refuse now.
      const t = timeFailure(jwt, at.seconds);
      if (t != Failure.None) return t;
      out.add(jwt, rule, loc, pass);
      return Failure.None;
    }
  } else {
    const parsed = parseJwtBytes(token.ptr, token.len);
    if (parsed.failure != Failure.None) return parsed.failure;
    jwt = parsed.jwt!;
  }
  if (rule.issuer.length > 0) {
    if (!jwt.hasIss || rule.issuer != jwt.iss) return Failure.UnknownIssuer;
    // The rule's equal string: a remembered token then holds one object less for the collector to mark.
    jwt.iss = rule.issuer;
  }
  const t = timeFailure(jwt, at.seconds);
  if (t != Failure.None) return t;
  if (!audienceAllowed(rule, jwt)) return Failure.AudienceNotAllowed;
  const remote = rule.remote;
  if (remote !== null && !remote.isFresh(at.nowNs)) {
    // Stale keys are still used when a refresh just failed; no keys at all fails closed.
    if (at.mayFetch(ruleIndex)) { out.needRule = ruleIndex; return Failure.NeedKeys; }
    if (remote.fetchedNs == 0) return Failure.JwksFetchFailed;
  }
  // A remembered token keeps no signature (see Jwt.forgetSignature): decode it again for this rule.
  if (entry !== null) jwt.restoreSignature();
  const sig = verifySignature(jwt, rule.keys);
  jwt.forgetSignature();
  // An unknown kid may mean the issuer rotated its keys: refetch once (rate-limited per rule).
  if (sig == Failure.KidAlgUnmatch && remote !== null && at.mayFetch(ruleIndex) && at.nowNs - remote.kidRefetchNs >= KID_REFETCH_NS) {
    remote.kidRefetchNs = at.nowNs;
    out.needRule = ruleIndex;
    return Failure.NeedKeys;
  }
  if (sig != Failure.None) return sig;
  const e = entry !== null ? entry : cache.add(jwt, set.rules.length);
  const pass = rulePass(rule, jwt);
  e.passed[ruleIndex] = pass;
  if (!cache.keepPayloads) jwt.dropPayload();
  out.add(jwt, rule, loc, pass);
  return Failure.None;
}

/**
 * Every token in one rule's locations must pass that rule (Envoy's authenticator for one provider stops
 * at the first failure). No token: Missing, which only a requirement that needs a token treats as failure.
 */
function checkRule(set: RuleSet, cache: VerifiedCache, ruleIndex: i32, path: RequestPath, at: Moment, out: AuthResult): Failure {
  let found = false;
  for (let i = 0; i < set.locations.length; i++) {
    const loc = set.locations[i];
    if (!loc.rules.includes(ruleIndex)) continue;
    if (!extract(loc, path)) continue;
    found = true;
    const f = checkToken(set, cache, ruleIndex, loc, at, out);
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
export function authenticate(set: RuleSet, cache: VerifiedCache, path: RequestPath, at: Moment, out: AuthResult): void {
  const order = set.order;
  if (order.length > 1) {
    for (let i = 0; i < order.length; i++) {
      out.reset();
      const f = checkRule(set, cache, order[i], path, at, out);
      if (f == Failure.None || f == Failure.NeedKeys) { out.failure = f; return; }
    }
  }
  out.reset();
  for (let i = 0; i < order.length; i++) {
    const f = checkRule(set, cache, order[i], path, at, out);
    if (f != Failure.None && f != Failure.Missing) { out.failure = f; return; }
  }
}

const UNTOUCHED: u8 = 0;
const WILL_WRITE: u8 = 1;
const WRITTEN: u8 = 2;

/** Writes one output header value: the first value of a name replaces the client's copies (Envoy's
 *  replace = remove every copy, then append), later ones are appended. */
function writeOutput(set: RuleSet, output: i32, name: ArrayBuffer, value: ArrayBuffer): void {
  if (set.outputState[output] == WRITTEN) requestHeaders.add(name, value);
  else {
    requestHeaders.replace(name, value);
    set.outputState[output] = WRITTEN;
  }
}

/** After success: drop consumed tokens, strip client copies of output headers, add ours. */
export function applyOutputs(set: RuleSet, result: AuthResult, path: RequestPath): void {
  let newPath: string | null = null;
  for (let i = 0; i < result.verified.length; i++) {
    const v = result.verified[i];
    if (v.rule.forward) continue;
    if (v.location.kind == LocationKind.Header) requestHeaders.remove(v.location.nameBytes);
    else if (v.location.kind == LocationKind.Param) newPath = withoutQueryParam(newPath !== null ? newPath : path.text, v.location.name);
  }
  if (newPath !== null && newPath != path.text) requestHeaders.replace(":path", newPath);
  // Client copies of every output header go; a header we write is cleared by its first replace instead of
  // a separate remove (same result: other names' edits in between do not touch it).
  const state = set.outputState;
  for (let k = 0; k < state.length; k++) state[k] = UNTOUCHED;
  for (let i = 0; i < result.verified.length; i++) {
    const v = result.verified[i];
    if (v.rule.payloadOutput >= 0) state[v.rule.payloadOutput] = WILL_WRITE;
    const claims = v.rule.claimHeaders;
    for (let j = 0; j < claims.length; j++) if (v.pass[j] !== null) state[claims[j].output] = WILL_WRITE;
  }
  for (let k = 0; k < state.length; k++) if (state[k] == UNTOUCHED) requestHeaders.remove(set.outputHeaderBytes[k]);
  for (let i = 0; i < result.verified.length; i++) {
    const v = result.verified[i];
    // Each verified token contributes its own copy, as in Envoy.
    if (v.rule.payloadOutput >= 0) writeOutput(set, v.rule.payloadOutput, v.rule.payloadHeaderBytes, v.jwt.payloadSegmentBytes);
    const claims = v.rule.claimHeaders;
    const values = v.pass;
    for (let j = 0; j < claims.length; j++) {
      const text = values[j];
      if (text !== null) writeOutput(set, claims[j].output, claims[j].headerBytes, text);
    }
  }
}

export function stripOutputHeaders(set: RuleSet): void {
  const names = set.outputHeaderBytes;
  for (let i = 0; i < names.length; i++) requestHeaders.remove(names[i]);
}
