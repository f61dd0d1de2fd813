// @pm (phrases in the parameter, separated by spaces) and @pmFromFile / @pmf (one phrase per line of a data
// file, `#` comment lines and blank lines skipped, each line trimmed): ASCII case-insensitive Aho-Corasick.
// With `capture`, TX.0 gets the leftmost-longest occurrence as it appears in the input.
import { Bytes, Captures, DataFiles, Operator, OperatorResult } from '../types';
import { AhoCorasick } from '../ahocorasick';
import { paramBytes } from './util';

class Pm extends Operator {
  constructor(private ac: AhoCorasick) {
    super();
  }
  matches(value: Bytes, expanded: string | null, caps: Captures | null): bool {
    const ac = this.ac;
    if (caps == null) return ac.matches(value);
    if (!ac.find(value)) return false;
    caps.set(0, value.slice(ac.matchStart, ac.matchEnd));
    return true;
  }
}

function isBlank(c: u32): bool {
  return c == 0x20 || c == 0x09 || c == 0x0a || c == 0x0d || c == 0x0b || c == 0x0c;
}

/** Adds each run of non-blank bytes of `b[from, to)` as a phrase. */
function addWords(ac: AhoCorasick, b: Bytes, from: i32, to: i32): void {
  let i = from;
  while (i < to) {
    while (i < to && isBlank(b[i])) i++;
    const s = i;
    while (i < to && !isBlank(b[i])) i++;
    if (i > s) ac.add(b.subarray(s, i));
  }
}

export function compilePm(param: string): OperatorResult {
  const ac = new AhoCorasick();
  const b = paramBytes(param);
  addWords(ac, b, 0, b.length);
  if (ac.phrases == 0) return OperatorResult.fail('@pm needs at least one phrase');
  ac.build();
  return OperatorResult.ok(new Pm(ac));
}

/** Phrases of a data file: each line trimmed; blank lines and lines starting with `#` skipped. */
export function addLines(ac: AhoCorasick, text: string): void {
  const b = paramBytes(text);
  let i = 0;
  const n = b.length;
  while (i < n) {
    let e = i;
    while (e < n && b[e] != 0x0a) e++;
    let s = i;
    let t = e;
    while (s < t && isBlank(b[s])) s++;
    while (t > s && isBlank(b[t - 1])) t--;
    if (t > s && b[s] != 0x23) ac.add(b.subarray(s, t));
    i = e + 1;
  }
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
    if (text == null) return OperatorResult.fail('@pmFromFile: data file not found: ' + name);
    addLines(ac, text);
  }
  if (!any) return OperatorResult.fail('@pmFromFile needs a file name');
  if (ac.phrases == 0) return OperatorResult.fail('@pmFromFile: no phrases in ' + param.trim());
  ac.build();
  return OperatorResult.ok(new Pm(ac));
}
