// The compiled rule model: everything a SecRule/SecAction says, resolved at configure time so a request
// only executes it.
import { Counter } from "../../sdk";
import { Operator } from "../../assembly/seclang/types";
import { Macro } from "./macro";
import { Exclusion, Target, Var } from "./variables";

export enum Disruptive { NONE, PASS, DENY, DROP, BLOCK, ALLOW, REDIRECT }
export enum AllowScope { ALL, PHASE, REQUEST }
export enum SetVarOp { SET, ADD, SUB, DELETE }

export class SetVar {
  /** TX slot of a literal name (resolved when compilation finishes), else -1. */
  nameSlot: i32 = -1;
  constructor(public nameMacro: Macro, public op: SetVarOp, public value: Macro) {}
}

export enum CtlKind {
  RULE_REMOVE_BY_ID, RULE_REMOVE_BY_TAG, RULE_REMOVE_BY_MSG, RULE_REMOVE_TARGET_BY_ID, RULE_REMOVE_TARGET_BY_TAG,
  RULE_REMOVE_TARGET_BY_MSG, RULE_ENGINE, REQUEST_BODY_PROCESSOR, REQUEST_BODY_ACCESS, FORCE_REQUEST_BODY_VARIABLE,
  AUDIT_ENGINE, AUDIT_LOG_PARTS, RESPONSE_BODY_ACCESS, REQUEST_BODY_LIMIT, DEBUG_LOG_LEVEL, RESPONSE_BODY_PROCESSOR,
}

/** `ctl:name=value`: ids as [lo, hi] ranges, a tag/msg, a target, or an option value. */
export class Ctl {
  idLo: i32 = 0;
  idHi: i32 = 0;
  text: string = "";
  exclusion: Exclusion | null = null;
  num: i32 = 0;
  constructor(public kind: CtlKind) {}
}

/** Non-disruptive actions, run in source order when the rule matches. */
export enum EffectKind { SETVAR, CTL, EXPIREVAR, INITCOL }
export class Effect {
  setvar: SetVar | null = null;
  ctl: Ctl | null = null;
  constructor(public kind: EffectKind) {}
}

export class Rule {
  // ---- what a request reads for every rule, first (fields are laid out in this order: these share a
  // cache line or two, and the arrays are the frozen copies freezeRule makes when compilation ends) ----
  id: i32 = 0;
  /** Its RuleGroup's index in Ruleset.groups (groups.ts), -1 when evaluated alone; its bit in the group. */
  group: i32 = -1;
  groupBit: i32 = 0;
  /** A SecAction: no targets, always matches. */
  unconditional: bool = false;
  negated: bool = false;
  multiMatch: bool = false;
  capture: bool = false;
  /** Has skipAfter (resolved to skipAfterIndex). */
  skipsAfter: bool = false;
  skip: i32 = 0;
  /** Index (in its phase's rule list) to continue at after skipAfter; -1 = end of the phase. */
  skipAfterIndex: i32 = -1;
  op: Operator | null = null;
  /** The operator's parameter when it holds macros (expanded per evaluation). */
  opMacro: Macro | null = null;
  /**
   * Frozen per-rule words, one allocation: a word per target (TargetWord: which variable, and enough to
   * tell it holds nothing without reading the Target), then per pipeline step its transformation-trie node
   * and its transformation id.
   */
  hot: StaticArray<i32> = NO_WORDS;
  /** Where the steps begin in `hot` (= the number of targets), and how many there are. */
  stepBase: i32 = 0;
  stepCount: i32 = 0;
  /** Frozen `targets`, read only for a target that may hold values. */
  targetList: StaticArray<Target> = NO_TARGETS;
  /** Frozen `effects` and `exclusions`. */
  effectList: StaticArray<Effect> = NO_EFFECTS;
  exclusionList: StaticArray<Exclusion> = NO_EXCLUSIONS;
  /** The next rule of the chain (evaluated only when this one matched). */
  chained: Rule | null = null;
  disruptive: Disruptive = Disruptive.NONE;
  /** Its number in its ruleset, chained rules included (seen.ts keys outcomes on it). */
  seq: i32 = 0;
  severity: i32 = -1;
  /** -1: not said (inherit SecDefaultAction), 0/1 otherwise. */
  log: i32 = -1;
  auditlog: i32 = -1;

