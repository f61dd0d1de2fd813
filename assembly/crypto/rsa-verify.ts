// RSASSA-PKCS1-v1_5 and RSASSA-PSS verification (RFC 8017 sections 8.2.2 and 8.1.2).
import { HashAlg, Hasher, digest, digestSizeOf, newHasher } from './hash';
import { constantTimeEqual } from './ct';
import { Verdict } from './result';
import { RsaPublicKey } from './rsa-key';

// DER DigestInfo prefixes (RFC 8017 section 9.2 note 1), hash bytes follow.
const PREFIX_SHA256: StaticArray<u8> = [0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0x04, 0x20];
const PREFIX_SHA384: StaticArray<u8> = [0x30, 0x41, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x02, 0x05, 0x00, 0x04, 0x30];
const PREFIX_SHA512: StaticArray<u8> = [0x30, 0x51, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x03, 0x05, 0x00, 0x04, 0x40];

function publicOp(key: RsaPublicKey, sig: Uint8Array): Uint8Array | null {
  // The signature is an octet string of exactly the modulus length (RFC 8017 8.2.2 step 1).
  if (sig.length != key.byteLength) return null;
  return key.publicOpScratch(sig);
}

// One hasher per digest and a digest buffer, reused by every PKCS#1 v1.5 check (nothing nests).
const hashers: StaticArray<Hasher | null> = new StaticArray<Hasher | null>(3);
const hashOut = new StaticArray<u8>(64);

function digestToScratch(alg: HashAlg, msg: Uint8Array): usize {
  let h = unchecked(hashers[<i32>alg]);
  if (h === null) {
    h = newHasher(alg);
    unchecked((hashers[<i32>alg] = h));
  }
  h.reset().update(msg).finishRaw(changetype<usize>(hashOut));
  return changetype<usize>(hashOut);
}

/**
 * PKCS#1 v1.5: compares the whole expected encoding 00 01 FF.. 00 DigestInfo with the recovered one,
 * so BER variants, missing NULL parameters and trailing garbage are all rejected. The comparison runs
 * in place (no expected copy is built) and its time does not depend on where the bytes differ.
 */
export function rsaPkcs1Verify(key: RsaPublicKey, alg: HashAlg, msg: Uint8Array, sig: Uint8Array): Verdict {
  if (sig.length != key.byteLength) return Verdict.fail('rsa: signature length differs from modulus length');
  const em = key.publicOpScratch(sig);
  if (em === null) return Verdict.fail('rsa: signature representative out of range');
  const prefix = alg == HashAlg.SHA256 ? PREFIX_SHA256 : alg == HashAlg.SHA384 ? PREFIX_SHA384 : PREFIX_SHA512;
  const hLen = digestSizeOf(alg);
  const h = digestToScratch(alg, msg);
  const tLen = prefix.length + hLen;
  const k = key.byteLength;
  if (k < tLen + 11) return Verdict.fail('rsa: modulus too short for the digest');
  const e = em.dataStart;
  const psEnd = k - tLen - 1;
  let diff: u32 = <u32>load<u8>(e) | (<u32>load<u8>(e, 1) ^ 0x01);
  for (let i = 2; i < psEnd; i++) diff |= <u32>load<u8>(e + <usize>i) ^ 0xff;
  diff |= <u32>load<u8>(e + <usize>psEnd);
  const t = e + <usize>(psEnd + 1);
  const p = changetype<usize>(prefix);
  for (let i = 0; i < prefix.length; i++) diff |= <u32>(load<u8>(t + <usize>i) ^ load<u8>(p + <usize>i));
  const th = t + <usize>prefix.length;
  for (let i = 0; i < hLen; i++) diff |= <u32>(load<u8>(th + <usize>i) ^ load<u8>(h + <usize>i));
  if (diff != 0) return Verdict.fail('rsa: PKCS#1 v1.5 encoding mismatch');
  return Verdict.pass();
}

/** MGF1 (RFC 8017 B.2.1) XORed into out[0..len). */
function mgf1Xor(alg: HashAlg, seed: Uint8Array, out: Uint8Array, len: i32): void {
  const h = newHasher(alg);
  const counter = new Uint8Array(4);
  let done = 0;
  for (let c: u32 = 0; done < len; c++) {
    store<u32>(counter.dataStart, bswap<u32>(c));
    const block = h.reset().update(seed).update(counter).finish();
    const take = min(block.length, len - done);
    for (let i = 0; i < take; i++) unchecked((out[done + i] ^= block[i]));
    done += take;
  }
}

/** RSASSA-PSS with MGF1; `saltLen` is fixed by the caller (JWS: saltLen = hash length). */
export function rsaPssVerify(
  key: RsaPublicKey,
  alg: HashAlg,
  mgfAlg: HashAlg,
  saltLen: i32,
  msg: Uint8Array,
  sig: Uint8Array,
): Verdict {
  if (saltLen < 0 || saltLen > key.byteLength) return Verdict.fail('rsa-pss: salt length out of range');
  if (sig.length != key.byteLength) return Verdict.fail('rsa: signature length differs from modulus length');
  const out = publicOp(key, sig);
  if (out === null) return Verdict.fail('rsa: signature representative out of range');
  const emBits = key.bits - 1;
  const emLen = (emBits + 7) >> 3;
  // When emBits is a multiple of 8 the k-byte output has one extra leading byte, which must be 0.
  const skip = out.length - emLen;
  for (let i = 0; i < skip; i++) if (unchecked(out[i]) != 0) return Verdict.fail('rsa-pss: encoded message too long');
  const em = out.subarray(skip);
  const hLen = digestSizeOf(alg);
  if (emLen < hLen + saltLen + 2) return Verdict.fail('rsa-pss: modulus too short for hash and salt');
  if (unchecked(em[emLen - 1]) != 0xbc) return Verdict.fail('rsa-pss: trailer byte is not 0xbc');
  const dbLen = emLen - hLen - 1;
  const topMask = <u8>(<i32>0xff >> (8 * emLen - emBits));
  if ((unchecked(em[0]) & ~topMask) != 0) return Verdict.fail('rsa-pss: high bits of the encoded message are set');
  const db = em.slice(0, dbLen);
  const hash = em.subarray(dbLen, dbLen + hLen);
  mgf1Xor(mgfAlg, hash, db, dbLen);
  unchecked((db[0] &= topMask));
  const padEnd = dbLen - saltLen - 1;
  for (let i = 0; i < padEnd; i++) if (unchecked(db[i]) != 0) return Verdict.fail('rsa-pss: padding is not zero');
  if (unchecked(db[padEnd]) != 0x01) return Verdict.fail('rsa-pss: missing 0x01 separator');
  const h2 = newHasher(alg);
  h2.update(new Uint8Array(8)).update(digest(alg, msg)).update(db.subarray(dbLen - saltLen));
  if (!constantTimeEqual(h2.finish(), hash)) return Verdict.fail('rsa-pss: hash mismatch');
  return Verdict.pass();
}
