// Interns the values of one tag into small indexes, so a request's tags are a few integers and
// metrics are cached by those integers. Index 0 is the default, 1 is "other", then the allow-list
// (fixed at configure time) or, without one, values learned from requests up to a cap: the cap is
// what bounds metric cardinality and memory whatever clients send.
import { MAX_VALUE_BYTES, sanitizedByte } from "./names";

export const DEFAULT_INDEX: i32 = 0;
export const OTHER_INDEX: i32 = 1;
export const OTHER = "other";

export class ValueTable {
  /** index → label value. */
  labels: string[] = [];
  /** index → UTF-8 bytes of the label (for headers and filter state). */
  bytes: ArrayBuffer[] = [];
  /** FNV-1a of the bytes → indexes with that hash. */
  private buckets: Map<u32, i32[]> = new Map();

  /** learnCap 0: only the allow-list; otherwise how many request values are learned. */
  constructor(public readonly tagName: string, defaultValue: string, allowed: string[], public readonly learnCap: i32) {
    this.push(defaultValue);
    this.push(OTHER);
    for (let i = 0; i < allowed.length; i++) this.add(allowed[i]);
  }

  get size(): i32 { return this.labels.length; }

  /** Index of a configured value (an allow-list entry or a rule's value), added if new. */
  add(value: string): i32 {
    const b = String.UTF8.encode(value);
    const found = this.find(changetype<usize>(b), b.byteLength, false);
    return found >= 0 ? found : this.push(value);
  }

  /** Index for a value read from a request: known → its index; else learned or "other". */
  lookup(ptr: usize, len: i32): i32 {
    if (len <= 0) return DEFAULT_INDEX;
    if (len > MAX_VALUE_BYTES) return OTHER_INDEX;
    const learning = this.learnCap > 0;
    const found = this.find(ptr, len, learning);
    if (found >= 0) return found;
    if (!learning || this.labels.length - 2 >= this.learnCap) return OTHER_INDEX;
    return this.learn(ptr, len);
  }

  private push(value: string): i32 {
    const b = String.UTF8.encode(value);
    const index = this.labels.length;
    this.labels.push(value);
    this.bytes.push(b);
    const h = hash(changetype<usize>(b), b.byteLength, false);
    if (this.buckets.has(h)) this.buckets.get(h).push(index);
    else this.buckets.set(h, [index]);
    return index;
  }

  // Learned values are stored sanitised, so lookups compare the request bytes as sanitised too.
  private learn(ptr: usize, len: i32): i32 {
    const out = new ArrayBuffer(len);
    const o = changetype<usize>(out);
    for (let i = 0; i < len; i++) store<u8>(o + <usize>i, <u8>sanitizedByte(load<u8>(ptr + <usize>i)));
    return this.push(String.UTF8.decode(out));
  }

  private find(ptr: usize, len: i32, sanitize: bool): i32 {
    const h = hash(ptr, len, sanitize);
    if (!this.buckets.has(h)) return -1;
    const list = this.buckets.get(h);
    for (let i = 0; i < list.length; i++) {
      const idx = unchecked(list[i]);
      if (sameBytes(this.bytes[idx], ptr, len, sanitize)) return idx;
    }
    return -1;
  }
}

function hash(ptr: usize, len: i32, sanitize: bool): u32 {
  let h: u32 = 2166136261;
  for (let i = 0; i < len; i++) {
    const c = <u32>load<u8>(ptr + <usize>i);
    h = (h ^ (sanitize ? sanitizedByte(c) : c)) * 16777619;
  }
  return h;
}

function sameBytes(stored: ArrayBuffer, ptr: usize, len: i32, sanitize: bool): bool {
  if (stored.byteLength != len) return false;
  const s = changetype<usize>(stored);
  for (let i = 0; i < len; i++) {
    const c = <u32>load<u8>(ptr + <usize>i);
    if (<u32>load<u8>(s + <usize>i) != (sanitize ? sanitizedByte(c) : c)) return false;
  }
  return true;
}
