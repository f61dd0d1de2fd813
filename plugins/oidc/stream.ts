// One request through the plugin. onRequestHeaders decides what the request is (skipped, callback,
// logout, authenticated, needing a refresh or a login); `process` then runs that step, pausing for a
// callout (discovery, JWKS, token endpoint) whenever it lacks something, and is re-run when it arrives.
import { acceptsHtml } from "../../assembly/http/index";
import { getCookie, parsePathQuery } from "../../assembly/encoding/index";
import { parseJwt } from "../jwt-auth/jwt";
import {
  BytesView, continueRequest, GrpcStatus, Header, HeadersStatus, httpCall, httpCallResponseBody, httpCallResponseHeaders, HttpContext,
  logInfo, logWarn, nowNanos, requestHeaders, responseHeaders, sendLocalResponse,
} from "../../sdk";
import { ForwardToken, Plan } from "./config";
import { clearCookieHeader, clearSessionChunks, setCookieHeader } from "./cookies";
import { applyForward } from "./forward";
import { checkIdToken, claimText, expOf, IdTokenCheck, TokenVerdict } from "./id-token";
import { checkLogin, LoginCheck, startLogin, STATE_TTL_S } from "./login-state";
import { OidcRoot } from "./root";
import { parseDiscovery, ProviderMetadata, signingKeys } from "./provider";
import { authorizationUrl, logoutUrl, safeReturnPath } from "./redirect";
import { locateSession, openSession, sealSession, Session, SessionView } from "./session";
import { SharedFetch } from "./shared-fetch";
import { codeExchange, readTokenResponse, refreshExchange, TokenCall, TokenResponse } from "./token-request";
import { HttpUrl } from "./url";

enum Step { Login = 0, Callback = 1, Refresh = 2, Logout = 3 }
enum Fetch { None = 0, Discovery = 1, Keys = 2, Token = 3 }
enum Outcome { Continue = 0, Answered = 1, Waiting = 2 }

/** Larger callout answers are treated as failures (bounds memory on a hostile or broken provider). */
const MAX_CALLOUT_BODY: i32 = 512 * 1024;

const ROOT_PATH = String.UTF8.encode("/");
// Header names of the per-request path, encoded once (a string name is UTF-8 encoded on every call).
const PATH_NAME = String.UTF8.encode(":path");
const COOKIE_NAME = String.UTF8.encode("cookie");

/** Where the query starts in a :path (its length when there is none). */
function queryStart(path: BytesView): i32 {
  for (let i = 0; i < path.length; i++) if (load<u8>(path.ptr + <usize>i) == 0x3f) return i;
  return path.length;
}

function nowSeconds(): i64 {
  return <i64>(nowNanos() / 1_000_000_000);
}

function isBrowser(): bool {
  if (requestHeaders.has("x-requested-with")) return false;
  const accept = requestHeaders.get("accept");
  return accept !== null && acceptsHtml(accept);
}

export class OidcStream extends HttpContext {
  private step: Step = Step.Login;
  private path: string = "/";
  /** How many session cookies the request carried (cleared when a new login starts or on logout). */
  private cookieCount: i32 = 0;
  private session: SessionView | null = null;
  private login: LoginCheck | null = null;
  private code: string = "";
  private waiting: Fetch = Fetch.None;
  private triedDiscovery: bool = false;
  private triedKeys: bool = false;
  private tokens: TokenResponse | null = null;
  private failure: string = "";
  /** Set-Cookie headers for the upstream's response (after a refresh). */
  private responseCookies: Array<Header> | null = null;
  /** The shared discovery/JWKS fetch this stream called out for (its waiters resume on the answer). */
  private leading: SharedFetch | null = null;

  constructor(private owner: OidcRoot) { super(); }

  get plan(): Plan { return this.owner.plan!; }

