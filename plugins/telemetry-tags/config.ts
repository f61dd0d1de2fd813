// pluginConfig JSON → Plan, strictly: unknown fields, wrong types and unsafe names or values are
// refused with the field's path and the reason (see config.schema.json and README.md).
import { JsonResult, JsonValue, LogLevel, asciiLower, headerNameProblem, utf8 } from "../../sdk";
import { Regex } from "../../assembly/regex";
import { Condition, Op } from "./condition";
import { MAX_METRIC_TAGS, MetricSeries } from "./metric-series";
import { isIdentifier, valueProblem } from "./names";
import { HeaderOut, Plan, Rule, Tag } from "./plan";
import { Source, SourceKind, headerSource, propertySource } from "./source";
import { ValueTable } from "./value-table";

/** The plan, or why the configuration was refused. */
export class ConfigResult {
  constructor(public plan: Plan | null, public error: string) {}
}

const MAX_TAGS = 32;
const MAX_LIST = 1000; // allow-list entries, rules, learned values: keeps indexes within 10 bits
const DEFAULT_MAX_VALUES = 100;
const MAX_DEPTH = 8;

class Bad { constructor(public message: string) {} }
// The first problem found; parsing stops at it.
let problem: Bad | null = null;
function fail<T>(where: string, why: string): T | null {
  if (problem === null) problem = new Bad(where + ": " + why);
  return null;
}

function onlyKeys(v: JsonValue, where: string, allowed: string[]): bool {
  for (let i = 0; i < v.keys.length; i++) {
    if (!allowed.includes(v.keys[i])) { fail<Bad>(where, "unknown field \"" + v.keys[i] + "\" (allowed: " + allowed.join(", ") + ")"); return false; }
  }
  return true;
}

function stringList(v: JsonValue | null, where: string): string[] | null {
  if (v === null) return [];
  if (!v.isArray) return fail<string[]>(where, "must be an array of strings");
  const out: string[] = [];
  for (let i = 0; i < v.items.length; i++) {
    if (!v.items[i].isString) return fail<string[]>(where + "[" + i.toString() + "]", "must be a string");
    out.push(v.items[i].str);
  }
  return out;
}

export function parseConfig(parsed: JsonResult): ConfigResult {
  problem = null;
  const cfg = parsed.value;
  if (cfg === null) return new ConfigResult(null, "configuration is not valid JSON: " + parsed.error);
  const plan = build(cfg);
  const p = problem;
  if (plan === null || p !== null) return new ConfigResult(null, p !== null ? p.message : "invalid configuration");
  return new ConfigResult(plan, "");
}

function build(cfg: JsonValue): Plan | null {
  if (!cfg.isObject) return fail<Plan>("configuration", "must be a JSON object");
  if (!onlyKeys(cfg, "configuration", ["tags", "metrics", "filterState", "requestHeaders", "responseHeaders", "log"])) return null;
  const plan = new Plan();
  const tags = cfg.get("tags");
  if (tags === null || !tags.isArray || tags.items.length == 0) return fail<Plan>("tags", "must be a non-empty array");
  if (tags.items.length > MAX_TAGS) return fail<Plan>("tags", "at most " + MAX_TAGS.toString() + " tags");
  for (let i = 0; i < tags.items.length; i++) {
    const t = tag(tags.items[i], "tags[" + i.toString() + "]");
    if (t === null) return null;
    if (tagIndex(plan, t.name) >= 0) return fail<Plan>("tags[" + i.toString() + "].name", "duplicate tag \"" + t.name + "\"");
    plan.tags.push(t);
    plan.tables.push(t.table);
  }
  const metrics = cfg.get("metrics");
  if (metrics !== null) {
    if (!metrics.isArray) return fail<Plan>("metrics", "must be an array");
    for (let i = 0; i < metrics.items.length; i++) {
      const m = metric(plan, metrics.items[i], "metrics[" + i.toString() + "]");
      if (m === null) return null;
      for (let j = 0; j < plan.metrics.length; j++) {
        if (plan.metrics[j].name == m.name) return fail<Plan>("metrics[" + i.toString() + "].name", "duplicate metric \"" + m.name + "\"");
      }
      plan.metrics.push(m);
      if (m.histogram) plan.timed = true;
    }
  }
  const fs = cfg.get("filterState");
  if (fs !== null) {
    const list = tagSelection(plan, fs, "filterState");
    if (list === null) return null;
    plan.filterState = list;
  }
  if (!headers(plan, cfg.get("requestHeaders"), "requestHeaders", plan.requestHeaders, true)) return null;
  if (!headers(plan, cfg.get("responseHeaders"), "responseHeaders", plan.responseHeaders, false)) return null;
  const log = cfg.get("log");
  if (log !== null && !logOutput(plan, log)) return null;
  return plan;
}

