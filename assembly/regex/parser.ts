// RE2-syntax parser: pattern text -> Node tree, or a ParseError with the byte offset and the reason.
// It follows RE2's rules for what is accepted and what is rejected, so a pattern Envoy's RE2 accepts
// behaves the same here; constructs that need backtracking are rejected with an explanation.
import { Assertion, Kind, Node, only } from './ast';
import { CharClass, MAX_RUNE, perlClass, posixClass, unicodeProperty } from './charclass';

export namespace Flag {
  export const FOLD_CASE: i32 = 1; // (?i)
  export const MULTI_LINE: i32 = 2; // (?m)
  export const DOT_NL: i32 = 4; // (?s)
  export const UNGREEDY: i32 = 8; // (?U)
}

const MAX_REPEAT: i32 = 1000;
// Parsing and compiling recurse once per nesting level; the bound keeps hostile patterns within the
// runtime's shadow stack (32 KiB with the incremental GC) even when the plugin itself is deep in calls.
const MAX_DEPTH: i32 = 250;

export class ParseError {
  constructor(
    public offset: i32,
    public message: string,
  ) {}
}

export class ParseResult {
  root: Node | null = null;
  error: ParseError | null = null;
  /** Number of capture groups, not counting the whole match. */
  groups: i32 = 0;
  /** names[i] is the name of group i ("" when unnamed); names[0] is the whole match. */
  names: string[] = [''];
}

const BACKSLASH: i32 = 0x5c;

export function parse(pattern: string, flags: i32): ParseResult {
  scratch.length = 0;
  const p = new Parser(pattern, flags);
  const r = p.run();
  scratch.length = 0;
  return r;
}

class Parser {
  cps: i32[];
  pos: i32 = 0;
  flags: i32;
  depth: i32 = 0;
  result: ParseResult = new ParseResult();

  constructor(pattern: string, flags: i32) {
    this.flags = flags;
    // Sized once (code points <= UTF-16 units), not grown by push: parse garbage stays in linear memory
    // until the plugin's next collection.
    const cps = new Array<i32>(pattern.length);
    let n = 0;
    for (let i = 0; i < pattern.length; i++) {
      let c = i32(pattern.charCodeAt(i));
      if (c >= 0xd800 && c < 0xdc00 && i + 1 < pattern.length) {
        const d = i32(pattern.charCodeAt(i + 1));
        if (d >= 0xdc00 && d < 0xe000) {
          c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
          i++;
        }
      }
      // Lone surrogates reach us only from broken UTF-16; treat them as U+FFFD like TextEncoder does.
      if (c >= 0xd800 && c < 0xe000) c = 0xfffd;
      unchecked((cps[n] = c));
      n++;
    }
    cps.length = n;
    this.cps = cps;
  }

  /** UTF-8 byte offset of cps[at] (the byte length when at is past the end): only errors need it. */
  byteOffset(at: i32): i32 {
    const cps = this.cps;
    const end = min(at, cps.length);
    let off = 0;
    for (let i = 0; i < end; i++) {
      const c = unchecked(cps[i]);
      off += c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
    }
    return off;
  }

  run(): ParseResult {
    const root = this.alternation();
    if (this.result.error == null && this.pos < this.cps.length) {
      // Only an unmatched ')' stops the top-level alternation early.
      this.fail(this.pos, 'unexpected )');
    }
    if (this.result.error == null) this.result.root = root;
    return this.result;
  }

  fail(at: i32, message: string): Node {
    if (this.result.error == null) {
      this.result.error = new ParseError(this.byteOffset(at), message);
    }
    return new Node(Kind.Empty);
  }

  get failed(): bool {
    return this.result.error != null;
  }

  peek(k: i32 = 0): i32 {
    const i = this.pos + k;
    return i < this.cps.length ? unchecked(this.cps[i]) : -1;
  }

  text(from: i32, to: i32): string {
    let s = '';
    for (let i = from; i < to && i < this.cps.length; i++) s += String.fromCodePoint(this.cps[i]);
    return s;
  }

