// jwt-auth's `verifyWith`: signatures checked through the host's `verify_signature` foreign function
// (RS256/384/512, ES256/384) or by the Wasm crypto give the same answers; which path ran is seen by
// counting the host's calls (a platform whose verifier counts, around node's).
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { test } from 'node:test';
import type { SignatureVerifier } from '../../host/core/foreign-verify-signature.ts';
import { nodePlatform } from '../../host/node/platform.ts';
import { nodeSignatureVerifier } from '../../host/node/signature-crypto.ts';
import { runSingleRequest } from '../../host/node/single-request.ts';
import { jwks, makeKey, mint, type Alg } from './jwt-auth-keys.ts';

const wasm = new URL('../../dist/jwt-auth.wasm', import.meta.url).pathname;
const skip = existsSync(wasm) ? false : 'dist/jwt-auth.wasm is not built (npm run build:plugin -- jwt-auth)';
const ISS = 'https://issuer.example.com';
type Mode = 'wasm' | 'host' | 'auto';

/** A verifier that counts calls and answers with `answer` (default: node's, as Envoy would). */
function counting(answer?: ReturnType<SignatureVerifier['verify']>): SignatureVerifier & { calls: number } {
  const v = {
    calls: 0,
    verify(...a: Parameters<SignatureVerifier['verify']>) {
      v.calls++;
      return answer ?? nodeSignatureVerifier.verify(...a);
    },
  };
  return v;
}

interface Run { status: number; body: string; calls: number }

async function run(config: object, token: string, verifier: SignatureVerifier & { calls: number } | null, repeat = 1): Promise<Run> {
  const platform = { ...nodePlatform(), signatures: verifier ?? undefined };
  const before = verifier?.calls ?? 0;
  const r = await runSingleRequest({
    plugins: [{ file: wasm, configuration: JSON.stringify(config) }],
    request: { path: '/api', headers: [['authorization', `Bearer ${token}`]] },
    upstream: { status: 200, body: 'ok' }, workers: 1, repeat, hostOptions: { platform },
  });
  return { status: r.response.status, body: r.response.body, calls: (verifier?.calls ?? 0) - before };
}

function tampered(token: string): string {
  const [h, p, sig] = token.split('.');
  const b = Buffer.from(sig, 'base64url');
  b[5] ^= 1;
  return `${h}.${p}.${b.toString('base64url')}`;
}

const HOST_ALGS: Alg[] = ['RS256', 'RS384', 'RS512', 'ES256', 'ES384'];
const WASM_ONLY: Alg[] = ['PS256', 'EdDSA', 'HS256'];

test('every algorithm answers the same through either path; only RS and ES reach the host', { skip }, async () => {
  for (const alg of [...HOST_ALGS, ...WASM_ONLY]) {
    const key = await makeKey(alg, 'k1');
    const good = await mint(key, { iss: ISS, sub: 'alice' });
    for (const [token, want] of [[good, { status: 200, body: 'ok' }], [tampered(good), { status: 401, body: 'Jwt verification fails' }]] as const) {
      for (const mode of ['wasm', 'host', 'auto'] as Mode[]) {
        const v = counting();
        const r = await run({ jwtRules: [{ issuer: ISS, jwks: jwks(key) }], verifyWith: mode }, token, v);
        assert.deepEqual({ status: r.status, body: r.body }, want, `${alg} ${mode}`);
        const viaHost = mode !== 'wasm' && HOST_ALGS.includes(alg);
        assert.equal(r.calls, viaHost ? 1 : 0, `${alg} ${mode}: host calls`);
      }
    }
  }
});

test('auto is the default, and the host answer is the one used', { skip }, async () => {
  const key = await makeKey('RS256', 'k1');
  const good = await mint(key, { iss: ISS, sub: 'alice' });
  const config = { jwtRules: [{ issuer: ISS, jwks: jwks(key) }] };
  assert.equal((await run(config, good, counting())).calls, 1);
  // A host that says "does not verify" is believed (this is what makes the path observable at all).
  assert.deepEqual(await run(config, good, counting('refused')), { status: 401, body: 'Jwt verification fails', calls: 1 });
  assert.deepEqual(await run({ ...config, verifyWith: 'wasm' }, good, counting('refused')), { status: 200, body: 'ok', calls: 0 });
});

test('a key the host will not import falls back to the Wasm check', { skip }, async () => {
  // Envoy's BoringSSL refuses e.g. RSA exponents above 33 bits that our Wasm crypto takes: the answer must
  // not change, so "Failed to initialize digest verify." means "check it here".
  for (const alg of ['RS256', 'ES256'] as Alg[]) {
    const key = await makeKey(alg, 'k1');
    const config = { jwtRules: [{ issuer: ISS, jwks: jwks(key) }], verifyWith: 'host' };
    const good = await mint(key, { iss: ISS, sub: 'alice' });
    assert.deepEqual(await run(config, good, counting('bad-key')), { status: 200, body: 'ok', calls: 1 }, alg);
    assert.deepEqual(await run(config, tampered(good), counting('bad-key')), { status: 401, body: 'Jwt verification fails', calls: 1 }, alg);
  }
});

test('without verify_signature: auto checks in Wasm, host refuses the configuration', { skip }, async () => {
  const key = await makeKey('ES256', 'k1');
  const good = await mint(key, { iss: ISS, sub: 'alice' });
  const config = { jwtRules: [{ issuer: ISS, jwks: jwks(key) }] };
  assert.deepEqual(await run({ ...config, verifyWith: 'auto' }, good, null), { status: 200, body: 'ok', calls: 0 });
  assert.deepEqual(await run({ ...config, verifyWith: 'auto' }, tampered(good), null), { status: 401, body: 'Jwt verification fails', calls: 0 });
  await assert.rejects(run({ ...config, verifyWith: 'host' }, good, null), /verifyWith: "host" needs the host's verify_signature foreign function/);
  await assert.rejects(run({ ...config, verifyWith: 'boringssl' }, good, counting()), /pluginConfig.verifyWith: must be "wasm", "host" or "auto"/);
});

test('a cached token is not checked again by the host', { skip }, async () => {
  const key = await makeKey('ES384', 'k1');
  const good = await mint(key, { iss: ISS, sub: 'alice' });
  const v = counting();
  assert.deepEqual(await run({ jwtRules: [{ issuer: ISS, jwks: jwks(key) }] }, good, v, 3), { status: 200, body: 'ok', calls: 1 });
});

test('several keys under no kid: each candidate goes to the host until one verifies', { skip }, async () => {
  const a = await makeKey('RS256', 'a');
  const b = await makeKey('RS256', 'b');
  const token = await mint(b, { iss: ISS, sub: 'alice' }, { kid: undefined });
  const config = { jwtRules: [{ issuer: ISS, jwks: jwks(a, b) }] };
  assert.deepEqual(await run(config, token, counting()), { status: 200, body: 'ok', calls: 2 });
  assert.deepEqual(await run(config, tampered(token), counting()), { status: 401, body: 'Jwt verification fails', calls: 2 });
});
