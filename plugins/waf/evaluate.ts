// Runs a phase's rules on a transaction: target gathering (selectors, exclusions, counts), the cached
// transformation pipeline, operators, chains, non-disruptive actions (setvar, ctl), flow (skip,
// skipAfter) and disruptive actions.
import { applyTransform } from "../../assembly/seclang/transforms/index";
import { Bytes, Pair, PairList } from "../../assembly/seclang/types";
import { RuleGroup } from "./groups";
import { Macro } from "./macro";
import { AllowScope, Ctl, CtlKind, Disruptive, EffectKind, hasTag, Rule, SetVar, SetVarOp, TargetWord } from "./rule";
import { AuditMode, EngineMode } from "./ruleset";
import { EMPTY, Interruption, MatchRecord, TargetRemoval, Transaction } from "./transaction";
import { equalsIgnoreCase, Exclusion, isCollection, Target, Var, VAR_NAME_BYTES, VAR_NAMES } from "./variables";
import { decimal, latinLower, parseIntBytes, printable, textOf } from "./text";
import { MAX_LEN as SEEN_MAX_LEN, rememberOutcome, RULE_SUBJECT, seenOutcome } from "./seen";

/** Scratch lists reused across rules (one request at a time runs in a VM), with their recycled Pairs. */
const txScratch = new PairList();
const txScratchPairs = new Array<Pair>();
/** Per member of the collection being walked: 0 not tested, NO_MATCH, MATCHED (see dups.ts). */
let outcome = new StaticArray<u8>(64);
const NO_MATCH: u8 = 1;
const MATCHED: u8 = 2;
/**
 * Entries of the (input, transformation) memo per transaction: about half the steps a benign GET or form
 * computes are met again in another pipeline; a large body (thousands of values) would only grow the
 * table past the cache, so past this many entries steps are computed directly.
 */
const STEP_MEMO_MAX: i32 = 2048;

export class Evaluator {
  /** The values matched by the rule being evaluated: names ("ARGS:foo") are built only for matches. */
  constructor(public t: Transaction) {}

  /** Runs every rule of `phase`. Returns true when the transaction was interrupted. */
  runPhase(phase: i32): bool {
    const t = this.t;
    t.phaseRun++;
    if (t.engine == EngineMode.OFF || t.interruption !== null) return false;
    if (t.allowedAll && phase < 5) return false; // allow skips the remaining phases except logging
    if (t.allowedRequest && phase <= 2) return false;
    const list = t.rs.phases[phase];
    const mv = t.coll(Var.MATCHED_VARS);
    const mvn = t.coll(Var.MATCHED_VARS_NAMES);
    let i = 0;
    const n = list.length;
    while (i < n) {
      const r = unchecked(list[i]);
      if ((t.removedLo.length > 0 || t.removedTagIds.length > 0) && t.isRemoved(r)) { i++; continue; }
      // Usually empty already: setting an Array's length is a call, a length test is a load.
      if (mv.length > 0) mv.clear();
      if (mvn.length > 0) mvn.clear();
      // A grouped rule whose regex matched none of the group's values cannot match: nothing to evaluate.
      if (r.group >= 0 && !this.groupMayMatch(r)) { i++; continue; }
      if (!this.chain(r)) { i++; continue; }
      // The whole chain matched.
      this.record(r, phase);
      const stop = this.disrupt(r, phase);
      if (stop == 1) return true;     // interrupted
      if (stop == 2) return false;    // allow: rest of the phase skipped
      if (r.skipsAfter) { i = r.skipAfterIndex < 0 ? n : r.skipAfterIndex; continue; }
      i += 1 + r.skip;
    }
    return false;
  }

  /** Did r's regex match some value of its group's targets (the group is scanned once per phase run)? */
  groupMayMatch(r: Rule): bool {
    const t = this.t;
    const g = r.group;
    if (unchecked(t.groupRun[g]) != t.phaseRun) {
      unchecked(t.groupBits[g] = this.prescan(unchecked(t.rs.groups[g])));
      unchecked(t.groupRun[g] = t.phaseRun);
    }
    return (unchecked(t.groupBits[g]) & (<u32>1 << <u32>r.groupBit)) != 0;
  }

