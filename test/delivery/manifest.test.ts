// WasmPlugin YAML: every example in the repo and every generated one must pass Istio's CRD schema; the
// pluginConfig is checked against the plugin's JSON Schema; digests are quoted so they stay strings.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parse, parseAllDocuments } from 'yaml';
import { validateWasmPlugin } from '../../host/delivery/istio-validate.ts';
import { isWasmPluginDocument } from '../../host/delivery/wasmplugin.ts';
import { meshplug } from './lib/cli.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'meshplug-manifest-'));
after(() => rmSync(work, { recursive: true, force: true }));

const DIGITS = '1234567890'.repeat(6) + '1234'; // an all-digit sha256: YAML would read it as a number

function exampleFiles(): string[] {
  const out: string[] = [];
  for (const plugin of readdirSync(join(root, 'plugins'))) {
    const dir = join(root, 'plugins', plugin, 'examples');
    if (!existsSync(dir)) continue;
    for (const f of readdirSync(dir)) if (/\.ya?ml$/.test(f)) out.push(join(dir, f));
  }
  return out;
}

test('every example WasmPlugin in plugins/*/examples passes Istio\'s CRD schema', () => {
  let seen = 0;
  for (const file of exampleFiles()) {
    for (const doc of parseAllDocuments(readFileSync(file, 'utf8'), { version: '1.1' })) { // as Kubernetes reads it
      const value: unknown = doc.toJS();
      if (!isWasmPluginDocument(value)) continue;
      seen++;
      assert.deepEqual(validateWasmPlugin(value), [], file);
    }
  }
  assert.ok(seen >= 1, 'at least the hello plugin ships an example WasmPlugin');
});

test('the CRD check refuses what Istio refuses', () => {
  const base = { apiVersion: 'extensions.istio.io/v1alpha1', kind: 'WasmPlugin', metadata: { name: 'x' }, spec: { url: 'oci://r/x:1' } };
  assert.deepEqual(validateWasmPlugin(base), []);
  const unquoted = parse(`apiVersion: extensions.istio.io/v1alpha1\nkind: WasmPlugin\nmetadata: {name: x}\nspec: {url: "oci://r/x:1", sha256: ${DIGITS}}\n`) as unknown;
  assert.match(validateWasmPlugin(unquoted).join('\n'), /spec\.sha256: must be string/);
  const cases: [Record<string, unknown>, RegExp][] = [
    [{ sha256: 'ABC' }, /spec\.sha256/],
    [{ phase: 'LATE' }, /spec\.phase/],
    [{ failStrategy: 'FAIL_SOMETIMES' }, /spec\.failStrategy/],
    [{ imagePullPolicy: 'Never' }, /spec\.imagePullPolicy/],
    [{ selector: { matchLabels: { a: 'b' } }, targetRefs: [{ kind: 'Gateway', name: 'g' }] }, /only one of selector or targetRefs/],
    [{ pluginConfig: [1] }, /pluginConfig/],
    [{ urll: 'typo' }, /spec\.urll: unknown field/],
    [{ url: 'ftp://x/y' }, /scheme must be/],
  ];
  for (const [change, error] of cases) {
    assert.match(validateWasmPlugin({ ...base, spec: { ...base.spec, ...change } }).join('\n'), error, JSON.stringify(change));
  }
  assert.match(validateWasmPlugin({ ...base, metadata: { name: 'Bad_Name' } }).join('\n'), /metadata\.name/);
});

test('meshplug manifest writes a valid WasmPlugin with a quoted digest and a schema-checked pluginConfig', async () => {
  const config = join(work, 'config.yaml');
  writeFileSync(config, 'header: x-from-test\nvalue: "yes"\n');
  const out = join(work, 'wp.yaml');
  const r = await meshplug(['manifest', '--url', 'oci://registry.example/meshplug/hello:1', '--sha256', DIGITS, '--plugin', 'hello',
    '--config', config, '--phase', 'AUTHZ', '--priority', '7', '--selector', 'app=demo', '--fail-strategy', 'FAIL_OPEN',
    '--image-pull-policy', 'Always', '--image-pull-secret', 'regcred', '--plugin-name', 'root', '--namespace', 'demo', '-o', out]);
  assert.equal(r.status, 0, r.stderr);
  const text = readFileSync(out, 'utf8');
  assert.match(text, new RegExp(`sha256: "${DIGITS}"`));
  // Kubernetes reads YAML 1.1, where a bare `yes` would be a boolean: the string must survive that.
  const doc = parse(text, { version: '1.1' }) as { metadata: { name: string }; spec: Record<string, unknown> };
  assert.equal(doc.spec.sha256, DIGITS, 'reads back as a string');
  assert.deepEqual(validateWasmPlugin(doc), []);
  assert.equal(doc.metadata.name, 'hello');
  assert.deepEqual(doc.spec.pluginConfig, { header: 'x-from-test', value: 'yes' });
  assert.equal(doc.spec.priority, 7);
  assert.deepEqual(doc.spec.selector, { matchLabels: { app: 'demo' } });
  const check = await meshplug(['manifest', '--validate', out]);
  assert.equal(check.status, 0, check.stderr);
});

test('meshplug manifest refuses a pluginConfig the plugin\'s schema refuses, and bad options', async () => {
  const config = join(work, 'bad.json');
  writeFileSync(config, '{"heder": "typo", "value": 5}');
  const bad = await meshplug(['manifest', '--url', 'oci://r/x:1', '--plugin', 'hello', '--config', config]);
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /does not match .*config\.schema\.json/);
  assert.match(bad.stderr, /pluginConfig: must NOT have additional properties 'heder'/);
  assert.match(bad.stderr, /pluginConfig\.value: must be string/);
  const notYaml = join(work, 'not.yaml');
  writeFileSync(notYaml, 'a: [1,');
  assert.match((await meshplug(['manifest', '--url', 'oci://r/x:1', '--config', notYaml])).stderr, /neither JSON nor YAML/);
  assert.match((await meshplug(['manifest', '--url', 'oci://r/x:1', '--phase', 'LATE'])).stderr, /--phase must be one of/);
  assert.match((await meshplug(['manifest', '--url', 'oci://r/x:1', '--sha256', 'xyz'])).stderr, /not a sha256 digest/);
  assert.match((await meshplug(['manifest', '--url', 'oci://r/x:1', '--selector', 'a=b', '--target-ref', 'Gateway/gw'])).stderr, /only one of selector or targetRefs/);
  assert.match((await meshplug(['manifest', '--url', 'oci://r/x:1', '--plugin', 'no-such-plugin', '--config', config])).stderr, /has no config schema/);
  const broken = join(work, 'broken.yaml');
  writeFileSync(broken, `apiVersion: extensions.istio.io/v1alpha1\nkind: WasmPlugin\nmetadata: {name: x}\nspec: {url: "oci://r/x:1", sha256: ${DIGITS}}\n`);
  const v = await meshplug(['manifest', '--validate', broken]);
  assert.equal(v.status, 1);
  assert.match(v.stderr, /spec\.sha256: must be string/);
});
