// Hostile and malformed inputs against the compiled crypto: every case must come back as an error
// value with a reason (a trap would throw here: the wrapper's abort import and Wasm traps both
// raise), and linear memory must stay bounded over many calls.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import { CryptoWasm, EcCurve, HashAlg, type Outcome, type KeyOutcome } from '../wycheproof/crypto-wasm.ts';

let cw: CryptoWasm;
before(async () => {
  cw = await CryptoWasm.load();
});

function rejected(r: Outcome | KeyOutcome, pattern: RegExp): void {
  assert.equal(r.ok, false, 'expected a rejection');
  assert.match(r.reason, pattern);
}

const jwk = (k: { export(o: { format: 'jwk' }): unknown }, f: string): Uint8Array =>
  new Uint8Array(Buffer.from((k.export({ format: 'jwk' }) as Record<string, string>)[f], 'base64url'));

test('RSA keys: modulus too small, too large, even, zero; bad exponents', () => {
  const e = new Uint8Array([1, 0, 1]);
  rejected(cw.rsaKey(new Uint8Array(128).fill(0xff), e), /smaller than 2048/);
  rejected(cw.rsaKey(new Uint8Array(513).fill(0xff), e), /larger than 4096/);
  rejected(cw.rsaKey(new Uint8Array(256).fill(0xfe), e), /even/);
  rejected(cw.rsaKey(new Uint8Array(256), e), /zero/);
  rejected(cw.rsaKey(new Uint8Array(0), e), /zero/);
  const n = new Uint8Array(256).fill(0xff);
  rejected(cw.rsaKey(n, new Uint8Array([1])), /below 3/);
  rejected(cw.rsaKey(n, new Uint8Array([1, 0, 0])), /even/);
  rejected(cw.rsaKey(n, new Uint8Array(9).fill(1)), /longer than 64 bits/);
  rejected(cw.rsaKey(n, new Uint8Array(0)), /below 3/);
});

test('RSA signatures: wrong length, >= n, garbage', () => {
  const kp = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const key = cw.rsaKey(jwk(kp.publicKey, 'n'), jwk(kp.publicKey, 'e'));
  assert.ok(key.ok);
  const msg = new Uint8Array([1, 2, 3]);
  const sig = new Uint8Array(sign('sha256', msg, kp.privateKey));
  assert.ok(cw.rsaPkcs1Verify(key.handle, HashAlg.SHA256, msg, sig).ok);
  rejected(cw.rsaPkcs1Verify(key.handle, HashAlg.SHA256, msg, sig.subarray(1)), /length/);
  rejected(cw.rsaPkcs1Verify(key.handle, HashAlg.SHA256, msg, new Uint8Array([0, ...sig])), /length/);
  rejected(cw.rsaPkcs1Verify(key.handle, HashAlg.SHA256, msg, new Uint8Array(0)), /length/);
  rejected(cw.rsaPkcs1Verify(key.handle, HashAlg.SHA256, msg, new Uint8Array(256).fill(0xff)), /out of range/);
  rejected(cw.rsaPkcs1Verify(key.handle, HashAlg.SHA384, msg, sig), /mismatch/);
  rejected(cw.rsaPssVerify(key.handle, HashAlg.SHA256, HashAlg.SHA256, 32, msg, sig), /pss/);
  rejected(cw.rsaPssVerify(key.handle, HashAlg.SHA256, HashAlg.SHA256, -1, msg, sig), /salt length/);
  rejected(cw.rsaPssVerify(key.handle, HashAlg.SHA512, HashAlg.SHA512, 200, msg, sig), /pss/);
  rejected(cw.rsaPkcs1Verify(999, HashAlg.SHA256, msg, sig), /no such key/);
});

