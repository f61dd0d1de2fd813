// The per-request path: choose the rule, answer CORS preflights, edit request headers and the URI,
// then edit the response. Only executes what rules.ts compiled.
import {
  asciiLower, GrpcStatus, HeadersStatus, HttpContext, getPropertyString, getPropertyTimestampNanos, requestHeaders, responseHeaders,
  sendLocalResponse, Header,
} from "../../sdk";
import { Cmd, FormatSource } from "./format";
import { RequestView } from "./request-view";
import { Plan, Rule } from "./rules";
import { isoMillis } from "./start-time";

const ORIGIN = String.UTF8.encode("origin");
const AC_REQUEST_METHOD = String.UTF8.encode("access-control-request-method");
const PATH = String.UTF8.encode(":path");
const AUTHORITY = String.UTF8.encode(":authority");
const ORIGINAL_PATH = String.UTF8.encode("x-envoy-original-path");
const ORIGINAL_HOST = String.UTF8.encode("x-envoy-original-host");
const VARY = String.UTF8.encode("vary");

export class RewriteStream extends HttpContext {
  private rule: Rule | null = null;
  private matchIndex: i32 = -1;
  /** Origin of an allowed CORS request: the response gets the CORS headers for it. */
  private corsOrigin: string | null = null;
  /** We answered locally: our own response callback must leave that answer alone. */
  private answeredLocally: bool = false;
  private snapNames: string[] = [];
  private snapValues: Array<string | null> = [];

  constructor(private plan: Plan) { super(); }

  onRequestHeaders(numHeaders: i32, endOfStream: bool): HeadersStatus {
    const view = new RequestView();
    const rules = this.plan.rules;
    for (let i = 0; i < rules.length; i++) {
      const idx = unchecked(rules[i]).matchIndex(view);
      if (idx >= 0) { this.rule = unchecked(rules[i]); this.matchIndex = idx; break; }
    }
    const rule = this.rule;
    if (rule === null) return HeadersStatus.Continue;
    if (this.handleCors(rule, view)) return HeadersStatus.StopIteration;
    // Snapshot what the response side reads with %REQ(..)%: the request map is gone by then.
    const names = rule.responseReqNames;
    for (let i = 0; i < names.length; i++) {
      this.snapNames.push(names[i]);
      this.snapValues.push(requestHeaders.get(names[i]));
    }
    const ops = rule.request;
    if (ops !== null && !ops.isEmpty) ops.apply(requestHeaders, REQUEST_SOURCE);
    this.rewrite(rule, view);
    return HeadersStatus.Continue;
  }

  /** True when the request was answered locally (a preflight). */
  private handleCors(rule: Rule, view: RequestView): bool {
    const cors = rule.cors;
    if (cors === null) return false;
    const origin = requestHeaders.get(ORIGIN);
    if (origin === null || origin.length == 0) return false;
    const allowed = cors.allows(origin);
    const acrm = view.method == "OPTIONS" ? requestHeaders.get(AC_REQUEST_METHOD) : null;
    if (acrm !== null && acrm.length > 0) {
      if (allowed) {
        this.answeredLocally = true;
        sendLocalResponse(200, "", cors.preflightHeaders(origin), GrpcStatus.None, "cors_preflight");
        return true;
      }
      if (cors.ignoreUnmatchedPreflights) {
        this.answeredLocally = true;
        sendLocalResponse(200, "", [new Header("vary", "origin")], GrpcStatus.None, "cors_preflight_unmatched");
        return true;
      }
      return false; // forwarded upstream, as Envoy does by default
    }
    if (allowed) this.corsOrigin = origin;
    return false;
  }

