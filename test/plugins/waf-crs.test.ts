// The embedded CRS (plugins/waf/crs/embedded.ts) is generated: this fails when it no longer matches what the
// generator makes from the shared CRS snapshot (rerun `node --import tsx plugins/waf/crs/generate.ts`).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { collectCrs, DEFAULT_CRS_DIR, OUTPUT, renderEmbedded } from '../../plugins/waf/crs/generate.ts';

const skip = existsSync(join(DEFAULT_CRS_DIR, 'rules')) ? false : `${DEFAULT_CRS_DIR} missing`;

test('waf: crs/embedded.ts is what the generator makes from the CRS snapshot', { skip }, () => {
  const fresh = renderEmbedded(collectCrs(DEFAULT_CRS_DIR));
  const committed = readFileSync(OUTPUT, 'utf8');
  assert.ok(fresh === committed, 'plugins/waf/crs/embedded.ts is stale: run node --import tsx plugins/waf/crs/generate.ts');
});

test('waf: the CRS license sits next to the embedded rules, unchanged', { skip }, () => {
  const here = readFileSync(join(OUTPUT, '..', 'LICENSE'), 'utf8');
  assert.equal(here, readFileSync(join(DEFAULT_CRS_DIR, 'LICENSE'), 'utf8'));
});

test('waf: every rule file, data file and the setup example is embedded, comments blanked, lines kept', { skip }, () => {
  const files = collectCrs(DEFAULT_CRS_DIR);
  const names = files.map(([n]) => n);
  assert.ok(names.includes('@crs-setup-conf'));
  assert.ok(names.includes('@owasp_crs/REQUEST-942-APPLICATION-ATTACK-SQLI.conf'));
  assert.ok(names.includes('@owasp_crs/unix-shell.data'));
  const src = readFileSync(join(DEFAULT_CRS_DIR, 'rules', 'REQUEST-942-APPLICATION-ATTACK-SQLI.conf'), 'utf8');
  const emb = files.find(([n]) => n === '@owasp_crs/REQUEST-942-APPLICATION-ATTACK-SQLI.conf')![1];
  assert.equal(emb.split('\n').length, src.split('\n').length);
  assert.ok(!/^\s*#/m.test(emb.replace(/^$/gm, '')));
});
