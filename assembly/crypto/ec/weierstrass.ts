// Short-Weierstrass curves y^2 = x^3 - 3x + b over a prime field (NIST P-256 / P-384), Jacobian
// coordinates in the Montgomery domain. Only what ECDSA verification needs: on-curve check and
// u1*G + u2*Q with 4-bit windows (Shamir's trick, shared doublings).
import { Fe, Field, FieldShape } from './field';
import { hexBytes } from './hex';
import { MontModulus, limbsFromBytes } from '../bigint/mont';

export class JPoint {
  constructor(public x: Fe, public y: Fe, public z: Fe) {}
}

/** Affine odd multiples [1, 3, 5, ..]P (Montgomery form) with their negated y, for wNAF digits. */
export class AffineTable {
  constructor(public x: Array<Fe>, public y: Array<Fe>, public negY: Array<Fe>) {}
}

/** wNAF window for the per-key table (8 odd multiples) and the generator's (32, built once). */
export const KEY_WINDOW: i32 = 5;
export const GEN_WINDOW: i32 = 7;

/**
 * Width-w NAF of a big-endian scalar: digits[i] in {0, ±1, ±3, .., ±(2^(w-1) - 1)} with value
 * sum digits[i] * 2^i; any w consecutive digits hold at most one non-zero.
 */
export function wnaf(scalar: Uint8Array, w: i32, digits: StaticArray<i8>): void {
  const n = scalar.length;
  // Little-endian 32-bit limbs with one spare limb so k + |digit| never overflows.
  const limbs = (n + 3) >> 2;
  const k = new StaticArray<u32>(limbs + 1);
  for (let i = 0; i < n; i++) {
    const b = <u32>unchecked(scalar[n - 1 - i]);
    unchecked((k[i >> 2] |= b << ((<u32>i & 3) << 3)));
  }
  const full = 1 << w;
  const half = full >> 1;
  for (let i = 0; i < digits.length; i++) {
    let d = 0;
    if ((unchecked(k[0]) & 1) != 0) {
      d = <i32>(unchecked(k[0]) & <u32>(full - 1));
      if (d >= half) d -= full;
      // k -= d (d odd, |d| < 2^(w-1)): adjust the low limb and ripple the carry/borrow.
      if (d > 0) {
        let borrow: u64 = <u64>d;
        for (let j = 0; j <= limbs && borrow != 0; j++) {
          const v = <u64>unchecked(k[j]) - borrow;
          unchecked((k[j] = <u32>v));
          borrow = (v >> 63) & 1;
        }
      } else {
        let carry: u64 = <u64>(-d);
        for (let j = 0; j <= limbs && carry != 0; j++) {
          const v = <u64>unchecked(k[j]) + carry;
          unchecked((k[j] = <u32>v));
          carry = v >> 32;
        }
      }
    }
    unchecked((digits[i] = <i8>d));
    // k >>= 1
    for (let j = 0; j < limbs; j++) unchecked((k[j] = (k[j] >>> 1) | (k[j + 1] << 31)));
    unchecked((k[limbs] >>>= 1));
  }
}

export class Curve {
  readonly fp: Field;
  /** Scalar field (group order n). */
  readonly fn: Field;
  readonly b: Fe;
  readonly g: JPoint;
  /** Byte length of scalars and coordinates. */
  readonly size: i32;
  private gTable: AffineTable | null = null;
  // Scratch for point formulas.
  private t0: Fe; private t1: Fe; private t2: Fe; private t3: Fe; private t4: Fe;
  private t5: Fe; private t6: Fe; private t7: Fe; private t8: Fe;

  constructor(p: string, n: string, b: string, gx: string, gy: string, shape: FieldShape) {
    const fp = new Field(hexBytes(p));
    fp.shape = shape;
    this.fp = fp;
    this.fn = new Field(hexBytes(n));
    this.size = fp.byteLength;
    this.t0 = fp.fe(); this.t1 = fp.fe(); this.t2 = fp.fe(); this.t3 = fp.fe(); this.t4 = fp.fe();
    this.t5 = fp.fe(); this.t6 = fp.fe(); this.t7 = fp.fe(); this.t8 = fp.fe();
    const bb = fp.fe(), x = fp.fe(), y = fp.fe(), z = fp.fe();
    fp.fromBytes(bb, hexBytes(b));
    fp.fromBytes(x, hexBytes(gx));
    fp.fromBytes(y, hexBytes(gy));
    fp.copy(z, fp.mont.one);
    this.b = bb;
    this.g = new JPoint(x, y, z);
  }