  private rewrite(rule: Rule, view: RequestView): void {
    const rw = rule.rewrite;
    if (rw === null) return;
    const a = rw.authority;
    if (a !== null) {
      const v = a.eval(REQUEST_SOURCE);
      if (v.length > 0) {
        const old = requestHeaders.get(AUTHORITY);
        if (old !== null) requestHeaders.replace(ORIGINAL_HOST, old);
        requestHeaders.replace(AUTHORITY, v);
      }
    }
    if (!rw.rewritesPath) return;
    const path = view.path;
    const prefix = this.matchIndex < rule.matches.length ? rule.matches[this.matchIndex].prefix : null;
    const next = rw.newPath(path, prefix);
    if (next == path) return;
    requestHeaders.replace(ORIGINAL_PATH, path);
    requestHeaders.replace(PATH, next);
  }

  onResponseHeaders(numHeaders: i32, endOfStream: bool): HeadersStatus {
    const rule = this.rule;
    if (rule === null || this.answeredLocally) return HeadersStatus.Continue;
    const ops = rule.response;
    if (ops !== null && !ops.isEmpty) ops.apply(responseHeaders, new ResponseSource(this));
    const cors = rule.cors;
    if (cors === null) return HeadersStatus.Continue;
    const origin = this.corsOrigin;
    if (origin !== null) {
      responseHeaders.replace("access-control-allow-origin", origin);
      if (cors.allowCredentials) responseHeaders.replace("access-control-allow-credentials", "true");
      if (cors.exposeHeaders.length > 0) responseHeaders.replace("access-control-expose-headers", cors.exposeHeaders);
    }
    addVaryOrigin();
    return HeadersStatus.Continue;
  }

  snapshot(name: string): string | null {
    for (let i = 0; i < this.snapNames.length; i++) if (this.snapNames[i] == name) return this.snapValues[i];
    return null;
  }
}

/** Adds `origin` to the response's Vary unless it is already there (or Vary is `*`). */
function addVaryOrigin(): void {
  const vary = responseHeaders.get(VARY);
  if (vary === null) { responseHeaders.add(VARY, "origin"); return; }
  const parts = vary.split(",");
  for (let i = 0; i < parts.length; i++) {
    const t = asciiLower(parts[i].trim());
    if (t == "origin" || t == "*") return;
  }
  responseHeaders.replace(VARY, vary + ", origin");
}

/** Properties every formatter may read (both directions). */
function propertyValue(cmd: Cmd): string | null {
  if (cmd == Cmd.RemoteAddr) return getPropertyString("source.address");
  if (cmd == Cmd.LocalAddr) return getPropertyString("destination.address");
  if (cmd == Cmd.RemoteAddrNoPort) return withoutPort(getPropertyString("source.address"));
  if (cmd == Cmd.LocalAddrNoPort) return withoutPort(getPropertyString("destination.address"));
  if (cmd == Cmd.Protocol) return getPropertyString("request.protocol");
  if (cmd == Cmd.StartTime) {
    const t = getPropertyTimestampNanos("request.time");
    return t.ok ? isoMillis(t.value) : null;
  }
  return null;
}

/** "1.2.3.4:80" → "1.2.3.4", "[::1]:80" → "::1". */
function withoutPort(a: string | null): string | null {
  if (a === null) return null;
  if (a.startsWith("[")) {
    const e = a.indexOf("]");
    return e > 0 ? a.substring(1, e) : a;
  }
  const c = a.lastIndexOf(":");
  return c > 0 && a.indexOf(":") == c ? a.substring(0, c) : a;
}

class RequestSource extends FormatSource {
  reqHeader(name: string): string | null { return requestHeaders.get(name); }
  respHeader(name: string): string | null { return null; }
  value(cmd: Cmd): string | null { return propertyValue(cmd); }
}

// Stateless: one shared instance serves every stream.
const REQUEST_SOURCE = new RequestSource();

class ResponseSource extends FormatSource {
  constructor(private stream: RewriteStream) { super(); }
  reqHeader(name: string): string | null { return this.stream.snapshot(name); }
  respHeader(name: string): string | null { return responseHeaders.get(name); }
  value(cmd: Cmd): string | null { return propertyValue(cmd); }
}
