// Lazy DFA for "is there a match?" (and which patterns of a set match): NFA thread sets are turned into
// cached states on demand, so each input byte normally costs one table lookup. Time stays linear even
// when the cache thrashes (a miss costs one closure over the program), and memory is capped: the cache
// is dropped and rebuilt when it exceeds MAX_WORDS.
import { Assertion } from './ast';
import { Op, Program } from './program';
import { decode, decodedWidth } from './utf8';
import { addSteps } from './pikevm';

// Cache budget in 4-byte words (transition cells plus stored pcs): about 1 MiB per regex or set.
const MAX_WORDS: i32 = 1 << 18;

// Context a state remembers about the character before it (for ^, (?m)^ and \b).
const PREV_WORD: i32 = 1;
const PREV_NL: i32 = 2;
const AT_START: i32 = 4;
// Table cells hold the next state's row offset (id * stride) with these tags in the high bits, so the
// byte loop needs one compare to see that the next state is ordinary: every cell at or above SPECIAL is
// either unknown (-1, not computed yet) or a state that needs attention.
const UNKNOWN: i32 = -1;
const SPECIAL: u32 = 1 << 28;
const OFF_MASK: i32 = (1 << 28) - 1;
/** Entering the state reports pattern ids. */
const T_MATCH: i32 = 1 << 28;
/** Only the start thread is alive: skip to the next byte that can begin a match. */
const T_IDLE: i32 = 1 << 29;
/** Anchored search with no thread left: nothing after this can match. */
const T_DEAD: i32 = 1 << 30;
/** In a row's last cell (the state's id): ending the input in this state matches nothing more. */
const M_NOEND: i32 = 1 << 30;
const NEXT_DEPENDENT: i32 = Assertion.END_TEXT | Assertion.END_LINE | Assertion.WORD_BOUNDARY | Assertion.NOT_WORD_BOUNDARY;

class DState {
  /** Sorted NFA pcs: consuming instructions, plus ASSERTs that need the next character. */
  pcs: StaticArray<i32>;
  flags: i32;
  /** Pattern ids whose MATCH was reached on the way into this state. */
  matched: StaticArray<i32>;
  hasPending: bool;
  /** Ids matching if the input ends in this state; null until first needed. */
  atEnd: StaticArray<i32> | null = null;
  idle: bool = false;
  /** T_MATCH / T_IDLE / T_DEAD bits carried by table cells leading to this state. */
  tags: i32 = 0;

  constructor(pcs: StaticArray<i32>, flags: i32, matched: StaticArray<i32>, hasPending: bool) {
    this.pcs = pcs;
    this.flags = flags;
    this.matched = matched;
    this.hasPending = hasPending;
  }
}

/** A map key for a state: flags, pcs and ids packed as UTF-16 units in one allocation. */
function stateKey(flags: i32, pcs: i32[], ids: i32[]): string {
  const n = 2 + 2 * pcs.length + 2 * ids.length;
  const buf = new StaticArray<u16>(n);
  let k = 0;
  buf[k++] = u16(flags);
  for (let i = 0; i < pcs.length; i++) {
    buf[k++] = u16(pcs[i] & 0xffff);
    buf[k++] = u16(pcs[i] >>> 16);
  }
  buf[k++] = 0xffff; // separator: pcs never reach 0xffff in the high half
  for (let i = 0; i < ids.length; i++) {
    buf[k++] = u16(ids[i] & 0xffff);
    buf[k++] = u16(ids[i] >>> 16);
  }
  return String.UTF16.decodeUnsafe(changetype<usize>(buf), k << 1);
}

/** Columns change where a range starts and just after it ends (below `limit`: 128, or 256 for bytes). */
function markCut(cut: StaticArray<bool>, lo: i32, hi: i32, limit: i32): void {
  if (lo < limit) cut[lo] = true;
  if (hi + 1 < limit) cut[hi + 1] = true;
}

// Closure scratch shared by every DFA (12 bytes per instruction of the largest program run so far):
// matching is never re-entered, and per-DFA copies cost ~1 MiB per big CRS pattern that ever runs.
// `seen` marks visits with a global generation, so stale marks from other programs never match.
let sharedSeen = new StaticArray<i32>(0);
let sharedStack = new StaticArray<i32>(0);
let seenGen: i32 = 0;

function ensureScratch(n: i32): void {
  if (sharedSeen.length >= n) return;
  sharedSeen = new StaticArray<i32>(n);
  sharedStack = new StaticArray<i32>(2 * n + 2);
}

