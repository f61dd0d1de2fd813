// A compiled pattern: a flat instruction list for the Pike VM (Thompson NFA with capture slots).
import { CharClass } from './charclass';

export namespace Op {
  /** Consume one code point in [a, b]. */
  export const RANGE: i32 = 0;
  /** Consume one code point in class a. */
  export const CLASS: i32 = 1;
  /** Try a first, then b (a has priority: leftmost-first). */
  export const SPLIT: i32 = 2;
  export const JMP: i32 = 3;
  /** Record the position in capture slot a. */
  export const SAVE: i32 = 4;
  /** Continue only if every Assertion bit in a holds here. */
  export const ASSERT: i32 = 5;
  /** Pattern a (0 for a single regex, the index for a set) has matched. */
  export const MATCH: i32 = 6;
  /** Never matches (an empty class). */
  export const FAIL: i32 = 7;
}

export class Program {
  /** Opcodes take one byte: the program is 9 bytes per instruction. */
  op: StaticArray<u8>;
  a: StaticArray<i32>;
  b: StaticArray<i32>;
  /** Class ranges, by class index; classAscii holds 4 words of ASCII bitmap per class (fast path). */
  classes: CharClass[];
  classAscii: StaticArray<u32>;
  /** Capture slots: 2 per group, group 0 being the whole match. */
  slots: i32;
  /** Bytes a match can start with (256-bit bitmap), or null when any position may start one. */
  firstBytes: StaticArray<u32> | null;
  /** True when every match must start at the search start (pattern begins with \A or ^ without (?m)). */
  anchoredStart: bool;

  constructor(op: StaticArray<u8>, a: StaticArray<i32>, b: StaticArray<i32>, classes: CharClass[], slots: i32) {
    this.op = op;
    this.a = a;
    this.b = b;
    this.classes = classes;
    this.slots = slots;
    this.classAscii = new StaticArray<u32>(classes.length * 4);
    for (let i = 0; i < classes.length; i++) {
      const r = classes[i].ranges;
      for (let k = 0; k < r.length; k += 2) {
        const lo = r[k];
        const hi = r[k + 1] < 127 ? r[k + 1] : 127;
        for (let c = lo; c <= hi; c++) this.classAscii[i * 4 + (c >> 5)] |= u32(1) << (c & 31);
      }
    }
    this.firstBytes = null;
    this.anchoredStart = false;
  }

  get length(): i32 {
    return this.op.length;
  }

  /** Whether code point c (-1 = none) is in class k. */
  @inline
  classHas(k: i32, c: i32): bool {
    if (c < 0) return false;
    if (c < 128) return (unchecked(this.classAscii[(k << 2) + (c >> 5)]) & (u32(1) << (c & 31))) != 0;
    return unchecked(this.classes[k]).contains(c);
  }
}
