// Drives a scenario through our host (in-process, stand-in upstream) and returns its Observation.
import { existsSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runSingleRequest } from '../../host/node/single-request.ts';
import { resolveClusters } from './fixtures.ts';
import type { Observation, Scenario, ScenarioPlugin } from './scenario.ts';

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

/** `hello` → dist/hello.wasm; a path (with `/` or `.wasm`) → relative to the repo root. */
export function wasmPath(p: ScenarioPlugin): string {
  const file = p.wasm.includes('/') || p.wasm.endsWith('.wasm') ? p.wasm : join('dist', `${p.wasm}.wasm`);
  const full = isAbsolute(file) ? file : join(repoRoot, file);
  if (!existsSync(full)) throw new Error(`${file} does not exist: run \`npm run build:plugin\` first`);
  return full;
}

export function configText(c: unknown): string | undefined {
  if (c === undefined) return undefined;
  return typeof c === 'string' ? c : JSON.stringify(c);
}

export async function runScenarioInHost(s: Scenario): Promise<Observation> {
  const clusters = await resolveClusters(s.clusters ?? {});
  try {
    return await runSingleRequest({
      plugins: s.plugins.map((p) => ({
        file: wasmPath(p),
        configuration: configText(p.config),
        name: p.name,
        rootId: p.rootId,
        vmId: p.vmId,
        failurePolicy: p.failurePolicy,
      })),
      request: s.request,
      upstream: s.upstream,
      clusters: clusters.urls,
      repeat: s.repeat,
    });
  } finally {
    await clusters.close();
  }
}
