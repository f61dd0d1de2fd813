// Node side of the SecLang operators/transformations module: builds assembly/seclang/operators/exports.ts
// with asc's JS API (cached under node_modules/.cache/meshplug/ by a hash of the sources it compiles) and
// wraps its exports. Used by test/seclang/transforms.test.ts and bench/waf-ops.ts.
import { buildCachedModule } from '../../../../host/build/cached-module.ts';

const ENTRY = 'assembly/seclang/operators/exports.ts';
// Every directory whose sources go into the build (the hash covers them all).
const SOURCE_DIRS = [
  'assembly/seclang', 'assembly/seclang/operators', 'assembly/seclang/transforms', 'assembly/seclang/libinjection',
  'assembly/regex', 'assembly/encoding',
];
// No env.abort (Envoy lacks it): failed checks become `unreachable`, which a test sees as a trap.
// `incremental` for tests (garbage is collected as they go); `minimal` is the plugins' runtime (garbage stays
// until the host side calls __collect), which the construction benchmark uses to see what the plugin sees.
export type Runtime = 'incremental' | 'minimal';
const ascOptions = (runtime: Runtime): string[] => ['-O3', '--runtime', runtime, '--noAssert', '--use', 'abort=', '--exportRuntime'];

interface Exports {
  memory: WebAssembly.Memory;
  buffer(which: number, n: number): number;
  outPtr(): number;
  outLength(): number;
  transformIdOf(): number;
  transform(id: number): number;
  compile(): number;
  putFile(): void;
  match(h: number, capture: number): number;
  benchTransform(id: number, rounds: number): number;
  benchMatch(h: number, rounds: number): number;
  /** Only in builds whose exports.ts has it (the benchmark also loads older trees as a baseline). */
  pmMemoryBytes?(h: number): number;
  benchMatchExpanded?(h: number, rounds: number): number;
  __collect(): void;
}

/** The module's binary for the current sources: from the cache, or built (and cached) first. */
export const buildSeclangOpsWasm = (runtime: Runtime = 'incremental'): Promise<Uint8Array> =>
  // One cached binary per runtime: the tag keeps the two from evicting each other.
  buildCachedModule({
    tag: runtime === 'incremental' ? 'seclang-ops' : `seclang-ops-${runtime}`,
    entry: ENTRY, options: ascOptions(runtime), sourceDirs: SOURCE_DIRS,
  });

const enc = new TextEncoder();
const dec = new TextDecoder();

export class SeclangOps {
  private constructor(private readonly x: Exports) {}

  static async load(runtime: Runtime = 'incremental'): Promise<SeclangOps> {
    const module = await WebAssembly.compile((await buildSeclangOpsWasm(runtime)) as Uint8Array<ArrayBuffer>);
    const instance = await WebAssembly.instantiate(module, {});
    return new SeclangOps(instance.exports as unknown as Exports);
  }

  private put(which: number, bytes: Uint8Array): void {
    const ptr = this.x.buffer(which, bytes.length);
    new Uint8Array(this.x.memory.buffer, ptr, bytes.length).set(bytes);
  }

  private out(): Uint8Array {
    return new Uint8Array(this.x.memory.buffer, this.x.outPtr(), this.x.outLength()).slice();
  }

  /** Transformation id by name, -1 when unknown. */
  transformId(name: string): number {
    this.put(1, enc.encode(name));
    return this.x.transformIdOf();
  }

  /** The transformed bytes, and whether the transformation returned its input object unchanged. */
  transform(id: number, input: Uint8Array): { out: Uint8Array; same: boolean } {
    this.put(0, input);
    const same = this.x.transform(id) === 1;
    return { out: this.out(), same };
  }

  /** Makes a data file available to @pmFromFile / @ipMatchFromFile. */
  putFile(name: string, content: string): void {
    this.put(1, enc.encode(name));
    this.put(2, enc.encode(content));
    this.x.putFile();
  }

  /** A handle, or the compile error text. */
  compile(name: string, param: string): number | string {
    this.put(1, enc.encode(name));
    this.put(2, enc.encode(param));
    const h = this.x.compile();
    return h < 0 ? dec.decode(this.out()) : h;
  }

  /** Whether operator `h` matches; with capture, TX.0 too. */
  match(h: number, input: Uint8Array, capture = false): { match: boolean; tx0: Uint8Array } {
    this.put(0, input);
    const r = this.x.match(h, capture ? 1 : 0);
    if (r < 0) throw new Error(`bad operator handle ${h}`);
    return { match: r === 1, tx0: this.out() };
  }

  /** Loads an input for the bench loops. */
  load(input: Uint8Array): void {
    this.put(0, input);
  }

  benchTransform(id: number, rounds: number): number {
    return this.x.benchTransform(id, rounds);
  }

  benchMatch(h: number, rounds: number): number {
    return this.x.benchMatch(h, rounds);
  }

  /** Like benchMatch with `expanded` as the macro parameter's expansion; null when this build lacks it. */
  benchMatchExpanded(h: number, expanded: string, rounds: number): number | null {
    if (!this.x.benchMatchExpanded) return null;
    this.put(2, enc.encode(expanded));
    return this.x.benchMatchExpanded(h, rounds);
  }

  /** Payload bytes an @pm/@pmFromFile operator keeps; null when this build cannot tell. */
  pmMemoryBytes(h: number): number | null {
    const n = this.x.pmMemoryBytes?.(h);
    return n === undefined || n < 0 ? null : n;
  }

  /** Bytes of linear memory (it only grows). */
  memoryBytes(): number {
    return this.x.memory.buffer.byteLength;
  }

  /** A full collection (safe here: no AssemblyScript frame is live between calls). */
  collect(): void {
    this.x.__collect();
  }
}