  /**
   * Runs every member's regex on each value the group's targets select (exclusions ignored: they only
   * take values away), transformed once through the shared pipeline. Bit j: member j's regex matched one.
   */
  prescan(g: RuleGroup): u32 {
    const t = this.t;
    const r = g.first;
    const k = g.regexes.length;
    const all: u32 = k >= 32 ? 0xffffffff : (<u32>1 << <u32>k) - 1;
    let bits: u32 = 0;
    const targets = g.targetList;
    for (let ti = 0; ti < targets.length && bits != all; ti++) {
      const tg = unchecked(targets[ti]);
      const v = tg.v;
      if (!isCollection(v)) {
        const s = t.scalar(v);
        if (s === null) continue;
        this.at(v, 0);
        bits = runAll(g, this.transformed(r, s), bits);
        continue;
      }
      const src = t.coll(v);
      const len = src.length;
      if (len == 0) continue;
      const sel = tg.selector;
      // Members equal to an earlier one give the same answers (only when every member is selected).
      const firsts = sel === null && len > 8 ? t.firsts(v) : null;
      const items = src.items;
      const repeats = repeatsAcrossRequests(v);
      for (let i = 0; i < len && bits != all; i++) {
        const p = unchecked(items[i]);
        if (sel !== null && (sel.cannotMatch(p.name) || !sel.matchesName(p.name))) continue;
        if (firsts !== null && unchecked(firsts[i]) != i) continue;
        if (repeats && p.value.length <= SEEN_MAX_LEN) {
          bits |= this.headerOutcome(g, v, i, p.value);
          continue;
        }
        this.at(v, i);
        bits = runAll(g, this.transformed(r, p.value), bits);
      }
    }
    this.curVar = -1;
    return bits;
  }

  /** one() for a header or cookie value, skipped when this rule's operator found nothing in it before. */
  oneRemembered(r: Rule, starter: Rule, target: Target, v: i32, i: i32, name: Bytes, value: Bytes): bool {
    const rsId = this.t.rs.id;
    const subject = RULE_SUBJECT + r.seq;
    if (seenOutcome(rsId, subject, value) == 0) return false;
    this.at(v, i);
    const hit = this.one(r, starter, target, name, value, null);
    if (!hit) rememberOutcome(rsId, subject, value, 0);
    return hit;
  }

  /** Which of g's members match a header or cookie value: remembered across requests (seen.ts). */
  headerOutcome(g: RuleGroup, v: i32, i: i32, raw: Bytes): u32 {
    const rsId = this.t.rs.id;
    const known = seenOutcome(rsId, g.index, raw);
    if (known >= 0) return <u32>known;
    this.at(v, i);
    // Every member that matches, not only those no earlier value matched: the outcome is the value's own.
    const out = runAll(g, this.transformed(g.first, raw), 0);
    rememberOutcome(rsId, g.index, raw, out);
    return out;
  }

  /** Evaluates a rule and, while it matches, the rest of its chain. */
  chain(r: Rule): bool {
    let c: Rule | null = r;
    while (c !== null) {
      if (!this.rule(c, r)) return false;
      c = c.chained;
    }
    return true;
  }

  /** One rule of a chain: true when some target value matched (its actions ran for each match). */
  rule(r: Rule, starter: Rule): bool {
    const t = this.t;
    if (r.unconditional) {
      this.effects(r, starter);
      return true;
    }
    let matched = false;
    let expanded: string | null = null;
    if (r.opMacro !== null) expanded = this.paramText(r, starter);
    const words = r.hot;
    const nt = r.stepBase;
    for (let ti = 0; ti < nt; ti++) {
      // Most targets of a benign request hold nothing (no body, no files, an unset TX name): told from the
      // word, without reading the Target.
      const w = unchecked(words[ti]);
      if ((w & TargetWord.COUNT) == 0 && this.holdsNothing(w)) continue;
      if (this.target(r, starter, unchecked(r.targetList[ti]), expanded)) matched = true;
    }
    return matched;
  }

  /** A target (not a count) that selects no value: an empty collection, an unset scalar or literal TX name. */
  @inline holdsNothing(w: i32): bool {
    const t = this.t;
    if ((w & TargetWord.LIT_TX) != 0) return t.txSlot(w >>> 16) === null;
    const v = w & TargetWord.VAR_MASK;
    if (isCollection(v)) return v != Var.TX && v != Var.MATCHED_VARS && v != Var.MATCHED_VARS_NAMES && t.coll(v).length == 0;
    return t.scalar(v) === null;
  }

