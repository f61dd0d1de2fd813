// The Wasm hashes, HMAC, HKDF and AES-GCM agree with Node's OpenSSL on lengths around every
// block boundary (where padding and buffering bugs live).
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { createCipheriv, createHash, createHmac, hkdfSync } from 'node:crypto';
import { CryptoWasm, HashAlg } from '../wycheproof/crypto-wasm.ts';

let cw: CryptoWasm;
before(async () => {
  cw = await CryptoWasm.load();
});

const lengths = [0, 1, 31, 32, 55, 56, 57, 63, 64, 65, 111, 112, 113, 127, 128, 129, 200, 1000, 4097];
const algs = [[HashAlg.SHA256, 'sha256'], [HashAlg.SHA384, 'sha384'], [HashAlg.SHA512, 'sha512']] as const;
const data = (n: number): Uint8Array => new Uint8Array(n).map((_, i) => (i * 131 + 7) & 255);
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

test('SHA-256/384/512 and HMAC match node at block boundaries', () => {
  for (const n of lengths) {
    const d = data(n);
    for (const [alg, name] of algs) {
      assert.equal(hex(cw.hash(alg, d)), createHash(name).update(d).digest('hex'), `${name} ${n}`);
      const key = d.subarray(0, n % 150); // covers empty, short, block-sized and over-block keys
      assert.equal(hex(cw.hmac(alg, key, d)), createHmac(name, key).update(d).digest('hex'), `hmac ${name} ${n}`);
    }
  }
});

test('HKDF matches node', () => {
  for (const [alg, name] of algs) {
    for (const len of [0, 1, 32, 100, 255 * 32]) {
      const r = cw.hkdf(alg, data(13), data(22), data(10), len);
      assert.ok(r.ok, r.reason);
      assert.equal(hex(r.value), Buffer.from(hkdfSync(name, data(22), data(13), data(10), len)).toString('hex'));
    }
  }
});

test('AES-GCM seal matches node and open round-trips, for every key size and odd lengths', () => {
  for (const keyLen of [16, 24, 32]) {
    const key = data(keyLen);
    const h = cw.gcmKey(key).handle;
    for (const n of [0, 1, 15, 16, 17, 100, 4096]) {
      for (const ivLen of [12, 8, 16, 60]) {
        const iv = data(ivLen).reverse();
        const aad = data(n % 37);
        const pt = data(n);
        const c = createCipheriv(`aes-${keyLen * 8}-gcm` as 'aes-256-gcm', key, iv);
        c.setAAD(aad);
        const expected = Buffer.concat([c.update(pt), c.final(), c.getAuthTag()]);
        const sealed = cw.gcmSeal(h, iv, aad, pt);
        assert.ok(sealed.ok, sealed.reason);
        assert.equal(hex(sealed.value), expected.toString('hex'), `key ${keyLen} n ${n} iv ${ivLen}`);
        const opened = cw.gcmOpen(h, iv, aad, sealed.value);
        assert.ok(opened.ok, opened.reason);
        assert.equal(hex(opened.value), hex(pt));
      }
    }
  }
});
