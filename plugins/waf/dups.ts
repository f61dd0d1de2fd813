// Members with the same value as an earlier member of their collection. A 16 KiB JSON order repeats
// "blue", "cotton" and each description hundreds of times; a rule's transformations and operator give
// the same answer for the same bytes, so a member whose earlier twin did not match is skipped (one that
// matched is evaluated again: its own MATCHED_VAR name and actions count).
import { Bytes, PairList } from "../../assembly/seclang/types";

/** first[i] = the index of the first member whose value equals member i's (i itself when none). */
export function firstOccurrences(list: PairList, out: StaticArray<i32> | null): StaticArray<i32> {
  const n = list.length;
  const first = out !== null && out.length >= n ? out : new StaticArray<i32>(n);
  // Open addressing on an FNV-1a hash of the bytes; equal hashes are confirmed byte for byte.
  let cap = 16;
  while (cap < n * 2) cap <<= 1;
  const table = new StaticArray<i32>(cap);
  const mask = cap - 1;
  for (let i = 0; i < n; i++) {
    const v = list.at(i).value;
    let h = hash(v) & mask;
    let found = i;
    for (;;) {
      const j = unchecked(table[h]) - 1;
      if (j < 0) { unchecked(table[h] = i + 1); break; }
      if (sameBytes(list.at(j).value, v)) { found = j; break; }
      h = (h + 1) & mask;
    }
    unchecked(first[i] = found);
  }
  return first;
}

function hash(b: Bytes): i32 {
  let h: u32 = 2166136261;
  const p = b.dataStart;
  for (let i = 0; i < b.length; i++) h = (h ^ <u32>load<u8>(p + <usize>i)) * 16777619;
  return <i32>(h ^ (h >>> 15));
}

function sameBytes(a: Bytes, b: Bytes): bool {
  if (a === b) return true;
  const n = a.length;
  if (n != b.length) return false;
  return memory.compare(a.dataStart, b.dataStart, <usize>n) == 0;
}