  alternation(): Node {
    const alts = scratch;
    const base = alts.length;
    alts.push(this.concat());
    while (!this.failed && this.peek() == 0x7c /* | */) {
      this.pos++;
      alts.push(this.concat());
    }
    if (alts.length == base + 1) return popTo(alts, base);
    const n = new Node(Kind.Alternate);
    n.subs = takeFrom(alts, base);
    return n;
  }

  concat(): Node {
    // Items go on the shared stack and into an array of their final length at the end: pushing into a
    // fresh array per concatenation reallocated it over and over (most of the parser's garbage).
    const items = scratch;
    const base = items.length;
    // Start of the previous item's repetition operator, or -1: RE2 rejects stacked operators (a**).
    let lastRepeat = -1;
    while (!this.failed && this.pos < this.cps.length) {
      const c = this.peek();
      if (c == 0x7c || c == 0x29) break; // | )
      const start = this.pos;
      let isRepeat = false;
      if (c == 0x2a || c == 0x2b || c == 0x3f) {
        // * + ?
        this.pos++;
        let min = 0;
        let max = -1;
        if (c == 0x2b) min = 1;
        if (c == 0x3f) max = 1;
        if (!this.repeat(items, base, min, max, start, lastRepeat)) break;
        isRepeat = true;
      } else if (c == 0x7b /* { */ && this.tryCountedRepeat(items, base, start, lastRepeat)) {
        if (this.failed) break;
        isRepeat = true;
      } else if (c == 0x28 /* ( */) {
        const n = this.group();
        if (n != null) items.push(n);
      } else if (c == 0x5b /* [ */) {
        items.push(this.charClass());
      } else if (c == 0x2e /* . */) {
        this.pos++;
        if (this.flags & Flag.DOT_NL) items.push(anyCharNode());
        else items.push(Node.ofClass(CharClass.single(0x0a).negate()));
      } else if (c == 0x5e /* ^ */) {
        this.pos++;
        items.push(Node.ofAssert(this.flags & Flag.MULTI_LINE ? Assertion.BEGIN_LINE : Assertion.BEGIN_TEXT));
      } else if (c == 0x24 /* $ */) {
        this.pos++;
        items.push(Node.ofAssert(this.flags & Flag.MULTI_LINE ? Assertion.END_LINE : Assertion.END_TEXT));
      } else if (c == BACKSLASH) {
        this.escapeAtom(items);
      } else {
        this.pos++;
        items.push(this.literal(c));
      }
      lastRepeat = isRepeat ? start : -1;
    }
    if (items.length == base) return new Node(Kind.Empty);
    if (items.length == base + 1) return popTo(items, base);
    const n = new Node(Kind.Concat);
    n.subs = takeFrom(items, base);
    return n;
  }

  literal(c: i32): Node {
    const fold = (this.flags & Flag.FOLD_CASE) != 0;
    if (c < 0 || c >= 128) return Node.ofClass(literalClass(c, fold));
    // ASCII literal leaves are shared like their classes: nodes are never changed once built (a
    // repetition wraps its operand in a new node), and most of a CRS pattern is ASCII literals.
    const table = fold ? foldedAsciiNodes : plainAsciiNodes;
    const cached = unchecked(table[c]);
    if (cached != null) return cached;
    const made = Node.ofClass(literalClass(c, fold));
    unchecked((table[c] = made));
    return made;
  }

