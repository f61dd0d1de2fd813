// Bounded per-VM memory of tokens that already verified, keyed by the token's exact bytes, so a client
// re-sending its token costs a hash and a byte comparison: no UTF-16 conversion, no base64 or JSON
// parsing, no signature check. What is remembered per rule depends only on the token and the rule
// (issuer, audience, signature, the claim header values); time is still checked on every request. The
// cache is replaced on reconfiguration (keys and rules may change).
import { Jwt } from "./jwt";

const MAX_ENTRIES: i32 = 1024;

/** What one token yielded under one rule it passed: the UTF-8 values of that rule's claim headers (null:
 *  nothing to send), computed once. */
export class RulePass {
  constructor(public claimValues: Array<ArrayBuffer | null>) {}
}

export class CachedToken {
  /** Per rule index: null until the token passed that rule's issuer, audience and signature checks. */
  passed: Array<RulePass | null>;

  constructor(public bytes: ArrayBuffer, public jwt: Jwt, rules: i32) {
    this.passed = new Array<RulePass | null>(rules);
    for (let i = 0; i < rules; i++) this.passed[i] = null;
  }
}

/** A non-cryptographic hash of the token bytes: equal bytes are still compared, so a collision costs
 *  only a cache slot, never a wrong answer. */
function hashBytes(ptr: usize, len: i32): u32 {
  let h: u32 = 0x811c9dc5 ^ <u32>len;
  let i: i32 = 0;
  for (; i + 4 <= len; i += 4) h = rotl<u32>((h ^ load<u32>(ptr + <usize>i)) * 0x9e3779b1, 13);
  for (; i < len; i++) h = (h ^ <u32>load<u8>(ptr + <usize>i)) * 0x01000193;
  return h ^ (h >> 16);
}

export class VerifiedCache {
  private byHash: Map<u32, CachedToken> = new Map<u32, CachedToken>();

  /** The entry for exactly these token bytes, or null. */
  find(ptr: usize, len: i32): CachedToken | null {
    const h = hashBytes(ptr, len);
    if (!this.byHash.has(h)) return null;
    const e = this.byHash.get(h);
    if (e.bytes.byteLength != len || memory.compare(changetype<usize>(e.bytes), ptr, <usize>len) != 0) return null;
    return e;
  }

  /** Remembers a parsed token (a copy of its bytes); a colliding older entry is replaced. */
  add(ptr: usize, len: i32, jwt: Jwt, rules: i32): CachedToken {
    // Dropping everything when full keeps memory bounded without per-entry bookkeeping.
    if (this.byHash.size >= MAX_ENTRIES) this.byHash.clear();
    const bytes = new ArrayBuffer(len);
    memory.copy(changetype<usize>(bytes), ptr, <usize>len);
    const e = new CachedToken(bytes, jwt, rules);
    this.byHash.set(hashBytes(ptr, len), e);
    return e;
  }
}
