// The CRS 922 (multipart attack) regression tests, checked at the body-processor level: each test's
// body goes through our multipart parser, and the four 922 rules are evaluated over the result in JS
// with the rules' own regular expressions (t:lowercase applied, as the rules say). The expected
// outcome of every test (expect_ids / no_expect_ids / match_regex / no_match_regex) must hold.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { BodyProcessors, type BodyResult } from './body-wasm.ts';
import { CRS_TESTS, crsBodies } from './body-corpus.ts';

const RULES = readFileSync('/work/shared/data/crs/rules/REQUEST-922-MULTIPART-ATTACK.conf', 'utf8');
const ALLOWED_CHARSETS = '|utf-8| |iso-8859-1| |iso-8859-15| |windows-1252|'; // REQUEST-901 default

// The @rx argument of the rule that reads `variable` (SecLang escapes only the double quote).
function ruleRegex(variable: string): RegExp {
  const m = new RegExp(`SecRule ${variable.replace(/[/*]/g, '\\$&')} "!?@rx ((?:[^"\\\\]|\\\\.)*)"`).exec(RULES);
  assert.ok(m, `no @rx for ${variable}`);
  return new RegExp(m[1].replace(/\\"/g, '"'));
}

const RX_922110 = ruleRegex('TX:/MULTIPART_HEADERS_CONTENT_TYPES_*/');
const RX_922150 = /^content-type\s*:\s*(.*)$/;
const RX_922120 = /content-transfer-encoding:(.*)/;
const RX_922130 = /[^\x21-\x7E][\x21-\x39\x3B-\x7E]*:/;
const INVALID_HEADER = 'Multipart: Invalid part header (contains invalid character).';

const latin1 = (b: Uint8Array) => Buffer.from(b).toString('latin1');

/** Rule ids among 922100/110/120/130 that fire on this parse result. */
function firing(r: BodyResult): Set<string> {
  const fired = new Set<string>();
  const headers = r.partHeaders.map(([n, v]) => [latin1(n), latin1(v).toLowerCase()] as const);
  if (headers.some(([n]) => n.toLowerCase() === '_charset_')) {
    const arg = r.args.find(([n]) => latin1(n).toLowerCase() === '_charset_');
    const value = `|${arg ? latin1(arg[1]) : ''}|`.toLowerCase();
    if (!ALLOWED_CHARSETS.includes(value)) fired.add('922100');
  }
  for (const [, v] of headers) {
    const ct = RX_922150.exec(v);
    if (ct && !RX_922110.test(ct[1])) fired.add('922110');
    if (RX_922120.test(v)) fired.add('922120');
    if (RX_922130.test(v)) fired.add('922130');
  }
  return fired;
}

interface Output {
  log?: { expect_ids?: number[]; no_expect_ids?: number[]; match_regex?: string; no_match_regex?: string };
}

test('CRS 922 multipart tests hold on our parse results', async () => {
  const bp = await BodyProcessors.load();
  const dir = join(CRS_TESTS, 'REQUEST-922-MULTIPART-ATTACK');
  const bodies = new Map(crsBodies().map((c) => [c.label, c]));
  let checked = 0;
  for (const file of readdirSync(dir).sort()) {
    const doc = parseYaml(readFileSync(join(dir, file), 'utf8')) as { tests: { test_id: number; stages: { output: Output }[] }[] };
    for (const t of doc.tests) {
      const label = `REQUEST-922-MULTIPART-ATTACK/${file}#${t.test_id}.0`;
      const c = bodies.get(label);
      assert.ok(c, `${label}: no body`);
      const r = bp.run('multipart', c.body, c.contentType);
      const fired = firing(r);
      const log = t.stages[0].output.log ?? {};
      const ours = (id: number) => ['922100', '922110', '922120', '922130'].includes(String(id));
      for (const id of (log.expect_ids ?? []).filter(ours)) assert.ok(fired.has(String(id)), `${label}: ${id} should fire (fired: ${[...fired]})`);
      for (const id of (log.no_expect_ids ?? []).filter(ours)) assert.ok(!fired.has(String(id)), `${label}: ${id} should not fire`);
      // 922130's tests accept either the rule or ModSecurity's parse error for the bad header name.
      if (log.match_regex?.includes('922130')) assert.ok(fired.has('922130') || r.error === INVALID_HEADER, `${label}: 922130 or the parse error`);
      if (log.no_match_regex?.includes('922130')) {
        assert.ok(!fired.has('922130') && r.error !== INVALID_HEADER, `${label}: neither 922130 nor the parse error`);
      }
      checked++;
    }
  }
  assert.equal(checked, 43);
});
