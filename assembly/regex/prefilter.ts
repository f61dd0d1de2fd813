// Required literals: a set of strings such that every match of a pattern contains at least one of them
// (RE2's prefilter idea, reduced to one OR-set). A value containing none of them cannot match, which a
// LiteralFilter (litfilter.ts) tells for many patterns in one pass. Only bytes (Latin-1) patterns are
// analysed; strings hold one byte per character, ASCII letters folded to lower case (values are folded
// the same way when tested, so folding only ever lets more values through).
import { Kind, Node } from './ast';
import { parse } from './parser';
import { LATIN1, Regex } from './regex';

/** Largest exact set kept while concatenating (cross products grow fast). */
const MAX_EXACT: i32 = 16;
/** Longest exact string built by concatenation; longer ones are not more selective for the filter. */
const MAX_LEN: i32 = 8;
/** Largest OR-set kept; a pattern needing more literals gets no condition. */
const MAX_REQ: i32 = 128;
/** Longer patterns are not analysed: the work grows with the pattern and configuration time is bounded. */
const MAX_PATTERN: i32 = 500;
/** Classes with more (folded) bytes than this are "any character". */
const MAX_CLASS: i32 = 4;

/** exact !== null: the node matches exactly one of these strings. Else req: one of them is in every match (null: nothing known). */
class Info {
  exact: string[] | null = null;
  req: string[] | null = null;
}

@inline
function fold(c: i32): i32 {
  return c >= 0x41 && c <= 0x5a ? c + 32 : c;
}

function exactOf(set: string[]): Info {
  const i = new Info();
  i.exact = set;
  return i;
}

// Sets and Infos are never changed once made, so the common ones are shared: the analysis is mostly
// allocation, and its garbage stays until the collection after onConfigure.
/** {""} */
const EPSILON: string[] = [''];
const EMPTY_INFO = exactOf(EPSILON);
/** Nothing known. */
const NOTHING = new Info();

function reqOf(set: string[] | null): Info {
  if (set === null) return NOTHING;
  const i = new Info();
  i.req = set;
  return i;
}

/** The OR-set an exact set guarantees, null when none (a set containing "" guarantees nothing). */
function condOf(e: string[]): string[] | null {
  if (e.length == 0) return null;
  for (let k = 0; k < e.length; k++) if (unchecked(e[k]).length == 0) return null;
  return e;
}

/** The OR-set an Info guarantees, null when none. */
function cond(i: Info): string[] | null {
  const e = i.exact;
  return e === null ? i.req : condOf(e);
}

function minLen(s: string[]): i32 {
  let m = i32.MAX_VALUE;
  for (let k = 0; k < s.length; k++) m = min(m, unchecked(s[k]).length);
  return m;
}

/** The more selective of two conditions: longer shortest string, then fewer strings. */
function better(a: string[] | null, b: string[] | null): string[] | null {
  if (a === null) return b;
  if (b === null) return a;
  const la = minLen(a);
  const lb = minLen(b);
  if (la != lb) return la > lb ? a : b;
  return a.length <= b.length ? a : b;
}

function maxLen(s: string[]): i32 {
  let m = 0;
  for (let k = 0; k < s.length; k++) m = max(m, unchecked(s[k]).length);
  return m;
}

/** Products are at most MAX_EXACT strings: duplicates are found by a linear search, no hash set. */
function cross(a: string[], b: string[]): string[] {
  if (changetype<usize>(a) == changetype<usize>(EPSILON)) return b;
  if (changetype<usize>(b) == changetype<usize>(EPSILON)) return a;
  if (a.length == 1 && b.length == 1) return [unchecked(a[0]) + unchecked(b[0])];
  const out: string[] = [];
  for (let i = 0; i < a.length; i++) {
    for (let j = 0; j < b.length; j++) {
      const s = unchecked(a[i]) + unchecked(b[j]);
      if (!out.includes(s)) out.push(s);
    }
  }
  return out;
}

/** One-character strings, made once (most class visits are single literal characters). */
const CHARS = new StaticArray<string | null>(256);

function charString(c: i32): string {
  let s = unchecked(CHARS[c]);
  if (s === null) {
    s = String.fromCharCode(c);
    unchecked((CHARS[c] = s));
  }
  return s;
}

/** Info of the class of one (folded) byte, made once per byte; never changed once made. */
const SINGLE = new StaticArray<Info | null>(256);

/** The class's bytes, folded, as one-character strings; null when there are more than MAX_CLASS or none. */
function classBytes(n: Node): string[] | null {
  const r = n.cls!.ranges;
  const out: string[] = [];
  for (let k = 0; k + 1 < r.length; k += 2) {
    const lo = unchecked(r[k]);
    const hi = min(unchecked(r[k + 1]), 255);
    if (lo > 255) break;
    if (hi - lo + 1 > MAX_CLASS * 2) return null;
    for (let c = lo; c <= hi; c++) {
      const s = charString(fold(c));
      if (out.includes(s)) continue;
      out.push(s);
      if (out.length > MAX_CLASS) return null;
    }
  }
  return out.length == 0 ? null : out;
}