  point(): JPoint {
    return new JPoint(this.fp.fe(), this.fp.fe(), this.fp.fe());
  }

  copyPoint(out: JPoint, a: JPoint): void {
    this.fp.copy(out.x, a.x);
    this.fp.copy(out.y, a.y);
    this.fp.copy(out.z, a.z);
  }

  /** y^2 == x^3 - 3x + b for Montgomery-form affine x, y. */
  isOnCurve(x: Fe, y: Fe): bool {
    const fp = this.fp;
    const lhs = this.t0, rhs = this.t1;
    fp.sqr(lhs, y);
    fp.sqr(rhs, x);
    fp.mul(rhs, rhs, x);
    fp.sub(rhs, rhs, x);
    fp.sub(rhs, rhs, x);
    fp.sub(rhs, rhs, x);
    fp.add(rhs, rhs, this.b);
    return fp.equal(lhs, rhs);
  }

  /** out = 2a (dbl-2001-b for a = -3, with z3 = 2yz). out may alias a. */
  double(out: JPoint, a: JPoint): void {
    const fp = this.fp;
    if (fp.isZero(a.z)) {
      this.copyPoint(out, a);
      return;
    }
    const delta = this.t0, gamma = this.t1, beta = this.t2, alpha = this.t3, t = this.t4;
    fp.sqr(delta, a.z);
    fp.sqr(gamma, a.y);
    fp.mul(beta, a.x, gamma);
    fp.sub(t, a.x, delta);
    fp.add(alpha, a.x, delta);
    fp.mul(alpha, alpha, t);
    fp.add(t, alpha, alpha);
    fp.add(alpha, alpha, t); // 3 (x - delta)(x + delta)
    // z3 = 2yz (one multiply beats (y + z)^2 - gamma - delta: field additions are not free here),
    // computed before y and x are overwritten.
    fp.mul(t, a.y, a.z);
    fp.add(out.z, t, t);
    // x3 = alpha^2 - 8 beta
    fp.add(beta, beta, beta);
    fp.add(beta, beta, beta); // 4 beta
    fp.sqr(t, alpha);
    fp.sub(t, t, beta);
    fp.sub(out.x, t, beta);
    // y3 = alpha (4 beta - x3) - 8 gamma^2, with 8 gamma^2 = 2 (2 gamma)^2
    fp.sub(beta, beta, out.x);
    fp.mul(beta, alpha, beta);
    fp.add(gamma, gamma, gamma);
    fp.sqr(gamma, gamma);
    fp.add(gamma, gamma, gamma);
    fp.sub(out.y, beta, gamma);
  }

  /** out = a + b (add-2007-bl), handling infinity and a == ±b. out may alias a or b. */
  add(out: JPoint, a: JPoint, b: JPoint): void {
    const fp = this.fp;
    if (fp.isZero(a.z)) {
      this.copyPoint(out, b);
      return;
    }
    if (fp.isZero(b.z)) {
      this.copyPoint(out, a);
      return;
    }
    const z1z1 = this.t5, z2z2 = this.t6, u1 = this.t7, s1 = this.t8;
    const h = this.t0, r = this.t1, i = this.t2, j = this.t3, t = this.t4;
    fp.sqr(z1z1, a.z);
    fp.sqr(z2z2, b.z);
    fp.mul(u1, a.x, z2z2);
    fp.mul(h, b.x, z1z1); // u2
    fp.mul(s1, a.y, b.z);
    fp.mul(s1, s1, z2z2);
    fp.mul(r, b.y, a.z);
    fp.mul(r, r, z1z1); // s2
    fp.sub(h, h, u1);
    fp.sub(r, r, s1);
    if (fp.isZero(h)) {
      if (fp.isZero(r)) {
        this.double(out, a);
      } else {
        fp.copy(out.x, fp.mont.one);
        fp.copy(out.y, fp.mont.one);
        for (let q = 0; q < fp.k; q++) unchecked((out.z[q] = 0));
      }
      return;
    }
    fp.add(r, r, r);
    fp.add(i, h, h);
    fp.sqr(i, i);
    fp.mul(j, h, i);
    fp.mul(u1, u1, i); // V
    // z3 = ((z1 + z2)^2 - z1z1 - z2z2) h
    fp.add(t, a.z, b.z);
    fp.sqr(t, t);
    fp.sub(t, t, z1z1);
    fp.sub(t, t, z2z2);
    fp.mul(out.z, t, h);
    // x3 = r^2 - J - 2V
    fp.sqr(t, r);
    fp.sub(t, t, j);
    fp.sub(t, t, u1);
    fp.sub(out.x, t, u1);
    // y3 = r (V - x3) - 2 s1 J
    fp.sub(u1, u1, out.x);
    fp.mul(u1, u1, r);
    fp.mul(s1, s1, j);
    fp.add(s1, s1, s1);
    fp.sub(out.y, u1, s1);
  }

