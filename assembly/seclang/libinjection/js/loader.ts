// Host side of libinjection.wasm (Node, for tests and benchmarks): builds assembly/seclang/libinjection/
// exports.ts with asc's JS API, caches the binary under node_modules/.cache/meshplug/ keyed by a hash of
// the sources and options, and wraps the exports in a typed API over bytes.
import { createHash } from 'node:crypto';
import { mkdir, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../../../', import.meta.url));
const srcDir = join(root, 'assembly/seclang/libinjection');
const cacheDir = join(root, 'node_modules/.cache/meshplug');
const ENTRY = 'assembly/seclang/libinjection/exports.ts';
// --use abort= turns failed checks into `unreachable` instead of importing env.abort, which Envoy lacks.
const ASC_OPTIONS = ['-O3', '--runtime', 'incremental', '--noAssert', '--use', 'abort=', '--exportRuntime'];

interface Exports {
  memory: WebAssembly.Memory;
  buffer(n: number): number;
  sqli(n: number): number;
  xss(n: number): number;
  sqliRepeat(n: number, rounds: number): number;
  xssRepeat(n: number, rounds: number): number;
  out(): number;
  outLength(): number;
}

async function sourceHash(): Promise<string> {
  const h = createHash('sha256');
  const ascPkg = JSON.parse(await readFile(join(root, 'node_modules/assemblyscript/package.json'), 'utf8')) as {
    version: string;
  };
  h.update(ascPkg.version + '\0' + ASC_OPTIONS.join(' ') + '\0');
  const names = (await readdir(srcDir)).filter((n) => n.endsWith('.ts')).sort();
  for (const n of names) h.update(n + '\0' + (await readFile(join(srcDir, n))) + '\0');
  h.update(await readFile(join(root, 'assembly/seclang/types.ts')));
  return h.digest('hex').slice(0, 16);
}

/** The libinjection.wasm binary for the current sources: from the cache, or built (and cached) first. */
export async function buildLibinjectionWasm(): Promise<Uint8Array> {
  const file = join(cacheDir, `libinjection-${await sourceHash()}.wasm`);
  try {
    return new Uint8Array(await readFile(file));
  } catch {
    /* not built yet */
  }
  const asc = (await import('assemblyscript/asc')).default;
  let binary: Uint8Array | null = null;
  const stderr: string[] = [];
  const result = await asc.main([ENTRY, ...ASC_OPTIONS, '--outFile', 'libinjection.wasm'], {
    // The repo's asconfig.json belongs to the plugin builds; this build uses ASC_OPTIONS alone.
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
    throw new Error(`building libinjection.wasm failed: ${result.error?.message ?? 'no output'}\n${stderr.join('')}`);
  }
  await mkdir(cacheDir, { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, binary);
  await rename(tmp, file);
  for (const old of await readdir(cacheDir)) {
    if (/^libinjection-[0-9a-f]{16}\.wasm$/.test(old) && join(cacheDir, old) !== file) {
      await rm(join(cacheDir, old), { force: true });
    }
  }
  return binary;
}

const dec = new TextDecoder('latin1');

export class Libinjection {
  private constructor(private readonly x: Exports) {}

  static async load(): Promise<Libinjection> {
    const module = await WebAssembly.compile((await buildLibinjectionWasm()) as Uint8Array<ArrayBuffer>);
    const instance = await WebAssembly.instantiate(module, {});
    return new Libinjection(instance.exports as unknown as Exports);
  }

  /** Copies input into the module; returns its length. */
  load(input: Uint8Array): number {
    const ptr = this.x.buffer(input.length);
    new Uint8Array(this.x.memory.buffer, ptr, input.length).set(input);
    return input.length;
  }

  /** The SQLi fingerprint, or null when not SQLi. */
  sqli(input: Uint8Array): string | null {
    const r = this.x.sqli(this.load(input));
    if (r < 0) throw new Error('libinjection.wasm rejected the input length');
    if (r === 0) return null;
    return dec.decode(new Uint8Array(this.x.memory.buffer, this.x.out(), this.x.outLength()));
  }

  xss(input: Uint8Array): boolean {
    const r = this.x.xss(this.load(input));
    if (r < 0) throw new Error('libinjection.wasm rejected the input length');
    return r === 1;
  }

  /** Runs detection `rounds` times on the loaded input (n bytes) inside the module; the hit count. */
  sqliRepeat(n: number, rounds: number): number {
    return this.x.sqliRepeat(n, rounds);
  }

  xssRepeat(n: number, rounds: number): number {
    return this.x.xssRepeat(n, rounds);
  }

  memoryBytes(): number {
    return this.x.memory.buffer.byteLength;
  }
}
