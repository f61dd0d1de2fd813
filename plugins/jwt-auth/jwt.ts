// Splits and decodes a compact JWS (header.payload.signature) and reads the registered claims, in the
// order Envoy's jwt_verify_lib checks them so the first failure reported is the same one.
import { JsonOptions, JsonValue, parseJsonPtr } from "../../assembly/json/index";
import { b64urlDecodedLength, b64urlDecodeInto } from "./b64url";
import { Failure } from "./failure";
import { bytesEqual } from "./bytes-equal";

/** Bounds the work a hostile token can cause: Envoy's header limit (60 KiB) is the real bound. */
const MAX_TOKEN_CHARS: i32 = 64 * 1024;
/** Envoy parses JWT JSON with protobuf's parser: 100 levels of nesting pass, 101 do not. */
const MAX_JSON_DEPTH: i32 = 100;

// Shared placeholders: a new token allocates only what it keeps (every object a remembered token holds
// is marked again at each collection).
const NO_BYTES = new ArrayBuffer(0);
const NO_U8 = new Uint8Array(0);
const NO_AUDIENCES = new Array<string>();
const NO_PASSES = new StaticArray<StaticArray<ArrayBuffer | null> | null>(0);

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
  /** Read only (shared while empty). */
  audiences: Array<string> = NO_AUDIENCES;
  /** The parsed payload; null once dropped (dropPayload), then parsed again from payloadJson on use. */
  private tree: JsonValue | null = null;
  /** Where the payload segment is in `raw`. */
  private segmentStart: i32 = 0;
  private segmentLength: i32 = 0;
  private segment: ArrayBuffer | null = null;
  /** The decoded payload, made from `raw` on first use (see payloadJson). */
  private json: ArrayBuffer | null = null;
  /** The whole token as received (the verified-token cache keeps this copy). */
  raw: ArrayBuffer = NO_BYTES;
  /** header.payload as bytes (a view of `raw`): what the signature covers. Until forgetSignature. */
  signed: Uint8Array = NO_U8;
  /** The decoded signature, in a buffer the next token's parse reuses: valid until then, or until
   *  forgetSignature. */
  signature: Uint8Array = NO_U8;

  /** The payload segment as sent (base64url, UTF-8), forwarded by outputPayloadToHeader: copied on first use. */
  get payloadSegmentBytes(): ArrayBuffer {
    let s = this.segment;
    if (s === null) {
      s = new ArrayBuffer(this.segmentLength);
      memory.copy(changetype<usize>(s), changetype<usize>(this.raw) + <usize>this.segmentStart, <usize>this.segmentLength);
      this.segment = s;
    }
    return s;
  }

  /** jwt-auth's verified-token cache (verified-cache.ts): per rule index, the claim header values of a
   *  rule this remembered token passed, else null. Kept here, not in an entry object of its own: every
   *  collection marks each remembered token's objects. */
  passed: StaticArray<StaticArray<ArrayBuffer | null> | null> = NO_PASSES;

  /** Length of header.payload in `raw`. */
  signedLength: i32 = 0;

  /** The decoded payload JSON text (written to filter state for later plugins), decoded again from the
   *  token on first use: most remembered tokens never need it. */
  get payloadJson(): ArrayBuffer {
    let j = this.json;
    if (j === null) {
      const at = changetype<usize>(this.raw) + <usize>this.segmentStart;
      j = new ArrayBuffer(b64urlDecodedLength(this.segmentLength));
      b64urlDecodeInto(at, this.segmentLength, changetype<usize>(j)); // it decoded when parsed
      this.json = j;
    }
    return j;
  }

  /** After a signature check: a remembered token keeps neither the view nor the shared buffer. */
  forgetSignature(): void {
    this.signed = NO_U8;
    this.signature = NO_U8;
  }

  /** Decodes the signature again (it was valid when parsed), for a remembered token checked under another rule. */
  restoreSignature(): void {
    const n = this.signedLength;
    this.signed = Uint8Array.wrap(this.raw, 0, n);
    this.signature = decodeSignature(changetype<usize>(this.raw) + <usize>(n + 1), this.raw.byteLength - n - 1)!;
  }

  get payload(): JsonValue {
    let t = this.tree;
    if (t === null) {
      // It parsed before, with the same options.
      t = parseJsonPtr(changetype<usize>(this.payloadJson), this.payloadJson.byteLength, jsonOptions()).value;
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

// Duplicate member names are invalid JSON to Envoy (protobuf's parser), at any depth.
const JSON_OPTIONS = new JsonOptions().depth(MAX_JSON_DEPTH).bytes(MAX_TOKEN_CHARS).noDuplicates();

function jsonOptions(): JsonOptions {
  return JSON_OPTIONS;
}

/** Scratch for the decoded header and payload (parsed, then dropped) and the signature (see Jwt.signature). */
let headerScratch = new ArrayBuffer(256);
let payloadScratch = new ArrayBuffer(1024);
let signatureScratch = new Uint8Array(0);

// The last header segment that passed readHeader, and what it yielded. An issuer's tokens share their
// header (alg, kid, typ), so a new token usually skips decoding and parsing it. Short segments only.
const MAX_REMEMBERED_HEADER: i32 = 512;
let lastHeader = new ArrayBuffer(0);
let lastAlg = "";
let lastKid = "";

/** Decodes and checks the header segment p[0..len) into jwt.alg and jwt.kid, in jwt_verify_lib's order. */
function readHeader(jwt: Jwt, p: usize, len: i32): Failure {
  const hLen = b64urlDecodedLength(len);
  if (hLen < 0) return Failure.HeaderBadBase64;
  if (headerScratch.byteLength < hLen) headerScratch = new ArrayBuffer(hLen);
  if (!b64urlDecodeInto(p, len, changetype<usize>(headerScratch))) return Failure.HeaderBadBase64;
  const hj = parseJsonPtr(changetype<usize>(headerScratch), hLen, jsonOptions());
  if (!hj.ok || !hj.value.isObject) return Failure.HeaderBadJson;
  const header = hj.value;
  const alg = header.get("alg");
  if (alg === null || !alg.isString) return Failure.HeaderBadAlg;
  const known = supportedAlg(alg.str);
  if (known === null) return Failure.HeaderAlgNotImplemented;
  jwt.alg = known;
  const kid = header.get("kid");
  if (kid !== null) {
    if (!kid.isString) return Failure.HeaderBadKid;
    jwt.kid = kid.str;
  }
  if (!hasOnlyKnownCrit(header)) return Failure.HeaderUnknownCrit;
  if (len <= MAX_REMEMBERED_HEADER) {
    const h = new ArrayBuffer(len);
    memory.copy(changetype<usize>(h), p, <usize>len);
    lastHeader = h;
    lastAlg = jwt.alg;
    lastKid = jwt.kid;
  }
  return Failure.None;
}

/** The signature's bytes in the shared scratch, or null if not base64url. */
function decodeSignature(p: usize, chars: i32): Uint8Array | null {
  const n = b64urlDecodedLength(chars);
  if (n < 0) return null;
  if (signatureScratch.length != n) signatureScratch = new Uint8Array(n);
  return b64urlDecodeInto(p, chars, signatureScratch.dataStart) ? signatureScratch : null;
}

/** The supported algorithm named `alg` (a static string), or null. */
function supportedAlg(alg: string): string | null {
  for (let i = 0; i < SUPPORTED_ALGS.length; i++) {
    const a = unchecked(SUPPORTED_ALGS[i]);
    if (a == alg) return a;
  }
  return null;
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

  if (d1 > 0 && d1 == lastHeader.byteLength && bytesEqual(p, changetype<usize>(lastHeader), d1)) {
    // The same header segment as the last token that passed these checks: the same alg and kid.
    jwt.alg = lastAlg;
    jwt.kid = lastKid;
  } else {
    const f = readHeader(jwt, p, d1);
    if (f != Failure.None) return fail(f);
  }

  jwt.segmentStart = d1 + 1;
  jwt.segmentLength = d2 - d1 - 1;
  const pLen = b64urlDecodedLength(d2 - d1 - 1);
  if (pLen < 0) return fail(Failure.PayloadBadBase64);
  // Decoded into scratch: the parsed tree copies what it keeps, and payloadJson decodes again if asked.
  if (payloadScratch.byteLength < pLen) payloadScratch = new ArrayBuffer(pLen);
  if (!b64urlDecodeInto(p + <usize>(d1 + 1), d2 - d1 - 1, changetype<usize>(payloadScratch))) return fail(Failure.PayloadBadBase64);
  const pj = parseJsonPtr(changetype<usize>(payloadScratch), pLen, jsonOptions());
  if (!pj.ok || !pj.value.isObject) return fail(Failure.PayloadBadJson);
  const payload = pj.value;
  jwt.payload = payload;
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
    const audiences = new Array<string>();
    jwt.audiences = audiences;
    if (aud.isString) audiences.push(aud.str);
    else if (aud.isArray) {
      for (let i = 0; i < aud.length; i++) {
        const a = aud.at(i)!;
        if (!a.isString) return fail(Failure.PayloadBadField);
        audiences.push(a.str);
      }
    } else return fail(Failure.PayloadBadField);
  }

  const sig = decodeSignature(p + <usize>(d2 + 1), len - d2 - 1);
  if (sig === null) return fail(Failure.SignatureBadBase64);
  jwt.signature = sig;
  jwt.signedLength = d2;
  jwt.signed = Uint8Array.wrap(raw, 0, d2);
  return new JwtResult(jwt, Failure.None);
}
