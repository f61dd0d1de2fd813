// `meshplug envoy --wasmplugin`: push a real plugin to the registry this test starts, write its WasmPlugin,
// run it in Envoy 1.40 and see the plugin act; a wrong sha256 refuses to start naming both digests; filter
// order, pull policy, pull secrets and https:// modules behave as in Istio.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { validateWasmPlugin } from '../../host/delivery/istio-validate.ts';
import { sha256Hex } from '../../host/oci/digest.ts';
import { meshplug } from './lib/cli.ts';
import { startMeshplugEnvoy } from './lib/envoy-cli.ts';
import { startRegistry, type TestRegistry } from './lib/registry.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const helloWasm = join(root, 'dist', 'hello.wasm');
const work = mkdtempSync(join(tmpdir(), 'meshplug-envoy-wp-'));
after(() => rmSync(work, { recursive: true, force: true }));

function wasmPlugin(name: string, spec: Record<string, unknown>, namespace = 'default'): string {
  return `apiVersion: extensions.istio.io/v1alpha1\nkind: WasmPlugin\nmetadata: {name: ${name}, namespace: ${namespace}}\nspec: ${JSON.stringify(spec)}\n`;
}

describe('meshplug envoy --wasmplugin', () => {
  let registry: TestRegistry;
  before(async () => {
    assert.ok(existsSync(helloWasm), 'dist/hello.wasm is missing: run npm run build:plugin');
    registry = await startRegistry('none');
  });
  after(async () => { await registry.stop(); });

  test('push → manifest → Envoy: the plugin acts on a request; a wrong sha256 refuses to start', async () => {
    const config = join(work, 'hello.json');
    writeFileSync(config, '{"header": "x-hello", "value": "from-wasmplugin"}');
    const manifest = join(work, 'hello.yaml');
    const url = `oci://${registry.host}/meshplug/hello:e2e`;
    const push = await meshplug(['push', helloWasm, url, '--plain-http', '--manifest', manifest, '--plugin', 'hello', '--config', config, '--phase', 'STATS']);
    assert.equal(push.status, 0, push.stderr);
    assert.deepEqual(validateWasmPlugin(parse(readFileSync(manifest, 'utf8'), { version: '1.1' })), [], 'push --manifest writes a resource Istio accepts');

    const cache = join(work, 'cache');
    const envoy = await startMeshplugEnvoy(['--wasmplugin', manifest, '--listen', '127.0.0.1:0', '--cache-dir', cache]);
    try {
      const res = await fetch(`${envoy.url}/some/path`);
      const echoed = (await res.json()) as { path: string; headers: [string, string][] };
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('x-powered-by'), 'meshplug');
      assert.equal(echoed.path, '/some/path');
      assert.deepEqual(echoed.headers.filter(([k]) => k === 'x-hello'), [['x-hello', 'from-wasmplugin']]);
    } finally {
      assert.equal(await envoy.stop(), 0, envoy.output());
    }

    const good = (parse(readFileSync(manifest, 'utf8')) as { spec: { sha256: string } }).spec.sha256;
    const wrong = 'cd'.repeat(32);
    const wrongFile = join(work, 'wrong.yaml');
    writeFileSync(wrongFile, readFileSync(manifest, 'utf8').replace(good, wrong));
    const refused = await meshplug(['envoy', '--wasmplugin', wrongFile, '--listen', '127.0.0.1:0', '--cache-dir', join(work, 'cache-2')]);
    assert.equal(refused.status, 1);
    assert.match(refused.stderr, new RegExp(`WasmPlugin default/hello refused: .*manifest digest ${good}, which does not match the expected sha256 ${wrong}`));
  });

  test('--dry-run: filters in Istio\'s phase/priority order, pluginConfig as sorted JSON, pluginName as root_id', async () => {
    const file = join(work, 'order.yaml');
    const url = `file://${helloWasm}`;
    writeFileSync(file, [
      wasmPlugin('stats-low', { url, phase: 'STATS', priority: 1 }),
      wasmPlugin('unspecified', { url }),
      wasmPlugin('authn', { url, phase: 'AUTHN', pluginConfig: { z: 1, a: { y: true, b: 'x' } }, pluginName: 'my_root', failStrategy: 'FAIL_OPEN' }),
      wasmPlugin('stats-unset', { url, phase: 'STATS' }),
      wasmPlugin('stats-high', { url, phase: 'STATS', priority: 10 }),
      wasmPlugin('authz', { url, phase: 'AUTHZ', failStrategy: 'FAIL_RELOAD' }),
    ].join('---\n'));
    const r = await meshplug(['envoy', '--wasmplugin', file, '--dry-run', '--listen', '127.0.0.1:18000', '--upstream', 'http://127.0.0.1:9']);
    assert.equal(r.status, 0, r.stderr);
    const bootstrap = parse(r.stdout) as { static_resources: { listeners: { filter_chains: { filters: { typed_config: { http_filters: { name: string; typed_config: { config?: Record<string, unknown> } }[] } }[] }[] }[] } };
    const filters = bootstrap.static_resources.listeners[0]!.filter_chains[0]!.filters[0]!.typed_config.http_filters;
    const wasm = filters.filter((f) => f.name === 'envoy.filters.http.wasm').map((f) => f.typed_config.config!);
    assert.deepEqual(wasm.map((c) => c.name), ['default.authn', 'default.authz', 'default.stats-high', 'default.stats-low', 'default.stats-unset', 'default.unspecified']);
    assert.deepEqual(wasm[0]!.configuration, { '@type': 'type.googleapis.com/google.protobuf.StringValue', value: '{"a":{"b":"x","y":true},"z":1}' });
    assert.equal(wasm[0]!.root_id, 'my_root');
    assert.deepEqual(wasm.map((c) => c.failure_policy), ['FAIL_OPEN', 'FAIL_RELOAD', 'FAIL_CLOSED', 'FAIL_CLOSED', 'FAIL_CLOSED', 'FAIL_CLOSED']);
    assert.equal(wasm[1]!.configuration, undefined, 'no pluginConfig → no configuration');
    assert.equal(filters.at(-1)!.name, 'envoy.filters.http.router');
  });

  test('pull policy and cache: IfNotPresent reuses the cache with the registry down, Always re-pulls', async () => {
    const other = await startRegistry('none');
    const url = `oci://${other.host}/meshplug/hello:policy`;
    const push = await meshplug(['push', helloWasm, url, '--plain-http', '--json']);
    assert.equal(push.status, 0, push.stderr);
    const cache = join(work, 'policy-cache');
    const ifNotPresent = join(work, 'ifnotpresent.yaml');
    const always = join(work, 'always.yaml');
    writeFileSync(ifNotPresent, wasmPlugin('p', { url, imagePullPolicy: 'IfNotPresent' }));
    writeFileSync(always, wasmPlugin('p', { url, imagePullPolicy: 'Always' }));
    const dry = (file: string) => meshplug(['envoy', '--wasmplugin', file, '--dry-run', '--listen', '127.0.0.1:18000', '--cache-dir', cache]);
    const first = await dry(ifNotPresent);
    assert.equal(first.status, 0, first.stderr);
    assert.match(first.stderr, /\(network, sha256 /);
    await other.stop();
    const cached = await dry(ifNotPresent);
    assert.equal(cached.status, 0, cached.stderr);
    assert.match(cached.stderr, /\(cache, sha256 /);
    const repull = await dry(always);
    assert.equal(repull.status, 1);
    assert.match(repull.stderr, /WasmPlugin default\/p refused: cannot reach registry/);
  });

  test('imagePullSecret: credentials from the named Secret; a missing Secret is a clear error', async () => {
    const secured = await startRegistry('basic');
    try {
      const url = `oci://${secured.host}/meshplug/hello:secret`;
      const push = await meshplug(['push', helloWasm, url, '--plain-http', '--username', secured.user, '--password-stdin'], { stdin: secured.password });
      assert.equal(push.status, 0, push.stderr);
      const dockerConfig = JSON.stringify({ auths: { [secured.host]: { auth: Buffer.from(`${secured.user}:${secured.password}`).toString('base64') } } });
      const secret = `apiVersion: v1\nkind: Secret\nmetadata: {name: regcred, namespace: default}\ntype: kubernetes.io/dockerconfigjson\ndata:\n  .dockerconfigjson: ${Buffer.from(dockerConfig).toString('base64')}\n`;
      const withSecret = join(work, 'with-secret.yaml');
      writeFileSync(withSecret, `${wasmPlugin('s', { url, imagePullSecret: 'regcred' })}---\n${secret}`);
      const ok = await meshplug(['envoy', '--wasmplugin', withSecret, '--dry-run', '--listen', '127.0.0.1:18000', '--cache-dir', join(work, 'secret-cache')],
        { env: { DOCKER_CONFIG: join(work, 'no-docker-config') } });
      assert.equal(ok.status, 0, ok.stderr);
      const missing = join(work, 'missing-secret.yaml');
      writeFileSync(missing, wasmPlugin('s', { url, imagePullSecret: 'nope' }));
      const r = await meshplug(['envoy', '--wasmplugin', missing, '--dry-run', '--listen', '127.0.0.1:18000', '--cache-dir', join(work, 'secret-cache-2')]);
      assert.equal(r.status, 1);
      assert.match(r.stderr, /imagePullSecret 'nope' is not among the given files/);
    } finally {
      await secured.stop();
    }
  });

  test('https://-style URLs: the module\'s own sha256, a gzip body unpacked, a mismatch refused', async () => {
    const wasm = new Uint8Array(readFileSync(helloWasm));
    const server = createServer((req, res) => {
      if (req.url === '/hello.wasm.gz') res.end(gzipSync(wasm));
      else res.writeHead(404).end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const { port } = server.address() as { port: number };
      const url = `http://127.0.0.1:${port}/hello.wasm.gz`;
      const file = join(work, 'http.yaml');
      writeFileSync(file, wasmPlugin('h', { url, sha256: sha256Hex(wasm) }));
      const args = ['envoy', '--wasmplugin', file, '--dry-run', '--listen', '127.0.0.1:18000', '--cache-dir', join(work, 'http-cache')];
      const ok = await meshplug(args);
      assert.equal(ok.status, 0, ok.stderr);
      assert.match(ok.stderr, new RegExp(`\\(network, sha256 ${sha256Hex(wasm)}\\)`));
      writeFileSync(file, wasmPlugin('h', { url, sha256: 'ef'.repeat(32) }));
      const bad = await meshplug(args);
      assert.equal(bad.status, 1);
      assert.match(bad.stderr, new RegExp(`has checksum ${sha256Hex(wasm)}, which does not match the expected sha256 ${'ef'.repeat(32)}`));
    } finally {
      await new Promise((r) => server.close(r));
    }
  });
});
