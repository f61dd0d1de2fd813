// pluginConfig in coraza-proxy-wasm's format (directives_map, default_directives, per_authority_directives;
// or {"directives": [...]}), plus meshplug's `files`: each directive set compiled once into a Ruleset.
import { JsonKind, JsonValue, parseJson } from "../../sdk";
import { Compiler } from "./compile";
import { beginCollecting, endCollecting, keep, mark, release } from "./configure-gc";
import { ConfigFiles } from "./files";
import { Ruleset } from "./ruleset";

export class WafConfig {
  names: string[] = [];
  rulesets: Ruleset[] = [];
  defaultIndex: i32 = -1;
  authorities: string[] = [];
  authorityIndex: i32[] = [];
  error: string = "";

  /** The ruleset for a request's :authority (exact, then without the port), else the default; null = none. */
  forAuthority(authority: string): Ruleset | null {
    if (this.authorities.length > 0) {
      const lower = authority.toLowerCase();
      const colon = lower.lastIndexOf(":");
      const host = colon > 0 && !lower.endsWith("]") ? lower.substring(0, colon) : lower;
      for (let i = 0; i < this.authorities.length; i++) if (this.authorities[i] == lower) return this.rulesets[this.authorityIndex[i]];
      for (let i = 0; i < this.authorities.length; i++) if (this.authorities[i] == host) return this.rulesets[this.authorityIndex[i]];
    }
    return this.defaultIndex >= 0 ? this.rulesets[this.defaultIndex] : null;
  }
}

const ALLOWED: string[] = ["directives_map", "default_directives", "per_authority_directives", "directives", "files", "metric_labels", "match_sets"];

/** `match_sets` of the configuration being loaded (one load at a time). */
let matchSets: bool = true;

function fail(c: WafConfig, msg: string): WafConfig { if (c.error.length == 0) c.error = msg; return c; }

/** Parses and compiles the configuration text; `error` names the field (or file:line) and the reason. */
export function loadConfig(text: string): WafConfig {
  // Everything below that outlives a directive is kept (configure-gc.ts): compilation collects as it goes.
  const m = mark();
  keep(text);
  const c = keep(new WafConfig());
  beginCollecting();
  load(c, text);
  endCollecting();
  release(m);
  return c;
}

function load(c: WafConfig, text: string): WafConfig {
  matchSets = true;
  const res = parseJson(text.length == 0 ? "{}" : text);
  if (!res.ok) return fail(c, "configuration is not valid JSON: " + res.error);
  const root = keep(res.value!);
  if (root.kind != JsonKind.Object) return fail(c, "configuration must be a JSON object");
  for (let i = 0; i < root.keys.length; i++) {
    if (!ALLOWED.includes(root.keys[i])) return fail(c, "unknown field `" + root.keys[i] + "` (expected one of " + ALLOWED.join(", ") + ")");
  }
  const files = keep(new ConfigFiles());
  const f = root.get("files");
  if (f !== null) {
    if (f.kind != JsonKind.Object) return fail(c, "`files` must be an object of name → content");
    for (let i = 0; i < f.keys.length; i++) {
      const v = f.values[i];
      if (v.kind != JsonKind.String) return fail(c, "`files." + f.keys[i] + "` must be a string");
      files.add(f.keys[i], v.str);
    }
  }
  const ml = root.get("metric_labels");
  if (ml !== null && ml.kind != JsonKind.Object) return fail(c, "`metric_labels` must be an object");

  const ms = root.get("match_sets");
  if (ms !== null) {
    if (ms.kind != JsonKind.Bool) return fail(c, "`match_sets` must be true or false");
    matchSets = ms.bool;
  }

  const map = root.get("directives_map");
  const list = root.get("directives");
  if (map !== null && list !== null) return fail(c, "use either `directives_map` or `directives`, not both");
  if (list !== null) {
    const rs = compileList(c, "directives", list, files);
    if (rs === null) return c;
    c.names.push("directives");
    c.rulesets.push(rs);
    c.defaultIndex = 0;
    if (root.get("default_directives") !== null || root.get("per_authority_directives") !== null) return fail(c, "`default_directives` and `per_authority_directives` need `directives_map`");
    return c;
  }
  if (map === null) return fail(c, "missing `directives_map` (or `directives`)");
  if (map.kind != JsonKind.Object) return fail(c, "`directives_map` must be an object of name → list of directives");
  for (let i = 0; i < map.keys.length; i++) {
    const rs = compileList(c, "directives_map." + map.keys[i], map.values[i], files);
    if (rs === null) return c;
    c.names.push(map.keys[i]);
    c.rulesets.push(rs);
  }
  const def = root.get("default_directives");
  if (def !== null) {
    if (def.kind != JsonKind.String) return fail(c, "`default_directives` must be a string");
    c.defaultIndex = c.names.indexOf(def.str);
    if (c.defaultIndex < 0) return fail(c, "`default_directives`: no directives_map entry named `" + def.str + "`");
  }
  const per = root.get("per_authority_directives");
  if (per !== null) {
    if (per.kind != JsonKind.Object) return fail(c, "`per_authority_directives` must be an object of authority → name");
    for (let i = 0; i < per.keys.length; i++) {
      const v = per.values[i];
      if (v.kind != JsonKind.String) return fail(c, "`per_authority_directives." + per.keys[i] + "` must be a string");
      const idx = c.names.indexOf(v.str);
      if (idx < 0) return fail(c, "`per_authority_directives." + per.keys[i] + "`: no directives_map entry named `" + v.str + "`");
      c.authorities.push(per.keys[i].toLowerCase());
      c.authorityIndex.push(idx);
    }
  }
  if (c.defaultIndex < 0 && c.authorities.length == 0) return fail(c, "`default_directives` is required when no per_authority_directives are given");
  return c;
}

function compileList(c: WafConfig, field: string, list: JsonValue, files: ConfigFiles): Ruleset | null {
  const m = mark();
  keep(field);
  const rs = compileKept(c, field, list, files);
  release(m); // the compiler's own state (items, ids, defaults) becomes garbage; the caller keeps `rs` via `c`
  return rs;
}

function compileKept(c: WafConfig, field: string, list: JsonValue, files: ConfigFiles): Ruleset | null {
  if (list.kind != JsonKind.Array) { fail(c, "`" + field + "` must be a list of strings"); return null; }
  const comp = keep(new Compiler(files));
  comp.matchSets = matchSets;
  for (let i = 0; i < list.items.length; i++) {
    const it = list.items[i];
    if (it.kind != JsonKind.String) { fail(c, "`" + field + "[" + i.toString() + "]` must be a string"); return null; }
    if (!comp.addSource(field + "[" + i.toString() + "]", it.str)) { fail(c, comp.error); return null; }
  }
  const e = comp.finish();
  if (e.length > 0) { fail(c, e); return null; }
  return comp.rs;
}
