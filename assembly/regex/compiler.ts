// Node tree -> Program. Repetitions are expanded the way RE2 does (x{2,4} = xx(x(x)?)?), and a star
// over something that can match empty is compiled as (x+)? so thread priorities stay leftmost-first.
import { Assertion, Kind, Node } from './ast';
import { CharClass } from './charclass';
import { Op, Program } from './program';

/** Upper bound on instructions; keeps memory per match bounded (RE2 fails such patterns similarly). */
export const MAX_INSTRUCTIONS: i32 = 250000;

export class Compiler {
  // Sized up front by a pass over the tree (programSize), so the big CRS patterns are written once into
  // arrays of their final length: no doubling garbage, no copy into the Program (plugins collect garbage
  // only after onConfigure returns, so every discarded byte here counts in linear memory).
  op: StaticArray<u8>;
  a: StaticArray<i32>;
  b: StaticArray<i32>;
  len: i32 = 0;
  classes: CharClass[] = [];
  /** Class object -> index, so shared literal classes are stored once. */
  classIndex: Map<usize, i32> = new Map<usize, i32>();
  tooLarge: bool = false;
  /** Instructions still to patch, for the alternations and counted repetitions being compiled. */
  pending: i32[] = [];

  constructor(capacity: i32) {
    this.op = new StaticArray<u8>(capacity);
    this.a = new StaticArray<i32>(capacity);
    this.b = new StaticArray<i32>(capacity);
  }

  emit(op: i32, a: i32, b: i32): i32 {
    const pc = this.len;
    if (pc >= MAX_INSTRUCTIONS) {
      this.tooLarge = true;
      return pc;
    }
    // The size pass is exact; growing is only a safety net so a miscount can never write out of bounds.
    if (pc >= this.op.length) this.resize(max(16, pc * 2));
    unchecked((this.op[pc] = u8(op)));
    unchecked((this.a[pc] = a));
    unchecked((this.b[pc] = b));
    this.len = pc + 1;
    return pc;
  }

  resize(n: i32): void {
    const op = new StaticArray<u8>(n);
    const a = new StaticArray<i32>(n);
    const b = new StaticArray<i32>(n);
    const k = min(n, this.len);
    memory.copy(changetype<usize>(op), changetype<usize>(this.op), k);
    memory.copy(changetype<usize>(a), changetype<usize>(this.a), k << 2);
    memory.copy(changetype<usize>(b), changetype<usize>(this.b), k << 2);
    this.op = op;
    this.a = a;
    this.b = b;
  }

  get pc(): i32 {
    return this.len;
  }

  patchA(at: i32, target: i32): void {
    if (at < this.len) this.a[at] = target;
  }

  patchB(at: i32, target: i32): void {
    if (at < this.len) this.b[at] = target;
  }

  /** The Program over exactly the emitted instructions. */
  finish(slots: i32): Program {
    if (this.len != this.op.length) this.resize(this.len);
    return new Program(this.op, this.a, this.b, this.classes, slots);
  }

  /** One regex: SAVE 0, body, SAVE 1, MATCH 0. */
  static single(root: Node, groups: i32, latin1: bool): Program | null {
    const size = programSize(root) + 3;
    // Refused before anything is allocated for it.
    if (size > MAX_INSTRUCTIONS) return null;
    const c = new Compiler(size);
    c.emit(Op.SAVE, 0, 0);
    c.node(root);
    c.emit(Op.SAVE, 1, 0);
    c.emit(Op.MATCH, 0, 0);
    if (c.tooLarge) return null;
    const p = c.finish(2 * (groups + 1));
    p.anchoredStart = startsWithBeginText(root);
    p.firstBytes = firstBytes(p, latin1);
    return p;
  }

  /** Many regexes in one program: a chain of SPLITs, each branch ending in MATCH i. */
  static set(roots: Node[], latin1: bool): Program | null {
    const n = roots.length;
    let size = n == 0 ? 1 : 2 * n - 1;
    for (let i = 0; i < n && size <= MAX_INSTRUCTIONS; i++) size += programSize(roots[i]);
    if (size > MAX_INSTRUCTIONS) return null;
    const c = new Compiler(size);
    for (let i = 0; i < n; i++) {
      const split = i + 1 < n ? c.emit(Op.SPLIT, 0, 0) : -1;
      if (split >= 0) c.patchA(split, c.pc);
      c.node(roots[i]);
      c.emit(Op.MATCH, i, 0);
      if (split >= 0) c.patchB(split, c.pc);
      if (c.tooLarge) return null;
    }
    if (n == 0) c.emit(Op.FAIL, 0, 0);
    const p = c.finish(0);
    p.firstBytes = firstBytes(p, latin1);
    return p;
  }

