// The `verify_signature` foreign-function corpus: serialized VerifySignatureArguments (keys made fresh with
// node:crypto on each run) whose answers do not depend on the key, so what Envoy 1.40 answered can be
// recorded once (envoy-test/jwt-verify-signature.json) and our host checked against it without Envoy.
import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';

/** What a host answered: the call's WasmResult and, when Ok, the decoded VerifySignatureResult. */
export interface ForeignAnswer { status: number; result?: boolean; error?: string }

export interface SignatureCase { name: string; args: Uint8Array }

// --- protobuf wire format, just enough to write the arguments (and some malformed ones) ---
function varint(v: number): number[] {
  const out: number[] = [];
  while (v >= 0x80) { out.push((v & 0x7f) | 0x80); v = Math.floor(v / 128); }
  out.push(v);
  return out;
}
const enc = new TextEncoder();
/** A length-delimited field. */
export function lenField(field: number, value: Uint8Array | string): number[] {
  const b = typeof value === 'string' ? enc.encode(value) : value;
  return [...varint((field << 3) | 2), ...varint(b.length), ...b];
}
export function varintField(field: number, value: number): number[] {
  return [...varint(field << 3), ...varint(value)];
}
export interface VerifyArgs { hash?: string | Uint8Array; der?: Uint8Array; pem?: string; signature?: Uint8Array; text?: Uint8Array }
/** VerifySignatureArguments as C++ SerializeToString writes it (fields in number order, empty ones left out). */
export function encodeArgs(a: VerifyArgs): Uint8Array {
  const out: number[] = [];
  const put = (f: number, v: Uint8Array | string | undefined) => { if (v !== undefined && v.length > 0) out.push(...lenField(f, v)); };
  put(1, a.hash);
  put(2, a.der);
  put(3, a.signature);
  put(4, a.text);
  put(5, a.pem);
  return Uint8Array.from(out);
}

/** Decodes a VerifySignatureResult (hex, as the probe prints it). */
export function decodeResult(hex: string): { result: boolean; error: string } {
  const b = Buffer.from(hex, 'hex');
  let result = false;
  let error = '';
  for (let i = 0; i < b.length;) {
    const key = b[i++];
    if (key === 0x08) result = b[i++] !== 0;
    else if (key === 0x12) { const n = b[i++]; error = b.subarray(i, i + n).toString('utf8'); i += n; }
    else throw new Error(`unexpected result field ${key} in ${hex}`);
  }
  return { result, error };
}

// --- keys and signatures ---
function der(tag: number, body: number[]): number[] {
  const n = body.length;
  const len = n < 0x80 ? [n] : n < 0x100 ? [0x81, n] : [0x82, n >> 8, n & 0xff];
  return [tag, ...len, ...body];
}
const derInt = (b: Uint8Array) => der(0x02, b[0] & 0x80 ? [0, ...b] : [...b]);
/** An RSA SubjectPublicKeyInfo with `key`'s modulus and another exponent (node cannot make such keys). */
function rsaSpki(key: KeyObject, e: Uint8Array): Uint8Array {
  const n = Buffer.from(key.export({ format: 'jwk' }).n as string, 'base64url');
  const alg = der(0x30, [...der(0x06, [0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01]), 0x05, 0x00]);
  return Uint8Array.from(der(0x30, [...alg, ...der(0x03, [0, ...der(0x30, [...derInt(n), ...derInt(e)])])]));
}
const spki = (k: KeyObject) => new Uint8Array(k.export({ type: 'spki', format: 'der' }));
const TEXT = enc.encode('eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9');
const flip = (b: Uint8Array) => { const c = Uint8Array.from(b); c[c.length - 1] ^= 1; return c; };

