// Compiles test/wycheproof/crypto-entry.ts (and the assembly/crypto library it imports) with the
// AssemblyScript compiler API into a temp dir, release-optimized with SIMD. The result is cached
// by a hash of the sources, so repeated test/bench runs skip the compile.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot: string = fileURLToPath(new URL('../..', import.meta.url));
const entry = 'test/wycheproof/crypto-entry.ts';

function sourceFiles(): string[] {
  const out: string[] = [join(repoRoot, entry)];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (name.endsWith('.ts')) out.push(p);
    }
  };
  // The crypto library and the libraries it imports (JWK parsing uses json and encoding).
  for (const lib of ['assembly/crypto', 'assembly/json', 'assembly/encoding']) walk(join(repoRoot, lib));
  return out;
}

// Our own config, so the repo's asconfig.json (plugin builds: custom abort, size tuning) is not applied.
const config = 'test/wycheproof/asconfig.json';
export const ascFlags: readonly string[] = ['--config', config];

/** Returns the path of the compiled module, compiling only when the sources changed. */
export async function buildCryptoWasm(): Promise<string> {
  const hash = createHash('sha256');
  hash.update(readFileSync(join(repoRoot, config)));
  for (const f of sourceFiles()) hash.update(relative(repoRoot, f)).update(readFileSync(f));
  const dir = join(tmpdir(), 'meshplug-crypto-wasm');
  mkdirSync(dir, { recursive: true });
  const out = join(dir, `crypto-${hash.digest('hex').slice(0, 16)}.wasm`);
  if (existsSync(out)) return out;
  const asc = (await import('assemblyscript/asc')).default;
  const tmpOut = `${out}.${process.pid}.tmp.wasm`;
  // Compiler chatter goes to stderr: the runner's stdout is its report.
  const { error, stderr } = await asc.main([entry, '--baseDir', repoRoot, '--outFile', tmpOut, ...ascFlags], {
    stdout: process.stderr,
  });
  if (error) throw new Error(`asc failed: ${error.message}\n${stderr.toString()}`);
  // Rename is atomic, so a concurrent run never sees a half-written module.
  renameSync(tmpOut, out);
  // Drop builds of older sources (kept for an hour in case a concurrent run still loads one).
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (p !== out && name.startsWith('crypto-') && Date.now() - statSync(p).mtimeMs > 3600_000) rmSync(p, { force: true });
  }
  return out;
}
