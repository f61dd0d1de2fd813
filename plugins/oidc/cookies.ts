// Set-Cookie values for the plugin's cookies: always HttpOnly, SameSite=Lax, Path=/, and Secure when
// the redirect URI is https.
import { SameSite, SetCookie } from "../../assembly/http/index";
import { Header } from "../../sdk";
import { Plan } from "./config";

export function setCookieHeader(plan: Plan, name: string, value: string, maxAgeS: i64): Header {
  const c = new SetCookie(name, value);
  c.path = "/";
  c.httpOnly = true;
  c.secure = plan.secureCookies;
  // Lax: the provider's redirect back is a top-level GET, which must carry the state cookie.
  c.sameSite = SameSite.Lax;
  c.maxAge = maxAgeS < 0 ? 0 : maxAgeS;
  // Names and values are ours (prefix checked at configure time, base64url values), so build() succeeds.
  return new Header("set-cookie", c.build().value);
}

export function clearCookieHeader(plan: Plan, name: string): Header {
  return setCookieHeader(plan, name, "", 0);
}

/** Clears session chunks [from, to). */
export function clearSessionChunks(plan: Plan, from: i32, to: i32, out: Array<Header>): void {
  for (let i = from; i < to; i++) out.push(clearCookieHeader(plan, plan.sessionCookie(i)));
}