  /** Wraps the last item (above `base`) in a repetition; `start` is where the operator began (for messages). */
  repeat(items: Node[], base: i32, min: i32, max: i32, start: i32, stackedOn: i32): bool {
    let greedy = true;
    if (this.peek() == 0x3f) {
      greedy = false;
      this.pos++;
    }
    if (this.flags & Flag.UNGREEDY) greedy = !greedy;
    if (items.length == base) {
      this.fail(start, 'missing argument to repetition operator: ' + this.text(start, this.pos));
      return false;
    }
    if (stackedOn >= 0) {
      this.fail(stackedOn, 'bad repetition operator: ' + this.text(stackedOn, this.pos));
      return false;
    }
    const n = new Node(Kind.Repeat);
    n.min = min;
    n.max = max;
    n.greedy = greedy;
    n.subs = only(items[items.length - 1]);
    items[items.length - 1] = n;
    if ((min >= 2 || max >= 2) && repetitionBudget(n, MAX_REPEAT) == 0) {
      this.fail(start, 'bad repetition operator: ' + this.text(start, this.pos));
      return false;
    }
    return true;
  }

  /** {n}, {n,}, {n,m}; anything else starting with { is a literal (returns false, consumes nothing). */
  tryCountedRepeat(items: Node[], base: i32, start: i32, stackedOn: i32): bool {
    let i = this.pos + 1;
    const lo = this.integerAt(i);
    if (lo < 0) return false;
    i = this.intEnd;
    let hi = lo;
    if (i < this.cps.length && this.cps[i] == 0x2c /* , */) {
      i++;
      if (i < this.cps.length && this.cps[i] == 0x7d) {
        hi = -1;
      } else {
        hi = this.integerAt(i);
        if (hi < 0) return false;
        i = this.intEnd;
      }
    }
    if (i >= this.cps.length || this.cps[i] != 0x7d) return false;
    this.pos = i + 1;
    let greedyMark = this.pos;
    if (this.peek() == 0x3f) greedyMark++;
    if ((hi != -1 && hi < lo) || lo > MAX_REPEAT || hi > MAX_REPEAT) {
      this.fail(start, 'invalid repeat count: ' + this.text(start, greedyMark));
      return true;
    }
    this.repeat(items, base, lo, hi, start, stackedOn);
    return true;
  }

  intEnd: i32 = 0;

  /** A decimal integer without leading zeros at i, or -1; sets intEnd. */
  integerAt(i: i32): i32 {
    const n = this.cps.length;
    if (i >= n || !isDigit(this.cps[i])) return -1;
    if (this.cps[i] == 0x30 && i + 1 < n && isDigit(this.cps[i + 1])) return -1;
    let v = 0;
    while (i < n && isDigit(this.cps[i])) {
      if (v >= 100000000) return -1;
      v = v * 10 + this.cps[i] - 0x30;
      i++;
    }
    this.intEnd = i;
    return v;
  }

  /** ( ... ): capture, named capture, non-capturing group, or a flag change (returns null then). */
  group(): Node | null {
    const start = this.pos;
    this.pos++;
    const saved = this.flags;
    let cap = 0;
    if (this.peek() == 0x3f /* ? */) {
      const c1 = this.peek(1);
      const c2 = this.peek(2);
      if (c1 == 0x3d || c1 == 0x21 || (c1 == 0x3c && (c2 == 0x3d || c2 == 0x21))) {
        return this.fail(start, 'look-around is not supported (it needs backtracking): ' + this.text(start, this.pos + (c1 == 0x3c ? 3 : 2)));
      }
      if ((c1 == 0x50 && c2 == 0x3c) || c1 == 0x3c) {
        // (?P<name>re) or (?<name>re)
        const nameStart = this.pos + (c1 == 0x50 ? 3 : 2);
        let end = nameStart;
        while (end < this.cps.length && this.cps[end] != 0x3e) end++;
        if (end >= this.cps.length) return this.fail(start, 'invalid named capture group: ' + this.text(start, end));
        const name = this.text(nameStart, end);
        if (!validCaptureName(this.cps, nameStart, end)) {
          return this.fail(start, 'invalid named capture group: ' + this.text(start, end + 1));
        }
        if (this.result.names.includes(name)) {
          return this.fail(start, 'duplicate capture group name: ' + this.text(start, end + 1));
        }
        this.pos = end + 1;
        cap = this.newGroup(name);
      } else {
        // Flags: (?flags) or (?flags:re)
        this.pos++;
        let negated = false;
        let saw = false;
        let f = this.flags;
        let closed = false;
        while (!closed) {
          const c = this.peek();
          this.pos++;
          let bit = 0;
          if (c == 0x69) bit = Flag.FOLD_CASE;
          else if (c == 0x6d) bit = Flag.MULTI_LINE;
          else if (c == 0x73) bit = Flag.DOT_NL;
          else if (c == 0x55) bit = Flag.UNGREEDY;
          if (bit != 0) {
            saw = true;
            f = negated ? f & ~bit : f | bit;
          } else if (c == 0x2d /* - */ && !negated) {
            negated = true;
            saw = false;
          } else if ((c == 0x3a || c == 0x29) && !(negated && !saw)) {
            this.flags = f;
            if (c == 0x29) return null; // flag change for the rest of the enclosing group
            closed = true;
          } else {
            if (c < 0) this.pos--;
            return this.fail(start, 'invalid or unsupported Perl syntax: ' + this.text(start, this.pos));
          }
        }
      }
    } else {
      cap = this.newGroup('');
    }
    if (++this.depth > MAX_DEPTH) return this.fail(start, 'pattern nests too deeply');
    const inner = this.alternation();
    this.depth--;
    this.flags = saved;
    if (this.failed) return inner;
    if (this.peek() != 0x29) return this.fail(start, 'missing ): ' + this.text(start, this.cps.length));
    this.pos++;
    if (cap == 0) return inner;
    const n = new Node(Kind.Capture);
    n.cap = cap;
    n.subs = only(inner);
    return n;
  }

