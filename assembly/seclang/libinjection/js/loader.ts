// Host side of libinjection.wasm (Node, for tests and benchmarks): builds assembly/seclang/libinjection/
// exports.ts with asc's JS API, caches the binary under node_modules/.cache/meshplug/ keyed by a hash of
// the sources and options, and wraps the exports in a typed API over bytes.
import { buildCachedModule } from '../../../../host/build/cached-module.ts';

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

/** The libinjection.wasm binary for the current sources: from the cache, or built (and cached) first. */
export const buildLibinjectionWasm = (): Promise<Uint8Array> =>
  buildCachedModule({
    tag: 'libinjection', entry: ENTRY, options: ASC_OPTIONS,
    sourceDirs: ['assembly/seclang/libinjection'], sourceFiles: ['assembly/seclang/types.ts'],
  });

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
