// Resolves a scenario's `wasm` field the way test/lib/scenario.ts documents it: `hello` → dist/hello.wasm,
// anything with a `/` or ending in `.wasm` → a path relative to the repo root.
import { existsSync } from 'node:fs';
import { basename, isAbsolute, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ScenarioPlugin } from '../../test/lib/scenario.ts';

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

export function wasmFile(wasm: string): string {
  if (isAbsolute(wasm)) return wasm;
  return wasm.includes('/') || wasm.endsWith('.wasm') ? join(repoRoot, wasm) : join(repoRoot, 'dist', `${wasm}.wasm`);
}

/** Envoy's `config.name` default: the module's base name without `.wasm`. */
export function pluginName(p: ScenarioPlugin): string {
  return p.name ?? basename(p.wasm).replace(/\.wasm$/, '');
}

export function pluginConfiguration(p: ScenarioPlugin): string | undefined {
  if (p.config === undefined) return undefined;
  return typeof p.config === 'string' ? p.config : JSON.stringify(p.config);
}

/** The first plugin module that is not there, as a reason to skip, or null. */
export function missingModule(plugins: ScenarioPlugin[]): string | null {
  for (const p of plugins) {
    const f = wasmFile(p.wasm);
    if (!existsSync(f)) return `${f.startsWith(repoRoot) ? f.slice(repoRoot.length) : f} is not built (npm run build:plugin)`;
  }
  return null;
}
