// Bounded per-VM memory of tokens that already verified, keyed by the token's exact bytes, so a client
// re-sending its token costs a hash and a byte comparison: no UTF-16 conversion, no base64 or JSON
// parsing, no signature check. What is remembered per rule depends only on the token and the rule
// (issuer, audience, signature, the claim header values); time is still checked on every request. The
// cache is replaced on reconfiguration (keys and rules may change).
import { Jwt } from "./jwt";
import { bytesEqual } from "./bytes-equal";

const MAX_ENTRIES: i32 = 1024;

/** What one token yielded under one rule it passed: the UTF-8 values of that rule's claim headers (null:
 *  nothing to send), computed once. */
export type RulePass = StaticArray<ArrayBuffer | null>;

/** Bytes hashed: the token's end, which is its signature (distinct for every token an issuer signs). */
const HASHED_TAIL: i32 = 64;

/** A non-cryptographic hash of the length and the last bytes: equal bytes are still compared, so a
 *  collision costs only a cache slot, never a wrong answer (and only verified tokens take slots). */
function hashBytes(ptr: usize, len: i32): u32 {
  let h: u64 = 0x9e3779b97f4a7c15 ^ <u64>len;
  let i: i32 = len > HASHED_TAIL ? len - HASHED_TAIL : 0;
  for (; i + 8 <= len; i += 8) h = rotl<u64>((h ^ load<u64>(ptr + <usize>i)) * 0xff51afd7ed558ccd, 29);
  for (; i < len; i++) h = (h ^ <u64>load<u8>(ptr + <usize>i)) * 0x100000001b3;
  return <u32>(h ^ (h >> 32));
}

export class VerifiedCache {
  /** Remembered tokens are their Jwt (its `passed` says under which rules): few objects per entry, which
   *  matters because every collection marks all of them. */
  private byHash: Map<u32, Jwt> = new Map<u32, Jwt>();

  /** `keepPayloads`: something may read a remembered token's claims again (policies, or other rules'
   *  claim headers); otherwise the parsed payload is dropped once its claim headers are computed. */
  constructor(public keepPayloads: bool = true) {}

  /** The entry for exactly these token bytes, or null. */
  find(ptr: usize, len: i32): Jwt | null {
    const h = hashBytes(ptr, len);
    if (!this.byHash.has(h)) return null;
    const e = this.byHash.get(h);
    if (e.raw.byteLength != len || !bytesEqual(changetype<usize>(e.raw), ptr, len)) return null;
    return e;
  }

  /** Remembers a parsed token (keyed by the copy of its bytes the parse made); a colliding older entry
   *  is replaced. */
  add(jwt: Jwt, rules: i32): Jwt {
    // Dropping everything when full keeps memory bounded without per-entry bookkeeping.
    if (this.byHash.size >= MAX_ENTRIES) this.byHash.clear();
    const bytes = jwt.raw;
    // Per rule index: null until the token passed that rule's issuer, audience and signature checks.
    jwt.passed = new StaticArray<RulePass | null>(rules);
    this.byHash.set(hashBytes(changetype<usize>(bytes), bytes.byteLength), jwt);
    return jwt;
  }
}
