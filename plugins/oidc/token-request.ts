// The token endpoint exchange (RFC 6749 §4.1.3 with PKCE, §6 refresh) through the plugin's cluster,
// authenticated with client_secret_basic or client_secret_post, and the reading of its JSON answer.
import { base64Encode, percentEncode } from "../../assembly/encoding/index";
import { JsonOptions, parseJsonBytes } from "../../assembly/json/index";
import { Header } from "../../sdk";
import { Plan } from "./config";
import { HttpUrl } from "./url";

function form(pairs: Array<string>): string {
  const parts = new Array<string>();
  for (let i = 0; i + 1 < pairs.length; i += 2) parts.push(percentEncode(pairs[i]) + "=" + percentEncode(pairs[i + 1]));
  return parts.join("&");
}

export class TokenCall {
  constructor(public headers: Header[], public body: string) {}
}

function call(plan: Plan, endpoint: HttpUrl, grant: Array<string>): TokenCall {
  const headers: Header[] = [
    new Header(":method", "POST"), new Header(":path", endpoint.pathAndQuery), new Header(":authority", endpoint.authority),
    new Header("content-type", "application/x-www-form-urlencoded"), new Header("accept", "application/json"),
  ];
  if (plan.basicAuth) {
    // RFC 6749 §2.3.1: id and secret are form-encoded before the Basic encoding.
    const creds = percentEncode(plan.clientId) + ":" + percentEncode(plan.clientSecret);
    headers.push(new Header("authorization", "Basic " + base64Encode(Uint8Array.wrap(String.UTF8.encode(creds)))));
  } else {
    grant.push("client_id"); grant.push(plan.clientId);
    grant.push("client_secret"); grant.push(plan.clientSecret);
  }
  return new TokenCall(headers, form(grant));
}

export function codeExchange(plan: Plan, endpoint: HttpUrl, code: string, verifier: string): TokenCall {
  return call(plan, endpoint, ["grant_type", "authorization_code", "code", code, "redirect_uri", plan.redirectUri, "code_verifier", verifier]);
}

export function refreshExchange(plan: Plan, endpoint: HttpUrl, refreshToken: string): TokenCall {
  return call(plan, endpoint, ["grant_type", "refresh_token", "refresh_token", refreshToken]);
}

export class TokenResponse {
  ok: bool = false;
  /** The provider answered 4xx (a refused code or refresh token) rather than failing. */
  refused: bool = false;
  reason: string = "";
  idToken: string = "";
  accessToken: string = "";
  refreshToken: string = "";
  /** expires_in of the access token, -1 when absent. */
  expiresIn: i64 = -1;
}

function failed(reason: string, refused: bool): TokenResponse {
  const r = new TokenResponse();
  r.reason = reason;
  r.refused = refused;
  return r;
}

function str(doc: Map<string, string>, name: string): string {
  return doc.has(name) ? doc.get(name) : "";
}

export function readTokenResponse(status: string | null, body: Uint8Array): TokenResponse {
  if (status === null) return failed("no answer from the token endpoint", false);
  if (status.length != 3 || !status.startsWith("2")) {
    const refused = status.startsWith("4");
    return failed("the token endpoint answered HTTP " + status, refused);
  }
  const parsed = parseJsonBytes(body, new JsonOptions().depth(16).bytes(128 * 1024));
  if (!parsed.ok || !parsed.value.isObject) return failed("the token response is not a JSON object", false);
  const doc = new Map<string, string>();
  const names = ["id_token", "access_token", "refresh_token", "token_type"];
  for (let i = 0; i < names.length; i++) {
    const v = parsed.value.get(names[i]);
    if (v !== null && v.isString) doc.set(names[i], v.str);
  }
  const r = new TokenResponse();
  r.idToken = str(doc, "id_token");
  r.accessToken = str(doc, "access_token");
  r.refreshToken = str(doc, "refresh_token");
  const tt = str(doc, "token_type");
  if (r.accessToken.length > 0 && tt.toLowerCase() != "bearer") return failed("the token type is not Bearer", false);
  const exp = parsed.value.get("expires_in");
  if (exp !== null && exp.isNumber && exp.isInt && exp.int > 0) r.expiresIn = exp.int;
  r.ok = true;
  return r;
}