  /** [P, 2P, ..., 15P] for 4-bit windows. */
  table(p: JPoint): Array<JPoint> {
    const t = new Array<JPoint>(15);
    const first = this.point();
    this.copyPoint(first, p);
    t[0] = first;
    for (let i = 1; i < 15; i++) {
      const q = this.point();
      if (i == 1) this.double(q, first);
      else this.add(q, t[i - 1], first);
      t[i] = q;
    }
    return t;
  }

  /** Odd multiples [1, 3, .., 2^(w-1) - 1]P in affine form: one batched inversion (Montgomery's trick). */
  affineTable(p: JPoint, w: i32): AffineTable {
    const fp = this.fp;
    const count = 1 << (w - 2);
    const t = new Array<JPoint>(count);
    const p2 = this.point();
    this.double(p2, p);
    for (let i = 0; i < count; i++) {
      const q = this.point();
      if (i == 0) this.copyPoint(q, p);
      else this.add(q, t[i - 1], p2);
      t[i] = q;
    }
    const prefix = new Array<Fe>(count);
    let acc = fp.fe();
    fp.copy(acc, fp.mont.one);
    for (let i = 0; i < count; i++) {
      const next = fp.fe();
      fp.mul(next, acc, t[i].z);
      prefix[i] = next;
      acc = next;
    }
    const inv = fp.fe();
    fp.inv(inv, acc);
    const xs = new Array<Fe>(count);
    const ys = new Array<Fe>(count);
    const ns = new Array<Fe>(count);
    const zi = fp.fe(), zi2 = fp.fe();
    for (let i = count - 1; i >= 0; i--) {
      // zi = 1/z_i = inv * prefix[i-1]; then inv = 1/(z_0..z_{i-1}).
      if (i > 0) fp.mul(zi, inv, prefix[i - 1]);
      else fp.copy(zi, inv);
      fp.mul(inv, inv, t[i].z);
      fp.sqr(zi2, zi);
      const x = fp.fe(), y = fp.fe(), ny = fp.fe();
      fp.mul(x, t[i].x, zi2);
      fp.mul(zi2, zi2, zi);
      fp.mul(y, t[i].y, zi2);
      fp.sub(ny, fp.fe0(), y);
      xs[i] = x;
      ys[i] = y;
      ns[i] = ny;
    }
    return new AffineTable(xs, ys, ns);
  }

  generatorTable(): AffineTable {
    let t = this.gTable;
    if (t === null) {
      t = this.affineTable(this.g, GEN_WINDOW);
      this.gTable = t;
    }
    return t;
  }

