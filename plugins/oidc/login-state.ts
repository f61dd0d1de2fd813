// The login in flight between the redirect to the provider and the callback. The `state` parameter is
// random and MACed together with the original path; the nonce, PKCE verifier and path travel in a
// sealed, short-lived cookie. The callback needs both and clears the cookie, so a state is single-use.
import { constantTimeEqual, randomBytes, sha256 } from "../../assembly/crypto/index";
import { base64UrlEncode } from "../../assembly/encoding/index";
import { Plan } from "./config";
import { RecordReader, RecordWriter } from "./record";
import { openValue, sealValue } from "./sealed";

/** How long a user may spend on the provider's login page. */
export const STATE_TTL_S: i64 = 600;
const VERSION: u32 = 1;

export class LoginStart {
  ok: bool = false;
  state: string = "";
  nonce: string = "";
  codeChallenge: string = "";
  cookieValue: string = "";
}

export class LoginCheck {
  ok: bool = false;
  reason: string = "";
  nonce: string = "";
  verifier: string = "";
  path: string = "/";
}

function ascii(s: string): Uint8Array {
  return Uint8Array.wrap(String.UTF8.encode(s));
}

/** base64url(id ‖ first 16 bytes of HMAC(id ‖ path)). */
function stateParam(plan: Plan, id: Uint8Array, path: string): string {
  const mac = plan.keys!.stateMac.update(id).update(ascii(path)).finish();
  const out = new Uint8Array(32);
  out.set(id, 0);
  out.set(mac.subarray(0, 16), 16);
  return base64UrlEncode(out);
}

export function startLogin(plan: Plan, nowS: i64, path: string): LoginStart {
  const out = new LoginStart();
  const rnd = randomBytes(64);
  if (!rnd.ok) return out;
  const id = rnd.value.subarray(0, 16);
  out.nonce = base64UrlEncode(rnd.value.subarray(16, 32));
  // RFC 7636 §4.1: 32 random octets → a 43-character verifier.
  const verifier = base64UrlEncode(rnd.value.subarray(32, 64));
  out.codeChallenge = base64UrlEncode(sha256(ascii(verifier)));
  out.state = stateParam(plan, id, path);
  const plain = new RecordWriter().u8(VERSION).u64(<u64>(nowS + STATE_TTL_S)).bytes(id).text(out.nonce).text(verifier).text(path).finish();
  out.cookieValue = sealValue(plan.keys!.state, plan.stateAad, plain);
  out.ok = out.cookieValue.length > 0;
  return out;
}

function refuse(reason: string): LoginCheck {
  const c = new LoginCheck();
  c.reason = reason;
  return c;
}

/** Opens the state cookie and checks the `state` parameter against it. */
export function checkLogin(plan: Plan, cookieValue: string | null, state: string | null, nowS: i64): LoginCheck {
  if (state === null || state.length == 0) return refuse("the callback has no state parameter");
  if (cookieValue === null || cookieValue.length == 0) return refuse("no login is in progress (state cookie missing, used or expired)");
  if (cookieValue.length > 4096 || state.length > 64) return refuse("the state or its cookie is oversized");
  const plain = openValue(plan.keys!.state, plan.stateAad, cookieValue);
  if (plain === null) return refuse("the state cookie is not ours or was tampered with");
  const r = new RecordReader(plain);
  const version = r.u8();
  const expires = <i64>r.u64();
  r.field();
  const id = plain.slice(r.at, r.at + r.len);
  const nonce = r.text();
  const verifier = r.text();
  const path = r.text();
  if (!r.atEnd || version != VERSION || id.length != 16) return refuse("the state cookie is malformed");
  if (nowS >= expires) return refuse("the login took too long (state expired)");
  const expected = ascii(stateParam(plan, id, path));
  const got = ascii(state);
  if (expected.length != got.length || !constantTimeEqual(expected, got)) return refuse("the state parameter does not match this browser's login");
  const c = new LoginCheck();
  c.ok = true;
  c.nonce = nonce;
  c.verifier = verifier;
  c.path = path;
  return c;
}