  /**
   * The operator's parameter with its macros expanded, as text. The expansion is nearly always what it was
   * for the previous request (920450's `%{tx.restricted_headers_basic}` is the same TX bytes object each
   * time): then the text made then is reused, and the operator, seeing the same string, its bytes too.
   */
  paramText(r: Rule, starter: Rule): string {
    const b = this.expand(r.opMacro!, starter);
    // Identity, not content: the rule holds `b`, so no other object takes its address, and no one writes
    // into expanded bytes; a multi-part expansion is a new object each time and is decoded again.
    if (b === r.lastParamBytes) return r.lastParamText;
    const text = textOf(b);
    r.lastParamBytes = b;
    r.lastParamText = text;
    return text;
  }

  /**
   * Tests every value one target selects, in place (no copy of the collection: a request allocates
   * nothing per rule for values it only reads). True when one matched.
   */
  target(r: Rule, starter: Rule, target: Target, expanded: string | null): bool {
    const t = this.t;
    const v = target.v;
    // A target (not a count) that holds nothing never gets here: rule() tells it from its word
    // (holdsNothing), before the exclusion checks below, which cost a walk over the runtime removals.
    // Exclusions are checked per member only when one can apply to this variable (941010's
    // ctl:ruleRemoveTargetByTag is active on most requests; testing each tag per member was wasted work).
    const filtered = this.mayExclude(r, starter, v);
    if (!isCollection(v)) {
      // A scalar can be removed as a whole (ctl:ruleRemoveTargetByTag=...;REQUEST_FILENAME, !REQUEST_BODY).
      if (filtered && this.excluded(r, starter, v, EMPTY)) return false;
      const s = t.scalar(v);
      if (target.count) return this.one(r, starter, target, EMPTY, decimal(s === null ? 0 : 1), expanded);
      if (s === null) return false;
      this.at(v, 0);
      return this.one(r, starter, target, EMPTY, s, expanded);
    }
    const sel = target.selector;
    if (v == Var.TX && sel !== null && sel.regex === null) {
      // Literal TX member: one array read, no enumeration.
      const val = sel.txSlot >= 0 ? t.txSlot(sel.txSlot) : t.txGet(sel.key);
      if (target.count) return this.one(r, starter, target, EMPTY, decimal(val === null ? 0 : 1), expanded);
      return val !== null ? this.one(r, starter, target, sel.keyBytes, val, expanded) : false;
    }
    let src: PairList;
    if (v == Var.TX) {
      // A snapshot (setvar may change TX while this rule runs).
      txScratch.clear();
      t.txPairs(txScratch, txScratchPairs);
      src = txScratch;
    } else {
      // MATCHED_VARS only grows while a rule runs (it is cleared before the next one) and its Pairs are
      // not rewritten before that: walking the first `len` members is a snapshot without a copy.
      src = t.coll(v);
    }
    let n = 0;
    let matched = false;
    const len = src.length;
    // Members of a request collection keep their position for the whole transaction: the cache can be
    // indexed by it. TX and MATCHED_VARS are rebuilt as rules run: they use the value-keyed cache.
    const stable = v != Var.TX && v != Var.MATCHED_VARS && v != Var.MATCHED_VARS_NAMES;
    // Repeated values (a JSON array of similar objects): a twin of a member that did not match is skipped.
    const firsts = stable && !target.count && len > 8 ? t.firsts(v) : null;
    if (firsts !== null) {
      if (outcome.length < len) outcome = new StaticArray<u8>(len << 1);
      memory.fill(changetype<usize>(outcome), 0, <usize>len);
    }
    const items = src.items;
    // A header or cookie value this rule found nothing in before is skipped (seen.ts); not with a macro
    // in the operator, whose outcome depends on more than the value.
    const repeats = expanded === null && repeatsAcrossRequests(v);
    for (let i = 0; i < len; i++) {
      const p = unchecked(items[i]);
      if (sel !== null && (sel.cannotMatch(p.name) || !sel.matchesName(p.name))) continue;
      if (filtered && this.excluded(r, starter, v, p.name)) continue;
      n++;
      if (target.count) continue;
      if (firsts !== null) {
        const f = unchecked(firsts[i]);
        if (f != i && unchecked(outcome[f]) == NO_MATCH) continue;
      }
      let hit: bool;
      if (repeats && p.value.length <= SEEN_MAX_LEN) hit = this.oneRemembered(r, starter, target, v, i, p.name, p.value);
      else {
        if (stable) this.at(v, i); else this.at(-1, 0);
        hit = this.one(r, starter, target, p.name, p.value, expanded);
      }
      if (hit) matched = true;
      if (firsts !== null) unchecked(outcome[i] = hit ? MATCHED : NO_MATCH);
    }
    if (target.count) return this.one(r, starter, target, EMPTY, decimal(n), expanded);
    return matched;
  }

