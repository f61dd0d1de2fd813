// JSON Web Keys (RFC 7517 / 7518 / 8037) to verification keys: RSA, EC (P-256, P-384), OKP
// (Ed25519) and oct (HMAC / AES secrets). Each key is validated as it is built (on-curve points,
// modulus size, exact coordinate lengths); a set keeps the keys it can use and says why it skipped
// the others. Private members (d, p, q, ...) are never read.
import { JsonValue, parseJsonBytes, JsonOptions } from '../json/index';
import { base64UrlDecode } from '../encoding/index';
import { RsaPublicKey, rsaPublicKeyFromBytes } from './rsa-key';
import { EcCurveId, EcPublicKey, ecPublicKeyFromCoordinates } from './ecdsa';
import { Ed25519PublicKey, ed25519PublicKey } from './ed25519';

export enum JwkKind {
  RSA = 0,
  EC = 1,
  OKP = 2,
  OCT = 3,
}

/** Most keys a set may hold; larger documents are refused, so memory stays bounded. */
export const MAX_JWKS_KEYS: i32 = 64;
/** Largest JWK / JWKS document accepted, in bytes. */
export const MAX_JWKS_BYTES: i32 = 256 * 1024;

export class Jwk {
  kind: JwkKind = JwkKind.OCT;
  kid: string = '';
  /** "alg" member, "" if absent. */
  alg: string = '';
  /** "use" member, "" if absent. */
  use: string = '';
  rsa: RsaPublicKey | null = null;
  ec: EcPublicKey | null = null;
  ed25519: Ed25519PublicKey | null = null;
  /** oct keys: the secret bytes. */
  secret: Uint8Array = new Uint8Array(0);
}

export class JwkResult {
  constructor(public ok: bool, public key: Jwk | null, public reason: string) {}
}

export class JwksResult {
  constructor(
    public ok: bool,
    public keys: Array<Jwk>,
    /** One "index: reason" entry per key that was skipped. */
    public skipped: Array<string>,
    public reason: string,
  ) {}
}

function fail(reason: string): JwkResult {
  return new JwkResult(false, null, reason);
}

/** Optional string member: "" when absent, null when present with another type. */
function optString(v: JsonValue, name: string): string | null {
  const m = v.get(name);
  if (m === null) return '';
  return m.isString ? m.str : null;
}

class Decoded {
  constructor(public ok: bool, public bytes: Uint8Array, public reason: string) {}
}

/** Required base64url (unpadded) member. */
function b64Member(v: JsonValue, name: string): Decoded {
  const m = v.get(name);
  if (m === null) return new Decoded(false, new Uint8Array(0), `jwk: missing "${name}"`);
  if (!m.isString) return new Decoded(false, new Uint8Array(0), `jwk: "${name}" is not a string`);
  const r = base64UrlDecode(m.str);
  if (!r.ok) return new Decoded(false, new Uint8Array(0), `jwk: "${name}" is not base64url: ${r.error}`);
  return new Decoded(true, r.value, '');
}

/** The key family an "alg" value requires, or -1 for an algorithm we do not know. */
function familyOfAlg(alg: string): i32 {
  if (alg == 'RS256' || alg == 'RS384' || alg == 'RS512' || alg == 'PS256' || alg == 'PS384' || alg == 'PS512') return JwkKind.RSA;
  if (alg == 'ES256' || alg == 'ES384') return JwkKind.EC;
  if (alg == 'EdDSA' || alg == 'Ed25519') return JwkKind.OKP;
  if (alg == 'HS256' || alg == 'HS384' || alg == 'HS512' || alg == 'A256GCM' || alg == 'A128GCM' || alg == 'A192GCM' || alg == 'dir') return JwkKind.OCT;
  return -1;
}