/** The corpus; names are stable (the recorded table is keyed by them). */
export function signatureCases(): SignatureCase[] {
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const p256 = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const p384 = generateKeyPairSync('ec', { namedCurve: 'P-384' });
  const p521 = generateKeyPairSync('ec', { namedCurve: 'P-521' });
  const k1 = generateKeyPairSync('ec', { namedCurve: 'secp256k1' });
  const ed = generateKeyPairSync('ed25519');
  const pss = generateKeyPairSync('rsa-pss', { modulusLength: 2048 });
  const rsaDer = spki(rsa.publicKey);
  const rs = (h: string) => new Uint8Array(sign(h, TEXT, rsa.privateKey));
  const ecDer = (k: KeyObject, h: string) => new Uint8Array(sign(h, TEXT, k));
  const ecRaw = (k: KeyObject, h: string) => new Uint8Array(sign(h, TEXT, { key: k, dsaEncoding: 'ieee-p1363' }));
  const psSig = new Uint8Array(sign('sha256', TEXT, { key: rsa.privateKey, padding: 6 /* RSA_PKCS1_PSS_PADDING */, saltLength: 32 }));
  const rsaPem = rsa.publicKey.export({ type: 'spki', format: 'pem' }) as string;
  const pkcs1Pem = rsa.publicKey.export({ type: 'pkcs1', format: 'pem' }) as string;
  const ok256 = rs('sha256');
  const base: VerifyArgs = { hash: 'sha256', der: rsaDer, signature: ok256, text: TEXT };
  const cases: [string, Uint8Array][] = [
    ['rsa sha256', encodeArgs(base)],
    ['rsa sha384', encodeArgs({ ...base, hash: 'sha384', signature: rs('sha384') })],
    ['rsa sha512', encodeArgs({ ...base, hash: 'sha512', signature: rs('sha512') })],
    ['rsa sha1', encodeArgs({ ...base, hash: 'sha1', signature: rs('sha1') })],
    ['rsa hash name in capitals', encodeArgs({ ...base, hash: 'SHA256' })],
    ['rsa hash of another size than the signature', encodeArgs({ ...base, hash: 'sha384' })],
    ['rsa one bit flipped', encodeArgs({ ...base, signature: flip(ok256) })],
    ['rsa other text', encodeArgs({ ...base, text: enc.encode('other') })],
    ['rsa signature one byte short', encodeArgs({ ...base, signature: ok256.subarray(1) })],
    ['rsa empty signature', encodeArgs({ ...base, signature: undefined })],
    ['rsa empty text signed', encodeArgs({ ...base, text: undefined, signature: new Uint8Array(sign('sha256', new Uint8Array(0), rsa.privateKey)) })],
    ['rsa PSS signature', encodeArgs({ ...base, signature: psSig })],
    ['rsa-pss key', encodeArgs({ hash: 'sha256', der: spki(pss.publicKey), signature: new Uint8Array(sign('sha256', TEXT, pss.privateKey)), text: TEXT })],
    ['rsa exponent above 33 bits', encodeArgs({ ...base, der: rsaSpki(rsa.publicKey, Uint8Array.of(2, 0, 0, 0, 1)) })],
    ['rsa exponent even', encodeArgs({ ...base, der: rsaSpki(rsa.publicKey, Uint8Array.of(1, 0, 0)) })],
    ['hash md5', encodeArgs({ ...base, hash: 'md5' })],
    ['hash empty', encodeArgs({ ...base, hash: undefined })],
    ['hash unknown and key unusable', encodeArgs({ ...base, hash: 'sha3-256', der: Uint8Array.of(1, 2, 3) })],
    ['p256 sha256 DER signature', encodeArgs({ hash: 'sha256', der: spki(p256.publicKey), signature: ecDer(p256.privateKey, 'sha256'), text: TEXT })],
    ['p256 sha256 raw r||s signature', encodeArgs({ hash: 'sha256', der: spki(p256.publicKey), signature: ecRaw(p256.privateKey, 'sha256'), text: TEXT })],
    ['p256 signed with sha384', encodeArgs({ hash: 'sha384', der: spki(p256.publicKey), signature: ecDer(p256.privateKey, 'sha384'), text: TEXT })],
    ['p256 DER signature with a trailing byte', encodeArgs({ hash: 'sha256', der: spki(p256.publicKey), signature: Uint8Array.from([...ecDer(p256.privateKey, 'sha256'), 0]), text: TEXT })],
    ['p384 sha384 DER signature', encodeArgs({ hash: 'sha384', der: spki(p384.publicKey), signature: ecDer(p384.privateKey, 'sha384'), text: TEXT })],
    ['p521 sha512 DER signature', encodeArgs({ hash: 'sha512', der: spki(p521.publicKey), signature: ecDer(p521.privateKey, 'sha512'), text: TEXT })],
    ['secp256k1 key', encodeArgs({ hash: 'sha256', der: spki(k1.publicKey), signature: ecDer(k1.privateKey, 'sha256'), text: TEXT })],
    ['ed25519 key with sha512', encodeArgs({ hash: 'sha512', der: spki(ed.publicKey), signature: new Uint8Array(sign(null, TEXT, ed.privateKey)), text: TEXT })],
    ['key garbage', encodeArgs({ ...base, der: Uint8Array.of(0x30, 0x03, 1, 2, 3) })],
    ['key DER with trailing bytes', encodeArgs({ ...base, der: Uint8Array.from([...rsaDer, 0, 1, 2]) })],
    ['key DER truncated', encodeArgs({ ...base, der: rsaDer.subarray(0, rsaDer.length - 1) })],
    ['key PEM', encodeArgs({ ...base, der: undefined, pem: rsaPem })],
    ['key PEM after other text', encodeArgs({ ...base, der: undefined, pem: `hello\n${rsaPem}` })],
    ['key PEM PKCS#1', encodeArgs({ ...base, der: undefined, pem: pkcs1Pem })],
    ['key PEM garbage', encodeArgs({ ...base, der: undefined, pem: 'not a key' })],
    ['key PEM and DER', encodeArgs({ ...base, pem: rsaPem })],
    ['no key', encodeArgs({ ...base, der: undefined })],
    ['empty arguments', new Uint8Array(0)],
    ['truncated message', encodeArgs(base).subarray(0, 40)],
    ['field number 0', Uint8Array.from([0x02, 0x00, ...encodeArgs(base)])],
    ['unknown field', Uint8Array.from([...encodeArgs(base), ...lenField(9, 'x'), ...varintField(10, 7)])],
    ['key field twice, the last wins', Uint8Array.from([...lenField(2, Uint8Array.of(1, 2, 3)), ...encodeArgs(base)])],
    ['key field as a varint', Uint8Array.from([...varintField(2, 5), ...lenField(1, 'sha256'), ...lenField(2, rsaDer), ...lenField(3, ok256), ...lenField(4, TEXT)])],
    ['hash not UTF-8', encodeArgs({ ...base, hash: Uint8Array.of(0x73, 0xff) })],
    ['fields out of order', Uint8Array.from([...lenField(4, TEXT), ...lenField(3, ok256), ...lenField(2, rsaDer), ...lenField(1, 'sha256')])],
  ];
  return cases.map(([name, args]) => ({ name, args }));
}

/** Arguments for the cost measurement: a valid RS256 and ES256 (P-256, DER signature) check. */
export function timingCases(): SignatureCase[] {
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const p256 = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return [
    { name: 'RS256 (2048-bit)', args: encodeArgs({ hash: 'sha256', der: spki(rsa.publicKey), signature: new Uint8Array(sign('sha256', TEXT, rsa.privateKey)), text: TEXT }) },
    { name: 'ES256', args: encodeArgs({ hash: 'sha256', der: spki(p256.publicKey), signature: new Uint8Array(sign('sha256', TEXT, p256.privateKey)), text: TEXT }) },
  ];
}
