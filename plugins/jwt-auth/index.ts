// jwt-auth: Istio RequestAuthentication (jwtRules) in Wasm, answering as Envoy's jwt_authn does.
// Only the callback groups the plugin implements (no response, body, on_done or on_log calls per request).
export * from "../../sdk/callbacks/core";
export * from "../../sdk/callbacks/http-request";
export * from "../../sdk/callbacks/callouts";
export * from "../../sdk/callbacks/timers";
import {
  continueRequest, GrpcStatus, Header, HeadersStatus, HttpContext, logError, nowNanos, PeekedValue, pluginConfigBytes, registerRoot, requestHeaders,
  RootContext, sendLocalResponse, setProperty, setTickPeriod, propertyPath, utf8,
} from "../../sdk";
import { JsonOptions, parseJsonPtr } from "../../assembly/json/index";
import { applyOutputs, authenticate, Moment, stripOutputHeaders } from "./authenticate";
import { Failure, failureBody, failureStatus } from "./failure";
import { JwksFetcher, Resumable } from "./jwks-fetcher";
import { FieldErrors } from "./fields";
import { compileRules, RuleSet } from "./rules";
import { authorize, compilePolicies, Policy, RequestFacts } from "./policy";
import { AuthResult } from "./authenticate";
import { VerifiedCache } from "./verified-cache";
import { hostHasVerifySignature, setVerifyWith, VerifyWith, verifyWithOf } from "./host-verify";
import { RequestPath } from "./request-path";

function requestHeader(name: string): string | null {
  return requestHeaders.get(name);
}

const RBAC_DENIED = "RBAC: access denied";
const STATE_PRINCIPAL = propertyPath(["jwt_auth_principal"]);
const STATE_CLAIMS = propertyPath(["jwt_auth_claims"]);

const EMPTY_CONFIG = String.UTF8.encode("{}");

class JwtAuthRoot extends RootContext {
  rules: RuleSet = new RuleSet();
  policies: Array<Policy> = new Array<Policy>();
  /** Write the principal and claims as filter state (two host calls per verified request): only when asked. */
  filterState: bool = false;
  cache: VerifiedCache = new VerifiedCache();
  stream: JwtAuthStream = new JwtAuthStream(this);
  fetcher: JwksFetcher = new JwksFetcher(this, new RuleSet());
  /** Fetchers of earlier configurations with calls still in flight: their waiters must still resume. */
  retired: Array<JwksFetcher> = new Array<JwksFetcher>();

  onConfigure(size: i32): bool {
    const bytes = pluginConfigBytes(size);
    const e = new FieldErrors();
    const parsed = bytes.length == 0 ? parseJsonPtr(changetype<usize>(EMPTY_CONFIG), 2) : parseJsonPtr(bytes.ptr, bytes.length, new JsonOptions().depth(32).bytes(1 << 20));
    const v = parsed.value;
    if (!parsed.ok) e.fail("pluginConfig", "is not valid JSON: " + parsed.message);
    else if (!v.isObject) e.fail("pluginConfig", "must be a JSON object");
    else {
      e.onlyKnown(v, "pluginConfig", ["jwtRules", "policies", "filterState", "verifyWith"]);
      const filterState = e.bool(v, "filterState", "pluginConfig", false);
      const verifyWith = verifyWithOf(e.string(v, "verifyWith", "pluginConfig", "auto"));
      if (e.ok && verifyWith < 0) e.fail("pluginConfig.verifyWith", "must be \"wasm\", \"host\" or \"auto\"");
      else if (e.ok && verifyWith == VerifyWith.Host && !hostHasVerifySignature()) {
        e.fail("pluginConfig.verifyWith", "\"host\" needs the host's verify_signature foreign function, which this host lacks");
      }
      const rules = e.ok ? compileRules(e, e.array(v, "jwtRules", "pluginConfig")) : new RuleSet();
      const policies = e.ok ? compilePolicies(e, e.array(v, "policies", "pluginConfig")) : new Array<Policy>();
      if (e.ok) {
        this.rules = rules;
        this.policies = policies;
        this.filterState = filterState;
        setVerifyWith(<VerifyWith>verifyWith);
        this.cache = new VerifiedCache(policies.length > 0 || rules.rules.length > 1);
        if (!this.fetcher.idle) this.retired.push(this.fetcher);
        this.fetcher = new JwksFetcher(this, rules);
        // Ticks drive the background refresh of remote keys.
        setTickPeriod(rules.hasRemote ? 1000 : 0);
      }
    }
    if (!e.ok) {
      logError("jwt-auth: bad configuration: ", e.error!);
      return false;
    }
    return true;
  }

  // Without remote JWKS no per-request state survives a callback, so one context object serves every stream.
  // A stream waiting for a JWKS fetch needs its own context.
  createHttpContext(id: u32): HttpContext | null { return this.rules.hasRemote ? new JwtAuthStream(this) : this.stream; }

