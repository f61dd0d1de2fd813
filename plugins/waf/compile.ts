// Directives → Ruleset. Runs once per configuration: resolves Include, SecDefaultAction, chains,
// markers, removals and target/action updates, compiles operators, transformations and macros.
import { compileOperator } from "../../assembly/seclang/operators/index";
import { transformId } from "../../assembly/seclang/transforms/index";
import { Operator } from "../../assembly/seclang/types";
import { ActionItem, splitActions } from "./actions";
import { collectIfDue, keep, mark, release } from "./configure-gc";
import { ConfigFiles } from "./files";
import { buildGroups } from "./groups";
import { compileMacro, Macro } from "./macro";
import { AllowScope, Ctl, CtlKind, Disruptive, Effect, EffectKind, freezeRule, parseSeverity, Rule, SetVar, SetVarOp } from "./rule";
import { AuditMode, BodyLimitAction, EngineMode, Ruleset } from "./ruleset";
import { Directive, parseSource, SourceResult } from "./source";
import { compileSelector, Exclusion, parseTargets, TargetList, varByName, Var } from "./variables";

const MAX_INCLUDE_DEPTH: i32 = 8;

/** Directives accepted without effect in a proxy (logging destinations, storage, server identity). */
const ACCEPTED: string[] = [
  "secauditlog", "secauditlog2", "secauditlogparts", "secauditlogrelevantstatus", "secauditlogtype",
  "secauditlogformat", "secauditlogstoragedir", "secauditlogdirmode", "secauditlogfilemode", "secdebuglog",
  "secdebuglogleveL".toLowerCase(), "secunicodemapfile", "secunicodecodepage", "seccollectiontimeout",
  "secrequestbodyinmemorylimit", "secuploaddir", "secuploadkeepfiles", "secuploadfilemode", "sectmpdir",
  "secdatadir", "secpcrematchlimit", "secpcrematchlimitrecursion", "secstatusengine", "secwebappid",
  "secserversignature", "secsensorid", "sectmpsaverequestbody", "secgeolookupdb", "seccookieformat",
  "secconnengine", "secxmlexternalentity", "sechashengine", "sechashkey", "sechashparam", "sechashmethodrx",
  "sechashmethodpm", "secruleperftime", "secstreamoutbodyinspection", "secstreaminbodyinspection",
  "secinterceptonerror", "secconnreadstatelimit", "secconnwritestatelimit", "secremoterules",
  "secremoterulesfailaction", "secresponsebodymimetypesclear_unused",
];

class Item {
  constructor(public rule: Rule | null, public marker: string) {}
}

export class Compiler {
  rs: Ruleset = new Ruleset();
  files: ConfigFiles;
  items: Item[] = [];
  ids: Set<i32> = new Set<i32>();
  defaults: Array<ActionItem[]> = [[], [], [], [], [], []];
  /** The last rule of a chain still waiting for its next SecRule. */
  openChain: Rule | null = null;
  error: string = "";
  /** Group @rx rules that share targets and transformations (groups.ts); off only to compare results. */
  matchSets: bool = true;
  depth: i32 = 0;
  /** Compiled operators by name, then parameter: the CRS repeats some (`@lt 2` 47 times, a few regexes and
   * phrase lists). An operator is not changed once compiled, so the rules saying the same one share it. */
  ops: Map<string, Map<string, Operator>> = new Map<string, Map<string, Operator>>();

  constructor(files: ConfigFiles) { this.files = files; }

  /** Compiles one source text (a file or one configuration entry); false with `error` set on failure. */
  addSource(file: string, text: string): bool {
    // Kept while its directives compile: a collection may run between them (configure-gc.ts).
    const m = mark();
    keep(file);
    keep(text);
    const ok = this.addKept(file, text, keep(new SourceResult()));
    release(m);
    return ok;
  }

  private addKept(file: string, text: string, src: SourceResult): bool {
    parseSource(file, text, src);
    if (src.error.length > 0) { this.error = src.error; return false; }
    for (let i = 0; i < src.directives.length; i++) {
      const d = src.directives[i];
      collectIfDue(d.weight());
      const e = this.directive(d);
      if (e.length > 0) {
        if (this.error.length == 0) this.error = d.where() + ": " + e;
        return false;
      }
    }
    return true;
  }

