// jwt-auth: Istio RequestAuthentication (jwtRules) in Wasm, answering as Envoy's jwt_authn does.
export * from "../../sdk/exports";
import {
  continueRequest, GrpcStatus, Header, HeadersStatus, httpCall, httpCallResponseBody, httpCallResponseHeaders, HttpContext,
  logError, logWarn, nowNanos, pluginConfigBytes, registerRoot, requestHeaders, RootContext, sendLocalResponse, setProperty, propertyPath,
} from "../../sdk";
import { JsonOptions, parseJsonPtr } from "../../assembly/json/index";
import { applyOutputs, authenticate, Moment, stripOutputHeaders } from "./authenticate";
import { Failure, failureBody, failureStatus } from "./failure";
import { keysFromFetch } from "./remote-jwks";
import { FieldErrors } from "./fields";
import { compileRules, RuleSet } from "./rules";
import { authorize, compilePolicies, Policy, RequestFacts } from "./policy";
import { AuthResult } from "./authenticate";
import { VerifiedCache } from "./verified-cache";

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
  cache: VerifiedCache = new VerifiedCache();
  stream: JwtAuthStream = new JwtAuthStream(this);

  onConfigure(size: i32): bool {
    const bytes = pluginConfigBytes(size);
    const e = new FieldErrors();
    const parsed = bytes.length == 0 ? parseJsonPtr(changetype<usize>(EMPTY_CONFIG), 2) : parseJsonPtr(bytes.ptr, bytes.length, new JsonOptions().depth(32).bytes(1 << 20));
    const v = parsed.value;
    if (!parsed.ok) e.fail("pluginConfig", "is not valid JSON: " + parsed.message);
    else if (!v.isObject) e.fail("pluginConfig", "must be a JSON object");
    else {
      e.onlyKnown(v, "pluginConfig", ["jwtRules", "policies"]);
      const rules = e.ok ? compileRules(e, e.array(v, "jwtRules", "pluginConfig")) : new RuleSet();
      const policies = e.ok ? compilePolicies(e, e.array(v, "policies", "pluginConfig")) : new Array<Policy>();
      if (e.ok) {
        this.rules = rules;
        this.policies = policies;
        this.cache = new VerifiedCache();
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
}

function isCorsPreflight(): bool {
  const method = requestHeaders.get(":method");
  return method !== null && method == "OPTIONS" && requestHeaders.has("origin") &&
    requestHeaders.has("access-control-request-method");
}

/** The original URL for WWW-Authenticate's realm, built as Envoy does (forwarded scheme first). */
function originalUrl(path: string): string {
  let scheme = requestHeaders.get("x-forwarded-proto");
  if (scheme === null) scheme = requestHeaders.get(":scheme");
  const host = requestHeaders.get(":authority");
  return (scheme === null ? "http" : scheme) + "://" + (host === null ? "" : host) + path;
}

function facts(result: AuthResult, path: string): RequestFacts {
  const f = new RequestFacts();
  const m = requestHeaders.get(":method");
  f.method = m === null ? "" : m;
  const a = requestHeaders.get(":authority");
  f.host = a === null ? "" : a.toLowerCase();
  const colon = f.host.lastIndexOf(":");
  f.hostNoPort = colon > 0 && !f.host.endsWith("]") ? f.host.substring(0, colon) : f.host;
  const q = path.indexOf("?");
  f.path = q < 0 ? path : path.substring(0, q);
  for (let i = 0; i < result.verified.length; i++) {
    const jwt = result.verified[i].jwt;
    if (f.jwt === null) f.jwt = jwt;
    if (jwt.hasIss && jwt.hasSub) {
      f.principal = jwt.iss + "/" + jwt.sub;
      f.jwt = jwt;
      break;
    }
  }
  return f;
}

const NO_FACTS = new RequestFacts();

enum Outcome { Continue = 0, Answered = 1, Waiting = 2 }

class JwtAuthStream extends HttpContext {
  private path: string = "/";
  /** The rule whose JWKS this stream is waiting for (-1: none). */
  private waitingRule: i32 = -1;

  constructor(private auth: JwtAuthRoot) { super(); }

  onRequestHeaders(numHeaders: i32, endOfStream: bool): HeadersStatus {
    if (isCorsPreflight()) return HeadersStatus.Continue;
    const p = requestHeaders.get(":path");
    this.path = p === null ? "/" : p;
    return this.process(true) == Outcome.Continue ? HeadersStatus.Continue : HeadersStatus.StopIteration;
  }

  onHttpCallResponse(callId: u32, numHeaders: i32, bodySize: i32, numTrailers: i32): void {
    if (this.waitingRule < 0) return;
    const rule = this.auth.rules.rules[this.waitingRule];
    this.waitingRule = -1;
    const remote = rule.remote!;
    const body = bodySize > 0 ? httpCallResponseBody.bytes(0, bodySize) : null;
    const keys = keysFromFetch(httpCallResponseHeaders.get(":status"), body === null ? new Uint8Array(0) : Uint8Array.wrap(body));
    if (keys !== null) {
      rule.keys = keys;
      remote.fetchedNs = nowNanos();
    } else logWarn("jwt-auth: JWKS fetch from cluster ", remote.cluster + " failed; keeping the last good keys if any");
    if (this.process(false) == Outcome.Continue) continueRequest();
  }

  private process(mayFetch: bool): Outcome {
    const set = this.auth.rules;
    const path = this.path;
    const result = authenticate(set, this.auth.cache, path, new Moment(nowNanos(), mayFetch));
    if (result.failure == Failure.NeedKeys) {
      const remote = set.rules[result.needRule].remote!;
      const id = httpCall(this, remote.cluster, remote.calloutHeaders(), "", remote.timeoutMs);
      if (id != 0) { this.waitingRule = result.needRule; return Outcome.Waiting; }
      logWarn("jwt-auth: cannot call JWKS cluster ", remote.cluster);
      return this.process(false);
    }
    if (result.failure != Failure.None) {
      const realm = originalUrl(path).replaceAll("\\", "\\\\").replaceAll("\"", "\\\"");
      const headers: Header[] = [new Header("www-authenticate", "Bearer realm=\"" + realm + "\", error=\"invalid_token\"")];
      const body = failureBody(result.failure);
      sendLocalResponse(failureStatus(result.failure), body, headers, GrpcStatus.None, "jwt_authn_access_denied{" + body.replaceAll(" ", "_") + "}");
      return Outcome.Answered;
    }
    // Facts are only gathered when something uses them (keeps the no-token path cheap).
    const who = result.verified.length > 0 || this.auth.policies.length > 0 ? facts(result, path) : NO_FACTS;
    if (result.verified.length == 0) stripOutputHeaders(set);
    else {
      applyOutputs(set, result, path);
      // Filter state for later plugins (Envoy: property wasm.jwt_auth_principal / wasm.jwt_auth_claims).
      if (who.principal.length > 0) setProperty(STATE_PRINCIPAL, who.principal);
      setProperty(STATE_CLAIMS, who.jwt!.payloadJson.slice().buffer);
    }
    // Policies run after the token edits, as Envoy's rbac filter runs after jwt_authn: header conditions
    // see the request as the upstream would.
    if (this.auth.policies.length > 0 && !authorize(this.auth.policies, who, requestHeader)) {
      sendLocalResponse(403, RBAC_DENIED, [], GrpcStatus.None, "rbac_access_denied_matched_policy");
      return Outcome.Answered;
    }
    return Outcome.Continue;
  }
}

registerRoot((id: u32): RootContext => new JwtAuthRoot());