function tagIndex(plan: Plan, name: string): i32 {
  for (let i = 0; i < plan.tags.length; i++) if (plan.tags[i].name == name) return i;
  return -1;
}

function tag(v: JsonValue, where: string): Tag | null {
  if (!v.isObject) return fail<Tag>(where, "must be an object");
  if (!onlyKeys(v, where, ["name", "from", "rules", "default", "values", "maxValues"])) return null;
  const n = v.get("name");
  if (n === null || !n.isString || !isIdentifier(n.str)) return fail<Tag>(where + ".name", "must be a label name ([A-Za-z_][A-Za-z0-9_]*, at most 64 characters)");
  const d = v.get("default");
  if (d !== null && !d.isString) return fail<Tag>(where + ".default", "must be a string");
  const defaultValue = d === null ? "unknown" : d.str;
  const dp = valueProblem(defaultValue);
  if (dp !== null) return fail<Tag>(where + ".default", dp);
  const values = stringList(v.get("values"), where + ".values");
  if (values === null) return null;
  if (values.length > MAX_LIST) return fail<Tag>(where + ".values", "at most " + MAX_LIST.toString() + " values");
  for (let i = 0; i < values.length; i++) {
    const vp = valueProblem(values[i]);
    if (vp !== null) return fail<Tag>(where + ".values[" + i.toString() + "]", vp);
  }
  const mv = v.get("maxValues");
  if (mv !== null && (!mv.isIntegerIn(1, <f64>MAX_LIST) || v.get("values") !== null)) {
    return fail<Tag>(where + ".maxValues", "must be an integer from 1 to " + MAX_LIST.toString() + ", and only without \"values\"");
  }
  const from = v.get("from");
  const rules = v.get("rules");
  if ((from === null) == (rules === null)) return fail<Tag>(where, "needs exactly one of \"from\" and \"rules\"");
  // Without an allow-list, values read from requests are learned up to maxValues; rules never learn.
  const learnCap = from !== null && values.length == 0 ? (mv === null ? DEFAULT_MAX_VALUES : <i32>mv.num) : 0;
  const t = new Tag(n.str, new ValueTable(n.str, defaultValue, values, learnCap), utf8(n.str));
  if (from !== null) {
    const s = source(from, where + ".from");
    if (s === null) return null;
    t.source = s;
    t.responsePhase = s.responsePhase;
    return t;
  }
  if (!rules!.isArray || rules!.items.length == 0) return fail<Tag>(where + ".rules", "must be a non-empty array");
  if (rules!.items.length > MAX_LIST) return fail<Tag>(where + ".rules", "at most " + MAX_LIST.toString() + " rules");
  for (let i = 0; i < rules!.items.length; i++) {
    const rw = where + ".rules[" + i.toString() + "]";
    const r = rules!.items[i];
    if (!r.isObject) return fail<Tag>(rw, "must be an object");
    if (!onlyKeys(r, rw, ["when", "value"])) return null;
    const rv = r.get("value");
    if (rv === null || !rv.isString) return fail<Tag>(rw + ".value", "must be a string");
    const vp = valueProblem(rv.str);
    if (vp !== null) return fail<Tag>(rw + ".value", vp);
    if (values.length > 0 && !values.includes(rv.str)) return fail<Tag>(rw + ".value", "\"" + rv.str + "\" is not in \"values\"");
    const w = r.get("when");
    if (w === null) return fail<Tag>(rw + ".when", "is required");
    const c = condition(w, rw + ".when", 0);
    if (c === null) return null;
    if (c.responsePhase) t.responsePhase = true;
    t.rules.push(new Rule(c, t.table.add(rv.str)));
  }
  return t;
}

