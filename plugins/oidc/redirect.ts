// Where browsers are sent: the provider's authorization and logout endpoints, and back to the page
// the user asked for — only ever a path on this origin, so no request can turn the plugin into an
// open redirector (`//evil`, `/\evil`, `https://evil`, control characters all become "/").
import { percentEncode } from "../../assembly/encoding/index";
import { Plan } from "./config";
import { LoginStart } from "./login-state";
import { ProviderMetadata } from "./provider";
import { withQuery } from "./url";

const MAX_RETURN_PATH: i32 = 2048;

/** The request's path if it is a safe same-origin target, else "/". */
export function safeReturnPath(path: string, plan: Plan): string {
  const n = path.length;
  if (n == 0 || n > MAX_RETURN_PATH || path.charCodeAt(0) != 0x2f) return "/";
  if (n > 1) {
    const second = path.charCodeAt(1);
    if (second == 0x2f || second == 0x5c) return "/";
  }
  for (let i = 0; i < n; i++) {
    const c = path.charCodeAt(i);
    // Browsers treat "\" as "/" and drop tabs/newlines, which would re-open `//host` tricks.
    if (c <= 0x20 || c >= 0x7f || c == 0x5c) return "/";
  }
  const q = path.indexOf("?");
  const bare = q < 0 ? path : path.substring(0, q);
  if (bare == plan.redirect.path || (plan.logoutPath.length > 0 && bare == plan.logoutPath)) return "/";
  return path;
}

function param(name: string, value: string): string {
  return name + "=" + percentEncode(value);
}

export function authorizationUrl(plan: Plan, m: ProviderMetadata, login: LoginStart): string {
  const q = [
    param("response_type", "code"), param("client_id", plan.clientId), param("redirect_uri", plan.redirectUri),
    param("scope", plan.scope), param("state", login.state), param("nonce", login.nonce),
    param("code_challenge", login.codeChallenge), param("code_challenge_method", "S256"),
  ];
  if (plan.prompt.length > 0) q.push(param("prompt", plan.prompt));
  return withQuery(m.authorization.href, q.join("&"));
}

/** RP-initiated logout (OpenID Connect RP-Initiated Logout 1.0 §2), or the post-logout page when the provider has none. */
export function logoutUrl(plan: Plan, m: ProviderMetadata | null, idToken: string): string {
  if (m === null || !m.endSession.ok) return plan.postLogoutRedirectUri;
  const q = new Array<string>();
  if (idToken.length > 0) q.push(param("id_token_hint", idToken));
  q.push(param("post_logout_redirect_uri", plan.postLogoutRedirectUri));
  q.push(param("client_id", plan.clientId));
  return withQuery(m.endSession.href, q.join("&"));
}
