// Public API for one pattern: compile once (at plugin configure time), then match many inputs.
import { Compiler } from './compiler';
import { Flag, parse } from './parser';
import { PikeVM } from './pikevm';
import { LazyDFA } from './dfa';
import { Program } from './program';
import { Assertion, Kind, Node } from './ast';
import { containsAny, requiredByteTable } from './reqbytes';

/** Parses "imsUb" style option letters; returns -1 on an unknown letter. Bit 16 = bytes (Latin-1). */
export const LATIN1: i32 = 16;

export function parseFlags(flags: string): i32 {
  let bits = 0;
  for (let i = 0; i < flags.length; i++) {
    const c = flags.charCodeAt(i);
    if (c == 0x69) bits |= Flag.FOLD_CASE;
    else if (c == 0x6d) bits |= Flag.MULTI_LINE;
    else if (c == 0x73) bits |= Flag.DOT_NL;
    else if (c == 0x55) bits |= Flag.UNGREEDY;
    else if (c == 0x62) bits |= LATIN1;
    else return -1;
  }
  return bits;
}

export class CompileResult {
  regex: Regex | null = null;
  /** Empty on success; otherwise "<reason> at offset <n>". */
  error: string = '';
  /** Byte offset in the UTF-8 pattern where the problem is, -1 on success. */
  offset: i32 = -1;
}

export class Regex {
  readonly pattern: string;
  readonly flags: i32;
  /** Number of capture groups (group 0, the whole match, not counted). */
  readonly groups: i32;
  /** names[i] = name of group i, "" when unnamed. */
  readonly names: string[];
  readonly program: Program;
  /** Built on first captures/find: most WAF patterns only ever run isMatch, many never run at all. */
  private vmCache: PikeVM | null = null;
  /** Built on first use: only needed by isMatch and as a fast "no match" check before captures. */
  private dfa: LazyDFA | null = null;
  /** Capture positions of the last successful find/captures: 2 per group, -1 = unset. */
  readonly slots: StaticArray<i32>;
  /** The pattern is `^.*$` over bytes with `.` matching every byte (the CRS captures whole values with
   * it): every input matches, whole. Answered without running an automaton. */
  private wholeInput: bool = false;
  /** Bytes one of which every match contains (reqbytes.ts), when they are rare; null otherwise. */
  private reqBytes: StaticArray<u8> | null = null;

  private constructor(pattern: string, flags: i32, groups: i32, names: string[], program: Program) {
    this.pattern = pattern;
    this.flags = flags;
    this.groups = groups;
    this.names = names;
    this.program = program;
    this.slots = new StaticArray<i32>(2 * (groups + 1));
  }

  /** Compiles pattern with option bits (see parseFlags). Never traps: errors come back in the result. */
  static compile(pattern: string, flags: i32 = 0): CompileResult {
    const res = new CompileResult();
    if (flags < 0) {
      res.error = 'unknown flag';
      res.offset = 0;
      return res;
    }
    const parsed = parse(pattern, flags & ~LATIN1);
    const err = parsed.error;
    if (err != null) {
      res.error = err.message + ' at offset ' + err.offset.toString();
      res.offset = err.offset;
      return res;
    }
    const prog = Compiler.single(parsed.root!, parsed.groups, (flags & LATIN1) != 0);
    if (prog == null) {
      res.error = 'pattern too large (compiles to more than the instruction limit) at offset 0';
      res.offset = 0;
      return res;
    }
    const re = new Regex(pattern, flags, parsed.groups, parsed.names, prog);
    if ((flags & LATIN1) != 0) {
      re.wholeInput = parsed.groups == 0 && matchesWholeInput(parsed.root!);
      re.reqBytes = requiredByteTable(parsed.root!);
    }
    res.regex = re;
    return res;
  }

  static compileFlags(pattern: string, flags: string): CompileResult {
    return Regex.compile(pattern, parseFlags(flags));
  }

