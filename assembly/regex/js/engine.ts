// Host side of regex.wasm (Node): builds the AssemblyScript engine with asc's JS API, caches the
// binary under node_modules/.cache/meshplug/ keyed by a hash of the sources and compiler options,
// and wraps the handle-based exports of assembly/regex/exports.ts in a typed API.
import { buildCachedModule } from '../../../host/build/cached-module.ts';

const ENTRY = 'assembly/regex/exports.ts';
// --use abort= turns failed checks into `unreachable` instead of importing env.abort, which Envoy lacks.
const ASC_OPTIONS = ['-O3', '--runtime', 'incremental', '--noAssert', '--use', 'abort=', '--exportRuntime'];
/**
 * The plugins' runtime: nothing is freed until the host-driven __collect() between callbacks, so every
 * byte a WAF's onConfigure allocates (garbage included) stays in linear memory until it returns. The
 * compile-memory benchmark and test measure with this build.
 */
export type Runtime = 'incremental' | 'minimal';

interface Exports {
  memory: WebAssembly.Memory;
  buffer(which: number, n: number): number;
  out(): number;
  outLength(): number;
  slots(): number;
  compile(n: number, flagLen: number): number;
  release(handle: number): void;
  groupCount(handle: number): number;
  isMatch(handle: number, n: number): number;
  isMatchAll(count: number, n: number, reps: number): number;
  isMatchSlow(handle: number, n: number): number;
  requiredBytes(handle: number): number;
  literals(handle: number): number;
  captures(handle: number, n: number, start: number): number;
  replace(handle: number, n: number, rewriteLen: number): number;
  setCreate(flagLen: number): number;
  setAdd(set: number, n: number): number;
  setBuild(set: number): number;
  setMatch(set: number, n: number): number;
  setRelease(set: number): void;
  stepCount(): bigint;
  __collect(): void;
  heapUsed(): number;
  resetStepCount(): void;
}

function ascOptions(runtime: Runtime): string[] {
  return runtime === 'incremental' ? ASC_OPTIONS : ASC_OPTIONS.map((o) => (o === 'incremental' ? runtime : o));
}

/** The regex.wasm binary for the current sources: from the cache, or built (and cached) first. */
export const buildRegexWasm = (runtime: Runtime = 'incremental'): Promise<Uint8Array> =>
  buildCachedModule({
    tag: runtime === 'incremental' ? 'regex' : `regex-${runtime}`,
    entry: ENTRY, options: ascOptions(runtime), sourceDirs: ['assembly/regex'],
  });

export type Span = [number, number] | null;

export interface MatchResult {
  match: boolean;
  start: number;
  end: number;
  /** Groups 1..n (the whole match is start/end); null for a group that did not take part. */
  groups: Span[];
}

const enc = new TextEncoder();
const dec = new TextDecoder();

export class RegexEngine {
  private constructor(private readonly x: Exports) {}

  static async load(runtime: Runtime = 'incremental'): Promise<RegexEngine> {
    return RegexEngine.fromBinary(await buildRegexWasm(runtime));
  }

  /** A fresh instance of a given regex.wasm build (the benchmark compares an older build with this one). */
  static async fromBinary(binary: Uint8Array): Promise<RegexEngine> {
    const module = await WebAssembly.compile(binary as Uint8Array<ArrayBuffer>);
    const instance = await WebAssembly.instantiate(module, {});
    return new RegexEngine(instance.exports as unknown as Exports);
  }

  private put(which: number, bytes: Uint8Array): void {
    const ptr = this.x.buffer(which, bytes.length);
    new Uint8Array(this.x.memory.buffer, ptr, bytes.length).set(bytes);
  }

  private outText(): string {
    return dec.decode(this.outBytes());
  }

  outBytes(): Uint8Array {
    return new Uint8Array(this.x.memory.buffer, this.x.out(), this.x.outLength()).slice();
  }

  /** A handle, or the compile error message. */
  compile(pattern: string, flags = ''): number | string {
    const p = enc.encode(pattern);
    this.put(0, p);
    const f = enc.encode(flags);
    this.put(2, f);
    const h = this.x.compile(p.length, f.length);
    return h < 0 ? this.outText() : h;
  }

  release(handle: number): void {
    this.x.release(handle);
  }

  groupCount(handle: number): number {
    return this.x.groupCount(handle);
  }

  /** Loads input into the engine; call before the *Loaded methods to match one input many times. */
  load(input: Uint8Array): number {
    this.put(1, input);
    return input.length;
  }

