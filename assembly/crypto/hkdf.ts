// HKDF (RFC 5869): extract-then-expand over HMAC-SHA-256/384/512.
import { HashAlg, digestSizeOf } from './hash';
import { Hmac, hmac } from './hmac';
import { BytesResult } from './result';

/** PRK = HMAC(salt, ikm); an empty salt means HashLen zero bytes. */
export function hkdfExtract(alg: HashAlg, salt: Uint8Array, ikm: Uint8Array): Uint8Array {
  const s = salt.length > 0 ? salt : new Uint8Array(digestSizeOf(alg));
  return hmac(alg, s, ikm);
}

/** OKM of `length` bytes; the RFC caps it at 255 * HashLen. */
export function hkdfExpand(alg: HashAlg, prk: Uint8Array, info: Uint8Array, length: i32): BytesResult {
  const hashLen = digestSizeOf(alg);
  if (length < 0 || length > 255 * hashLen) return BytesResult.fail('hkdf: output length out of range');
  if (prk.length < hashLen) return BytesResult.fail('hkdf: PRK shorter than the hash output');
  const out = new Uint8Array(length);
  const mac = new Hmac(alg, prk);
  const counter = new Uint8Array(1);
  let prev = new Uint8Array(0);
  let done = 0;
  for (let i = 1; done < length; i++) {
    unchecked((counter[0] = <u8>i));
    prev = mac.update(prev).update(info).update(counter).finish();
    const take = min(hashLen, length - done);
    memory.copy(out.dataStart + <usize>done, prev.dataStart, <usize>take);
    done += take;
  }
  return BytesResult.of(out);
}

export function hkdf(alg: HashAlg, salt: Uint8Array, ikm: Uint8Array, info: Uint8Array, length: i32): BytesResult {
  return hkdfExpand(alg, hkdfExtract(alg, salt, ikm), info, length);
}
