// waf runtime shortcuts through the real dist/waf.wasm: members with repeated values (skipped only after
// their twin did not match), the position-keyed transformation cache, and the pooled per-transaction
// caches staying correct over many requests on one VM.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { runSingleRequest, type RequestSpec } from '../../host/node/single-request.ts';

const wasm = fileURLToPath(new URL('../../dist/waf.wasm', import.meta.url));
const skip = existsSync(wasm) ? false : 'dist/waf.wasm missing: run `npm run build:plugin -- waf`';
const directives = (...lines: string[]) => ({ directives_map: { default: ['SecRuleEngine On', 'SecRequestBodyAccess On', ...lines] }, default_directives: 'default' });

async function run(config: unknown, request: RequestSpec, repeat = 1) {
  return runSingleRequest({ plugins: [{ file: wasm, configuration: JSON.stringify(config) }], request, workers: 1, repeat });
}

const form = (values: string[]) => ({
  method: 'POST', path: '/submit', headers: [['content-type', 'application/x-www-form-urlencoded']] as [string, string][],
  body: values.map((v, i) => `a${i}=${encodeURIComponent(v)}`).join('&'),
});

const matchedNames = (logs: { message: string }[], id: number) =>
  logs.filter((l) => l.message.includes(`[id "${id}"]`)).map((l) => /\[msg "([^"]*)"\]/.exec(l.message)?.[1]);

// Non-disruptive actions run once per matching member: the names collected in TX show every match.
const collect = (id: number, op: string, t = '') =>
  `SecRule ARGS "${op}" "id:${id},phase:2,pass,nolog,${t}setvar:'tx.names_${id}=%{tx.names_${id}} %{MATCHED_VAR_NAME}=%{MATCHED_VAR}'"`;
const report = (id: number) => `SecRule TX:names_${id} "@rx ." "id:${id}0,phase:2,pass,log,msg:'%{tx.names_${id}}'"`;

test('waf: every member with a matching value matches, also when the value repeats', { skip }, async () => {
  const values = Array.from({ length: 16 }, (_, i) => (i === 3 || i === 11 ? 'evil' : 'ok'));
  const o = await run(directives(collect(5, '@contains evil'), report(5)), form(values));
  assert.deepEqual(matchedNames(o.logs, 50), [' ARGS:a3=evil ARGS:a11=evil']);
});

test('waf: repeated values that do not match do not hide a later different value', { skip }, async () => {
  // Twins of non-matching members are skipped; distinct values after them are still tested.
  const values = [...Array.from({ length: 12 }, () => 'same'), 'EViL', 'same', 'evil'];
  const o = await run(directives(
    collect(6, '@streq evil', 't:lowercase,'), report(6),
    'SecRule &ARGS "@eq 15" "id:7,phase:2,pass,log,msg:\'count\'"',
  ), form(values));
  assert.deepEqual(matchedNames(o.logs, 60), [' ARGS:a12=evil ARGS:a14=evil']);
  assert.deepEqual(matchedNames(o.logs, 7), ['count']);
});

test('waf: rules sharing a transformation pipeline see each value transformed, request after request', { skip }, async () => {
  // Two rules share t:urlDecode,t:lowercase (one cache entry per member); the third extends it with
  // t:removeWhitespace. 30 requests on one VM reuse the pooled caches.
  const o = await run(directives(
    'SecRule ARGS "@contains drop table" "id:8,phase:2,pass,log,t:urlDecode,t:lowercase,msg:\'%{MATCHED_VAR_NAME}\'"',
    'SecRule ARGS "@contains select" "id:9,phase:2,pass,log,t:urlDecode,t:lowercase,msg:\'%{MATCHED_VAR_NAME}\'"',
    'SecRule ARGS "@contains droptable" "id:10,phase:2,pass,log,t:urlDecode,t:lowercase,t:removeWhitespace,msg:\'%{MATCHED_VAR_NAME}\'"',
  ), form(['x', 'DROP%20TABLE', ...Array.from({ length: 10 }, () => 'x'), 'SeLeCt']), 30);
  assert.equal(o.metrics['wasmcustom.rule_id=.=8;.;waf_rule_hits'], 30);
  assert.equal(o.metrics['wasmcustom.rule_id=.=9;.;waf_rule_hits'], 30);
  assert.equal(o.metrics['wasmcustom.rule_id=.=10;.;waf_rule_hits'], 30);
  assert.deepEqual([...new Set(matchedNames(o.logs, 8))], ['ARGS:a1']);
  assert.deepEqual([...new Set(matchedNames(o.logs, 9))], ['ARGS:a12']);
  assert.deepEqual([...new Set(matchedNames(o.logs, 10))], ['ARGS:a1']);
});

test('waf: capture slots filled by an operator whose rule did not match (negated) do not reach a later rule', { skip }, async () => {
  // Rule 20's operator matches `secret` (TX.0–TX.3 captured) but the rule is negated; rule 21 captures one
  // group only: TX.2 must stay unset, TX.1 is rule 21's own capture. Repeated: the slots are reused.
  const o = await run(directives(
    'SecRule ARGS "!@rx (s)(e)(c)ret" "id:20,phase:2,pass,nolog,capture"',
    'SecRule ARGS "@rx ^(y)$" "id:21,phase:2,pass,nolog,capture"',
    'SecRule &TX:2 "@eq 0" "id:22,phase:2,pass,log,msg:\'tx1=%{tx.1}\'"',
  ), form(['secret', 'y']), 3);
  assert.deepEqual(matchedNames(o.logs, 22), ['tx1=y', 'tx1=y', 'tx1=y']);
});

test('waf: empty collections and unset scalars: counts are 0, other targets give nothing to match', { skip }, async () => {
  const o = await run(directives(
    'SecRule &ARGS_POST|&REQUEST_BODY|&FILES "@eq 0" "id:30,phase:1,pass,log,msg:\'%{MATCHED_VAR_NAME}\'"',
    'SecRule ARGS_POST|FILES|REQUEST_BODY "!@rx x" "id:31,phase:1,pass,log,msg:\'negated on nothing\'"',
    'SecRule ARGS_GET|ARGS_POST "!@rx x" "id:32,phase:1,pass,log,msg:\'%{MATCHED_VAR_NAME}\'"',
  ), { method: 'GET', path: '/?q=1', headers: [], body: '' });
  assert.deepEqual(matchedNames(o.logs, 30), ['FILES']);
  assert.deepEqual(matchedNames(o.logs, 31), []);
  assert.deepEqual(matchedNames(o.logs, 32), ['ARGS_GET:q']);
});
