// Montgomery arithmetic modulo an odd modulus of up to MAX_LIMBS 32-bit limbs (little-endian),
// with u64 products. Used by the prime-field code, and by RSA in builds without SIMD (with SIMD, RSA
// uses mont28.ts). Numbers are StaticArray<u32> of exactly `k` limbs; all routines take raw pointers
// in hot loops.

export const MAX_LIMBS: i32 = 128; // 4096 bits

export class MontModulus {
  /** Limb count. */
  k: i32;
  m: StaticArray<u32>;
  /** -m^-1 mod 2^32 */
  m0inv: u32;
  /** R^2 mod m, R = 2^(32k): converts into the Montgomery domain. */
  r2: StaticArray<u32>;
  /** R mod m: Montgomery form of 1. */
  one: StaticArray<u32>;
  /** k + 2 limbs of scratch for the running CIOS sum. */
  private t: StaticArray<u32>;

  /** `m` must be odd, with a non-zero top limb (callers validate; see montModulusFromBytes). */
  constructor(m: StaticArray<u32>) {
    const k = m.length;
    this.k = k;
    this.m = m;
    this.t = new StaticArray<u32>(k + 2);
    // Newton iteration for m0^-1 mod 2^32: each step doubles the correct low bits.
    const m0 = unchecked(m[0]);
    let inv: u32 = m0;
    for (let i = 0; i < 5; i++) inv *= 2 - m0 * inv;
    this.m0inv = 0 - inv;
    // R mod m and R^2 mod m by repeated modular doubling of 1: slow-ish but once per key.
    const x = new StaticArray<u32>(k);
    unchecked((x[0] = 1));
    for (let i = 0; i < 32 * k; i++) modDouble(x, m);
    this.one = StaticArray.slice<u32>(x);
    for (let i = 0; i < 32 * k; i++) modDouble(x, m);
    this.r2 = x;
  }

  /** out = a * b * R^-1 mod m. out may alias a or b. Inputs must be < m. */
  mul(out: StaticArray<u32>, a: StaticArray<u32>, b: StaticArray<u32>): void {
    montMulRaw(changetype<usize>(out), changetype<usize>(a), changetype<usize>(b), changetype<usize>(this.m), this.m0inv, this.k, changetype<usize>(this.t));
  }

  toMont(out: StaticArray<u32>, a: StaticArray<u32>): void {
    this.mul(out, a, this.r2);
  }

  fromMont(out: StaticArray<u32>, a: StaticArray<u32>): void {
    const oneNormal = new StaticArray<u32>(this.k);
    unchecked((oneNormal[0] = 1));
    this.mul(out, a, oneNormal);
  }

  newLimbs(): StaticArray<u32> {
    return new StaticArray<u32>(this.k);
  }
}

/** x = 2x mod m, for x < m. */
function modDouble(x: StaticArray<u32>, m: StaticArray<u32>): void {
  const k = x.length;
  let carry: u32 = 0;
  for (let i = 0; i < k; i++) {
    const v = unchecked(x[i]);
    unchecked((x[i] = (v << 1) | carry));
    carry = v >>> 31;
  }
  if (carry != 0 || compareLimbs(x, m) >= 0) subInPlace(x, m);
}

/** -1, 0, 1 as a <, =, > b (same length). */
export function compareLimbs(a: StaticArray<u32>, b: StaticArray<u32>): i32 {
  for (let i = a.length - 1; i >= 0; i--) {
    const x = unchecked(a[i]);
    const y = unchecked(b[i]);
    if (x != y) return x < y ? -1 : 1;
  }
  return 0;
}

/** a -= b (mod 2^(32k)); returns the borrow. */
export function subInPlace(a: StaticArray<u32>, b: StaticArray<u32>): u32 {
  let borrow: u64 = 0;
  for (let i = 0; i < a.length; i++) {
    const d = <u64>unchecked(a[i]) - <u64>unchecked(b[i]) - borrow;
    unchecked((a[i] = <u32>d));
    borrow = (d >> 63) & 1;
  }
  return <u32>borrow;
}

