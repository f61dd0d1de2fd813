// RSA's public-exponent modexp with 28-bit limbs and the SIMD column multiplier (mont28-simd.ts).
// R = 2^(28k) with 4m < R, so Montgomery products of values < 2m stay < 2m ("almost Montgomery"):
// one reduction at the very end instead of a conditional subtraction per step. Only compiled in
// builds with SIMD; rsa-key.ts uses MontModulus otherwise.
import { mont28Mul } from './mont28-simd';

// @ts-ignore: decorator
@inline const M28: u32 = 0xfffffff;
/** Zero limbs on each side of every buffer: a column's last vector may read up to 3 limbs past its range. */
// @ts-ignore: decorator
@inline const PAD: i32 = 4;

/** A k-limb buffer with PAD zero limbs on each side; the address of limb 0. */
function buffer(k: i32): StaticArray<u32> {
  return new StaticArray<u32>(k + 2 * PAD);
}

// @ts-ignore: decorator
@inline
function at(b: StaticArray<u32>): usize {
  return changetype<usize>(b) + (<usize>PAD << 2);
}

/** Big-endian bytes to k 28-bit limbs at `out`; false (out unspecified) if the value does not fit. */
function limbsFromBytes(out: usize, k: i32, bytes: usize, len: i32): bool {
  memory.fill(out, 0, <usize>k << 2);
  let acc: u64 = 0;
  let bits: u32 = 0;
  let w: i32 = 0;
  let over: u64 = 0;
  for (let i = len - 1; i >= 0; i--) {
    acc |= <u64>load<u8>(bytes + <usize>i) << bits;
    bits += 8;
    if (bits >= 28) {
      if (w < k) store<u32>(out + (<usize>w << 2), <u32>acc & M28);
      else over |= acc & M28;
      w++;
      acc >>= 28;
      bits -= 28;
    }
  }
  if (w < k) store<u32>(out + (<usize>w << 2), <u32>acc);
  else over |= acc;
  return over == 0;
}

/** k 28-bit limbs at `a` to `len` big-endian bytes at `out` (the value must fit). */
function limbsToBytes(out: usize, len: i32, a: usize, k: i32): void {
  let acc: u64 = 0;
  let bits: u32 = 0;
  let r: i32 = 0;
  for (let i = len - 1; i >= 0; i--) {
    if (bits < 8) {
      if (r < k) acc |= <u64>load<u32>(a + (<usize>r << 2)) << bits;
      r++;
      bits += 28;
    }
    store<u8>(out + <usize>i, <u8>acc);
    acc >>= 8;
    bits -= 8;
  }
}

/** a >= b over k limbs. */
function geq(a: usize, b: usize, k: i32): bool {
  for (let i = k - 1; i >= 0; i--) {
    const x = load<u32>(a + (<usize>i << 2));
    const y = load<u32>(b + (<usize>i << 2));
    if (x != y) return x > y;
  }
  return true;
}

/** a -= b over k 28-bit limbs (a >= b). */
function sub(a: usize, b: usize, k: i32): void {
  let borrow: u32 = 0;
  for (let i = 0; i < k; i++) {
    const p = a + (<usize>i << 2);
    const d = load<u32>(p) - load<u32>(b + (<usize>i << 2)) - borrow;
    store<u32>(p, d & M28);
    borrow = d >> 31;
  }
}

/** Writes limbs a[0..k) reversed to r. */
function reverse(r: usize, a: usize, k: i32): void {
  for (let i = 0; i < k; i++) store<u32>(r + (<usize>(k - 1 - i) << 2), load<u32>(a + (<usize>i << 2)));
}

export class Mont28 {
  /** Limb count: the least with 28k >= bits + 2, so 4m < R. */
  k: i32;
  private m: StaticArray<u32>;
  private mr: StaticArray<u32>;
  /** R^2 mod m, limbs reversed: toMont's second operand. */
  private r2r: StaticArray<u32>;
  /** -m^-1 mod 2^28. */
  private m0inv: u32;
  // Scratch, reused by every exponentiation.
  private q: StaticArray<u32>;
  private s: StaticArray<u32>;
  private sr: StaticArray<u32>;
  private x: StaticArray<u32>;
  private xr: StaticArray<u32>;
  private acc: StaticArray<u32>;
  private accr: StaticArray<u32>;

