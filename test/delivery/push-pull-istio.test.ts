// Push every image layout to a real registry (Debian's docker-registry on 127.0.0.1) and pull it back with
// Istio's own fetcher (istio-fetch) and with `meshplug pull`: the module must come back byte for byte, a
// wrong sha256 must be refused, and a registry that is down or a tag that does not exist must fail clearly.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { sha256Hex } from '../../host/oci/digest.ts';
import { buildImage, IMAGE_FORMATS } from '../../host/oci/image-builder.ts';
import { pullModule } from '../../host/oci/pull-module.ts';
import { pushImage } from '../../host/oci/push-image.ts';
import { parseImageReference, type ImageReference } from '../../host/oci/reference.ts';
import { meshplug } from './lib/cli.ts';
import { freePort } from './lib/free-port.ts';
import { istioFetch } from './lib/istio-fetch.ts';
import { testModule } from './lib/modules.ts';
import { startRegistry, type TestRegistry } from './lib/registry.ts';

const work = mkdtempSync(join(tmpdir(), 'meshplug-delivery-'));
after(() => rmSync(work, { recursive: true, force: true }));

function ref(url: string): ImageReference {
  const r = parseImageReference(url);
  if (r instanceof Error) throw r;
  return r;
}

const WRONG = 'ab'.repeat(32);

function assertSameBytes(actual: Uint8Array, expected: Uint8Array): void {
  assert.equal(actual.length, expected.length, 'length');
  assert.ok(Buffer.from(actual).equals(Buffer.from(expected)), 'the module came back changed');
}

describe('open registry', () => {
  let registry: TestRegistry;
  before(async () => { registry = await startRegistry('none'); });
  after(async () => { await registry.stop(); });

  for (const format of IMAGE_FORMATS) {
    test(`${format}: pushed (chunked and monolithic) and fetched back by istio-fetch byte for byte`, async () => {
      const wasm = testModule(20_000, format.length);
      const url = `oci://${registry.host}/plugins/${format}:v1`;
      const image = buildImage(wasm, format, { rootIds: ['root'] });
      // 4 KiB chunks: the ~20 KB raw-module layer of `oci` and the config go up in different ways.
      const pushed = await pushImage(ref(url), image, { plainHttp: true, chunkSize: 4096 });
      assert.equal(pushed.manifestDigest, image.manifestDigest);
      if (format === 'oci') assert.ok(pushed.blobs.some((b) => b.outcome === 'chunked'), JSON.stringify(pushed.blobs));
      assert.ok(pushed.blobs.some((b) => b.outcome === 'monolithic'), JSON.stringify(pushed.blobs));

      const out = join(work, `${format}.wasm`);
      const fetched = await istioFetch(url, image.manifestDigest.slice(7), out);
      assert.equal(fetched.status, 0, fetched.stderr);
      assertSameBytes(new Uint8Array(readFileSync(out)), wasm);
      assert.equal(fetched.stdout.trim(), sha256Hex(wasm));

      const refused = await istioFetch(url, WRONG, join(work, `${format}-wrong.wasm`));
      assert.equal(refused.status, 1);
      assert.match(refused.stderr, /does not match/);

      const pulled = await pullModule(url, { plainHttp: true, expectedSha256: image.manifestDigest.slice(7) });
      assert.equal(pulled.layout, format);
      assertSameBytes(pulled.wasm, wasm);
      await assert.rejects(pullModule(url, { plainHttp: true, expectedSha256: WRONG }), /does not match the expected sha256/);

      const again = await pushImage(ref(url.replace(':v1', ':v2')), image, { plainHttp: true, chunkSize: 4096 });
      assert.ok(again.blobs.every((b) => b.outcome === 'exists'), 'a second push skips blobs already there');
    });
  }

  test('the same module always gives the same manifest digest', () => {
    const wasm = testModule(100);
    for (const format of IMAGE_FORMATS) assert.equal(buildImage(wasm, format).manifestDigest, buildImage(wasm, format).manifestDigest);
    assert.notEqual(buildImage(wasm, 'compat').manifestDigest, buildImage(wasm, 'docker').manifestDigest);
  });

  test('meshplug push and pull: digests printed, wrong sha256 refused, unknown tag and dead registry fail clearly', async () => {
    const file = join(work, 'cli.wasm');
    const wasm = testModule(3000, 9);
    writeFileSync(file, wasm);
    const url = `oci://${registry.host}/cli/hello:v1`;
    const push = await meshplug(['push', file, url, '--plain-http', '--format', 'docker']);
    assert.equal(push.status, 0, push.stderr);
    const digest = buildImage(wasm, 'docker').manifestDigest.slice(7);
    assert.match(push.stdout, new RegExp(`WasmPlugin sha256 for url ${url.replace(/[.:/]/g, '\\$&')} \\(image manifest digest\\): ${digest}`));
    assert.match(push.stdout, new RegExp(`sha256 of the module itself \\(for an https:// url\\): ${sha256Hex(wasm)}`));

    const out = join(work, 'cli-pulled.wasm');
    const pull = await meshplug(['pull', url, '-o', out, '--sha256', `sha256:${digest.toUpperCase()}`, '--plain-http']);
    assert.equal(pull.status, 0, pull.stderr);
    assertSameBytes(new Uint8Array(readFileSync(out)), wasm);

    const wrong = await meshplug(['pull', url, '-o', out, '--sha256', WRONG, '--plain-http']);
    assert.equal(wrong.status, 1);
    assert.match(wrong.stderr, new RegExp(`manifest digest ${digest}, which does not match the expected sha256 ${WRONG}`));

    const missing = await meshplug(['pull', `oci://${registry.host}/cli/hello:nope`, '-o', out, '--plain-http']);
    assert.equal(missing.status, 1);
    assert.match(missing.stderr, /cli\/hello:nope does not exist in the registry/);

    const port = await freePort();
    const down = await meshplug(['push', file, `oci://127.0.0.1:${port}/cli/hello:v1`, '--plain-http']);
    assert.equal(down.status, 1);
    assert.match(down.stderr, new RegExp(`cannot reach registry 127.0.0.1:${port} over http: ECONNREFUSED`));

    const tls = await meshplug(['pull', url, '-o', out]);
    assert.equal(tls.status, 1);
    assert.match(tls.stderr, /speak plain HTTP: add --plain-http/);

    const notWasm = join(work, 'not.wasm');
    writeFileSync(notWasm, 'hello');
    const bad = await meshplug(['push', notWasm, url, '--plain-http']);
    assert.equal(bad.status, 1);
    assert.match(bad.stderr, /not a Wasm module/);
  });
});

