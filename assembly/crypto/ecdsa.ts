// ECDSA verification over P-256 and P-384 (FIPS 186-5 / SEC1 4.1.4), signatures as raw r||s
// (IEEE P1363, the JWS layout) or DER. Public keys are validated on load (on the curve, in range).
import { HashAlg, digest } from './hash';
import { Verdict } from './result';
import { AffineTable, Curve, JPoint, KEY_WINDOW, curveP256, curveP384 } from './ec/weierstrass';
import { parseDerSignature } from './ec/der-signature';
import { limbsFromBytes, limbsToBytes, compareLimbs, isZero } from './bigint/mont';
import { Fe, Field } from './ec/field';
import { invertVartime } from './bigint/inverse';

export enum EcCurveId {
  P256 = 0,
  P384 = 1,
}

export function curveOf(id: EcCurveId): Curve {
  return id == EcCurveId.P384 ? curveP384() : curveP256();
}

export class EcPublicKey {
  /** Odd multiples of Q in affine form, computed once at load so verification uses mixed additions. */
  readonly table: AffineTable;

  constructor(public curveId: EcCurveId, public curve: Curve, public q: JPoint) {
    this.table = curve.affineTable(q, KEY_WINDOW);
  }
}

export class EcKeyResult {
  constructor(public ok: bool, public key: EcPublicKey | null, public reason: string) {}
}

function keyFail(reason: string): EcKeyResult {
  return new EcKeyResult(false, null, reason);
}

/** Affine coordinates as big-endian bytes of exactly the field size (as JWK requires). */
export function ecPublicKeyFromCoordinates(id: EcCurveId, x: Uint8Array, y: Uint8Array): EcKeyResult {
  const c = curveOf(id);
  if (x.length != c.size || y.length != c.size) return keyFail('ec: coordinate length differs from the field size');
  const fp = c.fp;
  const px = fp.fe(), py = fp.fe(), pz = fp.fe();
  if (!fp.fromBytes(px, x) || !fp.fromBytes(py, y)) return keyFail('ec: coordinate not below the field prime');
  if (!c.isOnCurve(px, py)) return keyFail('ec: point is not on the curve');
  fp.copy(pz, fp.mont.one);
  // Prime-order curves (cofactor 1): an on-curve, finite point is in the right subgroup.
  return new EcKeyResult(true, new EcPublicKey(id, c, new JPoint(px, py, pz)), '');
}

/** SEC1 uncompressed encoding 04 || x || y. */
export function ecPublicKeyFromSec1(id: EcCurveId, bytes: Uint8Array): EcKeyResult {
  const size = curveOf(id).size;
  if (bytes.length == 0) return keyFail('ec: empty public key');
  if (unchecked(bytes[0]) != 0x04) return keyFail('ec: only uncompressed SEC1 points are supported');
  if (bytes.length != 1 + 2 * size) return keyFail('ec: SEC1 point has the wrong length');
  return ecPublicKeyFromCoordinates(id, bytes.subarray(1, 1 + size), bytes.subarray(1 + size));
}

/** Signature as r || s, each exactly the curve size (JWS ES256/ES384). */
export function ecdsaVerifyP1363(key: EcPublicKey, alg: HashAlg, msg: Uint8Array, sig: Uint8Array): Verdict {
  const size = key.curve.size;
  if (sig.length != 2 * size) return Verdict.fail('ecdsa: signature length is not twice the curve size');
  return verifyRS(key, alg, msg, sig.subarray(0, size), sig.subarray(size));
}

/** Signature as strict DER (X.509 / TLS style). */
export function ecdsaVerifyDer(key: EcPublicKey, alg: HashAlg, msg: Uint8Array, sig: Uint8Array): Verdict {
  const d = parseDerSignature(sig, key.curve.size);
  if (!d.ok) return Verdict.fail(d.reason);
  return verifyRS(key, alg, msg, d.r, d.s);
}

function verifyRS(key: EcPublicKey, alg: HashAlg, msg: Uint8Array, rBytes: Uint8Array, sBytes: Uint8Array): Verdict {
  const c = key.curve;
  const fn = c.fn;
  const size = c.size;
  const r = fn.fe(), s = fn.fe();
  limbsFromBytes(r, rBytes);
  limbsFromBytes(s, sBytes);
  if (isZero(r) || compareLimbs(r, fn.p) >= 0) return Verdict.fail('ecdsa: r out of range');
  if (isZero(s) || compareLimbs(s, fn.p) >= 0) return Verdict.fail('ecdsa: s out of range');
  // e = leftmost bits of the hash (both curves' orders have a whole number of bytes).
  const h = digest(alg, msg);
  const eBytes = h.length > size ? h.subarray(0, size) : h;
  const e = fn.fe();
  limbsFromBytes(e, eBytes);
  // w = s^-1 (binary Euclid: s is public), then into Montgomery form, so that
  // montmul(normal x, wMont) = x*w in normal form.
  const w = fn.fe();
  if (!invertVartime(w, s, fn.p)) return Verdict.fail('ecdsa: s has no inverse');
  fn.mont.toMont(w, w);
  const u1 = fn.fe(), u2 = fn.fe();
  fn.mul(u1, e, w);
  fn.mul(u2, r, w);
  const p = c.point();
  c.mulAdd(p, limbsToBytes(u1, size), limbsToBytes(u2, size), key.table);
  const fp = c.fp;
  if (fp.isZero(p.z)) return Verdict.fail('ecdsa: result is the point at infinity');
  // Accept iff x(P) mod n == r, without inverting Z: x(P) = X/Z^2 lies in [0, p), so it is r or
  // r + n (the latter only when r + n < p). Test X == r' * Z^2 for each candidate r'.
  const z2 = fp.fe();
  fp.sqr(z2, p.z);
  const cand = fp.fe();
  if (candidateMatches(fp, r, z2, p.x, cand)) return Verdict.pass();
  let carry: u64 = 0;
  for (let i = 0; i < r.length; i++) {
    const v = <u64>unchecked(r[i]) + <u64>unchecked(fn.p[i]) + carry;
    unchecked((r[i] = <u32>v));
    carry = v >> 32;
  }
  if (carry == 0 && compareLimbs(r, fp.p) < 0 && candidateMatches(fp, r, z2, p.x, cand)) return Verdict.pass();
  return Verdict.fail('ecdsa: signature mismatch');
}

/** r (normal form, < p) times Z^2 equals X, all in the field. */
function candidateMatches(fp: Field, r: Fe, z2: Fe, x: Fe, scratch: Fe): bool {
  fp.mont.toMont(scratch, r);
  fp.mul(scratch, scratch, z2);
  return fp.equal(scratch, x);
}
