// Compiles an AssemblyScript entry into a Proxy-Wasm module in-process (asc.main), with the settings
// every meshplug module needs: our abort (no env.abort import), `_initialize` as the start export,
// and the chosen runtime. Used by `meshplug build`, tests and benches.
import { mkdir, readFile } from 'node:fs/promises';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import asc from 'assemblyscript/asc';
import { envoyLoadProblems } from './wasm-imports.ts';

/** The repository root: the SDK path in `--use abort=` is resolved against it. */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

export interface BuildOptions {
  /** Release optimisation (-O3, converge). Default true. */
  optimize?: boolean;
  /** AssemblyScript runtime. Default "minimal": the SDK collects as callbacks return (sdk/abi/gc.ts). */
  runtime?: 'incremental' | 'minimal' | 'stub';
  /** Keep the name section (function names in Envoy's trap backtraces). Default: only when not optimizing. */
  debugNames?: boolean;
  /** What a release build favours: "size" (Binaryen shrink level 2, the default: small modules load and
   *  start fastest) or "speed" (shrink level 0: hot helpers stay inlined; plugins doing real work per
   *  request, such as crypto or rule matching, run up to 2× faster for a few % more bytes). */
  optimizeFor?: 'size' | 'speed';
  /** Skip the Envoy import check (only for modules that are meant to be refused). */
  skipImportCheck?: boolean;
}

export interface BuildResult {
  outFile: string;
  bytes: Uint8Array<ArrayBuffer>;
}

export class BuildError extends Error {}

/** Compiles `entry` to `outFile`; throws BuildError with the compiler's diagnostics on failure. */
export async function buildModule(entry: string, outFile: string, options: BuildOptions = {}): Promise<BuildResult> {
  const optimize = options.optimize ?? true;
  const args = [
    relative(REPO_ROOT, resolve(entry)),
    '--outFile', resolve(outFile),
    '--runtime', options.runtime ?? 'minimal',
    '--exportStart', '_initialize',
    '--use', 'abort=sdk/abort/abort',
    '--enable', 'simd', // Envoy's V8 runs Wasm SIMD; the crypto library's RSA uses it
    '--baseDir', REPO_ROOT,
  ];
  // Release: -O3 inlining, shrink level by optimizeFor; std-library asserts off (bounds checks stay).
  if (optimize) args.push('--optimizeLevel', '3', '--shrinkLevel', options.optimizeFor === 'speed' ? '0' : '2', '--converge', '--noAssert');
  if (options.debugNames ?? !optimize) args.push('--debug');
  await mkdir(dirname(resolve(outFile)), { recursive: true });
  let diagnostics = '';
  const sink = { write(s: string | Uint8Array) { diagnostics += typeof s === 'string' ? s : new TextDecoder().decode(s); return true; } };
  const { error } = await asc.main(args, { stdout: sink, stderr: sink });
  if (error) {
    const text = diagnostics.trim() || error.message;
    throw new BuildError(`${relative(process.cwd(), entry)}: compile failed\n${text}`);
  }
  const bytes = new Uint8Array(await readFile(outFile));
  if (!options.skipImportCheck) {
    const problems = envoyLoadProblems(new WebAssembly.Module(bytes));
    if (problems.length) throw new BuildError(`${relative(process.cwd(), entry)}: Envoy would refuse the module:\n  ${problems.join('\n  ')}`);
  }
  return { outFile, bytes };
}