  /** Where the next value tested comes from (cache position); v < 0: no stable position. */
  curVar: i32 = -1;
  curIndex: i32 = 0;
  @inline at(v: i32, i: i32): void { this.curVar = v; this.curIndex = i; }

  /** One value: transformations, operator; on a match MATCHED_* and the rule's non-disruptive actions. */
  one(r: Rule, starter: Rule, target: Target, name: Bytes, value: Bytes, expanded: string | null): bool {
    const ok = this.test(r, value, expanded);
    this.curVar = -1;
    if (!ok) return false;
    this.matchedVar(target, name);
    this.effects(r, starter);
    return true;
  }

  /** Applies the pipeline (cached) and the operator; with multiMatch every changed step is tried. */
  test(r: Rule, value: Bytes, expanded: string | null): bool {
    if (!r.multiMatch) {
      const v = this.transformed(r, value);
      this.lastValue = v;
      return this.op(r, v, expanded);
    }
    if (this.op(r, value, expanded)) { this.lastValue = value; return true; }
    let cur = value;
    const steps = r.stepCount;
    let probe = true; // see transformed(): past the first miss nothing is cached
    for (let i = 0; i < steps; i++) {
      let next: Bytes | null = probe ? this.cachedStep(r, i, value) : null;
      if (next === null) { probe = false; next = this.computeStep(r, i, value, cur); }
      if (next !== cur) {
        if (this.op(r, next, expanded)) { this.lastValue = next; return true; }
      }
      cur = next;
    }
    if (steps > 0) return false;
    this.lastValue = cur;
    return this.op(r, cur, expanded);
  }

  /** The value after r's whole pipeline (no multiMatch), from the cache or computed and cached per step. */
  transformed(r: Rule, value: Bytes): Bytes {
    const steps = r.stepCount;
    if (steps == 0) return value;
    const t = this.t;
    const cv = this.curVar;
    const ci = this.curIndex;
    // The whole pipeline is usually cached already (CRS rules share a few pipelines): one lookup.
    const last = unchecked(r.hot[r.stepBase + ((steps - 1) << 1)]);
    const done = cv >= 0 ? t.cachedAt(cv, ci, value, last) : t.cached(value, last);
    if (done !== null) return done;
    // A step is cached only together with its whole prefix (every walk stores each step it computes, and
    // entries are never dropped within a transaction): the cached steps are a prefix, and past the first
    // miss no lookup can hit. The last step missed already.
    let cur = value;
    let i = 0;
    for (; i < steps - 1; i++) {
      const hit = this.cachedStep(r, i, value);
      if (hit === null) break;
      cur = hit;
    }
    for (; i < steps; i++) cur = this.computeStep(r, i, value, cur);
    return cur;
  }

  /** `value` after steps 0..i of r's pipeline when cached, else null. */
  @inline private cachedStep(r: Rule, i: i32, value: Bytes): Bytes | null {
    const cv = this.curVar;
    const node = unchecked(r.hot[r.stepBase + (i << 1)]);
    return cv >= 0 ? this.t.cachedAt(cv, this.curIndex, value, node) : this.t.cached(value, node);
  }

  /** Step i computed from `cur` (the value after steps 0..i-1) and cached. */
  @inline private computeStep(r: Rule, i: i32, value: Bytes, cur: Bytes): Bytes {
    const t = this.t;
    const cv = this.curVar;
    const at = r.stepBase + (i << 1);
    const node = unchecked(r.hot[at]);
    const id = unchecked(r.hot[at + 1]);
    const tc = t.tcache;
    let next: Bytes;
    if (tc.steps.count >= STEP_MEMO_MAX) next = applyTransform(id, cur);
    else {
      const seen = tc.step(id, cur);
      if (seen !== null) next = seen;
      else {
        next = applyTransform(id, cur);
        tc.rememberStep(id, cur, next);
      }
    }
    if (cv >= 0) t.rememberAt(cv, this.curIndex, value, node, next);
    else t.remember(value, node, next);
    return next;
  }

