// HMAC (RFC 2104) over SHA-256/384/512. A keyed Hmac instance can be reused for many messages.
import { HashAlg, Hasher, newHasher } from './hash';
import { constantTimeEqual } from './ct';
import { Verdict } from './result';

export class Hmac {
  private inner: Hasher;
  private outer: Hasher;
  private ipad: Uint8Array = new Uint8Array(0);
  private opad: Uint8Array = new Uint8Array(0);
  readonly tagSize: i32;

  constructor(public alg: HashAlg, key: Uint8Array) {
    this.inner = newHasher(alg);
    this.outer = newHasher(alg);
    const block = this.inner.blockSize;
    this.tagSize = this.inner.digestSize;
    // Keys longer than a block are hashed first, as the RFC requires.
    const k = key.length > block ? this.inner.update(key).finish() : key;
    this.ipad = new Uint8Array(block);
    this.opad = new Uint8Array(block);
    for (let i = 0; i < block; i++) {
      const b: u8 = i < k.length ? unchecked(k[i]) : 0;
      unchecked((this.ipad[i] = b ^ 0x36));
      unchecked((this.opad[i] = b ^ 0x5c));
    }
    this.start();
  }

  private start(): void {
    this.inner.reset().update(this.ipad);
  }

  update(data: Uint8Array): Hmac {
    this.inner.updateRaw(data.dataStart, <usize>data.length);
    return this;
  }

  updateRaw(ptr: usize, len: usize): Hmac {
    this.inner.updateRaw(ptr, len);
    return this;
  }

  /** Returns the tag and resets, ready for the next message under the same key. */
  finish(): Uint8Array {
    const innerDigest = this.inner.finish();
    const tag = this.outer.reset().update(this.opad).update(innerDigest).finish();
    this.start();
    return tag;
  }
}

export function hmac(alg: HashAlg, key: Uint8Array, msg: Uint8Array): Uint8Array {
  return new Hmac(alg, key).update(msg).finish();
}

/**
 * Checks `tag` against HMAC(key, msg) in constant time. A shorter tag is compared with the
 * truncated MAC (RFC 2104 section 5); tags under 10 bytes or over the digest size are refused.
 */
export function hmacVerify(alg: HashAlg, key: Uint8Array, msg: Uint8Array, tag: Uint8Array): Verdict {
  const full = hmac(alg, key, msg);
  if (tag.length > full.length) return Verdict.fail('hmac: tag longer than the digest');
  if (tag.length < 10) return Verdict.fail('hmac: tag shorter than 80 bits');
  if (!constantTimeEqual(full.subarray(0, tag.length), tag)) return Verdict.fail('hmac: tag mismatch');
  return Verdict.pass();
}
