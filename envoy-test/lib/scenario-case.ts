// One scenario through Envoy and through our host: expectations checked for both, then the two
// observations diffed field by field. Returns an outcome for the report instead of printing, so cases can
// run concurrently and still be reported in corpus order.
import { checkExpectations, type Observation, type Scenario } from '../../test/lib/scenario.ts';
import { diffObservations } from './compare.ts';
import type { HostRunner } from './host-side.ts';
import { missingModule } from './plugin-path.ts';
import { runScenarioInEnvoy, SkipScenario, type ClusterResolver } from './scenario-envoy.ts';

export type Outcome =
  | { kind: 'pass'; name: string; note?: string }
  | { kind: 'fail'; name: string; details: string[]; stderrPath?: string }
  | { kind: 'skip'; name: string; why: string };

export interface CaseContext {
  envoyPath: string;
  resolveCluster: ClusterResolver;
  /** Our host's runner, or why it is not available. */
  host: HostRunner | string;
  /** Serializes our host's runs (it runs in this process; its reentrancy is not promised). */
  hostLock: <T>(f: () => Promise<T>) => Promise<T>;
  dirFor: (name: string) => string;
}

/** What is missing from an Observation (the host runner is another engineer's code: check its shape). */
export function observationProblem(o: Observation): string | null {
  if (!o || typeof o !== 'object') return 'not an object';
  if (typeof o.response?.status !== 'number') return 'response.status is not a number';
  if (!Array.isArray(o.response.headers)) return 'response.headers is not a list';
  if (typeof o.response.body !== 'string') return 'response.body is not a string';
  if (o.upstreamRequest !== null && !Array.isArray(o.upstreamRequest?.headers)) return 'upstreamRequest.headers is not a list';
  if (!Array.isArray(o.logs)) return 'logs is not a list';
  if (!o.metrics || typeof o.metrics !== 'object') return 'metrics is not an object';
  return null;
}

export async function runScenarioCase(s: Scenario, name: string, ctx: CaseContext): Promise<Outcome> {
  if (s.onlyIn?.host === 'ours') return { kind: 'skip', name, why: `our host only: ${s.onlyIn.reason}` };
  const missing = missingModule(s.plugins);
  if (missing) return { kind: 'skip', name, why: missing };
  try {
    const run = await runScenarioInEnvoy(s, ctx.resolveCluster, ctx.envoyPath, ctx.dirFor(name));
    const problems: string[] = [];
    // Expectations may name Envoy's own VM lines (a trap), so both kinds of line count for them.
    const withVm = { ...run.observation, logs: [...run.observation.logs, ...run.vmLogs] };
    for (const p of checkExpectations(s, withVm)) problems.push(`Envoy: ${p}`);
    const host = ctx.host;
    if (typeof host !== 'string' && s.onlyIn?.host !== 'envoy') {
      let ours: Observation | null = null;
      try {
        ours = await ctx.hostLock(() => host(s));
      } catch (e) {
        problems.push(`our host failed: ${(e as Error).message}`);
      }
      const malformed = ours && observationProblem(ours);
      if (malformed) problems.push(`our host returned a malformed observation: ${malformed}`);
      else if (ours) {
        for (const p of checkExpectations(s, ours)) problems.push(`our host: ${p}`);
        for (const d of diffObservations(ours, run.observation, s.volatile)) {
          problems.push(`${s.name} · ${d.field}\n  our host: ${d.ours}\n  Envoy:    ${d.envoy}`);
        }
      }
    }
    if (problems.length) return { kind: 'fail', name, details: problems, stderrPath: run.stderrPath };
    return { kind: 'pass', name, note: typeof host === 'string' || s.onlyIn ? 'Envoy only' : undefined };
  } catch (e) {
    if (e instanceof SkipScenario) return { kind: 'skip', name, why: e.message };
    return { kind: 'fail', name, details: [(e as Error).message] };
  }
}

/** Runs tasks with at most `jobs` at a time; yields results in task order as soon as each is ready. */
export async function* inOrder<T>(tasks: (() => Promise<T>)[], jobs: number): AsyncGenerator<T> {
  const started: Promise<T>[] = [];
  let next = 0;
  const startMore = () => {
    while (next < tasks.length && next - done < jobs) started.push(tasks[next++]!());
  };
  let done = 0;
  startMore();
  for (let i = 0; i < tasks.length; i++) {
    const r = await started[i]!;
    done++;
    startMore();
    yield r;
  }
}

/** A lock: calls run one after another in call order. */
export function serial(): <T>(f: () => Promise<T>) => Promise<T> {
  let tail: Promise<unknown> = Promise.resolve();
  return <T>(f: () => Promise<T>) => {
    const run = tail.then(f, f);
    tail = run.catch(() => undefined);
    return run;
  };
}
