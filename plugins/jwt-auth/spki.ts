// A configured key as DER SubjectPublicKeyInfo, the form Envoy's `verify_signature` imports
// (EVP_parse_public_key), rebuilt from the parsed key: the JWK's own bytes are not kept.
import { EcCurveId, Jwk, JwkKind } from "../../assembly/crypto/index";

// AlgorithmIdentifier bodies: rsaEncryption + NULL; id-ecPublicKey + the named curve.
const RSA_ALG: StaticArray<u8> = [0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00];
const EC_P256_ALG: StaticArray<u8> = [0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01, 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07];
const EC_P384_ALG: StaticArray<u8> = [0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01, 0x06, 0x05, 0x2b, 0x81, 0x04, 0x00, 0x22];

/** DER writer that prepends: elements are written from the end, so lengths are known when headers go in. */
class Der {
  buf: Uint8Array;
  pos: i32;
  constructor(cap: i32) { this.buf = new Uint8Array(cap); this.pos = cap; }
  bytes(b: Uint8Array): void { this.pos -= b.length; this.buf.set(b, this.pos); }
  raw(b: StaticArray<u8>): void {
    this.pos -= b.length;
    memory.copy(this.buf.dataStart + <usize>this.pos, changetype<usize>(b), <usize>b.length);
  }
  byte(b: u8): void { this.buf[--this.pos] = b; }
  /** Header of an element whose body is everything written after `end` was taken. */
  head(tag: u8, end: i32): void {
    const n = end - this.pos;
    if (n < 0x80) this.byte(<u8>n);
    else if (n < 0x100) { this.byte(<u8>n); this.byte(0x81); }
    else { this.byte(<u8>n); this.byte(<u8>(n >> 8)); this.byte(0x82); }
    this.byte(tag);
  }
  /** A positive INTEGER from big-endian magnitude bytes. */
  integer(b: Uint8Array): void {
    let s = 0;
    while (s < b.length - 1 && b[s] == 0) s++;
    const end = this.pos;
    this.bytes(b.subarray(s));
    if (b[s] >= 0x80) this.byte(0);
    this.head(0x02, end);
  }
  done(): Uint8Array { return this.buf.slice(this.pos); }
}

function u64Bytes(v: u64): Uint8Array {
  const out = new Uint8Array(8);
  for (let i = 7; i >= 0; i--) { out[i] = <u8>v; v >>= 8; }
  return out;
}

/** SubjectPublicKeyInfo of an RSA or EC key; null for other kinds (no host check for them). */
export function spkiOf(key: Jwk): Uint8Array | null {
  if (key.kind == JwkKind.RSA) {
    const rsa = key.rsa!;
    const d = new Der(rsa.byteLength + 64);
    const end = d.pos;
    d.integer(u64Bytes(rsa.e));
    d.integer(rsa.modulus);
    d.head(0x30, end);   // RSAPublicKey
    d.byte(0);           // no unused bits
    d.head(0x03, end);   // BIT STRING
    const alg = d.pos;
    d.raw(RSA_ALG);
    d.head(0x30, alg);
    d.head(0x30, end);
    return d.done();
  }
  if (key.kind == JwkKind.EC) {
    const ec = key.ec!;
    const fp = ec.curve.fp;
    const d = new Der(2 * ec.curve.size + 64);
    const end = d.pos;
    // The point is stored with z = 1 (Montgomery form), so x and y are its affine coordinates.
    d.bytes(fp.toBytes(ec.q.y));
    d.bytes(fp.toBytes(ec.q.x));
    d.byte(0x04);        // uncompressed
    d.byte(0);
    d.head(0x03, end);
    const alg = d.pos;
    d.raw(ec.curveId == EcCurveId.P256 ? EC_P256_ALG : EC_P384_ALG);
    d.head(0x30, alg);
    d.head(0x30, end);
    return d.done();
  }
  return null;
}