@inline
function isWordChar(c: i32): bool {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || c == 0x5f || (c >= 0x61 && c <= 0x7a);
}

export class LazyDFA {
  prog: Program;
  latin1: bool;
  anchored: bool;
  usesAsserts: bool = false;
  /** Byte -> table column. Bytes at or above `cached` map to column `cols`, which is always UNKNOWN. */
  colOf: StaticArray<u8> = new StaticArray<u8>(256);
  /** 256 in bytes (Latin-1) mode, where every byte is one character and can be cached (base64Decode and
   * friends turn ordinary values into high bytes: uncached, each of them cost a closure and a state
   * lookup), 128 otherwise (a non-ASCII byte starts a multi-byte UTF-8 character). */
  cached: i32 = 128;
  cols: i32 = 0;
  /** Cells per state row: the columns, the always-unknown column, and the state's id. */
  stride: i32 = 0;
  /** Non-zero for bytes a match can begin with; null when any byte can (no skipping then). */
  firstTab: StaticArray<u8> | null = null;
  states: DState[] = [];
  index: Map<string, i32> = new Map<string, i32>();
  table: StaticArray<i32> = new StaticArray<i32>(0);
  /** Idle (only the start thread alive) state per context flags, -1 when not built yet. */
  idleIds: StaticArray<i32> = new StaticArray<i32>(8);
  /** Row offsets of the idle states after a character (flags PREV_WORD | PREV_NL), -1 when not built yet. */
  idleOffs: StaticArray<i32> = new StaticArray<i32>(4);
  outPcs: i32[] = [];
  outIds: i32[] = [];
  /** Words of cache in use (see MAX_WORDS). */
  used: i32 = 0;
  /** Ids seen by the last run (set matching). */
  found: StaticArray<bool>;
  foundCount: i32 = 0;
  /** Tagged cell of the state every run starts in, UNKNOWN until built after a reset. */
  startCell: i32 = UNKNOWN;

  constructor(prog: Program, latin1: bool, anchored: bool, ids: i32) {
    this.prog = prog;
    this.latin1 = latin1;
    this.cached = latin1 ? 256 : 128;
    this.anchored = anchored || prog.anchoredStart;
    const n = prog.length;
    this.found = new StaticArray<bool>(ids > 0 ? ids : 1);
    for (let pc = 0; pc < n; pc++) if (prog.op[pc] == Op.ASSERT) this.usesAsserts = true;
    const first = prog.firstBytes;
    // Skipping only pays in an unanchored search (anchored runs leave the start state after one byte).
    if (first !== null && !this.anchored) {
      const t = new StaticArray<u8>(256);
      for (let b = 0; b < 256; b++) unchecked((t[b] = u8((unchecked(first[b >> 5]) >>> (b & 31)) & 1)));
      this.firstTab = t;
    }
    this.buildColumns();
    this.reset();
  }

  /** Groups characters below `cached` that no instruction (nor \b, nor (?m)) can tell apart into one column. */
  buildColumns(): void {
    const prog = this.prog;
    const limit = this.cached;
    const cut = new StaticArray<bool>(limit + 1);
    cut[0] = true;
    for (let pc = 0; pc < prog.length; pc++) {
      const op = prog.op[pc];
      if (op == Op.RANGE) markCut(cut, prog.a[pc], prog.b[pc], limit);
      else if (op == Op.CLASS) {
        const r = prog.classes[prog.a[pc]].ranges;
        for (let k = 0; k < r.length && r[k] < limit; k += 2) markCut(cut, r[k], r[k + 1], limit);
      }
    }
    if (this.usesAsserts) {
      markCut(cut, 0x0a, 0x0a, limit);
      markCut(cut, 0x30, 0x39, limit);
      markCut(cut, 0x41, 0x5a, limit);
      markCut(cut, 0x5f, 0x5f, limit);
      markCut(cut, 0x61, 0x7a, limit);
    }
    let col = -1;
    for (let c = 0; c < limit; c++) {
      if (cut[c]) col++;
      this.colOf[c] = u8(col);
    }
    this.cols = col + 1;
    // At most 128 columns below 128, so the uncached column index fits a byte.
    for (let c = limit; c < 256; c++) this.colOf[c] = u8(this.cols);
    this.stride = this.cols + 2;
  }

  reset(): void {
    this.used = 0;
    this.states = [];
    this.index = new Map<string, i32>();
    this.table = new StaticArray<i32>(0);
    for (let i = 0; i < 8; i++) this.idleIds[i] = -1;
    for (let i = 0; i < 4; i++) this.idleOffs[i] = -1;
    this.startCell = UNKNOWN;
  }

