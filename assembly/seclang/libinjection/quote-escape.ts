// Is a closing quote escaped by backslashes? The answer libinjection-go gives, quirk included: it counts
// the backslashes before the FIRST occurrence (from the string's start) of the input's whole remainder
// from the quote on, which is the quote itself unless that remainder also occurs earlier. Inputs
// such as 'a\'b' therefore read as one unterminated string there. Matching that (Coraza's behaviour) in
// linear time: the remainder s[q:] occurs at p = q - d exactly when the reversed input's Z-value at d is
// at least n - q, so a max segment tree over blocks of 32 Z-values finds the largest such d <= q - base
// in O(32 + log n). It is built lazily, only for inputs with a backslash: about 8.3 bytes per input
// byte, in buffers reused across calls up to REUSE_LIMIT bytes of input and dropped after larger ones.
import { Input } from './input';

const BACKSLASH: u8 = 0x5c;
const BLOCK_SHIFT = 5;
const BLOCK = 1 << BLOCK_SHIFT;
/** Inputs up to this size keep their buffers for the next call; larger ones release them. */
const REUSE_LIMIT = 1 << 16;

export class QuoteEscapes {
  private input: Input = new Input();
  private firstBackslash: i32 = -1;
  private built: bool = false;
  /** z[d]: longest common prefix of the reversed input and its suffix from d. */
  private z: StaticArray<i32> = new StaticArray<i32>(0);
  /** run[i]: how many backslashes end just before index i. */
  private run: StaticArray<i32> = new StaticArray<i32>(0);
  private tree: StaticArray<i32> = new StaticArray<i32>(0);
  private leaves: i32 = 1;

  reset(input: Input): void {
    this.input = input;
    this.firstBackslash = input.indexOfByte(BACKSLASH, 0);
    this.built = false;
    if (this.z.length > REUSE_LIMIT + 1) {
      // Let the collector have the last huge input's buffers.
      this.z = new StaticArray<i32>(0);
      this.run = new StaticArray<i32>(0);
      this.tree = new StaticArray<i32>(0);
    }
  }

  /** Go's isBackslashEscaped(s[base : first occurrence of s[q:] in s[base:]]). */
  isEscaped(base: i32, q: i32): bool {
    if (this.firstBackslash < 0 || this.firstBackslash >= q || q <= base) return false;
    if (!this.built) this.build();
    const p = q - this.largestShift(q - base, this.input.len - q);
    const n = unchecked(this.run[p]);
    const count = n < p - base ? n : p - base;
    return (count & 1) != 0;
  }

  private build(): void {
    const n = this.input.len;
    if (this.z.length < n + 1) {
      this.z = new StaticArray<i32>(n + 1);
      this.run = new StaticArray<i32>(n + 1);
    }
    const blocks = (n >> BLOCK_SHIFT) + 1;
    let leaves = 1;
    while (leaves < blocks) leaves <<= 1;
    if (this.tree.length < 2 * leaves) this.tree = new StaticArray<i32>(2 * leaves);
    this.leaves = leaves;
    this.buildRuns(n);
    this.buildZ(n);
    const t = this.tree;
    // Leaf b: the largest Z-value of shifts b*32 .. b*32+31 (shift 0, the whole input, excluded).
    for (let b = 0; b < leaves; b++) {
      let m = -1;
      for (let d = b << BLOCK_SHIFT, end = d + BLOCK; d < end && d < n; d++) {
        if (d >= 1 && unchecked(this.z[d]) > m) m = unchecked(this.z[d]);
      }
      unchecked((t[leaves + b] = m));
    }
    for (let i = leaves - 1; i >= 1; i--) {
      const a = unchecked(t[2 * i]);
      const b = unchecked(t[2 * i + 1]);
      unchecked((t[i] = a > b ? a : b));
    }
    this.built = true;
  }

  private buildRuns(n: i32): void {
    unchecked((this.run[0] = 0));
    for (let i = 0; i < n; i++) {
      unchecked((this.run[i + 1] = this.input.at(i) == BACKSLASH ? this.run[i] + 1 : 0));
    }
  }

  /** Byte i of the reversed input. */
  @inline private rev(i: i32): u8 {
    return this.input.at(this.input.len - 1 - i);
  }

  private buildZ(n: i32): void {
    const z = this.z;
    if (n == 0) return;
    unchecked((z[0] = n));
    let l = 0;
    let r = 0;
    for (let i = 1; i < n; i++) {
      let k = 0;
      if (i < r) {
        k = unchecked(z[i - l]);
        if (k > r - i) k = r - i;
      }
      while (i + k < n && this.rev(k) == this.rev(i + k)) k++;
      unchecked((z[i] = k));
      if (i + k > r) {
        l = i;
        r = i + k;
      }
    }
  }

  /** The largest d in [1, maxD] with z[d] >= need, or 0 when there is none. */
  private largestShift(maxD: i32, need: i32): i32 {
    const block = maxD >> BLOCK_SHIFT;
    const inBlock = this.scanDown(maxD, block << BLOCK_SHIFT, need);
    if (inBlock > 0 || block == 0) return inBlock;
    const found = this.rightmost(1, 0, this.leaves - 1, block - 1, need);
    if (found < 0) return 0;
    return this.scanDown((found << BLOCK_SHIFT) + BLOCK - 1, found << BLOCK_SHIFT, need);
  }

  /** The largest d in [lo, hi] (and >= 1) with z[d] >= need, or 0. */
  private scanDown(hi: i32, lo: i32, need: i32): i32 {
    if (lo < 1) lo = 1;
    for (let d = hi; d >= lo; d--) if (unchecked(this.z[d]) >= need) return d;
    return 0;
  }

  /** The largest block <= maxBlock under `node` (covering blocks lo..hi) whose max is >= need, or -1. */
  private rightmost(node: i32, lo: i32, hi: i32, maxBlock: i32, need: i32): i32 {
    if (lo > maxBlock || unchecked(this.tree[node]) < need) return -1;
    if (lo == hi) return lo;
    const mid = (lo + hi) >> 1;
    const right = this.rightmost(2 * node + 1, mid + 1, hi, maxBlock, need);
    if (right >= 0) return right;
    return this.rightmost(2 * node, lo, mid, maxBlock, need);
  }
}
