// pluginConfig → Plan, once per onConfigure. Every field is checked here with its JSON path in the
// message, so a bad WasmPlugin fails at configure time instead of on the first login.
import { JsonOptions, JsonReader } from "../../assembly/json/index";
import { Base64Options, base64DecodeString } from "../../assembly/encoding/index";
import { canonicalHeaderName, isToken } from "../../assembly/http/index";
import { parseDurationMs } from "./duration";
import { CookieKeys, deriveKeys } from "./keys";
import { HttpUrl, parseHttpUrl } from "./url";
import { ProviderMetadata } from "./provider";

export enum ForwardToken { IdToken = 0, AccessToken = 1, None = 2 }

export class ClaimHeader {
  constructor(public claim: string, public header: string) {}
}

export class PathMatch {
  constructor(public exact: bool, public value: string) {}

  matches(path: string): bool {
    return this.exact ? path == this.value : path.startsWith(this.value);
  }
}

export class Plan {
  issuer: string = "";
  cluster: string = "";
  clientId: string = "";
  clientSecret: string = "";
  redirectUri: string = "";
  redirect: HttpUrl = new HttpUrl();
  /** Space-separated, as the authorization request sends it. */
  scope: string = "";
  /** The `prompt` parameter ("" = none sent). */
  prompt: string = "";
  keys: CookieKeys | null = null;
  logoutPath: string = "";
  postLogoutRedirectUri: string = "";
  /** client_secret_basic (true) or client_secret_post. */
  basicAuth: bool = true;
  forwardToken: ForwardToken = ForwardToken.IdToken;
  forwardHeader: string = "authorization";
  forwardPrefix: string = "Bearer ";
  claimHeaders: Array<ClaimHeader> = new Array<ClaimHeader>();
  sessionLifetimeS: i64 = 8 * 3600;
  skipPaths: Array<PathMatch> = new Array<PathMatch>();
  clockSkewS: i64 = 60;
  timeoutMs: u32 = 5000;
  /** Discovery document and JWKS are re-fetched after this long (last good copy kept on failure). */
  providerTtlS: i64 = 3600;
  cookiePrefix: string = "oidc";
  secureCookies: bool = false;
  /** Endpoints given in config instead of discovered (null: discover them). */
  staticProvider: ProviderMetadata | null = null;
  /** issuer + /.well-known/openid-configuration. */
  discovery: HttpUrl = new HttpUrl();
  /** AAD of the two cookie kinds: purpose, issuer and client, so foreign cookies never open. */
  sessionAad: Uint8Array = new Uint8Array(0);
  stateAad: Uint8Array = new Uint8Array(0);

  get stateCookie(): string { return this.cookiePrefix + "_state"; }
  sessionCookie(i: i32): string { return this.cookiePrefix + "_session_" + i.toString(); }
  get discoveryUrl(): string {
    return (this.issuer.endsWith("/") ? this.issuer.substring(0, this.issuer.length - 1) : this.issuer) + "/.well-known/openid-configuration";
  }
}

export class PlanResult {
  constructor(public plan: Plan | null, public error: string) {}
}

const FIELDS = [
  "issuer", "cluster", "clientId", "clientSecret", "redirectUri", "scopes", "cookieSecret", "logoutPath",
  "postLogoutRedirectUri", "tokenEndpointAuth", "forward", "sessionLifetime", "skipPaths", "clockSkew", "timeout",
  "providerCacheDuration", "cookiePrefix", "provider", "prompt",
];

function duration(r: JsonReader, key: string, fallback: string, minMs: i64, maxMs: i64): i64 {
  const text = r.optStr(key, fallback);
  const ms = parseDurationMs(text);
  if (ms < 0) r.failAt(key, "must be a duration such as \"90s\", \"15m\" or \"8h\", got \"" + text + "\"");
  else if (ms < minMs || ms > maxMs) r.failAt(key, "is out of range");
  return ms;
}

function url(r: JsonReader, key: string, required: bool): HttpUrl {
  const text = required ? r.str(key) : r.optStr(key);
  if (text.length == 0) return new HttpUrl();
  const u = parseHttpUrl(text);
  if (!u.ok) r.failAt(key, u.reason);
  return u;
}

