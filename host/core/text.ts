// UTF-8 helpers tuned for short header-sized strings: a plain loop beats TextDecoder for those.
const decoder = new TextDecoder('utf-8', { fatal: false });
const encoder = new TextEncoder();

export function decodeUtf8(bytes: Uint8Array, start = 0, end = bytes.length): string {
  if (end - start <= 64) {
    let s = '';
    for (let i = start; i < end; i++) {
      const c = bytes[i]!;
      if (c >= 0x80) return decoder.decode(bytes.subarray(start, end));
      s += String.fromCharCode(c);
    }
    return s;
  }
  return decoder.decode(bytes.subarray(start, end));
}

export function encodeUtf8(s: string): Uint8Array {
  return encoder.encode(s);
}

// Long header values (tokens, cookies) are read by plugins request after request; V8 keeps a string's hash,
// so a lookup here costs far less than encoding again. Callers must not modify the returned bytes.
const encodedCache = new Map<string, Uint8Array>();
const CACHE_MIN_LENGTH = 64;
const CACHE_ENTRIES = 512;

/** `encodeUtf8` for values handed to a guest read-only (copied into its memory), memoized when long. */
export function encodeUtf8Shared(s: string): Uint8Array {
  if (s.length < CACHE_MIN_LENGTH) return encoder.encode(s);
  let b = encodedCache.get(s);
  if (b === undefined) {
    if (encodedCache.size >= CACHE_ENTRIES) encodedCache.clear();
    b = encoder.encode(s);
    encodedCache.set(s, b);
  }
  return b;
}

export function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff) { n += 4; i++; }
    else n += 3;
  }
  return n;
}
