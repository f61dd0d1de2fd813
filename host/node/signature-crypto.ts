// The platform's signature check for Envoy's `verify_signature` foreign function, with node:crypto made to
// answer as Envoy's BoringSSL does (envoy-test/jwt-verify-signature.json): EVP_parse_public_key takes RSA and
// EC (P-224/256/384/521) SubjectPublicKeyInfo and ignores bytes after it; Ed25519 parses but cannot be used
// with a digest; RSA-PSS keys, other curves and explicit curve parameters do not parse; RSA keys need an odd
// exponent of 2..33 bits below the modulus and at most 16384 bits. PEM: the first "PUBLIC KEY" block.
// RSA verifies PKCS#1 v1.5, EC a DER ECDSA signature.
import { constants, createPublicKey, verify, type KeyObject } from 'node:crypto';
import type { SignatureHash, SignatureKey, SignatureVerdict, SignatureVerifier } from '../core/foreign-verify-signature.ts';

const CURVES = new Set(['secp224r1', 'prime256v1', 'secp384r1', 'secp521r1']);

/** The first DER element (SEQUENCE header and body) of b, or null when its header does not parse. */
function firstElement(b: Uint8Array): Uint8Array | null {
  if (b.length < 2 || b[0] !== 0x30) return null;
  let len = b[1];
  let head = 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 4 || b.length < 2 + n) return null;
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + b[2 + i];
    head += n;
  }
  return head + len <= b.length ? b.subarray(0, head + len) : null;
}

function derOf(key: SignatureKey): Uint8Array | null {
  if ('der' in key) return firstElement(key.der);
  const m = /-----BEGIN PUBLIC KEY-----([\s\S]*?)-----END PUBLIC KEY-----/.exec(key.pem);
  if (!m) return null;
  return firstElement(new Uint8Array(Buffer.from(m[1].replace(/\s+/g, ''), 'base64')));
}

function bitLength(b: Buffer): number {
  let i = 0;
  while (i < b.length && b[i] === 0) i++;
  if (i === b.length) return 0;
  return (b.length - i - 1) * 8 + (32 - Math.clz32(b[i]));
}

/** Whether BoringSSL would import this key and set it up for a digest verify. */
function usable(k: KeyObject): boolean {
  if (k.asymmetricKeyType === 'ec') return CURVES.has(k.asymmetricKeyDetails?.namedCurve ?? '');
  if (k.asymmetricKeyType !== 'rsa') return false; // ed25519: init fails with a digest; others do not parse
  const jwk = k.export({ format: 'jwk' });
  const n = Buffer.from(jwk.n as string, 'base64url');
  const e = Buffer.from(jwk.e as string, 'base64url');
  const eBits = bitLength(e);
  const nBits = bitLength(n);
  if ((e[e.length - 1] & 1) === 0 || eBits < 2 || eBits > 33) return false;
  return nBits <= 16384 && nBits > 33;
}

// Imported keys by their DER (Envoy imports the key on every call; caching only makes our host cheaper).
const imported = new Map<string, KeyObject | null>();
const MAX_IMPORTED = 256;

function importKey(der: Uint8Array): KeyObject | null {
  const id = Buffer.from(der).toString('base64');
  let k = imported.get(id);
  if (k !== undefined) return k;
  try {
    k = createPublicKey({ key: Buffer.from(der), format: 'der', type: 'spki' });
    if (!usable(k)) k = null;
  } catch {
    k = null;
  }
  if (imported.size >= MAX_IMPORTED) imported.delete(imported.keys().next().value!);
  imported.set(id, k);
  return k;
}

export const nodeSignatureVerifier: SignatureVerifier = {
  verify(hash: SignatureHash, key: SignatureKey, signature: Uint8Array, text: Uint8Array): SignatureVerdict {
    const der = derOf(key);
    const k = der === null ? null : importKey(der);
    if (k === null) return 'bad-key';
    try {
      const ok = k.asymmetricKeyType === 'rsa'
        ? verify(hash, text, { key: k, padding: constants.RSA_PKCS1_PADDING }, signature)
        : verify(hash, text, { key: k, dsaEncoding: 'der' }, signature);
      return ok ? 'verified' : 'refused';
    } catch {
      return 'refused';
    }
  },
};
