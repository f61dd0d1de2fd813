// The shipped envoy-test/<plugin>.yaml must be exactly what `meshplug envoy-config` makes from the
// plugin's example configuration and envoy-test/plugins.json, and every plugin must have one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { composePath, modulesOf, pluginNames, pluginsListPath, regenerate, renderCompose, shippedConfigs } from '../../envoy-test/lib/shipped-configs.ts';
import { repoRoot } from '../../envoy-test/lib/plugin-path.ts';

test('every plugin has a shipped bootstrap equal to its regenerated self', async () => {
  const list = shippedConfigs();
  assert.ok(list.length > 0, 'no plugin under plugins/');
  for (const c of list) {
    assert.ok(existsSync(c.file), `${c.file} is missing: run node --import tsx envoy-test/generate.ts`);
    const shipped = readFileSync(c.file, 'utf8');
    assert.equal(shipped, await regenerate(c), `${c.file} differs from the template: run node --import tsx envoy-test/generate.ts`);
  }
});

test('docker-compose.yml has a service for each shipped bootstrap', () => {
  assert.equal(readFileSync(composePath, 'utf8'), renderCompose(shippedConfigs()), 'run node --import tsx envoy-test/generate.ts');
});

test('each shipped bootstrap loads the plugin it is named after, from dist/', () => {
  for (const c of shippedConfigs()) {
    assert.deepEqual(modulesOf(readFileSync(c.file, 'utf8')), [`dist/${c.name}.wasm`]);
  }
});

test('a shipped bootstrap configures the plugin as its example WasmPlugin does', () => {
  for (const c of shippedConfigs()) {
    const example = join(repoRoot, 'plugins', c.name, 'examples', 'wasmplugin.yaml');
    if (!existsSync(example)) continue;
    const want = (parse(readFileSync(example, 'utf8')) as { spec?: { pluginConfig?: unknown } }).spec?.pluginConfig;
    const doc = parse(readFileSync(c.file, 'utf8')) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    const filter = doc.static_resources.listeners[0].filter_chains[0].filters[0].typed_config.http_filters[0];
    const got = filter.typed_config.config.configuration?.value;
    assert.deepEqual(got === undefined ? undefined : JSON.parse(got), want, `${c.file}: configuration differs from ${example} spec.pluginConfig`);
  }
});

test('plugins.json names only existing plugins, each with a list of extra arguments', () => {
  const extra = JSON.parse(readFileSync(pluginsListPath, 'utf8')) as Record<string, unknown>;
  const names = new Set(pluginNames());
  for (const [k, v] of Object.entries(extra)) {
    if (k.startsWith('//')) continue;
    assert.ok(names.has(k), `envoy-test/plugins.json: no plugin ${k} under plugins/`);
    assert.ok(Array.isArray(v) && v.every((x) => typeof x === 'string'), `envoy-test/plugins.json: ${k} must be a list of strings`);
  }
});
