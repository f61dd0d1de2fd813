// Context id -> context object. The host hands out ids from one increasing counter per VM, so
// `id & mask` spreads live ids over the slots without hashing; collisions use linear probing and
// deletion shifts entries back (no tombstones), so the table stays small and flat over time.
import { Context } from "./context";

// Slot access through raw loads and stores: the optimizer keeps StaticArray accessors as calls.
@inline function keyAt(keys: StaticArray<u32>, i: u32): u32 { return load<u32>(changetype<usize>(keys) + (<usize>i << 2)); }
@inline function setKey(keys: StaticArray<u32>, i: u32, k: u32): void { store<u32>(changetype<usize>(keys) + (<usize>i << 2), k); }
@inline function valueAt(values: StaticArray<Context | null>, i: u32): Context | null {
  return changetype<Context | null>(load<usize>(changetype<usize>(values) + (<usize>i << alignof<usize>())));
}
@inline function setValue(values: StaticArray<Context | null>, i: u32, c: Context | null): void {
  store<usize>(changetype<usize>(values) + (<usize>i << alignof<usize>()), changetype<usize>(c));
  if (ASC_RUNTIME == 2) __link(changetype<usize>(values), changetype<usize>(c), true); // incremental GC's write barrier
}

export class ContextTable {
  private keys: StaticArray<u32> = new StaticArray<u32>(64);
  private values: StaticArray<Context | null> = new StaticArray<Context | null>(64);
  private mask: u32 = 63;
  private count: i32 = 0;
  // The last context looked up: most callbacks in a row are for the same stream.
  private lastId: u32 = 0;
  private last: Context | null = null;

  get size(): i32 { return this.count; }

  get(id: u32): Context | null {
    if (id == this.lastId && id != 0) return this.last;
    const mask = this.mask;
    let i = id & mask;
    while (true) {
      const k = keyAt(this.keys, i);
      if (k == id) {
        const c = valueAt(this.values, i);
        this.lastId = id;
        this.last = c;
        return c;
      }
      if (k == 0) return null;
      i = (i + 1) & mask;
    }
  }

  set(id: u32, ctx: Context): void {
    if (id == 0) return; // 0 is the host's own VM context, never ours
    if ((this.count + 1) * 2 > <i32>this.mask + 1) this.grow();
    const mask = this.mask;
    let i = id & mask;
    while (true) {
      const k = keyAt(this.keys, i);
      if (k == id || k == 0) {
        if (k == 0) this.count++;
        setKey(this.keys, i, id);
        setValue(this.values, i, ctx);
        if (this.lastId == id) this.last = ctx;
        return;
      }
      i = (i + 1) & mask;
    }
  }

  delete(id: u32): void {
    if (id == this.lastId) { this.lastId = 0; this.last = null; }
    const mask = this.mask;
    let i = id & mask;
    while (true) {
      const k = keyAt(this.keys, i);
      if (k == 0) return;
      if (k == id) break;
      i = (i + 1) & mask;
    }
    // Backward-shift deletion: move later entries of the probe run into the hole.
    let hole = i;
    let j = (i + 1) & mask;
    while (true) {
      const k = keyAt(this.keys, j);
      if (k == 0) break;
      const home = k & mask;
      // Entry at j may move to `hole` if its home is not cyclically within (hole, j].
      const between = hole <= j ? (home > hole && home <= j) : (home > hole || home <= j);
      if (!between) {
        setKey(this.keys, hole, k);
        setValue(this.values, hole, valueAt(this.values, j));
        hole = j;
      }
      j = (j + 1) & mask;
    }
    setKey(this.keys, hole, 0);
    setValue(this.values, hole, null);
    this.count--;
  }

  private grow(): void {
    const oldKeys = this.keys;
    const oldValues = this.values;
    const cap = (this.mask + 1) << 1;
    this.keys = new StaticArray<u32>(cap);
    this.values = new StaticArray<Context | null>(cap);
    this.mask = cap - 1;
    this.count = 0;
    for (let i = 0; i < oldKeys.length; i++) {
      const k = unchecked(oldKeys[i]);
      if (k != 0) this.set(k, changetype<Context>(unchecked(oldValues[i])));
    }
  }
}