function nonEmpty(r: JsonReader, key: string): string {
  const s = r.str(key);
  if (r.ok && s.length == 0) r.failAt(key, "must not be empty");
  return s;
}

function headerName(r: JsonReader, key: string, fallback: string): string {
  const raw = r.optStr(key, fallback);
  const name = canonicalHeaderName(raw);
  if (!name.ok) { r.failAt(key, name.error); return fallback; }
  // The plugin's own forwarding must not be spoofable through a header it cannot own.
  if (name.value == "cookie" || name.value == "host") r.failAt(key, "cannot be \"" + name.value + "\"");
  return name.value;
}

function cookieSecret(r: JsonReader): Uint8Array {
  const text = r.str("cookieSecret");
  if (!r.ok) return new Uint8Array(0);
  let d = base64DecodeString(text);
  if (!d.ok) d = base64DecodeString(text, Base64Options.urlSafe());
  if (!d.ok) { r.failAt("cookieSecret", "must be base64 (of 32 random bytes): " + d.error); return new Uint8Array(0); }
  if (d.value.length < 32) r.failAt("cookieSecret", "must decode to at least 32 bytes, got " + d.value.length.toString());
  return d.value;
}

function forward(r: JsonReader, plan: Plan): void {
  const f = r.optObj("forward");
  if (f === null) return;
  f.allowOnly(["token", "header", "prefix", "claimsToHeaders"]);
  const token = f.oneOf("token", ["idToken", "accessToken", "none"], "idToken");
  plan.forwardToken = token == "accessToken" ? ForwardToken.AccessToken : token == "none" ? ForwardToken.None : ForwardToken.IdToken;
  plan.forwardHeader = headerName(f, "header", "authorization");
  plan.forwardPrefix = f.optStr("prefix", plan.forwardHeader == "authorization" ? "Bearer " : "");
  const claims = f.optArr("claimsToHeaders");
  for (let i = 0; i < claims.length; i++) {
    const c = claims[i];
    c.allowOnly(["claim", "header"]);
    const claim = nonEmpty(c, "claim");
    const header = headerName(c, "header", "");
    if (c.ok && (header == plan.forwardHeader || header.startsWith(":"))) c.failAt("header", "must differ from forward.header");
    plan.claimHeaders.push(new ClaimHeader(claim, header));
  }
}

function skipPaths(r: JsonReader, plan: Plan): void {
  const list = r.optArr("skipPaths");
  for (let i = 0; i < list.length; i++) {
    const m = list[i];
    m.allowOnly(["exact", "prefix"]);
    const exact = m.optStr("exact");
    const prefix = m.optStr("prefix");
    if ((exact.length == 0) == (prefix.length == 0)) { m.fail("needs exactly one of \"exact\" or \"prefix\""); continue; }
    const v = exact.length > 0 ? exact : prefix;
    if (!v.startsWith("/")) m.fail("must start with /");
    plan.skipPaths.push(new PathMatch(exact.length > 0, v));
  }
}

function staticProvider(r: JsonReader, plan: Plan): void {
  const p = r.optObj("provider");
  if (p === null) return;
  p.allowOnly(["authorizationEndpoint", "tokenEndpoint", "jwksUri", "endSessionEndpoint"]);
  const m = new ProviderMetadata();
  m.issuer = plan.issuer;
  m.authorization = url(p, "authorizationEndpoint", true);
  m.token = url(p, "tokenEndpoint", true);
  m.jwks = url(p, "jwksUri", true);
  m.endSession = url(p, "endSessionEndpoint", false);
  plan.staticProvider = m;
}