/** CIOS Montgomery multiplication. `t` is k+2 limbs of scratch. */
export function montMulRaw(out: usize, a: usize, b: usize, m: usize, m0inv: u32, k: i32, t: usize): void {
  const kk = <usize>k;
  memory.fill(t, 0, (kk + 2) << 2);
  for (let i: usize = 0; i < kk; i++) {
    const bi = <u64>load<u32>(b + (i << 2));
    let c: u64 = 0;
    for (let j: usize = 0; j < kk; j++) {
      const s = <u64>load<u32>(t + (j << 2)) + <u64>load<u32>(a + (j << 2)) * bi + c;
      store<u32>(t + (j << 2), <u32>s);
      c = s >> 32;
    }
    let s = <u64>load<u32>(t + (kk << 2)) + c;
    store<u32>(t + (kk << 2), <u32>s);
    store<u32>(t + ((kk + 1) << 2), <u32>(s >> 32));
    // q must wrap mod 2^32: compute it in a u32 local (a u64 context would widen the multiply).
    const q32: u32 = load<u32>(t) * m0inv;
    const q = <u64>q32;
    c = (<u64>load<u32>(t) + q * <u64>load<u32>(m)) >> 32;
    for (let j: usize = 1; j < kk; j++) {
      const s2 = <u64>load<u32>(t + (j << 2)) + q * <u64>load<u32>(m + (j << 2)) + c;
      store<u32>(t + ((j - 1) << 2), <u32>s2);
      c = s2 >> 32;
    }
    s = <u64>load<u32>(t + (kk << 2)) + c;
    store<u32>(t + ((kk - 1) << 2), <u32>s);
    store<u32>(t + (kk << 2), load<u32>(t + ((kk + 1) << 2)) + <u32>(s >> 32));
  }
  // t < 2m: one conditional subtraction, chosen without a data-dependent branch.
  let borrow: u64 = 0;
  for (let j: usize = 0; j < kk; j++) {
    const d = <u64>load<u32>(t + (j << 2)) - <u64>load<u32>(m + (j << 2)) - borrow;
    store<u32>(out + (j << 2), <u32>d);
    borrow = (d >> 63) & 1;
  }
  // Keep the subtraction unless it borrowed past the extra top limb.
  const keepT = <u32>(<u64>load<u32>(t + (kk << 2)) < borrow);
  const mask: u32 = 0 - keepT;
  for (let j: usize = 0; j < kk; j++) {
    const o = load<u32>(out + (j << 2));
    store<u32>(out + (j << 2), (o & ~mask) | (load<u32>(t + (j << 2)) & mask));
  }
}

/** Big-endian bytes (any length, leading zeros allowed) to `k` limbs; false if it does not fit. */
export function limbsFromBytes(out: StaticArray<u32>, bytes: Uint8Array): bool {
  const k = out.length;
  for (let i = 0; i < k; i++) unchecked((out[i] = 0));
  const n = bytes.length;
  for (let i = 0; i < n; i++) {
    const b = <u32>unchecked(bytes[n - 1 - i]);
    const limb = i >> 2;
    if (limb >= k) {
      if (b != 0) return false;
      continue;
    }
    unchecked((out[limb] |= b << ((<u32>i & 3) << 3)));
  }
  return true;
}

/** Limbs to exactly `len` big-endian bytes (len*8 must cover the value). */
export function limbsToBytes(a: StaticArray<u32>, len: i32): Uint8Array {
  const out = new Uint8Array(len);
  for (let i = 0; i < len; i++) {
    const limb = i >> 2;
    const v: u32 = limb < a.length ? unchecked(a[limb]) : 0;
    unchecked((out[len - 1 - i] = <u8>(v >>> ((<u32>i & 3) << 3))));
  }
  return out;
}

/** Number of significant bits of a. */
export function bitLength(a: StaticArray<u32>): i32 {
  for (let i = a.length - 1; i >= 0; i--) {
    const v = unchecked(a[i]);
    if (v != 0) return i * 32 + 32 - <i32>clz<u32>(v);
  }
  return 0;
}

export function isZero(a: StaticArray<u32>): bool {
  let acc: u32 = 0;
  for (let i = 0; i < a.length; i++) acc |= unchecked(a[i]);
  return acc == 0;
}
