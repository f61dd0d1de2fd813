// RSA public keys: validated once at load time, with Montgomery constants precomputed so each
// verification only does the public-exponent modexp.
import { MontModulus, bitLength, limbsFromBytes, limbsToBytes } from './bigint/mont';

export const RSA_MIN_BITS: i32 = 2048;
export const RSA_MAX_BITS: i32 = 4096;

export class RsaPublicKey {
  /** Modulus length in bytes (= signature length). */
  readonly byteLength: i32;

  constructor(
    public mont: MontModulus,
    public bits: i32,
    /** Public exponent (validated: odd, 3 <= e < 2^64). */
    public e: u64,
  ) {
    this.byteLength = (bits + 7) >> 3;
  }

  /** s^e mod n as a byteLength-byte big-endian string, or null if s >= n. */
  publicOp(sig: Uint8Array): Uint8Array | null {
    const mont = this.mont;
    const s = mont.newLimbs();
    if (!limbsFromBytes(s, sig)) return null;
    // s must be a residue (RFC 8017 RSAVP1 step 1).
    let lt = false;
    for (let i = mont.k - 1; i >= 0; i--) {
      const x = unchecked(s[i]);
      const y = unchecked(mont.m[i]);
      if (x != y) {
        lt = x < y;
        break;
      }
    }
    if (!lt) return null;
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
  return new RsaKeyResult(true, new RsaPublicKey(new MontModulus(m), bits, e), '');
}