  directive(d: Directive): string {
    const name = d.name.toLowerCase();
    const a = d.args;
    if (this.openChain !== null && name != "secrule") return "a chained rule must be followed by SecRule, not " + d.name;
    if (name == "include") return this.include(d);
    if (name == "secrule") {
      if (a.length < 2 || a.length > 3) return "SecRule needs VARIABLES \"OPERATOR\" [\"ACTIONS\"]";
      return this.rule(d, a[0], a[1], a.length == 3 ? a[2] : "", false);
    }
    if (name == "secaction") {
      if (a.length != 1) return "SecAction needs one quoted action list";
      return this.rule(d, "", "", a[0], true);
    }
    if (name == "secmarker") {
      if (a.length != 1) return "SecMarker needs one name";
      this.items.push(new Item(null, a[0]));
      return "";
    }
    if (name == "secdefaultaction") return this.defaultAction(a);
    const s = this.rs.settings;
    if (name == "secruleengine") {
      const v = this.one(a).toLowerCase();
      if (v == "on") s.engine = EngineMode.ON;
      else if (v == "off") s.engine = EngineMode.OFF;
      else if (v == "detectiononly") s.engine = EngineMode.DETECTION_ONLY;
      else return "SecRuleEngine must be On, Off or DetectionOnly, got `" + v + "`";
      return "";
    }
    if (name == "secrequestbodyaccess") return this.onOff(a, 0);
    if (name == "secresponsebodyaccess") return this.onOff(a, 1);
    if (name == "secrequestbodylimit") return this.limit(a, 0);
    if (name == "secrequestbodynofileslimit") return this.limit(a, 1);
    if (name == "secresponsebodylimit") return this.limit(a, 2);
    if (name == "secrequestbodyjsondepthlimit") return this.limit(a, 3);
    if (name == "secargumentslimit") return this.limit(a, 4);
    if (name == "secuploadfilelimit") return this.limit(a, 5);
    if (name == "secrequestbodylimitaction" || name == "secresponsebodylimitaction") {
      const v = this.one(a).toLowerCase();
      let act = BodyLimitAction.REJECT;
      if (v == "processpartial") act = BodyLimitAction.PROCESS_PARTIAL;
      else if (v != "reject") return d.name + " must be Reject or ProcessPartial, got `" + v + "`";
      if (name == "secrequestbodylimitaction") s.requestBodyLimitAction = act; else s.responseBodyLimitAction = act;
      return "";
    }
    if (name == "secresponsebodymimetype") {
      if (a.length == 0) return "SecResponseBodyMimeType needs at least one type";
      s.responseBodyMimeTypes = [];
      for (let i = 0; i < a.length; i++) {
        const parts = a[i].split(" ");
        for (let j = 0; j < parts.length; j++) if (parts[j].length > 0) s.responseBodyMimeTypes.push(parts[j].toLowerCase());
      }
      return "";
    }
    if (name == "secresponsebodymimetypesclear") { s.responseBodyMimeTypes = []; return ""; }
    if (name == "secargumentseparator") {
      const v = this.one(a);
      if (v.length != 1) return "SecArgumentSeparator must be one character";
      s.argumentSeparator = v.charCodeAt(0);
      return "";
    }
    if (name == "seccomponentsignature") { s.componentSignatures.push(this.one(a)); return ""; }
    if (name == "secauditengine") {
      const v = this.one(a).toLowerCase();
      if (v == "on") s.audit = AuditMode.ON;
      else if (v == "off") s.audit = AuditMode.OFF;
      else if (v == "relevantonly") s.audit = AuditMode.RELEVANT_ONLY;
      else return "SecAuditEngine must be On, Off or RelevantOnly, got `" + v + "`";
      return "";
    }
    if (name == "secruleremovebyid") return this.removeById(a);
    if (name == "secruleremovebytag") return this.removeBy(a, 0);
    if (name == "secruleremovebymsg") return this.removeBy(a, 1);
    if (name == "secruleupdatetargetbyid") return this.updateTarget(a, 0);
    if (name == "secruleupdatetargetbytag") return this.updateTarget(a, 1);
    if (name == "secruleupdatetargetbymsg") return this.updateTarget(a, 2);
    if (name == "secruleupdateactionbyid") return this.updateAction(a);
    if (ACCEPTED.includes(name)) return "";
    return "unknown directive " + d.name;
  }

  one(a: string[]): string { return a.length > 0 ? a[0] : ""; }

  onOff(a: string[], which: i32): string {
    const v = this.one(a).toLowerCase();
    if (v != "on" && v != "off") return "expected On or Off, got `" + v + "`";
    if (which == 0) this.rs.settings.requestBodyAccess = v == "on";
    else this.rs.settings.responseBodyAccess = v == "on";
    return "";
  }

