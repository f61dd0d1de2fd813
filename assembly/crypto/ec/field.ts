// Prime-field arithmetic in the Montgomery domain on k 32-bit limbs. Elements are StaticArray<u32>
// of length k; every operation writes into a caller-provided output (which may alias an input),
// so point arithmetic allocates nothing per operation.
import { MontModulus, compareLimbs, limbsFromBytes, limbsToBytes, montMulRaw } from '../bigint/mont';
import { addMod12, addMod8, montMul12, montMul8, montMulP256, montMulP384, montSqrP256, montSqrP384, subMod12, subMod8,
  addP256, addP384, subP256, subP384 } from '../bigint/mont-fixed';

/** Fields with a constant-folded multiplier (see gen-fixed.py). */
export enum FieldShape {
  Generic = 0,
  P256 = 1,
  P384 = 2,
}

export type Fe = StaticArray<u32>;

export class Field {
  readonly k: i32;
  readonly byteLength: i32;
  readonly mont: MontModulus;
  readonly p: Fe;
  /** Set by the curve that owns this field when p is one of the NIST primes. */
  shape: FieldShape = FieldShape.Generic;
  /** p - 2, the Fermat inversion exponent, as big-endian bytes. */
  private pMinus2: Uint8Array;
  private scratch: StaticArray<u32>;
  private invAcc: Fe;
  private invBase: Fe;
  private zero: Fe;
  private invPowers: Array<Fe> = new Array<Fe>(0);

  constructor(pBytes: Uint8Array) {
    const k = (pBytes.length + 3) >> 2;
    this.k = k;
    this.byteLength = pBytes.length;
    const p = new StaticArray<u32>(k);
    limbsFromBytes(p, pBytes);
    this.p = p;
    this.mont = new MontModulus(p);
    this.scratch = new StaticArray<u32>(k + 2);
    const e = pBytes.slice();
    // Subtract 2 (p is odd and > 2, so only the borrow chain matters).
    let i = e.length - 1;
    let borrow = 2;
    while (borrow != 0 && i >= 0) {
      const v = <i32>unchecked(e[i]) - borrow;
      unchecked((e[i] = <u8>v));
      borrow = v < 0 ? 1 : 0;
      i--;
    }
    this.pMinus2 = e;
    this.invAcc = new StaticArray<u32>(k);
    this.invBase = new StaticArray<u32>(k);
    this.zero = new StaticArray<u32>(k);
  }

  fe(): Fe {
    return new StaticArray<u32>(this.k);
  }

  /** The zero element (shared; never write to it). */
  fe0(): Fe {
    return this.zero;
  }

  copy(out: Fe, a: Fe): void {
    memory.copy(changetype<usize>(out), changetype<usize>(a), <usize>this.k << 2);
  }

  mul(out: Fe, a: Fe, b: Fe): void {
    const shape = this.shape;
    if (shape == FieldShape.P256) {
      montMulP256(changetype<usize>(out), changetype<usize>(a), changetype<usize>(b));
      return;
    }
    if (shape == FieldShape.P384) {
      montMulP384(changetype<usize>(out), changetype<usize>(a), changetype<usize>(b));
      return;
    }
    const k = this.k;
    if (k == 8) {
      montMul8(changetype<usize>(out), changetype<usize>(a), changetype<usize>(b), changetype<usize>(this.p), <u64>this.mont.m0inv);
      return;
    }
    if (k == 12) {
      montMul12(changetype<usize>(out), changetype<usize>(a), changetype<usize>(b), changetype<usize>(this.p), <u64>this.mont.m0inv);
      return;
    }
    montMulRaw(changetype<usize>(out), changetype<usize>(a), changetype<usize>(b), changetype<usize>(this.p), this.mont.m0inv, this.k, changetype<usize>(this.scratch));
  }

  sqr(out: Fe, a: Fe): void {
    const shape = this.shape;
    if (shape == FieldShape.P256) {
      montSqrP256(changetype<usize>(out), changetype<usize>(a));
      return;
    }
    if (shape == FieldShape.P384) {
      montSqrP384(changetype<usize>(out), changetype<usize>(a));
      return;
    }
    this.mul(out, a, a);
  }

  add(out: Fe, a: Fe, b: Fe): void {
    const shape = this.shape;
    if (shape == FieldShape.P256) {
      addP256(changetype<usize>(out), changetype<usize>(a), changetype<usize>(b));
      return;
    }
    if (shape == FieldShape.P384) {
      addP384(changetype<usize>(out), changetype<usize>(a), changetype<usize>(b));
      return;
    }
    if (this.k == 8) {
      addMod8(changetype<usize>(out), changetype<usize>(a), changetype<usize>(b), changetype<usize>(this.p));
      return;
    }
    if (this.k == 12) {
      addMod12(changetype<usize>(out), changetype<usize>(a), changetype<usize>(b), changetype<usize>(this.p));
      return;
    }
    const k = <usize>this.k;
    const o = changetype<usize>(out), x = changetype<usize>(a), y = changetype<usize>(b), p = changetype<usize>(this.p);
    let c: u64 = 0;
    for (let i: usize = 0; i < k; i++) {
      const s = <u64>load<u32>(x + (i << 2)) + <u64>load<u32>(y + (i << 2)) + c;
      store<u32>(o + (i << 2), <u32>s);
      c = s >> 32;
    }
    if (c != 0 || compareLimbs(out, this.p) >= 0) {
      let borrow: u64 = 0;
      for (let i: usize = 0; i < k; i++) {
        const d = <u64>load<u32>(o + (i << 2)) - <u64>load<u32>(p + (i << 2)) - borrow;
        store<u32>(o + (i << 2), <u32>d);
        borrow = (d >> 63) & 1;
      }
    }
  }

