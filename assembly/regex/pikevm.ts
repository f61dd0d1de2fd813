// The Pike VM: runs every NFA thread in lock step over the input, one code point at a time, so the time
// is O(input length × program size) whatever the pattern; thread lists and capture slots are allocated
// once per program (memory O(program size × slots)), never per input byte.
import { Assertion } from './ast';
import { Op, Program } from './program';
import { decode, decodedWidth } from './utf8';

/** Work done by all matchers since the last reset: one step per instruction visited. */
let stepCounter: i64 = 0;

export function steps(): i64 {
  return stepCounter;
}

export function addSteps(n: i64): void {
  stepCounter += n;
}

export function resetSteps(): void {
  stepCounter = 0;
}

class ThreadList {
  sparse: StaticArray<i32>;
  dense: StaticArray<i32>;
  caps: StaticArray<i32>;
  size: i32 = 0;

  constructor(n: i32, slots: i32) {
    this.sparse = new StaticArray<i32>(n);
    this.dense = new StaticArray<i32>(n);
    this.caps = new StaticArray<i32>(n * (slots > 0 ? slots : 1));
  }

  @inline
  has(pc: i32): bool {
    const k = unchecked(this.sparse[pc]);
    return k < this.size && unchecked(this.dense[k]) == pc;
  }
}

@inline
function isWordByte(b: i32): bool {
  return (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5a) || b == 0x5f || (b >= 0x61 && b <= 0x7a);
}

/** The Assertion bits that hold at byte position pos. Word characters are ASCII, as in RE2. */
function assertionsAt(ptr: usize, len: i32, pos: i32): i32 {
  let bits = 0;
  const before = pos > 0 ? i32(load<u8>(ptr + pos - 1)) : -1;
  const after = pos < len ? i32(load<u8>(ptr + pos)) : -1;
  if (pos == 0) bits |= Assertion.BEGIN_TEXT | Assertion.BEGIN_LINE;
  else if (before == 0x0a) bits |= Assertion.BEGIN_LINE;
  if (pos == len) bits |= Assertion.END_TEXT | Assertion.END_LINE;
  else if (after == 0x0a) bits |= Assertion.END_LINE;
  const wb = (before >= 0 && isWordByte(before)) != (after >= 0 && isWordByte(after));
  bits |= wb ? Assertion.WORD_BOUNDARY : Assertion.NOT_WORD_BOUNDARY;
  return bits;
}

// Thread lists and closure stacks shared by every PikeVM, grown to the largest program (and slot count)
// run so far: exec is never re-entered, and each exec starts from empty lists, so nothing carries over
// between regexes. Per-regex copies were ~56 bytes per instruction for every pattern ever captured.
let sharedA = new ThreadList(0, 0);
let sharedB = new ThreadList(0, 0);
let sharedStackPc = new StaticArray<i32>(0);
let sharedStackVal = new StaticArray<i32>(0);
let sharedScratch = new StaticArray<i32>(0);

function ensureLists(n: i32, slots: i32): void {
  const s = slots > 0 ? slots : 1;
  if (sharedA.sparse.length < n || sharedA.caps.length < n * s) {
    const cap = max(n, sharedA.sparse.length);
    const perThread = max(s, sharedA.sparse.length > 0 ? sharedA.caps.length / sharedA.sparse.length : 1);
    sharedA = new ThreadList(cap, perThread);
    sharedB = new ThreadList(cap, perThread);
  }
  if (sharedStackPc.length < 3 * n + 4) {
    sharedStackPc = new StaticArray<i32>(3 * n + 4);
    sharedStackVal = new StaticArray<i32>(3 * n + 4);
  }
  if (sharedScratch.length < s) sharedScratch = new StaticArray<i32>(s);
}

export class PikeVM {
  prog: Program;
  latin1: bool;
  clist: ThreadList = sharedA;
  nlist: ThreadList = sharedB;
  /** Explicit stack for the epsilon closure (no recursion: hostile patterns cannot blow the wasm stack). */
  stackPc: StaticArray<i32> = sharedStackPc;
  stackVal: StaticArray<i32> = sharedStackVal;
  scratch: StaticArray<i32> = sharedScratch;
  slots: i32 = 0;

  constructor(prog: Program, latin1: bool) {
    this.prog = prog;
    this.latin1 = latin1;
  }

