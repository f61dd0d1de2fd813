// Entry point of regex.wasm, the engine as the CLI, tests and benchmarks load it: a handle-based ABI
// over linear memory. The host writes bytes into buffers from buffer(), then calls the functions below;
// results come back through out() / outLength() (bytes) or slots() (i32 positions).
import { Regex, parseFlags } from './regex';
import { RegexSet } from './set';
import { regexLiterals } from './prefilter';
import { replaceAllBytes } from './replace';
import { steps, resetSteps } from './pikevm';

const buffers: Uint8Array[] = [new Uint8Array(256), new Uint8Array(256), new Uint8Array(256)];
const regexes: Array<Regex | null> = [];
const sets: Array<RegexSet | null> = [];
let outBytes: Uint8Array = new Uint8Array(0);
let outSlots: StaticArray<i32> = new StaticArray<i32>(0);

/** Pointer to scratch buffer `which` (0 pattern, 1 input, 2 rewrite), grown to hold n bytes. */
export function buffer(which: i32, n: i32): usize {
  if (which < 0 || which > 2 || n < 0) return 0;
  if (buffers[which].length < n) buffers[which] = new Uint8Array(n);
  return buffers[which].dataStart;
}

export function out(): usize {
  return outBytes.dataStart;
}

export function outLength(): i32 {
  return outBytes.length;
}

export function slots(): usize {
  return changetype<usize>(outSlots);
}

function setOut(s: string): void {
  outBytes = Uint8Array.wrap(String.UTF8.encode(s));
}

function patternText(n: i32): string | null {
  const p = buffers[0].dataStart;
  if (!validUtf8(p, n)) return null;
  return String.UTF8.decodeUnsafe(p, n);
}

function validUtf8(p: usize, n: i32): bool {
  let i = 0;
  while (i < n) {
    const b = load<u8>(p + i);
    let w = b < 0x80 ? 1 : b >= 0xc2 && b < 0xe0 ? 2 : b >= 0xe0 && b < 0xf0 ? 3 : b >= 0xf0 && b < 0xf5 ? 4 : 0;
    if (w == 0 || i + w > n) return false;
    for (let k = 1; k < w; k++) if ((load<u8>(p + i + k) & 0xc0) != 0x80) return false;
    i += w;
  }
  return true;
}

/** Compiles the n-byte pattern in buffer 0 with flag letters in buffer 2 (flagLen bytes). */
export function compile(n: i32, flagLen: i32): i32 {
  const pattern = patternText(n);
  if (pattern == null) {
    setOut('invalid UTF-8 in pattern at offset 0');
    return -1;
  }
  const flags = parseFlags(String.UTF8.decodeUnsafe(buffers[2].dataStart, flagLen));
  if (flags < 0) {
    setOut('unknown flag (allowed: i m s U b)');
    return -1;
  }
  const res = Regex.compile(pattern, flags);
  if (res.regex == null) {
    setOut(res.error);
    return -1;
  }
  regexes.push(res.regex);
  return regexes.length - 1;
}

export function release(handle: i32): void {
  if (handle >= 0 && handle < regexes.length) regexes[handle] = null;
}

export function groupCount(handle: i32): i32 {
  if (handle < 0 || handle >= regexes.length || regexes[handle] == null) return -1;
  return regexes[handle]!.groups;
}

/** 1 if the n bytes in buffer 1 match, 0 if not, -1 for a bad handle. */
export function isMatch(handle: i32, n: i32): i32 {
  if (handle < 0 || handle >= regexes.length || regexes[handle] == null) return -1;
  return regexes[handle]!.isMatchBytes(buffers[1].dataStart, n) ? 1 : 0;
}

/** The bytes isMatch requires before running the DFA (reqbytes.ts) into out(); -1 when none, -2 bad handle. */
export function requiredBytes(handle: i32): i32 {
  if (handle < 0 || handle >= regexes.length || regexes[handle] == null) return -2;
  const t = regexes[handle]!.requiredBytes;
  if (t === null) return -1;
  let n = 0;
  for (let b = 0; b < 256; b++) if (t[b] != 0) n++;
  const o = new Uint8Array(n);
  n = 0;
  for (let b = 0; b < 256; b++) if (t[b] != 0) o[n++] = <u8>b;
  outBytes = o;
  return n;
}

/** isMatch by the Pike VM only (no DFA): what tests compare the DFA against. */
export function isMatchSlow(handle: i32, n: i32): i32 {
  if (handle < 0 || handle >= regexes.length || regexes[handle] == null) return -1;
  return regexes[handle]!.isMatchBytesSlow(buffers[1].dataStart, n) ? 1 : 0;
}

/**
 * The required literals of a bytes-mode pattern (prefilter.ts) into out(): each literal's length as one
 * byte, then its bytes. Returns how many there are, -1 when none are known, -2 for a bad handle.
 */