  /** out = a + (x2, y2) with affine (x2, y2) (madd-2007-bl). out may alias a. */
  addAffine(out: JPoint, a: JPoint, x2: Fe, y2: Fe): void {
    const fp = this.fp;
    if (fp.isZero(a.z)) {
      fp.copy(out.x, x2);
      fp.copy(out.y, y2);
      fp.copy(out.z, fp.mont.one);
      return;
    }
    const z1z1 = this.t5, h = this.t6, r = this.t7, i = this.t8;
    const j = this.t0, v = this.t1, t = this.t2;
    fp.sqr(z1z1, a.z);
    fp.mul(h, x2, z1z1); // U2
    fp.mul(r, y2, a.z);
    fp.mul(r, r, z1z1); // S2
    fp.sub(h, h, a.x);
    fp.sub(r, r, a.y);
    if (fp.isZero(h)) {
      if (fp.isZero(r)) {
        this.double(out, a);
      } else {
        fp.copy(out.x, fp.mont.one);
        fp.copy(out.y, fp.mont.one);
        for (let q = 0; q < fp.k; q++) unchecked((out.z[q] = 0));
      }
      return;
    }
    fp.add(r, r, r);
    fp.sqr(i, h); // HH
    // Z3 = (Z1 + H)^2 - Z1Z1 - HH, before a.z may be overwritten.
    fp.add(t, a.z, h);
    fp.sqr(t, t);
    fp.sub(t, t, z1z1);
    fp.sub(out.z, t, i);
    fp.add(i, i, i);
    fp.add(i, i, i); // I = 4 HH
    fp.mul(j, h, i);
    fp.mul(v, a.x, i);
    // X3 = r^2 - J - 2V
    fp.sqr(t, r);
    fp.sub(t, t, j);
    fp.sub(t, t, v);
    fp.sub(t, t, v);
    // Y3 = r (V - X3) - 2 Y1 J
    fp.sub(v, v, t);
    fp.mul(v, v, r);
    fp.mul(j, j, a.y);
    fp.add(j, j, j);
    fp.copy(out.x, t);
    fp.sub(out.y, v, j);
  }

  /** out = u1*G + u2*Q for big-endian scalars of length `size`, Q given by its affine table. */
  mulAdd(out: JPoint, u1: Uint8Array, u2: Uint8Array, tq: AffineTable): void {
    const tg = this.generatorTable();
    const fp = this.fp;
    const bits = u1.length * 8 + 1;
    const d1 = new StaticArray<i8>(bits);
    const d2 = new StaticArray<i8>(bits);
    wnaf(u1, GEN_WINDOW, d1);
    wnaf(u2, KEY_WINDOW, d2);
    let top = bits - 1;
    while (top >= 0 && unchecked(d1[top]) == 0 && unchecked(d2[top]) == 0) top--;
    fp.copy(out.x, fp.mont.one);
    fp.copy(out.y, fp.mont.one);
    for (let i = 0; i < fp.k; i++) unchecked((out.z[i] = 0));
    for (let i = top; i >= 0; i--) {
      this.double(out, out);
      const a = <i32>unchecked(d1[i]);
      const b = <i32>unchecked(d2[i]);
      if (a > 0) this.addAffine(out, out, unchecked(tg.x[a >> 1]), unchecked(tg.y[a >> 1]));
      else if (a < 0) this.addAffine(out, out, unchecked(tg.x[-a >> 1]), unchecked(tg.negY[-a >> 1]));
      if (b > 0) this.addAffine(out, out, unchecked(tq.x[b >> 1]), unchecked(tq.y[b >> 1]));
      else if (b < 0) this.addAffine(out, out, unchecked(tq.x[-b >> 1]), unchecked(tq.negY[-b >> 1]));
    }
  }
}

let p256: Curve | null = null;
let p384: Curve | null = null;

export function curveP256(): Curve {
  let c = p256;
  if (c === null) {
    c = new Curve(
      'ffffffff00000001000000000000000000000000ffffffffffffffffffffffff',
      'ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551',
      '5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604b',
      '6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296',
      '4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5',
      FieldShape.P256,
    );
    p256 = c;
  }
  return c;
}

export function curveP384(): Curve {
  let c = p384;
  if (c === null) {
    c = new Curve(
      'fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffeffffffff0000000000000000ffffffff',
      'ffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973',
      'b3312fa7e23ee7e4988e056be3f82d19181d9c6efe8141120314088f5013875ac656398d8a2ed19d2a85c8edd3ec2aef',
      'aa87ca22be8b05378eb1c71ef320ad746e1d3b628ba79b9859f741e082542a385502f25dbf55296c3a545e3872760ab7',
      '3617de4a96262c6f5d9e98bf9292dc29f8f41dbd289a147ce9da3113b5f0b8c00a60b1ce1d7e819d7a431d7c90ea0e5f',
      FieldShape.P384,
    );
    p384 = c;
  }
  return c;
}

// Re-exported so callers need not reach into bigint/.
export { MontModulus, limbsFromBytes };