  // ---- the rest, as compiled ----
  phase: i32 = 2;
  file: string = "";
  line: i32 = 0;
  targets: Target[] = [];
  exclusions: Exclusion[] = [];
  opName: string = "";
  opParam: string = "";
  /** Transformation-trie node per step (see TransformTrie); empty = the raw value. */
  transformNodes: i32[] = [];
  transformIds: i32[] = [];

  allowScope: AllowScope = AllowScope.ALL;
  status: i32 = 0;
  redirect: Macro | null = null;

  msg: Macro | null = null;
  logdata: Macro | null = null;
  tags: string[] = [];
  /** The tags as numbers (Ruleset.tagId), parallel to `tags`. */
  tagIds: i32[] = [];
  ver: string = "";
  rev: string = "";
  maturity: i32 = -1;
  accuracy: i32 = -1;

  skipAfter: string = "";
  effects: Effect[] = [];

  /** This rule has the `chain` action: the next SecRule continues it. */
  hasChain: bool = false;
  /** The chain's first rule (itself for a rule that starts a chain or stands alone). */
  parent: Rule | null = null;
  /** What `block` means for this rule: the phase's SecDefaultAction when the rule was defined. */
  blockAs: Disruptive = Disruptive.PASS;
  blockStatus: i32 = 0;
  /** The operator parameter's last expansion and its text (Evaluator.paramText): it rarely changes. */
  lastParamBytes: Uint8Array | null = null;
  lastParamText: string = "";
  /** `%{rule.id}` as bytes, made on first use. */
  idBytes: Uint8Array | null = null;
  /** The hit counter (tagged by id), defined on the first hit so unused rules cost no Envoy stat. */
  counter: Counter | null = null;
}

const NO_TARGETS = new StaticArray<Target>(0);
const NO_WORDS = new StaticArray<i32>(0);
const NO_EFFECTS = new StaticArray<Effect>(0);
const NO_EXCLUSIONS = new StaticArray<Exclusion>(0);

/**
 * Copies what requests read out of the compile-time Arrays into StaticArrays (one allocation each, no
 * Array header to follow), once every directive that can change the rule has run.
 */
export function freezeRule(r: Rule, seq: i32): void {
  r.seq = seq;
  const nt = r.targets.length;
  const n = r.transformIds.length;
  const hot = new StaticArray<i32>(nt + (n << 1));
  for (let i = 0; i < nt; i++) unchecked((hot[i] = targetWord(r.targets[i])));
  for (let i = 0; i < n; i++) {
    unchecked((hot[nt + (i << 1)] = r.transformNodes[i]));
    unchecked((hot[nt + (i << 1) + 1] = r.transformIds[i]));
  }
  r.hot = hot;
  r.stepBase = nt;
  r.stepCount = n;
  r.targetList = StaticArray.fromArray<Target>(r.targets);
  r.effectList = StaticArray.fromArray<Effect>(r.effects);
  r.exclusionList = StaticArray.fromArray<Exclusion>(r.exclusions);
  r.skipsAfter = r.skipAfter.length > 0;
}

/** A target as one word: its variable (bits 0–7), COUNT (`&VAR`), and for a literal `TX:name` LIT_TX with its slot (bits 16–31). */
export namespace TargetWord {
  export const VAR_MASK: i32 = 0xff;
  export const COUNT: i32 = 1 << 8;
  export const LIT_TX: i32 = 1 << 9;
}

function targetWord(t: Target): i32 {
  let w = t.v | (t.count ? TargetWord.COUNT : 0);
  const sel = t.selector;
  if (t.v == Var.TX && sel !== null && sel.regex === null && sel.txSlot >= 0) w |= TargetWord.LIT_TX | (sel.txSlot << 16);
  return w;
}

export function hasTag(r: Rule, id: i32): bool {
  const ids = r.tagIds;
  for (let i = 0; i < ids.length; i++) if (unchecked(ids[i]) == id) return true;
  return false;
}

export const SEVERITY_NAMES: string[] = ["EMERGENCY", "ALERT", "CRITICAL", "ERROR", "WARNING", "NOTICE", "INFO", "DEBUG"];

/** Severity from a name or a number 0..7, or -1. */
export function parseSeverity(s: string): i32 {
  const up = s.toUpperCase();
  for (let i = 0; i < SEVERITY_NAMES.length; i++) if (SEVERITY_NAMES[i] == up) return i;
  if (up.length == 1 && up.charCodeAt(0) >= 48 && up.charCodeAt(0) <= 55) return up.charCodeAt(0) - 48;
  return -1;
}
