// `meshplug build [NAME...]`: optimized release builds of plugins/<name>/index.ts into dist/<name>.wasm,
// each checked against Envoy's import list, with its sha256 and size.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseCommandArgs, UsageError } from '../args.ts';
import { BuildError, buildModule, REPO_ROOT } from '../../build/assemblyscript.ts';

export const summary = 'compile plugins/<name>/index.ts to dist/<name>.wasm (release, Envoy-checked)';

const usage = `usage: meshplug build [NAME...] [--out DIR] [--debug]

Builds every plugin under plugins/ (or only those named) into DIR (default dist/) and prints
each module's sha256 and size. Fails on compile errors or imports Envoy does not provide.
  --out DIR   output directory (default: dist)
  --debug     unoptimized build with function names (readable traps)`;

function pluginNames(): string[] {
  const dir = join(REPO_ROOT, 'plugins');
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(dir, d.name, 'index.ts')))
    .map((d) => d.name)
    .sort();
}

export async function run(args: string[]): Promise<number> {
  const parsed = parseCommandArgs(args, { out: { type: 'string' }, debug: { type: 'boolean' } }, usage);
  if (!parsed) return 0;
  const available = pluginNames();
  const names = parsed.positionals.length ? parsed.positionals : available;
  const unknown = names.filter((n) => !available.includes(n));
  if (unknown.length) throw new UsageError(`no plugin named ${unknown.join(', ')} (have: ${available.join(', ') || 'none'})`);
  const outDir = parsed.values.out ?? join(REPO_ROOT, 'dist');
  let failed = 0;
  for (const name of names) {
    const entry = join(REPO_ROOT, 'plugins', name, 'index.ts');
    const outFile = join(outDir, `${name}.wasm`);
    const started = performance.now();
    try {
      const { bytes } = await buildModule(entry, outFile, { optimize: !parsed.values.debug });
      const sha = createHash('sha256').update(bytes).digest('hex');
      const ms = Math.round(performance.now() - started);
      console.log(`${sha}  ${relative(process.cwd(), outFile)}`);
      console.log(`  ${name}: ${bytes.length} bytes (${(bytes.length / 1024).toFixed(1)} KiB), built in ${ms} ms`);
    } catch (e) {
      if (!(e instanceof BuildError)) throw e;
      console.error(e.message);
      failed++;
    }
  }
  if (failed) console.error(`meshplug build: ${failed} of ${names.length} plugin(s) failed`);
  return failed ? 1 : 0;
}