/** Builds a key from a parsed JWK object. */
export function jwkFromJson(v: JsonValue): JwkResult {
  if (!v.isObject) return fail('jwk: not a JSON object');
  const kty = v.get('kty');
  if (kty === null || !kty.isString) return fail('jwk: missing or non-string "kty"');
  const key = new Jwk();
  const kid = optString(v, 'kid');
  const alg = optString(v, 'alg');
  const use = optString(v, 'use');
  if (kid === null || alg === null || use === null) return fail('jwk: "kid", "alg" and "use" must be strings');
  key.kid = kid;
  key.alg = alg;
  key.use = use;
  const t = kty.str;
  if (t == 'RSA') {
    key.kind = JwkKind.RSA;
    const n = b64Member(v, 'n');
    if (!n.ok) return fail(n.reason);
    const e = b64Member(v, 'e');
    if (!e.ok) return fail(e.reason);
    const r = rsaPublicKeyFromBytes(n.bytes, e.bytes);
    if (!r.ok) return fail(r.reason);
    key.rsa = r.key;
  } else if (t == 'EC') {
    key.kind = JwkKind.EC;
    const crv = v.get('crv');
    if (crv === null || !crv.isString) return fail('jwk: missing or non-string "crv"');
    let id = EcCurveId.P256;
    if (crv.str == 'P-256') id = EcCurveId.P256;
    else if (crv.str == 'P-384') id = EcCurveId.P384;
    else return fail('jwk: unsupported EC curve ' + crv.str);
    if (alg.length > 0 && ((alg == 'ES256') != (id == EcCurveId.P256) || (alg == 'ES384') != (id == EcCurveId.P384))) {
      return fail('jwk: "alg" ' + alg + ' does not match curve ' + crv.str);
    }
    const x = b64Member(v, 'x');
    if (!x.ok) return fail(x.reason);
    const y = b64Member(v, 'y');
    if (!y.ok) return fail(y.reason);
    const r = ecPublicKeyFromCoordinates(id, x.bytes, y.bytes);
    if (!r.ok) return fail(r.reason);
    key.ec = r.key;
  } else if (t == 'OKP') {
    key.kind = JwkKind.OKP;
    const crv = v.get('crv');
    if (crv === null || !crv.isString) return fail('jwk: missing or non-string "crv"');
    if (crv.str != 'Ed25519') return fail('jwk: unsupported OKP curve ' + crv.str);
    const x = b64Member(v, 'x');
    if (!x.ok) return fail(x.reason);
    const r = ed25519PublicKey(x.bytes);
    if (!r.ok) return fail(r.reason);
    key.ed25519 = r.key;
  } else if (t == 'oct') {
    key.kind = JwkKind.OCT;
    const k = b64Member(v, 'k');
    if (!k.ok) return fail(k.reason);
    if (k.bytes.length == 0) return fail('jwk: empty "k"');
    key.secret = k.bytes;
  } else {
    return fail('jwk: unsupported "kty" ' + t);
  }
  if (alg.length > 0) {
    const fam = familyOfAlg(alg);
    if (fam < 0) return fail('jwk: unsupported "alg" ' + alg);
    if (fam != <i32>key.kind) return fail('jwk: "alg" ' + alg + ' does not fit "kty" ' + t);
  }
  return new JwkResult(true, key, '');
}

function options(): JsonOptions {
  return new JsonOptions().depth(8).bytes(MAX_JWKS_BYTES).noDuplicates();
}

/** One JWK as JSON text (UTF-8 bytes). */
export function parseJwk(json: Uint8Array): JwkResult {
  const doc = parseJsonBytes(json, options());
  if (!doc.ok) return fail('jwk: invalid JSON: ' + doc.message);
  return jwkFromJson(doc.value);
}

/** A JWK Set {"keys": [...]}: usable keys plus the reason each other key was skipped. */
export function parseJwks(json: Uint8Array): JwksResult {
  const none = new Array<Jwk>();
  const doc = parseJsonBytes(json, options());
  if (!doc.ok) return new JwksResult(false, none, new Array<string>(), 'jwks: invalid JSON: ' + doc.message);
  const root = doc.value;
  if (!root.isObject) return new JwksResult(false, none, new Array<string>(), 'jwks: not a JSON object');
  const keys = root.get('keys');
  if (keys === null || !keys.isArray) return new JwksResult(false, none, new Array<string>(), 'jwks: missing "keys" array');
  if (keys.length > MAX_JWKS_KEYS) return new JwksResult(false, none, new Array<string>(), 'jwks: more than 64 keys');
  const out = new Array<Jwk>();
  const skipped = new Array<string>();
  for (let i = 0; i < keys.length; i++) {
    const r = jwkFromJson(keys.at(i)!);
    if (r.ok) out.push(r.key!);
    else skipped.push(i.toString() + ': ' + r.reason);
  }
  return new JwksResult(true, out, skipped, '');
}
