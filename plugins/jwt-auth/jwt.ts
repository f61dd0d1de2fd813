// Splits and decodes a compact JWS (header.payload.signature) and reads the registered claims, in the
// order Envoy's jwt_verify_lib checks them so the first failure reported is the same one.
import { base64UrlDecode } from "../../assembly/encoding/index";
import { JsonOptions, JsonValue, parseJsonBytes } from "../../assembly/json/index";
import { Failure } from "./failure";

/** Bounds the work a hostile token can cause: Envoy's header limit (60 KiB) is the real bound. */
const MAX_TOKEN_CHARS: i32 = 64 * 1024;
/** Envoy parses JWT JSON with protobuf's parser: 100 levels of nesting pass, 101 do not. */
const MAX_JSON_DEPTH: i32 = 100;

export class Jwt {
  alg: string = "";
  kid: string = "";
  iss: string = "";
  hasIss: bool = false;
  sub: string = "";
  hasSub: bool = false;
  /** 0 when absent. */
  exp: i64 = 0;
  nbf: i64 = 0;
  audiences: Array<string> = new Array<string>();
  payload: JsonValue = JsonValue.object();
  /** The payload segment as sent (base64url), forwarded by outputPayloadToHeader. */
  payloadSegment: string = "";
  /** The same segment as UTF-8, encoded once (a cached token's payload header costs no conversion). */
  payloadSegmentBytes: ArrayBuffer = new ArrayBuffer(0);
  /** The decoded payload JSON text, written to filter state for later plugins. */
  payloadJson: Uint8Array = new Uint8Array(0);
  /** header.payload as bytes: what the signature covers. */
  signed: Uint8Array = new Uint8Array(0);
  signature: Uint8Array = new Uint8Array(0);
}

export class JwtResult {
  constructor(public jwt: Jwt | null, public failure: Failure) {}
}

function fail(f: Failure): JwtResult {
  return new JwtResult(null, f);
}

function jsonOptions(): JsonOptions {
  // Duplicate member names are invalid JSON to Envoy (protobuf's parser), at any depth.
  return new JsonOptions().depth(MAX_JSON_DEPTH).bytes(MAX_TOKEN_CHARS).noDuplicates();
}

const SUPPORTED_ALGS: string[] = [
  "RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "HS256", "HS384", "HS512", "EdDSA",
];

/** A registered time claim: absent → 0, a non-negative integer → its value, anything else → -1. */
function timeClaim(payload: JsonValue, name: string): i64 {
  const v = payload.get(name);
  if (v === null) return 0;
  if (!v.isNumber || v.num < 0 || v.num > 9.0e15 || Math.floor(v.num) != v.num) return -1;
  return <i64>v.num;
}

function hasOnlyKnownCrit(header: JsonValue): bool {
  // No extension is understood, so any `crit` entry is unknown (RFC 7515 §4.1.11: must refuse).
  return header.get("crit") === null;
}

export function parseJwt(token: string): JwtResult {
  if (token.length > MAX_TOKEN_CHARS) return fail(Failure.BadFormat);
  const d1 = token.indexOf(".");
  const d2 = d1 < 0 ? -1 : token.indexOf(".", d1 + 1);
  if (d1 < 0 || d2 < 0 || token.indexOf(".", d2 + 1) >= 0 || d2 == token.length - 1) return fail(Failure.BadFormat);
  const jwt = new Jwt();

  const hb = base64UrlDecode(token.substring(0, d1));
  if (!hb.ok) return fail(Failure.HeaderBadBase64);
  const hj = parseJsonBytes(hb.value, jsonOptions());
  if (!hj.ok || !hj.value.isObject) return fail(Failure.HeaderBadJson);
  const header = hj.value;
  const alg = header.get("alg");
  if (alg === null || !alg.isString) return fail(Failure.HeaderBadAlg);
  if (!SUPPORTED_ALGS.includes(alg.str)) return fail(Failure.HeaderAlgNotImplemented);
  jwt.alg = alg.str;
  const kid = header.get("kid");
  if (kid !== null) {
    if (!kid.isString) return fail(Failure.HeaderBadKid);
    jwt.kid = kid.str;
  }
  if (!hasOnlyKnownCrit(header)) return fail(Failure.HeaderUnknownCrit);

  jwt.payloadSegment = token.substring(d1 + 1, d2);
  jwt.payloadSegmentBytes = String.UTF8.encode(jwt.payloadSegment);
  const pb = base64UrlDecode(jwt.payloadSegment);
  if (!pb.ok) return fail(Failure.PayloadBadBase64);
  const pj = parseJsonBytes(pb.value, jsonOptions());
  if (!pj.ok || !pj.value.isObject) return fail(Failure.PayloadBadJson);
  const payload = pj.value;
  jwt.payload = payload;
  jwt.payloadJson = pb.value;
  const iss = payload.get("iss");
  if (iss !== null) {
    if (!iss.isString) return fail(Failure.PayloadBadField);
    jwt.iss = iss.str;
    jwt.hasIss = true;
  }
  const sub = payload.get("sub");
  if (sub !== null) {
    if (!sub.isString) return fail(Failure.PayloadBadField);
    jwt.sub = sub.str;
    jwt.hasSub = true;
  }
  jwt.exp = timeClaim(payload, "exp");
  jwt.nbf = timeClaim(payload, "nbf");
  if (jwt.exp < 0 || jwt.nbf < 0) return fail(Failure.PayloadBadField);
  const aud = payload.get("aud");
  if (aud !== null) {
    if (aud.isString) jwt.audiences.push(aud.str);
    else if (aud.isArray) {
      for (let i = 0; i < aud.length; i++) {
        const a = aud.at(i)!;
        if (!a.isString) return fail(Failure.PayloadBadField);
        jwt.audiences.push(a.str);
      }
    } else return fail(Failure.PayloadBadField);
  }

  const sb = base64UrlDecode(token.substring(d2 + 1));
  if (!sb.ok) return fail(Failure.SignatureBadBase64);
  jwt.signature = sb.value;
  jwt.signed = Uint8Array.wrap(String.UTF8.encode(token.substring(0, d2)));
  return new JwtResult(jwt, Failure.None);
}
