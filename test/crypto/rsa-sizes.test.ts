// RSA verification across modulus sizes and public exponents: the modexp works on 28-bit limbs (with
// SIMD), so every size lands its top bits differently in the top limb; these check valid PKCS#1 v1.5
// and PSS signatures verify, and altered ones are refused for the right reason, at each.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { constants, generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import { CryptoWasm, HashAlg } from '../wycheproof/crypto-wasm.ts';

let cw: CryptoWasm;
before(async () => {
  cw = await CryptoWasm.load();
});

const jwk = (k: { export(o: { format: 'jwk' }): unknown }, f: string): Uint8Array =>
  new Uint8Array(Buffer.from((k.export({ format: 'jwk' }) as Record<string, string>)[f], 'base64url'));

// 2048 + 24 = 2072 = 74 * 28 bits: the sizes around it fill the top 28-bit limb differently.
const cases: [number, number][] = [
  [2048, 65537], [2049, 65537], [2070, 65537], [2071, 3], [2072, 65537], [2073, 65537], [2100, 17],
  [3072, 65537], [3358, 65537], [3359, 65537], [4095, 65537], [4096, 3], [4096, 65537],
];

for (const [bits, e] of cases) {
  test(`RSA ${bits}-bit modulus, e = ${e}`, () => {
    const kp = generateKeyPairSync('rsa', { modulusLength: bits, publicExponent: e });
    const n = jwk(kp.publicKey, 'n');
    const key = cw.rsaKey(n, jwk(kp.publicKey, 'e'));
    assert.ok(key.ok, key.reason);
    for (let i = 0; i < 4; i++) {
      const msg = randomBytes(1 + i * 50);
      const sig = new Uint8Array(sign('sha256', msg, kp.privateKey));
      assert.ok(cw.rsaPkcs1Verify(key.handle, HashAlg.SHA256, msg, sig).ok, 'PKCS#1 v1.5 signature');
      const pss = new Uint8Array(sign('sha256', msg, { key: kp.privateKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 }));
      assert.ok(cw.rsaPssVerify(key.handle, HashAlg.SHA256, HashAlg.SHA256, 32, msg, pss).ok, 'PSS signature');
      const bad = sig.slice();
      bad[bad.length - 1 - i] ^= 1 << i;
      assert.match(cw.rsaPkcs1Verify(key.handle, HashAlg.SHA256, msg, bad).reason, /encoding mismatch/);
      assert.equal(cw.rsaPssVerify(key.handle, HashAlg.SHA256, HashAlg.SHA256, 32, msg, bad).ok, false);
    }
    // Representatives at the edges of the range: 0, 1 and n - 1 are computed (and refused), n is out of range.
    const len = n.length;
    const nMinus1 = n.slice();
    nMinus1[len - 1] -= 1; // n is odd
    const one = new Uint8Array(len);
    one[len - 1] = 1;
    for (const s of [new Uint8Array(len), one, nMinus1]) {
      assert.match(cw.rsaPkcs1Verify(key.handle, HashAlg.SHA256, new Uint8Array(1), s).reason, /encoding mismatch/);
    }
    assert.match(cw.rsaPkcs1Verify(key.handle, HashAlg.SHA256, new Uint8Array(1), n).reason, /out of range/);
  });
}