  limit(a: string[], which: i32): string {
    const v = this.one(a);
    const n = parseNonNegative(v);
    if (n < 0) return "expected a non-negative integer, got `" + v + "`";
    const s = this.rs.settings;
    if (which == 0) s.requestBodyLimit = n;
    else if (which == 1) s.requestBodyNoFilesLimit = n;
    else if (which == 2) s.responseBodyLimit = n;
    else if (which == 3) s.jsonDepth = n;
    else if (which == 4) s.argumentsLimit = n;
    else s.uploadFileLimit = n;
    return "";
  }

  include(d: Directive): string {
    if (d.args.length != 1) return "Include needs one file name";
    if (this.depth >= MAX_INCLUDE_DEPTH) return "Include nested deeper than " + MAX_INCLUDE_DEPTH.toString();
    const pattern = d.args[0];
    let names: string[];
    if (pattern.includes("*")) names = this.files.glob(pattern);
    else names = this.files.get(pattern) !== null ? [pattern] : [];
    if (names.length == 0) return "Include: no file named `" + pattern + "` (embedded: @crs-setup-conf, @recommended-conf, @demo-conf, @owasp_crs/*.conf; or the configuration's `files`)";
    this.depth++;
    const m = mark();
    keep(names);
    for (let i = 0; i < names.length; i++) {
      // Wildcards pick rule files only: data files share the folder.
      if (pattern.includes("*") && !names[i].endsWith(".conf") && !pattern.endsWith("*")) continue;
      const text = this.files.get(names[i]);
      if (text === null) continue;
      if (!this.addSource(names[i], text)) { this.depth--; release(m); return "in " + names[i]; }
    }
    release(m);
    this.depth--;
    return "";
  }

  defaultAction(a: string[]): string {
    if (a.length != 1) return "SecDefaultAction needs one quoted action list";
    const err: string[] = [""];
    const items = splitActions(a[0], err);
    if (err[0].length > 0) return err[0];
    let phase = 2;
    let disruptive = false;
    for (let i = 0; i < items.length; i++) {
      const it = items[i];
      if (it.name == "phase") {
        phase = parsePhase(it.value);
        if (phase < 0) return "bad phase `" + it.value + "`";
      }
      if (it.name == "id" || it.name == "chain" || it.name == "skip" || it.name == "skipafter") return "SecDefaultAction may not use " + it.name;
      if (isDisruptiveName(it.name)) disruptive = true;
    }
    if (!disruptive) return "SecDefaultAction needs a disruptive action (pass, deny, ...)";
    this.defaults[phase] = items;
    return "";
  }

  /** SecRule / SecAction. */
  rule(d: Directive, vars: string, opText: string, actionText: string, isAction: bool): string {
    const r = new Rule();
    r.file = d.file;
    r.line = d.line;
    const starter = this.openChain;
    const chained = starter !== null;
    const err: string[] = [""];
    const items = splitActions(actionText, err);
    if (err[0].length > 0) return err[0];

    let phase = 2;
    if (chained) phase = starter!.parent!.phase;
    else for (let i = 0; i < items.length; i++) {
      if (items[i].name == "phase") {
        phase = parsePhase(items[i].value);
        if (phase < 0) return "bad phase `" + items[i].value + "`";
      }
    }
    r.phase = phase;
    r.parent = chained ? starter!.parent : r;

    // Without SecDefaultAction ModSecurity's default is phase:2,log,auditlog,pass.
    r.disruptive = Disruptive.NONE;
    r.log = 1;
    r.auditlog = 1;
    const defs = this.defaults[phase];
    r.blockAs = Disruptive.PASS;
    for (let i = 0; i < defs.length; i++) {
      const it = defs[i];
      if (isDisruptiveName(it.name)) { r.blockAs = disruptiveOf(it.name); continue; }
      if (it.name == "status") { r.blockStatus = parseNonNegative(it.value); continue; }
      if (chained) continue;
      if (it.name == "phase" || it.name == "msg" || it.name == "logdata" || it.name == "tag" || it.name == "setvar" || it.name == "ctl" || it.name == "capture") continue;
      const e = this.action(r, it, chained);
      if (e.length > 0) return "SecDefaultAction: " + e;
    }
    for (let i = 0; i < items.length; i++) {
      const e = this.action(r, items[i], chained);
      if (e.length > 0) return e;
    }

    if (isAction) {
      r.unconditional = true;
    } else {
      const tl = new TargetList();
      parseTargets(vars, tl);
      if (tl.error.length > 0) return tl.error;
      if (tl.targets.length == 0) return "no variable to inspect in `" + vars + "`";
      r.targets = tl.targets;
      r.exclusions = tl.exclusions;
      const e = this.operator(r, opText);
      if (e.length > 0) return e;
    }

    if (chained) {
      if (r.id != 0) return "a chained rule may not have an id";
      starter!.chained = r;
    } else {
      if (r.id == 0) return "rule has no id";
      if (this.ids.has(r.id)) return "duplicate rule id " + r.id.toString();
      this.ids.add(r.id);
      this.items.push(new Item(r, ""));
    }
    this.openChain = r.hasChain ? r : null;
    return "";
  }