test('EC keys: off-curve, out of range, wrong length, compressed, empty', () => {
  const kp = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const x = jwk(kp.publicKey, 'x');
  const y = jwk(kp.publicKey, 'y');
  assert.ok(cw.ecKey(EcCurve.P256, new Uint8Array([4, ...x, ...y])).ok);
  rejected(cw.ecKey(EcCurve.P256, new Uint8Array([4, ...x, ...y.map((b, i) => (i === 31 ? b ^ 1 : b))])), /not on the curve/);
  rejected(cw.ecKey(EcCurve.P256, new Uint8Array([4, ...new Uint8Array(32).fill(0xff), ...y])), /below the field prime/);
  rejected(cw.ecKey(EcCurve.P256, new Uint8Array([4, ...new Uint8Array(64)])), /not on the curve/);
  rejected(cw.ecKey(EcCurve.P256, new Uint8Array([4, ...x, ...y, 0])), /wrong length/);
  rejected(cw.ecKey(EcCurve.P384, new Uint8Array([4, ...x, ...y])), /wrong length/);
  rejected(cw.ecKey(EcCurve.P256, new Uint8Array([2, ...x])), /uncompressed/);
  rejected(cw.ecKey(EcCurve.P256, new Uint8Array(0)), /empty/);
});

test('ECDSA signatures: lengths, r/s range, non-canonical DER', () => {
  const kp = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const key = cw.ecKey(EcCurve.P256, new Uint8Array([4, ...jwk(kp.publicKey, 'x'), ...jwk(kp.publicKey, 'y')]));
  const msg = new Uint8Array([9]);
  const sig = new Uint8Array(sign('sha256', msg, { key: kp.privateKey, dsaEncoding: 'ieee-p1363' }));
  assert.ok(cw.ecdsaVerify(key.handle, HashAlg.SHA256, false, msg, sig).ok);
  rejected(cw.ecdsaVerify(key.handle, HashAlg.SHA256, false, msg, sig.subarray(1)), /length/);
  rejected(cw.ecdsaVerify(key.handle, HashAlg.SHA256, false, msg, new Uint8Array(64)), /r out of range/);
  const n = Buffer.from('ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551', 'hex');
  rejected(cw.ecdsaVerify(key.handle, HashAlg.SHA256, false, msg, new Uint8Array([...sig.subarray(0, 32), ...n])), /s out of range/);
  rejected(cw.ecdsaVerify(key.handle, HashAlg.SHA256, true, msg, new Uint8Array(0)), /too short/);
  rejected(cw.ecdsaVerify(key.handle, HashAlg.SHA256, true, msg, sig), /SEQUENCE/);
  const derSig = new Uint8Array(sign('sha256', msg, kp.privateKey));
  assert.ok(cw.ecdsaVerify(key.handle, HashAlg.SHA256, true, msg, derSig).ok);
  rejected(cw.ecdsaVerify(key.handle, HashAlg.SHA256, true, msg, new Uint8Array([...derSig, 0])), /length/);
  const longForm = new Uint8Array([0x30, 0x81, derSig[1], ...derSig.subarray(2)]);
  rejected(cw.ecdsaVerify(key.handle, HashAlg.SHA256, true, msg, longForm), /minimal/);
  rejected(cw.ecdsaVerify(key.handle, HashAlg.SHA256, true, msg, new Uint8Array([0x30, 6, 2, 1, 0xff, 2, 1, 1])), /INTEGER r/);
});

test('Ed25519: bad key and signature shapes, S >= L', () => {
  rejected(cw.edKey(new Uint8Array(31)), /32 bytes/);
  rejected(cw.edKey(new Uint8Array(32).fill(0xff)), /not a valid point/);
  const kp = generateKeyPairSync('ed25519');
  const pub = new Uint8Array(kp.publicKey.export({ format: 'der', type: 'spki' })).slice(-32);
  const key = cw.edKey(pub);
  const msg = new Uint8Array([1]);
  const sig = new Uint8Array(sign(null, msg, kp.privateKey));
  assert.ok(cw.ed25519Verify(key.handle, msg, sig).ok);
  rejected(cw.ed25519Verify(key.handle, msg, sig.subarray(1)), /64 bytes/);
  const big = Uint8Array.from(sig);
  big.fill(0xff, 32);
  rejected(cw.ed25519Verify(key.handle, msg, big), /S is not below/);
  rejected(cw.ed25519Verify(key.handle, new Uint8Array([2]), sig), /mismatch/);
});

