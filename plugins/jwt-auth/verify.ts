// Signature check against the configured keys, with jwt_verify_lib's key selection: a key is a
// candidate when its kid (if both have one) and its alg (if set) fit the token; no candidate → "no key
// to match kid or alg", candidates that all fail → "verification fails". A candidate of the wrong type
// (an RSA key for an ES256 token) counts as a candidate that failed, as in jwt_verify_lib.
// Only configured keys are used: `jku`, `x5u` and an embedded `jwk` header are never looked at.
import {
  EcCurveId, HashAlg, Jwk, JwkKind, ecdsaVerifyP1363, ed25519Verify, hmacVerify, rsaPkcs1Verify, rsaPssVerify,
} from "../../assembly/crypto/index";
import { Failure } from "./failure";
import { HOST_UNDECIDED, HOST_VERIFIED, hostCheck } from "./host-verify";
import { Jwt } from "./jwt";

// `alg` is one of jwt.ts's SUPPORTED_ALGS: its family is the first two characters and its hash size the
// last digits, read without substrings (a new token's check allocates nothing for them).

function family(alg: string): i32 {
  return (<i32>alg.charCodeAt(0) << 8) | <i32>alg.charCodeAt(1);
}

const RS: i32 = 0x5253; // "RS"
const PS: i32 = 0x5053; // "PS"
const ES: i32 = 0x4553; // "ES"
const HS: i32 = 0x4853; // "HS"

function hashOf(alg: string): HashAlg {
  // "EdDSA" never gets here; the others end in 256, 384 or 512.
  const c = alg.charCodeAt(2);
  if (c == 0x33) return HashAlg.SHA384;
  if (c == 0x35) return HashAlg.SHA512;
  return HashAlg.SHA256;
}

function hashLen(h: HashAlg): i32 {
  return h == HashAlg.SHA256 ? 32 : h == HashAlg.SHA384 ? 48 : 64;
}

/** Whether `key` is of the type `alg` needs (ES512 needs P-521, which no loaded key can be). */
function keyFits(key: Jwk, alg: string): bool {
  const fam = family(alg);
  if (fam == RS || fam == PS) return key.kind == JwkKind.RSA;
  if (alg == "ES256") return key.kind == JwkKind.EC && key.ec!.curveId == EcCurveId.P256;
  if (alg == "ES384") return key.kind == JwkKind.EC && key.ec!.curveId == EcCurveId.P384;
  if (fam == HS) return key.kind == JwkKind.OCT;
  if (alg == "EdDSA") return key.kind == JwkKind.OKP;
  return false;
}

function checkWith(key: Jwk, jwt: Jwt): bool {
  const alg = jwt.alg;
  // verifyWith "host"/"auto": the proxy's crypto where it answers exactly as ours (host-verify.ts).
  const host = hostCheck(key, alg, jwt.signed, jwt.signature);
  if (host != HOST_UNDECIDED) return host == HOST_VERIFIED;
  if (alg == "EdDSA") return ed25519Verify(key.ed25519!, jwt.signed, jwt.signature).ok;
  const fam = family(alg);
  const h = hashOf(alg);
  if (fam == RS) return rsaPkcs1Verify(key.rsa!, h, jwt.signed, jwt.signature).ok;
  if (fam == PS) return rsaPssVerify(key.rsa!, h, h, hashLen(h), jwt.signed, jwt.signature).ok;
  if (fam == ES) return ecdsaVerifyP1363(key.ec!, h, jwt.signed, jwt.signature).ok;
  // JWS needs the full tag: hmacVerify alone would accept a truncated one.
  if (fam == HS) return jwt.signature.length == hashLen(h) && hmacVerify(h, key.secret, jwt.signed, jwt.signature).ok;
  return false;
}

export function verifySignature(jwt: Jwt, keys: Array<Jwk>): Failure {
  let candidates = 0;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i];
    if (jwt.kid.length > 0 && key.kid.length > 0 && key.kid != jwt.kid) continue;
    if (key.alg.length > 0 && key.alg != jwt.alg) continue;
    candidates++;
    if (keyFits(key, jwt.alg) && checkWith(key, jwt)) {
      // The key's equal kid: a remembered token then holds one object less for the collector to mark.
      if (jwt.kid.length > 0 && key.kid.length > 0) jwt.kid = key.kid;
      return Failure.None;
    }
  }
  return candidates == 0 ? Failure.KidAlgUnmatch : Failure.VerificationFails;
}
