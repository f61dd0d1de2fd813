// The oidc login redirects carry fresh random values (state, nonce, PKCE challenge, sealed state cookie), so
// their scenarios declare `volatile` parts that the host-vs-Envoy diff compares by shape. This proves the
// shape comparison hides exactly the randomness — two runs in our host agree, a changed parameter name,
// constant value, cookie attribute or value length does not — and that our host and real Envoy 1.40 agree
// on those scenarios (the Envoy part is skipped when Envoy or dist/oidc.wasm is missing).
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { diffObservations, shapeOf } from '../../envoy-test/lib/compare.ts';
import { runScenarioInEnvoy } from '../../envoy-test/lib/scenario-envoy.ts';
import { locateEnvoy } from '../../host/envoy/locate.ts';
import { resolveClusters } from '../lib/fixtures.ts';
import { repoRoot, runScenarioInHost } from '../lib/host-runner.ts';
import { checkExpectations, loadScenarios, type Observation, type Scenario } from '../lib/scenario.ts';

const wasm = join(repoRoot, 'dist/oidc.wasm');
const volatileScenarios: Scenario[] = loadScenarios().filter((c) => c.file === 'oidc.json' && c.scenario.volatile).map((c) => c.scenario);
const envoy = locateEnvoy();
const noWasm = existsSync(wasm) ? false : 'dist/oidc.wasm is not built';

function withHeader(o: Observation, name: string, edit: (v: string) => string): Observation {
  return { ...o, response: { ...o.response, headers: o.response.headers.map(([k, v]) => [k, k === name ? edit(v) : v] as [string, string]) } };
}

test('the shape of a value keeps short tokens and the lengths of long base64url runs', () => {
  assert.equal(shapeOf('https://idp/a?client_id=meshplug&state=' + 'A'.repeat(43) + '&x=1'), 'https://idp/a?client_id=meshplug&state=<random:43>&x=1');
  assert.equal(shapeOf('oidc_state=' + 'b-_9'.repeat(30) + '; Path=/; Max-Age=600; HttpOnly'), 'oidc_state=<random:120>; Path=/; Max-Age=600; HttpOnly');
});

test('oidc.json declares volatile parts for the login redirects', () => {
  assert.equal(volatileScenarios.length, 2);
  for (const s of volatileScenarios) {
    assert.equal(s.onlyIn, undefined, `${s.name} runs in both hosts`);
    assert.deepEqual(s.volatile, ['response.headers.location', 'response.headers.set-cookie']);
  }
});

test('two runs of a redirect scenario differ exactly, agree by shape, and real differences still show', { skip: noWasm }, async () => {
  for (const s of volatileScenarios) {
    const a = await runScenarioInHost(s);
    const b = await runScenarioInHost(s);
    assert.deepEqual(checkExpectations(s, a), []);
    assert.notDeepEqual(diffObservations(a, b).map((d) => d.field), [], 'the random values differ run to run');
    assert.deepEqual(diffObservations(a, b, s.volatile), [], `${s.name}: by shape the runs agree`);
    const changed = [
      withHeader(b, 'location', (v) => v.replace('code_challenge=', 'code_challenges=')),
      withHeader(b, 'location', (v) => v.replace('client_id=meshplug', 'client_id=meshplog')),
      withHeader(b, 'location', (v) => v.replace('http://idp.example.com/', 'http://evil.example.com/')),
      withHeader(b, 'set-cookie', (v) => v.replace('HttpOnly', 'Secure')),
      withHeader(b, 'set-cookie', (v) => v.replace(/=([A-Za-z0-9_-]{16,})/, '=$1x')),
    ];
    for (const c of changed) assert.deepEqual(diffObservations(a, c, s.volatile).map((d) => d.field), ['response headers']);
  }
});

test('a volatile entry that names nothing comparable is reported', () => {
  const o: Observation = { upstreamRequest: null, response: { status: 200, headers: [], body: '' }, logs: [], metrics: {} };
  assert.deepEqual(diffObservations(o, o, ['response.header.location', 'response.headers.Location']).map((d) => d.field), ['scenario volatile list']);
  assert.deepEqual(diffObservations(o, o, ['response.headers.location', 'upstream.headers.x-a', 'response.body', 'upstream.body']), []);
});

test('Envoy 1.40 and our host agree on the redirect scenarios by shape', { skip: noWasm || ('missing' in envoy ? envoy.missing : false) }, async () => {
  const envoyPath = 'missing' in envoy ? '' : envoy.path;
  for (const s of volatileScenarios) {
    const run = await runScenarioInEnvoy(s, resolveClusters, envoyPath);
    assert.deepEqual(checkExpectations(s, run.observation), [], `${s.name} in Envoy`);
    const ours = await runScenarioInHost(s);
    assert.deepEqual(diffObservations(ours, run.observation, s.volatile), [], `${s.name}: our host vs Envoy`);
  }
});