  operator(r: Rule, text: string): string {
    let t = text;
    let i = 0;
    while (i < t.length && (t.charCodeAt(i) == 32 || t.charCodeAt(i) == 9)) i++;
    t = t.substring(i);
    if (t.startsWith("!")) { r.negated = true; t = t.substring(1); }
    let name = "rx";
    let param = t;
    if (t.startsWith("@")) {
      let sp = 1;
      while (sp < t.length && t.charCodeAt(sp) != 32 && t.charCodeAt(sp) != 9) sp++;
      name = t.substring(1, sp);
      param = sp < t.length ? t.substring(sp + 1) : "";
    }
    r.opName = name.toLowerCase();
    r.opParam = param;
    let byParam: Map<string, Operator>;
    if (this.ops.has(r.opName)) byParam = this.ops.get(r.opName);
    else { byParam = new Map<string, Operator>(); this.ops.set(r.opName, byParam); }
    if (byParam.has(param)) r.op = byParam.get(param);
    else {
      const res = compileOperator(name, param, this.files);
      if (res.op === null) return "@" + name + ": " + res.error;
      r.op = res.op;
      byParam.set(param, res.op!);
    }
    if (hasMacro(param)) {
      const err: string[] = [""];
      r.opMacro = compileMacro(param, err);
      if (r.opMacro === null) return "@" + name + ": " + err[0];
    }
    return "";
  }

  /** Applies one action to a rule being compiled. */
  action(r: Rule, it: ActionItem, chained: bool): string {
    const n = it.name;
    const v = it.value;
    if (n == "id") {
      const id = parseNonNegative(v.startsWith("'") ? v.substring(1, v.length - 1) : v);
      if (id <= 0) return "bad id `" + v + "`";
      r.id = id;
    } else if (n == "phase") {
      // handled before the actions (defaults depend on it); a chained rule inherits the starter's
    } else if (n == "t") {
      if (v.toLowerCase() == "none") { r.transformIds = []; return ""; }
      const id = transformId(v);
      if (id < 0) return "unknown transformation " + v;
      r.transformIds.push(id);
    } else if (isDisruptiveName(n)) {
      if (chained) return "disruptive action " + n + " in a chained rule (only the chain's first rule may have one)";
      r.disruptive = disruptiveOf(n);
      if (n == "allow") {
        const s = v.toLowerCase();
        if (s == "") r.allowScope = AllowScope.ALL;
        else if (s == "phase") r.allowScope = AllowScope.PHASE;
        else if (s == "request") r.allowScope = AllowScope.REQUEST;
        else return "allow takes phase or request, got `" + v + "`";
      }
      if (n == "redirect") {
        const err: string[] = [""];
        r.redirect = compileMacro(v, err);
        if (r.redirect === null) return err[0];
        if (v.length == 0) return "redirect needs a URL";
      }
    } else if (n == "status") {
      const s = parseNonNegative(v);
      if (s < 100 || s > 599) return "bad status `" + v + "`";
      r.status = s;
    } else if (n == "log") { r.log = 1;
    } else if (n == "nolog") { r.log = 0; r.auditlog = 0;
    } else if (n == "auditlog") { r.auditlog = 1;
    } else if (n == "noauditlog") { r.auditlog = 0;
    } else if (n == "msg" || n == "logdata") {
      const err: string[] = [""];
      const m = compileMacro(v, err);
      if (m === null) return err[0];
      if (n == "msg") r.msg = m; else r.logdata = m;
    } else if (n == "tag") { r.tags.push(v); r.tagIds.push(this.rs.tagId(v));
    } else if (n == "severity") {
      r.severity = parseSeverity(v);
      if (r.severity < 0) return "bad severity `" + v + "`";
    } else if (n == "ver") { r.ver = v;
    } else if (n == "rev") { r.rev = v;
    } else if (n == "maturity" || n == "accuracy") {
      const x = parseNonNegative(v);
      if (x < 1 || x > 9) return n + " must be 1..9, got `" + v + "`";
      if (n == "maturity") r.maturity = x; else r.accuracy = x;
    } else if (n == "capture") { r.capture = true;
    } else if (n == "multimatch") { r.multiMatch = true;
    } else if (n == "chain") { r.hasChain = true;
    } else if (n == "skip") {
      const x = parseNonNegative(v);
      if (x < 1) return "skip needs a positive count, got `" + v + "`";
      r.skip = x;
    } else if (n == "skipafter") {
      if (v.length == 0) return "skipAfter needs a marker name";
      r.skipAfter = v;
    } else if (n == "setvar") {
      const e = this.setvar(r, v);
      if (e.length > 0) return e;
    } else if (n == "ctl") {
      const e = this.ctl(r, v);
      if (e.length > 0) return e;
    } else if (n == "expirevar" || n == "initcol" || n == "setuid" || n == "setsid" || n == "setrsc" || n == "deprecatevar") {
      // Persistent collections (IP, SESSION, USER, RESOURCE) are not kept between requests: accepted, no effect.
      r.effects.push(new Effect(n == "initcol" ? EffectKind.INITCOL : EffectKind.EXPIREVAR));
    } else if (n == "xmlns") {
      // Only used by XPath selectors, which are not supported beyond XML:/* and XML://@*.
    } else {
      return "unknown or unsupported action " + n;
    }
    return "";
  }

