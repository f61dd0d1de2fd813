// Constant-time comparison: time depends only on the lengths, never on where the bytes differ.

/** True when a and b have equal length and equal bytes. Length itself is not secret. */
export function constantTimeEqual(a: Uint8Array, b: Uint8Array): bool {
  if (a.length != b.length) return false;
  return constantTimeEqualRaw(a.dataStart, b.dataStart, <usize>a.length);
}

export function constantTimeEqualRaw(a: usize, b: usize, len: usize): bool {
  let diff: u32 = 0;
  for (let i: usize = 0; i < len; i++) diff |= <u32>(load<u8>(a + i) ^ load<u8>(b + i));
  return diff == 0;
}