  lastValue: Bytes = EMPTY;

  op(r: Rule, v: Bytes, expanded: string | null): bool {
    // Operators fill captures only when they return true, and the slots are cleared after such a call:
    // they are empty before every call without clearing them for each of the many that do not match.
    const caps = r.capture ? this.t.caps : null;
    const m = r.op!.matches(v, expanded, caps);
    const hit = m != r.negated;
    if (caps !== null && m) {
      if (hit) {
        for (let i = 0; i < 10; i++) {
          const c = caps.get(i);
          if (c !== null) unchecked(this.t.tx[i] = c);
        }
      }
      caps.clear();
    }
    return hit;
  }

  /** MATCHED_VAR(_NAME), MATCHED_VARS(_NAMES) after a match. */
  matchedVar(target: Target, member: Bytes): void {
    const t = this.t;
    let name: Bytes;
    if (target.count || !isCollection(target.v)) name = unchecked(VAR_NAME_BYTES[target.v]);
    else {
      // A member named exactly like a literal selector's key (TX:name, a lower-case header): built once.
      const lit = target.literalName;
      const key = target.selector !== null ? target.selector!.keyBytes : EMPTY;
      name = lit !== null && sameBytes(member, key) ? lit : joinName(unchecked(VAR_NAME_BYTES[target.v]), member);
    }
    t.setScalar(Var.MATCHED_VAR, this.lastValue);
    t.setScalar(Var.MATCHED_VAR_NAME, name);
    t.matchedAdd(name, this.lastValue);
  }

  /** Can an exclusion or a runtime target removal hide members of `v` from this rule? */
  mayExclude(r: Rule, starter: Rule, v: i32): bool {
    const ex = r.exclusionList;
    for (let i = 0; i < ex.length; i++) if (unchecked(ex[i]).v == v) return true;
    const tr = this.t.targetRemovals;
    for (let i = 0; i < tr.length; i++) {
      const x = unchecked(tr[i]);
      if (x.ex.v != v) continue;
      if (x.tagId >= 0 ? hasTag(starter, x.tagId) : (starter.id >= x.idLo && starter.id <= x.idHi)) return true;
    }
    return false;
  }

  excluded(r: Rule, starter: Rule, v: i32, name: Bytes): bool {
    const ex = r.exclusionList;
    for (let i = 0; i < ex.length; i++) {
      const e = unchecked(ex[i]);
      if (e.v == v && (e.selector === null || e.selector!.matchesName(name))) return true;
    }
    const tr = this.t.targetRemovals;
    for (let i = 0; i < tr.length; i++) {
      const x = unchecked(tr[i]);
      const applies = x.tagId >= 0 ? hasTag(starter, x.tagId) : (starter.id >= x.idLo && starter.id <= x.idHi);
      if (!applies) continue;
      if (x.ex.v == v && (x.ex.selector === null || x.ex.selector!.matchesName(name))) return true;
    }
    return false;
  }

  // ---- actions ----
  effects(r: Rule, starter: Rule): void {
    const fx = r.effectList;
    for (let i = 0; i < fx.length; i++) {
      const e = unchecked(fx[i]);
      if (e.kind == EffectKind.SETVAR) this.setvar(e.setvar!, starter);
      else if (e.kind == EffectKind.CTL) this.ctl(e.ctl!);
    }
  }

