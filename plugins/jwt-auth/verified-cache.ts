// Bounded per-VM memory of tokens whose signature already verified under a rule's keys, so a client
// re-sending its token skips the expensive signature check. Issuer, time and audience are still checked
// on every request; the cache is replaced on reconfiguration (keys may change).
const MAX_ENTRIES: i32 = 1024;

export class VerifiedCache {
  private seen: Set<string> = new Set<string>();

  private static key(token: string, rule: i32): string {
    return rule.toString() + " " + token;
  }

  has(token: string, rule: i32): bool {
    return this.seen.has(VerifiedCache.key(token, rule));
  }

  add(token: string, rule: i32): void {
    // Dropping everything when full keeps memory bounded without per-entry bookkeeping.
    if (this.seen.size >= MAX_ENTRIES) this.seen.clear();
    this.seen.add(VerifiedCache.key(token, rule));
  }
}
