// Unicode white space as Go's unicode.IsSpace (what Coraza's strings.TrimSpace trims), over UTF-8 bytes.

/** Byte length of the white-space character starting at d[a] (before `z`), or 0. */
export function isUnicodeSpaceAt(d: Uint8Array, a: i32, z: i32): i32 {
  const c = <u32>unchecked(d[a]);
  if (c == 0x20 || (c >= 0x09 && c <= 0x0d)) return 1;
  if (c == 0xc2 && a + 1 < z) {
    const c1 = <u32>unchecked(d[a + 1]);
    return c1 == 0x85 || c1 == 0xa0 ? 2 : 0;
  }
  if ((c == 0xe1 || c == 0xe2 || c == 0xe3) && a + 2 < z) {
    return isSpace3(c, <u32>unchecked(d[a + 1]), <u32>unchecked(d[a + 2])) ? 3 : 0;
  }
  return 0;
}

/** Byte length of the white-space character ending just before d[z] (not starting before `a`), or 0. */
export function unicodeSpaceLenBefore(d: Uint8Array, a: i32, z: i32): i32 {
  const c = <u32>unchecked(d[z - 1]);
  if (c == 0x20 || (c >= 0x09 && c <= 0x0d)) return 1;
  if ((c == 0x85 || c == 0xa0) && z - 2 >= a && unchecked(d[z - 2]) == 0xc2) return 2;
  if (z - 3 >= a) {
    const c0 = <u32>unchecked(d[z - 3]);
    if ((c0 == 0xe1 || c0 == 0xe2 || c0 == 0xe3) && isSpace3(c0, <u32>unchecked(d[z - 2]), c)) return 3;
  }
  return 0;
}

// U+1680, U+2000..U+200A, U+2028, U+2029, U+202F, U+205F, U+3000 as three UTF-8 bytes.
function isSpace3(c0: u32, c1: u32, c2: u32): bool {
  if (c0 == 0xe1) return c1 == 0x9a && c2 == 0x80;
  if (c0 == 0xe3) return c1 == 0x80 && c2 == 0x80;
  if (c1 == 0x80) return (c2 >= 0x80 && c2 <= 0x8a) || c2 == 0xa8 || c2 == 0xa9 || c2 == 0xaf;
  return c1 == 0x81 && c2 == 0x9f;
}