  newGroup(name: string): i32 {
    this.result.groups++;
    this.result.names.push(name);
    return this.result.groups;
  }

  /** A backslash sequence outside a class. */
  escapeAtom(items: Node[]): void {
    const start = this.pos;
    const c = this.peek(1);
    if (c < 0) {
      this.fail(start, 'trailing \\');
      return;
    }
    if (c == 0x62 || c == 0x42) {
      this.pos += 2;
      items.push(Node.ofAssert(c == 0x62 ? Assertion.WORD_BOUNDARY : Assertion.NOT_WORD_BOUNDARY));
      return;
    }
    if (c == 0x41 || c == 0x7a) {
      this.pos += 2;
      items.push(Node.ofAssert(c == 0x41 ? Assertion.BEGIN_TEXT : Assertion.END_TEXT));
      return;
    }
    if (c == 0x43) {
      this.fail(start, '\\C (any byte) is not supported: it can split UTF-8 sequences');
      return;
    }
    if (c == 0x51 /* Q */) {
      this.pos += 2;
      while (this.pos < this.cps.length) {
        if (this.peek() == BACKSLASH && this.peek(1) == 0x45) {
          this.pos += 2;
          break;
        }
        items.push(this.literal(this.peek()));
        this.pos++;
      }
      return;
    }
    const cls = this.classEscape();
    if (this.failed) return;
    if (cls != null) {
      items.push(Node.ofClass(cls));
      return;
    }
    const r = this.escapeChar();
    if (!this.failed) items.push(this.literal(r));
  }

  /** \d \s \w \D \S \W \pX \p{..} \PX \P{..} at pos, with case folding applied; null if not one. */
  classEscape(): CharClass | null {
    const c = this.peek(1);
    const lower = c | 0x20;
    if (lower == 0x64 || lower == 0x73 || lower == 0x77) {
      this.pos += 2;
      return this.withFold(perlClass(lower), c != lower);
    }
    if (c == 0x70 || c == 0x50) {
      const start = this.pos;
      let negated = c == 0x50;
      this.pos += 2;
      let name: string;
      if (this.peek() == 0x7b) {
        let end = this.pos + 1;
        while (end < this.cps.length && this.cps[end] != 0x7d) end++;
        if (end >= this.cps.length) {
          this.fail(start, 'invalid character class range: ' + this.text(start, end));
          return null;
        }
        let from = this.pos + 1;
        if (from < end && this.cps[from] == 0x5e) {
          negated = !negated;
          from++;
        }
        name = this.text(from, end);
        this.pos = end + 1;
      } else {
        if (this.peek() < 0) {
          this.fail(start, 'invalid character class range: ' + this.text(start, this.pos));
          return null;
        }
        name = this.text(this.pos, this.pos + 1);
        this.pos++;
      }
      const cc = unicodeProperty(name);
      if (cc == null) {
        this.fail(start, 'invalid character class range: ' + this.text(start, this.pos));
        return null;
      }
      return this.withFold(cc, negated);
    }
    return null;
  }

