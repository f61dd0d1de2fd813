// Aho-Corasick phrase matcher for @pm / @pmFromFile: ASCII case-insensitive, one pass over the input,
// linear time whatever the phrases.
//
// Layout: states are numbered breadth first with each level in lexicographic order, so the children of a
// state are consecutive states and the edges, listed parent by parent in label order, line up with the
// states they lead to: edge j goes to state j + 1. A state therefore costs an edge-range start (`off`), its
// incoming label, its fail link and a flag byte (~10 bytes), with no per-edge target array; the root keeps
// a dense 256-entry table since every byte that leaves a partial match passes through it.
//
// Construction sorts the (case-folded) phrases and then emits the trie level by level, which produces that
// numbering directly; fail links follow in the same single pass over the states (BFS order is the state
// order). All build-time scratch lives in unmanaged memory freed when build() returns: the plugins run the
// `minimal` runtime, which collects garbage only between host callbacks, so garbage made while the CRS
// loads would stay in linear memory (and linear memory never shrinks).

@inline function fold(c: u32): u32 {
  return c - 0x41 < 26 ? c | 0x20 : c;
}

/** A phrase ends at this state. */
const END: u8 = 1;
/** A phrase ends at this state or at a state on its fail chain (some suffix of the input so far is a phrase). */
const HIT: u8 = 2;

/** Resizes an unmanaged block (0 = none yet). */
function regrow(ptr: usize, size: usize): usize {
  return ptr == 0 ? heap.alloc(size) : heap.realloc(ptr, size);
}

export class AhoCorasick {
  /** Number of distinct non-empty phrases (after case folding). */
  phrases: i32 = 0;
  minLen: i32 = 0;
  maxLen: i32 = 0;
  /** After a match with capture: [start, end) of the leftmost-longest phrase occurrence. */
  matchStart: i32 = -1;
  matchEnd: i32 = -1;

  // Build input, unmanaged: folded phrase bytes back to back, and (start, length) per phrase added.
  private pool: usize = 0;
  private poolLen: i32 = 0;
  private poolCap: i32 = 0;
  private spans: usize = 0;
  private count: i32 = 0;
  private spanCap: i32 = 0;

  // Frozen automaton.
  private states: i32 = 0;
  /** Edges of state s are [off[s], off[s + 1]); edge j is labelled labels[j] and leads to state j + 1. */
  private off: StaticArray<i32> = new StaticArray<i32>(0);
  private labels: StaticArray<u8> = new StaticArray<u8>(0);
  private fail: StaticArray<i32> = new StaticArray<i32>(0);
  private flags: StaticArray<u8> = new StaticArray<u8>(0);
  private root: StaticArray<i32> = new StaticArray<i32>(256);
  private built: bool = false;

  /** Pre-sizes the phrase pool for about `bytes` more phrase bytes (optional; avoids regrowing). */
  reserve(bytes: i32): void {
    if (!this.built && bytes > 0) this.growPool(this.poolLen + bytes);
  }

  /** Adds a phrase (bytes); empty phrases are ignored. Must be called before build(). */
  add(p: Uint8Array): void {
    this.addPtr(p.dataStart, p.length);
  }

  /** Adds the `len` bytes at `ptr` as a phrase. */
  addPtr(ptr: usize, len: i32): void {
    if (this.built || len <= 0) return;
    this.growPool(this.poolLen + len);
    if (this.count == this.spanCap) {
      const cap = max(16, this.spanCap << 1);
      this.spans = regrow(this.spans, <usize>cap << 3);
      this.spanCap = cap;
    }
    const start = this.poolLen;
    const dst = this.pool + <usize>start;
    for (let i = 0; i < len; i++) store<u8>(dst + i, fold(load<u8>(ptr + i)));
    this.poolLen = start + len;
    const sp = this.spans + (<usize>this.count << 3);
    store<i32>(sp, start);
    store<i32>(sp, len, 4);
    this.count++;
    if (this.minLen == 0 || len < this.minLen) this.minLen = len;
    if (len > this.maxLen) this.maxLen = len;
  }

  private growPool(need: i32): void {
    if (need <= this.poolCap) return;
    const cap = max(need, max(64, this.poolCap << 1));
    this.pool = regrow(this.pool, <usize>cap);
    this.poolCap = cap;
  }

  @inline private startOf(p: i32): i32 {
    return load<i32>(this.spans + (<usize>p << 3));
  }
  @inline private lenOf(p: i32): i32 {
    return load<i32>(this.spans + (<usize>p << 3), 4);
  }