  isMatchLoaded(handle: number, n: number): boolean {
    return this.x.isMatch(handle, n) === 1;
  }

  /** isMatch of every live handle below count on the loaded input, reps times, in one call; matches. */
  isMatchAllLoaded(count: number, n: number, reps: number): number {
    return this.x.isMatchAll(count, n, reps);
  }

  /** The bytes one of which a value must hold before isMatch runs the DFA (bytes mode), or null. */
  requiredBytes(handle: number): number[] | null {
    const n = this.x.requiredBytes(handle);
    return n < 0 ? null : [...this.outBytes()];
  }

  /** isMatch answered by the Pike VM alone (the DFA's reference in tests). */
  isMatchSlow(handle: number, input: Uint8Array): boolean {
    return this.x.isMatchSlow(handle, this.load(input)) === 1;
  }

  isMatch(handle: number, input: Uint8Array): boolean {
    return this.isMatchLoaded(handle, this.load(input));
  }

  /** A bytes-mode pattern's required literals (ASCII letters lower-cased), or null when none are known. */
  literals(handle: number): Uint8Array[] | null {
    const n = this.x.literals(handle);
    if (n < 0) return null;
    const b = this.outBytes();
    const out: Uint8Array[] = [];
    for (let at = 0; out.length < n; at += 1 + b[at]) out.push(b.slice(at + 1, at + 1 + b[at]));
    return out;
  }

  exec(handle: number, input: Uint8Array, start = 0): MatchResult {
    const n = this.load(input);
    const ok = this.x.captures(handle, n, start) === 1;
    const groups = this.x.groupCount(handle);
    const slots = new Int32Array(this.x.memory.buffer, this.x.slots(), 2 * (groups + 1));
    const spans: Span[] = [];
    for (let g = 1; g <= groups; g++) {
      spans.push(ok && slots[2 * g] >= 0 ? [slots[2 * g], slots[2 * g + 1]] : null);
    }
    return ok ? { match: true, start: slots[0], end: slots[1], groups: spans } : { match: false, start: -1, end: -1, groups: spans };
  }

  /** RE2::GlobalReplace; the rewrite error message when the rewrite string is invalid. */
  replace(handle: number, input: Uint8Array, rewrite: string): { output: Uint8Array; count: number } | string {
    const n = this.load(input);
    const rw = enc.encode(rewrite);
    this.put(2, rw);
    const count = this.x.replace(handle, n, rw.length);
    if (count < 0) return this.outText();
    return { output: this.outBytes(), count };
  }

  /** Builds a set; the error message of the first pattern that fails. */
  compileSet(patterns: string[], flags = ''): number | string {
    const f = enc.encode(flags);
    this.put(2, f);
    const set = this.x.setCreate(f.length);
    if (set < 0) return this.outText();
    for (let i = 0; i < patterns.length; i++) {
      const p = enc.encode(patterns[i]);
      this.put(0, p);
      if (this.x.setAdd(set, p.length) < 0) {
        const msg = `pattern ${i}: ${this.outText()}`;
        this.x.setRelease(set);
        return msg;
      }
    }
    if (this.x.setBuild(set) < 0) {
      const msg = this.outText();
      this.x.setRelease(set);
      return msg;
    }
    return set;
  }

  /** Indexes of the set's patterns that match somewhere in input. */
  matchSet(set: number, input: Uint8Array): number[] {
    const n = this.load(input);
    if (this.x.setMatch(set, n) < 0) throw new Error('bad set handle');
    const bits = this.outBytes();
    const out: number[] = [];
    for (let i = 0; i < bits.length; i++) if (bits[i]) out.push(i);
    return out;
  }

  releaseSet(set: number): void {
    this.x.setRelease(set);
  }

  /** Size of the engine's linear memory, to check it stays flat across matches. */
  memoryBytes(): number {
    return this.x.memory.buffer.byteLength;
  }

  /** Heap bytes in use (finer than memoryBytes, which grows in doublings). */
  heapUsed(): number {
    return this.x.heapUsed();
  }

  /** A full garbage collection (safe here: no AssemblyScript frame is live between export calls). */
  collect(): void {
    this.x.__collect();
  }

  /** Instructions visited by the matcher since resetSteps(): the linear-time yardstick. */
  steps(): bigint {
    return this.x.stepCount();
  }

  resetSteps(): void {
    this.x.resetStepCount();
  }
}
