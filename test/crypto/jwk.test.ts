// JWK / JWKS parsing in Wasm: keys exported by Node load and verify Node's signatures; malformed
// and unsupported keys come back with a reason.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { CryptoWasm, HashAlg } from '../wycheproof/crypto-wasm.ts';

let cw: CryptoWasm;
before(async () => {
  cw = await CryptoWasm.load();
});

const asJwk = (k: KeyObject): Record<string, string> => k.export({ format: 'jwk' }) as Record<string, string>;
const msg = new TextEncoder().encode('header.payload');

test('RSA, EC (P-256, P-384) and OKP JWKs from Node verify Node signatures', () => {
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const r = cw.jwk(JSON.stringify({ ...asJwk(rsa.publicKey), alg: 'RS256', kid: 'r1', use: 'sig' }));
  assert.ok(r.ok, r.reason);
  assert.ok(cw.rsaPkcs1Verify(r.handle, HashAlg.SHA256, msg, new Uint8Array(sign('sha256', msg, rsa.privateKey))).ok);

  for (const [crv, hash, alg] of [['P-256', 'sha256', HashAlg.SHA256], ['P-384', 'sha384', HashAlg.SHA384]] as const) {
    const ec = generateKeyPairSync('ec', { namedCurve: crv });
    const k = cw.jwk(JSON.stringify(asJwk(ec.publicKey)));
    assert.ok(k.ok, k.reason);
    const sig = new Uint8Array(sign(hash, msg, { key: ec.privateKey, dsaEncoding: 'ieee-p1363' }));
    assert.ok(cw.ecdsaVerify(k.handle, alg, false, msg, sig).ok, crv);
  }

  const ed = generateKeyPairSync('ed25519');
  const e = cw.jwk(JSON.stringify(asJwk(ed.publicKey)));
  assert.ok(e.ok, e.reason);
  assert.ok(cw.ed25519Verify(e.handle, msg, new Uint8Array(sign(null, msg, ed.privateKey))).ok);
  // A private JWK loads as its public part; private members are ignored.
  assert.ok(cw.jwk(JSON.stringify(asJwk(ed.privateKey))).ok);
});

test('oct JWK yields the secret', () => {
  const k = cw.jwk('{"kty":"oct","k":"AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow","alg":"HS256"}');
  assert.ok(k.ok, k.reason);
  assert.equal(cw.output().length, 64);
});

test('malformed and unsupported JWKs are rejected with a reason', () => {
  const ec = asJwk(generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey);
  const cases: [string, RegExp][] = [
    ['not json', /invalid JSON/],
    ['[]', /not a JSON object/],
    ['{}', /"kty"/],
    ['{"kty":1}', /"kty"/],
    ['{"kty":"RSA","e":"AQAB"}', /missing "n"/],
    ['{"kty":"RSA","n":"a+b/","e":"AQAB"}', /base64url/],
    ['{"kty":"RSA","n":"AQAB","e":"AQAB"}', /smaller than 2048/],
    ['{"kty":"oct","k":""}', /empty/],
    ['{"kty":"oct","k":"AAAA","alg":"RS256"}', /does not fit/],
    ['{"kty":"oct","k":"AAAA","alg":"none"}', /unsupported "alg"/],
    ['{"kty":"OKP","crv":"X25519","x":"AAAA"}', /unsupported OKP curve/],
    ['{"kty":"OKP","crv":"Ed25519","x":"AAAA"}', /32 bytes/],
    ['{"kty":"EC","crv":"P-521","x":"AA","y":"AA"}', /unsupported EC curve/],
    ['{"kty":"XYZ"}', /unsupported "kty"/],
    ['{"kty":"oct","k":"AAAA","kid":5}', /must be strings/],
    ['{"kty":"oct","k":"AAAA","k":"BBBB"}', /invalid JSON/],
    [JSON.stringify({ ...ec, alg: 'ES384' }), /does not match curve/],
    [JSON.stringify({ ...ec, x: ec.x.slice(4) }), /coordinate length/],
    [JSON.stringify({ ...ec, y: ec.x }), /not on the curve/],
  ];
  for (const [json, reason] of cases) {
    const r = cw.jwk(json);
    assert.equal(r.ok, false, json);
    assert.match(r.reason, reason, json);
  }
});

test('JWKS keeps usable keys and lists skipped ones; refuses oversized sets', () => {
  const ed = asJwk(generateKeyPairSync('ed25519').publicKey);
  const set = { keys: [ed, { kty: 'EC', crv: 'P-521', x: 'AA', y: 'AA' }, { kty: 'oct', k: 'c2VjcmV0' }] };
  const r = cw.jwks(JSON.stringify(set));
  assert.ok(r.ok, r.reason);
  assert.equal(r.count, 2);
  assert.deepEqual(r.skipped, ['1: jwk: unsupported EC curve P-521']);
  assert.match(cw.jwks('{"keys":{}}').reason, /"keys" array/);
  assert.match(cw.jwks(JSON.stringify({ keys: Array(65).fill(ed) })).reason, /more than 64/);
});
