// The gRPC corpus (envoy-test/scenarios/grpc*.json): each case through real Envoy (the clusters as HTTP/2
// clusters to the test gRPC server) and through our host with the same servers, expectations checked for
// both and the two observations diffed field by field. Kept out of the generic scenario loop because its
// clusters need the gRPC fixture servers and HTTP/2 clusters.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runSingleRequest } from '../../host/node/single-request.ts';
import { checkExpectations, type Observation, type Scenario } from '../../test/lib/scenario.ts';
import { configText } from '../../test/lib/host-runner.ts';
import { diffObservations } from './compare.ts';
import { resolveGrpcClusters, withFixtureModules } from './grpc-clusters.ts';
import { repoRoot } from './plugin-path.ts';
import type { Report } from './report.ts';
import { runScenarioInEnvoy } from './scenario-envoy.ts';

export const GRPC_SCENARIO_FILE = /^grpc.*\.json$/;

export function loadGrpcScenarios(): { file: string; scenario: Scenario }[] {
  const dir = join(repoRoot, 'envoy-test', 'scenarios');
  const out: { file: string; scenario: Scenario }[] = [];
  for (const file of readdirSync(dir).filter((f) => GRPC_SCENARIO_FILE.test(f)).sort()) {
    for (const scenario of JSON.parse(readFileSync(join(dir, file), 'utf8')) as Scenario[]) out.push({ file: `envoy-test/scenarios/${file}`, scenario });
  }
  return out;
}

/** One gRPC scenario through our host (in-process, stand-in upstream), with fresh fixture servers. */
export async function runGrpcScenarioInHost(scenario: Scenario): Promise<Observation> {
  const s = await withFixtureModules(scenario);
  const clusters = await resolveGrpcClusters(s.clusters ?? {});
  try {
    return await runSingleRequest({
      plugins: s.plugins.map((p) => ({ file: p.wasm, configuration: configText(p.config), name: p.name, rootId: p.rootId, vmId: p.vmId, failurePolicy: p.failurePolicy })),
      request: s.request,
      upstream: s.upstream,
      clusters: clusters.urls,
      repeat: s.repeat,
    });
  } finally {
    await clusters.close();
  }
}

async function runGrpcScenarioInEnvoy(scenario: Scenario, envoyPath: string, dir: string) {
  const s = await withFixtureModules(scenario);
  let http2 = new Set<string>();
  const run = await runScenarioInEnvoy(s, async (spec) => {
    const r = await resolveGrpcClusters(spec);
    http2 = r.http2;
    return r;
  }, envoyPath, dir, { get http2Clusters() { return http2; } });
  return run;
}

export async function runGrpcSuite(envoyPath: string, report: Report, selected: (name: string) => boolean, dirFor: (name: string) => string): Promise<void> {
  for (const { file, scenario } of loadGrpcScenarios()) {
    const name = `${file} › ${scenario.name}`;
    if (!selected(name)) continue;
    try {
      const problems: string[] = [];
      const run = await runGrpcScenarioInEnvoy(scenario, envoyPath, dirFor(name));
      for (const p of checkExpectations(scenario, { ...run.observation, logs: [...run.observation.logs, ...run.vmLogs] })) problems.push(`Envoy: ${p}`);
      if (scenario.onlyIn?.host !== 'envoy') {
        const ours = await runGrpcScenarioInHost(scenario);
        for (const p of checkExpectations(scenario, ours)) problems.push(`our host: ${p}`);
        for (const d of diffObservations(ours, run.observation)) problems.push(`${d.field}\n  our host: ${d.ours}\n  Envoy:    ${d.envoy}`);
      }
      if (problems.length) report.fail(name, problems, run.stderrPath);
      else report.pass(name);
    } catch (e) {
      report.fail(name, [(e as Error).message]);
    }
  }
}
