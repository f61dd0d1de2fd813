// envoy-test/conformance.json is read by two runners: keep it well-formed, and every module compiling.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { loadConformance } from '../../envoy-test/lib/conformance-table.ts';
import { repoRoot } from '../../envoy-test/lib/plugin-path.ts';
import { compileWat } from '../fixtures/wat/compile.ts';

test('each row names a compiling module and says what to expect', async () => {
  const rows = loadConformance();
  assert.ok(rows.length >= 10);
  assert.equal(new Set(rows.map((r) => r.name)).size, rows.length, 'row names must be unique');
  for (const r of rows) {
    const bytes = await compileWat(join(repoRoot, r.module));
    assert.ok(WebAssembly.validate(bytes), `${r.module} is not a valid module`);
    assert.ok(r.outcome === 'refused' || r.outcome === 'serves', `${r.name}: outcome`);
    if (r.outcome === 'refused') assert.ok((r.logs ?? []).length > 0 && !r.requests, `${r.name}: a refusal is described by its log lines`);
    else assert.ok((r.requests ?? []).length > 0, `${r.name}: a served module needs requests`);
    assert.ok(!(r.plugin.failOpen !== undefined && r.plugin.failurePolicy !== undefined), `${r.name}: Envoy refuses both fail_open and failure_policy`);
  }
});

test('the faults the issue lists are all covered', () => {
  const modules = new Set(loadConformance().map((r) => r.module.split('/').pop()));
  for (const m of ['no-abi-marker.wat', 'imports-env-abort.wat', 'bad-export-signature.wat', 'no-allocator.wat', 'trap-request-headers.wat', 'configure-fails.wat', 'unbounded-memory.wat']) {
    assert.ok(modules.has(m), m);
  }
});