  node(n: Node): void {
    if (this.tooLarge) return;
    switch (n.kind) {
      case Kind.Empty:
        return;
      case Kind.Class: {
        const cc = n.cls!;
        if (cc.count == 0) this.emit(Op.FAIL, 0, 0);
        else if (cc.count == 1) this.emit(Op.RANGE, cc.ranges[0], cc.ranges[1]);
        else {
          const key = changetype<usize>(cc);
          let k: i32;
          if (this.classIndex.has(key)) k = this.classIndex.get(key);
          else {
            k = this.classes.length;
            this.classes.push(cc);
            this.classIndex.set(key, k);
          }
          this.emit(Op.CLASS, k, 0);
        }
        return;
      }
      case Kind.Concat:
        for (let i = 0; i < n.subs.length; i++) this.node(n.subs[i]);
        return;
      case Kind.Alternate: {
        // Pending jumps and splits go on one shared stack (a fresh array per alternation was garbage).
        const jumps = this.pending;
        const base = jumps.length;
        const last = n.subs.length - 1;
        for (let i = 0; i < last; i++) {
          const split = this.emit(Op.SPLIT, this.pc + 1, 0);
          this.node(n.subs[i]);
          jumps.push(this.emit(Op.JMP, 0, 0));
          this.patchB(split, this.pc);
        }
        this.node(n.subs[last]);
        for (let i = base; i < jumps.length; i++) this.patchA(unchecked(jumps[i]), this.pc);
        jumps.length = base;
        return;
      }
      case Kind.Capture:
        this.emit(Op.SAVE, 2 * n.cap, 0);
        this.node(n.subs[0]);
        this.emit(Op.SAVE, 2 * n.cap + 1, 0);
        return;
      case Kind.Assert:
        this.emit(Op.ASSERT, n.assert, 0);
        return;
      case Kind.Repeat:
        this.repeat(n.subs[0], n.min, n.max, n.greedy);
        return;
    }
  }

  repeat(x: Node, min: i32, max: i32, greedy: bool): void {
    if (max == 0) return;
    if (min == 0 && max == -1) {
      this.star(x, greedy);
      return;
    }
    if (min == 0 && max == 1) {
      this.quest(x, greedy);
      return;
    }
    if (max == -1) {
      // x{n,} = x^(n-1) x+
      for (let i = 0; i < min - 1; i++) this.node(x);
      this.plus(x, greedy);
      return;
    }
    for (let i = 0; i < min; i++) this.node(x);
    // x{n,m} tail: (x(x(x)?)?)? — nested so each optional copy is only tried after the previous one.
    const splits = this.pending;
    const base = splits.length;
    for (let i = min; i < max; i++) {
      const split = this.emit(Op.SPLIT, 0, 0);
      splits.push(split);
      this.targetBody(split, greedy);
      this.node(x);
    }
    for (let i = base; i < splits.length; i++) this.targetOut(unchecked(splits[i]), greedy);
    splits.length = base;
  }

  /** Points the "take the body" side of a SPLIT at the next instruction. */
  targetBody(split: i32, greedy: bool): void {
    if (greedy) this.patchA(split, this.pc);
    else this.patchB(split, this.pc);
  }

  /** Points the "skip" side of a SPLIT at the next instruction. */
  targetOut(split: i32, greedy: bool): void {
    if (greedy) this.patchB(split, this.pc);
    else this.patchA(split, this.pc);
  }

  star(x: Node, greedy: bool): void {
    if (nullable(x)) {
      // (x+)?
      const split = this.emit(Op.SPLIT, 0, 0);
      this.targetBody(split, greedy);
      this.plus(x, greedy);
      this.targetOut(split, greedy);
      return;
    }
    const loop = this.emit(Op.SPLIT, 0, 0);
    this.targetBody(loop, greedy);
    this.node(x);
    this.emit(Op.JMP, loop, 0);
    this.targetOut(loop, greedy);
  }

  plus(x: Node, greedy: bool): void {
    const top = this.pc;
    this.node(x);
    const split = this.emit(Op.SPLIT, 0, 0);
    if (greedy) this.patchA(split, top);
    else this.patchB(split, top);
    this.targetOut(split, greedy);
  }

  quest(x: Node, greedy: bool): void {
    const split = this.emit(Op.SPLIT, 0, 0);
    this.targetBody(split, greedy);
    this.node(x);
    this.targetOut(split, greedy);
  }
}

