// Signature checks through the proxy's own crypto: Envoy's `verify_signature` foreign function (BoringSSL).
// Only what it checks exactly as our Wasm crypto does: RS256/384/512 (PKCS#1 v1.5) and ES256/ES384 (the
// JWS r||s signature re-encoded as DER). PS*, EdDSA and HS* have no host path (BoringSSL's EVP_DigestVerify
// gets no PSS padding and refuses a digest with Ed25519). Any answer other than "verified" or "does not
// verify" (no such function, a key BoringSSL will not import, such as an RSA exponent above 33 bits) falls
// back to the Wasm check, so the outcome never depends on the path.
import { Jwk, JwkKind } from "../../assembly/crypto/index";
import { SignatureCheck, verifySignature as hostVerifySignature, lastResult, lastSignatureError, WasmResult } from "../../sdk";
import { spkiOf } from "./spki";

export enum VerifyWith { Wasm = 0, Host = 1, Auto = 2 }

/** Set by onConfigure. */
let mode: VerifyWith = VerifyWith.Auto;
/** Whether the host has verify_signature: unknown until the first call says NotFound. */
let hostMissing = false;
// SubjectPublicKeyInfo per configured key, built on first use. The map holds the keys themselves (never
// addresses, which a collected key's successor could reuse); cleared on reconfiguration and when full.
let spkis = new Map<Jwk, Uint8Array>();
const MAX_SPKIS = 256;

export function setVerifyWith(m: VerifyWith): void {
  mode = m;
  spkis = new Map<Jwk, Uint8Array>();
}

/** "wasm" | "host" | "auto" → the mode, or -1. */
export function verifyWithOf(s: string): i32 {
  if (s == "wasm") return VerifyWith.Wasm;
  if (s == "host") return VerifyWith.Host;
  if (s == "auto") return VerifyWith.Auto;
  return -1;
}

/** Whether the host answers verify_signature at all (NotFound = no such function), asked once in onConfigure. */
export function hostHasVerifySignature(): bool {
  // Empty arguments: Envoy parses them, finds no key and answers BadArgument; a host without it, NotFound.
  hostVerifySignature("", new Uint8Array(0), new Uint8Array(0), new Uint8Array(0));
  hostMissing = lastResult() == WasmResult.NotFound;
  return !hostMissing;
}

function spki(key: Jwk): Uint8Array | null {
  if (spkis.has(key)) return spkis.get(key);
  const der = spkiOf(key);
  if (der === null) return null;
  if (spkis.size >= MAX_SPKIS) spkis = new Map<Jwk, Uint8Array>();
  spkis.set(key, der);
  return der;
}

/** JWS r||s (each `size` bytes, at most 48) as a DER ECDSA-Sig-Value: every length fits one byte. */
function derSignature(sig: Uint8Array): Uint8Array {
  const size = sig.length >> 1;
  const out = new Uint8Array(2 * size + 8); // header, two INTEGER headers, two sign bytes
  let p = 2;
  for (let half = 0; half < 2; half++) {
    const v = sig.subarray(half * size, (half + 1) * size);
    let s = 0;
    while (s < size - 1 && v[s] == 0) s++; // minimal encoding, as BoringSSL requires
    const pad = v[s] >= 0x80 ? 1 : 0;      // keep the INTEGER positive
    out[p++] = 0x02;
    out[p++] = <u8>(size - s + pad);
    if (pad) out[p++] = 0;
    out.set(v.subarray(s), p);
    p += size - s;
  }
  out[0] = 0x30;
  out[1] = <u8>(p - 2);
  return out.slice(0, p);
}

export const HOST_VERIFIED: i32 = 1;
export const HOST_REFUSED: i32 = 0;
/** The host did not decide: check in Wasm. */
export const HOST_UNDECIDED: i32 = -1;

/**
 * The host's verdict on a key of the right type for `alg` (the caller checked), or HOST_UNDECIDED when this
 * check belongs to the Wasm crypto (mode, algorithm, host without the function, a key it cannot use).
 */
export function hostCheck(key: Jwk, alg: string, signed: Uint8Array, signature: Uint8Array): i32 {
  if (mode == VerifyWith.Wasm || hostMissing) return HOST_UNDECIDED;
  let hash: string;
  let sig = signature;
  if (alg.charCodeAt(0) == 0x52 && alg.charCodeAt(1) == 0x53) { // "RS…", read without a substring
    hash = alg == "RS256" ? "sha256" : alg == "RS384" ? "sha384" : "sha512";
  } else if (alg == "ES256" || alg == "ES384") {
    hash = alg == "ES256" ? "sha256" : "sha384";
    // Wrong length: Wasm refuses it; no DER form says the same thing, so let Wasm answer.
    if (key.kind != JwkKind.EC || signature.length != 2 * key.ec!.curve.size) return HOST_UNDECIDED;
    sig = derSignature(signature);
  } else {
    return HOST_UNDECIDED;
  }
  const der = spki(key);
  if (der === null) return HOST_UNDECIDED;
  const r = hostVerifySignature(hash, der, sig, signed);
  if (r == SignatureCheck.Verified) return HOST_VERIFIED;
  if (r == SignatureCheck.Refused && lastSignatureError().startsWith("Failed to verify digest")) return HOST_REFUSED;
  if (r == SignatureCheck.Unavailable && lastResult() == WasmResult.NotFound) hostMissing = true;
  return HOST_UNDECIDED;
}
