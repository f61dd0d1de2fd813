// Per-request state: the variables extracted from the request and response, TX, MATCHED_*, the
// transformation cache, runtime ctl changes, the matched rules and the interruption. One per stream.
import { Bytes, Captures, Pair, PairList } from "../../assembly/seclang/types";
import { AuditMode, EngineMode, Ruleset } from "./ruleset";
import { Exclusion, FIRST_SCALAR, Var } from "./variables";
import { hasTag, Rule } from "./rule";
import { acquireTCache, releaseTCache, TCache } from "./tcache";
import { firstOccurrences } from "./dups";

export const EMPTY: Bytes = new Uint8Array(0);

/** One rule (chain) that matched: what the log line and the audit record say. */
export class MatchRecord {
  constructor(public rule: Rule, public msg: string, public data: string, public matchedName: string, public phase: i32) {}
}

export class Interruption {
  constructor(public status: i32, public action: string, public ruleId: i32, public location: string) {}
}

/** A ctl:ruleRemoveTarget* entry: rules selected by id range or tag lose one target. */
export class TargetRemoval {
  /** tagId < 0: by id range. */
  constructor(public idLo: i32, public idHi: i32, public tagId: i32, public ex: Exclusion) {}
}

export class Transaction {
  rs: Ruleset;
  collections: Array<PairList> = new Array<PairList>(FIRST_SCALAR);
  scalars: Array<Bytes | null> = new Array<Bytes | null>(<i32>Var.COUNT - FIRST_SCALAR);
  tx: Array<Bytes | null> = new Array<Bytes | null>(0);
  /** TX names made at runtime by macros (`tx.header_name_%{tx.0}`), beyond the compiled slot table. */
  txExtraNames: string[] = [];
  txExtraNameBytes: Bytes[] = [];
  txExtraValues: Bytes[] = [];
  caps: Captures = new Captures();

  engine: EngineMode;
  audit: AuditMode;
  requestBodyAccess: bool;
  responseBodyAccess: bool;
  forceRequestBodyVariable: bool = false;
  requestBodyLimit: i32;
  bodyProcessor: string = "";

  /** Rule removals made by ctl at runtime (id ranges and tags). */
  removedLo: i32[] = [];
  removedHi: i32[] = [];
  removedTagIds: i32[] = [];
  targetRemovals: TargetRemoval[] = [];

  matches: MatchRecord[] = [];
  interruption: Interruption | null = null;
  /** allow: skip the rest of this phase (PHASE), of the request phases (REQUEST) or everything (ALL). */
  allowedAll: bool = false;
  allowedRequest: bool = false;
  highestSeverity: i32 = 255;

  /** Transformed values: by (variable, member index, trie node) for request collections and scalars, by
   * (value pointer << 16 | trie node) otherwise (node 0 pins the original value alive). Pooled (tcache.ts). */
  tcache: TCache = acquireTCache();

  /** Rule groups (groups.ts): per group, the phase run its bits were computed in, and the bits. */
  phaseRun: i32 = 0;
  groupRun: StaticArray<i32>;
  groupBits: StaticArray<u32>;

  constructor(rs: Ruleset) {
    this.rs = rs;
    this.groupRun = new StaticArray<i32>(rs.groups.length);
    this.groupBits = new StaticArray<u32>(rs.groups.length);
    this.tcache.byIndex.reset(rs.trie.size, <i32>Var.COUNT);
    for (let i = 0; i < FIRST_SCALAR; i++) this.collections[i] = new PairList();
    this.tx = new Array<Bytes | null>(rs.tx.names.length);
    this.settle(rs);
  }

  /** The per-configuration settings a transaction starts with. */
  private settle(rs: Ruleset): void {
    const s = rs.settings;
    this.engine = s.engine;
    this.audit = s.audit;
    this.requestBodyAccess = s.requestBodyAccess;
    this.responseBodyAccess = s.responseBodyAccess;
    this.requestBodyLimit = s.requestBodyLimit;
  }