  setvar(r: Rule, text: string): string {
    let t = text;
    let op = SetVarOp.SET;
    if (t.startsWith("!")) { op = SetVarOp.DELETE; t = t.substring(1); }
    const eq = t.indexOf("=");
    let name = eq < 0 ? t : t.substring(0, eq);
    let value = "";
    if (eq >= 0) {
      value = t.substring(eq + 1);
      if (value.startsWith("+")) { op = SetVarOp.ADD; value = value.substring(1); }
      else if (value.startsWith("-")) { op = SetVarOp.SUB; value = value.substring(1); }
    } else if (op != SetVarOp.DELETE) {
      value = "1"; // `setvar:tx.flag` sets 1? ModSecurity sets an empty value; Coraza too. Keep empty.
      value = "";
    }
    const dot = name.indexOf(".");
    if (dot <= 0) return "setvar needs collection.name, got `" + text + "`";
    const coll = name.substring(0, dot).toLowerCase();
    const key = name.substring(dot + 1).toLowerCase();
    if (coll != "tx") {
      if (coll == "ip" || coll == "session" || coll == "user" || coll == "global" || coll == "resource") {
        r.effects.push(new Effect(EffectKind.EXPIREVAR)); // persistent collections: accepted, not kept
        return "";
      }
      return "setvar on unsupported collection `" + coll + "`";
    }
    const err: string[] = [""];
    const nm = compileMacro(key, err);
    if (nm === null) return err[0];
    const vm = compileMacro(value, err);
    if (vm === null) return err[0];
    if (nm.isLiteral) this.rs.tx.slot(key);
    const e = new Effect(EffectKind.SETVAR);
    e.setvar = new SetVar(nm, op, vm);
    r.effects.push(e);
    return "";
  }

