// Required bytes (bytes mode): a set of bytes one of which every match contains, kept only when it holds
// no letters or digits and few common punctuation marks. Benign values rarely contain `<`, `;`, `|` or
// `(`, so "is any of these bytes in the value" rejects most of them in one pass at a few cycles per
// 4 bytes, where the DFA would have stepped through every letter (the CRS's command lists start with a
// shell separator, its XSS patterns with `<`). One pass over the parsed tree at compile time.
import { Kind, Node } from './ast';

/** Weight of a set: letters and digits are everywhere in benign values, common separators often. */
const MAX_WEIGHT: i32 = 24;

@inline
function byteWeight(b: i32): i32 {
  if ((b >= 0x30 && b <= 0x39) || ((b | 0x20) >= 0x61 && (b | 0x20) <= 0x7a)) return 100;
  // Space and the punctuation of paths, hosts, dates, user agents and e-mail addresses.
  if (b == 0x20 || b == 0x2e || b == 0x2d || b == 0x2f || b == 0x5f || b == 0x2c || b == 0x3a || b == 0x3d || b == 0x40) return 8;
  return 1;
}

function weight(set: StaticArray<u32>): i32 {
  let w = 0;
  for (let b = 0; b < 256; b++) if ((unchecked(set[b >> 5]) >>> (b & 31)) & 1) w += byteWeight(b);
  return w;
}

/** The bytes (0..255) of a class node; null when it has none (it can never match a byte). */
function classSet(n: Node): StaticArray<u32> | null {
  const r = n.cls!.ranges;
  const set = new StaticArray<u32>(8);
  let any = false;
  for (let k = 0; k + 1 < r.length; k += 2) {
    const lo = unchecked(r[k]);
    if (lo > 255) break;
    const hi = min(unchecked(r[k + 1]), 255);
    for (let c = lo; c <= hi; c++) unchecked((set[c >> 5] |= u32(1) << (c & 31)));
    any = true;
  }
  return any ? set : null;
}

/** A set one of whose bytes every match of n contains, null when none is known. */
function required(n: Node, depth: i32): StaticArray<u32> | null {
  if (depth > 300) return null;
  switch (n.kind) {
    case Kind.Class:
      return classSet(n);
    case Kind.Capture:
      return required(unchecked(n.subs[0]), depth + 1);
    case Kind.Repeat:
      return n.min >= 1 ? required(unchecked(n.subs[0]), depth + 1) : null;
    case Kind.Concat: {
      // Every child matches a part of the match: any child's set will do; keep the rarest.
      let best: StaticArray<u32> | null = null;
      let bestWeight = i32.MAX_VALUE;
      for (let k = 0; k < n.subs.length; k++) {
        const s = required(unchecked(n.subs[k]), depth + 1);
        if (s === null) continue;
        const w = weight(s);
        if (w < bestWeight) {
          best = s;
          bestWeight = w;
        }
      }
      return best;
    }
    case Kind.Alternate: {
      // The match takes one branch: the union, and nothing when a branch has nothing.
      let u: StaticArray<u32> | null = null;
      for (let k = 0; k < n.subs.length; k++) {
        const s = required(unchecked(n.subs[k]), depth + 1);
        if (s === null) return null;
        if (u === null) u = new StaticArray<u32>(8);
        for (let i = 0; i < 8; i++) unchecked((u[i] |= s[i]));
        // Already too common to help: the rest of a long alternation cannot make it rarer.
        if (weight(u) > MAX_WEIGHT) return null;
      }
      return u;
    }
  }
  // Empty and assertions match the empty string.
  return null;
}

/** A 256-entry table (non-zero = required byte) when the pattern has a rare enough required set, else null. */
export function requiredByteTable(root: Node): StaticArray<u8> | null {
  const set = required(root, 0);
  if (set === null || weight(set) > MAX_WEIGHT) return null;
  const t = new StaticArray<u8>(256);
  for (let b = 0; b < 256; b++) unchecked((t[b] = u8((unchecked(set[b >> 5]) >>> (b & 31)) & 1)));
  return t;
}

/** Whether any of the len bytes at ptr is marked in t. */
export function containsAny(ptr: usize, len: i32, t: StaticArray<u8>): bool {
  const ft = changetype<usize>(t);
  const end = ptr + <usize>len;
  let q = ptr;
  while (q + 4 <= end) {
    const w = load<u32>(q);
    if ((load<u8>(ft + (w & 0xff)) | load<u8>(ft + ((w >>> 8) & 0xff)) | load<u8>(ft + ((w >>> 16) & 0xff)) | load<u8>(ft + (w >>> 24))) != 0) return true;
    q += 4;
  }
  while (q < end) {
    if (load<u8>(ft + <usize>load<u8>(q)) != 0) return true;
    q++;
  }
  return false;
}