  /** Adds pcs reachable from the seeds to outPcs/outIds. nextChar < -1 means "not known yet". */
  closure(seeds: i32[], flags: i32, nextChar: i32, atEnd: bool): bool {
    const prog = this.prog;
    const ops = prog.op;
    const as = prog.a;
    const bs = prog.b;
    ensureScratch(prog.length);
    const seen = sharedSeen;
    const stack = sharedStack;
    let gen = ++seenGen;
    if (gen == 0x7fffffff) {
      for (let i = 0; i < seen.length; i++) seen[i] = 0;
      seenGen = gen = 1;
    }
    let pending = false;
    let work = 0;
    for (let s = 0; s < seeds.length; s++) {
      let sp = 0;
      unchecked((stack[sp++] = seeds[s]));
      while (sp > 0) {
        const pc = unchecked(stack[--sp]);
        if (unchecked(seen[pc]) == gen) continue;
        unchecked((seen[pc] = gen));
        work++;
        const op = unchecked(ops[pc]);
        if (op == Op.JMP) unchecked((stack[sp++] = as[pc]));
        else if (op == Op.SPLIT) {
          unchecked((stack[sp++] = bs[pc]));
          unchecked((stack[sp++] = as[pc]));
        } else if (op == Op.SAVE) unchecked((stack[sp++] = pc + 1));
        else if (op == Op.ASSERT) {
          const need = unchecked(as[pc]);
          if (need & Assertion.BEGIN_TEXT && !(flags & AT_START)) continue;
          if (need & Assertion.BEGIN_LINE && !(flags & (AT_START | PREV_NL))) continue;
          if (need & NEXT_DEPENDENT) {
            if (nextChar < -1 && !atEnd) {
              this.outPcs.push(pc);
              pending = true;
              continue;
            }
            if (need & Assertion.END_TEXT && !atEnd) continue;
            if (need & Assertion.END_LINE && !(atEnd || nextChar == 0x0a)) continue;
            const wb = ((flags & PREV_WORD) != 0) != (!atEnd && isWordChar(nextChar));
            if (need & Assertion.WORD_BOUNDARY && !wb) continue;
            if (need & Assertion.NOT_WORD_BOUNDARY && wb) continue;
          }
          unchecked((stack[sp++] = pc + 1));
        } else if (op == Op.MATCH) this.outIds.push(unchecked(as[pc]));
        else if (op != Op.FAIL) this.outPcs.push(pc);
      }
    }
    addSteps(work);
    return pending;
  }

  /** The state for the current outPcs/outIds and flags (created on first sight). */
  intern(flags: i32, pending: bool): i32 {
    const pcs = this.outPcs;
    pcs.sort();
    const ids = this.outIds;
    ids.sort();
    if (!this.usesAsserts) flags = 0;
    const key = stateKey(flags, pcs, ids);
    if (this.index.has(key)) return this.index.get(key);
    const stride = this.stride;
    const cost = stride + pcs.length + ids.length + 16;
    if (this.used + cost > MAX_WORDS && this.states.length > 0) return -1;
    this.used += cost;
    const id = this.states.length;
    const uniqIds: i32[] = [];
    for (let i = 0; i < ids.length; i++) if (i == 0 || ids[i] != ids[i - 1]) uniqIds.push(ids[i]);
    const st = new DState(StaticArray.fromArray<i32>(pcs), flags, StaticArray.fromArray<i32>(uniqIds), pending);
    st.tags = (uniqIds.length > 0 ? T_MATCH : 0) | (this.anchored && pcs.length == 0 ? T_DEAD : 0);
    this.states.push(st);
    this.index.set(key, id);
    // Grow the table geometrically; new cells are UNKNOWN.
    const need = (id + 1) * stride;
    if (need > this.table.length) {
      let cap = this.table.length > 0 ? this.table.length * 2 : stride * 16;
      while (cap < need) cap *= 2;
      const t = new StaticArray<i32>(cap);
      for (let i = 0; i < this.table.length; i++) unchecked((t[i] = this.table[i]));
      for (let i = this.table.length; i < cap; i++) unchecked((t[i] = UNKNOWN));
      this.table = t;
    }
    // The row's last cell names its state (the id of a row offset, without a division). Only deferred
    // assertions (\b, $) can match at the end: entering a state already reported its other matches.
    unchecked((this.table[id * stride + stride - 1] = id | (pending ? 0 : M_NOEND)));
    return id;
  }