  /**
   * Makes a released (scrubbed) transaction new again for `rs`, every field as the constructor sets it.
   * phaseRun keeps counting, so the groups' run marks of the earlier transaction never equal a new run.
   */
  renewFor(rs: Ruleset): void {
    if (rs !== this.rs || this.groupRun.length != rs.groups.length) {
      this.groupRun = new StaticArray<i32>(rs.groups.length);
      this.groupBits = new StaticArray<u32>(rs.groups.length);
    }
    if (this.tx.length != rs.tx.names.length) this.tx = new Array<Bytes | null>(rs.tx.names.length);
    this.rs = rs;
    this.tcache = acquireTCache();
    this.tcache.byIndex.reset(rs.trie.size, <i32>Var.COUNT);
    this.settle(rs);
  }

  /**
   * Drops every reference to the request's data (a pooled transaction must not keep bodies alive): lists
   * emptied in place (their buffers and the recycled Pairs stay), slots cleared.
   */
  private scrub(): void {
    // Slots zeroed in bulk (no write barrier in this runtime: a null store is a plain store).
    memory.fill(this.tx.dataStart, 0, <usize>this.tx.length << alignof<usize>());
    memory.fill(this.scalars.dataStart, 0, <usize>this.scalars.length << alignof<usize>());
    // Most collections are empty already (setting an Array's length is a call, testing it a load).
    for (let i = 0; i < FIRST_SCALAR; i++) {
      const c = unchecked(this.collections[i]);
      if (c.length > 0) c.clear();
    }
    this.txExtraNames.length = 0;
    this.txExtraNameBytes.length = 0;
    this.txExtraValues.length = 0;
    this.caps.clear();
    this.forceRequestBodyVariable = false;
    this.bodyProcessor = "";
    this.removedLo.length = 0;
    this.removedHi.length = 0;
    this.removedTagIds.length = 0;
    this.targetRemovals.length = 0;
    this.matches.length = 0;
    this.interruption = null;
    this.allowedAll = false;
    this.allowedRequest = false;
    this.highestSeverity = 255;
    // firsts() recomputes on a length mismatch; the arrays stay as its output buffers.
    for (let i = 0; i < FIRST_SCALAR; i++) unchecked(this.dupLen[i] = -1);
  }

  coll(v: i32): PairList { return unchecked(this.collections[v]); }
  scalar(v: i32): Bytes | null { return unchecked(this.scalars[v - FIRST_SCALAR]); }
  setScalar(v: i32, b: Bytes): void { unchecked(this.scalars[v - FIRST_SCALAR] = b); }
  setScalarText(v: i32, s: string): void { this.setScalar(v, Uint8Array.wrap(String.UTF8.encode(s))); }

  // ---- TX ----
  txGet(lowerName: string): Bytes | null {
    const slot = this.rs.tx.find(lowerName);
    if (slot >= 0) return unchecked(this.tx[slot]);
    for (let i = 0; i < this.txExtraNames.length; i++) if (this.txExtraNames[i] == lowerName) return this.txExtraValues[i];
    return null;
  }
  txSlot(slot: i32): Bytes | null { return unchecked(this.tx[slot]); }
  txSet(lowerName: string, v: Bytes): void {
    const slot = this.rs.tx.find(lowerName);
    if (slot >= 0) { unchecked(this.tx[slot] = v); return; }
    for (let i = 0; i < this.txExtraNames.length; i++) if (this.txExtraNames[i] == lowerName) { this.txExtraValues[i] = v; return; }
    // Bounded: request data can name TX variables through macros; past 1024 extra names new ones are dropped.
    if (this.txExtraNames.length >= 1024) return;
    this.txExtraNames.push(lowerName);
    this.txExtraNameBytes.push(Uint8Array.wrap(String.UTF8.encode(lowerName)));
    this.txExtraValues.push(v);
  }
  txDelete(lowerName: string): void {
    const slot = this.rs.tx.find(lowerName);
    if (slot >= 0) { unchecked(this.tx[slot] = null); return; }
    for (let i = 0; i < this.txExtraNames.length; i++) if (this.txExtraNames[i] == lowerName) {
      this.txExtraNames.splice(i, 1);
      this.txExtraNameBytes.splice(i, 1);
      this.txExtraValues.splice(i, 1);
      return;
    }
  }
  /** The TX collection as pairs (slot order, then runtime names); names are shared, not copied. `out`
   * (cleared) reuses the Pairs of `pool` (see PairList.addRecycled). */
  txPairs(out: PairList, pool: Array<Pair>): void {
    const names = this.rs.tx.nameBytes;
    for (let i = 0; i < this.tx.length; i++) {
      const v = unchecked(this.tx[i]);
      if (v !== null) out.addRecycled(pool, unchecked(names[i]), v);
    }
    for (let i = 0; i < this.txExtraNames.length; i++) out.addRecycled(pool, this.txExtraNameBytes[i], this.txExtraValues[i]);
  }

