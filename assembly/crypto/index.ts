// Public surface of the crypto library. Everything here is safe on hostile input: failures are
// values (Verdict / BytesResult / *KeyResult) carrying a reason, never a trap.
export { HashAlg, Hasher, newHasher, digest, digestSizeOf, sha256, sha384, sha512 } from './hash';
export { Hmac, hmac, hmacVerify } from './hmac';
export { hkdf, hkdfExtract, hkdfExpand } from './hkdf';
export { constantTimeEqual } from './ct';
export { randomBytes, MAX_RANDOM_BYTES } from './random';
export { Verdict, BytesResult } from './result';
export { RsaPublicKey, RsaKeyResult, rsaPublicKeyFromBytes, RSA_MIN_BITS, RSA_MAX_BITS } from './rsa-key';
export { rsaPkcs1Verify, rsaPssVerify } from './rsa-verify';
export {
  EcCurveId, EcPublicKey, EcKeyResult, ecPublicKeyFromCoordinates, ecPublicKeyFromSec1, ecdsaVerifyP1363, ecdsaVerifyDer,
} from './ecdsa';
export { Ed25519PublicKey, Ed25519KeyResult, ed25519PublicKey, ed25519Verify } from './ed25519';
export { AesGcm, AesGcmKeyResult, GCM_TAG_BYTES, GCM_MAX_IV_BYTES } from './gcm';
export { Jwk, JwkKind, JwkResult, JwksResult, jwkFromJson, parseJwk, parseJwks, MAX_JWKS_KEYS, MAX_JWKS_BYTES } from './jwk';
