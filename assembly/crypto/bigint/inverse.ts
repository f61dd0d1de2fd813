// Modular inverse by the binary extended Euclidean algorithm on 64-bit limbs. Variable time: use
// it only on public values (ECDSA verification inverts the public s). Several times faster than
// Fermat's a^(n-2) for 256-384-bit moduli in Wasm.

/** 32-bit limbs (k even) -> 64-bit limbs. */
function widen(a: StaticArray<u32>): StaticArray<u64> {
  const n = a.length >> 1;
  const out = new StaticArray<u64>(n);
  for (let i = 0; i < n; i++) unchecked((out[i] = <u64>a[2 * i] | (<u64>a[2 * i + 1] << 32)));
  return out;
}

function isOne(a: StaticArray<u64>): bool {
  if (unchecked(a[0]) != 1) return false;
  for (let i = 1; i < a.length; i++) if (unchecked(a[i]) != 0) return false;
  return true;
}

function geq(a: StaticArray<u64>, b: StaticArray<u64>): bool {
  for (let i = a.length - 1; i >= 0; i--) {
    const x = unchecked(a[i]), y = unchecked(b[i]);
    if (x != y) return x > y;
  }
  return true;
}

/** a -= b; returns the borrow. */
function subIn(a: StaticArray<u64>, b: StaticArray<u64>): u64 {
  let borrow: u64 = 0;
  for (let i = 0; i < a.length; i++) {
    const x = unchecked(a[i]), y = unchecked(b[i]);
    const d = x - y - borrow;
    borrow = <u64>(x < y || (x == y && borrow != 0));
    unchecked((a[i] = d));
  }
  return borrow;
}

/** a += b; returns the carry. */
function addIn(a: StaticArray<u64>, b: StaticArray<u64>): u64 {
  let carry: u64 = 0;
  for (let i = 0; i < a.length; i++) {
    const x = unchecked(a[i]);
    const s = x + unchecked(b[i]) + carry;
    carry = <u64>(s < x || (s == x && carry != 0));
    unchecked((a[i] = s));
  }
  return carry;
}

/** a = (a + topBit * 2^(64n)) >> 1 */
function shr1(a: StaticArray<u64>, topBit: u64): void {
  const n = a.length;
  for (let i = 0; i < n - 1; i++) unchecked((a[i] = (a[i] >> 1) | (a[i + 1] << 63)));
  unchecked((a[n - 1] = (a[n - 1] >> 1) | (topBit << 63)));
}

/** x = x / 2 mod m (m odd, x < m). */
function halve(x: StaticArray<u64>, m: StaticArray<u64>): void {
  if ((unchecked(x[0]) & 1) == 0) shr1(x, 0);
  else shr1(x, addIn(x, m));
}

/** x = x - y mod m (x, y < m). */
function subMod(x: StaticArray<u64>, y: StaticArray<u64>, m: StaticArray<u64>): void {
  if (subIn(x, y) != 0) addIn(x, m);
}

/**
 * out = a^-1 mod m for odd m and 0 < a < m with gcd(a, m) = 1 (m prime here); 32-bit limbs,
 * even limb count. Returns false when no inverse exists.
 */
export function invertVartime(out: StaticArray<u32>, a: StaticArray<u32>, m: StaticArray<u32>): bool {
  const mm = widen(m);
  const u = widen(a);
  const v = widen(m);
  const n = mm.length;
  const x1 = new StaticArray<u64>(n);
  const x2 = new StaticArray<u64>(n);
  unchecked((x1[0] = 1));
  let zero = true;
  for (let i = 0; i < n; i++) if (unchecked(u[i]) != 0) zero = false;
  if (zero) return false;
  // Each pass strictly shrinks u + v, so at most ~2 * bits iterations.
  for (let guard = 0; guard < 4 * 64 * n + 8; guard++) {
    if (isOne(u)) {
      for (let i = 0; i < n; i++) {
        unchecked((out[2 * i] = <u32>x1[i]));
        unchecked((out[2 * i + 1] = <u32>(x1[i] >> 32)));
      }
      return true;
    }
    if (isOne(v)) {
      for (let i = 0; i < n; i++) {
        unchecked((out[2 * i] = <u32>x2[i]));
        unchecked((out[2 * i + 1] = <u32>(x2[i] >> 32)));
      }
      return true;
    }
    while ((unchecked(u[0]) & 1) == 0) {
      shr1(u, 0);
      halve(x1, mm);
    }
    while ((unchecked(v[0]) & 1) == 0) {
      shr1(v, 0);
      halve(x2, mm);
    }
    if (geq(u, v)) {
      subIn(u, v);
      subMod(x1, x2, mm);
    } else {
      subIn(v, u);
      subMod(x2, x1, mm);
    }
    // u or v reaching 0 means gcd > 1 (the loop below would spin): stop.
    let uz = true, vz = true;
    for (let i = 0; i < n; i++) {
      if (unchecked(u[i]) != 0) uz = false;
      if (unchecked(v[i]) != 0) vz = false;
    }
    if (uz || vz) return false;
  }
  return false;
}