  onHttpCallResponse(callId: u32, numHeaders: i32, bodySize: i32, numTrailers: i32): void {
    if (this.fetcher.owns(callId)) { this.fetcher.onResponse(callId, bodySize, nowNanos()); return; }
    for (let i = 0; i < this.retired.length; i++) {
      const f = this.retired[i];
      if (!f.owns(callId)) continue;
      f.onResponse(callId, bodySize, nowNanos());
      if (f.idle) this.retired.splice(i, 1);
      return;
    }
  }

  onTick(): void { this.fetcher.refreshDue(nowNanos()); }
}

const METHOD = utf8(":method");
const OPTIONS = utf8("OPTIONS");
const ORIGIN = utf8("origin");
const ACRM = utf8("access-control-request-method");

const method = new PeekedValue();

function isCorsPreflight(): bool {
  return requestHeaders.peek(METHOD, method) && method.equals(OPTIONS)
    && requestHeaders.has(ORIGIN) && requestHeaders.has(ACRM);
}

/** Envoy's jwt_authn cuts the path of the realm URL to this many characters. */
const REALM_MAX_PATH: i32 = 256;

/** The original URL for WWW-Authenticate's realm, built as Envoy does (forwarded scheme first); like
 *  Envoy, nothing is escaped. */
function originalUrl(path: string): string {
  let scheme = requestHeaders.get("x-forwarded-proto");
  if (scheme === null) scheme = requestHeaders.get(":scheme");
  const host = requestHeaders.get(":authority");
  const p = path.length > REALM_MAX_PATH ? path.substring(0, REALM_MAX_PATH) : path;
  return (scheme === null ? "http" : scheme) + "://" + (host === null ? "" : host) + p;
}

function facts(f: RequestFacts, result: AuthResult, path: RequestPath): RequestFacts {
  // As Envoy's rbac sees the jwt_authn metadata: the payload of the first verified token, even when a
  // later one has the iss and sub this one lacks.
  f.reset(path, result.verified.length > 0 ? result.verified[0].jwt : null);
  return f;
}

enum Outcome { Continue = 0, Answered = 1, Waiting = 2 }

class JwtAuthStream extends Resumable {
  private path: RequestPath = new RequestPath();
  /** The clock, and the rules whose keys this stream already waited for. */
  private moment: Moment = new Moment(0, new Array<i32>());
  /** Reused by each request: a request with a cached token allocates nothing (so never causes a collection). */
  private result: AuthResult = new AuthResult();
  private facts: RequestFacts = new RequestFacts();

  constructor(private auth: JwtAuthRoot) { super(); }

  onRequestHeaders(numHeaders: i32, endOfStream: bool): HeadersStatus {
    if (isCorsPreflight()) return HeadersStatus.Continue;
    this.path.load();
    this.moment.fetched.length = 0;
    return this.process() == Outcome.Continue ? HeadersStatus.Continue : HeadersStatus.StopIteration;
  }

  /** The keys this stream waited for arrived (or their fetch failed): check the request again. */
  resume(): void {
    if (this.process() == Outcome.Continue) continueRequest();
  }

  private process(): Outcome {
    const set = this.auth.rules;
    const path = this.path;
    const now = nowNanos();
    const at = this.moment;
    at.nowNs = now;
    const result = this.result;
    authenticate(set, this.auth.cache, path, at, result);
    if (result.failure == Failure.NeedKeys) {
      at.fetched.push(result.needRule);
      if (this.auth.fetcher.start(result.needRule, now)) {
        path.keep();
        this.auth.fetcher.wait(result.needRule, this);
        return Outcome.Waiting;
      }
      return this.process();
    }
    if (result.failure != Failure.None) {
      const realm = originalUrl(path.text);
      const headers: Header[] = [new Header("www-authenticate", "Bearer realm=\"" + realm + "\", error=\"invalid_token\"")];
      const body = failureBody(result.failure);
      sendLocalResponse(failureStatus(result.failure), body, headers, GrpcStatus.None, "jwt_authn_access_denied{" + body.replaceAll(" ", "_") + "}");
      return Outcome.Answered;
    }
    if (result.verified.length == 0) stripOutputHeaders(set);
    else {
      applyOutputs(set, result, path);
      if (this.auth.filterState) {
        // Filter state for later plugins (Envoy: property wasm.jwt_auth_principal / wasm.jwt_auth_claims).
        const jwt = result.verified[0].jwt;
        if (jwt.hasIss && jwt.hasSub) setProperty(STATE_PRINCIPAL, jwt.iss + "/" + jwt.sub);
        setProperty(STATE_CLAIMS, jwt.payloadJson);
      }
    }
    // Policies run after the token edits, as Envoy's rbac filter runs after jwt_authn: header conditions
    // see the request as the upstream would. Their facts are only gathered when there are policies.
    if (this.auth.policies.length > 0 && !authorize(this.auth.policies, facts(this.facts, result, path), requestHeader)) {
      sendLocalResponse(403, RBAC_DENIED, [], GrpcStatus.None, "rbac_access_denied_matched_policy");
      return Outcome.Answered;
    }
    return Outcome.Continue;
  }
}

registerRoot((id: u32): RootContext => new JwtAuthRoot());
