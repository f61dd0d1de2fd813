// A compiled configuration: engine settings, the rules of each phase in order, the transformation trie
// and the TX slot table. Built once in onConfigure; read-only while requests run.
import { Rule } from "./rule";
import { newRulesetId } from "./seen";
import { RuleGroup } from "./groups";

export enum EngineMode { OFF, ON, DETECTION_ONLY }
export enum BodyLimitAction { REJECT, PROCESS_PARTIAL }
export enum AuditMode { OFF, ON, RELEVANT_ONLY }

export class Settings {
  engine: EngineMode = EngineMode.ON;
  requestBodyAccess: bool = false;
  responseBodyAccess: bool = false;
  requestBodyLimit: i32 = 134217728;
  requestBodyNoFilesLimit: i32 = 1048576;
  requestBodyLimitAction: BodyLimitAction = BodyLimitAction.REJECT;
  responseBodyLimit: i32 = 524288;
  responseBodyLimitAction: BodyLimitAction = BodyLimitAction.REJECT;
  responseBodyMimeTypes: string[] = ["text/plain", "text/html"];
  argumentSeparator: i32 = 38; // '&'
  componentSignatures: string[] = [];
  /** Default RelevantOnly (Coraza: Off): the JSON audit line per transaction with matches is the point. */
  audit: AuditMode = AuditMode.RELEVANT_ONLY;
  /** SecRequestBodyJsonDepthLimit. */
  jsonDepth: i32 = 1024;
  argumentsLimit: i32 = 1000;
  uploadFileLimit: i32 = 100;
}

/** Transformation pipelines share prefixes: each distinct prefix is a node, the unit of the per-request cache. */
export class TransformTrie {
  /** (parent node << 8 | transform id) → node; node 0 is the empty pipeline. */
  children: Map<i64, i32> = new Map<i64, i32>();
  /** node → the transform applied on top of its parent, and the parent. */
  tid: i32[] = [-1];
  parent: i32[] = [-1];

  child(node: i32, tid: i32): i32 {
    const key = (<i64>node << 8) | <i64>tid;
    if (this.children.has(key)) return this.children.get(key);
    const n = this.tid.length;
    this.tid.push(tid);
    this.parent.push(node);
    this.children.set(key, n);
    return n;
  }
  get size(): i32 { return this.tid.length; }
}

/** TX variable names → slot numbers, so setvar and %{tx.x} index an array instead of hashing strings. */
export class TxTable {
  slots: Map<string, i32> = new Map<string, i32>();
  names: string[] = [];
  /** The names as bytes (the TX collection's member names), encoded once. */
  nameBytes: Uint8Array[] = [];
  constructor() {
    // TX.0 .. TX.9 are the capture slots 0..9.
    for (let i = 0; i < 10; i++) this.slot(i.toString());
  }
  slot(lowerName: string): i32 {
    if (this.slots.has(lowerName)) return this.slots.get(lowerName);
    const n = this.names.length;
    this.names.push(lowerName);
    this.nameBytes.push(Uint8Array.wrap(String.UTF8.encode(lowerName)));
    this.slots.set(lowerName, n);
    return n;
  }
  find(lowerName: string): i32 { return this.slots.has(lowerName) ? this.slots.get(lowerName) : -1; }
}

export class Ruleset {
  /** Tells this ruleset's entries in seen.ts from any earlier one's. */
  id: i32 = newRulesetId();
  settings: Settings = new Settings();
  /** phases[1..5]: the chain-starting rules of each phase, in configuration order. */
  phases: Array<Array<Rule>> = [[], [], [], [], [], []];
  trie: TransformTrie = new TransformTrie();
  /** @rx rules evaluated together per value (groups.ts); empty when `match_sets` is off. */
  groups: RuleGroup[] = [];
  tx: TxTable = new TxTable();
  /** Every rule with an id (chain starters), for ctl lookups and logs. */
  ruleCount: i32 = 0;
  /** Tag text → number, so runtime tag checks (ctl:ruleRemoveByTag, ...TargetByTag) compare integers. */
  tagIds: Map<string, i32> = new Map<string, i32>();

  tagId(tag: string): i32 {
    if (this.tagIds.has(tag)) return this.tagIds.get(tag);
    const n = this.tagIds.size;
    this.tagIds.set(tag, n);
    return n;
  }
}
