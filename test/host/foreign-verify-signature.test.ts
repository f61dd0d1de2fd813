// Our host's `verify_signature` foreign function against what Envoy 1.40 answered for the same corpus
// (envoy-test/jwt-verify-signature.json, recorded with `node --import tsx envoy-test/jwt-verify-signature.ts
// --record`; that script also re-checks Envoy against the table). The keys are fresh on every run: the
// recorded answers do not depend on them.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { signatureCases, type ForeignAnswer } from '../../envoy-test/jwt-verify-signature-cases.ts';
import { probeBody } from '../../envoy-test/jwt-verify-signature-probe.ts';
import { answerOf, probeFile, TABLE, throughHost } from '../../envoy-test/jwt-verify-signature.ts';

test('verify_signature answers as Envoy 1.40 does, case by case', async () => {
  const table = JSON.parse(readFileSync(TABLE, 'utf8')) as Record<string, ForeignAnswer>;
  const cases = signatureCases();
  assert.deepEqual(cases.map((c) => c.name).sort(), Object.keys(table).sort(), 'the corpus and the recorded table name the same cases');
  const texts = await throughHost(await probeFile(), cases.map((c) => probeBody(c.args)));
  const got: Record<string, ForeignAnswer> = {};
  cases.forEach((c, i) => { const { ns: _ns, ...a } = answerOf(texts[i]); got[c.name] = a; });
  assert.deepEqual(got, table);
});
