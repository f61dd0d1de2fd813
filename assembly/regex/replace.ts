// RE2::GlobalReplace semantics: every non-overlapping match is replaced by the rewrite string, where
// \0..\9 insert a group (empty if it did not take part) and \\ is a backslash (Istio uriRegexRewrite).
import { Regex } from './regex';

export class ReplaceResult {
  /** Output bytes; null when the rewrite string is invalid. */
  output: Uint8Array | null = null;
  error: string = '';
  /** Number of replacements made. */
  count: i32 = 0;
}

/** Checks a rewrite string against a regex; returns "" when valid, else the reason. */
export function checkRewrite(re: Regex, rewrite: string): string {
  for (let i = 0; i < rewrite.length; i++) {
    if (rewrite.charCodeAt(i) != 0x5c) continue;
    if (i + 1 >= rewrite.length) return 'invalid rewrite pattern: trailing \\';
    const c = rewrite.charCodeAt(++i);
    if (c == 0x5c) continue;
    if (c < 0x30 || c > 0x39) return 'invalid rewrite pattern: \\' + String.fromCharCode(c);
    const n = c - 0x30;
    if (n > re.groups) {
      return 'rewrite uses \\' + n.toString() + ' but the pattern has only ' + re.groups.toString() + ' groups';
    }
  }
  return '';
}

class ByteSink {
  buf: Uint8Array = new Uint8Array(64);
  len: i32 = 0;

  reserve(extra: i32): void {
    if (this.len + extra <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < this.len + extra) cap *= 2;
    const nb = new Uint8Array(cap);
    memory.copy(nb.dataStart, this.buf.dataStart, this.len);
    this.buf = nb;
  }

  append(ptr: usize, n: i32): void {
    if (n <= 0) return;
    this.reserve(n);
    memory.copy(this.buf.dataStart + this.len, ptr, n);
    this.len += n;
  }

  finish(): Uint8Array {
    return this.buf.slice(0, this.len);
  }
}

/** Replaces every match in len bytes at ptr. */
export function replaceAllBytes(re: Regex, ptr: usize, len: i32, rewrite: string): ReplaceResult {
  const res = new ReplaceResult();
  const bad = checkRewrite(re, rewrite);
  if (bad.length > 0) {
    res.error = bad;
    return res;
  }
  const rw = String.UTF8.encode(rewrite);
  const rwPtr = changetype<usize>(rw);
  const rwLen = rw.byteLength;
  const out = new ByteSink();
  const slots = re.slots;
  const latin1 = (re.flags & 16) != 0;
  let p = 0;
  let lastEnd = -1;
  while (p <= len) {
    if (!re.capturesBytes(ptr, len, p)) break;
    const ms = slots[0];
    const me = slots[1];
    out.append(ptr + p, ms - p);
    if (ms == lastEnd && ms == me) {
      // An empty match right after the previous match is skipped: copy one character and move on.
      let step = 1;
      if (!latin1 && p < len) step = utf8Width(ptr, len, p);
      if (p < len) out.append(ptr + p, step);
      p += step;
      continue;
    }
    for (let i = 0; i < rwLen; i++) {
      const b = load<u8>(rwPtr + i);
      if (b == 0x5c && i + 1 < rwLen) {
        const d = i32(load<u8>(rwPtr + i + 1));
        i++;
        if (d == 0x5c) {
          out.append(rwPtr + i, 1);
          continue;
        }
        const g = d - 0x30;
        const s = slots[2 * g];
        const e = slots[2 * g + 1];
        if (s >= 0 && e >= s) out.append(ptr + s, e - s);
        continue;
      }
      out.append(rwPtr + i, 1);
    }
    p = me;
    lastEnd = me;
    res.count++;
  }
  if (res.count == 0) {
    const copy = new Uint8Array(len);
    memory.copy(copy.dataStart, ptr, len);
    res.output = copy;
    return res;
  }
  if (p < len) out.append(ptr + p, len - p);
  res.output = out.finish();
  return res;
}

/** Width of the well-formed UTF-8 sequence at pos, or 1 for an invalid byte. */
function utf8Width(ptr: usize, len: i32, pos: i32): i32 {
  const b = load<u8>(ptr + pos);
  let n = b < 0x80 ? 1 : b >= 0xc2 && b < 0xe0 ? 2 : b >= 0xe0 && b < 0xf0 ? 3 : b >= 0xf0 && b < 0xf5 ? 4 : 1;
  if (pos + n > len) return 1;
  for (let i = 1; i < n; i++) if ((load<u8>(ptr + pos + i) & 0xc0) != 0x80) return 1;
  return n;
}

export function replaceAll(re: Regex, input: string, rewrite: string): ReplaceResult {
  const buf = String.UTF8.encode(input);
  return replaceAllBytes(re, changetype<usize>(buf), buf.byteLength, rewrite);
}
