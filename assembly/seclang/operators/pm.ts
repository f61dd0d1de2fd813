// @pm (phrases in the parameter, separated by spaces) and @pmFromFile / @pmf (one phrase per line of a data
// file, `#` comment lines and blank lines skipped, each line trimmed): ASCII case-insensitive Aho-Corasick.
// With `capture`, TX.0 gets the leftmost-longest occurrence as it appears in the input.
// Parameters and files are text; their phrases are their UTF-8 bytes, encoded into a scratch block that is
// freed at once (no garbage left while the CRS loads: see ahocorasick.ts).
import { Bytes, Captures, DataFiles, Operator, OperatorResult } from '../types';
import { AhoCorasick } from '../ahocorasick';

export class Pm extends Operator {
  constructor(public ac: AhoCorasick) {
    super();
  }
  matches(value: Bytes, expanded: string | null, caps: Captures | null): bool {
    const ac = this.ac;
    if (caps == null) return ac.matchesPtr(value.dataStart, value.length);
    if (!ac.find(value)) return false;
    caps.set(0, value.slice(ac.matchStart, ac.matchEnd));
    return true;
  }
}

@inline function isBlank(c: u32): bool {
  return c == 0x20 || (c >= 0x09 && c <= 0x0d);
}

/** Calls `each(ac, ptr, len)` on the UTF-8 bytes of `text` in a scratch block, then frees the block. */
function withUtf8(ac: AhoCorasick, text: string, each: (ac: AhoCorasick, p: usize, n: i32) => void): void {
  const n = String.UTF8.byteLength(text);
  if (n == 0) return;
  const buf = heap.alloc(<usize>n);
  String.UTF8.encodeUnsafe(changetype<usize>(text), text.length, buf);
  ac.reserve(n);
  each(ac, buf, n);
  heap.free(buf);
}

/** Adds each run of non-blank bytes as a phrase. */
function addWords(ac: AhoCorasick, p: usize, n: i32): void {
  let i = 0;
  while (i < n) {
    while (i < n && isBlank(load<u8>(p + <usize>i))) i++;
    const s = i;
    while (i < n && !isBlank(load<u8>(p + <usize>i))) i++;
    if (i > s) ac.addPtr(p + <usize>s, i - s);
  }
}

/** Adds each line, trimmed, as a phrase; blank lines and lines starting with `#` are skipped. */
function addLinesAt(ac: AhoCorasick, p: usize, n: i32): void {
  let i = 0;
  while (i < n) {
    let e = i;
    while (e < n && load<u8>(p + <usize>e) != 0x0a) e++;
    let s = i;
    let t = e;
    while (s < t && isBlank(load<u8>(p + <usize>s))) s++;
    while (t > s && isBlank(load<u8>(p + <usize>(t - 1)))) t--;
    if (t > s && load<u8>(p + <usize>s) != 0x23) ac.addPtr(p + <usize>s, t - s);
    i = e + 1;
  }
}

/** The phrases of a data file's text (see addLinesAt). */
export function addLines(ac: AhoCorasick, text: string): void {
  withUtf8(ac, text, addLinesAt);
}

export function compilePm(param: string): OperatorResult {
  const ac = new AhoCorasick();
  withUtf8(ac, param, addWords);
  ac.build();
  if (ac.phrases == 0) return OperatorResult.fail('@pm needs at least one phrase');
  return OperatorResult.ok(new Pm(ac));
}

export function compilePmFromFile(param: string, files: DataFiles): OperatorResult {
  const ac = new AhoCorasick();
  // Several files may be listed, separated by spaces (ModSecurity allows it).
  const names = param.split(' ');
  let any = false;
  for (let i = 0; i < names.length; i++) {
    const name = names[i].trim();
    if (name.length == 0) continue;
    any = true;
    const text = files.get(name);
    if (text == null) {
      ac.discard();
      return OperatorResult.fail('@pmFromFile: data file not found: ' + name);
    }
    addLines(ac, text);
  }
  ac.build();
  if (!any) return OperatorResult.fail('@pmFromFile needs a file name');
  if (ac.phrases == 0) return OperatorResult.fail('@pmFromFile: no phrases in ' + param.trim());
  return OperatorResult.ok(new Pm(ac));
}
