// The jwt-auth oracle (envoy-test/jwt-oracle.ts) as a test: every request of its corpus through Envoy's
// native jwt_authn + rbac (configured as istiod translates the same resources), through dist/jwt-auth.wasm
// in Envoy and in our host; any disagreement that is not a documented deliberate difference fails.
// Skipped without Envoy or the built module, except under CI=true.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runOracle } from '../../envoy-test/jwt-oracle.ts';

test('jwt-auth answers as Envoy\'s native jwt_authn + rbac (the oracle)', { timeout: 180_000 }, async (t) => {
  const run = await runOracle();
  if (run.skipped) {
    assert.notEqual(process.env.CI, 'true', `the oracle must run under CI: ${run.skipped}`);
    t.skip(run.skipped);
    return;
  }
  assert.ok(run.results.length > 100, `the corpus ran ${run.results.length} requests`);
  // The TLS peer-identity configuration needs the openssl CLI; CI must have it.
  if (process.env.CI === 'true') assert.ok(run.results.some((r) => r.name.startsWith('peers ›')), 'the TLS (peers) configuration ran');
  const failures = run.results.filter((r) => r.problems.length > 0).map((r) => `${r.name}\n  ${r.problems.join('\n  ')}`);
  assert.deepEqual(failures, [], `disagreements with native Envoy (configs and logs: ${run.work})`);
  // The deliberate differences are exactly the documented ones and still differ.
  const deliberate = run.results.filter((r) => r.deliberate).map((r) => r.name);
  assert.ok(deliberate.some((n) => n.includes('crit')), 'the crit difference is exercised');
});

// The run above takes the module's default (verifyWith auto: RS and ES signatures through Envoy's
// verify_signature in Envoy, node:crypto in our host). The signature-heavy configurations again with the
// Wasm crypto: the answers must not depend on the path.
test('the oracle\'s signature cases with verifyWith: wasm', { timeout: 180_000 }, async (t) => {
  const run = await runOracle(['authn ›', 'algorithms ›'], 'wasm');
  if (run.skipped) {
    assert.notEqual(process.env.CI, 'true', `the oracle must run under CI: ${run.skipped}`);
    t.skip(run.skipped);
    return;
  }
  assert.ok(run.results.some((r) => r.name.startsWith('algorithms ›')) && run.results.some((r) => r.name.startsWith('authn ›')));
  const failures = run.results.filter((r) => r.problems.length > 0).map((r) => `${r.name}\n  ${r.problems.join('\n  ')}`);
  assert.deepEqual(failures, [], `disagreements with native Envoy (configs and logs: ${run.work})`);
});