  onRequestHeaders(numHeaders: i32, endOfStream: bool): HeadersStatus {
    const plan = this.plan;
    // The path stays bytes until a step needs it as text: an authenticated request never decodes it.
    const pv = requestHeaders.view(PATH_NAME);
    const pathView = pv === null ? new BytesView(changetype<usize>(ROOT_PATH), ROOT_PATH.byteLength) : pv!;
    const bare = pathView.slice(0, queryStart(pathView));
    const now = nowSeconds();
    const isCallback = bare.equals(plan.redirect.path);
    const isLogout = plan.logoutPath.length > 0 && bare.equals(plan.logoutPath);
    if (!isCallback && !isLogout) {
      if (plan.skipPaths.length > 0) {
        const bareText = bare.toString();
        for (let i = 0; i < plan.skipPaths.length; i++) {
          if (plan.skipPaths[i].matches(bareText)) { this.removeClaimHeaders(); return HeadersStatus.Continue; }
        }
      }
      // The per-request path: the session straight from the Cookie header's bytes (cached after its first use).
      const cookie = requestHeaders.view(COOKIE_NAME);
      const found = locateSession(this.owner.sessionStem, cookie);
      this.cookieCount = found.count;
      const s = this.owner.openSession(found);
      this.session = s;
      if (s !== null && now < s.createdS + plan.sessionLifetimeS) {
        if (now < s.expiresS) {
          applyForward(this.owner, s, cookie);
          return HeadersStatus.Continue;
        }
        if (s.refreshLen > 0) this.step = Step.Refresh;
      }
    }
    this.path = pathView.toString();
    // Claim headers are ours alone: a client-sent copy must never reach the upstream.
    this.removeClaimHeaders();
    if (isCallback) {
      this.step = Step.Callback;
      if (!this.prepareCallback(requestHeaders.get("cookie"), now)) return HeadersStatus.StopIteration;
    } else if (isLogout) {
      this.step = Step.Logout;
      const found = locateSession(this.owner.sessionStem, requestHeaders.view(COOKIE_NAME));
      this.cookieCount = found.count;
      this.session = this.owner.openSession(found);
    } else if (this.step != Step.Refresh) {
      if (this.cookieCount > 0) logInfo("oidc: session cookie invalid, expired or foreign; starting a new login");
      if (!isBrowser()) return this.unauthorized();
      this.step = Step.Login;
    }
    return this.process() == Outcome.Continue ? HeadersStatus.Continue : HeadersStatus.StopIteration;
  }

  private removeClaimHeaders(): void {
    const names = this.owner.claimNames;
    for (let i = 0; i < names.length; i++) requestHeaders.remove(names[i]);
  }

  onResponseHeaders(numHeaders: i32, endOfStream: bool): HeadersStatus {
    const extra = this.responseCookies;
    if (extra !== null) for (let i = 0; i < extra.length; i++) responseHeaders.add("set-cookie", extra[i].value);
    return HeadersStatus.Continue;
  }

  onHttpCallResponse(callId: u32, numHeaders: i32, bodySize: i32, numTrailers: i32): void {
    const what = this.waiting;
    if (what == Fetch.None) return;
    this.waiting = Fetch.None;
    const status = httpCallResponseHeaders.get(":status");
    const tooBig = bodySize > MAX_CALLOUT_BODY;
    const raw = bodySize > 0 && !tooBig ? httpCallResponseBody.bytes(0, bodySize) : null;
    const body = raw === null ? new Uint8Array(0) : Uint8Array.wrap(raw);
    const now = nowSeconds();
    const state = this.owner.provider;
    if (what == Fetch.Discovery) {
      if (status === null || status != "200" || tooBig) this.failure = "discovery answered " + (status === null ? "nothing" : "HTTP " + status);
      else {
        const m = parseDiscovery(body, this.plan.issuer);
        if (m.metadata !== null) { state.metadata = m.metadata; state.metadataAtS = now; }
        else this.failure = m.reason;
      }
      if (this.failure.length > 0) logWarn("oidc: provider discovery failed: ", this.failure);
    } else if (what == Fetch.Keys) {
      const keys = status !== null && status == "200" && !tooBig ? signingKeys(body) : null;
      if (keys !== null) { state.keys = keys; state.keysAtS = now; }
      else { this.failure = "the JWKS fetch failed"; logWarn("oidc: JWKS fetch failed (HTTP ", status === null ? "none" : status!); }
    } else {
      this.tokens = tooBig ? readTokenResponse(null, body) : readTokenResponse(status, body);
    }
    const shared = this.leading;
    this.leading = null;
    if (shared === null) {
      if (this.process() == Outcome.Continue) continueRequest();
      return;
    }
    const line = shared.drain();
    if (this.process() == Outcome.Continue) continueRequest();
    shared.answerAll(line, this.failure);
  }