const PLAIN_SOURCES = ["method", "path", "responseCode", "responseCodeClass"];
const SOURCE_KEYS = ["header", "responseHeader", "pathSegment", "pathRegex", "group", "query", "property"];

function source(v: JsonValue, where: string): Source | null {
  if (v.isString) {
    const k = v.str;
    if (k == "method") return new Source(SourceKind.Method);
    if (k == "path") return new Source(SourceKind.Path);
    if (k == "responseCode") return new Source(SourceKind.ResponseCode);
    if (k == "responseCodeClass") return new Source(SourceKind.ResponseCodeClass);
    return fail<Source>(where, "unknown source \"" + k + "\" (a string source is one of: " + PLAIN_SOURCES.join(", ") + ")");
  }
  if (!v.isObject) return fail<Source>(where, "must be a string or an object");
  if (!onlyKeys(v, where, SOURCE_KEYS)) return null;
  const group = v.get("group");
  const main = v.keys.length - (group !== null ? 1 : 0);
  if (main != 1) return fail<Source>(where, "needs exactly one of: header, responseHeader, pathSegment, pathRegex, query, property");
  if (group !== null && v.get("pathRegex") === null) return fail<Source>(where + ".group", "only goes with pathRegex");
  const h = v.get("header");
  if (h !== null) return headerNamed(SourceKind.RequestHeader, h, where + ".header");
  const rh = v.get("responseHeader");
  if (rh !== null) return headerNamed(SourceKind.ResponseHeader, rh, where + ".responseHeader");
  const seg = v.get("pathSegment");
  if (seg !== null) {
    if (!seg.isIntegerIn(-64, 63)) return fail<Source>(where + ".pathSegment", "must be an integer from -64 to 63 (0 = first segment, -1 = last)");
    const s = new Source(SourceKind.PathSegment);
    s.index = <i32>seg.num;
    return s;
  }
  const rx = v.get("pathRegex");
  if (rx !== null) {
    if (!rx.isString) return fail<Source>(where + ".pathRegex", "must be a string");
    const compiled = Regex.compile(rx.str);
    const re = compiled.regex;
    if (re === null) return fail<Source>(where + ".pathRegex", "invalid regex: " + compiled.error);
    const g = group === null ? (re.groups > 0 ? 1 : 0) : (group.isIntegerIn(0, <f64>re.groups) ? <i32>group.num : -1);
    if (g < 0) return fail<Source>(where + ".group", "must be an integer from 0 to " + re.groups.toString() + " (the pattern's groups)");
    const s = new Source(SourceKind.PathRegex);
    s.regex = re;
    s.group = g;
    return s;
  }
  const q = v.get("query");
  if (q !== null) {
    if (!q.isString || q.str.length == 0) return fail<Source>(where + ".query", "must be a non-empty string");
    return headerSource(SourceKind.Query, q.str);
  }
  return property(v.get("property")!, where + ".property");
}

function headerNamed(kind: SourceKind, v: JsonValue, where: string): Source | null {
  if (!v.isString) return fail<Source>(where, "must be a string");
  const name = asciiLower(v.str);
  const p = headerNameProblem(name);
  if (p !== null && !name.startsWith(":")) return fail<Source>(where, p);
  return headerSource(kind, name);
}

// "source.principal" (dot-separated) or ["filter_state", "wasm.jwt.sub"] (segments that hold dots).
function property(v: JsonValue, where: string): Source | null {
  let segments: string[] | null = null;
  if (v.isString) segments = v.str.split(".");
  else if (v.isArray) segments = stringList(v, where);
  else return fail<Source>(where, "must be a dotted path or an array of path segments");
  if (segments === null) return null;
  if (segments.length == 0) return fail<Source>(where, "must not be empty");
  for (let i = 0; i < segments.length; i++) if (segments[i].length == 0) return fail<Source>(where, "has an empty segment");
  return propertySource(segments);
}