  ctl(r: Rule, text: string): string {
    const eq = text.indexOf("=");
    if (eq < 0) return "ctl needs option=value, got `" + text + "`";
    const opt = text.substring(0, eq).trim().toLowerCase();
    const val = text.substring(eq + 1).trim();
    let c: Ctl;
    if (opt == "ruleremovebyid") {
      c = new Ctl(CtlKind.RULE_REMOVE_BY_ID);
      if (!parseIdRange(val, c)) return "ctl:ruleRemoveById needs an id or a range, got `" + val + "`";
    } else if (opt == "ruleremovebytag") { c = new Ctl(CtlKind.RULE_REMOVE_BY_TAG); c.text = val; c.num = this.rs.tagId(val);
    } else if (opt == "ruleremovebymsg") { c = new Ctl(CtlKind.RULE_REMOVE_BY_MSG); c.text = val;
    } else if (opt == "ruleremovetargetbyid" || opt == "ruleremovetargetbytag" || opt == "ruleremovetargetbymsg") {
      const semi = val.indexOf(";");
      if (semi < 0) return "ctl:" + opt + " needs `what;VARIABLE:member`";
      const what = val.substring(0, semi);
      const target = val.substring(semi + 1);
      c = new Ctl(opt == "ruleremovetargetbyid" ? CtlKind.RULE_REMOVE_TARGET_BY_ID : opt == "ruleremovetargetbytag" ? CtlKind.RULE_REMOVE_TARGET_BY_TAG : CtlKind.RULE_REMOVE_TARGET_BY_MSG);
      if (c.kind == CtlKind.RULE_REMOVE_TARGET_BY_ID) {
        if (!parseIdRange(what, c)) return "bad rule id `" + what + "`";
      } else {
        c.text = what;
        if (c.kind == CtlKind.RULE_REMOVE_TARGET_BY_TAG) c.num = this.rs.tagId(what);
      }
      const ex = parseExclusion(target);
      if (ex === null) return "bad target `" + target + "`";
      c.exclusion = ex;
    } else if (opt == "ruleengine") {
      c = new Ctl(CtlKind.RULE_ENGINE);
      const l = val.toLowerCase();
      if (l == "on") c.num = EngineMode.ON; else if (l == "off") c.num = EngineMode.OFF;
      else if (l == "detectiononly") c.num = EngineMode.DETECTION_ONLY;
      else return "ctl:ruleEngine must be On, Off or DetectionOnly";
    } else if (opt == "requestbodyprocessor" || opt == "responsebodyprocessor") {
      c = new Ctl(opt == "requestbodyprocessor" ? CtlKind.REQUEST_BODY_PROCESSOR : CtlKind.RESPONSE_BODY_PROCESSOR);
      const u = val.toUpperCase();
      if (u != "URLENCODED" && u != "MULTIPART" && u != "JSON" && u != "XML" && u != "RAW") return "unknown body processor `" + val + "`";
      c.text = u;
    } else if (opt == "requestbodyaccess" || opt == "forcerequestbodyvariable" || opt == "responsebodyaccess") {
      c = new Ctl(opt == "requestbodyaccess" ? CtlKind.REQUEST_BODY_ACCESS : opt == "responsebodyaccess" ? CtlKind.RESPONSE_BODY_ACCESS : CtlKind.FORCE_REQUEST_BODY_VARIABLE);
      const l = val.toLowerCase();
      if (l != "on" && l != "off") return "ctl:" + opt + " must be On or Off";
      c.num = l == "on" ? 1 : 0;
    } else if (opt == "auditengine") {
      c = new Ctl(CtlKind.AUDIT_ENGINE);
      const l = val.toLowerCase();
      if (l == "on") c.num = AuditMode.ON; else if (l == "off") c.num = AuditMode.OFF;
      else if (l == "relevantonly") c.num = AuditMode.RELEVANT_ONLY; else return "ctl:auditEngine must be On, Off or RelevantOnly";
    } else if (opt == "auditlogparts") { c = new Ctl(CtlKind.AUDIT_LOG_PARTS); c.text = val;
    } else if (opt == "debugloglevel") { c = new Ctl(CtlKind.DEBUG_LOG_LEVEL);
    } else if (opt == "requestbodylimit") {
      c = new Ctl(CtlKind.REQUEST_BODY_LIMIT);
      c.num = parseNonNegative(val);
      if (c.num < 0) return "ctl:requestBodyLimit needs a number";
    } else return "unknown ctl option " + opt;
    const e = new Effect(EffectKind.CTL);
    e.ctl = c;
    r.effects.push(e);
    return "";
  }

  /** Rules defined so far, chain starters only (removal and updates see only earlier rules, as in ModSecurity). */
  forEachDefined(pred: (r: Rule, a: string) => bool, arg: string, apply: (r: Rule, c: Compiler) => string): string {
    for (let i = 0; i < this.items.length; i++) {
      const r = this.items[i].rule;
      if (r === null) continue;
      if (!pred(r, arg)) continue;
      const e = apply(r, this);
      if (e.length > 0) return e;
    }
    return "";
  }

  removeById(a: string[]): string {
    if (a.length == 0) return "SecRuleRemoveById needs ids or ranges";
    for (let k = 0; k < a.length; k++) {
      const parts = a[k].split(" ");
      for (let j = 0; j < parts.length; j++) {
        if (parts[j].length == 0) continue;
        const c = new Ctl(CtlKind.RULE_REMOVE_BY_ID);
        if (!parseIdRange(parts[j], c)) return "bad id or range `" + parts[j] + "`";
        for (let i = 0; i < this.items.length; i++) {
          const r = this.items[i].rule;
          if (r !== null && r.id >= c.idLo && r.id <= c.idHi) this.items[i].rule = null;
        }
      }
    }
    return "";
  }

  removeBy(a: string[], what: i32): string {
    if (a.length != 1) return "expected one value";
    for (let i = 0; i < this.items.length; i++) {
      const r = this.items[i].rule;
      if (r === null) continue;
      if (what == 0 ? r.tags.includes(a[0]) : (r.msg !== null && r.msg!.text == a[0])) {
        this.items[i].rule = null;
        this.items[i].marker = "";
      }
    }
    return "";
  }

