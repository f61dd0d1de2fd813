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
const INFO_MATCHED: u8 = 1;
const INFO_IDLE: u8 = 2;
const INFO_UNKNOWN: u8 = 255;
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
  /** Character -> table column for the characters below `cached`; others take the uncached path. */
  colOf: StaticArray<u8> = new StaticArray<u8>(256);
  /** 256 in bytes (Latin-1) mode, where every byte is one character and can be cached (base64Decode and
   * friends turn ordinary values into high bytes: uncached, each of them cost a closure and a state
   * lookup), 128 otherwise (a non-ASCII byte starts a multi-byte UTF-8 character). */
  cached: i32 = 128;
  cols: i32 = 0;
  states: DState[] = [];
  index: Map<string, i32> = new Map<string, i32>();
  table: StaticArray<i32> = new StaticArray<i32>(0);
  /** Idle (only the start thread alive) state per context flags, -1 when not built yet. */
  idleIds: StaticArray<i32> = new StaticArray<i32>(8);
  outPcs: i32[] = [];
  outIds: i32[] = [];
  /** Words of cache in use (see MAX_WORDS). */
  used: i32 = 0;
  /** Ids seen by the last run (set matching). */
  found: StaticArray<bool>;
  foundCount: i32 = 0;

  constructor(prog: Program, latin1: bool, anchored: bool, ids: i32) {
    this.prog = prog;
    this.latin1 = latin1;
    this.cached = latin1 ? 256 : 128;
    this.anchored = anchored || prog.anchoredStart;
    const n = prog.length;
    this.found = new StaticArray<bool>(ids > 0 ? ids : 1);
    for (let pc = 0; pc < n; pc++) if (prog.op[pc] == Op.ASSERT) this.usesAsserts = true;
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
  }

  reset(): void {
    this.used = 0;
    for (let i = 0; i < this.info.length; i++) this.info[i] = INFO_UNKNOWN;
    this.states = [];
    this.index = new Map<string, i32>();
    this.table = new StaticArray<i32>(0);
    for (let i = 0; i < 8; i++) this.idleIds[i] = -1;
    this.startId = -1;
  }

  /** The state every run starts in (idle at the start of the text), -1 until built after a reset. */
  startId: i32 = -1;

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
    const cost = this.cols + pcs.length + ids.length + 16;
    if (this.used + cost > MAX_WORDS && this.states.length > 0) return -1;
    this.used += cost;
    const id = this.states.length;
    const uniqIds: i32[] = [];
    for (let i = 0; i < ids.length; i++) if (i == 0 || ids[i] != ids[i - 1]) uniqIds.push(ids[i]);
    this.states.push(new DState(StaticArray.fromArray<i32>(pcs), flags, StaticArray.fromArray<i32>(uniqIds), pending));
    this.index.set(key, id);
    // Grow the table geometrically; new cells are "unknown" (-1).
    const need = (id + 1) * this.cols;
    if (need > this.table.length) {
      let cap = this.table.length > 0 ? this.table.length * 2 : this.cols * 16;
      while (cap < need) cap *= 2;
      const t = new StaticArray<i32>(cap);
      for (let i = 0; i < this.table.length; i++) unchecked((t[i] = this.table[i]));
      for (let i = this.table.length; i < cap; i++) unchecked((t[i] = -1));
      this.table = t;
    }
    return id;
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
    this.states[id].idle = !this.anchored;
    if (id < this.info.length) this.info[id] = INFO_UNKNOWN;
    this.idleIds[flags] = id;
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

  /** Per-state bits checked on every byte: INFO_MATCHED (entering it reports ids), INFO_IDLE. */
  info: StaticArray<u8> = new StaticArray<u8>(0);

  infoOf(id: i32): u8 {
    if (id >= this.info.length) {
      const grown = new StaticArray<u8>(max(max(16, this.info.length * 2), id + 1));
      for (let i = 0; i < this.info.length; i++) grown[i] = this.info[i];
      for (let i = this.info.length; i < grown.length; i++) grown[i] = INFO_UNKNOWN;
      this.info = grown;
    }
    let v = this.info[id];
    if (v == INFO_UNKNOWN) {
      const st = this.states[id];
      v = (st.matched.length > 0 ? INFO_MATCHED : 0) | (st.idle ? INFO_IDLE : 0);
      this.info[id] = v;
    }
    return v;
  }

  /**
   * Runs over ptr[0..len). With stopAtFirst, returns 1 as soon as any pattern matches (else 0);
   * otherwise records every matching id in `found` and returns how many there are.
   */
  run(ptr: usize, len: i32, stopAtFirst: bool): i32 {
    const found = this.found;
    for (let i = 0; i < found.length; i++) unchecked((found[i] = false));
    this.foundCount = 0;
    const first = this.prog.firstBytes;
    const latin1 = this.latin1;
    // Most runs are short values and most do not match: the per-run setup is kept to a few loads.
    let cur = this.startId;
    if (cur < 0) cur = this.startId = this.idle(AT_START | PREV_NL);
    let pos = 0;
    let slow: i64 = 0;
    let skipped: i64 = 0;
    // Hot loop state, reloaded whenever a miss may have grown or reset the cache.
    let table = this.table;
    let cols = this.cols;
    const colOf = this.colOf;
    const cachedBelow = this.cached;
    let inf = this.infoOf(cur);
    // Reloaded with `table` after a miss (infoOf may grow it); states reached through the table had
    // their info computed when they were first entered, so it is long enough for them.
    let info = this.info;
    let done = false;
    while (!done) {
      if (inf != 0) {
        if (inf & INFO_MATCHED) {
          if (this.note(this.states[cur].matched) && stopAtFirst) break;
        }
        if (inf & INFO_IDLE && first != null) {
          // Nothing in flight: skip to the next byte a match can begin with.
          let p = pos;
          while (p < len) {
            const b = i32(load<u8>(ptr + p));
            if ((unchecked(first[b >> 5]) & (u32(1) << (b & 31))) != 0) break;
            p++;
          }
          skipped += p - pos;
          if (p >= len) {
            pos = len;
            break;
          }
          if (p != pos) {
            const before = i32(load<u8>(ptr + p - 1));
            cur = this.idle((isWordChar(before) ? PREV_WORD : 0) | (before == 0x0a ? PREV_NL : 0));
            table = this.table;
            pos = p;
          }
        }
      }
      if (pos >= len) break;
      const b0 = i32(load<u8>(ptr + pos));
      let next: i32 = -1;
      if (b0 < cachedBelow) {
        next = unchecked(table[cur * cols + i32(unchecked(colOf[b0]))]);
        if (next >= 0) {
          cur = next;
          pos++;
          inf = info.length > cur ? unchecked(info[cur]) : INFO_UNKNOWN;
          if (inf == INFO_UNKNOWN) {
            inf = this.infoOf(cur);
            info = this.info;
          }
          continue;
        }
      }
      // Miss, non-ASCII or invalid byte: compute the transition.
      let c: i32;
      let w: i32;
      if (b0 < 0x80 || latin1) {
        c = b0;
        w = 1;
      } else {
        c = decode(ptr, len, pos, latin1);
        w = decodedWidth;
      }
      slow++;
      const s = this.states[cur];
      next = this.step(s, c);
      if (next < 0) {
        // Cache full: start over with an empty cache, rebuilding only the state we are in.
        const again = new DState(s.pcs, s.flags, s.matched, s.hasPending);
        this.reset();
        next = this.step(again, c);
      }
      if (c >= 0 && c < cachedBelow && this.states.length > cur && this.states[cur] === s) {
        unchecked((this.table[cur * this.cols + i32(unchecked(colOf[c]))] = next));
      }
      table = this.table;
      cols = this.cols;
      cur = next;
      pos += w;
      inf = this.infoOf(cur);
      info = this.info;
    }
    if (pos >= len && !(stopAtFirst && this.foundCount > 0)) {
      const st = unchecked(this.states[cur]);
      const ends = st.atEnd;
      // A state already known to match nothing at the end needs no call.
      if (ends === null || ends.length > 0) this.note(this.endIds(st));
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
