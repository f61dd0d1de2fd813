// The Proxy-Wasm "pairs" serialization (fact sheet §2.1): u32 count, count × (key_len, value_len), then each
// key and value followed by a NUL byte. Used for header maps, local-reply headers, callouts and properties.
import { decodeUtf8, encodeUtf8 } from './text.ts';

export type Pairs = [string, string][];

export function encodePairs(pairs: ReadonlyArray<readonly [string | Uint8Array, string | Uint8Array]>): Uint8Array {
  const enc = pairs.map(([k, v]) => [typeof k === 'string' ? encodeUtf8(k) : k, typeof v === 'string' ? encodeUtf8(v) : v] as const);
  let size = 4 + 8 * enc.length;
  for (const [k, v] of enc) size += k.length + v.length + 2;
  const out = new Uint8Array(size);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, enc.length, true);
  let p = 4;
  for (const [k, v] of enc) {
    dv.setUint32(p, k.length, true);
    dv.setUint32(p + 4, v.length, true);
    p += 8;
  }
  for (const [k, v] of enc) {
    out.set(k, p); p += k.length + 1;
    out.set(v, p); p += v.length + 1;
  }
  return out;
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