  /** SecRuleUpdateTargetById/ByTag/ByMsg what "TARGETS" ["REPLACED"]. */
  updateTarget(a: string[], what: i32): string {
    if (a.length < 2 || a.length > 3) return "expected a rule selector and targets";
    const tl = new TargetList();
    parseTargets(a[1], tl);
    if (tl.error.length > 0) return tl.error;
    let replaced: TargetList | null = null;
    if (a.length == 3) {
      replaced = new TargetList();
      parseTargets(a[2], replaced);
      if (replaced.error.length > 0) return replaced.error;
    }
    const range = new Ctl(CtlKind.RULE_REMOVE_BY_ID);
    if (what == 0) {
      const parts = a[0].split(" ");
      let any = false;
      for (let j = 0; j < parts.length; j++) {
        if (parts[j].length == 0) continue;
        if (!parseIdRange(parts[j], range)) return "bad id `" + parts[j] + "`";
        for (let i = 0; i < this.items.length; i++) {
          const r = this.items[i].rule;
          if (r !== null && r.id >= range.idLo && r.id <= range.idHi) { updateRuleTargets(r, tl, replaced); any = true; }
        }
      }
      if (!any) return "";
      return "";
    }
    for (let i = 0; i < this.items.length; i++) {
      const r = this.items[i].rule;
      if (r === null) continue;
      const hit = what == 1 ? r.tags.includes(a[0]) : (r.msg !== null && r.msg!.text == a[0]);
      if (hit) updateRuleTargets(r, tl, replaced);
    }
    return "";
  }

  updateAction(a: string[]): string {
    if (a.length != 2) return "SecRuleUpdateActionById needs an id and an action list";
    const id = parseNonNegative(a[0]);
    if (id <= 0) return "bad id `" + a[0] + "`";
    const err: string[] = [""];
    const items = splitActions(a[1], err);
    if (err[0].length > 0) return err[0];
    for (let i = 0; i < this.items.length; i++) {
      const r = this.items[i].rule;
      if (r === null || r.id != id) continue;
      for (let j = 0; j < items.length; j++) {
        const it = items[j];
        if (it.name == "id" || it.name == "phase" || it.name == "chain") return "SecRuleUpdateActionById may not change " + it.name;
        if (isDisruptiveName(it.name)) r.disruptive = Disruptive.NONE;
        if (it.name == "tag" && j == 0) { r.tags = []; r.tagIds = []; }
        const e = this.action(r, it, false);
        if (e.length > 0) return e;
      }
    }
    return "";
  }

  /** Builds the per-phase lists, resolves skipAfter markers and transformation pipelines. */
  finish(): string {
    if (this.openChain !== null) return this.openChain!.file + ":" + this.openChain!.line.toString() + ": the chain is not continued by a SecRule";
    const rs = this.rs;
    // marker name → index per phase at the marker's position
    const markerNames: string[] = [];
    const markerIdx: Array<i32[]> = [];
    let seq = 0;
    for (let i = 0; i < this.items.length; i++) {
      const it = this.items[i];
      const r = it.rule;
      if (r !== null) {
        rs.phases[r.phase].push(r);
        let c: Rule | null = r;
        while (c !== null) { this.pipeline(c); this.resolveTx(c); freezeRule(c, seq++); c = c.chained; }
        rs.ruleCount++;
      } else if (it.marker.length > 0) {
        markerNames.push(it.marker);
        markerIdx.push([0, rs.phases[1].length, rs.phases[2].length, rs.phases[3].length, rs.phases[4].length, rs.phases[5].length]);
      }
    }
    for (let p = 1; p <= 5; p++) {
      const list = rs.phases[p];
      for (let i = 0; i < list.length; i++) {
        const r = list[i];
        if (r.skipAfter.length == 0) continue;
        r.skipAfterIndex = -1;
        // The first marker with this name after the rule (ModSecurity jumps forward only).
        for (let m = 0; m < markerNames.length; m++) {
          if (markerNames[m] == r.skipAfter && markerIdx[m][p] > i) { r.skipAfterIndex = markerIdx[m][p]; break; }
        }
      }
    }
    if (this.matchSets) buildGroups(rs);
    return "";
  }

  /** Gives every literal TX name a slot so requests index an array instead of hashing names. */
  resolveTx(r: Rule): void {
    const tx = this.rs.tx;
    for (let i = 0; i < r.targets.length; i++) {
      const t = r.targets[i];
      if (t.v == Var.TX && t.selector !== null && t.selector!.regex === null) t.selector!.txSlot = tx.slot(t.selector!.key);
    }
    this.macroTx(r.msg);
    this.macroTx(r.logdata);
    this.macroTx(r.opMacro);
    this.macroTx(r.redirect);
    for (let i = 0; i < r.effects.length; i++) {
      const sv = r.effects[i].setvar;
      if (sv === null) continue;
      if (sv.nameMacro.isLiteral) sv.nameSlot = tx.slot(sv.nameMacro.text);
      this.macroTx(sv.nameMacro);
      this.macroTx(sv.value);
    }
  }

