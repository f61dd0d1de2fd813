// Content digests as registries and Istio write them: `sha256:<64 lower-case hex>`.
import { createHash } from 'node:crypto';

export type Digest = `sha256:${string}`;

export function sha256Hex(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

export function digestOf(data: Uint8Array): Digest {
  return `sha256:${sha256Hex(data)}`;
}

/**
 * A user-given sha256 (`sha256:HEX` or bare HEX, any case) as 64 lower-case hex digits, or an Error saying
 * what is wrong. Istio lower-cases and strips the prefix the same way before comparing.
 */
export function normalizeSha256(input: string): string | Error {
  const hex = input.trim().replace(/^sha256:/i, '').toLowerCase();
  if (!/^[0-9a-f]{64}$/.test(hex)) return new Error(`'${input}' is not a sha256 digest (64 hex digits, optionally prefixed with sha256:)`);
  return hex;
}