export function literals(handle: i32): i32 {
  if (handle < 0 || handle >= regexes.length || regexes[handle] == null) return -2;
  const lits = regexLiterals(regexes[handle]!);
  if (lits === null) {
    outBytes = new Uint8Array(0);
    return -1;
  }
  let total = 0;
  for (let i = 0; i < lits.length; i++) total += 1 + lits[i].length;
  const o = new Uint8Array(total);
  let at = 0;
  for (let i = 0; i < lits.length; i++) {
    const s = lits[i];
    o[at++] = <u8>s.length;
    for (let k = 0; k < s.length; k++) o[at++] = <u8>s.charCodeAt(k);
  }
  outBytes = o;
  return lits.length;
}

/** Leftmost-first match with all groups; slots() then holds 2 positions per group (group 0 first). */
export function captures(handle: i32, n: i32, start: i32): i32 {
  if (handle < 0 || handle >= regexes.length || regexes[handle] == null) return -1;
  const re = regexes[handle]!;
  const ok = re.capturesBytes(buffers[1].dataStart, n, start);
  outSlots = re.slots;
  return ok ? 1 : 0;
}

/** Global replace of buffer 1 (n bytes) with the rewrite in buffer 2; result in out(). -1 on error. */
export function replace(handle: i32, n: i32, rewriteLen: i32): i32 {
  if (handle < 0 || handle >= regexes.length || regexes[handle] == null) return -1;
  const rw = String.UTF8.decodeUnsafe(buffers[2].dataStart, rewriteLen);
  const res = replaceAllBytes(regexes[handle]!, buffers[1].dataStart, n, rw);
  if (res.output == null) {
    setOut(res.error);
    return -1;
  }
  outBytes = res.output!;
  return res.count;
}

export function setCreate(flagLen: i32): i32 {
  const flags = parseFlags(String.UTF8.decodeUnsafe(buffers[2].dataStart, flagLen));
  if (flags < 0) {
    setOut('unknown flag (allowed: i m s U b)');
    return -1;
  }
  sets.push(new RegexSet(flags));
  return sets.length - 1;
}

/** Adds the n-byte pattern in buffer 0 to a set; its index, or -1 with the reason in out(). */
export function setAdd(set: i32, n: i32): i32 {
  if (set < 0 || set >= sets.length || sets[set] == null) return -1;
  const pattern = patternText(n);
  if (pattern == null) {
    setOut('invalid UTF-8 in pattern at offset 0');
    return -1;
  }
  const s = sets[set]!;
  const i = s.add(pattern);
  if (i < 0) setOut(s.error);
  return i;
}

export function setBuild(set: i32): i32 {
  if (set < 0 || set >= sets.length || sets[set] == null) return -1;
  const s = sets[set]!;
  if (!s.build()) {
    setOut(s.error);
    return -1;
  }
  return 0;
}

/** Matches buffer 1 against a built set; out() holds one byte (0/1) per pattern. */
export function setMatch(set: i32, n: i32): i32 {
  if (set < 0 || set >= sets.length || sets[set] == null) return -1;
  const s = sets[set]!;
  const count = s.matchBytes(buffers[1].dataStart, n);
  if (count < 0) return -1;
  const bytes = new Uint8Array(s.size);
  for (let i = 0; i < s.size; i++) bytes[i] = s.matched[i] ? 1 : 0;
  outBytes = bytes;
  return count;
}

export function setRelease(set: i32): void {
  if (set >= 0 && set < sets.length) sets[set] = null;
}

export function stepCount(): i64 {
  return steps();
}

export function resetStepCount(): void {
  resetSteps();
}

/**
 * Bytes in use in the heap (TLSF blocks not free, headers included), for the memory benchmark and
 * test: linear memory itself grows in doublings, too coarse to compare builds. Walks the block list
 * of AssemblyScript 0.27's TLSF from its fixed layout after the root (32-bit: root is 1572 bytes).
 */
export function heapUsed(): i32 {
  const rootSize: usize = 1572;
  const root = (__heap_base + 15) & ~15;
  const end = usize(memory.size()) << 16;
  let p = ((root + rootSize + 4 + 15) & ~15) - 4;
  let used = 0;
  while (p + 4 <= end) {
    const info = load<u32>(p);
    const size = info & ~3;
    if (size == 0) break; // the zero-length tail block
    if ((info & 1) == 0) used += i32(size) + 4;
    p += 4 + size;
  }
  return used;
}

/**
 * Benchmark loop kept inside the module (a call from JS per match would dominate short values): runs
 * isMatch of every live handle below `count` on the n bytes in buffer 1, `reps` times; returns matches.
 */
export function isMatchAll(count: i32, n: i32, reps: i32): i32 {
  const p = buffers[1].dataStart;
  const end = min(count, regexes.length);
  let hits = 0;
  for (let r = 0; r < reps; r++) {
    for (let h = 0; h < end; h++) {
      const re = unchecked(regexes[h]);
      if (re !== null && re.isMatchBytes(p, n)) hits++;
    }
  }
  return hits;
}
