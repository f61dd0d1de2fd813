// A small end-to-end run through the gateway with the peer module (coraza-proxy-wasm + CRS 4.25): the
// command line, the output contract and exit codes. Skipped when the peer module is not on this machine.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const peer = '/tmp/meshplug-peers/coraza.wasm';

function meshplug(...args: string[]) {
  const r = spawnSync(process.execPath, [join(repo, 'bin/meshplug.mjs'), ...args], { encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const tests = `rule_id: 942100
tests:
  - test_id: 1
    desc: SQLi in a form body is logged
    stages:
      - input:
          method: POST
          uri: /post
          headers: { Host: localhost, User-Agent: "OWASP CRS test agent", Accept: "*/*" }
          data: "var=1234 OR 1=1"
        output:
          log:
            expect_ids: [942100]
  - test_id: 2
    desc: benign request, no SQLi
    stages:
      - input:
          uri: /get?x=hello
          headers: { Host: localhost, User-Agent: "OWASP CRS test agent", Accept: "*/*" }
        output:
          status: 200
          log:
            no_expect_ids: [942100]
  - test_id: 3
    desc: wrong expectation, corrected by the override file
    stages:
      - input:
          uri: /get?x=hello
          headers: { Host: localhost, User-Agent: "OWASP CRS test agent", Accept: "*/*" }
        output:
          log:
            expect_ids: [942100]
  - test_id: 4
    desc: deliberately wrong expectation
    stages:
      - input:
          uri: /get?x=hello
          headers: { Host: localhost, User-Agent: "OWASP CRS test agent", Accept: "*/*" }
        output:
          log:
            expect_ids: [1]
`;

test('waf-test with coraza.wasm: failing ids with reasons, counts on the last line, exit 1', { skip: !existsSync(peer) && `${peer} not present` }, (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'meshplug-waf-run-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  mkdirSync(join(dir, 'tests'));
  writeFileSync(join(dir, 'tests', '942100.yaml'), tests);
  writeFileSync(join(dir, 'over.yaml'), 'test_overrides:\n  - rule_id: 942100\n    test_ids: [3]\n    reason: benign on purpose\n    output: { status: 200 }\n');
  const r = meshplug('waf-test', '--tests', join(dir, 'tests'), '--wasm', peer, '--overrides', join(dir, 'over.yaml'), '--only', '942100-1', '942100-2', '942100-3', '942100-4', '999-1');
  const lines = r.out.trimEnd().split('\n');
  assert.equal(lines.at(-1), '3 passed, 1 failed, 0 skipped', r.out + r.err);
  assert.equal(lines.length, 2);
  assert.match(lines[0]!, /^942100-4: missing ids 1$/);
  assert.equal(r.code, 1);
});

test('waf-test usage errors are clear and exit 2', () => {
  assert.equal(meshplug('waf-test').code, 2);
  assert.match(meshplug('waf-test').err, /--tests DIR is required/);
  const bad = meshplug('waf-test', '--tests', '/nonexistent', '--only', 'abc');
  assert.equal(bad.code, 2);
  assert.match(bad.err, /not a test id/);
  const missing = meshplug('waf-test', '--tests', '/nonexistent-dir', '--wasm', '/nonexistent.wasm');
  assert.equal(missing.code, 1);
  assert.match(missing.err, /cannot read/);
});
