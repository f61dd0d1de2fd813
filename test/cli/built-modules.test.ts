// Every module `npm run build:plugin` produced must load in Envoy: only imports Envoy links for ABI 0.2.1,
// the ABI marker, an allocator, an exported memory. Checked with the shared checker and with our host's own
// load-time checks (which refuse what Envoy refuses).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkModule } from '../../host/core/module-check.ts';
import { repoRoot } from '../lib/host-runner.ts';

const dist = join(repoRoot, 'dist');
const modules = existsSync(dist) ? readdirSync(dist).filter((f) => f.endsWith('.wasm')).map((f) => join(dist, f)) : [];
const plugins = readdirSync(join(repoRoot, 'plugins'), { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);

test('every plugin has been built into dist/', () => {
  for (const p of plugins) assert.ok(existsSync(join(dist, `${p}.wasm`)), `dist/${p}.wasm missing: run npm run build:plugin`);
});

test('the shared Envoy import checker accepts every built module', { skip: modules.length === 0 && 'nothing built' }, () => {
  const checker = [join(repoRoot, '../shared/tools/check-wasm-imports.mjs'), process.env.MESHPLUG_SHARED && join(process.env.MESHPLUG_SHARED, 'tools/check-wasm-imports.mjs')]
    .find((p) => p && existsSync(p));
  if (!checker) {
    assert.ok(process.env.CI !== 'true', 'the shared checker must be present in CI (../shared/tools)');
    return;
  }
  const r = spawnSync(process.execPath, [checker, ...modules], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stdout + r.stderr);
});

test('our host\'s load-time checks accept every built module', () => {
  for (const m of modules) assert.doesNotThrow(() => checkModule(readFileSync(m)), m);
});
