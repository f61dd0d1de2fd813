// Go's net/url QueryEscape / QueryUnescape on bytes: go-ftw uses them to decide whether a form body is
// already encoded and to encode it, so the bytes on the wire depend on their exact rules.

const hex = '0123456789ABCDEF';

function unreserved(c: number): boolean {
  return (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) || c === 0x2d || c === 0x5f || c === 0x2e || c === 0x7e;
}

/** url.QueryEscape: space → '+', unreserved bytes kept, every other byte → %XX (upper case). */
export function queryEscape(b: Uint8Array): Uint8Array {
  const out: number[] = [];
  for (const c of b) {
    if (unreserved(c)) out.push(c);
    else if (c === 0x20) out.push(0x2b);
    else out.push(0x25, hex.charCodeAt(c >> 4), hex.charCodeAt(c & 15));
  }
  return Uint8Array.from(out);
}

function hexVal(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x61 && c <= 0x66) return c - 0x61 + 10;
  if (c >= 0x41 && c <= 0x46) return c - 0x41 + 10;
  return -1;
}

/** url.QueryUnescape: '+' → space, %XX → byte; null when a '%' is not followed by two hex digits (Go's error). */
export function queryUnescape(b: Uint8Array): Uint8Array | null {
  const out: number[] = [];
  for (let i = 0; i < b.length; i++) {
    const c = b[i]!;
    if (c === 0x25) {
      if (i + 2 >= b.length) return null;
      const h = hexVal(b[i + 1]!);
      const l = hexVal(b[i + 2]!);
      if (h < 0 || l < 0) return null;
      out.push(h * 16 + l);
      i += 2;
    } else if (c === 0x2b) out.push(0x20);
    else out.push(c);
  }
  return Uint8Array.from(out);
}
