// normalizePath / normalizePathWin (Coraza v3.8's reading, which is Go's path cleaning): repeated `/` are
// merged, `.` segments removed, `..` removes the previous segment (at the root it is dropped: `/../x` is
// `/x`; in a relative path that cannot back up it is kept); a trailing `/` is kept; a path that cleans to
// nothing is empty. The Windows variant first turns `\` into `/`, then strips NTFS alternate data streams
// (`file.asp::$DATA`) and trailing dots and spaces of each segment (`x.asp. .` is `x.asp`).
import { Bytes } from '../types';
import { take } from './util';

/** Go's path.Clean on bytes; "." for an empty result. */
function clean(p: Bytes): Bytes {
  const n = p.length;
  if (n == 0) return Uint8Array.wrap(String.UTF8.encode('.'));
  const rooted = p[0] == 0x2f;
  const out = new Uint8Array(n + 1);
  let w = 0;
  let r = 0;
  let dotdot = 0;
  if (rooted) {
    out[w++] = 0x2f;
    r = 1;
    dotdot = 1;
  }
  while (r < n) {
    const c = p[r];
    if (c == 0x2f) {
      r++;
    } else if (c == 0x2e && (r + 1 == n || p[r + 1] == 0x2f)) {
      r++;
    } else if (c == 0x2e && p[r + 1] == 0x2e && (r + 2 == n || p[r + 2] == 0x2f)) {
      r += 2;
      if (w > dotdot) {
        w--;
        while (w > dotdot && out[w] != 0x2f) w--;
      } else if (!rooted) {
        if (w > 0) out[w++] = 0x2f;
        out[w++] = 0x2e;
        out[w++] = 0x2e;
        dotdot = w;
      }
    } else {
      if ((rooted && w != 1) || (!rooted && w != 0)) out[w++] = 0x2f;
      while (r < n && p[r] != 0x2f) out[w++] = p[r++];
    }
  }
  if (w == 0) {
    out[w++] = 0x2e;
  }
  return take(out, w);
}

function isDot(b: Bytes): bool {
  return b.length == 1 && b[0] == 0x2e;
}

function normalize(data: Bytes): Bytes {
  if (data.length == 0) return data;
  const c = clean(data);
  if (isDot(c)) return new Uint8Array(0);
  // Keep a trailing slash (but "/" stays "/": Coraza would make it "//").
  if (data[data.length - 1] == 0x2f && !(c.length == 1 && c[0] == 0x2f)) {
    const out = new Uint8Array(c.length + 1);
    out.set(c);
    out[c.length] = 0x2f;
    return out;
  }
  return c;
}

function same(a: Bytes, b: Bytes): bool {
  return a.length == b.length && memory.compare(a.dataStart, b.dataStart, a.length) == 0;
}

/**
 * True when cleaning cannot change `p` (most values: no `/` at all, or an ordinary path), decided in one
 * pass without allocating: no empty segment except a leading (root) or trailing one, no `.` or `..`
 * segment; for the Windows variant also no `\`, no `:` (drive or stream) and no segment ending in `.` or
 * a space.
 */
function alreadyClean(p: Bytes, win: bool): bool {
  const n = p.length;
  const d = p.dataStart;
  let start = 0;
  for (let i = 0; i <= n; i++) {
    const c: u32 = i < n ? <u32>load<u8>(d + <usize>i) : 0x2f;
    if (win && (c == 0x5c || c == 0x3a)) return false;
    if (c != 0x2f) continue;
    const len = i - start;
    if (len == 0) {
      // Empty: allowed first (rooted) or last (trailing slash) only.
      if (start != 0 && i != n) return false;
    } else {
      const last = <u32>load<u8>(d + <usize>(i - 1));
      if (last == 0x2e) {
        if (win || (len <= 2 && (len == 1 || load<u8>(d + <usize>start) == 0x2e))) return false;
      } else if (win && last == 0x20) return false;
    }
    start = i + 1;
  }
  return true;
}

export function normalizePath(input: Bytes): Bytes {
  if (input.length == 0 || alreadyClean(input, false)) return input;
  const r = normalize(input);
  return same(r, input) ? input : r;
}

/** normalizePath without the shortcut (what the shortcut is tested against). */
export function normalizePathFull(input: Bytes): Bytes {
  const r = normalize(input);
  return same(r, input) ? input : r;
}

function isAllDots(b: Bytes, s: i32, e: i32): bool {
  for (let i = s; i < e; i++) if (b[i] != 0x2e) return false;
  return true;
}

/** Removes an alternate data stream suffix (`:stream`) from the last segment; keeps a `C:` drive. */
function stripAds(d: Bytes): Bytes {
  let start = 0;
  if (d.length >= 2 && d[1] == 0x3a && ((d[0] | 0x20) >= 0x61 && (d[0] | 0x20) <= 0x7a)) start = 2;
  let end = d.length;
  const trailing = end > start && d[end - 1] == 0x2f;
  if (trailing) end--;
  let seg = start;
  for (let i = end - 1; i >= start; i--) {
    if (d[i] == 0x2f) {
      seg = i + 1;
      break;
    }
  }
  let colon = -1;
  for (let i = seg; i < end; i++) {
    if (d[i] == 0x3a) {
      colon = i;
      break;
    }
  }
  if (colon < 0) return d;
  const out = new Uint8Array(colon + (trailing ? 1 : 0));
  out.set(d.subarray(0, colon));
  if (trailing) out[colon] = 0x2f;
  return out;
}

/** Trims trailing dots and spaces from each segment that is not all dots; segments left empty vanish. */
function stripTrailingDotsSpaces(d: Bytes): Bytes {
  const n = d.length;
  const out = new Uint8Array(n);
  let o = 0;
  let wrote = false;
  let start = 0;
  for (let i = 0; i <= n; i++) {
    if (i != n && d[i] != 0x2f) continue;
    let s = start;
    let e = i;
    start = i + 1;
    if (!isAllDots(d, s, e)) {
      while (e > s && (d[e - 1] == 0x2e || d[e - 1] == 0x20)) e--;
      if (e == s) continue;
    }
    if (wrote) out[o++] = 0x2f;
    for (let k = s; k < e; k++) out[o++] = d[k];
    wrote = true;
  }
  return take(out, o);
}

export function normalizePathWin(input: Bytes): Bytes {
  if (input.length == 0 || alreadyClean(input, true)) return input;
  return normalizePathWinFull(input);
}

/** normalizePathWin without the shortcut (what the shortcut is tested against). */
export function normalizePathWinFull(input: Bytes): Bytes {
  if (input.length == 0) return input;
  const slashed = input.slice(0);
  for (let i = 0; i < slashed.length; i++) if (slashed[i] == 0x5c) slashed[i] = 0x2f;
  const r = stripTrailingDotsSpaces(stripAds(normalize(slashed)));
  return same(r, input) ? input : r;
}
