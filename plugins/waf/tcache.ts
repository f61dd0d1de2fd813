// The per-transaction transformation caches. Collection members and scalars are cached by position:
// (variable, trie node) → an array indexed by the member's index, each entry remembering the value it was
// computed from (a stale or different value is a miss). Rules walk a collection in order, so this is a few
// sequential loads instead of hashing. Values without a stable position (TX, MATCHED_VARS) use (value
// object, trie node) keys in an open-addressing table (a Map<i64,…> was a quarter of a JSON POST's time).
// Both are pooled: a request allocates no cache memory once the pool is warm.
import { Bytes } from "../../assembly/seclang/types";

const MIN_CAP: i32 = 256;

/** One (variable, trie node): per member index, the value seen and its transformation. */
export class NodeCache {
  /** Member i: slot 2i the value seen, 2i + 1 its transformation (side by side: one cache line per lookup). */
  slots: StaticArray<Bytes | null> = new StaticArray<Bytes | null>(32);
  /** Members below this index may be set (cleared on release). */
  used: i32 = 0;

  set(i: i32, src: Bytes, out: Bytes): void {
    const at = i << 1;
    if (at >= this.slots.length) {
      let cap = this.slots.length << 1;
      while (cap <= at + 1) cap <<= 1;
      const s2 = new StaticArray<Bytes | null>(cap);
      for (let k = 0; k < this.used << 1; k++) unchecked(s2[k] = unchecked(this.slots[k]));
      this.slots = s2;
    }
    unchecked(this.slots[at] = src);
    unchecked(this.slots[at + 1] = out);
    if (i >= this.used) this.used = i + 1;
  }

  @inline get(i: i32, src: Bytes): Bytes | null {
    if (i >= this.used || unchecked(this.slots[i << 1]) !== src) return null;
    return unchecked(this.slots[(i << 1) + 1]);
  }

  clear(): void {
    // Zeroing the slots is all a release needs (the runtime has no write barrier). Plain stores: memory.fill
    // is a call out of the Wasm code in V8, and a request touches a few hundred of these, most with 1–8 members.
    const n = this.used << 1;
    const p = changetype<usize>(this.slots);
    for (let k = 0; k < n; k++) store<usize>(p + (<usize>k << alignof<usize>()), 0);
    this.used = 0;
  }
}

/** Position-keyed caches of one transaction: slot v * stride + node (stride = the trie's size). */
export class IndexCache {
  stride: i32 = 0;
  nodes: Array<NodeCache | null> = [];
  /** The NodeCaches that hold entries (cleared on release). */
  touched: NodeCache[] = [];

  reset(stride: i32, vars: i32): void {
    if (stride != this.stride || this.nodes.length != stride * vars) {
      this.stride = stride;
      this.nodes = new Array<NodeCache | null>(stride * vars);
    }
  }

  @inline get(v: i32, node: i32, i: i32, src: Bytes): Bytes | null {
    const nc = unchecked(this.nodes[v * this.stride + node]);
    return nc === null ? null : nc.get(i, src);
  }

  set(v: i32, node: i32, i: i32, src: Bytes, out: Bytes): void {
    const k = v * this.stride + node;
    let nc = unchecked(this.nodes[k]);
    if (nc === null) {
      nc = new NodeCache();
      unchecked(this.nodes[k] = nc);
    }
    if (nc.used == 0) this.touched.push(nc);
    nc.set(i, src, out);
  }

  clear(): void {
    const t = this.touched;
    for (let k = 0; k < t.length; k++) unchecked(t[k]).clear();
    t.length = 0;
  }
}

/** An open-addressing table from non-zero i64 keys to values, cleared by the slots it filled. */
export class KeyedTable {
  keys: StaticArray<i64> = new StaticArray<i64>(MIN_CAP);
  vals: StaticArray<Bytes | null> = new StaticArray<Bytes | null>(MIN_CAP);
  count: i32 = 0;
  /** The slots filled, in order (at most half the table): a release clears those, not the whole table. */
  filled: StaticArray<i32> = new StaticArray<i32>(MIN_CAP >> 1);

  @inline private static slot(key: i64, mask: i32): i32 {
    // Fibonacci hashing of the key: pointers are 4-aligned and nodes small, so mix before masking.
    return <i32>(<u64>(key * 0x9E3779B97F4A7C15) >>> 40) & mask;
  }

