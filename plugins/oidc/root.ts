// The plugin's root context: the compiled plan, the provider state every stream shares, the header
// names encoded once, and the counters.
import { Counter, defineCounter, HttpContext, logError, pluginConfigBytes, RootContext, utf8 } from "../../sdk";
import { compilePlan, Plan } from "./config";
import { ProviderState } from "./provider";
import { openSession, LocatedSession, SessionView } from "./session";
import { cookieHash, SessionCache } from "./session-cache";
import { OidcStream } from "./stream";

export class OidcRoot extends RootContext {
  plan: Plan | null = null;
  provider: ProviderState = new ProviderState();
  forwardName: ArrayBuffer = new ArrayBuffer(0);
  forwardPrefix: ArrayBuffer = new ArrayBuffer(0);
  claimNames: Array<ArrayBuffer> = new Array<ArrayBuffer>();
  /** Encoded "<cookiePrefix>_session_" (chunk names are it plus a digit) and "<cookiePrefix>_" (what upstreams never see). */
  sessionStem: ArrayBuffer = new ArrayBuffer(0);
  cookiePrefix: ArrayBuffer = new ArrayBuffer(0);
  sessions: SessionCache = new SessionCache();
  redirects: Counter | null = null;
  logins: Counter | null = null;
  refreshes: Counter | null = null;
  failures: Counter | null = null;
  idpErrors: Counter | null = null;

  onConfigure(size: i32): bool {
    const bytes = pluginConfigBytes(size);
    const compiled = compilePlan(Uint8Array.wrap(bytes.toArrayBuffer()));
    if (compiled.plan === null) {
      logError("oidc: bad configuration: ", compiled.error);
      return false;
    }
    const plan = compiled.plan!;
    // A new issuer, client or cluster invalidates whatever was discovered for the old one.
    const old = this.plan;
    if (old === null || old.issuer != plan.issuer || old.cluster != plan.cluster || old.clientId != plan.clientId) this.provider = new ProviderState();
    this.plan = plan;
    this.forwardName = utf8(plan.forwardHeader);
    this.forwardPrefix = utf8(plan.forwardPrefix);
    const names = new Array<ArrayBuffer>();
    for (let i = 0; i < plan.claimHeaders.length; i++) names.push(utf8(plan.claimHeaders[i].header));
    this.claimNames = names;
    this.sessionStem = utf8(plan.cookiePrefix + "_session_");
    this.cookiePrefix = utf8(plan.cookiePrefix + "_");
    // Cached sessions were opened under the old keys and claim list.
    this.sessions = new SessionCache();
    this.redirects = defineCounter("oidc_login_redirects_total");
    this.logins = defineCounter("oidc_logins_total");
    this.refreshes = defineCounter("oidc_refreshes_total");
    this.failures = defineCounter("oidc_login_failures_total");
    this.idpErrors = defineCounter("oidc_idp_unavailable_total");
    return true;
  }

  /** The session in the request's cookies, from the cache when the same cookie was opened before. */
  openSession(at: LocatedSession): SessionView | null {
    if (at.count == 0 || at.oversized) return null;
    const hash = cookieHash(at.ptr, at.len);
    let v = this.sessions.get(at.ptr, at.len, hash);
    if (v !== null) return v;
    v = openSession(this.plan!, at.ptr, at.len);
    if (v !== null) this.sessions.put(at.ptr, at.len, hash, v!);
    return v;
  }

  count(c: Counter | null): void {
    if (c !== null) c.increment();
  }

  // Streams may wait for callouts, so each has its own context.
  createHttpContext(id: u32): HttpContext | null { return new OidcStream(this); }
}
