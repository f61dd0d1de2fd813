// RSA public keys: validated once at load time, with Montgomery constants precomputed so each
// verification only does the public-exponent modexp.
import { MontModulus, bitLength, compareLimbs, limbsFromBytes, limbsToBytes } from './bigint/mont';
import { Mont28 } from './bigint/mont28';

export const RSA_MIN_BITS: i32 = 2048;
export const RSA_MAX_BITS: i32 = 4096;

export class RsaPublicKey {
  /** Modulus length in bytes (= signature length). */
  readonly byteLength: i32;
  /** SIMD builds: 28-bit limbs and the SIMD column multiplier. */
  private m28: Mont28 | null = null;
  /** Builds without SIMD: 32-bit limbs and the scalar CIOS loop. */
  private mont: MontModulus | null = null;
  private scratch: Uint8Array | null = null;

  constructor(
    /** Big-endian, no leading zero byte. */
    public modulus: Uint8Array,
    public bits: i32,
    /** Public exponent (validated: odd, 3 <= e < 2^64). */
    public e: u64,
  ) {
    this.byteLength = (bits + 7) >> 3;
    // ASC_FEATURE_SIMD is a compile-time constant: the branch not taken is not compiled.
    if (ASC_FEATURE_SIMD) {
      this.m28 = new Mont28(modulus, bits);
    } else {
      const m = new StaticArray<u32>((modulus.length + 3) >> 2);
      limbsFromBytes(m, modulus);
      this.mont = new MontModulus(m);
    }
  }

  /** publicOp's result in a buffer of the key's, valid until its next call: no allocation when SIMD. */
  publicOpScratch(sig: Uint8Array): Uint8Array | null {
    if (ASC_FEATURE_SIMD) {
      const m28 = this.m28!;
      // s must be a residue (RFC 8017 RSAVP1 step 1).
      if (!m28.lessThanModulus(sig)) return null;
      let out = this.scratch;
      if (out === null) {
        out = new Uint8Array(this.byteLength);
        this.scratch = out;
      }
      m28.powOdd(out, this.e);
      return out;
    }
    return this.publicOp(sig);
  }

  /** s^e mod n as a byteLength-byte big-endian string, or null if s >= n. */
  publicOp(sig: Uint8Array): Uint8Array | null {
    if (ASC_FEATURE_SIMD) {
      const r = this.publicOpScratch(sig);
      return r === null ? null : r.slice(0);
    }
    const mont = this.mont!;
    const s = mont.newLimbs();
    if (!limbsFromBytes(s, sig)) return null;
    // s must be a residue (RFC 8017 RSAVP1 step 1).
    if (compareLimbs(s, mont.m) >= 0) return null;
    const base = mont.newLimbs();
    mont.toMont(base, s);
    const acc = StaticArray.slice<u32>(base);
    // Left-to-right square-and-multiply over e (public, so branching on its bits is fine).
    const top = 63 - <i32>clz<u64>(this.e);
    for (let i = top - 1; i >= 0; i--) {
      mont.mul(acc, acc, acc);
      if (((this.e >> <u64>i) & 1) != 0) mont.mul(acc, acc, base);
    }
    mont.fromMont(acc, acc);
    return limbsToBytes(acc, this.byteLength);
  }
}

export class RsaKeyResult {
  constructor(public ok: bool, public key: RsaPublicKey | null, public reason: string) {}
}

function fail(reason: string): RsaKeyResult {
  return new RsaKeyResult(false, null, reason);
}

/** Builds a key from big-endian modulus and exponent (leading zero bytes allowed, as in DER/JWK-ish sources). */
export function rsaPublicKeyFromBytes(modulus: Uint8Array, exponent: Uint8Array): RsaKeyResult {
  let start = 0;
  while (start < modulus.length && unchecked(modulus[start]) == 0) start++;
  const nBytes = modulus.length - start;
  if (nBytes == 0) return fail('rsa: modulus is zero');
  if (nBytes > RSA_MAX_BITS / 8) return fail('rsa: modulus larger than 4096 bits');
  const k = (nBytes + 3) >> 2;
  const m = new StaticArray<u32>(k);
  limbsFromBytes(m, modulus.subarray(start));
  const bits = bitLength(m);
  if (bits < RSA_MIN_BITS) return fail('rsa: modulus smaller than 2048 bits');
  if ((unchecked(m[0]) & 1) == 0) return fail('rsa: modulus is even');

  let eStart = 0;
  while (eStart < exponent.length && unchecked(exponent[eStart]) == 0) eStart++;
  if (exponent.length - eStart > 8) return fail('rsa: public exponent longer than 64 bits');
  let e: u64 = 0;
  for (let i = eStart; i < exponent.length; i++) e = (e << 8) | <u64>unchecked(exponent[i]);
  if (e < 3) return fail('rsa: public exponent below 3');
  if ((e & 1) == 0) return fail('rsa: public exponent is even');
  return new RsaKeyResult(true, new RsaPublicKey(modulus.slice(start), bits, e), '');
}
