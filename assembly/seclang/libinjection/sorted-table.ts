// A read-only table of byte-string keys, each with a one-byte type, laid out in static memory by
// gen/tables.ts: the keys sorted bytewise and concatenated, the start of each key (plus one end offset),
// and the types. Lookups are a binary search, or for a hot table a probe of its FNV-1a hash index (the
// index is fixed, so its longest probe run is bounded at generation time whatever the query).
// No allocation either way.

export const FNV_START: u32 = 0x811c9dc5;

export class SortedTable {
  constructor(
    public count: i32,
    /** The keys, concatenated in sorted order. */
    private bytes: usize,
    /** u16 start offsets of the keys in `bytes`; entry `count` is the end of the last key. */
    private starts: usize,
    /** One type byte per key. */
    private types: usize,
    /** u16 slots of the hash index: key index + 1, 0 empty; 0 when the table has no index. */
    private slots: usize,
    /** Slot count - 1 (a power of two minus one). */
    private mask: u32,
  ) {}

  /** FNV-1a of one more byte; start from FNV_START. */
  @inline static hashStep(h: u32, c: u8): u32 {
    return (h ^ <u32>c) * 0x01000193;
  }

  /** Like find, using the hash index; `hash` is the FNV-1a of the key (see hashStep). */
  findHashed(key: usize, len: i32, hash: u32): i32 {
    if (this.slots == 0) return this.find(key, len);
    let at = hash & this.mask;
    while (true) {
      const entry = <i32>load<u16>(this.slots + (<usize>at << 1));
      if (entry == 0) return -1;
      if (this.compareAt(entry - 1, key, len) == 0) return <i32>load<u8>(this.types + <usize>(entry - 1));
      at = (at + 1) & this.mask;
    }
  }

  /** The type of the key equal to the `len` bytes at `key`, or -1 when there is none. */
  find(key: usize, len: i32): i32 {
    let lo = 0;
    let hi = this.count;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const c = this.compareAt(mid, key, len);
      if (c == 0) return <i32>load<u8>(this.types + <usize>mid);
      if (c < 0) lo = mid + 1;
      else hi = mid;
    }
    return -1;
  }

  /** Key `i` compared with the probe: <0, 0 or >0 as the key sorts before, equal to or after it. */
  private compareAt(i: i32, key: usize, len: i32): i32 {
    const start = <i32>load<u16>(this.starts + (<usize>i << 1));
    const keyLen = <i32>load<u16>(this.starts + (<usize>(i + 1) << 1)) - start;
    const p = this.bytes + <usize>start;
    const n = keyLen < len ? keyLen : len;
    for (let j = 0; j < n; j++) {
      const d = <i32>load<u8>(p + <usize>j) - <i32>load<u8>(key + <usize>j);
      if (d != 0) return d;
    }
    return keyLen - len;
  }
}
