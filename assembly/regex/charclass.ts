// Sets of code points, kept as sorted, disjoint, non-adjacent [lo, hi] ranges. Every class in a pattern
// (literals under (?i), `.`, [...], \d, \p{..}) becomes one of these before compilation.
import { FOLD_ORBIT, PROPERTY_NAMES, PROPERTY_OFFSETS, PROPERTY_RANGES } from './unicode-tables';

export const MAX_RUNE: i32 = 0x10ffff;

export class CharClass {
  /** lo0, hi0, lo1, hi1, ... — normalized after every public operation. */
  ranges: i32[] = [];

  static single(c: i32): CharClass {
    const cc = new CharClass();
    cc.ranges.push(c);
    cc.ranges.push(c);
    return cc;
  }

  static range(lo: i32, hi: i32): CharClass {
    const cc = new CharClass();
    cc.addRange(lo, hi);
    return cc;
  }

  get count(): i32 {
    return this.ranges.length >> 1;
  }

  isSingle(): bool {
    return this.ranges.length == 2 && this.ranges[0] == this.ranges[1];
  }

  contains(c: i32): bool {
    const r = this.ranges;
    let lo = 0;
    let hi = (r.length >> 1) - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (c < unchecked(r[mid * 2])) hi = mid - 1;
      else if (c > unchecked(r[mid * 2 + 1])) lo = mid + 1;
      else return true;
    }
    return false;
  }

  addRange(lo: i32, hi: i32): void {
    const r = this.ranges;
    const n = r.length;
    // Appending in order is the common case (parsing a class left to right); merge it in place.
    if (n == 0 || lo > unchecked(r[n - 1]) + 1) {
      r.push(lo);
      r.push(hi);
      return;
    }
    r.push(lo);
    r.push(hi);
    this.normalize();
  }

  addClass(other: CharClass): void {
    const o = other.ranges;
    for (let i = 0; i < o.length; i++) this.ranges.push(unchecked(o[i]));
    this.normalize();
  }

  addRangesFrom(table: StaticArray<i32>, from: i32, to: i32): void {
    for (let i = from; i < to; i += 2) {
      this.ranges.push(unchecked(table[i]));
      this.ranges.push(unchecked(table[i + 1]));
    }
    this.normalize();
  }

  /** Sorts and merges overlapping or touching ranges. */
  normalize(): void {
    const r = this.ranges;
    const n = r.length >> 1;
    if (n <= 1) return;
    // Already sorted, disjoint and non-adjacent (the usual [a-z0-9_] order): nothing to do.
    let sorted = unchecked(r[0]) <= unchecked(r[1]);
    for (let i = 2; i < n << 1 && sorted; i += 2) {
      sorted = unchecked(r[i]) > unchecked(r[i - 1]) + 1 && unchecked(r[i]) <= unchecked(r[i + 1]);
    }
    if (sorted) return;
    const keys = new StaticArray<i64>(n);
    for (let i = 0; i < n; i++) unchecked((keys[i] = (i64(r[i * 2]) << 32) | i64(u32(r[i * 2 + 1]))));
    keys.sort();
    // Merged back into the same array (never longer than the input): no second array per class.
    let m = 0;
    for (let i = 0; i < n; i++) {
      const k = unchecked(keys[i]);
      const lo = i32(k >> 32);
      const hi = i32(k & 0xffffffff);
      if (m > 0 && lo <= unchecked(r[m - 1]) + 1) {
        if (hi > unchecked(r[m - 1])) unchecked((r[m - 1] = hi));
      } else {
        unchecked((r[m] = lo));
        unchecked((r[m + 1] = hi));
        m += 2;
      }
    }
    r.length = m;
  }

  negate(): CharClass {
    const out = new CharClass();
    const r = this.ranges;
    let next = 0;
    for (let i = 0; i < r.length; i += 2) {
      if (unchecked(r[i]) > next) {
        out.ranges.push(next);
        out.ranges.push(unchecked(r[i]) - 1);
      }
      next = unchecked(r[i + 1]) + 1;
    }
    if (next <= MAX_RUNE) {
      out.ranges.push(next);
      out.ranges.push(MAX_RUNE);
    }
    return out;
  }

  /** Adds every code point that simple case folding makes equivalent to a member. */
  foldCase(): void {
    const r = this.ranges;
    const n = r.length;
    const extra: i32[] = [];
    const pairs = FOLD_ORBIT.length >> 1;
    for (let i = 0; i < n; i += 2) {
      const lo = unchecked(r[i]);
      const hi = unchecked(r[i + 1]);
      for (let j = firstFoldAtOrAfter(lo); j < pairs; j++) {
        const c = unchecked(FOLD_ORBIT[j * 2]);
        if (c > hi) break;
        // Walk the orbit: orbits are at most 4 long, so this stays cheap.
        let d = unchecked(FOLD_ORBIT[j * 2 + 1]);
        while (d != c) {
          if (d < lo || d > hi) {
            extra.push(d);
            extra.push(d);
          }
          d = foldNext(d);
        }
      }
    }
    if (extra.length == 0) return;
    for (let i = 0; i < extra.length; i++) r.push(unchecked(extra[i]));
    this.normalize();
  }
}

