// UTF-8 helpers tuned for header-sized strings: a plain loop for a few bytes, Node's native UTF-8 slice
// (about 2× faster than TextDecoder for a kilobyte cookie or token) for the rest.
const decoder = new TextDecoder('utf-8', { fatal: false });
const encoder = new TextEncoder();
// Node's Buffer decoder works on any Uint8Array and replaces malformed sequences exactly as TextDecoder
// does; the one difference is a leading BOM (TextDecoder drops it), so such input still goes to TextDecoder.
// The core also runs in browsers, which have no Buffer: there TextDecoder does it all.
type Utf8Slice = (this: Uint8Array, start: number, end: number) => string;
const nodeBuffer = (globalThis as { Buffer?: { prototype: { utf8Slice?: Utf8Slice } } }).Buffer;
const utf8Slice: Utf8Slice | undefined = nodeBuffer?.prototype.utf8Slice;

export function decodeUtf8(bytes: Uint8Array, start = 0, end = bytes.length): string {
  if (end - start <= 8) {
    let s = '';
    for (let i = start; i < end; i++) {
      const c = bytes[i]!;
      if (c >= 0x80) return decoder.decode(bytes.subarray(start, end));
      s += String.fromCharCode(c);
    }
    return s;
  }
  if (utf8Slice === undefined || bytes[start] === 0xef) return decoder.decode(bytes.subarray(start, end));
  return utf8Slice.call(bytes, start, end);
}

export function encodeUtf8(s: string): Uint8Array {
  // TextEncoder costs about a microsecond per call in Node whatever the length; short ASCII strings (header
  // names, methods, addresses) are copied by hand instead.
  const n = s.length;
  if (n > 128) return encoder.encode(s);
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x80) return encoder.encode(s);
    out[i] = c;
  }
  return out;
}

const NON_ASCII = /[^\x00-\x7f]/;
// Node's native UTF-8 length is about 3× cheaper than the regex on a joined header map; every char at or
// above 0x80 (a lone surrogate too) takes more than one UTF-8 byte, so equal lengths mean all ASCII.
const byteLength = (globalThis as { Buffer?: { byteLength?: (s: string, enc: 'utf8') => number } }).Buffer?.byteLength;

/** True when every char of `s` is ASCII, so its UTF-8 bytes are its char codes. */
export function isAscii(s: string): boolean {
  return byteLength !== undefined ? byteLength(s, 'utf8') === s.length : !NON_ASCII.test(s);
}

type Latin1Slice = (this: Uint8Array, start: number, end: number) => string;
const latin1Slice: Latin1Slice | undefined = (nodeBuffer?.prototype as { latin1Slice?: Latin1Slice } | undefined)?.latin1Slice;

/** The string whose char codes are `bytes[start..end)`: one flat string from one native call in Node. */
export function decodeLatin1(bytes: Uint8Array, start: number, end: number): string {
  if (latin1Slice !== undefined) return latin1Slice.call(bytes, start, end);
  let s = '';
  for (let i = start; i < end; i++) s += String.fromCharCode(bytes[i]!);
  return s;
}

type Latin1Write = (this: Uint8Array, s: string, offset: number, length: number) => number;
const latin1Write: Latin1Write | undefined = (nodeBuffer?.prototype as { latin1Write?: Latin1Write } | undefined)?.latin1Write;

/** Writes the char codes of `s` (all below 256; ASCII for UTF-8 output) at `out[pos]`; the caller made room. */
export function writeLatin1(s: string, out: Uint8Array, pos: number): void {
  const n = s.length;
  // A native call costs about as much as copying a few dozen chars by hand.
  if (n > 32 && latin1Write !== undefined) { latin1Write.call(out, s, pos, n); return; }
  for (let i = 0; i < n; i++) out[pos + i] = s.charCodeAt(i);
}

// Header values are read by plugins request after request (the same cookie, path, user agent); V8 keeps a
// string's hash, so a lookup here costs far less than encoding again — TextEncoder allocates a fresh
// buffer per call, which dominates for short values too. Callers must not modify the returned bytes.
const encodedCache = new Map<string, Uint8Array>();
const CACHE_ENTRIES = 512;

/** `encodeUtf8` for values handed to a guest read-only (copied into its memory), memoized. */
export function encodeUtf8Shared(s: string): Uint8Array {
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