export function compilePlan(bytes: Uint8Array): PlanResult {
  // An empty configuration reads as {} so the error names the first required field.
  const r = bytes.length == 0 ? JsonReader.parseString("{}") : JsonReader.parse(bytes, new JsonOptions().depth(16).bytes(64 * 1024));
  if (r.ok && !r.value.isObject) r.fail("pluginConfig must be a JSON object");
  r.allowOnly(FIELDS);
  const plan = new Plan();
  const issuer = url(r, "issuer", true);
  plan.issuer = issuer.href;
  plan.cluster = nonEmpty(r, "cluster");
  plan.clientId = nonEmpty(r, "clientId");
  plan.clientSecret = nonEmpty(r, "clientSecret");
  plan.redirect = url(r, "redirectUri", true);
  plan.redirectUri = plan.redirect.href;
  if (r.ok && plan.redirect.pathAndQuery != plan.redirect.path) r.failAt("redirectUri", "must not have a query");
  if (r.ok && plan.redirect.path == "/") r.failAt("redirectUri", "needs a callback path such as /oauth2/callback");
  plan.secureCookies = plan.redirect.https;

  const scopes = r.has("scopes") ? r.strArr("scopes") : ["openid"];
  if (r.ok && !scopes.includes("openid")) r.failAt("scopes", "must include \"openid\"");
  for (let i = 0; i < scopes.length && r.ok; i++) {
    if (scopes[i].length == 0 || scopes[i].includes(" ") || !isScopeToken(scopes[i])) r.failAt("scopes", "element " + i.toString() + " is not a scope token");
  }
  plan.scope = scopes.join(" ");
  // OIDC Core §11: offline access (a refresh token) is only granted after consent, so ask for it.
  plan.prompt = r.optStr("prompt", scopes.includes("offline_access") ? "consent" : "");
  if (r.ok && plan.prompt.length > 0) {
    const words = plan.prompt.split(" ");
    for (let i = 0; i < words.length; i++) {
      if (!["none", "login", "consent", "select_account"].includes(words[i])) { r.failAt("prompt", "must be space-separated values of none, login, consent, select_account"); break; }
    }
  }

  const secret = cookieSecret(r);
  plan.logoutPath = r.optStr("logoutPath");
  if (plan.logoutPath.length > 0 && (!plan.logoutPath.startsWith("/") || plan.logoutPath.includes("?"))) r.failAt("logoutPath", "must be a path starting with / and without a query");
  if (r.ok && plan.logoutPath == plan.redirect.path) r.failAt("logoutPath", "must differ from the redirectUri path");
  const after = url(r, "postLogoutRedirectUri", false);
  plan.postLogoutRedirectUri = after.ok ? after.href : plan.redirect.origin + "/";
  plan.basicAuth = r.oneOf("tokenEndpointAuth", ["client_secret_basic", "client_secret_post"], "client_secret_basic") == "client_secret_basic";
  forward(r, plan);
  plan.sessionLifetimeS = duration(r, "sessionLifetime", "8h", 1000, 30 * 24 * 3_600_000) / 1000;
  skipPaths(r, plan);
  plan.clockSkewS = duration(r, "clockSkew", "60s", 0, 600_000) / 1000;
  plan.timeoutMs = <u32>duration(r, "timeout", "5s", 100, 60_000);
  plan.providerTtlS = duration(r, "providerCacheDuration", "1h", 10_000, 7 * 24 * 3_600_000) / 1000;
  plan.cookiePrefix = r.optStr("cookiePrefix", "oidc");
  if (r.ok && (!isToken(plan.cookiePrefix) || plan.cookiePrefix.length > 64)) r.failAt("cookiePrefix", "must be a cookie-name token of at most 64 characters");
  if (r.ok && plan.cookiePrefix.startsWith("__Host-") && !plan.secureCookies) r.failAt("cookiePrefix", "__Host- cookies need an https redirectUri");
  staticProvider(r, plan);
  if (!r.ok) return new PlanResult(null, r.error);

  plan.discovery = parseHttpUrl(plan.discoveryUrl);
  plan.keys = deriveKeys(secret);
  const binding = "|" + plan.issuer + "|" + plan.clientId;
  plan.sessionAad = Uint8Array.wrap(String.UTF8.encode("session" + binding));
  plan.stateAad = Uint8Array.wrap(String.UTF8.encode("state" + binding));
  return new PlanResult(plan, "");
}

/** RFC 6749 §3.3 scope-token: %x21 / %x23-5B / %x5D-7E. */
function isScopeToken(s: string): bool {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (!(c == 0x21 || (c >= 0x23 && c <= 0x5b) || (c >= 0x5d && c <= 0x7e))) return false;
  }
  return true;
}
