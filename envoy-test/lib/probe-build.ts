// Builds the SDK engineer's probe plugin (test/fixtures/plugins/probe/) for envoy-test/scenarios/, into
// the git-ignored tmp/, and only when a source is newer than the last build (an AssemblyScript build
// takes seconds, the suite should not pay it on every run).
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { optionalImport } from './optional-import.ts';
import { repoRoot } from './plugin-path.ts';

export const PROBE_PLUGIN_WASM = 'tmp/envoy-test/probe.wasm';
const SOURCES = ['sdk', 'assembly', 'test/fixtures/plugins/probe'];

function newestMtime(dir: string): number {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    newest = Math.max(newest, e.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

/** Null when the probe is built and current; otherwise why it could not be built. */
export async function buildProbePlugin(): Promise<string | null> {
  if (!existsSync(join(repoRoot, 'test/fixtures/plugins/probe/index.ts'))) return 'test/fixtures/plugins/probe is not there';
  const out = join(repoRoot, PROBE_PLUGIN_WASM);
  const sources = Math.max(...SOURCES.filter((d) => existsSync(join(repoRoot, d))).map((d) => newestMtime(join(repoRoot, d))));
  if (existsSync(out) && statSync(out).mtimeMs >= sources) return null;
  const m = await optionalImport('host/build/assemblyscript.ts');
  if (typeof m === 'string') return m;
  if (typeof m.buildModule !== 'function') return 'host/build/assemblyscript.ts exports no buildModule';
  try {
    await (m.buildModule as (entry: string, outFile: string) => Promise<unknown>)(join(repoRoot, 'test/fixtures/plugins/probe/index.ts'), out);
    return null;
  } catch (e) {
    return `probe build failed: ${(e as Error).message.split('\n').slice(0, 3).join(' ')}`;
  }
}
