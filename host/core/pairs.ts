// The Proxy-Wasm "pairs" serialization (fact sheet §2.1): u32 count, count × (key_len, value_len), then each
// key and value followed by a NUL byte. Used for header maps, local-reply headers, callouts and properties.
import { decodeUtf8, encodeUtf8, isAscii, writeLatin1 } from './text.ts';

export type Pairs = [string, string][];

type PairInput = ReadonlyArray<readonly [string | Uint8Array, string | Uint8Array]>;

/**
 * A map measured for writing: its serialized size and how to write it. When every key and value is an ASCII
 * string (nearly always) they are joined with their NULs into one string, written by one native call;
 * otherwise each string is encoded to bytes.
 */
export interface PairsPlan {
  readonly pairs: PairInput;
  readonly size: number;
  readonly joined: string | null;
  readonly parts: Uint8Array[] | null;
}

export function planPairs(pairs: PairInput): PairsPlan {
  const n = pairs.length;
  let all = '';
  let strings = true;
  for (let i = 0; i < n && strings; i++) {
    const e = pairs[i]!;
    const k = e[0];
    const v = e[1];
    if (typeof k !== 'string' || typeof v !== 'string') strings = false;
    else all += k + '\0' + v + '\0';
  }
  if (strings && isAscii(all)) return { pairs, size: 4 + 8 * n + all.length, joined: all, parts: null };
  const parts = new Array<Uint8Array>(2 * n);
  let size = 4 + 8 * n;
  for (let i = 0; i < 2 * n; i++) {
    const x = pairs[i >> 1]![i & 1]!;
    const b = typeof x === 'string' ? encodeUtf8(x) : x;
    parts[i] = b;
    size += b.length + 1;
  }
  return { pairs, size, joined: null, parts };
}

/** Writes a planned map at `out[at]`, every one of its bytes (guest memory is not zeroed). */
export function writePairs(plan: PairsPlan, out: Uint8Array, at: number): void {
  const { pairs, joined, parts } = plan;
  const n = pairs.length;
  writeU32(out, at, n);
  let p = at + 4 + 8 * n;
  if (joined !== null) {
    for (let i = 0; i < n; i++) {
      const e = pairs[i]!;
      writeU32(out, at + 4 + 8 * i, (e[0] as string).length);
      writeU32(out, at + 8 + 8 * i, (e[1] as string).length);
    }
    writeLatin1(joined, out, p);
    return;
  }
  for (let i = 0; i < 2 * n; i++) {
    const b = parts![i]!;
    writeU32(out, at + 4 + 4 * i, b.length);
    out.set(b, p);
    p += b.length;
    out[p++] = 0;
  }
}

export function encodePairs(pairs: PairInput): Uint8Array {
  const plan = planPairs(pairs);
  const out = new Uint8Array(plan.size);
  writePairs(plan, out, 0);
  return out;
}

function writeU32(out: Uint8Array, at: number, v: number): void {
  out[at] = v;
  out[at + 1] = v >>> 8;
  out[at + 2] = v >>> 16;
  out[at + 3] = v >>> 24;
}

/**
 * Parses pairs sent by a guest with the host library's strict rules: over 1 MiB, more than 1024 pairs, or
 * any misplaced terminator makes the whole map empty (returned as null so callers can tell).
 */
export function decodePairs(buf: Uint8Array): Pairs | null {
  if (buf.length === 0) return [];
  if (buf.length > 1 << 20 || buf.length < 4) return null;
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const n = dv.getUint32(0, true);
  if (n > 1024 || 4 + 8 * n > buf.length) return null;
  let p = 4 + 8 * n;
  const out: Pairs = [];
  for (let i = 0; i < n; i++) {
    const kl = dv.getUint32(4 + 8 * i, true);
    const vl = dv.getUint32(8 + 8 * i, true);
    if (p + kl + vl + 2 > buf.length || buf[p + kl] !== 0 || buf[p + kl + 1 + vl] !== 0) return null;
    const k = decodeUtf8(buf, p, p + kl);
    p += kl + 1;
    const v = decodeUtf8(buf, p, p + vl);
    p += vl + 1;
    out.push([k, v]);
  }
  return p === buf.length ? out : null;
}
