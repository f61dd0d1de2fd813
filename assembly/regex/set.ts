// Many patterns matched together (the WAF's @rx rules). Patterns are compiled in groups of GROUP_SIZE into
// one program whose branches end in MATCH i, each run by one lazy DFA: one pass over the input per group.
// Measured on the CRS set, combined automata lose: their states are products of the members' states, so
// the cache thrashes, and a group's first-byte prefilter is the union of its members' (rarely skips).
// GROUP_SIZE = 1 (one DFA pass per pattern, each with its own prefilter) was ~15x faster than 16.
import { Compiler } from './compiler';
import { Node } from './ast';
import { parse } from './parser';
import { LazyDFA } from './dfa';
import { LATIN1 } from './regex';

const GROUP_SIZE: i32 = 1;

export class RegexSet {
  private roots: Node[] = [];
  private dfas: LazyDFA[] | null = null;
  readonly flags: i32;
  /** Reason the last add() or build() failed. */
  error: string = '';
  /** After match(): matched[i] is true when pattern i matched. */
  matched: StaticArray<bool> = new StaticArray<bool>(0);

  constructor(flags: i32 = 0) {
    this.flags = flags;
  }

  get size(): i32 {
    return this.roots.length;
  }

  /** Adds a pattern; returns its index, or -1 (see error) if it does not parse or the set is built. */
  add(pattern: string): i32 {
    if (this.dfas != null) {
      this.error = 'set already built';
      return -1;
    }
    const parsed = parse(pattern, this.flags & ~LATIN1);
    const err = parsed.error;
    if (err != null) {
      this.error = err.message + ' at offset ' + err.offset.toString();
      return -1;
    }
    this.roots.push(parsed.root!);
    return this.roots.length - 1;
  }

  /** Compiles the added patterns together; false (see error) if the result would be too large. */
  build(): bool {
    const latin1 = (this.flags & LATIN1) != 0;
    const dfas: LazyDFA[] = [];
    for (let from = 0; from < this.roots.length; from += GROUP_SIZE) {
      const group = this.roots.slice(from, min(from + GROUP_SIZE, this.roots.length));
      const prog = Compiler.set(group, latin1);
      if (prog == null) {
        this.error = 'pattern set too large';
        return false;
      }
      dfas.push(new LazyDFA(prog, latin1, false, group.length));
    }
    this.dfas = dfas;
    this.matched = new StaticArray<bool>(this.roots.length);
    return true;
  }

  /** Number of patterns matching somewhere in len bytes at ptr; -1 if build() has not succeeded. */
  matchBytes(ptr: usize, len: i32): i32 {
    const dfas = this.dfas;
    if (dfas == null) return -1;
    let n = 0;
    for (let g = 0; g < dfas.length; g++) {
      const dfa = dfas[g];
      n += dfa.run(ptr, len, false);
      const ids = dfa.found;
      const base = g * GROUP_SIZE;
      for (let i = 0; i < ids.length; i++) unchecked((this.matched[base + i] = ids[i]));
    }
    return n;
  }

  match(s: string): i32 {
    const buf = String.UTF8.encode(s);
    return this.matchBytes(changetype<usize>(buf), buf.byteLength);
  }
}
