// @ts-nocheck -- AssemblyScript source (compiled by asc, not tsc): the thin export layer the
// Wycheproof runner and the crypto bench call. Inputs go through numbered byte slots that JS fills
// in place; results come back as a return code plus an output buffer and a reason string.
import * as crypto from '../../assembly/crypto/index';

const slots = new Array<Uint8Array>(8);
for (let i = 0; i < 8; i++) slots[i] = new Uint8Array(0);
let output = new Uint8Array(0);
let reason = '';

/** Allocates slot `i` with `len` bytes and returns where JS should write them. */
export function slotAlloc(i: i32, len: i32): usize {
  const a = new Uint8Array(len);
  slots[i] = a;
  return a.dataStart;
}

export function outputPtr(): usize {
  return output.dataStart;
}

export function outputLen(): i32 {
  return output.length;
}

/** UTF-16 code units of the last failure reason. */
export function reasonPtr(): usize {
  return changetype<usize>(reason);
}

export function reasonLen(): i32 {
  return reason.length;
}

function verdict(v: crypto.Verdict): i32 {
  reason = v.reason;
  return v.ok ? 1 : 0;
}

function bytes(r: crypto.BytesResult): i32 {
  reason = r.reason;
  output = r.value;
  return r.ok ? 1 : 0;
}

/** digest(slot0) */
export function hash(alg: i32): i32 {
  output = crypto.digest(<crypto.HashAlg>alg, slots[0]);
  return 1;
}

/** Hashes slot0 `times` times (bench: keeps the JS<->Wasm crossing out of the measurement). */
export function hashRepeat(alg: i32, times: i32): i32 {
  const h = crypto.newHasher(<crypto.HashAlg>alg);
  for (let i = 0; i < times; i++) output = h.reset().update(slots[0]).finish();
  return 1;
}

/** HMAC(key=slot0, msg=slot1) */
export function hmac(alg: i32): i32 {
  output = crypto.hmac(<crypto.HashAlg>alg, slots[0], slots[1]);
  return 1;
}

/** verify tag slot2 for HMAC(key=slot0, msg=slot1) */
export function hmacVerify(alg: i32): i32 {
  return verdict(crypto.hmacVerify(<crypto.HashAlg>alg, slots[0], slots[1], slots[2]));
}

/** HKDF(salt=slot0, ikm=slot1, info=slot2, length) */
export function hkdf(alg: i32, length: i32): i32 {
  return bytes(crypto.hkdf(<crypto.HashAlg>alg, slots[0], slots[1], slots[2], length));
}

export function randomBytes(len: i32): i32 {
  return bytes(crypto.randomBytes(len));
}

export function constantTimeEqual(): i32 {
  return crypto.constantTimeEqual(slots[0], slots[1]) ? 1 : 0;
}

// Loaded keys, addressed by index ("handle"), so a bench or a test group parses a key once.
let rsaKeys = new Array<crypto.RsaPublicKey>();
let ecKeys = new Array<crypto.EcPublicKey>();
let edKeys = new Array<crypto.Ed25519PublicKey>();
let gcmKeys = new Array<crypto.AesGcm>();

export function keysClear(): void {
  rsaKeys = new Array<crypto.RsaPublicKey>();
  ecKeys = new Array<crypto.EcPublicKey>();
  edKeys = new Array<crypto.Ed25519PublicKey>();
  gcmKeys = new Array<crypto.AesGcm>();
}

/** AES-GCM key from slot0; returns a handle or -1. */
export function gcmKey(): i32 {
  const r = crypto.AesGcm.create(slots[0]);
  reason = r.reason;
  if (!r.ok) return -1;
  gcmKeys.push(r.key!);
  return gcmKeys.length - 1;
}

/** iv=slot0, aad=slot1, plaintext=slot2 -> ciphertext || tag */
export function gcmSeal(key: i32): i32 {
  if (key < 0 || key >= gcmKeys.length) return verdict(crypto.Verdict.fail('no such key'));
  return bytes(gcmKeys[key].seal(slots[0], slots[1], slots[2]));
}

/** iv=slot0, aad=slot1, ciphertext || tag=slot2 -> plaintext */
export function gcmOpen(key: i32): i32 {
  if (key < 0 || key >= gcmKeys.length) return verdict(crypto.Verdict.fail('no such key'));
  return bytes(gcmKeys[key].open(slots[0], slots[1], slots[2]));
}