  /** `modulus`: big-endian, odd, no leading zero byte, `bits` significant bits. */
  constructor(modulus: Uint8Array, bits: i32) {
    const k = (bits + 2 + 27) / 28;
    this.k = k;
    const m = buffer(k);
    limbsFromBytes(at(m), k, modulus.dataStart, modulus.length);
    this.m = m;
    const mr = buffer(k);
    reverse(at(mr), at(m), k);
    this.mr = mr;
    // Newton iteration for m0^-1 mod 2^32 (each step doubles the correct low bits), then mod 2^28.
    const m0 = load<u32>(at(m));
    let inv: u32 = m0;
    for (let i = 0; i < 5; i++) inv *= 2 - m0 * inv;
    this.m0inv = (0 - inv) & M28;
    // R^2 mod m by modular doubling of 1, 2*28k times: slow-ish but once per key.
    const x = buffer(k);
    const p = at(x);
    store<u32>(p, 1);
    for (let i = 0; i < 56 * k; i++) {
      let carry: u32 = 0;
      for (let j = 0; j < k; j++) {
        const l = p + (<usize>j << 2);
        const v = (load<u32>(l) << 1) | carry;
        store<u32>(l, v & M28);
        carry = v >> 28;
      }
      // x < m < 2^(28k - 2), so the doubled value fits k limbs.
      if (geq(p, at(m), k)) sub(p, at(m), k);
    }
    const r2r = buffer(k);
    reverse(at(r2r), p, k);
    this.r2r = r2r;
    this.q = buffer(k);
    this.s = buffer(k);
    this.sr = buffer(k);
    this.x = x;
    this.xr = buffer(k);
    this.acc = buffer(k);
    this.accr = buffer(k);
  }

  /** The modulus in 28-bit limbs: whether big-endian `sig` is below it. */
  lessThanModulus(sig: Uint8Array): bool {
    return limbsFromBytes(at(this.s), this.k, sig.dataStart, sig.length) && !geq(at(this.s), at(this.m), this.k);
  }

  /**
   * out (len big-endian bytes) = sig^e mod m for odd e >= 3 and sig < m (see lessThanModulus, which
   * must be called first: it loads sig). Left-to-right square-and-multiply in the Montgomery domain;
   * the last multiplication takes sig itself, which leaves the Montgomery domain without a fromMont.
   */
  powOdd(out: Uint8Array, e: u64): void {
    const k = this.k;
    const m0 = <u64>load<u32>(at(this.m));
    const mr = at(this.mr);
    const m0inv = <u64>this.m0inv;
    const q = at(this.q);
    const s = at(this.s);
    const sr = at(this.sr);
    const x = at(this.x);
    const xr = at(this.xr);
    const acc = at(this.acc);
    const accr = at(this.accr);
    reverse(sr, s, k);
    // x = s * R mod m (< 2m), the Montgomery form of s.
    mont28Mul(x, xr, s, at(this.r2r), false, m0, mr, m0inv, q, k);
    memory.copy(acc, x, <usize>k << 2);
    memory.copy(accr, xr, <usize>k << 2);
    const top = 63 - <i32>clz<u64>(e);
    // Public exponent: branching on its bits is fine.
    for (let i = top - 1; i >= 0; i--) {
      mont28Mul(acc, accr, acc, accr, true, m0, mr, m0inv, q, k);
      if (((e >> <u64>i) & 1) != 0) {
        if (i == 0) mont28Mul(acc, accr, acc, sr, false, m0, mr, m0inv, q, k);
        else mont28Mul(acc, accr, acc, xr, false, m0, mr, m0inv, q, k);
      }
    }
    // acc = s^e mod m, possibly plus m.
    if (geq(acc, at(this.m), k)) sub(acc, at(this.m), k);
    limbsToBytes(out.dataStart, out.length, acc, k);
  }
}
