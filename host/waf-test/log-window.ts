// The WAF's log lines between a stage's two marker lines, read the way go-ftw reads its log file: the
// marker line is one containing the marker header name and the marker id; rule ids come from
// ModSecurity's `[id "N"]` or a JSON `"id": N` (go-ftw's pattern), regexes run on each line.
import RE2 from 're2';

export class LogCapture {
  private lines: string[] = [];
  readonly push = (line: string): void => { this.lines.push(line); };

  /** Index of the newest line that marks `markerId` (null when absent), scanning at most `limit` lines back. */
  findMarker(headerName: string, markerId: string, limit = 200): number | null {
    const h = headerName.toLowerCase();
    for (let i = this.lines.length - 1, n = 0; i >= 0 && n <= limit; i--, n++) {
      const l = this.lines[i]!.toLowerCase();
      if (l.includes(h)) return l.includes(markerId.toLowerCase()) ? i : null; // go-ftw: first marker-like line decides
    }
    return null;
  }

  /** Lines strictly between two marker indices. */
  between(start: number, end: number): string[] { return this.lines.slice(start + 1, end); }

  /** Drops everything before `index` so memory stays bounded over a long run. */
  dropBefore(index: number): void { this.lines = this.lines.slice(index); }
  get length(): number { return this.lines.length; }
}

const idPattern = /\[id \\?"(\d+)\\?"\]|"id":\s*"?(\d+)"?/g;

export function triggeredRules(lines: string[]): Set<number> {
  const ids = new Set<number>();
  for (const l of lines) for (const m of l.matchAll(idPattern)) ids.add(Number(m[1] ?? m[2]));
  return ids;
}

/** Go regexp semantics (RE2 syntax); a bad pattern is an error value. */
export function compileGoRegex(pattern: string): RE2 | string {
  try {
    return new RE2(pattern);
  } catch (e) {
    return `bad regular expression ${JSON.stringify(pattern)}: ${(e as Error).message}`;
  }
}

export function anyLineMatches(lines: string[], re: RE2): boolean {
  return lines.some((l) => { re.lastIndex = 0; return re.test(l); });
}