  /** RE2 folds a group before negating it, so (?i)\W leaves out K's and S's fold partners too. */
  withFold(cc: CharClass, negated: bool): CharClass {
    if (this.flags & Flag.FOLD_CASE) cc.foldCase();
    return negated ? cc.negate() : cc;
  }

  /** A single-character escape at pos (backslash included); fails on anything RE2 rejects. */
  escapeChar(): i32 {
    const start = this.pos;
    this.pos++;
    const c = this.peek();
    if (c < 0) {
      this.fail(start, 'trailing \\');
      return 0;
    }
    this.pos++;
    if (c < 0x80 && !isAlnum(c)) return c;
    if (c >= 0x31 && c <= 0x37 && !isOctal(this.peek())) {
      this.fail(start, 'backreferences are not supported (they need backtracking): ' + this.text(start, this.pos));
      return 0;
    }
    if (c >= 0x30 && c <= 0x37) {
      let code = c - 0x30;
      for (let k = 0; k < 2 && isOctal(this.peek()); k++) {
        code = code * 8 + this.peek() - 0x30;
        this.pos++;
      }
      return code;
    }
    if (c == 0x78 /* x */) {
      const d = this.peek();
      if (d == 0x7b) {
        this.pos++;
        let code = 0;
        let digits = 0;
        while (isHex(this.peek())) {
          code = code * 16 + hexValue(this.peek());
          digits++;
          this.pos++;
          if (code > MAX_RUNE) break;
        }
        if (digits == 0 || code > MAX_RUNE || this.peek() != 0x7d) {
          this.fail(start, 'invalid escape sequence: ' + this.text(start, this.pos + 1));
          return 0;
        }
        this.pos++;
        return code;
      }
      if (isHex(d) && isHex(this.peek(1))) {
        this.pos += 2;
        return hexValue(d) * 16 + hexValue(this.peek(-1));
      }
      this.fail(start, 'invalid escape sequence: ' + this.text(start, this.pos + 2));
      return 0;
    }
    if (c == 0x6e) return 0x0a;
    if (c == 0x72) return 0x0d;
    if (c == 0x74) return 0x09;
    if (c == 0x61) return 0x07;
    if (c == 0x66) return 0x0c;
    if (c == 0x76) return 0x0b;
    if (c == 0x38 || c == 0x39) {
      this.fail(start, 'backreferences are not supported (they need backtracking): ' + this.text(start, this.pos));
      return 0;
    }
    this.fail(start, 'invalid escape sequence: ' + this.text(start, this.pos));
    return 0;
  }

  // Bracket classes already parsed in this pattern: [start, end) spans of cps, the flags they were
  // parsed under and their nodes. The CRS repeats the same class hundreds of times in one pattern
  // (`["'\)\[\x5c]*` between every letter of the 932 command lists); sharing one node avoids rebuilding
  // and re-folding it, and the compiler then stores the class once.
  classStarts: i32[] = [];
  classEnds: i32[] = [];
  classFlags: i32[] = [];
  classNodes: Node[] = [];

