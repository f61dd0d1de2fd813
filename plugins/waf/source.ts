// SecLang source text → directives: joins `\` continuation lines, drops comments and blank lines, and
// splits each directive into its name and arguments (double- or single-quoted, `\"` inside quotes is a quote).
// String#trim's notion of white space, for the in-place trims that replace it.
import { isSpace as isWhiteSpace } from "~lib/util/string";


export class Directive {
  constructor(public file: string, public line: i32, public name: string, public args: string[]) {}
  /** `file:line` for error messages and the log's [file]/[line]. */
  where(): string { return this.file + ":" + this.line.toString(); }
  /** Its text's length: what compiling it allocates grows with it (configure-gc.ts). */
  weight(): i32 {
    let w = this.name.length;
    for (let i = 0; i < this.args.length; i++) w += this.args[i].length;
    return w;
  }
}

export class SourceResult {
  directives: Directive[] = [];
  error: string = "";
}

function isSpace(c: i32): bool { return c == 32 || c == 9 || c == 13 || c == 11 || c == 12; }

/** text.charCodeAt(i) for 0 <= i < text.length, without the call and bounds check (the CRS is ~0.5M chars). */
// @ts-ignore: decorator
@inline export function code(text: string, i: i32): i32 { return <i32>load<u16>(changetype<usize>(text) + (<usize>i << 1)); }

/**
 * text[start, end) with each `\<quote>` replaced by the quote, in one allocation: building it with `+=` per
 * escape copied the whole token each time (the CRS's long regexes escape hundreds of quotes: tens of MiB).
 * `escapes` is how many there are: the caller's scan for the closing quote counts them.
 */
export function unescapeQuote(text: string, start: i32, end: i32, quote: i32, escapes: i32): string {
  if (escapes == 0) return text.substring(start, end);
  const out = changetype<string>(__new(<usize>(end - start - escapes) << 1, idof<string>()));
  let o = changetype<usize>(out);
  for (let k = start; k < end; k++) {
    let c = code(text, k);
    if (c == 92 && k + 1 < end && code(text, k + 1) == quote) { c = quote; k++; }
    store<u16>(o, <u16>c);
    o += 2;
  }
  return out;
}

/** Splits one logical line into tokens; returns null (and sets err[0]) on an unterminated quote. */
export function tokenize(text: string, err: string[]): string[] | null {
  const out: string[] = [];
  let i = 0;
  const n = text.length;
  while (i < n) {
    while (i < n && isSpace(code(text, i))) i++;
    if (i >= n) break;
    const c = code(text, i);
    if (c == 34 || c == 39) {
      // Quoted: `\<quote>` becomes the quote; every other backslash stays (regexes need them).
      let j = i + 1;
      let closed = false;
      let escapes = 0;
      while (j < n) {
        const d = code(text, j);
        if (d == 92 && j + 1 < n && code(text, j + 1) == c) { j += 2; escapes++; continue; }
        if (d == c) { closed = true; break; }
        j++;
      }
      if (!closed) { err[0] = "unterminated quote"; return null; }
      out.push(unescapeQuote(text, i + 1, j, c, escapes));
      i = j + 1;
    } else {
      let j = i;
      while (j < n && !isSpace(code(text, j))) j++;
      out.push(text.substring(i, j));
      i = j;
    }
  }
  return out;
}

/** The index of the next `\n` at or after `from`, or -1: String#indexOf compares a whole string at every
 * position (4% of loading the CRS at PL4). */
function nextNewline(text: string, from: i32, n: i32): i32 {
  for (let i = from; i < n; i++) if (code(text, i) == 10) return i;
  return -1;
}

/** Scratch for parseSource: the pieces of one continued line (reused, so it leaves no garbage). */
const SPANS: i32[] = [];

/** The pieces in SPANS, joined in one allocation. */
function joinSpans(text: string): string {
  let len = 0;
  for (let i = 0; i < SPANS.length; i += 2) len += unchecked(SPANS[i + 1]) - unchecked(SPANS[i]);
  const out = changetype<string>(__new(<usize>len << 1, idof<string>()));
  let o = changetype<usize>(out);
  for (let i = 0; i < SPANS.length; i += 2) {
    const a = unchecked(SPANS[i]), n = unchecked(SPANS[i + 1]) - a;
    memory.copy(o, changetype<usize>(text) + (<usize>a << 1), <usize>n << 1);
    o += <usize>n << 1;
  }
  return out;
}

/**
 * Parses a whole file (or one configuration entry) into directives. Lines are scanned in place: only a
 * directive's own text is copied (continuations are joined once), not every line and partial join.
 */
export function parseSource(file: string, text: string, out: SourceResult): void {
  const n = text.length;
  let pos = 0; // start of the next physical line
  let line = 0; // physical lines consumed
  let more = true; // a next physical line exists (an empty text is one empty line)
  while (more) {
    const startLine = line + 1;
    SPANS.length = 0; // [start, end) of each piece of a continued line
    let s = 0, e = 0; // the logical line when it is a single physical line
    // A line ending in `\` continues on the next one (the backslash is removed, the newline dropped).
    while (more) {
      const nl = nextNewline(text, pos, n);
      const ls = pos;
      let le = nl < 0 ? n : nl;
      if (nl < 0) more = false; else pos = nl + 1;
      line++;
      if (le > ls && code(text, le - 1) == 13) le--;
      let te = le;
      while (te > ls && isWhiteSpace(code(text, te - 1))) te--;
      if (te > ls && code(text, te - 1) == 92) {
        SPANS.push(ls);
        SPANS.push(te - 1);
        continue;
      }
      if (SPANS.length > 0) { SPANS.push(ls); SPANS.push(le); }
      else { s = ls; e = le; }
      break;
    }
    let t: string;
    if (SPANS.length > 0) {
      t = joinSpans(text).trim();
      if (t.length == 0 || code(t, 0) == 35 /* # */) continue;
    } else {
      while (s < e && isWhiteSpace(code(text, s))) s++;
      while (e > s && isWhiteSpace(code(text, e - 1))) e--;
      if (s == e || code(text, s) == 35 /* # */) continue;
      t = text.substring(s, e);
    }
    const err: string[] = [""];
    const toks = tokenize(t, err);
    if (toks === null) {
      out.error = file + ":" + startLine.toString() + ": " + err[0];
      return;
    }
    const name = toks.shift();
    out.directives.push(new Directive(file, startLine, name, toks));
  }
}
