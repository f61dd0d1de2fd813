// Digest selection over SHA-256/384/512 so HMAC, HKDF, RSA and ECDSA can be generic over the digest.
export { Hasher } from './hasher';
import { Hasher } from './hasher';
import { Sha256 } from './sha256';
import { Sha512 } from './sha512';

export enum HashAlg {
  SHA256 = 0,
  SHA384 = 1,
  SHA512 = 2,
}

export function newHasher(alg: HashAlg): Hasher {
  if (alg == HashAlg.SHA256) return new Sha256();
  if (alg == HashAlg.SHA384) return new Sha512(true);
  return new Sha512(false);
}

export function digestSizeOf(alg: HashAlg): i32 {
  return alg == HashAlg.SHA256 ? 32 : alg == HashAlg.SHA384 ? 48 : 64;
}

export function digest(alg: HashAlg, data: Uint8Array): Uint8Array {
  return newHasher(alg).update(data).finish();
}

export function sha256(data: Uint8Array): Uint8Array {
  return digest(HashAlg.SHA256, data);
}

export function sha384(data: Uint8Array): Uint8Array {
  return digest(HashAlg.SHA384, data);
}

export function sha512(data: Uint8Array): Uint8Array {
  return digest(HashAlg.SHA512, data);
}