  /** Lexicographic order of phrases a and b (shorter first when one is a prefix of the other). */
  private cmp(a: i32, b: i32): i32 {
    const la = this.lenOf(a);
    const lb = this.lenOf(b);
    const c = memory.compare(this.pool + <usize>this.startOf(a), this.pool + <usize>this.startOf(b), <usize>min(la, lb));
    return c != 0 ? c : la - lb;
  }

  /** Sorts the `n` phrase numbers at `idx` (bottom-up merge sort through `tmp`); returns where they ended up. */
  private sortPhrases(idx: usize, tmp: usize, n: i32): usize {
    let src = idx;
    let dst = tmp;
    for (let w = 1; w < n; w <<= 1) {
      for (let lo = 0; lo < n; lo += w << 1) {
        const mid = min(lo + w, n);
        const hi = min(lo + (w << 1), n);
        let i = lo;
        let j = mid;
        let k = lo;
        while (i < mid && j < hi) {
          const a = load<i32>(src + (<usize>i << 2));
          const b = load<i32>(src + (<usize>j << 2));
          if (this.cmp(a, b) <= 0) {
            store<i32>(dst + (<usize>k << 2), a);
            k++;
            i++;
          } else {
            store<i32>(dst + (<usize>k << 2), b);
            k++;
            j++;
          }
        }
        if (i < mid) memory.copy(dst + (<usize>k << 2), src + (<usize>i << 2), <usize>(mid - i) << 2);
        else if (j < hi) memory.copy(dst + (<usize>k << 2), src + (<usize>j << 2), <usize>(hi - j) << 2);
      }
      const t = src;
      src = dst;
      dst = t;
    }
    return src;
  }

  /** Freezes the automaton: trie level by level from the sorted phrases, then the fail links. */
  build(): void {
    if (this.built) return;
    this.built = true;
    const n = this.count;
    if (n == 0) {
      this.freeInput();
      return;
    }
    const maxStates = this.poolLen + 1;
    const idx = heap.alloc(<usize>n << 2);
    const tmp = heap.alloc(<usize>n << 2);
    for (let i = 0; i < n; i++) store<i32>(idx + (<usize>i << 2), i);
    const act = this.sortPhrases(idx, tmp, n);
    // Per phrase, the state its prefix of the current depth reached (indexed by phrase number).
    const cur = act == idx ? tmp : idx;
    memory.fill(cur, 0, <usize>n << 2);
    const labels = heap.alloc(<usize>maxStates);
    const first = heap.alloc(<usize>(maxStates + 1) << 2); // first edge of each state, -1 for none yet
    memory.fill(first, 0xff, <usize>(maxStates + 1) << 2);
    const ends = heap.alloc(<usize>maxStates);
    memory.fill(ends, 0, <usize>maxStates);
    let states = 1;
    let active = n;
    let phrases = 0;
    for (let d = 1; active > 0; d++) {
      // Active phrases (length >= d) stay in sorted order, so phrases sharing a prefix of length d are
      // adjacent and their new states come out grouped by parent, in label order: BFS numbering.
      let kept = 0;
      let prevParent = -1;
      let prevByte: u32 = 0x100;
      let prevState = 0;
      for (let k = 0; k < active; k++) {
        const p = load<i32>(act + (<usize>k << 2));
        const cp = cur + (<usize>p << 2);
        const parent = load<i32>(cp);
        const c = u32(load<u8>(this.pool + <usize>(this.startOf(p) + d - 1)));
        let s = prevState;
        if (parent != prevParent || c != prevByte) {
          s = states++;
          store<u8>(labels + <usize>(s - 1), u8(c));
          const fp = first + (<usize>parent << 2);
          if (load<i32>(fp) < 0) store<i32>(fp, s - 1);
          prevParent = parent;
          prevByte = c;
          prevState = s;
        }
        store<i32>(cp, s);
        if (this.lenOf(p) == d) {
          if (load<u8>(ends + <usize>s) == 0) phrases++;
          store<u8>(ends + <usize>s, END);
        } else {
          store<i32>(act + (<usize>kept << 2), p);
          kept++;
        }
      }
      active = kept;
    }
    this.phrases = phrases;
    this.states = states;

    // Freeze: exact-size managed arrays. A state without children starts its (empty) range where the
    // next state's starts.
    const off = new StaticArray<i32>(states + 1);
    off[states] = states - 1;
    for (let s = states - 1; s >= 0; s--) {
      const f = load<i32>(first + (<usize>s << 2));
      unchecked((off[s] = f >= 0 ? f : unchecked(off[s + 1])));
    }
    const lab = new StaticArray<u8>(states - 1);
    memory.copy(changetype<usize>(lab), labels, <usize>(states - 1));
    const flags = new StaticArray<u8>(states);
    memory.copy(changetype<usize>(flags), ends, <usize>states);
    heap.free(idx);
    heap.free(tmp);
    heap.free(labels);
    heap.free(first);
    heap.free(ends);
    this.freeInput();
    this.off = off;
    this.labels = lab;
    this.flags = flags;
    const fail = new StaticArray<i32>(states);
    this.fail = fail; // step() reads the links of shallower states while the loop fills deeper ones
    const root = this.root;
    for (let j = off[0]; j < off[1]; j++) unchecked((root[lab[j]] = j + 1));
    // State order is BFS order: every state a fail computation looks at is already done.
    for (let s = 0; s < states; s++) {
      const fs = unchecked(fail[s]);
      for (let j = unchecked(off[s]); j < unchecked(off[s + 1]); j++) {
        const t = j + 1;
        const g = s == 0 ? 0 : this.step(fs, u32(unchecked(lab[j])));
        unchecked((fail[t] = g));
        const f = unchecked(flags[t]);
        if ((f & END) != 0 || (unchecked(flags[g]) & HIT) != 0) unchecked((flags[t] = f | HIT));
      }
    }
  }