  /** The table cell value leading to state id: its row offset and tags. */
  @inline
  cellOf(id: i32): i32 {
    return (id * this.stride) | unchecked(this.states[id]).tags;
  }

  /** State with only the start thread, for the context flags. */
  idle(flags: i32): i32 {
    if (!this.usesAsserts) flags = 0;
    let id = this.idleIds[flags];
    if (id >= 0) return id;
    this.outPcs.length = 0;
    this.outIds.length = 0;
    const pending = this.closure([0], flags, -2, false);
    id = this.intern(flags, pending);
    if (id < 0) {
      this.reset();
      this.outPcs.length = 0;
      this.outIds.length = 0;
      this.closure([0], flags, -2, false);
      id = this.intern(flags, pending);
    }
    const st = this.states[id];
    if (!this.anchored) {
      st.idle = true;
      if (this.firstTab !== null && !(st.tags & T_IDLE)) {
        st.tags |= T_IDLE;
        // The state may already have been reached by a step: tag the cells leading to it as well.
        const t = this.table;
        const off = id * this.stride;
        for (let i = 0; i < t.length; i++) {
          const v = unchecked(t[i]);
          if (v != UNKNOWN && (v & OFF_MASK) == off && (i % this.stride) != this.stride - 1) unchecked((t[i] = v | T_IDLE));
        }
      }
    }
    this.idleIds[flags] = id;
    if (flags < 4) this.idleOffs[flags] = id * this.stride;
    return id;
  }

  /** Next state from s on code point c (-1 = invalid byte), or -1 if the cache had to be reset. */
  step(s: DState, c: i32): i32 {
    const prog = this.prog;
    this.outPcs.length = 0;
    this.outIds.length = 0;
    let consumers = s.pcs;
    if (s.hasPending) {
      // Now that the next character is known, the deferred assertions can be decided.
      const seeds: i32[] = [];
      for (let i = 0; i < s.pcs.length; i++) seeds.push(s.pcs[i]);
      this.closure(seeds, s.flags, c, false);
      consumers = StaticArray.fromArray<i32>(this.outPcs);
      this.outPcs.length = 0;
    }
    const seeds: i32[] = [];
    for (let i = 0; i < consumers.length; i++) {
      const pc = unchecked(consumers[i]);
      const op = unchecked(prog.op[pc]);
      let hit = false;
      if (op == Op.RANGE) hit = c >= unchecked(prog.a[pc]) && c <= unchecked(prog.b[pc]);
      else if (op == Op.CLASS) hit = prog.classHas(unchecked(prog.a[pc]), c);
      if (hit) seeds.push(pc + 1);
    }
    if (!this.anchored) seeds.push(0);
    const flags = (isWordChar(c) ? PREV_WORD : 0) | (c == 0x0a ? PREV_NL : 0);
    const pending = this.closure(seeds, flags, -2, false);
    return this.intern(flags, pending);
  }

  /** Ids that match if the input ends in state s. */
  endIds(s: DState): StaticArray<i32> {
    let r = s.atEnd;
    if (r != null) return r;
    this.outPcs.length = 0;
    this.outIds.length = 0;
    if (s.hasPending) {
      const seeds: i32[] = [];
      for (let i = 0; i < s.pcs.length; i++) seeds.push(s.pcs[i]);
      this.closure(seeds, s.flags, -1, true);
    }
    r = StaticArray.fromArray<i32>(this.outIds);
    s.atEnd = r;
    return r;
  }