/** Ed25519 key from slot0; returns a handle or -1. */
export function edKey(): i32 {
  const r = crypto.ed25519PublicKey(slots[0]);
  reason = r.reason;
  if (!r.ok) return -1;
  edKeys.push(r.key!);
  return edKeys.length - 1;
}

/** msg=slot0, sig=slot1 */
export function ed25519Verify(key: i32): i32 {
  if (key < 0 || key >= edKeys.length) return verdict(crypto.Verdict.fail('no such key'));
  return verdict(crypto.ed25519Verify(edKeys[key], slots[0], slots[1]));
}

/** EC key from a SEC1 point in slot0; returns a handle or -1. */
export function ecKey(curve: i32): i32 {
  if (curve != 0 && curve != 1) return verdict(crypto.Verdict.fail('unknown curve')) - 1;
  const r = crypto.ecPublicKeyFromSec1(<crypto.EcCurveId>curve, slots[0]);
  reason = r.reason;
  if (!r.ok) return -1;
  ecKeys.push(r.key!);
  return ecKeys.length - 1;
}

/** msg=slot0, sig=slot1 */
export function ecdsaVerify(key: i32, alg: i32, der: i32): i32 {
  if (key < 0 || key >= ecKeys.length) return verdict(crypto.Verdict.fail('no such key'));
  const k = ecKeys[key];
  return verdict(
    der ? crypto.ecdsaVerifyDer(k, <crypto.HashAlg>alg, slots[0], slots[1]) : crypto.ecdsaVerifyP1363(k, <crypto.HashAlg>alg, slots[0], slots[1]),
  );
}

/** RSA key from modulus=slot0, exponent=slot1; returns a handle or -1. */
export function rsaKey(): i32 {
  const r = crypto.rsaPublicKeyFromBytes(slots[0], slots[1]);
  reason = r.reason;
  if (!r.ok) return -1;
  rsaKeys.push(r.key!);
  return rsaKeys.length - 1;
}

/** msg=slot0, sig=slot1 */
export function rsaPkcs1Verify(key: i32, alg: i32): i32 {
  if (key < 0 || key >= rsaKeys.length) return verdict(crypto.Verdict.fail('no such key'));
  return verdict(crypto.rsaPkcs1Verify(rsaKeys[key], <crypto.HashAlg>alg, slots[0], slots[1]));
}

/** msg=slot0, sig=slot1 */
export function rsaPssVerify(key: i32, alg: i32, mgfAlg: i32, saltLen: i32): i32 {
  if (key < 0 || key >= rsaKeys.length) return verdict(crypto.Verdict.fail('no such key'));
  return verdict(crypto.rsaPssVerify(rsaKeys[key], <crypto.HashAlg>alg, <crypto.HashAlg>mgfAlg, saltLen, slots[0], slots[1]));
}

/**
 * JWK (slot0, JSON text) -> handle in the matching key table, or -1. Output: [kind, handle] so
 * JS can call the right verifier; oct keys return their secret as the output bytes.
 */
export function jwkLoad(): i32 {
  const r = crypto.parseJwk(slots[0]);
  reason = r.reason;
  if (!r.ok) return -1;
  return storeJwk(r.key!);
}

function storeJwk(k: crypto.Jwk): i32 {
  if (k.kind == crypto.JwkKind.RSA) {
    rsaKeys.push(k.rsa!);
    return rsaKeys.length - 1;
  }
  if (k.kind == crypto.JwkKind.EC) {
    ecKeys.push(k.ec!);
    return ecKeys.length - 1;
  }
  if (k.kind == crypto.JwkKind.OKP) {
    edKeys.push(k.ed25519!);
    return edKeys.length - 1;
  }
  output = k.secret;
  return 0;
}

/** JWKS (slot0) -> number of usable keys, or -1; reason lists skipped keys, one per line. */
export function jwksLoad(): i32 {
  const r = crypto.parseJwks(slots[0]);
  if (!r.ok) {
    reason = r.reason;
    return -1;
  }
  reason = r.skipped.join('\n');
  for (let i = 0; i < r.keys.length; i++) storeJwk(r.keys[i]);
  return r.keys.length;
}
