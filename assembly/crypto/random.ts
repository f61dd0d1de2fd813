// Randomness from the host: inside Envoy, WASI random_get is backed by the proxy's CSPRNG.
import { BytesResult } from './result';

// @ts-ignore: decorator
@external('wasi_snapshot_preview1', 'random_get')
declare function wasiRandomGet(buf: usize, len: usize): u16;

/** Largest single request; keeps a hostile size from growing memory without bound. */
export const MAX_RANDOM_BYTES: i32 = 1 << 16;

export function randomBytes(len: i32): BytesResult {
  if (len < 0 || len > MAX_RANDOM_BYTES) return BytesResult.fail('random: length out of range');
  const out = new Uint8Array(len);
  if (len > 0 && wasiRandomGet(out.dataStart, <usize>len) != 0) return BytesResult.fail('random: random_get failed');
  return BytesResult.of(out);
}
