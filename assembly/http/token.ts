// RFC 9110 (ex-7230) token and whitespace rules shared by the header helpers.

// tchar = "!" / "#" / "$" / "%" / "&" / "'" / "*" / "+" / "-" / "." / "^" / "_" / "`" / "|" / "~"
//       / DIGIT / ALPHA
export function isTokenChar(c: u32): bool {
  if ((c | 0x20) - 0x61 < 26 || c - 0x30 < 10) return true;
  switch (c) {
    case 0x21: case 0x23: case 0x24: case 0x25: case 0x26: case 0x27: case 0x2a: case 0x2b:
    case 0x2d: case 0x2e: case 0x5e: case 0x5f: case 0x60: case 0x7c: case 0x7e:
      return true;
  }
  return false;
}

/** Non-empty and made only of token characters. */
export function isToken(s: string): bool {
  const n = s.length;
  if (n == 0) return false;
  for (let i = 0; i < n; i++) if (!isTokenChar(<u32>s.charCodeAt(i))) return false;
  return true;
}

// @ts-ignore: decorator
@inline
export function isOws(c: u32): bool {
  return c == 0x20 || c == 0x09;
}

/** Strips optional whitespace (SP, HTAB) at both ends. */
export function trimOws(s: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && isOws(<u32>s.charCodeAt(a))) a++;
  while (b > a && isOws(<u32>s.charCodeAt(b - 1))) b--;
  return a == 0 && b == s.length ? s : s.substring(a, b);
}

/** ASCII-only lower-casing (header names and media types must not use locale rules). */
export function lowerAscii(s: string): string {
  const n = s.length;
  let i = 0;
  while (i < n && <u32>s.charCodeAt(i) - 0x41 >= 26) i++;
  if (i == n) return s;
  const out = new Array<i32>(n);
  for (let j = 0; j < n; j++) {
    const c = s.charCodeAt(j);
    unchecked((out[j] = <u32>c - 0x41 < 26 ? c | 0x20 : c));
  }
  return String.fromCharCodes(out);
}
