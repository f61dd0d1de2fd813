// Runs inside istio-local's namespace (run.sh's COMMAND): sends a plugin's smoke scenarios through the
// sidecar, inbound and outbound (or, without any, a plain request: LOAD_PROBE), and writes what came back
// as JSON for run.ts to check.
//   node --import tsx envoy-test/istio/send-smoke.ts PLUGIN EXAMPLE_CONFIG_JSON OUT.json
import { writeFileSync } from 'node:fs';
import { LOAD_PROBE, sendScenario, smokeScenarios, type SmokeResult } from './smoke.ts';

const [plugin, configJson, out] = process.argv.slice(2);
if (!plugin || configJson === undefined || !out) {
  console.error('usage: send-smoke.ts PLUGIN EXAMPLE_CONFIG_JSON OUT.json');
  process.exit(2);
}
const inbound = process.env.MESH_INBOUND;
const outbound = process.env.MESH_OUTBOUND;
if (!inbound || !outbound) {
  console.error('send-smoke.ts: MESH_INBOUND / MESH_OUTBOUND not set (run it through istio-local/run.sh)');
  process.exit(2);
}
const results: SmokeResult[] = [];
const scenarios = smokeScenarios(plugin, JSON.parse(configJson) as Record<string, unknown>);
for (const s of scenarios.length ? scenarios : [LOAD_PROBE]) {
  results.push(await sendScenario(s, inbound, 'inbound'));
  results.push(await sendScenario(s, outbound, 'outbound'));
}
writeFileSync(out, JSON.stringify(results, null, 1));
