// Remote JWKS fetches for one VM: at most one callout in flight per rule, issued by the root context (so
// it survives the request that needed it); requests that need the keys meanwhile wait and are resumed,
// each in its own context, when the answer arrives. Also the rate-limited refetch on an unknown `kid` and
// the background refresh before the keys expire (driven by the root's tick).
import { proxy_set_effective_context } from "../../sdk/abi/imports";
import { httpCall, httpCallResponseBody, httpCallResponseHeaders, HttpContext, logWarn, RootContext } from "../../sdk";
import { keysFromFetch } from "./remote-jwks";
import { RuleSet } from "./rules";

/** A request that can go on once keys arrive. */
export class Resumable extends HttpContext {
  resume(): void {}
}

/** Refresh in the background once this fraction (in percent) of the cache duration has passed. */
const REFRESH_AT_PERCENT: u64 = 80;
/** A failed background refresh is retried no more often than this. */
const RETRY_NS: u64 = 5_000_000_000;
/** An unknown `kid` triggers a refetch at most this often per rule (a stream of bogus kids must not
 *  turn into a stream of fetches). */
export const KID_REFETCH_NS: u64 = 60_000_000_000;

export class JwksFetcher {
  /** Call id → rule index. */
  private calls: Map<u32, i32> = new Map<u32, i32>();
  /** Rule index → the requests waiting for its keys. */
  private waiting: Map<i32, Array<Resumable>> = new Map<i32, Array<Resumable>>();

  constructor(private root: RootContext, public rules: RuleSet) {}

  /** Starts a fetch for `rule` unless one is in flight; false when the host refused the callout. */
  start(rule: i32, nowNs: u64): bool {
    const remote = this.rules.rules[rule].remote!;
    if (remote.inFlight) return true;
    const id = httpCall(this.root, remote.cluster, remote.calloutHeaders(), "", remote.timeoutMs);
    if (id == 0) {
      logWarn("jwt-auth: cannot call JWKS cluster ", remote.cluster);
      return false;
    }
    remote.inFlight = true;
    this.calls.set(id, rule);
    return true;
  }

  /** Whether the answer to `callId` is this fetcher's (a reconfigured VM still answers its old calls). */
  owns(callId: u32): bool { return this.calls.has(callId); }

  get idle(): bool { return this.calls.size == 0; }

  /** `who` waits for `rule`'s fetch (which must be in flight). */
  wait(rule: i32, who: Resumable): void {
    if (!this.waiting.has(rule)) this.waiting.set(rule, new Array<Resumable>());
    this.waiting.get(rule).push(who);
  }

  /** The root context's callout answer: new keys (or the last good ones kept), then every waiter resumes. */
  onResponse(callId: u32, bodySize: i32, nowNs: u64): void {
    if (!this.calls.has(callId)) return;
    const ruleIndex = this.calls.get(callId);
    this.calls.delete(callId);
    const rule = this.rules.rules[ruleIndex];
    const remote = rule.remote!;
    remote.inFlight = false;
    const body = bodySize > 0 ? httpCallResponseBody.bytes(0, bodySize) : null;
    const keys = keysFromFetch(httpCallResponseHeaders.get(":status"), body === null ? new Uint8Array(0) : Uint8Array.wrap(body));
    if (keys !== null) {
      rule.keys = keys;
      remote.fetchedNs = nowNs;
      remote.failedNs = 0;
    } else {
      remote.failedNs = nowNs;
      logWarn("jwt-auth: JWKS fetch from cluster ", remote.cluster + " failed; keeping the last good keys if any");
    }
    if (!this.waiting.has(ruleIndex)) return;
    const list = this.waiting.get(ruleIndex);
    this.waiting.delete(ruleIndex);
    for (let i = 0; i < list.length; i++) {
      // A request that ended meanwhile has no context any more: the host says so, and it is skipped.
      if (proxy_set_effective_context(list[i].id) == 0) list[i].resume();
    }
    proxy_set_effective_context(this.root.id);
  }

  /** From the root's tick: refresh keys that are getting old, so requests rarely wait for a fetch. */
  refreshDue(nowNs: u64): void {
    for (let i = 0; i < this.rules.rules.length; i++) {
      const remote = this.rules.rules[i].remote;
      if (remote === null || remote.inFlight || remote.fetchedNs == 0) continue;
      const age = nowNs - remote.fetchedNs;
      if (age < remote.cacheNs / 100 * REFRESH_AT_PERCENT) continue;
      if (remote.failedNs != 0 && nowNs - remote.failedNs < RETRY_NS) continue;
      this.start(i, nowNs);
    }
  }
}
