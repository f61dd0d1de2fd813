// Ed25519 signature verification (RFC 8032 section 5.1.7), cofactorless: R' = [S]B - [k]A must
// encode to exactly the R bytes of the signature. Rejects S >= L, non-canonical A, and points
// that do not decode; extended twisted-Edwards coordinates (a = -1) over the Montgomery field.
import { Fe, Field } from './ec/field';
import { hexBytes } from './ec/hex';
import { compareLimbs, limbsFromBytes, limbsToBytes } from './bigint/mont';
import { Sha512 } from './sha512';
import { Verdict } from './result';

class EPoint {
  constructor(public x: Fe, public y: Fe, public z: Fe, public t: Fe) {}
}

class Ed25519 {
  fp: Field;
  fl: Field;
  d: Fe;
  d2: Fe;
  sqrtM1: Fe;
  b: EPoint;
  bTable: Array<EPoint>;
  /** (p - 5) / 8 */
  sqrtExp: Uint8Array;
  private s0: Fe; private s1: Fe; private s2: Fe; private s3: Fe; private s4: Fe; private s5: Fe;

  constructor() {
    const fp = new Field(hexBytes('7fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffed'));
    this.fp = fp;
    this.fl = new Field(hexBytes('1000000000000000000000000000000014def9dea2f79cd65812631a5cf5d3ed'));
    this.s0 = fp.fe(); this.s1 = fp.fe(); this.s2 = fp.fe(); this.s3 = fp.fe(); this.s4 = fp.fe(); this.s5 = fp.fe();
    const d = fp.fe(), d2 = fp.fe(), sq = fp.fe();
    fp.fromBytes(d, hexBytes('52036cee2b6ffe738cc740797779e89800700a4d4141d8ab75eb4dca135978a3'));
    fp.add(d2, d, d);
    fp.fromBytes(sq, hexBytes('2b8324804fc1df0b2b4d00993dfbd7a72f431806ad2fe478c4ee1b274a0ea0b0'));
    this.d = d;
    this.d2 = d2;
    this.sqrtM1 = sq;
    this.sqrtExp = hexBytes('0ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffd');
    const bx = fp.fe(), by = fp.fe(), bz = fp.fe(), bt = fp.fe();
    fp.fromBytes(bx, hexBytes('216936d3cd6e53fec0a4e231fdd6dc5c692cc7609525a7b2c9562d608f25d51a'));
    fp.fromBytes(by, hexBytes('6666666666666666666666666666666666666666666666666666666666666658'));
    fp.copy(bz, fp.mont.one);
    fp.mul(bt, bx, by);
    this.b = new EPoint(bx, by, bz, bt);
    this.bTable = new Array<EPoint>(0);
    this.bTable = this.table(this.b);
  }

  point(): EPoint {
    const fp = this.fp;
    return new EPoint(fp.fe(), fp.fe(), fp.fe(), fp.fe());
  }

  setIdentity(p: EPoint): void {
    const fp = this.fp;
    for (let i = 0; i < fp.k; i++) {
      unchecked((p.x[i] = 0));
      unchecked((p.t[i] = 0));
    }
    fp.copy(p.y, fp.mont.one);
    fp.copy(p.z, fp.mont.one);
  }

  /** out = a + b (add-2008-hwcd-3, complete for a = -1). Aliasing allowed. */
  add(out: EPoint, a: EPoint, b: EPoint): void {
    const fp = this.fp;
    const A = this.s0, B = this.s1, C = this.s2, D = this.s3, t = this.s4;
    fp.sub(A, a.y, a.x);
    fp.sub(t, b.y, b.x);
    fp.mul(A, A, t);
    fp.add(B, a.y, a.x);
    fp.add(t, b.y, b.x);
    fp.mul(B, B, t);
    fp.mul(C, a.t, this.d2);
    fp.mul(C, C, b.t);
    fp.mul(D, a.z, b.z);
    fp.add(D, D, D);
    this.finish(out, A, B, C, D);
  }