  sub(out: Fe, a: Fe, b: Fe): void {
    const shape = this.shape;
    if (shape == FieldShape.P256) {
      subP256(changetype<usize>(out), changetype<usize>(a), changetype<usize>(b));
      return;
    }
    if (shape == FieldShape.P384) {
      subP384(changetype<usize>(out), changetype<usize>(a), changetype<usize>(b));
      return;
    }
    if (this.k == 8) {
      subMod8(changetype<usize>(out), changetype<usize>(a), changetype<usize>(b), changetype<usize>(this.p));
      return;
    }
    if (this.k == 12) {
      subMod12(changetype<usize>(out), changetype<usize>(a), changetype<usize>(b), changetype<usize>(this.p));
      return;
    }
    const k = <usize>this.k;
    const o = changetype<usize>(out), x = changetype<usize>(a), y = changetype<usize>(b), p = changetype<usize>(this.p);
    let borrow: u64 = 0;
    for (let i: usize = 0; i < k; i++) {
      const d = <u64>load<u32>(x + (i << 2)) - <u64>load<u32>(y + (i << 2)) - borrow;
      store<u32>(o + (i << 2), <u32>d);
      borrow = (d >> 63) & 1;
    }
    if (borrow != 0) {
      let c: u64 = 0;
      for (let i: usize = 0; i < k; i++) {
        const s = <u64>load<u32>(o + (i << 2)) + <u64>load<u32>(p + (i << 2)) + c;
        store<u32>(o + (i << 2), <u32>s);
        c = s >> 32;
      }
    }
  }

  isZero(a: Fe): bool {
    let acc: u32 = 0;
    for (let i = 0; i < this.k; i++) acc |= unchecked(a[i]);
    return acc == 0;
  }

  equal(a: Fe, b: Fe): bool {
    return compareLimbs(a, b) == 0;
  }

  /** out = a^-1 (Fermat: a^(p-2), fixed 4-bit windows); out = 0 for a = 0. */
  inv(out: Fe, a: Fe): void {
    // Powers a^0..a^15, then per exponent nibble: 4 squarings and at most one multiply.
    let pw = this.invPowers;
    if (pw.length == 0) {
      pw = new Array<Fe>(16);
      for (let i = 0; i < 16; i++) pw[i] = this.fe();
      this.invPowers = pw;
    }
    this.copy(pw[0], this.mont.one);
    this.copy(pw[1], a);
    for (let i = 2; i < 16; i++) this.mul(pw[i], pw[i - 1], a);
    const acc = this.invAcc;
    this.copy(acc, this.mont.one);
    const e = this.pMinus2;
    for (let i = 0; i < e.length; i++) {
      const byte = <i32>unchecked(e[i]);
      for (let half = 1; half >= 0; half--) {
        this.sqr(acc, acc);
        this.sqr(acc, acc);
        this.sqr(acc, acc);
        this.sqr(acc, acc);
        const nib = (byte >> (half * 4)) & 15;
        if (nib != 0) this.mul(acc, acc, unchecked(pw[nib]));
      }
    }
    this.copy(out, acc);
  }

  /** Generic exponentiation by big-endian exponent bytes (square roots in Ed25519 decoding). */
  pow(out: Fe, a: Fe, e: Uint8Array): void {
    const acc = this.fe();
    const base = this.fe();
    this.copy(base, a);
    this.copy(acc, this.mont.one);
    for (let i = 0; i < e.length; i++) {
      const byte = <u32>unchecked(e[i]);
      for (let bit = 7; bit >= 0; bit--) {
        this.sqr(acc, acc);
        if (((byte >> <u32>bit) & 1) != 0) this.mul(acc, acc, base);
      }
    }
    this.copy(out, acc);
  }

  /** Canonical big-endian bytes -> Montgomery element; false if the value is >= p or too long. */
  fromBytes(out: Fe, bytes: Uint8Array): bool {
    if (!limbsFromBytes(out, bytes)) return false;
    if (compareLimbs(out, this.p) >= 0) return false;
    this.mont.toMont(out, out);
    return true;
  }

  /** Montgomery element -> normal-form limbs. */
  toNormal(out: Fe, a: Fe): void {
    this.mont.fromMont(out, a);
  }

  toBytes(a: Fe): Uint8Array {
    const t = this.fe();
    this.mont.fromMont(t, a);
    return limbsToBytes(t, this.byteLength);
  }
}
