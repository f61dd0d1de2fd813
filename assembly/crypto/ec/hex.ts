// Hex literals for curve constants (compile-time strings, decoded once at curve construction).

export function hexBytes(s: string): Uint8Array {
  const out = new Uint8Array(s.length >> 1);
  for (let i = 0; i < out.length; i++) unchecked((out[i] = <u8>((nibble(s.charCodeAt(2 * i)) << 4) | nibble(s.charCodeAt(2 * i + 1)))));
  return out;
}

function nibble(c: i32): i32 {
  return c <= 57 ? c - 48 : (c | 32) - 87;
}