  /** Pairs reused by MATCHED_VARS and MATCHED_VARS_NAMES, which are cleared before each rule. */
  mvPairs: Array<Pair> = new Array<Pair>();
  mvnPairs: Array<Pair> = new Array<Pair>();

  /** Adds a match to MATCHED_VARS and MATCHED_VARS_NAMES (no allocation once the pools are warm). */
  matchedAdd(name: Bytes, value: Bytes): void {
    this.coll(Var.MATCHED_VARS).addRecycled(this.mvPairs, name, value);
    this.coll(Var.MATCHED_VARS_NAMES).addRecycled(this.mvnPairs, name, name);
  }

  // ---- rule removal at runtime ----
  isRemoved(r: Rule): bool {
    for (let i = 0; i < this.removedLo.length; i++) if (r.id >= unchecked(this.removedLo[i]) && r.id <= unchecked(this.removedHi[i])) return true;
    for (let i = 0; i < this.removedTagIds.length; i++) if (hasTag(r, unchecked(this.removedTagIds[i]))) return true;
    return false;
  }

  // ---- transformation cache ----
  /** The value after the rule's transformations up to step `upto` (exclusive), cached per value and prefix. */
  cached(value: Bytes, node: i32): Bytes | null {
    return this.tcache.get((<i64>changetype<usize>(value) << 16) | <i64>node);
  }
  /** Per collection: firstOccurrences() of its values, and the length it was computed for. */
  dupOf: Array<StaticArray<i32> | null> = new Array<StaticArray<i32> | null>(FIRST_SCALAR);
  dupLen: StaticArray<i32> = new StaticArray<i32>(FIRST_SCALAR);

  /** firstOccurrences() of collection `v`, recomputed when members were added since. */
  firsts(v: i32): StaticArray<i32> {
    const c = this.coll(v);
    let d = unchecked(this.dupOf[v]);
    if (d === null || unchecked(this.dupLen[v]) != c.length) {
      d = firstOccurrences(c, d);
      unchecked(this.dupOf[v] = d);
      unchecked(this.dupLen[v] = c.length);
    }
    return d;
  }

  /** Like cached(), for member `i` of variable `v` (a scalar is member 0): no hashing. */
  cachedAt(v: i32, i: i32, value: Bytes, node: i32): Bytes | null {
    return this.tcache.byIndex.get(v, node, i, value);
  }
  rememberAt(v: i32, i: i32, value: Bytes, node: i32, result: Bytes): void {
    this.tcache.byIndex.set(v, node, i, value, result);
  }
  remember(value: Bytes, node: i32, result: Bytes): void {
    const base = <i64>changetype<usize>(value) << 16;
    // Node 0 holds the original itself, so the pointer in the key cannot be reused by another object.
    if (!this.tcache.has(base)) this.tcache.set(base, value);
    this.tcache.set(base | <i64>node, result);
  }

  addPair(v: i32, name: Bytes, value: Bytes): void { this.coll(v).add(name, value); }

  /** The stream ended: its pooled buffers go back for the next transaction. */
  release(): void {
    releaseTCache(this.tcache);
    this.scrub();
  }
}

/** Transactions of ended streams (streams of one VM may overlap: a stack). */
const txPool: Transaction[] = [];

/** A transaction for a new stream: a released one made new (no allocation), else a new one. */
export function acquireTransaction(rs: Ruleset): Transaction {
  if (txPool.length == 0) return new Transaction(rs);
  const t = txPool.pop();
  t.renewFor(rs);
  return t;
}

/** The stream ended: its transaction (and caches) go back for the next stream. */
export function releaseTransaction(t: Transaction): void {
  // A transaction grown by a huge request (thousands of arguments) goes back to the collector.
  const small = t.coll(Var.ARGS).length <= 1024;
  t.release();
  if (txPool.length < 8 && small) txPool.push(t);
}

export { Pair };