const OPS = ["present", "absent", "equals", "in", "prefix", "suffix", "contains", "regex"];

function condition(v: JsonValue, where: string, depth: i32): Condition | null {
  if (depth > MAX_DEPTH) return fail<Condition>(where, "nested deeper than " + MAX_DEPTH.toString());
  if (!v.isObject) return fail<Condition>(where, "must be an object");
  const all = v.get("all");
  const any = v.get("any");
  const not = v.get("not");
  if (all !== null || any !== null) {
    if (v.keys.length != 1) return fail<Condition>(where, "\"all\"/\"any\" must be the only field");
    const list = all !== null ? all : any!;
    const key = all !== null ? "all" : "any";
    if (!list.isArray || list.items.length == 0) return fail<Condition>(where + "." + key, "must be a non-empty array");
    const c = new Condition(all !== null ? Op.All : Op.Any);
    for (let i = 0; i < list.items.length; i++) {
      const child = condition(list.items[i], where + "." + key + "[" + i.toString() + "]", depth + 1);
      if (child === null) return null;
      c.children.push(child);
    }
    return c;
  }
  if (not !== null) {
    if (v.keys.length != 1) return fail<Condition>(where, "\"not\" must be the only field");
    const child = condition(not, where + ".not", depth + 1);
    if (child === null) return null;
    const c = new Condition(Op.Not);
    c.children.push(child);
    return c;
  }
  if (!onlyKeys(v, where, ["from", "present", "absent", "equals", "in", "prefix", "suffix", "contains", "regex"])) return null;
  const from = v.get("from");
  if (from === null || v.keys.length != 2) return fail<Condition>(where, "needs \"from\" and exactly one test of: " + OPS.join(", ") + " (or all / any / not)");
  const s = source(from, where + ".from");
  if (s === null) return null;
  const opName = v.keys[0] == "from" ? v.keys[1] : v.keys[0];
  const arg = v.get(opName)!;
  const opWhere = where + "." + opName;
  let c: Condition;
  if (opName == "present" || opName == "absent") {
    if (!arg.isBool || !arg.bool) return fail<Condition>(opWhere, "must be true");
    c = new Condition(opName == "present" ? Op.Present : Op.Absent);
  } else if (opName == "regex") {
    if (!arg.isString) return fail<Condition>(opWhere, "must be a string");
    const compiled = Regex.compile(arg.str);
    if (compiled.regex === null) return fail<Condition>(opWhere, "invalid regex: " + compiled.error);
    c = new Condition(Op.Regex);
    c.regex = compiled.regex;
  } else if (opName == "in") {
    const list = stringList(arg, opWhere);
    if (list === null) return null;
    if (list.length == 0) return fail<Condition>(opWhere, "must not be empty");
    c = new Condition(Op.In);
    for (let i = 0; i < list.length; i++) c.strings.push(utf8(list[i]));
  } else {
    if (!arg.isString) return fail<Condition>(opWhere, "must be a string");
    c = new Condition(opName == "equals" ? Op.Equals : opName == "prefix" ? Op.Prefix : opName == "suffix" ? Op.Suffix : Op.Contains);
    c.strings.push(utf8(arg.str));
  }
  c.source = s;
  return c;
}