test('AES-GCM, HKDF, HMAC, random: bad lengths', () => {
  rejected(cw.gcmKey(new Uint8Array(20)), /16, 24 or 32/);
  const k = cw.gcmKey(new Uint8Array(32));
  rejected(cw.gcmSeal(k.handle, new Uint8Array(0), new Uint8Array(0), new Uint8Array(5)), /empty IV/);
  rejected(cw.gcmOpen(k.handle, new Uint8Array(12), new Uint8Array(0), new Uint8Array(15)), /shorter than the tag/);
  rejected(cw.gcmOpen(k.handle, new Uint8Array(12), new Uint8Array(0), new Uint8Array(40)), /tag mismatch/);
  rejected(cw.gcmSeal(k.handle, new Uint8Array(5000), new Uint8Array(0), new Uint8Array(1)), /IV too long/);
  rejected(cw.hkdf(HashAlg.SHA256, new Uint8Array(0), new Uint8Array(1), new Uint8Array(0), 255 * 32 + 1), /length/);
  rejected(cw.hkdf(HashAlg.SHA256, new Uint8Array(0), new Uint8Array(1), new Uint8Array(0), -1), /length/);
  rejected(cw.hmacVerify(HashAlg.SHA256, new Uint8Array(1), new Uint8Array(1), new Uint8Array(33)), /longer/);
  rejected(cw.hmacVerify(HashAlg.SHA256, new Uint8Array(1), new Uint8Array(1), new Uint8Array(9)), /shorter/);
  rejected(cw.randomBytes(1 << 20), /out of range/);
  assert.equal(cw.randomBytes(32).value.length, 32);
  assert.equal(cw.constantTimeEqual(new Uint8Array([1, 2]), new Uint8Array([1, 2])), true);
  assert.equal(cw.constantTimeEqual(new Uint8Array([1, 2]), new Uint8Array([1, 3])), false);
  assert.equal(cw.constantTimeEqual(new Uint8Array([1]), new Uint8Array([1, 0])), false);
});

test('random garbage into every verifier: error values only, memory stays bounded', () => {
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const ec = generateKeyPairSync('ec', { namedCurve: 'P-384' });
  const ecPoint = new Uint8Array([4, ...jwk(ec.publicKey, 'x'), ...jwk(ec.publicKey, 'y')]);
  let peak = 0;
  for (let i = 0; i < 600; i++) {
    // Garbage keys that happen to be well-formed stay in the harness's key table: drop it each
    // round so only the library's own memory use is measured.
    cw.freeKeys();
    const rsaKey = cw.rsaKey(jwk(rsa.publicKey, 'n'), jwk(rsa.publicKey, 'e')).handle;
    const ecKey = cw.ecKey(EcCurve.P384, ecPoint).handle;
    const gcm = cw.gcmKey(new Uint8Array(16)).handle;
    const len = [0, 1, 63, 64, 96, 97, 255, 256, 257, 600][i % 10];
    const g = new Uint8Array(randomBytes(len));
    assert.equal(cw.rsaPkcs1Verify(rsaKey, HashAlg.SHA256, g, g).ok, false);
    assert.equal(cw.rsaPssVerify(rsaKey, HashAlg.SHA512, HashAlg.SHA256, i % 70, g, g).ok, false);
    assert.equal(cw.ecdsaVerify(ecKey, HashAlg.SHA384, i % 2 === 0, g, g).ok, false);
    cw.ecKey(EcCurve.P256, g);
    cw.edKey(g.subarray(0, 32));
    cw.rsaKey(g, g.subarray(0, 3));
    assert.equal(cw.gcmOpen(gcm, g.subarray(0, 12), g, g).ok, false);
    if (i === 100) peak = (cw.exports.memory as WebAssembly.Memory).buffer.byteLength;
  }
  const after = (cw.exports.memory as WebAssembly.Memory).buffer.byteLength;
  // After warm-up the incremental GC recycles garbage: no growth over the last 500 rounds.
  assert.ok(after <= peak + 2 * 65536, `memory grew from ${peak} to ${after}`);
});