  private get vm(): PikeVM {
    let vm = this.vmCache;
    if (vm == null) {
      vm = new PikeVM(this.program, (this.flags & LATIN1) != 0);
      this.vmCache = vm;
    }
    return vm;
  }

  /** Whether there is a match anywhere in len bytes at ptr (lazy DFA). */
  isMatchBytes(ptr: usize, len: i32): bool {
    if (this.wholeInput) return true;
    // A value without any of the required bytes cannot match: one cheap pass instead of the DFA.
    const req = this.reqBytes;
    if (req !== null && !containsAny(ptr, len, req)) return false;
    let dfa = this.dfa;
    if (dfa == null) {
      dfa = new LazyDFA(this.program, (this.flags & LATIN1) != 0, false, 1);
      this.dfa = dfa;
    }
    return dfa.run(ptr, len, true) > 0;
  }

  /** The required bytes the prefilter checks (reqbytes.ts), null when none are used. */
  get requiredBytes(): StaticArray<u8> | null {
    return this.reqBytes;
  }

  private whole(len: i32): bool {
    unchecked((this.slots[0] = 0));
    unchecked((this.slots[1] = len));
    return true;
  }

  /** isMatchBytes answered by the Pike VM alone: the reference the DFA's fast paths are tested against. */
  isMatchBytesSlow(ptr: usize, len: i32): bool {
    const s = this.slots;
    return this.vm.exec(ptr, len, 0, false, 2, s);
  }

  isMatch(s: string): bool {
    const buf = String.UTF8.encode(s);
    return this.isMatchBytes(changetype<usize>(buf), buf.byteLength);
  }

  /**
   * Leftmost-first match starting the search at byte `start`; on success `slots` holds [start, end] of
   * group 0 followed by each group's span (-1 for groups that did not take part).
   */
  capturesBytes(ptr: usize, len: i32, start: i32 = 0, anchored: bool = false): bool {
    const s = this.slots;
    for (let i = 0; i < s.length; i++) unchecked((s[i] = -1));
    if (start < 0 || start > len) return false;
    // Most inputs do not match: let the DFA say so before running the slower capturing VM.
    if (start == 0 && !anchored && !this.isMatchBytes(ptr, len)) return false;
    if (start == 0 && this.wholeInput) return this.whole(len);
    return this.vm.exec(ptr, len, start, anchored, s.length, s);
  }

  /** Like capturesBytes but only the overall span is computed (cheaper). */
  findBytes(ptr: usize, len: i32, start: i32 = 0): bool {
    const s = this.slots;
    for (let i = 0; i < s.length; i++) unchecked((s[i] = -1));
    if (start < 0 || start > len) return false;
    if (start == 0 && !this.isMatchBytes(ptr, len)) return false;
    if (start == 0 && this.wholeInput) return this.whole(len);
    return this.vm.exec(ptr, len, start, false, 2, s);
  }
}

/** `\A` then a greedy `.*` over a class holding every byte, then `\z` (how `^.*$` parses with `s`). */
function matchesWholeInput(root: Node): bool {
  if (root.kind != Kind.Concat || root.subs.length != 3) return false;
  const a = unchecked(root.subs[0]);
  const r = unchecked(root.subs[1]);
  const z = unchecked(root.subs[2]);
  if (a.kind != Kind.Assert || a.assert != Assertion.BEGIN_TEXT) return false;
  if (z.kind != Kind.Assert || z.assert != Assertion.END_TEXT) return false;
  if (r.kind != Kind.Repeat || r.min != 0 || r.max != -1 || !r.greedy || r.subs.length != 1) return false;
  const c = unchecked(r.subs[0]);
  if (c.kind != Kind.Class || c.cls === null) return false;
  const ranges = c.cls!.ranges;
  return ranges.length >= 2 && ranges[0] == 0 && ranges[1] >= 0xff;
}
