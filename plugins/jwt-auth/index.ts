// jwt-auth: Istio RequestAuthentication (jwtRules) in Wasm, answering as Envoy's jwt_authn does.
export * from "../../sdk/exports";
import {
  GrpcStatus, Header, HeadersStatus, HttpContext, logError, nowNanos, pluginConfigBytes, registerRoot, requestHeaders,
  RootContext, sendLocalResponse,
} from "../../sdk";
import { JsonOptions, parseJsonPtr } from "../../assembly/json/index";
import { applyOutputs, authenticate, stripOutputHeaders } from "./authenticate";
import { failureBody, failureStatus } from "./failure";
import { FieldErrors } from "./fields";
import { compileRules, RuleSet } from "./rules";
import { authorize, compilePolicies, Policy, RequestFacts } from "./policy";
import { AuthResult } from "./authenticate";

function requestHeader(name: string): string | null {
  return requestHeaders.get(name);
}

const RBAC_DENIED = "RBAC: access denied";

const EMPTY_CONFIG = String.UTF8.encode("{}");

class JwtAuthRoot extends RootContext {
  rules: RuleSet = new RuleSet();
  policies: Array<Policy> = new Array<Policy>();
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
      }
    }
    if (!e.ok) {
      logError("jwt-auth: bad configuration: ", e.error!);
      return false;
    }
    return true;
  }

  // No per-request state survives a callback, so one context object serves every stream.
  createHttpContext(id: u32): HttpContext | null { return this.stream; }
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

class JwtAuthStream extends HttpContext {
  constructor(private auth: JwtAuthRoot) { super(); }

  onRequestHeaders(numHeaders: i32, endOfStream: bool): HeadersStatus {
    const set = this.auth.rules;
    if (isCorsPreflight()) return HeadersStatus.Continue;
    const p = requestHeaders.get(":path");
    const path = p === null ? "/" : p!;
    const result = authenticate(set, path, <i64>(nowNanos() / 1_000_000_000));
    if (result.failure != 0) {
      const realm = originalUrl(path).replaceAll("\\", "\\\\").replaceAll("\"", "\\\"");
      const headers: Header[] = [new Header("www-authenticate", "Bearer realm=\"" + realm + "\", error=\"invalid_token\"")];
      const body = failureBody(result.failure);
      sendLocalResponse(failureStatus(result.failure), body, headers, GrpcStatus.None, "jwt_authn_access_denied{" + body.replaceAll(" ", "_") + "}");
      return HeadersStatus.StopIteration;
    }
    if (result.verified.length == 0) stripOutputHeaders(set);
    else applyOutputs(set, result, path);
    // Policies run after the token edits, as Envoy's rbac filter runs after jwt_authn: header conditions
    // see the request as the upstream would.
    if (this.auth.policies.length > 0 && !authorize(this.auth.policies, facts(result, path), requestHeader)) {
      sendLocalResponse(403, RBAC_DENIED, [], GrpcStatus.None, "rbac_access_denied_matched_policy");
      return HeadersStatus.StopIteration;
    }
    return HeadersStatus.Continue;
  }
}

registerRoot((id: u32): RootContext => new JwtAuthRoot());
