// Structured match conditions for first-match rules (attributegen's `match`, without a
// language to parse): a test on one source, or all / any / not of other conditions.
import { Regex } from "../../assembly/regex";
import { Source, read, value } from "./source";

export enum Op { Present, Absent, Equals, In, Prefix, Suffix, Contains, Regex, All, Any, Not }

export class Condition {
  source: Source | null = null;
  strings: ArrayBuffer[] = []; // equals / in / prefix / suffix / contains operands
  regex: Regex | null = null;
  children: Condition[] = [];
  constructor(public readonly op: Op) {}

  /** Whether any source under this condition is only known once the response starts. */
  get responsePhase(): bool {
    const s = this.source;
    if (s !== null && s.responsePhase) return true;
    for (let i = 0; i < this.children.length; i++) if (this.children[i].responsePhase) return true;
    return false;
  }

  matches(): bool {
    const op = this.op;
    if (op == Op.All) {
      for (let i = 0; i < this.children.length; i++) if (!unchecked(this.children[i]).matches()) return false;
      return true;
    }
    if (op == Op.Any) {
      for (let i = 0; i < this.children.length; i++) if (unchecked(this.children[i]).matches()) return true;
      return false;
    }
    if (op == Op.Not) return !this.children[0].matches();
    const present = read(this.source!);
    if (op == Op.Present) return present;
    if (op == Op.Absent) return !present;
    if (!present) return false;
    if (op == Op.Regex) return this.regex!.isMatchBytes(value.ptr, value.len);
    for (let i = 0; i < this.strings.length; i++) if (test(op, unchecked(this.strings[i]))) return true;
    return false;
  }
}

function test(op: Op, s: ArrayBuffer): bool {
  const n = s.byteLength;
  const p = changetype<usize>(s);
  if (op == Op.Equals || op == Op.In) return value.len == n && memory.compare(value.ptr, p, <usize>n) == 0;
  if (n > value.len) return false;
  if (op == Op.Prefix) return memory.compare(value.ptr, p, <usize>n) == 0;
  if (op == Op.Suffix) return memory.compare(value.ptr + <usize>(value.len - n), p, <usize>n) == 0;
  for (let i = 0; i + n <= value.len; i++) if (memory.compare(value.ptr + <usize>i, p, <usize>n) == 0) return true;
  return false;
}