function firstFoldAtOrAfter(c: i32): i32 {
  let lo = 0;
  let hi = FOLD_ORBIT.length >> 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (unchecked(FOLD_ORBIT[mid * 2]) < c) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The next member of c's case-folding orbit, or c itself when it has none. */
export function foldNext(c: i32): i32 {
  const j = firstFoldAtOrAfter(c);
  if (j < FOLD_ORBIT.length >> 1 && unchecked(FOLD_ORBIT[j * 2]) == c) return unchecked(FOLD_ORBIT[j * 2 + 1]);
  return c;
}

/** \p{name} ranges, or null for a name RE2 would reject. "Any" is every code point. */
export function unicodeProperty(name: string): CharClass | null {
  if (name == 'Any') return CharClass.range(0, MAX_RUNE);
  for (let i = 0; i < PROPERTY_NAMES.length; i++) {
    if (unchecked(PROPERTY_NAMES[i]) == name) {
      const cc = new CharClass();
      cc.addRangesFrom(PROPERTY_RANGES, PROPERTY_OFFSETS[i], PROPERTY_OFFSETS[i + 1]);
      return cc;
    }
  }
  return null;
}

/** Perl classes \d \s \w (ASCII only, as in RE2); letter is d, s or w in lower case. */
export function perlClass(letter: i32): CharClass {
  const cc = new CharClass();
  if (letter == 0x64) {
    cc.addRange(0x30, 0x39);
  } else if (letter == 0x73) {
    cc.addRange(0x09, 0x0a); // \t \n
    cc.addRange(0x0c, 0x0d); // \f \r  (RE2's \s leaves out \v)
    cc.addRange(0x20, 0x20);
  } else {
    cc.addRange(0x30, 0x39);
    cc.addRange(0x41, 0x5a);
    cc.addRange(0x5f, 0x5f);
    cc.addRange(0x61, 0x7a);
  }
  return cc;
}

/** [:name:] classes; null when the name is unknown. */
export function posixClass(name: string): CharClass | null {
  const cc = new CharClass();
  if (name == 'alnum') {
    cc.addRange(0x30, 0x39);
    cc.addRange(0x41, 0x5a);
    cc.addRange(0x61, 0x7a);
  } else if (name == 'alpha') {
    cc.addRange(0x41, 0x5a);
    cc.addRange(0x61, 0x7a);
  } else if (name == 'ascii') {
    cc.addRange(0, 0x7f);
  } else if (name == 'blank') {
    cc.addRange(0x09, 0x09);
    cc.addRange(0x20, 0x20);
  } else if (name == 'cntrl') {
    cc.addRange(0, 0x1f);
    cc.addRange(0x7f, 0x7f);
  } else if (name == 'digit') {
    cc.addRange(0x30, 0x39);
  } else if (name == 'graph') {
    cc.addRange(0x21, 0x7e);
  } else if (name == 'lower') {
    cc.addRange(0x61, 0x7a);
  } else if (name == 'print') {
    cc.addRange(0x20, 0x7e);
  } else if (name == 'punct') {
    cc.addRange(0x21, 0x2f);
    cc.addRange(0x3a, 0x40);
    cc.addRange(0x5b, 0x60);
    cc.addRange(0x7b, 0x7e);
  } else if (name == 'space') {
    cc.addRange(0x09, 0x0d);
    cc.addRange(0x20, 0x20);
  } else if (name == 'upper') {
    cc.addRange(0x41, 0x5a);
  } else if (name == 'word') {
    cc.addRange(0x30, 0x39);
    cc.addRange(0x41, 0x5a);
    cc.addRange(0x5f, 0x5f);
    cc.addRange(0x61, 0x7a);
  } else if (name == 'xdigit') {
    cc.addRange(0x30, 0x39);
    cc.addRange(0x41, 0x46);
    cc.addRange(0x61, 0x66);
  } else {
    return null;
  }
  return cc;
}
