// @rx: assembly/regex (RE2 syntax, linear time) in bytes mode with `s` (DOTALL).
// Why bytes mode: ModSecurity compiles with PCRE in byte mode (no PCRE_UTF8), and the CRS relies on it:
// rules 942xxx match UTF-8 quote look-alikes byte by byte (`\x{c2}\x{b4}|\x{e2}\x80[\x98\x99]`), 941xxx
// the half-width brackets `\x{bc}`/`\x{be}`; Coraza switches those patterns to a binary regexp too. In
// UTF-8 mode `\x{c2}` would mean U+00C2 and never match those bytes, and invalid UTF-8 (common in
// attacks) would match nothing. DOTALL and "$ only at the very end" (DOLLAR_ENDONLY) are ModSecurity's
// flags; our `$` without `m` already matches only at the end.
// Non-ASCII characters in the parameter stand for their UTF-8 bytes (the rule file's bytes), so they are
// rewritten as `\x{hh}` escapes before compiling.
import { Bytes, Captures, Operator, OperatorResult, needsExpansion } from '../types';
import { Regex, LATIN1, parseFlags } from '../../regex/index';
import { Out } from '../transforms/util';

const HEX = '0123456789abcdef';

function pushStr(o: Out, s: string): void {
  for (let i = 0; i < s.length; i++) o.push(s.charCodeAt(i));
}

/** The pattern with every non-ASCII character replaced by `\x{hh}` escapes of its UTF-8 bytes. */
export function bytePattern(p: string): string {
  let ascii = true;
  for (let i = 0; i < p.length; i++) if (p.charCodeAt(i) >= 0x80) { ascii = false; break; }
  if (ascii) return p;
  const b = String.UTF8.encode(p);
  const v = Uint8Array.wrap(b);
  const o = new Out(v.length * 2);
  let quoted = false; // inside \Q...\E an escape would be literal text: close the quote around it
  for (let i = 0; i < v.length; i++) {
    const c = u32(v[i]);
    if (c == 0x5c && i + 1 < v.length && (v[i + 1] == 0x51 || v[i + 1] == 0x45)) {
      quoted = v[i + 1] == 0x51;
      o.push(c);
      o.push(v[i + 1]);
      i++;
      continue;
    }
    if (c == 0x5c && !quoted && i + 1 < v.length && v[i + 1] < 0x80) {
      o.push(c);
      o.push(v[i + 1]);
      i++;
      continue;
    }
    if (c < 0x80) {
      o.push(c);
      continue;
    }
    if (quoted) pushStr(o, '\\E');
    pushStr(o, '\\x{');
    o.push(HEX.charCodeAt(c >> 4));
    o.push(HEX.charCodeAt(c & 15));
    o.push(0x7d);
    if (quoted) pushStr(o, '\\Q');
  }
  // Every byte written is ASCII, so decoding is one copy (a `+=` per byte was quadratic in the pattern).
  const r = o.bytes();
  return String.UTF8.decodeUnsafe(r.dataStart, <usize>r.length);
}

export class Rx extends Operator {
  constructor(readonly re: Regex) {
    super();
  }
  matches(value: Bytes, expanded: string | null, caps: Captures | null): bool {
    const re = this.re;
    if (caps == null) return re.isMatchBytes(value.dataStart, value.length);
    if (!re.capturesBytes(value.dataStart, value.length)) return false;
    const slots = re.slots;
    const n = min(re.groups + 1, 10);
    for (let i = 0; i < n; i++) {
      const s = slots[2 * i];
      const e = slots[2 * i + 1];
      caps.set(i, s >= 0 ? value.slice(s, e) : new Uint8Array(0));
    }
    return true;
  }
}

const FLAGS: i32 = parseFlags('s') | LATIN1;

export function compileRx(param: string): OperatorResult {
  if (needsExpansion(param)) return OperatorResult.fail('@rx does not support macros (%{...}) in its pattern');
  const res = Regex.compile(bytePattern(param), FLAGS);
  const re = res.regex;
  if (re == null) return OperatorResult.fail('@rx: invalid pattern: ' + res.error);
  return OperatorResult.ok(new Rx(re));
}