  /** out = 2a (dbl-2008-hwcd with a = -1). */
  double(out: EPoint, a: EPoint): void {
    const fp = this.fp;
    const A = this.s0, B = this.s1, C = this.s2, t = this.s4;
    fp.sqr(A, a.x);
    fp.sqr(B, a.y);
    fp.sqr(C, a.z);
    fp.add(C, C, C);
    // With D = -A: E = (x+y)^2 - A - B, G = B - A, F = G - C, H = -A - B.
    const E = this.s3, G = this.s5;
    fp.add(t, a.x, a.y);
    fp.sqr(t, t);
    fp.sub(t, t, A);
    fp.sub(E, t, B);
    fp.sub(G, B, A);
    fp.sub(t, G, C); // F
    fp.add(C, A, B);
    fp.sub(A, fp.fe0(), C); // H
    fp.mul(out.x, E, t);
    fp.mul(out.y, G, A);
    fp.mul(out.t, E, A);
    fp.mul(out.z, t, G);
  }

  /** Shared tail of the addition: E = B - A, F = D - C, G = D + C, H = B + A. */
  private finish(out: EPoint, A: Fe, B: Fe, C: Fe, D: Fe): void {
    const fp = this.fp;
    const E = this.s4, H = this.s5;
    fp.sub(E, B, A);
    fp.add(H, B, A);
    fp.sub(A, D, C); // F
    fp.add(B, D, C); // G
    fp.mul(out.x, E, A);
    fp.mul(out.y, B, H);
    fp.mul(out.t, E, H);
    fp.mul(out.z, A, B);
  }

  table(p: EPoint): Array<EPoint> {
    const t = new Array<EPoint>(15);
    const first = this.point();
    this.copy(first, p);
    t[0] = first;
    for (let i = 1; i < 15; i++) {
      const q = this.point();
      if (i == 1) this.double(q, first);
      else this.add(q, t[i - 1], first);
      t[i] = q;
    }
    return t;
  }

  copy(out: EPoint, a: EPoint): void {
    const fp = this.fp;
    fp.copy(out.x, a.x);
    fp.copy(out.y, a.y);
    fp.copy(out.z, a.z);
    fp.copy(out.t, a.t);
  }

  /** RFC 8032 5.1.3 decoding; null if the encoding is not a canonical curve point. */
  decode(enc: Uint8Array): EPoint | null {
    if (enc.length != 32) return null;
    const fp = this.fp;
    const be = new Uint8Array(32);
    for (let i = 0; i < 32; i++) unchecked((be[i] = enc[31 - i]));
    const sign = <i32>unchecked(be[0]) >> 7;
    unchecked((be[0] &= 0x7f));
    const y = fp.fe();
    if (!fp.fromBytes(y, be)) return null; // y >= p is non-canonical
    const u = fp.fe(), v = fp.fe(), x = fp.fe(), t = fp.fe(), v3 = fp.fe();
    fp.sqr(u, y);
    fp.mul(v, u, this.d);
    fp.sub(u, u, fp.mont.one);
    fp.add(v, v, fp.mont.one);
    // x = u v^3 (u v^7)^((p-5)/8)
    fp.sqr(v3, v);
    fp.mul(v3, v3, v);
    fp.sqr(t, v3);
    fp.mul(t, t, v);
    fp.mul(t, t, u);
    fp.pow(t, t, this.sqrtExp);
    fp.mul(x, u, v3);
    fp.mul(x, x, t);
    // Check v x^2 = ±u.
    fp.sqr(t, x);
    fp.mul(t, t, v);
    if (!fp.equal(t, u)) {
      fp.add(t, t, u);
      if (!fp.isZero(t)) return null;
      fp.mul(x, x, this.sqrtM1);
    }
    const xn = fp.fe();
    fp.toNormal(xn, x);
    const xIsZero = fp.isZero(xn);
    if (xIsZero && sign == 1) return null;
    if (<i32>(unchecked(xn[0]) & 1) != sign) fp.sub(x, fp.fe0(), x);
    const p = this.point();
    fp.copy(p.x, x);
    fp.copy(p.y, y);
    fp.copy(p.z, fp.mont.one);
    fp.mul(p.t, x, y);
    return p;
  }

  encode(p: EPoint): Uint8Array {
    const fp = this.fp;
    const zi = fp.fe(), x = fp.fe(), y = fp.fe();
    fp.inv(zi, p.z);
    fp.mul(x, p.x, zi);
    fp.mul(y, p.y, zi);
    const xb = fp.toBytes(x);
    const yb = fp.toBytes(y);
    const out = new Uint8Array(32);
    for (let i = 0; i < 32; i++) unchecked((out[i] = yb[31 - i]));
    unchecked((out[31] |= (xb[31] & 1) << 7));
    return out;
  }

