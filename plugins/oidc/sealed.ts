// A cookie value sealed with AES-256-GCM: base64url(IV(12) ‖ ciphertext ‖ tag(16)). The AAD names the
// cookie's purpose and the client it belongs to, so a value cut from another cookie or another
// deployment does not open.
import { AesGcm, GCM_TAG_BYTES, randomBytes } from "../../assembly/crypto/index";
import { Base64Options, base64DecodePtr, base64UrlDecode, base64UrlEncode, BytesResult } from "../../assembly/encoding/index";

const IV_BYTES: i32 = 12;

/** The sealed value, or "" when the host gave no randomness (the caller answers 500). */
export function sealValue(aead: AesGcm, aad: Uint8Array, plaintext: Uint8Array): string {
  const iv = randomBytes(IV_BYTES);
  if (!iv.ok) return "";
  const sealed = aead.seal(iv.value, aad, plaintext);
  if (!sealed.ok) return "";
  const out = new Uint8Array(IV_BYTES + sealed.value.length);
  out.set(iv.value, 0);
  out.set(sealed.value, IV_BYTES);
  return base64UrlEncode(out);
}

const URL_SAFE = Base64Options.urlSafe();

/** The plaintext, or null when the value is not base64url, too short, or fails authentication. */
export function openValue(aead: AesGcm, aad: Uint8Array, value: string): Uint8Array | null {
  return openDecoded(aead, aad, base64UrlDecode(value));
}

/** Same, for a value at ptr[0..len) (e.g. inside the request's Cookie header). */
export function openValuePtr(aead: AesGcm, aad: Uint8Array, ptr: usize, len: i32): Uint8Array | null {
  return openDecoded(aead, aad, base64DecodePtr(ptr, len, URL_SAFE));
}

function openDecoded(aead: AesGcm, aad: Uint8Array, raw: BytesResult): Uint8Array | null {
  if (!raw.ok || raw.value.length < IV_BYTES + GCM_TAG_BYTES) return null;
  const bytes = raw.value;
  const opened = aead.open(bytes.subarray(0, IV_BYTES), aad, bytes.subarray(IV_BYTES));
  return opened.ok ? opened.value : null;
}