  /** A discovery/JWKS fetch this stream waited for has answered (`failure` empty: it succeeded). */
  resumeShared(failure: string): void {
    this.waiting = Fetch.None;
    if (failure.length > 0) this.failure = failure;
    if (this.process() == Outcome.Continue) continueRequest();
  }

  /** The fetch this stream waited for died with its caller's stream: try again (calling out if still needed). */
  retryShared(): void {
    if (this.waiting == Fetch.Discovery) this.triedDiscovery = false;
    if (this.waiting == Fetch.Keys) this.triedKeys = false;
    this.waiting = Fetch.None;
    if (this.process() == Outcome.Continue) continueRequest();
  }

  onDelete(): void {
    const shared = this.leading;
    this.leading = null;
    if (shared !== null && shared.leader === this) shared.leaderGone();
  }

  // ---- the steps ----

  private process(): Outcome {
    const plan = this.plan;
    const now = nowSeconds();
    const m = this.metadata(now);
    if (this.waiting != Fetch.None) return Outcome.Waiting;
    if (m === null) {
      if (this.step == Step.Logout) return this.finishLogout(null);
      return this.unavailable("discovery");
    }
    if (this.step == Step.Login) return this.redirectToLogin(m, now);
    if (this.step == Step.Logout) return this.finishLogout(m);

    // Callback and Refresh: a token answer, then a verified ID token.
    if (this.tokens === null) {
      const call = this.step == Step.Callback
        ? codeExchange(plan, m.token, this.code, this.login!.verifier)
        : refreshExchange(plan, m.token, this.session!.refreshToken);
      return this.fetch(Fetch.Token, m.token, call);
    }
    const tokens = this.tokens!;
    if (!tokens.ok) {
      logWarn("oidc: token request failed: ", tokens.reason);
      if (!tokens.refused) { this.failure = tokens.reason; return this.unavailable("token endpoint"); }
      if (this.step == Step.Refresh) return this.refreshFailed(m, now);
      return this.answerCallback(401, "the identity provider refused the authorization code");
    }
    const keysNeeded = this.keysOrFetch(m, now);
    if (keysNeeded != Outcome.Continue) return keysNeeded;
    if (tokens.idToken.length == 0) {
      if (this.step == Step.Refresh && plan.forwardToken != ForwardToken.IdToken) return this.finishRefresh(m, null, now);
      return this.step == Step.Refresh ? this.refreshFailed(m, now) : this.answerCallback(401, "the token response has no ID token");
    }
    const sub = this.step == Step.Refresh ? this.sessionSubject() : "";
    let check = checkIdToken(plan, tokens.idToken, this.owner.provider.keys, now, this.step == Step.Callback ? this.login!.nonce : null, sub);
    if (check.verdict == TokenVerdict.UnknownKey && !this.triedKeys) return this.fetch(Fetch.Keys, m.jwks, null);
    if (!check.ok) {
      logWarn("oidc: ID token rejected: ", check.reason);
      return this.step == Step.Refresh ? this.refreshFailed(m, now) : this.answerCallback(401, check.reason);
    }
    return this.step == Step.Callback ? this.finishCallback(check, now) : this.finishRefresh(m, check, now);
  }