for (const auth of ['basic', 'bearer'] as const) {
  describe(`registry with ${auth} auth`, () => {
    let registry: TestRegistry;
    let dockerConfig: string;
    before(async () => {
      registry = await startRegistry(auth);
      dockerConfig = mkdtempSync(join(work, 'docker-'));
      const token = Buffer.from(`${registry.user}:${registry.password}`).toString('base64');
      writeFileSync(join(dockerConfig, 'config.json'), JSON.stringify({ auths: { [registry.host]: { auth: token } } }));
    });
    after(async () => { await registry.stop(); });

    test('push with --username/--password-stdin, pull with Docker config, istio-fetch agrees', async (t) => {
      const file = join(work, `${auth}.wasm`);
      const wasm = testModule(5000, auth.length);
      writeFileSync(file, wasm);
      const url = `oci://${registry.host}/secure/hello:v1`;
      const ok = await meshplug(['push', file, url, '--plain-http', '--format', 'oci', '--chunk-size', '1024', '--json', '--username', registry.user, '--password-stdin'],
        { stdin: `${registry.password}\n` });
      assert.equal(ok.status, 0, ok.stderr);
      const digest = (JSON.parse(ok.stdout) as { wasmPluginSha256: string }).wasmPluginSha256;
      if (auth === 'bearer') assert.ok(registry.token!.issued() > 0, 'the registry handed out bearer tokens');

      const fetched = await istioFetch(url, digest, join(work, `${auth}-fetched.wasm`), dockerConfig);
      assert.equal(fetched.status, 0, fetched.stderr);
      assertSameBytes(new Uint8Array(readFileSync(join(work, `${auth}-fetched.wasm`))), wasm);

      const out = join(work, `${auth}-pulled.wasm`);
      const pull = await meshplug(['pull', url, '-o', out, '--sha256', digest, '--plain-http'], { env: { DOCKER_CONFIG: dockerConfig } });
      assert.equal(pull.status, 0, pull.stderr);
      assertSameBytes(new Uint8Array(readFileSync(out)), wasm);
    });

    test('wrong password and no credentials are refused with a clear message', async () => {
      const file = join(work, `${auth}-2.wasm`);
      writeFileSync(file, testModule(10));
      const url = `oci://${registry.host}/secure/other:v1`;
      const wrong = await meshplug(['push', file, url, '--plain-http', '--username', registry.user, '--password-stdin'], { stdin: 'not-it' });
      assert.equal(wrong.status, 1);
      assert.match(wrong.stderr, new RegExp(`registry ${registry.host} refused the credentials of user '${registry.user}'`));
      const anonymous = await meshplug(['pull', url, '-o', join(work, 'x.wasm'), '--plain-http'], { env: { DOCKER_CONFIG: join(work, 'nowhere') } });
      assert.equal(anonymous.status, 1);
      assert.match(anonymous.stderr, /refused anonymous access/);
    });
  });
}