/** Instructions node() emits for n, saturating just above MAX_INSTRUCTIONS (no i32 overflow). */
export function programSize(n: Node): i32 {
  const CAP: i64 = i64(MAX_INSTRUCTIONS) + 1;
  let r: i64 = 0;
  switch (n.kind) {
    case Kind.Empty:
      return 0;
    case Kind.Class:
    case Kind.Assert:
      return 1;
    case Kind.Concat:
      for (let i = 0; i < n.subs.length && r < CAP; i++) r += programSize(n.subs[i]);
      break;
    case Kind.Alternate:
      // SPLIT + branch + JMP for all but the last branch.
      r = 2 * i64(n.subs.length - 1);
      for (let i = 0; i < n.subs.length && r < CAP; i++) r += programSize(n.subs[i]);
      break;
    case Kind.Capture:
      r = i64(programSize(n.subs[0])) + 2;
      break;
    case Kind.Repeat: {
      const min = i64(n.min);
      const max = i64(n.max);
      if (max == 0) return 0;
      const x = i64(programSize(n.subs[0]));
      if (min == 0 && max == -1) r = x + 2; // SPLIT x JMP, or (x+)? = SPLIT x SPLIT
      else if (min == 0 && max == 1) r = x + 1;
      else if (max == -1) r = min * x + 1; // x^(min-1) x+
      else r = min * x + (max - min) * (x + 1);
      break;
    }
  }
  return r < CAP ? i32(r) : i32(CAP);
}

function nullable(n: Node): bool {
  switch (n.kind) {
    case Kind.Empty:
    case Kind.Assert:
      return true;
    case Kind.Class:
      return false;
    case Kind.Concat:
      for (let i = 0; i < n.subs.length; i++) if (!nullable(n.subs[i])) return false;
      return true;
    case Kind.Alternate:
      for (let i = 0; i < n.subs.length; i++) if (nullable(n.subs[i])) return true;
      return false;
    case Kind.Repeat:
      return n.min == 0 || nullable(n.subs[0]);
    case Kind.Capture:
      return nullable(n.subs[0]);
  }
  return true;
}

function startsWithBeginText(n: Node): bool {
  switch (n.kind) {
    case Kind.Assert:
      return n.assert == Assertion.BEGIN_TEXT;
    case Kind.Concat:
      return n.subs.length > 0 && startsWithBeginText(n.subs[0]);
    case Kind.Capture:
      return startsWithBeginText(n.subs[0]);
    case Kind.Repeat:
      return n.min >= 1 && startsWithBeginText(n.subs[0]);
    case Kind.Alternate:
      for (let i = 0; i < n.subs.length; i++) if (!startsWithBeginText(n.subs[i])) return false;
      return n.subs.length > 0;
  }
  return false;
}

/** First UTF-8 byte of code point c. */
function leadByte(c: i32): i32 {
  if (c < 0x80) return c;
  if (c < 0x800) return 0xc0 | (c >> 6);
  if (c < 0x10000) return 0xe0 | (c >> 12);
  return 0xf0 | (c >> 18);
}

function addBytes(bits: StaticArray<u32>, lo: i32, hi: i32): void {
  for (let c = lo; c <= hi; c++) bits[c >> 5] |= u32(1) << (c & 31);
}

/** The bytes that can begin the UTF-8 (or, with latin1, the single byte) of a code point in [lo, hi]. */
function addRangeBytes(bits: StaticArray<u32>, lo: i32, hi: i32, latin1: bool): void {
  if (latin1) {
    if (lo <= 0xff) addBytes(bits, lo, hi < 0xff ? hi : 0xff);
  } else {
    addBytes(bits, leadByte(lo), leadByte(hi));
  }
}

/**
 * The bytes a match can begin with, found by following the empty transitions from the start.
 * Assertions are assumed to pass (over-approximation is safe). null when a match may be empty.
 */
function firstBytes(p: Program, latin1: bool): StaticArray<u32> | null {
  const bits = new StaticArray<u32>(8);
  const seen = new StaticArray<bool>(p.length);
  const stack: i32[] = [0];
  while (stack.length > 0) {
    const pc = stack.pop();
    if (pc >= p.length || seen[pc]) continue;
    seen[pc] = true;
    const op = p.op[pc];
    if (op == Op.MATCH) return null;
    if (op == Op.JMP) stack.push(p.a[pc]);
    else if (op == Op.SPLIT) {
      stack.push(p.b[pc]);
      stack.push(p.a[pc]);
    } else if (op == Op.SAVE || op == Op.ASSERT) stack.push(pc + 1);
    // A RANGE is read directly: no [a, b] array allocated per range reached.
    else if (op == Op.RANGE) addRangeBytes(bits, p.a[pc], p.b[pc], latin1);
    else if (op == Op.CLASS) {
      const r = p.classes[p.a[pc]].ranges;
      for (let k = 0; k < r.length; k += 2) addRangeBytes(bits, r[k], r[k + 1], latin1);
    }
  }
  // Every byte possible: the filter would only cost time.
  for (let i = 0; i < 8; i++) if (bits[i] != 0xffffffff) return bits;
  return null;
}