function info(n: Node, depth: i32): Info {
  if (depth > 300) return reqOf(null);
  switch (n.kind) {
    case Kind.Empty:
    case Kind.Assert:
      return EMPTY_INFO;
    case Kind.Class: {
      // Most class nodes are one literal character (or its two cases): one shared Info per byte.
      const r = n.cls!.ranges;
      if (r.length <= 4) {
        const c = fold(unchecked(r[0]));
        if (unchecked(r[0]) == unchecked(r[1]) && (r.length == 2 || (unchecked(r[2]) == unchecked(r[3]) && fold(unchecked(r[2])) == c)) && c < 256) {
          let cached = unchecked(SINGLE[c]);
          if (cached === null) {
            cached = exactOf([charString(c)]);
            unchecked((SINGLE[c] = cached));
          }
          return cached;
        }
      }
      const b = classBytes(n);
      return b === null ? reqOf(null) : exactOf(b);
    }
    case Kind.Capture:
      return info(unchecked(n.subs[0]), depth + 1);
    case Kind.Repeat: {
      const x = info(unchecked(n.subs[0]), depth + 1);
      if (n.min == 1 && n.max == 1) return x;
      if (n.min == 0) {
        // x? keeps a small exact set (with ""), so "ab?c" still gives {ac, abc}; x* matches strings of
        // any length: nothing exact, nothing required.
        const e = x.exact;
        if (n.max == 1 && e !== null && e.length < MAX_EXACT) {
          const out = e.slice(0);
          if (!out.includes('')) out.push('');
          return exactOf(out);
        }
        return reqOf(null);
      }
      return reqOf(cond(x));
    }
    case Kind.Concat: {
      let cur: string[] = EPSILON;
      let best: string[] | null = null;
      let allExact = true;
      for (let k = 0; k < n.subs.length; k++) {
        const ci = info(unchecked(n.subs[k]), depth + 1);
        const e = ci.exact;
        if (e === null) {
          allExact = false;
          best = better(best, condOf(cur));
          best = better(best, ci.req);
          cur = EPSILON;
          continue;
        }
        if (cur.length * e.length <= MAX_EXACT && maxLen(cur) + maxLen(e) <= MAX_LEN) {
          cur = cross(cur, e);
        } else {
          // Too many or too long: what was built so far is one candidate, the child starts the next.
          allExact = false;
          best = better(best, condOf(cur));
          cur = e;
        }
      }
      if (allExact) return exactOf(cur);
      return reqOf(better(best, condOf(cur)));
    }
    case Kind.Alternate: {
      // One pass, stopping as soon as the answer is known to be "nothing" (the CRS alternates thousands of
      // words: past MAX_REQ literals the rest need not be analysed).
      let exact: string[] | null = [];
      // Made only for big sets: a linear search is cheaper for the few literals most alternations have.
      let seen: Set<string> | null = null;
      const out: string[] = [];
      let anyBranch = false;
      for (let k = 0; k < n.subs.length; k++) {
        const ci = info(unchecked(n.subs[k]), depth + 1);
        const e = ci.exact;
        if (exact !== null) {
          if (e !== null && exact.length + e.length <= MAX_EXACT) {
            for (let j = 0; j < e.length; j++) if (!exact.includes(e[j])) exact.push(e[j]);
          } else exact = null;
        }
        if (anyBranch) {
          if (exact === null) return reqOf(null);
          continue;
        }
        const c = cond(ci);
        if (c === null) {
          anyBranch = true;
          if (exact === null) return reqOf(null);
          continue;
        }
        for (let j = 0; j < c.length; j++) {
          const x = unchecked(c[j]);
          if (seen === null) {
            if (out.includes(x)) continue;
            out.push(x);
            if (out.length > 16) {
              seen = new Set<string>();
              for (let q = 0; q < out.length; q++) seen.add(unchecked(out[q]));
            }
          } else if (!seen.has(x)) {
            seen.add(x);
            out.push(x);
          }
        }
        if (out.length > MAX_REQ) {
          anyBranch = true;
          if (exact === null) return reqOf(null);
        }
      }
      if (exact !== null) return exactOf(exact);
      return anyBranch ? reqOf(null) : reqOf(out);
    }
  }
  return reqOf(null);
}

/** Literals one of which every match contains (folded, one byte per character), or null when unknown. */
export function requiredLiterals(root: Node): string[] | null {
  return cond(info(root, 0));
}

/**
 * The required literals of a compiled bytes-mode regex, from its pattern parsed again (compiled regexes
 * keep no tree: only the few regexes that use a filter pay for this), or null.
 */
export function regexLiterals(re: Regex): string[] | null {
  if ((re.flags & LATIN1) == 0 || re.pattern.length > MAX_PATTERN) return null;
  const parsed = parse(re.pattern, re.flags & ~LATIN1);
  if (parsed.error != null) return null;
  return requiredLiterals(parsed.root!);
}
