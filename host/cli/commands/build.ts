// `meshplug build [NAME...]`: optimized release builds of plugins/<name>/index.ts into dist/<name>.wasm,
// each checked against Envoy's import list, with its sha256 and size.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseCommandArgs, UsageError } from '../args.ts';
import { BuildError, buildModule, REPO_ROOT } from '../../build/assemblyscript.ts';

export const summary = 'compile plugins/<name>/index.ts to dist/<name>.wasm (release, Envoy-checked)';

const usage = `usage: meshplug build [NAME...] [--out DIR] [--debug] [--optimize-for speed|size]

Builds every plugin under plugins/ (or only those named) into DIR (default dist/) and prints
each module's sha256 and size. Fails on compile errors or imports Envoy does not provide.
  --out DIR                 output directory (default: dist)
  --debug                   unoptimized build with function names (readable traps)
  --optimize-for speed|size what the release build favours; default: the plugin's build.json
                            ("optimizeFor"), else size`;

type OptimizeFor = 'speed' | 'size';

/** plugins/<name>/build.json may say {"optimizeFor": "speed"}: plugins with real per-request work. */
function pluginOptimizeFor(name: string): OptimizeFor {
  const file = join(REPO_ROOT, 'plugins', name, 'build.json');
  if (!existsSync(file)) return 'size';
  let value: unknown;
  try {
    value = (JSON.parse(readFileSync(file, 'utf8')) as { optimizeFor?: unknown }).optimizeFor;
  } catch (e) {
    throw new UsageError(`${relative(process.cwd(), file)}: not JSON (${(e as Error).message})`);
  }
  if (value === undefined) return 'size';
  if (value !== 'speed' && value !== 'size') throw new UsageError(`${relative(process.cwd(), file)}: optimizeFor must be "speed" or "size"`);
  return value;
}

function pluginNames(): string[] {
  const dir = join(REPO_ROOT, 'plugins');
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(dir, d.name, 'index.ts')))
    .map((d) => d.name)
    .sort();
}

export async function run(args: string[]): Promise<number> {
  const parsed = parseCommandArgs(args, { out: { type: 'string' }, debug: { type: 'boolean' }, 'optimize-for': { type: 'string' } }, usage);
  if (!parsed) return 0;
  const available = pluginNames();
  const names = parsed.positionals.length ? parsed.positionals : available;
  const unknown = names.filter((n) => !available.includes(n));
  if (unknown.length) throw new UsageError(`no plugin named ${unknown.join(', ')} (have: ${available.join(', ') || 'none'})`);
  const forced = parsed.values['optimize-for'];
  if (forced !== undefined && forced !== 'speed' && forced !== 'size') throw new UsageError('--optimize-for must be speed or size');
  const outDir = parsed.values.out ?? join(REPO_ROOT, 'dist');
  let failed = 0;
  for (const name of names) {
    const entry = join(REPO_ROOT, 'plugins', name, 'index.ts');
    const outFile = join(outDir, `${name}.wasm`);
    const started = performance.now();
    const optimizeFor = (forced as OptimizeFor | undefined) ?? pluginOptimizeFor(name);
    try {
      const { bytes } = await buildModule(entry, outFile, { optimize: !parsed.values.debug, optimizeFor });
      const sha = createHash('sha256').update(bytes).digest('hex');
      const ms = Math.round(performance.now() - started);
      console.log(`${sha}  ${relative(process.cwd(), outFile)}`);
      console.log(`  ${name}: ${bytes.length} bytes (${(bytes.length / 1024).toFixed(1)} KiB), built in ${ms} ms${parsed.values.debug ? ', debug' : `, optimized for ${optimizeFor}`}`);
    } catch (e) {
      if (!(e instanceof BuildError)) throw e;
      console.error(e.message);
      failed++;
    }
  }
  if (failed) console.error(`meshplug build: ${failed} of ${names.length} plugin(s) failed`);
  return failed ? 1 : 0;
}
