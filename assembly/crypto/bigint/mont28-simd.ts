// Montgomery multiplication for RSA-sized moduli with 28-bit limbs held in u32 lanes, in
// product-scanning (column) order with Wasm SIMD. A 28x28-bit product has 56 bits, so a u64 lane
// sums up to 256 of them without overflow: each four products cost two i64x2.extmul and two adds,
// with no splitting of products into low and high halves (which 32-bit limbs need). Column i sums
// a[j]*b[i-j] and q[j]*m[i-j]; b and m are kept with reversed limbs so both operands of a column are
// contiguous. Buffers are padded with four zero limbs on each side (see Mont28), so a column's last
// partial vector can read past its range: the extra products are zero.

// @ts-ignore: decorator
@inline const M28: u64 = 0xfffffff;

/** acc + the four products of the lanes of va and vb. */
// @ts-ignore: decorator
@inline
function mac4(acc: v128, va: v128, vb: v128): v128 {
  return i64x2.add(acc, i64x2.add(i64x2.extmul_low_i32x4_u(va, vb), i64x2.extmul_high_i32x4_u(va, vb)));
}

/** Lane masks keeping the first n lanes (n = 1..3) of a 4-lane vector, for a squaring's partial vector. */
const KEEP: StaticArray<u32> = [
  0, 0, 0, 0,
  0xffffffff, 0, 0, 0,
  0xffffffff, 0xffffffff, 0, 0,
  0xffffffff, 0xffffffff, 0xffffffff, 0,
];

/**
 * (outN, outR) = a * b * 2^(-28k) mod m, normal and limb-reversed, for a, b < 2m: the result is < 2m
 * when 4m < 2^(28k), so no final subtraction is needed (the caller reduces once at the end).
 * `br` is b with limbs reversed (for a squaring, a reversed); `mr` is m reversed; `q` is k-limb
 * scratch with zero padding. outN may alias a and outR may alias br: a column only writes limbs no
 * later column reads.
 */
export function mont28Mul(
  outN: usize, outR: usize, a: usize, br: usize, square: bool, m0: u64, mr: usize, m0inv: u64, q: usize, k: i32,
): void {
  // q[j] for j not yet chosen must read as zero, so a column can include j = i and round up.
  memory.fill(q, 0, <usize>k << 2);
  const keep = changetype<usize>(KEEP);
  // Up to 120 limbs (3360 bits) a column's sum fits one u64.
  const small = k <= 120;
  let c: u64 = 0;
  const columns = 2 * k - 1;
  for (let i = 0; i < columns; i++) {
    const lo = i >= k ? i - k + 1 : 0;
    const hi = i < k ? i : k - 1;
    // Offset of b[i - lo] (and m[i - lo]) in the reversed arrays.
    const shift = <usize>(k - 1 - i + lo) << 2;
    let acc = i64x2.splat(0);
    let extra: u64 = 0;
    let pq = q + (<usize>lo << 2);
    let pm = mr + shift;
    let n = hi - lo + 1;
    if (square) {
      // a[j]*a[i-j] pairs up: sum j < i/2 once and double it, then add the middle square.
      let pa = a + (<usize>lo << 2);
      let pb = br + shift;
      let h = ((i + 1) >> 1) - lo;
      // Two vectors per iteration: fewer loop instructions per product.
      while (h >= 8) {
        acc = mac4(acc, v128.load(pa), v128.load(pb));
        acc = mac4(acc, v128.load(pa, 16), v128.load(pb, 16));
        pa += 32;
        pb += 32;
        h -= 8;
      }
      if (h >= 4) {
        acc = mac4(acc, v128.load(pa), v128.load(pb));
        pa += 16;
        pb += 16;
        h -= 4;
      }
      if (h > 0) {
        // Past the pairs the products are not zero: keep only the first h lanes.
        acc = mac4(acc, v128.and(v128.load(pa), v128.load(keep + (<usize>h << 4))), v128.load(pb));
      }
      acc = i64x2.add(acc, acc);
      if ((i & 1) == 0) {
        const mid = <u64>load<u32>(a + (<usize>(i >> 1) << 2));
        extra = mid * mid;
      }
      while (n > 4) {
        acc = mac4(acc, v128.load(pq), v128.load(pm));
        acc = mac4(acc, v128.load(pq, 16), v128.load(pm, 16));
        pq += 32;
        pm += 32;
        n -= 8;
      }
      if (n > 0) acc = mac4(acc, v128.load(pq), v128.load(pm));
    } else {
      let pa = a + (<usize>lo << 2);
      let pb = br + shift;
      while (n > 0) {
        acc = mac4(mac4(acc, v128.load(pa), v128.load(pb)), v128.load(pq), v128.load(pm));
        pa += 16;
        pb += 16;
        pq += 16;
        pm += 16;
        n -= 4;
      }
    }
    const x0 = <u64>i64x2.extract_lane(acc, 0);
    const x1 = <u64>i64x2.extract_lane(acc, 1);
    let low: u64, high: u64;
    if (small) {
      // The whole column, < 2k * 2^56 + 2^37 < 2^64, fits one u64.
      const t = x0 + x1 + extra + c;
      low = t & M28;
      high = t >> 28;
    } else {
      // Each lane is < 2^63.3 even for 4096-bit moduli, but two lanes and the carry may not fit one u64:
      // sum the low 28 bits and the rest separately.
      low = (x0 & M28) + (x1 & M28) + (extra & M28) + (c & M28);
      high = (x0 >> 28) + (x1 >> 28) + (extra >> 28) + (c >> 28);
    }
    if (i < k) {
      // Choose q[i] so that this column's low limb becomes zero.
      const qi = (low * m0inv) & M28;
      store<u32>(q + (<usize>i << 2), <u32>qi);
      low += qi * m0;
    } else {
      const limb = <u32>(low & M28);
      store<u32>(outN + (<usize>(i - k) << 2), limb);
      store<u32>(outR + (<usize>(2 * k - 1 - i) << 2), limb);
    }
    c = high + (low >> 28);
  }
  // The result is < 2m < 2^(28k): the last carry is the top limb.
  store<u32>(outN + (<usize>(k - 1) << 2), <u32>c);
  store<u32>(outR, <u32>c);
}
