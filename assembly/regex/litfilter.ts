// Up to 32 patterns' required literals (prefilter.ts) checked in one pass over a value: which patterns
// may match it. Each literal is reduced to its first one, two or three (folded) bytes, hashed into a table
// whose entries are member bits; a value sets the bits of every byte, pair and triple it contains. A
// pattern whose bit stays clear contains none of its literals' beginnings, so none of its literals, so it
// cannot match. Collisions only let more through. A small bitmap says which slots hold any member: most
// bytes of a benign value land on empty slots, so a pass reads the 288-byte bitmap and seldom the 9 KiB
// of masks (a WAF runs dozens of filters per request; their tables no longer crowd the cache).
const HASH_BITS: i32 = 10;
const HASH_MASK: i32 = (1 << HASH_BITS) - 1;
const USED_PAIRS: i32 = 256;
const USED_TRIPLES: i32 = USED_PAIRS + HASH_MASK + 1;

@inline
function isSet(used: usize, slot: i32): bool {
  return ((load<u32>(used + (<usize>(slot >>> 5) << 2)) >>> <u32>(slot & 31)) & 1) != 0;
}

@inline
function fold(c: i32): i32 {
  return c - 0x41 < 26 && c >= 0x41 ? c + 32 : c;
}

@inline
function h2(a: i32, b: i32): i32 {
  return <i32>(((<u32>a * <u32>0x9e3779b1) ^ (<u32>b * <u32>0x85ebca6b)) >>> <u32>(32 - HASH_BITS));
}

@inline
function h3(a: i32, b: i32, c: i32): i32 {
  return <i32>(((<u32>a * <u32>0x9e3779b1) ^ (<u32>b * <u32>0x85ebca6b) ^ (<u32>c * <u32>0xc2b2ae35)) >>> <u32>(32 - HASH_BITS));
}

export class LiteralFilter {
  /** Members with no literals: always candidates. */
  always: u32 = 0;
  all: u32 = 0;
  singles: StaticArray<u32> = new StaticArray<u32>(256);
  pairs: StaticArray<u32> = new StaticArray<u32>(HASH_MASK + 1);
  triples: StaticArray<u32> = new StaticArray<u32>(HASH_MASK + 1);
  /** Bit per slot with a member: singles from bit 0, pairs from USED_PAIRS, triples from USED_TRIPLES. */
  used: StaticArray<u32> = new StaticArray<u32>((USED_TRIPLES + HASH_MASK + 1) >> 5);
  /** Some literal is one or two bytes long (rare): only then are singles and pairs looked at. */
  hasShort: bool = false;

  /** Adds member `bit` (0..31) with its literals (null: it may match anything). */
  add(bit: i32, literals: string[] | null): void {
    const m = <u32>1 << <u32>bit;
    this.all |= m;
    if (literals === null || literals.length == 0) {
      this.always |= m;
      return;
    }
    for (let i = 0; i < literals.length; i++) {
      const s = unchecked(literals[i]);
      const n = s.length;
      if (n == 0) {
        this.always |= m;
        return;
      }
      const a = s.charCodeAt(0);
      if (n < 3) this.hasShort = true;
      if (n == 1) {
        unchecked((this.singles[a] |= m));
        this.markUsed(a);
      } else if (n == 2) {
        const h = h2(a, s.charCodeAt(1));
        unchecked((this.pairs[h] |= m));
        this.markUsed(USED_PAIRS + h);
      } else {
        const h = h3(a, s.charCodeAt(1), s.charCodeAt(2));
        unchecked((this.triples[h] |= m));
        this.markUsed(USED_TRIPLES + h);
      }
    }
  }

  private markUsed(slot: i32): void {
    unchecked((this.used[slot >>> 5] |= <u32>1 << <u32>(slot & 31)));
  }

  /** The members that may match the len bytes at ptr. */
  candidates(ptr: usize, len: i32): u32 {
    const all = this.all;
    let m = this.always;
    if (m == all || len <= 0) return m;
    if (this.hasShort) m = this.shortCandidates(ptr, len, m);
    if (m == all || len < 3) return m;
    // Triples: most literals are three bytes or longer, so this loop is the filter's usual work.
    const used = changetype<usize>(this.used);
    const triples = this.triples;
    let a = fold(<i32>load<u8>(ptr));
    let b = fold(<i32>load<u8>(ptr + 1));
    const end = ptr + <usize>len;
    for (let p = ptr + 2; p < end; p++) {
      const c = fold(<i32>load<u8>(p));
      const h = h3(a, b, c);
      if (isSet(used, USED_TRIPLES + h)) {
        m |= unchecked(triples[h]);
        if (m == all) break;
      }
      a = b;
      b = c;
    }
    return m;
  }

  /** `m` with the members of one- and two-byte literals the value holds. */
  private shortCandidates(ptr: usize, len: i32, m: u32): u32 {
    const used = changetype<usize>(this.used);
    const singles = this.singles;
    const pairs = this.pairs;
    let a = fold(<i32>load<u8>(ptr));
    for (let i = 1; i <= len; i++) {
      if (isSet(used, a)) m |= unchecked(singles[a]);
      if (i == len) break;
      const b = fold(<i32>load<u8>(ptr + <usize>i));
      const h = h2(a, b);
      if (isSet(used, USED_PAIRS + h)) m |= unchecked(pairs[h]);
      a = b;
    }
    return m;
  }
}