function metric(plan: Plan, v: JsonValue, where: string): MetricSeries | null {
  if (!v.isObject) return fail<MetricSeries>(where, "must be an object");
  if (!onlyKeys(v, where, ["name", "type", "tags"])) return null;
  const n = v.get("name");
  if (n === null || !n.isString || !isIdentifier(n.str)) return fail<MetricSeries>(where + ".name", "must be a metric name ([A-Za-z_][A-Za-z0-9_]*, at most 64 characters)");
  const ty = v.get("type");
  const type = ty === null ? "counter" : (ty.isString ? ty.str : "");
  if (type != "counter" && type != "histogram") return fail<MetricSeries>(where + ".type", "must be \"counter\" or \"histogram\"");
  const names = stringList(v.get("tags"), where + ".tags");
  if (names === null) return null;
  if (names.length > MAX_METRIC_TAGS) return fail<MetricSeries>(where + ".tags", "at most " + MAX_METRIC_TAGS.toString() + " tags per metric");
  const idx: i32[] = [];
  for (let i = 0; i < names.length; i++) {
    const t = tagIndex(plan, names[i]);
    if (t < 0) return fail<MetricSeries>(where + ".tags[" + i.toString() + "]", "no tag named \"" + names[i] + "\"");
    if (idx.includes(t)) return fail<MetricSeries>(where + ".tags[" + i.toString() + "]", "\"" + names[i] + "\" is listed twice");
    idx.push(t);
  }
  return new MetricSeries(n.str, type == "histogram", idx);
}

// true = every tag, or a list of tag names.
function tagSelection(plan: Plan, v: JsonValue, where: string): i32[] | null {
  const out: i32[] = [];
  if (v.isBool) {
    if (v.bool) for (let i = 0; i < plan.tags.length; i++) out.push(i);
    return out;
  }
  const names = stringList(v, where);
  if (names === null) return fail<i32[]>(where, "must be true, false or an array of tag names");
  for (let i = 0; i < names.length; i++) {
    const t = tagIndex(plan, names[i]);
    if (t < 0) return fail<i32[]>(where + "[" + i.toString() + "]", "no tag named \"" + names[i] + "\"");
    if (!out.includes(t)) out.push(t);
  }
  return out;
}

// { "<header name>": "<tag>" }; request headers can only carry tags known before the response.
function headers(plan: Plan, v: JsonValue | null, where: string, out: HeaderOut[], request: bool): bool {
  if (v === null) return true;
  if (!v.isObject) { fail<Bad>(where, "must be an object of header name → tag name"); return false; }
  for (let i = 0; i < v.keys.length; i++) {
    const hw = where + "." + v.keys[i];
    const name = asciiLower(v.keys[i]);
    const p = headerNameProblem(name);
    if (p !== null) { fail<Bad>(hw, p); return false; }
    if (name.startsWith(":") || name == "host" || name == "content-length" || name == "transfer-encoding") { fail<Bad>(hw, "is a header the proxy owns"); return false; }
    const tv = v.values[i];
    const t = tv.isString ? tagIndex(plan, tv.str) : -1;
    if (t < 0) { fail<Bad>(hw, "must name a configured tag"); return false; }
    if (request && plan.tags[t].responsePhase) { fail<Bad>(hw, "tag \"" + tv.str + "\" is only known once the response starts"); return false; }
    out.push(new HeaderOut(utf8(name), t));
  }
  return true;
}

// true (every tag at info), or { "level": "info", "tags": [...] }.
function logOutput(plan: Plan, v: JsonValue): bool {
  if (v.isBool) {
    if (v.bool) for (let i = 0; i < plan.tags.length; i++) plan.logTags.push(i);
    return true;
  }
  if (!v.isObject) { fail<Bad>("log", "must be true, false or an object"); return false; }
  if (!onlyKeys(v, "log", ["level", "tags"])) return false;
  const lv = v.get("level");
  if (lv !== null) {
    const levels = ["trace", "debug", "info", "warn", "error", "critical"];
    const at = lv.isString ? levels.indexOf(lv.str) : -1;
    if (at < 0) { fail<Bad>("log.level", "must be one of " + levels.join(", ")); return false; }
    plan.logLevel = <LogLevel>at;
  }
  const tv = v.get("tags");
  if (tv === null) {
    for (let i = 0; i < plan.tags.length; i++) plan.logTags.push(i);
    return true;
  }
  const list = tagSelection(plan, tv, "log.tags");
  if (list === null) return false;
  plan.logTags = list;
  return true;
}