  /** out = [s]B + [k]P with big-endian 32-byte scalars. */
  mulAdd(out: EPoint, s: Uint8Array, k: Uint8Array, p: EPoint): void {
    const tb = this.bTable;
    const tp = this.table(p);
    this.setIdentity(out);
    for (let i = 0; i < 32; i++) {
      const a = <i32>unchecked(s[i]);
      const b = <i32>unchecked(k[i]);
      for (let half = 1; half >= 0; half--) {
        for (let d = 0; d < 4; d++) this.double(out, out);
        const wa = (a >> (half * 4)) & 15;
        const wb = (b >> (half * 4)) & 15;
        if (wa != 0) this.add(out, out, unchecked(tb[wa - 1]));
        if (wb != 0) this.add(out, out, unchecked(tp[wb - 1]));
      }
    }
  }

  /** Little-endian bytes (any length <= 64) reduced mod L, as 32 big-endian bytes. */
  reduceScalar(le: Uint8Array): Uint8Array {
    const fl = this.fl;
    const be = new Uint8Array(64);
    for (let i = 0; i < le.length; i++) unchecked((be[63 - i] = le[i]));
    const hi = fl.fe(), lo = fl.fe(), t = fl.fe(), one = fl.fe();
    limbsFromBytes(hi, be.subarray(0, 32));
    limbsFromBytes(lo, be.subarray(32));
    unchecked((one[0] = 1));
    // hi * 2^256 mod L = montmul(hi, R^2); lo mod L = montmul(montmul(lo, R^2), 1).
    fl.mul(hi, hi, fl.mont.r2);
    fl.mul(t, lo, fl.mont.r2);
    fl.mul(lo, t, one);
    fl.add(t, hi, lo);
    return limbsToBytes(t, 32);
  }
}

let instance: Ed25519 | null = null;

function ed(): Ed25519 {
  let e = instance;
  if (e === null) {
    e = new Ed25519();
    instance = e;
  }
  return e;
}

export class Ed25519PublicKey {
  constructor(public bytes: Uint8Array, public negA: EPoint) {}
}

export class Ed25519KeyResult {
  constructor(public ok: bool, public key: Ed25519PublicKey | null, public reason: string) {}
}

/** 32-byte encoded point (RFC 8032); rejected if it is not a canonical curve point. */
export function ed25519PublicKey(bytes: Uint8Array): Ed25519KeyResult {
  if (bytes.length != 32) return new Ed25519KeyResult(false, null, 'ed25519: public key must be 32 bytes');
  const e = ed();
  const a = e.decode(bytes);
  if (a === null) return new Ed25519KeyResult(false, null, 'ed25519: public key is not a valid point');
  // Store -A: verification computes [S]B + [k](-A).
  const fp = e.fp;
  fp.sub(a.x, fp.fe0(), a.x);
  fp.sub(a.t, fp.fe0(), a.t);
  return new Ed25519KeyResult(true, new Ed25519PublicKey(bytes.slice(), a), '');
}

export function ed25519Verify(key: Ed25519PublicKey, msg: Uint8Array, sig: Uint8Array): Verdict {
  if (sig.length != 64) return Verdict.fail('ed25519: signature must be 64 bytes');
  const e = ed();
  const fl = e.fl;
  // S must be canonical (S < L): otherwise signatures are malleable.
  const sBe = new Uint8Array(32);
  for (let i = 0; i < 32; i++) unchecked((sBe[i] = sig[63 - i]));
  const sLimbs = fl.fe();
  limbsFromBytes(sLimbs, sBe);
  if (compareLimbs(sLimbs, fl.p) >= 0) return Verdict.fail('ed25519: S is not below the group order');
  const h = new Sha512(false);
  h.update(sig.subarray(0, 32)).update(key.bytes).update(msg);
  const k = e.reduceScalar(h.finish());
  const r = e.point();
  e.mulAdd(r, sBe, k, key.negA);
  const enc = e.encode(r);
  let diff: u32 = 0;
  for (let i = 0; i < 32; i++) diff |= <u32>(unchecked(enc[i]) ^ unchecked(sig[i]));
  if (diff != 0) return Verdict.fail('ed25519: signature mismatch');
  return Verdict.pass();
}
