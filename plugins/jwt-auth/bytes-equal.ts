// Byte equality of two ranges without allocating (tokens and cache keys are compared in place).

/** Byte equality of two ranges (unaligned 8-byte steps: a token after "Bearer " is never aligned). */
export function bytesEqual(a: usize, b: usize, n: i32): bool {
  let i: i32 = 0;
  for (; i + 8 <= n; i += 8) if (load<u64>(a + <usize>i) != load<u64>(b + <usize>i)) return false;
  for (; i < n; i++) if (load<u8>(a + <usize>i) != load<u8>(b + <usize>i)) return false;
  return true;
}