  /**
   * Follows empty transitions from pc at position pos, adding the consuming and MATCH instructions
   * reached to list in priority order. caps (length this.slots) is the thread's slots; it is restored.
   */
  addThread(list: ThreadList, pc0: i32, pos: i32, caps: StaticArray<i32>, ptr: usize, len: i32): void {
    const prog = this.prog;
    const ops = prog.op;
    const as = prog.a;
    const bs = prog.b;
    const stackPc = this.stackPc;
    const stackVal = this.stackVal;
    const slots = this.slots;
    let sp = 0;
    let assertBits = -1;
    let work: i64 = 0;
    unchecked((stackPc[sp] = pc0));
    sp++;
    while (sp > 0) {
      sp--;
      const pc = unchecked(stackPc[sp]);
      if (pc < 0) {
        // Restore frame: slot ~pc gets its old value back.
        unchecked((caps[~pc] = stackVal[sp]));
        continue;
      }
      if (list.has(pc)) continue;
      const k = list.size++;
      unchecked((list.sparse[pc] = k));
      unchecked((list.dense[k] = pc));
      work++;
      const op = unchecked(ops[pc]);
      if (op == Op.SPLIT) {
        unchecked((stackPc[sp] = bs[pc]));
        unchecked((stackPc[sp + 1] = as[pc]));
        sp += 2;
      } else if (op == Op.JMP) {
        unchecked((stackPc[sp] = as[pc]));
        sp++;
      } else if (op == Op.SAVE) {
        const slot = unchecked(as[pc]);
        if (slot < slots) {
          unchecked((stackPc[sp] = ~slot));
          unchecked((stackVal[sp] = caps[slot]));
          unchecked((caps[slot] = pos));
          sp++;
        }
        unchecked((stackPc[sp] = pc + 1));
        sp++;
      } else if (op == Op.ASSERT) {
        if (assertBits < 0) assertBits = assertionsAt(ptr, len, pos);
        const need = unchecked(as[pc]);
        if ((assertBits & need) == need) {
          unchecked((stackPc[sp] = pc + 1));
          sp++;
        }
      } else if (slots > 0) {
        // Consuming or MATCH: the thread stops here until the next step; keep its slots.
        const base = k * slots;
        const dst = list.caps;
        for (let i = 0; i < slots; i++) unchecked((dst[base + i] = caps[i]));
      }
    }
    stepCounter += work;
  }

  /**
   * Leftmost-first search of ptr[start..len) (the bytes before start still count for ^ and \b).
   * Fills out[0..slots) with capture positions (-1 = unset) and returns true on a match; slots = 0
   * only answers whether there is a match and stops at the first one found.
   */
  exec(ptr: usize, len: i32, start: i32, anchored: bool, slots: i32, out: StaticArray<i32>): bool {
    const prog = this.prog;
    if (slots > prog.slots) slots = prog.slots;
    this.slots = slots;
    ensureLists(prog.length, slots);
    this.clist = sharedA;
    this.nlist = sharedB;
    this.stackPc = sharedStackPc;
    this.stackVal = sharedStackVal;
    this.scratch = sharedScratch;
    const ops = prog.op;
    const as = prog.a;
    const bs = prog.b;
    const latin1 = this.latin1;
    const scratch = this.scratch;
    const first = prog.firstBytes;
    const onlyAtStart = anchored || prog.anchoredStart;
    let clist = this.clist;
    let nlist = this.nlist;
    clist.size = 0;
    let matched = false;
    let pos = start;
    let work: i64 = 0;
    for (;;) {
      if (!matched && (!onlyAtStart || pos == start)) {
        if (clist.size == 0 && first != null) {
          // No live threads: jump to the next byte a match can start with.
          while (pos < len) {
            const byte = i32(load<u8>(ptr + pos));
            if ((unchecked(first[byte >> 5]) & (u32(1) << (byte & 31))) != 0) break;
            pos++;
          }
          work += 1;
          if (pos >= len) break;
        }
        for (let i = 0; i < slots; i++) unchecked((scratch[i] = -1));
        this.addThread(clist, 0, pos, scratch, ptr, len);
      }
      if (clist.size == 0) break;
      const c = decode(ptr, len, pos, latin1);
      const w = decodedWidth;
      const next = pos + w;
      nlist.size = 0;
      const n = clist.size;
      for (let k = 0; k < n; k++) {
        const pc = unchecked(clist.dense[k]);
        const op = unchecked(ops[pc]);
        work++;
        let hit = false;
        if (op == Op.RANGE) {
          hit = c >= unchecked(as[pc]) && c <= unchecked(bs[pc]);
        } else if (op == Op.CLASS) {
          hit = prog.classHas(unchecked(as[pc]), c);
        } else if (op == Op.MATCH) {
          matched = true;
          if (slots == 0) {
            stepCounter += work;
            return true;
          }
          const base = k * slots;
          for (let i = 0; i < slots; i++) unchecked((out[i] = clist.caps[base + i]));
          // Leftmost-first: threads after this one have lower priority and are cut off.
          break;
        }
        if (hit) {
          if (slots > 0) {
            const base = k * slots;
            for (let i = 0; i < slots; i++) unchecked((scratch[i] = clist.caps[base + i]));
          }
          this.addThread(nlist, pc + 1, next, scratch, ptr, len);
        }
      }
      const t = clist;
      clist = nlist;
      nlist = t;
      if (pos >= len) break;
      pos = next;
    }
    this.clist = clist;
    this.nlist = nlist;
    stepCounter += work;
    return matched;
  }
}
