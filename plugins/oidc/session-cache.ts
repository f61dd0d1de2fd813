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

/** Bytes of the cookie's end that pick its slot: they encode the AES-GCM tag, which differs per session. */
const HASHED_TAIL: i32 = 32;

/**
 * FNV-1a over the last 32 bytes (4 at a time) and the length: spreads cookies over slots without walking
 * the whole kilobyte on every request. Not a security boundary (the full compare is).
 */
export function cookieHash(ptr: usize, len: i32): u32 {
  let h: u32 = 0x811c9dc5 ^ <u32>len;
  let i = len > HASHED_TAIL ? len - HASHED_TAIL : 0;
  for (; i + 4 <= len; i += 4) h = (h ^ load<u32>(ptr + <usize>i)) * 0x01000193;
  for (; i < len; i++) h = (h ^ <u32>load<u8>(ptr + <usize>i)) * 0x01000193;
  return h;
}

/** Equal bytes, in time that depends only on the length (16 bytes per step). */
function sameBytes(a: usize, b: usize, len: i32): bool {
  let diff = i64x2.splat(0);
  let i = 0;
  for (; i + 16 <= len; i += 16) diff = v128.or(diff, v128.xor(v128.load(a + <usize>i), v128.load(b + <usize>i)));
  let tail: u32 = 0;
  for (; i < len; i++) tail |= <u32>(load<u8>(a + <usize>i) ^ load<u8>(b + <usize>i));
  return !v128.any_true(diff) && tail == 0;
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