  setvar(s: SetVar, starter: Rule): void {
    const t = this.t;
    const slot = s.nameSlot;
    if (slot >= 0) {
      // Literal name: array slot.
      if (s.op == SetVarOp.DELETE) { unchecked(t.tx[slot] = null); return; }
      const val = this.expand(s.value, starter);
      if (s.op == SetVarOp.SET) { unchecked(t.tx[slot] = val); return; }
      const cur = unchecked(t.tx[slot]);
      const a = cur === null ? 0 : parseIntBytes(cur);
      unchecked(t.tx[slot] = decimal(s.op == SetVarOp.ADD ? a + parseIntBytes(val) : a - parseIntBytes(val)));
      return;
    }
    const name = latinLower(this.expand(s.nameMacro, starter));
    if (s.op == SetVarOp.DELETE) { t.txDelete(name); return; }
    const val = this.expand(s.value, starter);
    if (s.op == SetVarOp.SET) { t.txSet(name, val); return; }
    const cur = t.txGet(name);
    const a = cur === null ? 0 : parseIntBytes(cur);
    const b = parseIntBytes(val);
    t.txSet(name, decimal(s.op == SetVarOp.ADD ? a + b : a - b));
  }

  ctl(c: Ctl): void {
    const t = this.t;
    switch (c.kind) {
      case CtlKind.RULE_REMOVE_BY_ID: t.removedLo.push(c.idLo); t.removedHi.push(c.idHi); break;
      case CtlKind.RULE_REMOVE_BY_TAG: t.removedTagIds.push(c.num); break;
      case CtlKind.RULE_REMOVE_TARGET_BY_ID: t.targetRemovals.push(new TargetRemoval(c.idLo, c.idHi, -1, c.exclusion!)); break;
      case CtlKind.RULE_REMOVE_TARGET_BY_TAG: t.targetRemovals.push(new TargetRemoval(0, -1, c.num, c.exclusion!)); break;
      case CtlKind.RULE_ENGINE: t.engine = <EngineMode>c.num; break;
      case CtlKind.REQUEST_BODY_PROCESSOR:
        t.bodyProcessor = c.text;
        t.setScalarText(Var.REQBODY_PROCESSOR, c.text);
        break;
      case CtlKind.REQUEST_BODY_ACCESS: t.requestBodyAccess = c.num == 1; break;
      case CtlKind.RESPONSE_BODY_ACCESS: t.responseBodyAccess = c.num == 1; break;
      case CtlKind.FORCE_REQUEST_BODY_VARIABLE: t.forceRequestBodyVariable = c.num == 1; break;
      case CtlKind.AUDIT_ENGINE: t.audit = <AuditMode>c.num; break;
      case CtlKind.REQUEST_BODY_LIMIT: t.requestBodyLimit = c.num; break;
      default: break; // message-based removals, log parts, debug level: no runtime effect here
    }
  }

  /** Logs/records a matched chain (log and audit). */
  record(r: Rule, phase: i32): void {
    const t = this.t;
    if (r.severity >= 0 && r.severity < t.highestSeverity) t.highestSeverity = r.severity;
    if (r.log != 1 && r.auditlog != 1) return;
    const msg = r.msg !== null ? printable(this.expand(r.msg!, r), 1024) : "";
    const data = r.logdata !== null ? printable(this.expand(r.logdata!, r), 512) : "";
    const mname = t.scalar(Var.MATCHED_VAR_NAME);
    t.matches.push(new MatchRecord(r, msg, data, mname === null ? "" : printable(mname, 256), phase));
  }

  /** 0: continue; 1: interrupted; 2: allow ended the phase. */
  disrupt(r: Rule, phase: i32): i32 {
    const t = this.t;
    let d = r.disruptive;
    let status = r.status;
    if (d == Disruptive.BLOCK) {
      d = r.blockAs;
      if (status == 0) status = r.blockStatus;
    }
    if (d == Disruptive.NONE || d == Disruptive.PASS) return 0;
    if (t.engine != EngineMode.ON) return 0; // DetectionOnly: disruptive actions are only logged
    if (d == Disruptive.ALLOW) {
      if (r.allowScope == AllowScope.PHASE) return 2;
      if (r.allowScope == AllowScope.REQUEST) { t.allowedRequest = true; return 2; }
      t.allowedAll = true;
      return 2;
    }
    if (d == Disruptive.REDIRECT) {
      const loc = printable(this.expand(r.redirect!, r), 2048);
      t.interruption = new Interruption(status >= 300 && status < 400 ? status : 302, "redirect", r.id, loc);
      return 1;
    }
    t.interruption = new Interruption(status > 0 ? status : 403, d == Disruptive.DROP ? "drop" : "deny", r.id, "");
    return 1;
  }

