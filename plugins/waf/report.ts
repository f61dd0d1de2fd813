// What a transaction leaves behind: one ModSecurity-style line per matched rule with `log` (the CRS
// regression runner reads `[id "N"]` from them), the JSON audit line, and the hit/action counters.
import { JsonWriter } from "../../assembly/json/index";
import { Counter, defineCounter } from "../../sdk";
import { SEVERITY_NAMES } from "./rule";
import { AuditMode } from "./ruleset";
import { MatchRecord, Transaction } from "./transaction";
import { Var } from "./variables";
import { printable } from "./text";

function field(name: string, value: string): string { return " [" + name + " \"" + value + "\"]"; }

function scalarText(t: Transaction, v: i32, max: i32): string {
  const s = t.scalar(v);
  return s === null ? "" : printable(s, max);
}

/** `[client "ip"] ModSecurity: Warning. ... [id "942100"] [msg "..."] ...` for one matched rule. */
export function ruleLogLine(t: Transaction, m: MatchRecord): string {
  const r = m.rule;
  let s = "[client \"" + scalarText(t, Var.REMOTE_ADDR, 64) + "\"] ModSecurity: Warning. Matched \"Operator `@" + r.opName + "'\"";
  if (m.matchedName.length > 0) s += " against variable `" + m.matchedName + "'";
  s += "." + field("file", r.file) + field("line", r.line.toString()) + field("id", r.id.toString()) + field("rev", r.rev);
  s += field("msg", m.msg) + field("data", m.data);
  s += field("severity", r.severity >= 0 ? SEVERITY_NAMES[r.severity] : "");
  s += field("ver", r.ver) + field("maturity", (r.maturity < 0 ? 0 : r.maturity).toString()) + field("accuracy", (r.accuracy < 0 ? 0 : r.accuracy).toString());
  for (let i = 0; i < r.tags.length; i++) s += field("tag", r.tags[i]);
  s += field("hostname", scalarText(t, Var.SERVER_NAME, 256)) + field("uri", scalarText(t, Var.REQUEST_URI_RAW, 1024));
  s += field("unique_id", scalarText(t, Var.UNIQUE_ID, 128));
  return s;
}

/** The line ModSecurity writes when a rule stops the transaction. */
export function interruptionLine(t: Transaction, phase: i32): string {
  const i = t.interruption!;
  return "[client \"" + scalarText(t, Var.REMOTE_ADDR, 64) + "\"] ModSecurity: Access denied with code " + i.status.toString() +
    " (phase " + phase.toString() + ")." + field("id", i.ruleId.toString()) + field("action", i.action) +
    field("uri", scalarText(t, Var.REQUEST_URI_RAW, 1024)) + field("unique_id", scalarText(t, Var.UNIQUE_ID, 128));
}

/** One JSON object per transaction: request facts, the interruption and every matched rule. */
export function auditLine(t: Transaction): string | null {
  if (t.audit == AuditMode.OFF) return null;
  let relevant = t.interruption !== null;
  for (let i = 0; i < t.matches.length && !relevant; i++) if (t.matches[i].rule.auditlog == 1) relevant = true;
  if (t.audit == AuditMode.RELEVANT_ONLY && !relevant) return null;
  const w = new JsonWriter(512);
  w.beginObject();
  w.key("transaction").beginObject();
  w.key("id").string(scalarText(t, Var.UNIQUE_ID, 128));
  w.key("client_ip").string(scalarText(t, Var.REMOTE_ADDR, 64));
  w.key("method").string(scalarText(t, Var.REQUEST_METHOD, 64));
  w.key("uri").string(scalarText(t, Var.REQUEST_URI_RAW, 2048));
  w.key("host").string(scalarText(t, Var.SERVER_NAME, 256));
  w.key("response_status").string(scalarText(t, Var.RESPONSE_STATUS, 8));
  w.endObject();
  if (t.interruption !== null) {
    const i = t.interruption!;
    w.key("interruption").beginObject().key("rule_id").integer(i.ruleId).key("action").string(i.action).key("status").integer(i.status).endObject();
  }
  w.key("matches").beginArray();
  for (let i = 0; i < t.matches.length; i++) {
    const m = t.matches[i];
    if (m.rule.auditlog != 1) continue;
    const r = m.rule;
    w.beginObject();
    w.key("id").integer(r.id).key("phase").integer(m.phase).key("msg").string(m.msg).key("data").string(m.data);
    w.key("severity").string(r.severity >= 0 ? SEVERITY_NAMES[r.severity] : "");
    w.key("matched_var").string(m.matchedName);
    w.key("tags").beginArray();
    for (let k = 0; k < r.tags.length; k++) w.string(r.tags[k]);
    w.endArray();
    w.endObject();
  }
  w.endArray();
  w.endObject();
  return w.ok ? w.toString() : null;
}

/** `waf_rule_hits` tagged by rule id; defined on the rule's first hit (Envoy stat per rule that fires). */
export function countHit(m: MatchRecord): void {
  const r = m.rule;
  if (r.counter === null) r.counter = defineCounter("rule_id=.=" + r.id.toString() + ";.;waf_rule_hits");
  r.counter!.increment();
}

const actionCounters = new Map<string, Counter>();

/** `waf_actions` tagged by action: deny, drop, redirect (blocked) or detected (DetectionOnly/pass with matches). */
export function countAction(action: string): void {
  let c: Counter;
  if (actionCounters.has(action)) c = actionCounters.get(action);
  else {
    c = defineCounter("action=.=" + action + ";.;waf_actions");
    actionCounters.set(action, c);
  }
  c.increment();
}