  /** The node of an identical bracket class parsed earlier at the same flags, or null. */
  seenClass(start: i32): Node | null {
    const cps = this.cps;
    const n = cps.length;
    for (let k = 0; k < this.classStarts.length; k++) {
      const s = unchecked(this.classStarts[k]);
      const len = unchecked(this.classEnds[k]) - s;
      if (unchecked(this.classFlags[k]) != this.flags || start + len > n) continue;
      let i = 0;
      while (i < len && unchecked(cps[start + i]) == unchecked(cps[s + i])) i++;
      if (i == len) {
        this.pos = start + len;
        return unchecked(this.classNodes[k]);
      }
    }
    return null;
  }

  /** [...] */
  charClass(): Node {
    const start = this.pos;
    const again = this.seenClass(start);
    if (again != null) return again;
    const made = this.parseClass();
    // A bounded number of entries keeps lookups cheap on hostile patterns full of distinct classes.
    if (!this.failed && this.classStarts.length < MAX_SHARED_CLASSES) {
      this.classStarts.push(start);
      this.classEnds.push(this.pos);
      this.classFlags.push(this.flags);
      this.classNodes.push(made);
    }
    return made;
  }

  parseClass(): Node {
    const start = this.pos;
    this.pos++;
    // Items are gathered unsorted and folded once at the end: folding distributes over the union, and
    // the already folded-then-negated groups (\W, [:^alpha:]) are closed under folding.
    const cc = new CharClass();
    const raw = cc.ranges;
    let negated = false;
    if (this.peek() == 0x5e) {
      negated = true;
      this.pos++;
    }
    let first = true;
    const n = this.cps.length;
    while (this.pos < n && (this.peek() != 0x5d || first)) {
      first = false;
      // [:name:] — RE2 looks for the closing ":]" anywhere ahead.
      if (this.peek() == 0x5b && this.peek(1) == 0x3a && this.pos + 2 < n) {
        let q = this.pos + 2;
        while (q + 1 < n && !(this.cps[q] == 0x3a && this.cps[q + 1] == 0x5d)) q++;
        if (q + 1 < n) {
          let from = this.pos + 2;
          let neg = false;
          if (this.cps[from] == 0x5e) {
            neg = true;
            from++;
          }
          const named = posixClass(this.text(from, q));
          if (named == null) {
            this.fail(this.pos, 'invalid character class range: ' + this.text(this.pos, q + 2));
            return new Node(Kind.Empty);
          }
          this.pos = q + 2;
          appendRanges(raw, this.withFold(named, neg));
          continue;
        }
      }
      if (this.peek() == BACKSLASH) {
        const group = this.classEscape();
        if (this.failed) return new Node(Kind.Empty);
        if (group != null) {
          appendRanges(raw, group);
          continue;
        }
      }
      const rangeStart = this.pos;
      const lo = this.classChar(start);
      if (this.failed) return new Node(Kind.Empty);
      let hi = lo;
      if (this.peek() == 0x2d && this.peek(1) != 0x5d && this.peek(1) >= 0) {
        this.pos++;
        hi = this.classChar(start);
        if (this.failed) return new Node(Kind.Empty);
        if (hi < lo) {
          this.fail(rangeStart, 'invalid character class range: ' + this.text(rangeStart, this.pos));
          return new Node(Kind.Empty);
        }
      }
      raw.push(lo);
      raw.push(hi);
    }
    if (this.pos >= n) {
      this.fail(start, 'missing closing ]: ' + this.text(start, n));
      return new Node(Kind.Empty);
    }
    this.pos++;
    cc.normalize();
    if (this.flags & Flag.FOLD_CASE) cc.foldCase();
    return Node.ofClass(negated ? cc.negate() : cc);
  }

  classChar(classStart: i32): i32 {
    if (this.pos >= this.cps.length) {
      this.fail(classStart, 'missing closing ]: ' + this.text(classStart, this.cps.length));
      return 0;
    }
    if (this.peek() == BACKSLASH) return this.escapeChar();
    const c = this.peek();
    this.pos++;
    return c;
  }
}

/** Items of the concatenations and alternations being parsed, innermost last (parsing never re-enters). */
const scratch: Node[] = [];