  /**
   * Runs over ptr[0..len). With stopAtFirst, returns 1 as soon as any pattern matches (else 0);
   * otherwise records every matching id in `found` and returns how many there are.
   */
  run(ptr: usize, len: i32, stopAtFirst: bool): i32 {
    // Most runs are short values that do not match: the per-run setup is kept to a few loads.
    if (this.foundCount != 0) {
      const found = this.found;
      for (let i = 0; i < found.length; i++) unchecked((found[i] = false));
      this.foundCount = 0;
    }
    let cell = this.startCell;
    if (cell == UNKNOWN) cell = this.startCell = this.cellOf(this.idle(AT_START | PREV_NL));
    const colOf = this.colOf;
    const firstTab = this.firstTab;
    const end = ptr + <usize>len;
    let p = ptr;
    let slow: i64 = 0;
    let skipped: i64 = 0;
    let dead = false;
    // Reloaded whenever a miss may have grown or reset the cache.
    let table = changetype<usize>(this.table);
    let off = cell & OFF_MASK;
    let tags = cell & ~OFF_MASK;
    while (true) {
      if (tags != 0) {
        if (tags & T_MATCH) {
          const id = load<i32>(table + (<usize>(off + this.stride - 1) << 2)) & OFF_MASK;
          if (this.note(unchecked(this.states[id]).matched) && stopAtFirst) break;
        }
        if (tags & T_DEAD) {
          dead = true;
          break;
        }
        if (tags & T_IDLE) {
          // Nothing in flight: skip to the next byte a match can begin with.
          const ft = changetype<usize>(firstTab);
          let q = p;
          while (q + 4 <= end) {
            const w = load<u32>(q);
            if ((load<u8>(ft + (w & 0xff)) | load<u8>(ft + ((w >>> 8) & 0xff)) | load<u8>(ft + ((w >>> 16) & 0xff)) | load<u8>(ft + (w >>> 24))) != 0) break;
            q += 4;
          }
          while (q < end && load<u8>(ft + <usize>load<u8>(q)) == 0) q++;
          skipped += i64(q - p);
          if (q >= end) {
            p = end;
            break;
          }
          if (q != p && this.usesAsserts) {
            const before = i32(load<u8>(q - 1));
            const f = (isWordChar(before) ? PREV_WORD : 0) | (before == 0x0a ? PREV_NL : 0);
            let o = unchecked(this.idleOffs[f]);
            if (o < 0) {
              o = this.idle(f) * this.stride;
              table = changetype<usize>(this.table);
            }
            off = o;
          }
          p = q;
        }
      }
      // The hot loop: one load and one compare per byte while states stay ordinary.
      let next: i32 = UNKNOWN;
      while (p < end) {
        next = load<i32>(table + (<usize>(off + i32(load<u8>(changetype<usize>(colOf) + <usize>load<u8>(p)))) << 2));
        if (<u32>next >= SPECIAL) break;
        off = next;
        p++;
      }
      if (p >= end) break;
      if (next != UNKNOWN) {
        off = next & OFF_MASK;
        tags = next & ~OFF_MASK;
        p++;
        continue;
      }
      // Miss, or a byte that is not cached (UTF-8 mode): compute the transition.
      const pos = i32(p - ptr);
      const b0 = i32(load<u8>(p));
      let c: i32;
      let w: i32;
      if (b0 < 0x80 || this.latin1) {
        c = b0;
        w = 1;
      } else {
        c = decode(ptr, len, pos, false);
        w = decodedWidth;
      }
      slow++;
      const cur = load<i32>(table + (<usize>(off + this.stride - 1) << 2)) & OFF_MASK;
      const s = unchecked(this.states[cur]);
      let id = this.step(s, c);
      if (id < 0) {
        // Cache full: start over with an empty cache, rebuilding only the state we are in.
        const again = new DState(s.pcs, s.flags, s.matched, s.hasPending);
        this.reset();
        id = this.step(again, c);
      }
      const nextCell = this.cellOf(id);
      if (c >= 0 && c < this.cached && this.states.length > cur && this.states[cur] === s) {
        unchecked((this.table[cur * this.stride + i32(unchecked(colOf[c]))] = nextCell));
      }
      table = changetype<usize>(this.table);
      off = nextCell & OFF_MASK;
      tags = nextCell & ~OFF_MASK;
      p += <usize>w;
    }
    const pos = i32(p - ptr);
    if (!dead && p >= end && !(stopAtFirst && this.foundCount > 0)) {
      const metaAt = table + (<usize>(off + this.stride - 1) << 2);
      const meta = load<i32>(metaAt);
      // Most states are known to match nothing at the end: one load says so.
      if (!(meta & M_NOEND)) {
        const ends = this.endIds(unchecked(this.states[meta & OFF_MASK]));
        if (ends.length == 0) store<i32>(metaAt, meta | M_NOEND);
        else this.note(ends);
      }
    }
    // Bytes the prefilter skipped are not counted: only bytes that went through the automaton.
    addSteps(i64(pos) - skipped + slow);
    return this.foundCount;
  }

  /** Records ids; true if any was new. */
  note(ids: StaticArray<i32>): bool {
    let added = false;
    for (let i = 0; i < ids.length; i++) {
      const id = unchecked(ids[i]);
      if (id < this.found.length && !unchecked(this.found[id])) {
        unchecked((this.found[id] = true));
        this.foundCount++;
        added = true;
      }
    }
    return added;
  }
}