  /** Current provider metadata, starting a discovery fetch when there is none or it is stale. */
  private metadata(now: i64): ProviderMetadata | null {
    const plan = this.plan;
    if (plan.staticProvider !== null) return plan.staticProvider;
    const state = this.owner.provider;
    if (state.metadataFresh(now, plan.providerTtlS) || this.triedDiscovery) return state.metadata;
    this.fetch(Fetch.Discovery, plan.discovery, null);
    return null;
  }

  /** Continue when usable keys are present; otherwise fetches them (or answers 503 when that already failed). */
  private keysOrFetch(m: ProviderMetadata, now: i64): Outcome {
    const state = this.owner.provider;
    if (state.keysFresh(now, this.plan.providerTtlS) || (this.triedKeys && state.keys !== null)) return Outcome.Continue;
    if (this.triedKeys) return this.unavailable("signing keys");
    return this.fetch(Fetch.Keys, m.jwks, null);
  }

  /** Starts a callout; when the host refuses it the step runs again with the fetch marked failed. */
  private fetch(what: Fetch, url: HttpUrl, token: TokenCall | null): Outcome {
    const plan = this.plan;
    if (what == Fetch.Discovery) this.triedDiscovery = true;
    if (what == Fetch.Keys) this.triedKeys = true;
    let shared: SharedFetch | null = null;
    if (what != Fetch.Token) {
      const line = what == Fetch.Discovery ? this.owner.provider.discoveryFetch : this.owner.provider.keysFetch;
      // Another stream is already fetching this document: wait for its answer instead of calling out too.
      if (line.leader !== null) { line.waiting.push(this); this.waiting = what; return Outcome.Waiting; }
      shared = line;
    }
    let headers: Header[];
    let body = "";
    if (token !== null) { headers = token.headers; body = token.body; }
    else headers = [new Header(":method", "GET"), new Header(":path", url.pathAndQuery), new Header(":authority", url.authority), new Header("accept", "application/json")];
    const id = httpCall(this, plan.cluster, headers, body, plan.timeoutMs);
    if (id != 0) {
      this.waiting = what;
      if (shared !== null) { shared!.leader = this; this.leading = shared; }
      return Outcome.Waiting;
    }
    logWarn("oidc: cannot call cluster ", plan.cluster);
    if (what == Fetch.Token) { this.tokens = readTokenResponse(null, new Uint8Array(0)); return this.process(); }
    return this.process();
  }

  private prepareCallback(cookieHeader: string | null, now: i64): bool {
    const plan = this.plan;
    const method = requestHeaders.get(":method");
    if (method === null || (method != "GET" && method != "HEAD")) { this.answerCallback(400, "the callback must be a GET"); return false; }
    const query = parsePathQuery(this.path);
    if (!query.ok) { this.answerCallback(400, "the callback query is malformed"); return false; }
    const error = query.get("error");
    if (error !== null) {
      // The provider's error code is echoed only when it is a plain token (RFC 6749 §4.1.2.1 codes are).
      logInfo("oidc: the identity provider returned error ", error.length <= 64 ? error : "(oversized)");
      this.answerCallback(401, "the identity provider did not sign you in");
      return false;
    }
    const login = checkLogin(plan, cookieHeader === null ? null : getStateCookie(plan, cookieHeader!), query.get("state"), now);
    if (!login.ok) {
      logInfo("oidc: callback refused: ", login.reason);
      this.answerCallback(400, login.reason);
      return false;
    }
    const code = query.get("code");
    if (code === null || code.length == 0 || code.length > 4096) { this.answerCallback(400, "the callback has no usable code"); return false; }
    this.login = login;
    this.code = code!;
    return true;
  }

