// Rule groups: @rx rules of one phase section that read (nearly) the same targets through the same
// transformations. A benign request walks each target member, transforms it and runs a regex once per
// rule; for a group the walk and the transformation lookups happen once per member, one pass over the
// value tells which members' required literals it holds, and only those members' regexes run on it
// (evaluate.ts, Evaluator.prescan). A rule whose regex matched no value of the group's targets (a superset
// of its own) cannot match and is skipped; any other rule is evaluated in full as before, so results are
// the same.
import { LiteralFilter, Regex, regexLiterals } from "../../assembly/regex/index";
import { Rx } from "../../assembly/seclang/operators/rx";
import { collectNow } from "./configure-gc";
import { Rule } from "./rule";
import { Ruleset } from "./ruleset";
import { Target, Var } from "./variables";

/** Members per group: their outcomes are bits of one u32. */
const MAX_MEMBERS: i32 = 32;

export class RuleGroup {
  rules: Rule[] = [];
  regexes: Regex[] = [];
  /** The members' targets together: a member's values are among them (others only cost a scan). */
  targets: Target[] = [];
  /** `targets` frozen when grouping ends (what prescan walks). */
  targetList: StaticArray<Target> = new StaticArray<Target>(0);
  /**
   * Which members' regexes can match a value at all (their required literals), one pass per value. Made
   * only for groups kept (two members or more): its tables are 9 KiB, and most candidate groups end up
   * with one member, garbage that doubled linear memory before the collection after onConfigure.
   */
  filter!: LiteralFilter;
  constructor(public index: i32, public first: Rule) {}
}

/**
 * Variables whose members cannot change while a phase's rules run (rules change TX, MATCHED_*, and the
 * body processor for later phases, never these), so values gathered for the group are the ones each
 * member rule would see.
 */
function stableVar(v: i32): bool {
  switch (v) {
    case Var.ARGS: case Var.ARGS_GET: case Var.ARGS_POST: case Var.ARGS_NAMES: case Var.ARGS_GET_NAMES:
    case Var.ARGS_POST_NAMES: case Var.REQUEST_HEADERS: case Var.REQUEST_HEADERS_NAMES: case Var.REQUEST_COOKIES:
    case Var.REQUEST_COOKIES_NAMES: case Var.XML: case Var.FILES: case Var.FILES_NAMES:
    case Var.MULTIPART_PART_HEADERS: case Var.REQUEST_LINE: case Var.REQUEST_METHOD: case Var.REQUEST_URI:
    case Var.REQUEST_URI_RAW: case Var.REQUEST_FILENAME: case Var.REQUEST_BASENAME: case Var.QUERY_STRING:
    case Var.REQUEST_PROTOCOL: case Var.REQUEST_BODY:
      return true;
  }
  return false;
}

/** Can the rule's outcome be decided by its regex over its targets' values alone (no other state)? */
export function groupable(r: Rule): bool {
  if (r.unconditional || r.negated || r.multiMatch || r.opMacro !== null || r.opName != "rx") return false;
  if (!(r.op instanceof Rx)) return false;
  if (r.targets.length == 0) return false;
  for (let i = 0; i < r.targets.length; i++) {
    const t = unchecked(r.targets[i]);
    if (t.count || !stableVar(t.v)) return false;
  }
  return true;
}

function sameTarget(a: Target, b: Target): bool {
  if (a.v != b.v || a.count != b.count) return false;
  const x = a.selector;
  const y = b.selector;
  if (x === null || y === null) return x === y;
  return x.key == y.key && (x.regex === null) == (y.regex === null);
}

/** The same transformation pipeline (the trie node of its last step). */
export function samePipeline(a: Rule, b: Rule): bool {
  const n = a.transformNodes.length;
  if (n != b.transformNodes.length) return false;
  return n == 0 || unchecked(a.transformNodes[n - 1]) == unchecked(b.transformNodes[n - 1]);
}

/** r's targets the list does not have yet. */
function missing(list: Target[], r: Rule): Target[] {
  const out: Target[] = [];
  for (let i = 0; i < r.targets.length; i++) {
    const t = unchecked(r.targets[i]);
    let found = false;
    for (let k = 0; k < list.length && !found; k++) found = sameTarget(unchecked(list[k]), t);
    if (!found) out.push(t);
  }
  return out;
}

/** A few targets more than either side had keeps the scan close to what each rule reads alone. */
const MAX_EXTRA_TARGETS: i32 = 2;

/** Adds r to g when they share the pipeline and their targets mostly overlap. */
function join(g: RuleGroup, r: Rule): bool {
  if (g.rules.length >= MAX_MEMBERS || !samePipeline(g.first, r)) return false;
  const extra = missing(g.targets, r);
  if (g.targets.length + extra.length > max(g.targets.length, r.targets.length) + MAX_EXTRA_TARGETS) return false;
  for (let i = 0; i < extra.length; i++) g.targets.push(extra[i]);
  return true;
}

/**
 * Groups each phase's rules. A section ends at a rule that changes the flow (skip, skipAfter) or where a
 * skipAfter lands, so a group does not span rules a paranoia-level jump passes over (their regexes would
 * run for nothing). Correctness does not depend on this: a group is evaluated when any member is reached.
 */
export function buildGroups(rs: Ruleset): void {
  rs.groups = [];
  for (let p = 1; p <= 5; p++) {
    const list = rs.phases[p];
    const landing = new StaticArray<bool>(list.length + 1);
    for (let i = 0; i < list.length; i++) {
      const si = list[i].skipAfterIndex;
      if (list[i].skipAfter.length > 0 && si >= 0 && si <= list.length) landing[si] = true;
    }
    const made: RuleGroup[] = [];
    let open: RuleGroup[] = [];
    for (let i = 0; i < list.length; i++) {
      const r = list[i];
      r.group = -1;
      if (landing[i]) open = [];
      if (groupable(r)) {
        let g: RuleGroup | null = null;
        for (let k = 0; k < open.length; k++) {
          if (join(open[k], r)) { g = open[k]; break; }
        }
        if (g === null) {
          g = new RuleGroup(-1, r);
          g.targets = r.targets.slice(0);
          open.push(g);
          made.push(g);
        }
        g.rules.push(r);
        g.regexes.push((<Rx>r.op).re);
      }
      if (r.skip > 0 || r.skipAfter.length > 0) open = [];
    }
    // A single rule gains nothing from a group.
    for (let k = 0; k < made.length; k++) {
      const g = made[k];
      if (g.rules.length < 2) continue;
      g.index = rs.groups.length;
      g.filter = new LiteralFilter();
      g.targetList = StaticArray.fromArray<Target>(g.targets);
      rs.groups.push(g);
      for (let j = 0; j < g.rules.length; j++) {
        g.rules[j].group = g.index;
        g.rules[j].groupBit = j;
      }
    }
  }
  // The pattern trees parsed again for the filters (about a megabyte for the CRS) are garbage for the
  // collection after onConfigure; the last directives' garbage is collected first, or both together would
  // double linear memory (13 to 26 MiB for the CRS). Everything needed is reachable from the kept compiler.
  collectNow();
  for (let k = 0; k < rs.groups.length; k++) {
    const g = rs.groups[k];
    for (let j = 0; j < g.regexes.length; j++) g.filter.add(j, regexLiterals(g.regexes[j]));
  }
}
