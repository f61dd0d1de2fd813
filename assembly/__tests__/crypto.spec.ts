// Known-answer tests for assembly/crypto (FIPS 180-4, RFC 4231, RFC 5869, RFC 8032, GCM spec
// test cases), plus error values for malformed input. Compiled without SIMD, so this also
// covers the scalar Montgomery path.
import {
  rsaPkcs1Verify, rsaPssVerify,
  HashAlg, sha256, sha384, sha512, hmac, hmacVerify, hkdf, constantTimeEqual, randomBytes,
  ed25519PublicKey, ed25519Verify, AesGcm, rsaPublicKeyFromBytes, ecPublicKeyFromCoordinates, EcCurveId,
} from '../crypto/index';

function hex(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i++) s += (<u32>b[i]).toString(16).padStart(2, '0');
  return s;
}

function unhex(s: string): Uint8Array {
  const out = new Uint8Array(s.length >> 1);
  for (let i = 0; i < out.length; i++) out[i] = <u8>I32.parseInt(s.substr(2 * i, 2), 16);
  return out;
}

function ascii(s: string): Uint8Array {
  return Uint8Array.wrap(String.UTF8.encode(s));
}

describe('SHA-2', () => {
  it('hashes "abc"', () => {
    expect(hex(sha256(ascii('abc')))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(hex(sha384(ascii('abc')))).toBe(
      'cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7',
    );
    expect(hex(sha512(ascii('abc')))).toBe(
      'ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f',
    );
  });
  it('hashes the empty string', () => {
    expect(hex(sha256(new Uint8Array(0)))).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });
});

// Module-level (as-pect callbacks cannot close over describe-scoped locals).
const key = ascii('Jefe');
const msg = ascii('what do ya want for nothing?');

describe('HMAC (RFC 4231 case 2)', () => {
  it('computes tags', () => {
    expect(hex(hmac(HashAlg.SHA256, key, msg))).toBe('5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843');
    expect(hex(hmac(HashAlg.SHA384, key, msg))).toBe(
      'af45d2e376484031617f78d2b58a6b1b9c7ef464f5a01b47e42ec3736322445e8e2240ca5e69e2c78b3239ecfab21649',
    );
    expect(hex(hmac(HashAlg.SHA512, key, msg))).toBe(
      '164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea2505549758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737',
    );
  });
  it('verifies full and truncated tags, rejects wrong ones with a reason', () => {
    const tag = hmac(HashAlg.SHA256, key, msg);
    expect(hmacVerify(HashAlg.SHA256, key, msg, tag).ok).toBe(true);
    expect(hmacVerify(HashAlg.SHA256, key, msg, tag.subarray(0, 16)).ok).toBe(true);
    tag[5] ^= 1;
    const v = hmacVerify(HashAlg.SHA256, key, msg, tag);
    expect(v.ok).toBe(false);
    expect(v.reason).toBe('hmac: tag mismatch');
  });
});

describe('HKDF (RFC 5869 case 1)', () => {
  it('derives the expected OKM', () => {
    const ikm = new Uint8Array(22).fill(0x0b);
    const r = hkdf(HashAlg.SHA256, unhex('000102030405060708090a0b0c'), ikm, unhex('f0f1f2f3f4f5f6f7f8f9'), 42);
    expect(r.ok).toBe(true);
    expect(hex(r.value)).toBe('3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865');
  });
  it('refuses lengths over 255 * HashLen', () => {
    expect(hkdf(HashAlg.SHA256, new Uint8Array(0), new Uint8Array(1), new Uint8Array(0), 255 * 32 + 1).ok).toBe(false);
  });
});

describe('constant-time compare and random bytes', () => {
  it('compares', () => {
    expect(constantTimeEqual(ascii('abc'), ascii('abc'))).toBe(true);
    expect(constantTimeEqual(ascii('abc'), ascii('abd'))).toBe(false);
    expect(constantTimeEqual(ascii('abc'), ascii('ab'))).toBe(false);
  });
  // Drawing real bytes is covered by test/crypto/bad-input.test.ts: as-pect.config.js's random_get
  // currently reads `instance.exports` from a Promise, so the host call cannot be exercised here.
  it('refuses random lengths out of range without calling the host', () => {
    expect(randomBytes(-1).ok).toBe(false);
    expect(randomBytes(1 << 17).reason).toBe('random: length out of range');
    expect(randomBytes(0).ok).toBe(true);
  });
});

const pk = unhex('d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a');
const sig = unhex(
  'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b',
);

describe('Ed25519 (RFC 8032 test 1)', () => {
  it('verifies the RFC signature and rejects a changed one', () => {
    const k = ed25519PublicKey(pk);
    expect(k.ok).toBe(true);
    expect(ed25519Verify(k.key!, new Uint8Array(0), sig).ok).toBe(true);
    sig[10] ^= 1;
    expect(ed25519Verify(k.key!, new Uint8Array(0), sig).ok).toBe(false);
  });
  it('rejects malformed keys with a reason', () => {
    const r = ed25519PublicKey(new Uint8Array(31));
    expect(r.ok).toBe(false);
    expect(r.reason).toBe('ed25519: public key must be 32 bytes');
  });
});

describe('AES-256-GCM (GCM spec test cases 13 and 14)', () => {
  it('seals and opens', () => {
    const g = AesGcm.create(new Uint8Array(32)).key!;
    const iv = new Uint8Array(12);
    expect(hex(g.seal(iv, new Uint8Array(0), new Uint8Array(0)).value)).toBe('530f8afbc74536b9a963b4f1c4cb738b');
    const sealed = g.seal(iv, new Uint8Array(0), new Uint8Array(16)).value;
    expect(hex(sealed)).toBe('cea7403d4d606b6e074ec5d3baf39d18d0d1c8a799996bf0265b98b5d48ab919');
    const opened = g.open(iv, new Uint8Array(0), sealed);
    expect(opened.ok).toBe(true);
    expect(hex(opened.value)).toBe('00000000000000000000000000000000');
    sealed[0] ^= 1;
    expect(g.open(iv, new Uint8Array(0), sealed).reason).toBe('aes-gcm: authentication tag mismatch');
  });
  it('refuses bad key sizes', () => {
    expect(AesGcm.create(new Uint8Array(17)).ok).toBe(false);
  });
});

describe('key validation', () => {
  it('rejects a 1024-bit RSA modulus', () => {
    const n = new Uint8Array(128).fill(0xff);
    const r = rsaPublicKeyFromBytes(n, unhex('010001'));
    expect(r.ok).toBe(false);
    expect(r.reason).toBe('rsa: modulus smaller than 2048 bits');
  });
  it('rejects a point off P-256', () => {
    const r = ecPublicKeyFromCoordinates(EcCurveId.P256, new Uint8Array(32), new Uint8Array(32));
    expect(r.ok).toBe(false);
    expect(r.reason).toBe('ec: point is not on the curve');
  });
});

// A 2048-bit key and signatures over "meshplug" made once with Node's crypto (PKCS#1 v1.5 and PSS
// with a 32-byte salt). as-pect builds without SIMD, so this runs the scalar Montgomery loop.
const RSA_N = unhex(
    'c26e4c90d81f739515fb70570aca0a759bfc34251759b25cbc6897606c5ae27182ac08298e97bf8097e2c60797c58c94' +
    '339c5f692b2eb94a28bae49774809dbce4999f0882c46d62ab8eab95a67e3b08b3c7453a3712f1634ad24650aec0e3c6' +
    'ac50c0e486e65090fe324ccadf63295227bcf4080b24a1d7473bd5b44bb64bbf370b9af8fecee36a2b36763240e4fba1' +
    '8c77ef173b0ac5b031b39da9e2329a8484a868658ee728d7a976eb2559be9e6a6c597f589b3bf5b7df5af95806a43f42' +
    '9bebd74dc4e81c2b3aa3177e773473077ec58c46a0a1d8b44986958d78e0a33de358b8ff253bffa354c255c009f18cd6' +
    'f97f2617f2376f4afae419a0adba09d5',
);
const RSA_PKCS1_SIG = unhex(
    '8de279012e2b9abedf210136a83e5719072a05478764725f321e2d49547a3a1179c38748a4735c8a8b6ef811fc2ee9a9' +
    '854f3f9f88e14aed04eb4353ae2186997507e22911e3fe047c7c8851de81c1eeabe4e1a5bd79b809ccbcc4905dc022d0' +
    'be39f77094014bea1e9f2ff5cbbc6a3cb1197c72b65b181448ac5bc61c9b154a1a00cc1a2754eaea480b8772bbfe54d2' +
    '0af0b0d2467f52923267daab3457397f28249666241c7d8539ecf89e722061550e29b392ef388bed4f9ab21135795338' +
    '8e00ea6e34b489d76bd87ea1f12fb03eb1479c652189c4d909ecf5f8e3de99d712062e21dedd1a314fb8db9494148075' +
    'ed5b42dbfadb8a6ab75e416a0c735c1f',
);
const RSA_PSS_SIG = unhex(
    '8f4dad9f652fefe988ca7c60c090ee7e9bb10c8553b81c47b1217d5efd734be7ca29af4208431d0d1b4bea30d48d4f0f' +
    'c5c6081527f0a1f5bda7b064c83bb6045801a3f6638229ca8117d15a13bb12bcb36635b5c5fe0e40ab171e7515bee4f4' +
    '1f42035a64836a93ae9b85b7aa60ecb3c473926471a6ecdc63d0a89a9871d344a46cdc8da1b4f870d46147d15863a06b' +
    '294550f3e2d7abdaa367b9cb2be09e36375bd6c91f87def261af5d7bb3b9f9dabfb8ce7c3b0a9f6f2acdf04252f876d1' +
    'b3479b7b923ab15dd61704618b2e2b2a9137f218434817e84dc05a6087669a4e73dfd2f5450e989959d4fd398d364403' +
    '4c83896735007825b162140aa9aa428b',
);

describe('RSA without SIMD', () => {
  it('verifies PKCS#1 v1.5 and PSS signatures and rejects a changed message', () => {
    const k = rsaPublicKeyFromBytes(RSA_N, unhex('010001'));
    expect(k.ok).toBe(true);
    const msg = ascii('meshplug');
    expect(rsaPkcs1Verify(k.key!, HashAlg.SHA256, msg, RSA_PKCS1_SIG).ok).toBe(true);
    expect(rsaPssVerify(k.key!, HashAlg.SHA256, HashAlg.SHA256, 32, msg, RSA_PSS_SIG).ok).toBe(true);
    expect(rsaPkcs1Verify(k.key!, HashAlg.SHA256, ascii('meshplug!'), RSA_PKCS1_SIG).reason).toBe('rsa: PKCS#1 v1.5 encoding mismatch');
    expect(rsaPssVerify(k.key!, HashAlg.SHA256, HashAlg.SHA256, 32, ascii('x'), RSA_PSS_SIG).ok).toBe(false);
  });
});
