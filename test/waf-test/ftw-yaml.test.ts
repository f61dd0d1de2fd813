// go-ftw YAML → test cases: defaults, exact header text, legacy fields, templates, and bad files as errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FtwFormatError, parseFtwFile } from '../../host/waf-test/ftw-test.ts';
import { expandTemplate } from '../../host/waf-test/go-template.ts';

const file = `
meta: { author: x }
rule_id: 920400
tests:
  - test_id: 7
    desc: one
    stages:
      - input:
          dest_addr: 127.0.0.1
          port: 80
          headers:
            X-Float: 1.0
            Accept: "*/*"
            Host: localhost
          data: 'a={{ "1" | repeat 3 }}'
        output:
          status: 403
          log:
            expect_ids: [920400, 949110]
            no_expect_ids: [1]
  - desc: two
    stages:
      - input:
          method: ""
          version: ""
          stop_magic: true
          ordered_headers:
            - { name: B, value: "2" }
            - { name: A, value: "1" }
        output:
          log_contains: 'id "5"'
          expect_error: true
          retry_once: true
`;

test('fields, defaults and go-ftw\'s header order', () => {
  const [a, b] = parseFtwFile(file, 'REQUEST-920/920400.yaml');
  assert.equal(a!.id, '920400-7');
  const i = a!.stages[0]!.input;
  assert.equal(i.method, 'GET');
  assert.equal(i.uri, '/');
  assert.equal(i.version, 'HTTP/1.1');
  assert.deepEqual(i.headers, [['Accept', '*/*'], ['Host', 'localhost'], ['X-Float', '1.0']], 'map sorted by name, values as written');
  assert.equal(i.data, 'a=111');
  assert.equal(i.autocompleteHeaders, true);
  const out = a!.stages[0]!.output;
  assert.deepEqual(out.status, [403]);
  assert.deepEqual(out.log.expectIds, [920400, 949110]);
  assert.deepEqual(out.log.noExpectIds, [1]);
  assert.equal(b!.id, '920400-2', 'test_id defaults to the 1-based position');
  const j = b!.stages[0]!.input;
  assert.equal(j.method, '', 'an explicit empty method stays empty');
  assert.equal(j.version, '');
  assert.equal(j.autocompleteHeaders, false, 'stop_magic: true = autocomplete off');
  assert.deepEqual(j.headers, [['B', '2'], ['A', '1']], 'ordered_headers keep their order');
  const o2 = b!.stages[0]!.output;
  assert.equal(o2.log.matchRegex, 'id "5"', 'log_contains becomes match_regex');
  assert.equal(o2.expectError, true);
  assert.equal(o2.retryOnce, true);
});

test('rule id from the file name; empty files have no tests', () => {
  const [t] = parseFtwFile('tests:\n  - stages:\n      - input: {}\n        output: {}\n', 'dir/942100.yaml');
  assert.equal(t!.id, '942100-1');
  assert.deepEqual(parseFtwFile('# everything commented out\n', '920539.yaml'), []);
});

test('bad files are format errors, not crashes', () => {
  for (const bad of ['tests: [', 'rule_id: x\ntests: []', 'rule_id: 1\ntests: {a: 1}', 'rule_id: 1\ntests:\n  - stages:\n      - input: {port: eighty}\n', '- 1\n- 2\n']) {
    assert.throws(() => parseFtwFile(bad, '1.yaml'), FtwFormatError, bad);
  }
});

test('go templates: sprig repeat piped or called, trim markers, and errors as values', () => {
  assert.deepEqual(expandTemplate('x{{ "ab" | repeat 3 }}y'), { ok: true, text: 'xabababy' });
  assert.deepEqual(expandTemplate('{{ repeat 2 "z" }}'), { ok: true, text: 'zz' });
  assert.deepEqual(expandTemplate('a  {{- "b" -}}  c'), { ok: true, text: 'abc' });
  assert.deepEqual(expandTemplate('no actions'), { ok: true, text: 'no actions' });
  assert.equal(expandTemplate('{{constructor.constructor("alert(1)")()}}').ok, false);
  assert.equal(expandTemplate('{{ nosuch 1 }}').ok, false);
  assert.equal(expandTemplate('{{ "1" | repeat 999999999 }}').ok, false, 'absurd sizes are refused');
  assert.equal(expandTemplate('{{ "unterminated }}').ok, false);
});

test('a data template go-ftw cannot evaluate means no body, with the reason kept', () => {
  const [t] = parseFtwFile('rule_id: 1\ntests:\n  - stages:\n      - input:\n          data: "{{ nope }}"\n', '1.yaml');
  assert.equal(t!.stages[0]!.input.data, null);
  assert.match(t!.stages[0]!.input.templateError ?? '', /nope/);
});