  get(key: i64): Bytes | null {
    const keys = this.keys;
    const mask = keys.length - 1;
    let i = TCache.slot(key, mask);
    let k = unchecked(keys[i]);
    while (k != 0) {
      if (k == key) return unchecked(this.vals[i]);
      i = (i + 1) & mask;
      k = unchecked(keys[i]);
    }
    return null;
  }

  has(key: i64): bool {
    const keys = this.keys;
    const mask = keys.length - 1;
    let i = TCache.slot(key, mask);
    let k = unchecked(keys[i]);
    while (k != 0) {
      if (k == key) return true;
      i = (i + 1) & mask;
      k = unchecked(keys[i]);
    }
    return false;
  }

  set(key: i64, v: Bytes): void {
    if ((this.count + 1) * 2 > this.keys.length) this.grow();
    const keys = this.keys;
    const mask = keys.length - 1;
    let i = TCache.slot(key, mask);
    for (;;) {
      const k = unchecked(keys[i]);
      if (k == key) { unchecked(this.vals[i] = v); return; }
      if (k == 0) {
        unchecked(keys[i] = key);
        unchecked(this.vals[i] = v);
        unchecked(this.filled[this.count] = i);
        this.count++;
        return;
      }
      i = (i + 1) & mask;
    }
  }

  private grow(): void {
    const oldKeys = this.keys;
    const oldVals = this.vals;
    const cap = oldKeys.length << 1;
    this.keys = new StaticArray<i64>(cap);
    this.vals = new StaticArray<Bytes | null>(cap);
    this.filled = new StaticArray<i32>(cap >> 1);
    this.count = 0;
    for (let i = 0; i < oldKeys.length; i++) {
      const k = unchecked(oldKeys[i]);
      if (k != 0) this.set(k, unchecked(oldVals[i])!);
    }
  }

  /** Empties the table, keeping its capacity (the values are released for the collector). */
  clear(): void {
    if (this.count == 0) return;
    const keys = this.keys;
    const vals = this.vals;
    const filled = this.filled;
    for (let k = 0; k < this.count; k++) {
      const i = unchecked(filled[k]);
      unchecked(keys[i] = 0);
      unchecked(vals[i] = null);
    }
    this.count = 0;
  }
}

export class TCache extends KeyedTable {
  byIndex: IndexCache = new IndexCache();
  /**
   * Results by (input object, transformation), whatever the pipeline: a benign value leaves most steps
   * unchanged (the same object comes out), so pipelines that differ only in such steps meet the same
   * (input, step) pairs, computed once here. Consulted only when the pipeline caches miss.
   */
  steps: KeyedTable = new KeyedTable();
  /** The inputs of `steps` entries, kept alive so no other object can take their address within the transaction. */
  pins: StaticArray<Bytes | null> = new StaticArray<Bytes | null>(MIN_CAP);
  pinned: i32 = 0;

  /** `id` applied to `input` when some pipeline of this transaction computed it already, else null. */
  @inline step(id: i32, input: Bytes): Bytes | null {
    return this.steps.get((<i64>changetype<usize>(input) << 16) | <i64>(id + 1));
  }

  rememberStep(id: i32, input: Bytes, out: Bytes): void {
    this.steps.set((<i64>changetype<usize>(input) << 16) | <i64>(id + 1), out);
    if (this.pinned == this.pins.length) {
      const next = new StaticArray<Bytes | null>(this.pinned << 1);
      for (let i = 0; i < this.pinned; i++) unchecked((next[i] = this.pins[i]));
      this.pins = next;
    }
    unchecked((this.pins[this.pinned++] = input));
  }

  clear(): void {
    this.byIndex.clear();
    this.steps.clear();
    const p = changetype<usize>(this.pins);
    for (let i = 0; i < this.pinned; i++) store<usize>(p + (<usize>i << alignof<usize>()), 0);
    this.pinned = 0;
    super.clear();
  }
}

/** Caches of ended streams, ready for the next ones (streams of one VM may overlap: a stack, not one object). */
const pool: TCache[] = [];

export function acquireTCache(): TCache {
  return pool.length > 0 ? pool.pop() : new TCache();
}

export function releaseTCache(c: TCache): void {
  c.clear();
  // A table that grew for a huge request goes back to the collector rather than staying pooled.
  if (pool.length < 8 && c.keys.length <= 1 << 16 && c.steps.keys.length <= 1 << 16) pool.push(c);
}
