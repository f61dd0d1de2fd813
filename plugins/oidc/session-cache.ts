// Sessions already opened, keyed by their exact cookie bytes: a browser sends the same cookie on every
// request, so after the first one the AES-GCM open (and base64 decode) is skipped. Safe because an entry
// is only ever created from a cookie that authenticated, and a hit needs the whole cookie to be
// byte-identical (compared in constant time, so the comparison leaks nothing about a cached cookie).
// Direct-mapped and bounded: a miss just decrypts again.
import { SessionView } from "./session";

const SLOTS: i32 = 256;
/** Larger sessions (several cookies) are not cached: bounds the cache to ~2 MB. */
export const MAX_CACHED_BYTES: i32 = 4096;

class Entry {
  constructor(public hash: u32, public key: Uint8Array, public view: SessionView) {}
}

/** FNV-1a over 4-byte words: spreads cookies over slots; not a security boundary (the full compare is). */
export function cookieHash(ptr: usize, len: i32): u32 {
  let h: u32 = 0x811c9dc5 ^ <u32>len;
  let i = 0;
  for (; i + 4 <= len; i += 4) h = (h ^ load<u32>(ptr + <usize>i)) * 0x01000193;
  for (; i < len; i++) h = (h ^ <u32>load<u8>(ptr + <usize>i)) * 0x01000193;
  return h;
}

/** Equal bytes, in time that depends only on the length (8 bytes per step). */
function sameBytes(a: usize, b: usize, len: i32): bool {
  let diff: u64 = 0;
  let i = 0;
  for (; i + 8 <= len; i += 8) diff |= load<u64>(a + <usize>i) ^ load<u64>(b + <usize>i);
  for (; i < len; i++) diff |= <u64>(load<u8>(a + <usize>i) ^ load<u8>(b + <usize>i));
  return diff == 0;
}

export class SessionCache {
  private slots: StaticArray<Entry | null> = new StaticArray<Entry | null>(SLOTS);

  get(ptr: usize, len: i32, hash: u32): SessionView | null {
    const e = unchecked(this.slots[<i32>(hash & <u32>(SLOTS - 1))]);
    if (e === null || e.hash != hash || e.key.length != len) return null;
    return sameBytes(e.key.dataStart, ptr, len) ? e.view : null;
  }

  put(ptr: usize, len: i32, hash: u32, view: SessionView): void {
    if (len > MAX_CACHED_BYTES) return;
    const key = new Uint8Array(len);
    memory.copy(key.dataStart, ptr, <usize>len);
    unchecked(this.slots[<i32>(hash & <u32>(SLOTS - 1))] = new Entry(hash, key, view));
  }
}