/** scratch[base], dropping everything from base up. */
function popTo(stack: Node[], base: i32): Node {
  const n = unchecked(stack[base]);
  stack.length = base;
  return n;
}

/** scratch[base..] as an array of exactly that length, dropped from the stack. */
function takeFrom(stack: Node[], base: i32): StaticArray<Node> {
  const k = stack.length - base;
  const out = new StaticArray<Node>(k);
  memory.copy(changetype<usize>(out), stack.dataStart + (<usize>base << alignof<Node>()), <usize>k << alignof<Node>());
  stack.length = base;
  return out;
}

function appendRanges(dst: i32[], cc: CharClass): void {
  const r = cc.ranges;
  for (let i = 0; i < r.length; i++) dst.push(unchecked(r[i]));
}

// Literal classes for ASCII, plain and case-folded, built once: patterns are mostly ASCII literals.
const plainAscii = new StaticArray<CharClass | null>(128);
const foldedAscii = new StaticArray<CharClass | null>(128);
const MAX_SHARED_CLASSES: i32 = 64;
const plainAsciiNodes = new StaticArray<Node | null>(128);
const foldedAsciiNodes = new StaticArray<Node | null>(128);
let anyChar: Node | null = null;

/** `.` under (?s) (every WAF pattern): one shared leaf. */
function anyCharNode(): Node {
  let n = anyChar;
  if (n == null) {
    n = Node.ofClass(CharClass.range(0, MAX_RUNE));
    anyChar = n;
  }
  return n;
}

/** The class of literal c (shared for ASCII: nodes never modify their class). */
function literalClass(c: i32, fold: bool): CharClass {
  if (c >= 0 && c < 128) {
    const table = fold ? foldedAscii : plainAscii;
    const cached = table[c];
    if (cached != null) return cached;
    const made = CharClass.single(c);
    if (fold) made.foldCase();
    table[c] = made;
    return made;
  }
  const cc = CharClass.single(c);
  if (fold) cc.foldCase();
  return cc;
}

/**
 * RE2's limit on nested counted repetition: the product of the bounds around any piece may not exceed
 * 1000 copies. Returns the remaining budget (0 = over the limit).
 */
function repetitionBudget(n: Node, budget: i32): i32 {
  let arg = budget;
  if (n.kind == Kind.Repeat) {
    const m = n.max < 0 ? n.min : n.max;
    if (m > 0) arg = arg / m;
  }
  let least = arg;
  for (let i = 0; i < n.subs.length; i++) {
    const r = repetitionBudget(n.subs[i], arg);
    if (r < least) least = r;
  }
  return least;
}

function validCaptureName(cps: i32[], from: i32, to: i32): bool {
  if (from >= to) return false;
  for (let i = from; i < to; i++) {
    const c = cps[i];
    if (c < 0x80) {
      if (!(isAlnum(c) || c == 0x5f)) return false;
    } else if (!isNameRune(c)) {
      return false;
    }
  }
  return true;
}

let nameRunes: CharClass | null = null;

/** Letters, marks, digits and connector punctuation, as RE2 allows in group names. */
function isNameRune(c: i32): bool {
  if (nameRunes == null) {
    const cc = new CharClass();
    const cats = ['Lu', 'Ll', 'Lt', 'Lm', 'Lo', 'Nl', 'Mn', 'Mc', 'Nd', 'Pc'];
    for (let i = 0; i < cats.length; i++) cc.addClass(unicodeProperty(cats[i])!);
    nameRunes = cc;
  }
  return nameRunes!.contains(c);
}

function isDigit(c: i32): bool {
  return c >= 0x30 && c <= 0x39;
}

function isOctal(c: i32): bool {
  return c >= 0x30 && c <= 0x37;
}

function isHex(c: i32): bool {
  return isDigit(c) || ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x66);
}

function hexValue(c: i32): i32 {
  return isDigit(c) ? c - 0x30 : (c | 0x20) - 0x61 + 10;
}

function isAlnum(c: i32): bool {
  return isDigit(c) || ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x7a);
}
