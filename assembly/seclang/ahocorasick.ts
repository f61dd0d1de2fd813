// Aho-Corasick phrase matcher for @pm / @pmFromFile: ASCII case-insensitive, one pass over the input,
// linear time whatever the phrases. The trie is frozen into flat arrays (CSR: each state's edges sorted
// by byte) so matching allocates nothing; the root has a dense 256-entry table since every input byte
// that leaves a partial match passes through it. Memory is O(total phrase bytes), not O(states x 256):
// the CRS php-errors.data list alone has ~70 000 phrase bytes.

@inline function fold(c: u32): u32 {
  return c >= 0x41 && c <= 0x5a ? c | 0x20 : c;
}

export class AhoCorasick {
  /** Number of distinct non-empty phrases. */
  phrases: i32 = 0;
  minLen: i32 = 0;
  maxLen: i32 = 0;
  // Build-time trie: per state, a linked list of edges.
  private firstEdge: i32[] = [-1];
  private edgeByte: u8[] = [];
  private edgeTo: i32[] = [];
  private edgeNext: i32[] = [];
  private depthOf: i32[] = [0];
  // Frozen form.
  private off: StaticArray<i32> = new StaticArray<i32>(0);
  private labels: StaticArray<u8> = new StaticArray<u8>(0);
  private targets: StaticArray<i32> = new StaticArray<i32>(0);
  private fail: StaticArray<i32> = new StaticArray<i32>(0);
  /** A phrase ends exactly at this state. */
  private ends: StaticArray<bool> = new StaticArray<bool>(0);
  /** A phrase ends at this state or at a state on its fail chain (some suffix is a phrase). */
  private hit: StaticArray<bool> = new StaticArray<bool>(0);
  private root: StaticArray<i32> = new StaticArray<i32>(256);
  private endsBuild: bool[] = [false];
  private built: bool = false;
  /** After a match with capture: [start, end) of the leftmost-longest phrase occurrence. */
  matchStart: i32 = -1;
  matchEnd: i32 = -1;

  /** Adds a phrase (bytes); empty phrases are ignored. Must be called before build(). */
  add(p: Uint8Array): void {
    if (this.built || p.length == 0) return;
    let s = 0;
    for (let i = 0; i < p.length; i++) {
      const c = fold(p[i]);
      let e = this.firstEdge[s];
      let t = -1;
      while (e >= 0) {
        if (u32(this.edgeByte[e]) == c) {
          t = this.edgeTo[e];
          break;
        }
        e = this.edgeNext[e];
      }
      if (t < 0) {
        t = this.firstEdge.length;
        this.firstEdge.push(-1);
        this.depthOf.push(i + 1);
        this.endsBuild.push(false);
        this.edgeByte.push(u8(c));
        this.edgeTo.push(t);
        this.edgeNext.push(this.firstEdge[s]);
        this.firstEdge[s] = this.edgeByte.length - 1;
      }
      s = t;
    }
    if (!this.endsBuild[s]) {
      this.endsBuild[s] = true;
      this.phrases++;
      if (this.minLen == 0 || p.length < this.minLen) this.minLen = p.length;
      if (p.length > this.maxLen) this.maxLen = p.length;
    }
  }

  /** Freezes the trie and computes the fail links (breadth first). */
  build(): void {
    if (this.built) return;
    this.built = true;
    const n = this.firstEdge.length;
    const off = new StaticArray<i32>(n + 1);
    const labels = new StaticArray<u8>(this.edgeByte.length);
    const targets = new StaticArray<i32>(this.edgeByte.length);
    let k = 0;
    const tmpB: u8[] = [];
    const tmpT: i32[] = [];
    for (let s = 0; s < n; s++) {
      off[s] = k;
      tmpB.length = 0;
      tmpT.length = 0;
      let e = this.firstEdge[s];
      while (e >= 0) {
        // insertion sort by byte: edge lists are short
        const b = this.edgeByte[e];
        const t = this.edgeTo[e];
        let j = tmpB.length;
        tmpB.push(b);
        tmpT.push(t);
        while (j > 0 && tmpB[j - 1] > b) {
          tmpB[j] = tmpB[j - 1];
          tmpT[j] = tmpT[j - 1];
          j--;
        }
        tmpB[j] = b;
        tmpT[j] = t;
        e = this.edgeNext[e];
      }
      for (let j = 0; j < tmpB.length; j++) {
        labels[k] = tmpB[j];
        targets[k] = tmpT[j];
        k++;
      }
    }
    off[n] = k;
    this.off = off;
    this.labels = labels;
    this.targets = targets;
    const ends = new StaticArray<bool>(n);
    for (let s = 0; s < n; s++) ends[s] = this.endsBuild[s];
    this.ends = ends;
    const hit = new StaticArray<bool>(n);
    const fail = new StaticArray<i32>(n);
    this.fail = fail; // step() reads the links of shallower states while the BFS fills deeper ones
    const root = this.root;
    for (let c = 0; c < 256; c++) root[c] = 0;
    for (let j = off[0]; j < off[1]; j++) root[labels[j]] = targets[j];
    // BFS order: states in the queue have their fail link set.
    const queue = new StaticArray<i32>(n);
    let qh = 0;
    let qt = 0;
    for (let j = off[0]; j < off[1]; j++) {
      const t = targets[j];
      fail[t] = 0;
      hit[t] = ends[t];
      queue[qt++] = t;
    }
    while (qh < qt) {
      const s = queue[qh++];
      for (let j = off[s]; j < off[s + 1]; j++) {
        const c = u32(labels[j]);
        const t = targets[j];
        let f = fail[s];
        let g = this.step(f, c);
        fail[t] = g;
        hit[t] = ends[t] || hit[g];
        queue[qt++] = t;
      }
    }
    this.hit = hit;
    // Drop the build-time lists.
    this.firstEdge = [];
    this.edgeByte = [];
    this.edgeTo = [];
    this.edgeNext = [];
    this.endsBuild = [];
  }

  /** Goto from state s on folded byte c, following fail links (the classic AC transition). */
  private step(s: i32, c: u32): i32 {
    while (true) {
      if (s == 0) return unchecked(this.root[c]);
      const t = this.child(s, c);
      if (t >= 0) return t;
      s = unchecked(this.fail[s]);
    }
    return 0;
  }

  /** The trie child of s on c, or -1. */
  private child(s: i32, c: u32): i32 {
    if (s == 0) {
      const t = unchecked(this.root[c]);
      return t == 0 ? -1 : t;
    }
    let lo = unchecked(this.off[s]);
    let hi = unchecked(this.off[s + 1]) - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const b = u32(unchecked(this.labels[mid]));
      if (b == c) return unchecked(this.targets[mid]);
      if (b < c) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }

  /** Whether any phrase occurs in len bytes at ptr. */
  matchesPtr(ptr: usize, len: i32): bool {
    if (!this.built || this.phrases == 0 || len < this.minLen) return false;
    let s = 0;
    for (let i = 0; i < len; i++) {
      s = this.step(s, fold(load<u8>(ptr + i)));
      if (unchecked(this.hit[s])) {
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
        if (unchecked(this.ends[s])) best = i + 1;
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