  /** Drops a matcher that will not be built (frees what add() gathered). */
  discard(): void {
    this.built = true;
    this.freeInput();
  }

  private freeInput(): void {
    if (this.pool != 0) heap.free(this.pool);
    if (this.spans != 0) heap.free(this.spans);
    this.pool = 0;
    this.spans = 0;
    this.poolLen = this.poolCap = this.count = this.spanCap = 0;
  }

  /** Payload bytes the frozen automaton keeps (array contents; object headers not counted). */
  memoryBytes(): i32 {
    return (this.off.length << 2) + this.labels.length + (this.fail.length << 2) + this.flags.length + (256 << 2);
  }

  /** Number of trie states (root included) after build(). */
  get stateCount(): i32 {
    return this.states;
  }

  /** Goto from state s on folded byte c, following fail links (the classic AC transition). */
  @inline private step(s: i32, c: u32): i32 {
    while (s != 0) {
      const t = this.child(s, c);
      if (t >= 0) return t;
      s = unchecked(this.fail[s]);
    }
    return unchecked(this.root[c]);
  }

  /** The trie child of s on c, or -1. */
  @inline private child(s: i32, c: u32): i32 {
    if (s == 0) {
      const t = unchecked(this.root[c]);
      return t == 0 ? -1 : t;
    }
    const labels = this.labels;
    let lo = unchecked(this.off[s]);
    let hi = unchecked(this.off[s + 1]);
    // Most states below the first levels have one or two children: scan short ranges.
    if (hi - lo <= 8) {
      for (; lo < hi; lo++) if (u32(unchecked(labels[lo])) == c) return lo + 1;
      return -1;
    }
    hi--;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const b = u32(unchecked(labels[mid]));
      if (b == c) return mid + 1;
      if (b < c) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }

  /** Whether any phrase occurs in len bytes at ptr; sets matchEnd to the end of the first one seen. */
  matchesPtr(ptr: usize, len: i32): bool {
    if (!this.built || this.phrases == 0 || len < this.minLen) return false;
    const flags = this.flags;
    const root = this.root;
    let s = 0;
    for (let i = 0; i < len; i++) {
      const c = fold(load<u8>(ptr + <usize>i));
      s = s == 0 ? unchecked(root[c]) : this.step(s, c);
      if ((unchecked(flags[s]) & HIT) != 0) {
        this.matchEnd = i + 1;
        return true;
      }
    }
    return false;
  }

  matches(v: Uint8Array): bool {
    return this.matchesPtr(v.dataStart, v.length);
  }

  /**
   * Finds the leftmost-longest occurrence (what Coraza reports, and what TX.0 gets with `capture`);
   * sets matchStart/matchEnd. The first match end bounds the leftmost start, so only a window of
   * maxLen bytes before it is re-walked from the root.
   */
  find(v: Uint8Array): bool {
    this.matchStart = -1;
    if (!this.matches(v)) return false;
    const firstEnd = this.matchEnd;
    const from = max(0, firstEnd - this.maxLen);
    for (let st = from; st < firstEnd; st++) {
      let s = 0;
      let best = -1;
      for (let i = st; i < v.length; i++) {
        s = this.child(s, fold(unchecked(v[i])));
        if (s < 0) break;
        if ((unchecked(this.flags[s]) & END) != 0) best = i + 1;
      }
      if (best >= 0) {
        this.matchStart = st;
        this.matchEnd = best;
        return true;
      }
    }
    return false;
  }
}
