// Builds the SDK test plugins of test/fixtures/plugins/ on demand, cached by source content, so tests and
// the Envoy runner load the same module without a separate build step.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { buildModule } from '../../host/build/assemblyscript.ts';
import { repoRoot } from './host-runner.ts';

function sourceHash(dirs: string[]): string {
  const h = createHash('sha256');
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) { if (name !== '__tests__') walk(p); } else if (name.endsWith('.ts')) h.update(p).update(readFileSync(p));
    }
  };
  dirs.forEach(walk);
  return h.digest('hex').slice(0, 16);
}

/** Path of the built `test/fixtures/plugins/<name>` module (compiled once per source version). */
export async function fixturePlugin(name: string): Promise<string> {
  const src = join(repoRoot, 'test/fixtures/plugins', name);
  const hash = sourceHash([src, join(repoRoot, 'sdk'), join(repoRoot, 'assembly')]);
  const out = join(repoRoot, 'node_modules/.cache/meshplug/fixtures', `${name}-${hash}.wasm`);
  if (!existsSync(out)) await buildModule(join(src, 'index.ts'), out);
  return out;
}
