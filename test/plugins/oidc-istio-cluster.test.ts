// Istio names the cluster of a ServiceEntry host `outbound|443||login.example.com`, and that is what users
// put in the oidc plugin's `cluster`. Envoy 1.40 accepts any non-empty UTF-8 cluster name, so the bootstrap
// template must too: checked here against `envoy --mode validate` (skipped without Envoy). The scenario
// corpus (oidc.json, "an Istio cluster name ...") proves the plugin's callouts go through such a cluster in
// both hosts.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { bootstrapObject, BootstrapError, renderBootstrap, type BootstrapOptions } from '../../host/envoy/bootstrap.ts';
import { locateEnvoy } from '../../host/envoy/locate.ts';

const ISTIO = 'outbound|443||login.example.com';
const envoy = locateEnvoy();
const opts = (name: string): BootstrapOptions => ({
  plugins: [], upstream: 'http://127.0.0.1:1', listenPort: 0, adminPort: 0, clusters: [{ name, url: 'https://login.example.com' }],
});

test('cluster names: what Envoy accepts is rendered, the rest refused with the reason', () => {
  for (const name of [ISTIO, 'idp', 'a b/c', 'é']) {
    const clusters = (bootstrapObject(opts(name)) as { static_resources: { clusters: { name: string }[] } }).static_resources.clusters;
    assert.equal(clusters[1]!.name, name);
  }
  assert.throws(() => bootstrapObject(opts('')), (e: Error) => e instanceof BootstrapError && /cluster name "": empty/.test(e.message));
  assert.throws(() => bootstrapObject(opts('a\ud800')), (e: Error) => e instanceof BootstrapError && /not valid Unicode/.test(e.message));
  assert.throws(() => bootstrapObject(opts('upstream')), /reserved/);
});

test('Envoy 1.40 validates a bootstrap with Istio\'s cluster name', { skip: 'missing' in envoy ? envoy.missing : false }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'meshplug-oidc-istio-'));
  try {
    for (const name of [ISTIO, 'a b/c', 'é']) {
      const file = join(dir, 'bootstrap.yaml');
      writeFileSync(file, renderBootstrap(opts(name)));
      const r = spawnSync('missing' in envoy ? 'envoy' : envoy.path, ['--mode', 'validate', '-c', file, '-l', 'error'], { encoding: 'utf8', timeout: 60_000 });
      assert.equal(r.status, 0, `${name}: ${r.stdout}${r.stderr}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
