// Our host's side of the comparison, loaded lazily: test/lib/host-runner.ts (the lead's) and
// test/lib/fixtures.ts may not exist in every checkout, and the Envoy half must run without them.
import type { Observation, Scenario } from '../../test/lib/scenario.ts';
import { SkipScenario, type ClusterResolver } from './scenario-envoy.ts';
import { optionalImport } from './optional-import.ts';

export type HostRunner = (s: Scenario) => Promise<Observation>;

export async function loadHostRunner(): Promise<HostRunner | string> {
  const m = await optionalImport('test/lib/host-runner.ts');
  if (typeof m === 'string') return m;
  const fn = m.runScenarioInHost;
  return typeof fn === 'function' ? (fn as HostRunner) : 'test/lib/host-runner.ts exports no runScenarioInHost';
}

/** Cluster fixtures through test/lib/fixtures.ts (the same servers our host's runner uses); without it,
 *  only http(s) URLs. */
export async function loadClusterResolver(): Promise<ClusterResolver> {
  const m = await optionalImport('test/lib/fixtures.ts');
  if (typeof m !== 'string' && typeof m.resolveClusters === 'function') {
    const resolve = m.resolveClusters as ClusterResolver;
    return async (spec) => {
      try {
        return await resolve(spec);
      } catch (e) {
        throw new SkipScenario(`clusters: ${(e as Error).message}`);
      }
    };
  }
  const why = typeof m === 'string' ? m : 'test/lib/fixtures.ts exports no resolveClusters';
  return async (spec) => {
    for (const [name, value] of Object.entries(spec)) {
      if (!/^https?:\/\//.test(value)) throw new SkipScenario(`cluster ${name} = fixture '${value}': ${why}`);
    }
    return { urls: { ...spec }, close: async () => {} };
  };
}
