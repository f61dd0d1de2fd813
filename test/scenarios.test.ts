// Every scenario of test/scenarios/ through our host, checked against its expectations.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runScenarioInHost } from './lib/host-runner.ts';
import { checkExpectations, loadScenarios } from './lib/scenario.ts';

for (const { file, scenario } of loadScenarios()) {
  const skip = scenario.onlyIn && scenario.onlyIn.host !== 'ours' ? `envoy only: ${scenario.onlyIn.reason}` : false;
  test(`${file}: ${scenario.name}`, { skip }, async () => {
    const obs = await runScenarioInHost(scenario);
    const problems = checkExpectations(scenario, obs);
    assert.deepEqual(problems, [], `observation: ${JSON.stringify(obs, null, 1)}`);
  });
}
