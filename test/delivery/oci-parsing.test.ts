// Parsers that see registry or user input: references, digests, auth challenges, Docker configs, tar layers
// and manifests. Hostile input must come back as an Error value (or undefined), never as a crash.
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { test } from 'node:test';
import { parseAuthChallenge } from '../../host/oci/auth-challenge.ts';
import { credentialsFromDockerConfig } from '../../host/oci/credentials.ts';
import { normalizeSha256 } from '../../host/oci/digest.ts';
import { extractWasm, parseManifest, pickFromIndex } from '../../host/oci/extract-wasm.ts';
import { buildImage } from '../../host/oci/image-builder.ts';
import { parseImageReference } from '../../host/oci/reference.ts';
import { findInTar, singleFileTar } from '../../host/oci/tar.ts';
import { testModule } from './lib/modules.ts';

test('image references: Istio defaults (no scheme = oci, no tag = latest), digests, and refusals', () => {
  assert.deepEqual(parseImageReference('oci://127.0.0.1:5000/a/b:v1'), { registry: '127.0.0.1:5000', repository: 'a/b', tag: 'v1', digest: undefined });
  assert.deepEqual(parseImageReference('ghcr.io/x/y'), { registry: 'ghcr.io', repository: 'x/y', tag: 'latest', digest: undefined });
  const d = `sha256:${'0'.repeat(64)}`;
  assert.deepEqual(parseImageReference(`oci://r:1/x@${d}`), { registry: 'r:1', repository: 'x', tag: undefined, digest: d });
  for (const bad of ['https://r/x:y', 'oci://r', 'oci:///x', 'oci://r/X:y', 'oci://r/x:bad tag', 'oci://r/x@sha256:12', 'oci://r/x/:t', 'oci://r:port/x']) {
    assert.ok(parseImageReference(bad) instanceof Error, bad);
  }
});

test('sha256 normalisation accepts prefix and upper case, refuses anything else', () => {
  assert.equal(normalizeSha256(`SHA256:${'AB'.repeat(32)}`), 'ab'.repeat(32));
  for (const bad of ['', 'ab', 'g'.repeat(64), `${'a'.repeat(64)}0`, 'md5:abc']) assert.ok(normalizeSha256(bad) instanceof Error, bad);
});

test('WWW-Authenticate challenges', () => {
  assert.deepEqual(parseAuthChallenge('Bearer realm="https://auth/token",service="reg",scope="repository:a:pull,push"'),
    { scheme: 'bearer', params: { realm: 'https://auth/token', service: 'reg', scope: 'repository:a:pull,push' } });
  assert.deepEqual(parseAuthChallenge('Basic realm="x"'), { scheme: 'basic', params: { realm: 'x' } });
  for (const bad of [null, '', 'Negotiate abc', 'Bearer service="x"', '"']) assert.ok(parseAuthChallenge(bad) instanceof Error, String(bad));
});

test('Docker config credentials, by host, from auth or username/password; junk gives undefined', () => {
  const auth = Buffer.from('u:p:with:colons').toString('base64');
  assert.deepEqual(credentialsFromDockerConfig({ auths: { 'https://reg:5000/v1/': { auth } } }, 'reg:5000'), { username: 'u', password: 'p:with:colons' });
  assert.deepEqual(credentialsFromDockerConfig({ auths: { reg: { username: 'a', password: 'b' } } }, 'reg'), { username: 'a', password: 'b' });
  for (const junk of [null, 1, 'x', [], { auths: 1 }, { auths: { reg: null } }, { auths: { reg: { auth: 'bm9jb2xvbg==' } } }, { auths: { reg: { auth: 5 } } }]) {
    assert.equal(credentialsFromDockerConfig(junk, 'reg'), undefined, JSON.stringify(junk));
  }
});

test('tar: what we write is what we find; truncated, bad or empty archives are errors or null', () => {
  const data = testModule(1000);
  const tar = singleFileTar('plugin.wasm', data);
  assert.equal(tar.length % 512, 0);
  assert.deepEqual(findInTar(tar, 'plugin.wasm'), data);
  assert.equal(findInTar(tar, 'other.wasm'), null);
  assert.ok(findInTar(tar.subarray(0, 700), 'plugin.wasm') instanceof Error, 'truncated entry');
  const badSize = new Uint8Array(tar);
  badSize.set(new TextEncoder().encode('9zz'), 124);
  assert.ok(findInTar(badSize, 'plugin.wasm') instanceof Error, 'bad octal size');
  assert.equal(findInTar(new Uint8Array(0), 'plugin.wasm'), null);
  assert.equal(findInTar(new Uint8Array(100), 'plugin.wasm'), null);
  // A nested path counts by base name, as in Istio.
  assert.deepEqual(findInTar(singleFileTar('a/b/plugin.wasm', data), 'plugin.wasm'), data);
});

test('manifests: wrong media types, missing layers and junk are refused with a reason', async () => {
  const enc = (v: unknown) => new TextEncoder().encode(JSON.stringify(v));
  assert.match((parseManifest(enc({ mediaType: 'application/foo', layers: [] }), '') as Error).message, /unsupported manifest media type/);
  assert.match((parseManifest(new TextEncoder().encode('{'), '') as Error).message, /not JSON/);
  assert.match((parseManifest(enc({ mediaType: 'application/vnd.oci.image.manifest.v1+json', layers: [{ digest: 'x' }] }), '') as Error).message, /no valid layers/);
  assert.ok(pickFromIndex(enc({ manifests: [] })) instanceof Error);
  assert.ok(pickFromIndex(new TextEncoder().encode('[')) instanceof Error);

  const wasm = testModule(10);
  const noBlobs = () => Promise.reject(new Error('must not download'));
  const single = { mediaType: 'application/vnd.oci.image.manifest.v1+json', layers: [{ mediaType: 'application/wasm', digest: `sha256:${'1'.repeat(64)}` as const, size: 1 }] };
  await assert.rejects(extractWasm(single, noBlobs), /not an image layout Istio accepts \(layers: application\/wasm\)/);

  // A layer that is not gzip, and a tar without plugin.wasm, from a compat image.
  const image = buildImage(wasm, 'compat');
  const parsed = parseManifest(image.manifest, '');
  assert.ok(!(parsed instanceof Error));
  await assert.rejects(extractWasm(parsed, async () => new Uint8Array([1, 2, 3])), /not valid gzip/);
  await assert.rejects(extractWasm(parsed, async () => gzipSync(singleFileTar('other.wasm', wasm))), /has no plugin.wasm/);
  await assert.rejects(extractWasm(parsed, async () => gzipSync(singleFileTar('plugin.wasm', new TextEncoder().encode('not wasm')))), /not a Wasm module/);
});
