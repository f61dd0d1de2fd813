// Montgomery multiplication in product-scanning (column) order with Wasm SIMD: each column's
// partial products a[j]*b[i-j] and q[j]*m[i-j] are formed four at a time with
// i64x2.extmul_{low,high}_i32x4_u (32x32->64), after reversing b and m so both operands of a column
// are contiguous. Low and high 32-bit halves are summed in separate u64 lanes, so nothing
// overflows for any k we accept (<= 128 limbs). Used for RSA-sized moduli.

/**
 * out = a * b * 2^(-32k) mod m. `mr` is m with limbs reversed; `br`, `q` are k-limb scratch and `t`
 * k+1 limbs. a, b < m; out may alias a or b.
 */
export function montMulSimd(
  out: usize, a: usize, b: usize, m: usize, mr: usize, m0inv: u64, k: i32, br: usize, q: usize, t: usize,
): void {
  // A local, not a module global: globals are compiled even in builds without SIMD.
  const MASK32 = i64x2.splat(0xffffffff);
  const kk = <usize>k;
  for (let x: usize = 0; x < kk; x++) store<u32>(br + (x << 2), load<u32>(b + ((kk - 1 - x) << 2)));
  const m0 = <u64>load<u32>(m);
  const square = a == b;
  let c: u64 = 0;
  const columns = 2 * k - 1;
  for (let i = 0; i < columns; i++) {
    const lo = i - k + 1 > 0 ? i - k + 1 : 0;
    const hi = i < k - 1 ? i : k - 1;
    // Offset of b[i - lo] inside br, i.e. br index k-1-i+lo.
    const shift = <usize>(k - 1 - i + lo) << 2;
    let vlo = i64x2.splat(0);
    let vhi = i64x2.splat(0);
    let slo: u64 = 0;
    let shi: u64 = 0;
    // a * b over j in [lo, hi]. When squaring, a[j]*a[i-j] pairs up: sum j < i/2 once, double it,
    // then add the middle square, which saves a quarter of all products.
    let pa = a + (<usize>lo << 2);
    let pb = br + shift;
    let n = square ? ((i + 1) >> 1) - lo : hi - lo + 1;
    while (n >= 4) {
      const va = v128.load(pa);
      const vb = v128.load(pb);
      const p0 = i64x2.extmul_low_i32x4_u(va, vb);
      const p1 = i64x2.extmul_high_i32x4_u(va, vb);
      vlo = i64x2.add(vlo, i64x2.add(v128.and(p0, MASK32), v128.and(p1, MASK32)));
      vhi = i64x2.add(vhi, i64x2.add(i64x2.shr_u(p0, 32), i64x2.shr_u(p1, 32)));
      pa += 16;
      pb += 16;
      n -= 4;
    }
    while (n > 0) {
      const p = <u64>load<u32>(pa) * <u64>load<u32>(pb);
      slo += p & 0xffffffff;
      shi += p >> 32;
      pa += 4;
      pb += 4;
      n--;
    }
    if (square) {
      vlo = i64x2.shl(vlo, 1);
      vhi = i64x2.shl(vhi, 1);
      slo <<= 1;
      shi <<= 1;
      if ((i & 1) == 0) {
        const h = <u64>load<u32>(a + (<usize>(i >> 1) << 2));
        const p = h * h;
        slo += p & 0xffffffff;
        shi += p >> 32;
      }
    }
    // q * m over j in [lo, hi] for i >= k, [lo, i-1] for i < k (q[i] is not known yet).
    let pq = q + (<usize>lo << 2);
    let pm = mr + shift;
    n = i < k ? i - lo : hi - lo + 1;
    while (n >= 4) {
      const va = v128.load(pq);
      const vb = v128.load(pm);
      const p0 = i64x2.extmul_low_i32x4_u(va, vb);
      const p1 = i64x2.extmul_high_i32x4_u(va, vb);
      vlo = i64x2.add(vlo, i64x2.add(v128.and(p0, MASK32), v128.and(p1, MASK32)));
      vhi = i64x2.add(vhi, i64x2.add(i64x2.shr_u(p0, 32), i64x2.shr_u(p1, 32)));
      pq += 16;
      pm += 16;
      n -= 4;
    }
    while (n > 0) {
      const p = <u64>load<u32>(pq) * <u64>load<u32>(pm);
      slo += p & 0xffffffff;
      shi += p >> 32;
      pq += 4;
      pm += 4;
      n--;
    }
    let low = slo + <u64>i64x2.extract_lane(vlo, 0) + <u64>i64x2.extract_lane(vlo, 1) + (c & 0xffffffff);
    let high = shi + <u64>i64x2.extract_lane(vhi, 0) + <u64>i64x2.extract_lane(vhi, 1);
    if (i < k) {
      // Choose q[i] so that this column's low limb becomes zero.
      const qi = (low * m0inv) & 0xffffffff;
      store<u32>(q + (<usize>i << 2), <u32>qi);
      const p = qi * m0;
      low += p & 0xffffffff;
      high += p >> 32;
    } else {
      store<u32>(t + (<usize>(i - k) << 2), <u32>low);
    }
    c = (low >> 32) + high + (c >> 32);
  }
  store<u32>(t + ((kk - 1) << 2), <u32>c);
  const top = c >> 32;
  // Result < 2m: subtract m once unless that would borrow beyond `top`.
  let borrow: u64 = 0;
  for (let j: usize = 0; j < kk; j++) {
    const d = <u64>load<u32>(t + (j << 2)) - <u64>load<u32>(m + (j << 2)) - borrow;
    store<u32>(br + (j << 2), <u32>d);
    borrow = (d >> 63) & 1;
  }
  const src = top < borrow ? t : br;
  memory.copy(out, src, kk << 2);
}