  macroTx(m: Macro | null): void {
    if (m === null) return;
    for (let i = 0; i < m.parts.length; i++) {
      const p = m.parts[i];
      if (p.v == Var.TX && p.key.length > 0) p.txSlot = this.rs.tx.slot(p.key);
    }
  }

  pipeline(r: Rule): void {
    let node = 0;
    r.transformNodes = [];
    for (let i = 0; i < r.transformIds.length; i++) {
      node = this.rs.trie.child(node, r.transformIds[i]);
      r.transformNodes.push(node);
    }
  }
}

function updateRuleTargets(r: Rule, add: TargetList, replaced: TargetList | null): void {
  if (replaced !== null) {
    // Replace: drop the named targets, then add the new ones.
    const keep = r.targets.slice(0);
    for (let i = 0; i < replaced.targets.length; i++) {
      const old = replaced.targets[i];
      for (let j = keep.length - 1; j >= 0; j--) {
        const t = keep[j];
        if (t.v == old.v && t.count == old.count && ((t.selector === null && old.selector === null) || (t.selector !== null && old.selector !== null && t.selector!.key == old.selector!.key))) keep.splice(j, 1);
      }
    }
    r.targets = keep;
  }
  for (let i = 0; i < add.targets.length; i++) r.targets.push(add.targets[i]);
  for (let i = 0; i < add.exclusions.length; i++) r.exclusions.push(add.exclusions[i]);
}

function parseExclusion(target: string): Exclusion | null {
  const colon = target.indexOf(":");
  const name = colon < 0 ? target : target.substring(0, colon);
  const v = varByName(name.startsWith("!") ? name.substring(1) : name);
  if (v < 0) return null;
  if (colon < 0) return new Exclusion(v, null);
  const err: string[] = [""];
  const sel = compileSelector(target.substring(colon + 1), err);
  if (sel === null) return null;
  return new Exclusion(v, sel);
}

/** needsExpansion(param) (a `%{` in it) without String#indexOf, which compares a whole string at every
 * position: the CRS's operator parameters are ~200K characters of regexes. */
function hasMacro(param: string): bool {
  const p = changetype<usize>(param);
  const n = param.length - 1;
  for (let i = 0; i < n; i++) {
    if (load<u16>(p + (<usize>i << 1)) == 37 /* % */ && load<u16>(p + (<usize>i << 1), 2) == 123 /* { */) return true;
  }
  return false;
}

export function isDisruptiveName(n: string): bool {
  return n == "deny" || n == "drop" || n == "pass" || n == "allow" || n == "block" || n == "redirect";
}

function disruptiveOf(n: string): Disruptive {
  if (n == "deny") return Disruptive.DENY;
  if (n == "drop") return Disruptive.DROP;
  if (n == "allow") return Disruptive.ALLOW;
  if (n == "block") return Disruptive.BLOCK;
  if (n == "redirect") return Disruptive.REDIRECT;
  return Disruptive.PASS;
}

export function parsePhase(v: string): i32 {
  const l = v.toLowerCase();
  if (l == "request") return 2;
  if (l == "response") return 4;
  if (l == "logging") return 5;
  const n = parseNonNegative(l);
  return n >= 1 && n <= 5 ? n : -1;
}

/** A decimal integer 0..2^31-1, or -1. */
export function parseNonNegative(s: string): i32 {
  const t = s.trim();
  if (t.length == 0 || t.length > 10) return -1;
  let n: i64 = 0;
  for (let i = 0; i < t.length; i++) {
    const c = t.charCodeAt(i);
    if (c < 48 || c > 57) return -1;
    n = n * 10 + (c - 48);
  }
  return n > 2147483647 ? -1 : <i32>n;
}

/** `123` or `100-200` into c.idLo/idHi. */
function parseIdRange(s: string, c: Ctl): bool {
  const dash = s.indexOf("-");
  if (dash < 0) {
    const n = parseNonNegative(s);
    if (n <= 0) return false;
    c.idLo = n; c.idHi = n;
    return true;
  }
  const lo = parseNonNegative(s.substring(0, dash));
  const hi = parseNonNegative(s.substring(dash + 1));
  if (lo <= 0 || hi < lo) return false;
  c.idLo = lo; c.idHi = hi;
  return true;
}

export { Macro, Var };
