// Splits and decodes a compact JWS (header.payload.signature) and reads the registered claims, in the
// order Envoy's jwt_verify_lib checks them so the first failure reported is the same one.
import { Base64Options, base64DecodePtr } from "../../assembly/encoding/index";
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
  /** The parsed payload; null once dropped (dropPayload), then parsed again from payloadJson on use. */
  private tree: JsonValue | null = JsonValue.object();
  /** The payload segment as sent (base64url, UTF-8), forwarded by outputPayloadToHeader. */
  payloadSegmentBytes: ArrayBuffer = new ArrayBuffer(0);
  /** The decoded payload JSON text, written to filter state for later plugins. */
  payloadJson: Uint8Array = new Uint8Array(0);
  /** The whole token as received (the verified-token cache keeps this copy). */
  raw: ArrayBuffer = new ArrayBuffer(0);
  /** header.payload as bytes (a view of `raw`): what the signature covers. */
  signed: Uint8Array = new Uint8Array(0);
  signature: Uint8Array = new Uint8Array(0);

  get payload(): JsonValue {
    let t = this.tree;
    if (t === null) {
      // It parsed before, with the same options.
      t = parseJsonBytes(this.payloadJson, jsonOptions()).value;
      this.tree = t;
    }
    return t;
  }

  set payload(v: JsonValue) { this.tree = v; }

  /** Forgets the parsed payload (a remembered token whose claims nothing reads costs the collector
   *  ~30 objects less to mark); `payload` parses it again if asked. */
  dropPayload(): void { this.tree = null; }
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
  const b = String.UTF8.encode(token);
  return parseJwtBytes(changetype<usize>(b), b.byteLength);
}

function indexOfDot(p: usize, from: i32, len: i32): i32 {
  for (let i = from; i < len; i++) if (load<u8>(p + <usize>i) == 0x2E) return i;
  return -1;
}

const B64URL = Base64Options.urlSafe();

/** Parses the token in bytes [ptr, ptr+len) (UTF-8 as received), copied once into `raw`: no UTF-16
 *  string, substrings or re-encoding of the segments. */
export function parseJwtBytes(ptr: usize, len: i32): JwtResult {
  // The limit counts characters, as before; only a token over it in bytes can be over it in characters.
  if (len > MAX_TOKEN_CHARS && String.UTF8.decodeUnsafe(ptr, <usize>len).length > MAX_TOKEN_CHARS) return fail(Failure.BadFormat);
  const d1 = indexOfDot(ptr, 0, len);
  const d2 = d1 < 0 ? -1 : indexOfDot(ptr, d1 + 1, len);
  if (d1 < 0 || d2 < 0 || indexOfDot(ptr, d2 + 1, len) >= 0 || d2 == len - 1) return fail(Failure.BadFormat);
  const jwt = new Jwt();
  const raw = new ArrayBuffer(len);
  memory.copy(changetype<usize>(raw), ptr, <usize>len);
  const p = changetype<usize>(raw);
  jwt.raw = raw;

  const hb = base64DecodePtr(p, d1, B64URL);
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

  const segment = new ArrayBuffer(d2 - d1 - 1);
  memory.copy(changetype<usize>(segment), p + <usize>(d1 + 1), <usize>(d2 - d1 - 1));
  jwt.payloadSegmentBytes = segment;
  const pb = base64DecodePtr(changetype<usize>(segment), segment.byteLength, B64URL);
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

  const sb = base64DecodePtr(p + <usize>(d2 + 1), len - d2 - 1, B64URL);
  if (!sb.ok) return fail(Failure.SignatureBadBase64);
  jwt.signature = sb.value;
  jwt.signed = Uint8Array.wrap(raw, 0, d2);
  return new JwtResult(jwt, Failure.None);
}