  private redirectToLogin(m: ProviderMetadata, now: i64): Outcome {
    const plan = this.plan;
    const start = startLogin(plan, now, safeReturnPath(this.path, plan));
    if (!start.ok) return this.internal("no randomness from the host");
    const headers: Header[] = [new Header("location", authorizationUrl(plan, m, start)), new Header("cache-control", "no-store"),
      setCookieHeader(plan, plan.stateCookie, start.cookieValue, STATE_TTL_S)];
    clearSessionChunks(plan, 0, this.cookieCount, headers);
    this.owner.count(this.owner.redirects);
    logInfo("oidc: sign-in redirect to " + m.authorization.href + " (code flow, PKCE S256, scope \"" + plan.scope + "\") for ", this.path);
    sendLocalResponse(302, "", headers, GrpcStatus.None, "oidc_login_redirect");
    return Outcome.Answered;
  }

  private finishCallback(check: IdTokenCheck, now: i64): Outcome {
    const plan = this.plan;
    const tokens = this.tokens!;
    if (plan.forwardToken == ForwardToken.AccessToken && tokens.accessToken.length == 0) return this.answerCallback(401, "the token response has no access token");
    const s = this.sessionFrom(check, tokens, now, now);
    const values = sealSession(plan, s);
    if (values.length == 0) return this.internal("the session does not fit in the cookies allowed");
    const headers: Header[] = [new Header("location", this.login!.path), new Header("cache-control", "no-store"), clearCookieHeader(plan, plan.stateCookie)];
    this.sessionCookieHeaders(values, s.createdS, now, headers);
    this.owner.count(this.owner.logins);
    sendLocalResponse(302, "", headers, GrpcStatus.None, "oidc_login_complete");
    return Outcome.Answered;
  }

  /** `check` null: the refresh gave no ID token and the forwarded access token stands alone. */
  private finishRefresh(m: ProviderMetadata, check: IdTokenCheck | null, now: i64): Outcome {
    const plan = this.plan;
    const old = this.session!;
    const tokens = this.tokens!;
    const s = new Session();
    if (check !== null) {
      const fresh = this.sessionFrom(check, tokens, old.createdS, now);
      s.idToken = fresh.idToken; s.expiresS = fresh.expiresS; s.claimValues = fresh.claimValues;
    } else {
      s.idToken = old.idToken;
      s.expiresS = tokens.expiresIn > 0 ? now + tokens.expiresIn : now;
      for (let i = 0; i < plan.claimHeaders.length; i++) s.claimValues.push(old.text(old.claimAt[i], old.claimLen[i]));
    }
    s.createdS = old.createdS;
    s.accessToken = plan.forwardToken == ForwardToken.AccessToken ? tokens.accessToken : "";
    // Providers that rotate refresh tokens send a new one; others keep the old one valid.
    s.refreshToken = tokens.refreshToken.length > 0 ? tokens.refreshToken : old.refreshToken;
    if (plan.forwardToken == ForwardToken.AccessToken && s.accessToken.length == 0) return this.refreshFailed(m, now);
    if (s.expiresS <= now) return this.refreshFailed(m, now);
    const values = sealSession(plan, s);
    if (values.length == 0) return this.refreshFailed(m, now);
    const joined = String.UTF8.encode(joinValues(values));
    const opened = openSession(plan, changetype<usize>(joined), joined.byteLength);
    if (opened === null) return this.refreshFailed(m, now);
    const headers = new Array<Header>();
    this.sessionCookieHeaders(values, s.createdS, now, headers);
    this.responseCookies = headers;
    applyForward(this.owner, opened!, requestHeaders.view(COOKIE_NAME));
    this.owner.count(this.owner.refreshes);
    return Outcome.Continue;
  }

