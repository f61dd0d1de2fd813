// --crs DIR: the rules come from DIR through the `files` config extension, not from the module. Renaming
// one rule's id in a copy of the CRS must make that rule's test fail. Needs dist/waf.wasm.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const wasm = join(repo, 'dist/waf.wasm');
const crs = '/work/shared/data/crs';

test('--crs DIR loads the rules from DIR', { skip: (!existsSync(wasm) || !existsSync(crs)) && 'dist/waf.wasm or the CRS is missing' }, (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'meshplug-crs-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  cpSync(join(crs, 'crs-setup.conf.example'), join(dir, 'crs-setup.conf.example'));
  cpSync(join(crs, 'rules'), join(dir, 'rules'), { recursive: true });
  const sqli = join(dir, 'rules', 'REQUEST-942-APPLICATION-ATTACK-SQLI.conf');
  writeFileSync(sqli, readFileSync(sqli, 'utf8').replace('id:942100,', 'id:942099,'));
  const run = (crsDir: string) => spawnSync(process.execPath, [join(repo, 'bin/meshplug.mjs'), 'waf-test', '--tests', join(crs, 'tests'), '--crs', crsDir, '--only', '942100-1'], { encoding: 'utf8', timeout: 120_000 });
  const changed = run(dir);
  assert.match(changed.stdout, /^942100-1: missing ids 942100$/m, changed.stdout + changed.stderr);
  const original = run(crs);
  assert.equal(original.stdout.trimEnd().split('\n').at(-1), '1 passed, 0 failed, 2073 skipped', original.stdout + original.stderr);
});