  // ---- macros ----
  expand(m: Macro, rule: Rule): Bytes {
    const parts = m.parts;
    if (parts.length == 1) return this.part(m, 0, rule);
    // The parts are appended to a shared buffer above `base` (a nested expansion, %{rule.msg}, works
    // above this one's end and gives it back before returning), then copied out once.
    const base = joinLen;
    for (let i = 0; i < parts.length; i++) joinAppend(this.part(m, i, rule));
    const n = joinLen - base;
    const out = new Uint8Array(n);
    memory.copy(out.dataStart, joinBuf.dataStart + <usize>base, <usize>n);
    joinLen = base;
    return out;
  }

  part(m: Macro, i: i32, rule: Rule): Bytes {
    const p = unchecked(m.parts[i]);
    if (p.v < 0) return p.bytes;
    const t = this.t;
    if (p.v == Var.TX) {
      const v = p.txSlot >= 0 ? t.txSlot(p.txSlot) : t.txGet(p.key);
      return v === null ? EMPTY : v;
    }
    if (p.v == Var.RULE) return ruleField(rule, p.key, this);
    if (!isCollection(p.v)) {
      const s = t.scalar(p.v);
      return s === null ? EMPTY : s;
    }
    const c = t.coll(p.v);
    for (let k = 0; k < c.length; k++) {
      const pr = c.at(k);
      if (p.key.length == 0 || equalsIgnoreCase(pr.name, p.key)) return pr.value;
    }
    return EMPTY;
  }
}

/** Macro expansion's work buffer (see Evaluator.expand). */
let joinBuf = new Uint8Array(256);
let joinLen: i32 = 0;

function joinAppend(b: Bytes): void {
  const n = b.length;
  if (joinLen + n > joinBuf.length) {
    const next = new Uint8Array(max(joinBuf.length << 1, joinLen + n));
    memory.copy(next.dataStart, joinBuf.dataStart, <usize>joinLen);
    joinBuf = next;
  }
  memory.copy(joinBuf.dataStart + <usize>joinLen, b.dataStart, <usize>n);
  joinLen += n;
}

function ruleField(r: Rule, key: string, ev: Evaluator): Bytes {
  if (key == "id") {
    // Built once per rule (rule ids are above the small numbers text.ts shares).
    let b = r.idBytes;
    if (b === null) { b = decimal(r.id); r.idBytes = b; }
    return b;
  }
  if (key == "msg") return r.msg === null ? EMPTY : ev.expand(r.msg!, r);
  if (key == "logdata") return r.logdata === null ? EMPTY : ev.expand(r.logdata!, r);
  if (key == "severity") return r.severity < 0 ? EMPTY : decimal(r.severity);
  if (key == "rev") return Uint8Array.wrap(String.UTF8.encode(r.rev));
  if (key == "ver") return Uint8Array.wrap(String.UTF8.encode(r.ver));
  if (key == "phase") return decimal(r.phase);
  return EMPTY;
}

/** Collections whose values a client repeats request after request (seen.ts). */
function repeatsAcrossRequests(v: i32): bool {
  return v == Var.REQUEST_HEADERS || v == Var.REQUEST_HEADERS_NAMES || v == Var.REQUEST_COOKIES || v == Var.REQUEST_COOKIES_NAMES;
}

/** Runs the regexes whose bit is still clear on one value; returns the bits with the matches added. */
function runAll(g: RuleGroup, v: Bytes, bits: u32): u32 {
  const ptr = v.dataStart;
  const n = v.length;
  // Only members whose required literals the value contains can match it.
  let todo = g.filter.candidates(ptr, n) & ~bits;
  const res = g.regexes;
  while (todo != 0) {
    const j = <i32>ctz(todo);
    todo &= todo - 1;
    if (unchecked(res[j]).isMatchBytes(ptr, n)) bits |= <u32>1 << <u32>j;
  }
  return bits;
}

function sameBytes(a: Bytes, b: Bytes): bool {
  if (a === b) return true;
  const n = a.length;
  return n == b.length && memory.compare(a.dataStart, b.dataStart, <usize>n) == 0;
}

/** `ARGS` + `:` + member name, as raw bytes. */
function joinName(v: Bytes, member: Bytes): Bytes {
  const out = new Uint8Array(v.length + 1 + member.length);
  out.set(v, 0);
  out[v.length] = 58;
  out.set(member, v.length + 1);
  return out;
}


export { Exclusion, Interruption, MatchRecord };
