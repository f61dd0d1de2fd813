// Override files, the log window, the stage checks and the text/JSON output contract.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { checkStage } from '../../host/waf-test/check.ts';
import { FtwFormatError, parseFtwFile, parseOutput } from '../../host/waf-test/ftw-test.ts';
import { LogCapture, triggeredRules } from '../../host/waf-test/log-window.ts';
import { applyOutputOverrides, forcedResult, parseOverrides } from '../../host/waf-test/overrides.ts';
import type { RawResult } from '../../host/waf-test/raw-client.ts';
import { formatJson, formatText } from '../../host/waf-test/report.ts';
import type { RunSummary } from '../../host/waf-test/runner.ts';

const ok = (status: number, full = ''): RawResult => ({ ok: true, response: { status, headers: [], full } });

test('the shipped upstream override files parse, every entry with its reason', () => {
  for (const name of ['coraza', 'nginx', 'httpd']) {
    const o = parseOverrides(readFileSync(`/work/shared/data/crs/overrides/${name}-overrides.yaml`, 'utf8'), name);
    assert.ok(o.outputs.length > 0, name);
    for (const e of o.outputs) assert.ok(e.reason.length > 0 && e.testIds.length > 0);
  }
});

test('an override replaces the listed tests\' expected output, and only theirs', () => {
  const o = parseOverrides(`test_overrides:
  - rule_id: 920100
    test_ids: [4]
    reason: 'not reached'
    output:
      status: 404
`, 'o.yaml');
  const cases = parseFtwFile(`rule_id: 920100
tests:
  - test_id: 4
    stages: [{ input: {}, output: { log: { expect_ids: [920100] } } }]
  - test_id: 5
    stages: [{ input: {}, output: { log: { expect_ids: [920100] } } }]
`, 'x.yaml');
  assert.deepEqual(applyOutputOverrides(cases[0]!, o), ['not reached']);
  assert.deepEqual(cases[0]!.stages[0]!.output.status, [404]);
  assert.deepEqual(cases[0]!.stages[0]!.output.log.expectIds, [], 'the whole output is replaced, as go-ftw does');
  assert.deepEqual(applyOutputOverrides(cases[1]!, o), []);
  assert.deepEqual(cases[1]!.stages[0]!.output.log.expectIds, [920100]);
});

test('testoverride ignore/forcefail/forcepass with go-ftw precedence; entries need reasons', () => {
  const o = parseOverrides(`testoverride:
  ignore:
    '^920100-': 'server rejects it'
  forcefail:
    '^9201': 'never'
  forcepass:
    '^942': 'trust'
`, 'c.yaml');
  assert.deepEqual(forcedResult('920100-1', o), { result: 'skip', reason: 'ignored: server rejects it' });
  assert.equal(forcedResult('920160-1', o)?.result, 'fail');
  assert.equal(forcedResult('942100-1', o)?.result, 'pass');
  assert.equal(forcedResult('930100-1', o), null);
  assert.throws(() => parseOverrides('test_overrides:\n  - rule_id: 1\n    test_ids: [1]\n    output: {}\n', 'r.yaml'), FtwFormatError);
  assert.throws(() => parseOverrides('testoverride:\n  ignore:\n    "(": x\n', 'r.yaml'), FtwFormatError);
});

test('rule ids from ModSecurity lines and JSON audit lines; markers found like go-ftw', () => {
  assert.deepEqual([...triggeredRules(['x [id "942100"] y [id "949110"]', '{"id": 920350, "msg": "m"}', '{"id":"5"}', 'no id'])].sort(), [5, 920350, 942100, 949110]);
  const log = new LogCapture();
  for (const l of ['a', 'X-CRS-Test abc-s [id "999999"]', 'hit [id "1"]', 'x-crs-test abc-e']) log.push(l);
  assert.equal(log.findMarker('X-CRS-Test', 'abc-s'), null, 'the newest marker line is another id: not found');
  assert.equal(log.findMarker('X-CRS-Test', 'ABC-E'), 3);
  assert.deepEqual(log.between(1, 3), ['hit [id "1"]']);
});

test('stage checks: expected error decides alone; every failed condition is reported', () => {
  const out = parseOutput({ status: '200', log: { expect_ids: ['1', '2'], no_expect_ids: ['3'], no_match_regex: 'bad' } }, 'o');
  const v = checkStage(out, ok(403), ['[id "1"] bad', '[id "3"]']);
  assert.equal(v.pass, false);
  assert.deepEqual(v.reasons, ['status 403, expected 200', 'missing ids 2', 'log matches "bad"', 'unexpected ids 3']);
  assert.deepEqual(checkStage(out, ok(200), ['[id "1"]', '[id "2"]']), { pass: true, reasons: [] });
  const err = parseOutput({ expect_error: 'true', log: { expect_ids: ['9'] } }, 'o');
  assert.equal(checkStage(err, { ok: false, error: 'ECONNRESET' }, []).pass, true, 'go-ftw: an expected error skips the other checks');
  assert.equal(checkStage(err, ok(200), []).pass, false);
  assert.equal(checkStage(parseOutput({}, 'o'), { ok: false, error: 'timeout' }, []).pass, false);
  const rc = parseOutput({ response_contains: '(?i)SECRET' }, 'o');
  assert.equal(checkStage(rc, ok(200, 'HTTP/1.1 200 OK\r\n\r\nsecret'), []).pass, true, 'Go (RE2) regex syntax');
  assert.equal(checkStage(parseOutput({ log: { match_regex: '(' } }, 'o'), ok(200), []).pass, false, 'a bad regex fails the test, no crash');
});

test('output contract: failing ids with reasons, then the counts alone on the last line', () => {
  const s: RunSummary = {
    results: [{ id: '1-1', result: 'pass', reason: '' }, { id: '1-2', result: 'fail', reason: 'missing ids 1\nmore' }, { id: '1-3', result: 'skip', reason: 'x' }],
    passed: 1, failed: 1, skipped: 1, seconds: 1.5, loadMs: 10,
  };
  assert.equal(formatText(s), '1-2: missing ids 1 more\n1 passed, 1 failed, 1 skipped\n');
  const j = JSON.parse(formatJson(s));
  assert.deepEqual(j.summary, { passed: 1, failed: 1, skipped: 1, seconds: 1.5, loadMs: 10 });
  assert.deepEqual(j.tests[1], { id: '1-2', result: 'fail', reason: 'missing ids 1\nmore' });
});
