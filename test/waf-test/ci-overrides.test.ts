// The plugin's overrides file and how `npm run test:waf` uses it: every entry an anchored `ignore` with a
// reason, naming a real test, fewer than coraza-proxy-wasm's 55; ignored tests still run, and one that
// passes again fails the run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseOverrides } from '../../host/waf-test/overrides.ts';
import { loadTests, runWafTests } from '../../host/waf-test/runner.ts';
import { overrideProblems, overridesFile } from './ci.ts';
import { repoRoot } from '../lib/host-runner.ts';

const crsTests = '/work/shared/data/crs/tests';
const wasm = join(repoRoot, 'dist/waf.wasm');

test('plugins/waf/ftw-overrides.yaml: anchored ignore entries with reasons, fewer than 55', async () => {
  const o = parseOverrides(readFileSync(overridesFile, 'utf8'), overridesFile);
  assert.ok(o.ignore.length > 0 && o.ignore.length < 55, `${o.ignore.length} entries`);
  for (const f of o.ignore) {
    assert.match(f.source, /^\^\d+-\d+\$$/, 'one test id, anchored');
    assert.match(f.reason, /^(envoy|waf): \S/, `${f.source}: a reason saying where the difference lies`);
  }
  if (existsSync(crsTests)) assert.deepEqual(overrideProblems(o, (await loadTests(crsTests)).cases.map((c) => c.id)), []);
});

test('overrideProblems: untracked kinds and patterns matching no test', () => {
  const o = parseOverrides("testoverride:\n  ignore:\n    '^1-1$': 'a'\n    '^9-9$': 'b'\n  forcepass:\n    '^1-2$': 'c'\n", 'x.yaml');
  assert.deepEqual(overrideProblems(o, ['1-1', '1-2']), [
    'only testoverride.ignore entries are tracked; forcepass, forcefail and test_overrides are not',
    'ignore "^9-9$" matches no test',
  ]);
});

const tinyTests = `rule_id: 1
tests:
  - test_id: 1
    stages:
      - input: { uri: /get, headers: { Host: localhost, User-Agent: "OWASP CRS test agent", Accept: "*/*" } }
        output: { status: 200 }
  - test_id: 2
    stages:
      - input: { uri: /get, headers: { Host: localhost, User-Agent: "OWASP CRS test agent", Accept: "*/*" } }
        output: { status: 418 }
`;

test('checkIgnored: an ignored test that passes is a failure, one that still fails stays skipped', { skip: !existsSync(wasm) && 'dist/waf.wasm not built' }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'meshplug-waf-ci-'));
  try {
    writeFileSync(join(dir, 'tiny.yaml'), tinyTests);
    const overrides = parseOverrides("testoverride:\n  ignore:\n    '^1-1$': 'envoy: stale'\n    '^1-2$': 'envoy: still true'\n", 'o.yaml');
    const checked = await runWafTests({ testsDir: dir, wasm, overrides, checkIgnored: true });
    assert.deepEqual(checked.results.map((r) => [r.id, r.result]), [['1-1', 'fail'], ['1-2', 'skip']]);
    assert.match(checked.results[0]!.reason, /passes, but the overrides ignore it: remove the override \(ignored: envoy: stale\)/);
    assert.match(checked.results[1]!.reason, /^ignored: envoy: still true \(still fails: status 200, expected 418\)$/);
    const plain = await runWafTests({ testsDir: dir, wasm, overrides });
    assert.deepEqual(plain.results.map((r) => r.result), ['skip', 'skip'], 'go-ftw semantics without the check');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
