// ID token validation (OpenID Connect Core §3.1.3.7): signature with the provider's keys, then iss,
// aud, azp, exp/iat (with clock skew) and nonce. JWS parsing and key selection are jwt-auth's.
import { Jwk } from "../../assembly/crypto/index";
import { JsonValue } from "../../assembly/json/index";
import { Failure } from "../jwt-auth/failure";
import { Jwt, parseJwt } from "../jwt-auth/jwt";
import { verifySignature } from "../jwt-auth/verify";
import { Plan } from "./config";

export enum TokenVerdict { Ok = 0, Invalid = 1, UnknownKey = 2 }

export class IdTokenCheck {
  verdict: TokenVerdict = TokenVerdict.Invalid;
  reason: string = "";
  jwt: Jwt | null = null;
  get ok(): bool { return this.verdict == TokenVerdict.Ok; }
}

function invalid(reason: string): IdTokenCheck {
  const c = new IdTokenCheck();
  c.reason = reason;
  return c;
}

function intClaim(payload: JsonValue, name: string): i64 {
  const v = payload.get(name);
  if (v === null || !v.isNumber || !v.isInt || v.int < 0) return -1;
  return v.int;
}

function strClaim(payload: JsonValue, name: string): string | null {
  const v = payload.get(name);
  return v !== null && v.isString ? v.str : null;
}

/**
 * `nonce` null: a token from a refresh (no nonce required). `sub` non-empty: the subject it must keep
 * (a refreshed token for someone else is refused).
 */
export function checkIdToken(plan: Plan, token: string, keys: Array<Jwk> | null, nowS: i64, nonce: string | null, sub: string): IdTokenCheck {
  const parsed = parseJwt(token);
  if (parsed.jwt === null) return invalid("the ID token is malformed");
  const jwt = parsed.jwt!;
  // Only asymmetric algorithms: the keys come from the provider's JWKS, never the client secret.
  if (jwt.alg.startsWith("HS")) return invalid("the ID token uses a symmetric algorithm (" + jwt.alg + ")");
  if (keys === null) return unknownKey();
  const sig = verifySignature(jwt, keys);
  if (sig == Failure.KidAlgUnmatch) return unknownKey();
  if (sig != Failure.None) return invalid("the ID token signature does not verify");
  const p = jwt.payload;
  if (!jwt.hasIss || jwt.iss != plan.issuer) return invalid("the ID token issuer is not " + plan.issuer);
  if (!jwt.audiences.includes(plan.clientId)) return invalid("the ID token audience does not include the client");
  const azp = strClaim(p, "azp");
  if (jwt.audiences.length > 1 && azp === null) return invalid("the ID token has several audiences and no azp");
  if (azp !== null && azp != plan.clientId) return invalid("the ID token azp is another client");
  const exp = intClaim(p, "exp");
  const iat = intClaim(p, "iat");
  if (exp < 0 || iat < 0) return invalid("the ID token lacks exp or iat");
  if (nowS >= exp + plan.clockSkewS) return invalid("the ID token has expired");
  if (iat > nowS + plan.clockSkewS) return invalid("the ID token was issued in the future");
  const nbf = p.get("nbf");
  if (nbf !== null && (!nbf.isNumber || nbf.num > <f64>(nowS + plan.clockSkewS))) return invalid("the ID token is not valid yet");
  if (!jwt.hasSub || jwt.sub.length == 0) return invalid("the ID token has no subject");
  if (sub.length > 0 && jwt.sub != sub) return invalid("the refreshed ID token is for another subject");
  if (nonce !== null) {
    const got = strClaim(p, "nonce");
    if (got === null || got != nonce) return invalid("the ID token nonce does not match this login");
  }
  const c = new IdTokenCheck();
  c.verdict = TokenVerdict.Ok;
  c.jwt = jwt;
  return c;
}

function unknownKey(): IdTokenCheck {
  const c = new IdTokenCheck();
  c.verdict = TokenVerdict.UnknownKey;
  c.reason = "no provider key matches the ID token";
  return c;
}

/** Expiry time of a token already accepted (its exp). */
export function expOf(jwt: Jwt): i64 {
  return intClaim(jwt.payload, "exp");
}

/** Claim values as header text: strings as they are, numbers and booleans printed; others "" (not sent). */
export function claimText(jwt: Jwt, name: string): string {
  const v = jwt.payload.get(name);
  if (v === null) return "";
  if (v.isString) return v.str;
  if (v.isBool) return v.bool ? "true" : "false";
  if (v.isNumber) return v.isInt ? v.int.toString() : v.num.toString();
  return "";
}