  private sessionFrom(check: IdTokenCheck, tokens: TokenResponse, createdS: i64, now: i64): Session {
    const plan = this.plan;
    const jwt = check.jwt!;
    const s = new Session();
    s.createdS = createdS;
    s.idToken = tokens.idToken;
    s.accessToken = plan.forwardToken == ForwardToken.AccessToken ? tokens.accessToken : "";
    s.refreshToken = tokens.refreshToken;
    s.expiresS = expOf(jwt);
    if (plan.forwardToken == ForwardToken.AccessToken && tokens.expiresIn > 0) s.expiresS = now + tokens.expiresIn;
    for (let i = 0; i < plan.claimHeaders.length; i++) s.claimValues.push(claimText(jwt, plan.claimHeaders[i].claim));
    return s;
  }

  private sessionCookieHeaders(values: Array<string>, createdS: i64, now: i64, out: Array<Header>): void {
    const plan = this.plan;
    const maxAge = createdS + plan.sessionLifetimeS - now;
    for (let i = 0; i < values.length; i++) out.push(setCookieHeader(plan, plan.sessionCookie(i), values[i], maxAge));
    // A smaller session than before leaves no stale tail behind.
    clearSessionChunks(plan, values.length, this.cookieCount, out);
  }

  /** The subject of the session being refreshed (its ID token was verified when it was stored). */
  private sessionSubject(): string {
    const s = this.session;
    if (s === null) return "";
    const parsed = parseJwt(s.idToken);
    return parsed.jwt === null ? "" : parsed.jwt!.sub;
  }

  /** Refresh failed: a browser starts a new login, an API client gets 401. */
  private refreshFailed(m: ProviderMetadata, now: i64): Outcome {
    this.owner.count(this.owner.failures);
    if (!isBrowser()) { this.unauthorized(); return Outcome.Answered; }
    return this.redirectToLogin(m, now);
  }

  private finishLogout(m: ProviderMetadata | null): Outcome {
    const plan = this.plan;
    const s = this.session;
    const target = logoutUrl(plan, m, s === null ? "" : s.idToken);
    const headers: Header[] = [new Header("location", target), new Header("cache-control", "no-store"), clearCookieHeader(plan, plan.stateCookie)];
    clearSessionChunks(plan, 0, max(1, this.cookieCount), headers);
    sendLocalResponse(302, "", headers, GrpcStatus.None, "oidc_logout");
    return Outcome.Answered;
  }

  // ---- answers ----

  private answerCallback(status: u32, reason: string): Outcome {
    const plan = this.plan;
    this.owner.count(this.owner.failures);
    // The state cookie is single-use: whatever happened, it goes.
    const headers: Header[] = [clearCookieHeader(plan, plan.stateCookie), new Header("cache-control", "no-store")];
    sendLocalResponse(status, "oidc: sign-in failed: " + reason + "\n", headers, GrpcStatus.None, "oidc_callback_refused");
    return Outcome.Answered;
  }

  private unauthorized(): HeadersStatus {
    sendLocalResponse(401, "oidc: authentication required\n", [new Header("cache-control", "no-store")], GrpcStatus.None, "oidc_unauthenticated");
    return HeadersStatus.StopIteration;
  }

  private unavailable(what: string): Outcome {
    this.owner.count(this.owner.idpErrors);
    const why = this.failure.length > 0 ? this.failure : "no answer";
    logWarn("oidc: identity provider unavailable (" + what + "): ", why);
    sendLocalResponse(503, "oidc: the identity provider is unavailable (" + what + "); try again later\n",
      [new Header("cache-control", "no-store"), new Header("retry-after", "5")], GrpcStatus.None, "oidc_idp_unavailable");
    return Outcome.Answered;
  }

  private internal(why: string): Outcome {
    logWarn("oidc: ", why);
    sendLocalResponse(500, "oidc: " + why + "\n", [], GrpcStatus.None, "oidc_internal_error");
    return Outcome.Answered;
  }
}

function getStateCookie(plan: Plan, header: string): string | null {
  return getCookie(header, plan.stateCookie);
}

function joinValues(values: Array<string>): string {
  return values.join("");
}
