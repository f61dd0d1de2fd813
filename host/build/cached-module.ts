// Library modules built for Node tests and benchmarks (regex.wasm, the SecLang operators, body processors,
// libinjection): compiled with asc's JS API from the repo's sources and cached under
// node_modules/.cache/meshplug/<tag>-<hash>.wasm, the hash covering the compiler version, the options and
// every .ts file of the listed folders, so an edit rebuilds and an unchanged tree loads in milliseconds.
import { createHash } from 'node:crypto';
import { mkdir, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { REPO_ROOT } from './assemblyscript.ts';

const cacheDir = join(REPO_ROOT, 'node_modules/.cache/meshplug');

export interface CachedModuleSpec {
  /** Cache file prefix and the name in error messages, e.g. `regex` or `seclang-ops-minimal`. */
  tag: string;
  /** Entry file, relative to the repo root. */
  entry: string;
  /** asc options (no entry, no --outFile). */
  options: string[];
  /** Folders (relative to the repo root) whose .ts files go into the build. */
  sourceDirs: string[];
  /** Single files outside those folders that go into the build too. */
  sourceFiles?: string[];
}

async function sourceHash(spec: CachedModuleSpec): Promise<string> {
  const h = createHash('sha256');
  const ascPkg = JSON.parse(await readFile(join(REPO_ROOT, 'node_modules/assemblyscript/package.json'), 'utf8')) as { version: string };
  h.update(ascPkg.version + '\0' + spec.entry + '\0' + spec.options.join(' ') + '\0');
  for (const dir of spec.sourceDirs) {
    const names = (await readdir(join(REPO_ROOT, dir))).filter((n) => n.endsWith('.ts')).sort();
    for (const n of names) h.update(dir + '/' + n + '\0' + (await readFile(join(REPO_ROOT, dir, n))) + '\0');
  }
  for (const f of spec.sourceFiles ?? []) h.update(f + '\0' + (await readFile(join(REPO_ROOT, f))) + '\0');
  return h.digest('hex').slice(0, 16);
}

/** The module's binary for the current sources: from the cache, or built (and cached) first. */
export async function buildCachedModule(spec: CachedModuleSpec): Promise<Uint8Array> {
  const file = join(cacheDir, `${spec.tag}-${await sourceHash(spec)}.wasm`);
  try {
    return new Uint8Array(await readFile(file));
  } catch {
    /* not built yet */
  }
  const asc = (await import('assemblyscript/asc')).default;
  let binary: Uint8Array | null = null;
  const stderr: string[] = [];
  // --baseDir: this tree's sources whatever the working directory (the hash covers the same files).
  const result = await asc.main([spec.entry, ...spec.options, '--baseDir', REPO_ROOT, '--outFile', `${spec.tag}.wasm`], {
    // The repo's asconfig.json belongs to the plugin builds; these modules are built from their options alone.
    readFile: (name: string, baseDir: string) =>
      name.endsWith('asconfig.json') ? null : readFile(join(baseDir, name), 'utf8').catch(() => null),
    writeFile: (name: string, contents: Uint8Array | string) => {
      if (name.endsWith('.wasm') && typeof contents !== 'string') binary = contents;
    },
    listFiles: () => [],
    stdout: { write: () => true },
    stderr: { write: (s: string) => { stderr.push(String(s)); return true; } },
  } as never);
  if (result.error || !binary) {
    throw new Error(`building ${spec.tag}.wasm failed: ${result.error?.message ?? 'no output'}\n${stderr.join('')}`);
  }
  await mkdir(cacheDir, { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, binary);
  await rename(tmp, file);
  // Builds of older sources are never used again.
  const mine = new RegExp(`^${spec.tag.replace(/[^a-z0-9]/gi, (c) => `\\${c}`)}-[0-9a-f]{16}\\.wasm$`);
  for (const old of await readdir(cacheDir)) {
    if (mine.test(old) && join(cacheDir, old) !== file) await rm(join(cacheDir, old), { force: true });
  }
  return binary;
}
