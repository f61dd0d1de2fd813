// Envoy's `verify_signature` foreign function (source/extensions/common/wasm/foreign.cc), answering as
// Envoy 1.40 does (envoy-test/jwt-verify-signature.json is what it answered):
//  - the arguments are a proto3 VerifySignatureArguments {hash_function = 1 (string), public_key = 2 (DER
//    SubjectPublicKeyInfo), signature = 3, text = 4, public_key_pem = 5 (string)}; bytes that do not parse
//    (truncated, field number 0, a string field that is not UTF-8) → BadArgument;
//  - both keys or none → BadArgument; otherwise Ok with a VerifySignatureResult {result = 1, error = 2}:
//    an unknown hash → "<hash> is not supported." (checked before the key), a key BoringSSL cannot use →
//    "Failed to initialize digest verify.", a signature that does not verify → "Failed to verify digest.
//    Error code: 0".
// The crypto itself (which keys BoringSSL accepts, PKCS#1 v1.5 for RSA, DER ECDSA) is the platform's.
import { WasmResult } from './abi.ts';

export type SignatureHash = 'sha1' | 'sha224' | 'sha256' | 'sha384' | 'sha512';

/** The key as the guest gave it: DER SubjectPublicKeyInfo or PEM text. */
export type SignatureKey = { der: Uint8Array } | { pem: string };

/** What EVP_DigestVerifyInit + EVP_DigestVerify made of it. */
export type SignatureVerdict = 'verified' | 'bad-key' | 'refused';

/** Platform capability: BoringSSL's answer for one signature (node: host/node/signature-crypto.ts). */
export interface SignatureVerifier {
  verify(hash: SignatureHash, key: SignatureKey, signature: Uint8Array, text: Uint8Array): SignatureVerdict;
}

const HASHES = new Set<string>(['sha1', 'sha224', 'sha256', 'sha384', 'sha512']);
const utf8 = new TextDecoder('utf-8', { fatal: true });
const enc = new TextEncoder();

interface Arguments { hash: string; der: Uint8Array; pem: string; signature: Uint8Array; text: Uint8Array }

function readVarint(b: Uint8Array, at: { p: number }): number | null {
  let v = 0;
  let mul = 1;
  for (let i = 0; i < 10; i++) {
    if (at.p >= b.length) return null;
    const x = b[at.p++];
    v += (x & 0x7f) * mul;
    mul *= 128;
    if (x < 0x80) return v;
  }
  return null;
}

/** protobuf's ParseFromString for this message: null when it would fail. */
function parseArguments(b: Uint8Array): Arguments | null {
  const a: Arguments = { hash: '', der: new Uint8Array(0), pem: '', signature: new Uint8Array(0), text: new Uint8Array(0) };
  const at = { p: 0 };
  while (at.p < b.length) {
    const key = readVarint(b, at);
    if (key === null) return null;
    const field = Math.floor(key / 8);
    const wire = key % 8;
    if (field === 0) return null;
    if (wire === 0) {
      if (readVarint(b, at) === null) return null;
      continue; // no varint field in this message: an unknown field (a known number with the wrong wire type is one too)
    }
    if (wire === 1 || wire === 5) {
      at.p += wire === 1 ? 8 : 4;
      if (at.p > b.length) return null;
      continue;
    }
    if (wire !== 2) return null; // groups (3, 4) cannot appear here; 6 and 7 are not wire types
    const n = readVarint(b, at);
    if (n === null || n > b.length - at.p) return null;
    const value = b.subarray(at.p, at.p + n);
    at.p += n;
    // A singular field seen twice: the last value wins.
    if (field === 1 || field === 5) {
      let s: string;
      try { s = utf8.decode(value); } catch { return null; } // proto3 strings must be UTF-8
      if (field === 1) a.hash = s;
      else a.pem = s;
    } else if (field === 2) a.der = value;
    else if (field === 3) a.signature = value;
    else if (field === 4) a.text = value;
  }
  return a;
}

function lenField(field: number, value: Uint8Array): Uint8Array {
  const head: number[] = [(field << 3) | 2];
  let n = value.length;
  while (n >= 0x80) { head.push((n & 0x7f) | 0x80); n >>>= 7; }
  head.push(n);
  const out = new Uint8Array(head.length + value.length);
  out.set(head);
  out.set(value, head.length);
  return out;
}

/** VerifySignatureResult as SerializeToString writes it (proto3: false and "" are left out). */
export function encodeVerifySignatureResult(result: boolean, error: string): Uint8Array {
  return result ? Uint8Array.of(0x08, 0x01) : lenField(2, enc.encode(error));
}

export function verifySignatureForeign(args: Uint8Array, verifier: SignatureVerifier): { status: WasmResult; result?: Uint8Array } {
  const a = parseArguments(args);
  if (a === null) return { status: WasmResult.BadArgument };
  const hasPem = a.pem.length > 0;
  const hasDer = a.der.length > 0;
  if (hasPem === hasDer) return { status: WasmResult.BadArgument };
  const hash = a.hash.replace(/[A-Z]/g, (c) => c.toLowerCase()); // absl::AsciiStrToLower
  if (!HASHES.has(hash)) return { status: WasmResult.Ok, result: encodeVerifySignatureResult(false, `${a.hash} is not supported.`) };
  const verdict = verifier.verify(hash as SignatureHash, hasPem ? { pem: a.pem } : { der: a.der }, a.signature, a.text);
  if (verdict === 'verified') return { status: WasmResult.Ok, result: encodeVerifySignatureResult(true, '') };
  const error = verdict === 'bad-key' ? 'Failed to initialize digest verify.' : 'Failed to verify digest. Error code: 0';
  return { status: WasmResult.Ok, result: encodeVerifySignatureResult(false, error) };
}
