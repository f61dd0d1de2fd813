// SecLang source text → directives: joins `\` continuation lines, drops comments and blank lines, and
// splits each directive into its name and arguments (double- or single-quoted, `\"` inside quotes is a quote).

export class Directive {
  constructor(public file: string, public line: i32, public name: string, public args: string[]) {}
  /** `file:line` for error messages and the log's [file]/[line]. */
  where(): string { return this.file + ":" + this.line.toString(); }
}

export class SourceResult {
  directives: Directive[] = [];
  error: string = "";
}

function isSpace(c: i32): bool { return c == 32 || c == 9 || c == 13 || c == 11 || c == 12; }

/** Splits one logical line into tokens; returns null (and sets err[0]) on an unterminated quote. */
export function tokenize(text: string, err: string[]): string[] | null {
  const out: string[] = [];
  let i = 0;
  const n = text.length;
  while (i < n) {
    while (i < n && isSpace(text.charCodeAt(i))) i++;
    if (i >= n) break;
    const c = text.charCodeAt(i);
    if (c == 34 || c == 39) {
      // Quoted: `\<quote>` becomes the quote; every other backslash stays (regexes need them).
      let j = i + 1;
      let tok = "";
      let closed = false;
      let start = j;
      while (j < n) {
        const d = text.charCodeAt(j);
        if (d == 92 && j + 1 < n && text.charCodeAt(j + 1) == c) {
          tok += text.substring(start, j) + String.fromCharCode(c);
          j += 2;
          start = j;
          continue;
        }
        if (d == c) { closed = true; break; }
        j++;
      }
      if (!closed) { err[0] = "unterminated quote"; return null; }
      tok += text.substring(start, j);
      out.push(tok);
      i = j + 1;
    } else {
      let j = i;
      while (j < n && !isSpace(text.charCodeAt(j))) j++;
      out.push(text.substring(i, j));
      i = j;
    }
  }
  return out;
}

/** Parses a whole file (or one configuration entry) into directives. */
export function parseSource(file: string, text: string, out: SourceResult): void {
  const lines = text.split("\n");
  let i = 0;
  while (i < lines.length) {
    const startLine = i + 1;
    let logical = "";
    // A line ending in `\` continues on the next one (the backslash is removed, the newline dropped).
    while (i < lines.length) {
      let l = lines[i];
      if (l.endsWith("\r")) l = l.substring(0, l.length - 1);
      i++;
      const trimmedEnd = l.trimEnd();
      if (trimmedEnd.endsWith("\\")) {
        logical += trimmedEnd.substring(0, trimmedEnd.length - 1);
        continue;
      }
      logical += l;
      break;
    }
    const t = logical.trim();
    if (t.length == 0 || t.charCodeAt(0) == 35 /* # */) continue;
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
