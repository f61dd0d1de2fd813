// Wasm ABI of the SecLang operators and transformations for Node (the differential test against Coraza and
// the benchmark; js/engine.ts builds and wraps it). Buffers are owned here: Node asks for a buffer of n bytes,
// writes into it, then calls an entry point. Not used by the plugin.
import { Bytes, Captures, DataFiles, Operator } from '../types';
import { transformId, applyTransform } from '../transforms/index';
import { compileOperator } from './index';
import { Pm } from './pm';

const bufs: Bytes[] = [new Uint8Array(0), new Uint8Array(0), new Uint8Array(0)];
let out: Bytes = new Uint8Array(0);
let outText = '';
const ops: Array<Operator | null> = [];
const caps = new Captures();

/** Data files for @pmFromFile / @ipMatchFromFile, registered with putFile(). */
class MapFiles extends DataFiles {
  names: string[] = [];
  texts: string[] = [];
  get(name: string): string | null {
    const i = this.names.indexOf(name);
    return i < 0 ? null : this.texts[i];
  }
}
const files = new MapFiles();

/** Buffer `which` (0 input, 1 name, 2 parameter) resized to n bytes; returns its address. */
export function buffer(which: i32, n: i32): usize {
  const b = new Uint8Array(n);
  bufs[which] = b;
  return b.dataStart;
}

function text(which: i32): string {
  const b = bufs[which];
  return String.UTF8.decodeUnsafe(b.dataStart, b.length);
}

export function outPtr(): usize {
  return out.dataStart;
}
export function outLength(): i32 {
  return out.length;
}

/** Id of the transformation named in buffer 1, -1 when unknown. */
export function transformIdOf(): i32 {
  return transformId(text(1));
}

/** Applies transformation `id` to buffer 0; the result is in out. Returns 1 when it returned its input. */
export function transform(id: i32): i32 {
  const input = bufs[0];
  out = applyTransform(id, input);
  return out === input ? 1 : 0;
}

/** Registers a data file: name in buffer 1, content in buffer 2. */
export function putFile(): void {
  files.names.push(text(1));
  files.texts.push(text(2));
}

/** Compiles operator (name in buffer 1, parameter in buffer 2): a handle >= 0, or -1 (error text in out). */
export function compile(): i32 {
  const r = compileOperator(text(1), text(2), files);
  if (r.op == null) {
    out = Uint8Array.wrap(String.UTF8.encode(r.error));
    return -1;
  }
  ops.push(r.op);
  return ops.length - 1;
}

/** 1 when operator `h` matches buffer 0 (with capture: TX.0 in out), 0 when not, -1 for a bad handle. */
export function match(h: i32, capture: i32): i32 {
  if (h < 0 || h >= ops.length || ops[h] == null) return -1;
  caps.clear();
  const ok = ops[h]!.matches(bufs[0], null, capture != 0 ? caps : null);
  const c0 = caps.get(0);
  out = c0 != null ? c0 : new Uint8Array(0);
  return ok ? 1 : 0;
}

/** Benchmark: applies transformation `id` to buffer 0 `rounds` times (the caller times it). */
export function benchTransform(id: i32, rounds: i32): i32 {
  let n = 0;
  const input = bufs[0];
  for (let i = 0; i < rounds; i++) n += applyTransform(id, input).length;
  return n;
}

/** Benchmark: matches operator `h` against buffer 0 `rounds` times. */
export function benchMatch(h: i32, rounds: i32): i32 {
  let n = 0;
  const op = ops[h]!;
  const input = bufs[0];
  for (let i = 0; i < rounds; i++) if (op.matches(input, null, null)) n++;
  return n;
}

/**
 * Benchmark: matches operator `h` against buffer 0 `rounds` times with buffer 2 as the expanded macro
 * parameter (one string for all rounds, as the engine passes one expansion to every value of a rule).
 */
export function benchMatchExpanded(h: i32, rounds: i32): i32 {
  let n = 0;
  const op = ops[h]!;
  const input = bufs[0];
  const expanded = text(2);
  for (let i = 0; i < rounds; i++) if (op.matches(input, expanded, null)) n++;
  return n;
}

/** Benchmark: payload bytes an @pm/@pmFromFile operator keeps (its frozen automaton), -1 for other operators. */
export function pmMemoryBytes(h: i32): i32 {
  if (h < 0 || h >= ops.length) return -1;
  const op = ops[h];
  return op instanceof Pm ? (<Pm>op).ac.memoryBytes() : -1;
}
