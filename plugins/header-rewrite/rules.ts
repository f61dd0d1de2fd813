// The whole configuration compiled into a plan: rules tried in order, the first whose match list
// matches applies. The config is either `{"rules": [route, ...]}` or a single route's fields.
import { JsonValue } from "../../sdk";
import { CorsPolicy, parseCors } from "./cors";
import { HeaderOps, parseHeaderOps } from "./header-ops";
import { MAX_MATCHES, MAX_RULES } from "./limits";
import { at, onlyKeys, Problems, sub } from "./problems";
import { RequestView } from "./request-view";
import { parseRouteMatch, RouteMatch } from "./route-match";
import { parseRewrite, UriRewrite } from "./uri-rewrite";

export class Rule {
  matches: RouteMatch[] = [];
  request: HeaderOps | null = null;
  response: HeaderOps | null = null;
  rewrite: UriRewrite | null = null;
  cors: CorsPolicy | null = null;
  /** Request headers the response side reads with %REQ(..)%: captured while they are readable. */
  responseReqNames: string[] = [];

  /** -1: no match; otherwise the index of the matching entry (or 0 when the rule has no match list). */
  matchIndex(r: RequestView): i32 {
    if (this.matches.length == 0) return 0;
    for (let i = 0; i < this.matches.length; i++) if (unchecked(this.matches[i]).matches(r)) return i;
    return -1;
  }
}

export class Plan {
  rules: Rule[] = [];
}

const ROUTE_FIELDS: string[] = ["name", "match", "headers", "rewrite", "corsPolicy"];

export function parsePlan(cfg: JsonValue, p: Problems): Plan | null {
  if (!cfg.isObject) { p.fail("(config)", "must be a JSON object"); return null; }
  const plan = new Plan();
  const list = cfg.get("rules");
  if (list === null) {
    const r = parseRule(cfg, "", p);
    if (r === null) return null;
    plan.rules.push(r);
    return plan;
  }
  if (!onlyKeys(cfg, "(config)", ["rules"], p)) return null;
  if (!list.isArray) { p.fail("rules", "must be a list of routes"); return null; }
  if (list.items.length > MAX_RULES) { p.fail("rules", "has more than " + MAX_RULES.toString() + " entries"); return null; }
  for (let i = 0; i < list.items.length; i++) {
    const r = parseRule(list.items[i], at("rules", i), p);
    if (r === null) return null;
    plan.rules.push(r);
  }
  return plan;
}

function parseRule(v: JsonValue, field: string, p: Problems): Rule | null {
  const f0 = field.length == 0 ? "(config)" : field;
  if (!v.isObject) { p.fail(f0, "must be an object"); return null; }
  if (!onlyKeys(v, f0, ROUTE_FIELDS, p)) return null;
  const rule = new Rule();
  const name = v.get("name");
  if (name !== null && !name.isString) { p.fail(sub(field, "name"), "must be a string"); return null; }
  const m = v.get("match");
  if (m !== null) {
    const f = sub(field, "match");
    if (!m.isArray) { p.fail(f, "must be a list of match conditions"); return null; }
    if (m.items.length > MAX_MATCHES) { p.fail(f, "has more than " + MAX_MATCHES.toString() + " entries"); return null; }
    for (let i = 0; i < m.items.length; i++) {
      const rm = parseRouteMatch(m.items[i], at(f, i), p);
      if (rm === null) return null;
      rule.matches.push(rm);
    }
  }
  const h = v.get("headers");
  if (h !== null) {
    const f = sub(field, "headers");
    if (!h.isObject) { p.fail(f, "must be an object {request, response}"); return null; }
    if (!onlyKeys(h, f, ["request", "response"], p)) return null;
    const rq = h.get("request");
    if (rq !== null) { rule.request = parseHeaderOps(rq, sub(f, "request"), true, p); if (rule.request === null) return null; }
    const rs = h.get("response");
    if (rs !== null) { rule.response = parseHeaderOps(rs, sub(f, "response"), false, p); if (rule.response === null) return null; }
  }
  const rw = v.get("rewrite");
  if (rw !== null) {
    rule.rewrite = parseRewrite(rw, sub(field, "rewrite"), p);
    if (rule.rewrite === null) return null;
  }
  const req = rule.request;
  if (req !== null && req.authority !== null) {
    const r = rule.rewrite;
    if (r !== null && r.authority !== null) { p.fail(sub(field, "rewrite.authority"), "conflicts with a host/:authority header in headers.request"); return null; }
    if (r === null) rule.rewrite = new UriRewrite();
    (rule.rewrite as UriRewrite).authority = req.authority;
  }
  const c = v.get("corsPolicy");
  if (c !== null) {
    rule.cors = parseCors(c, sub(field, "corsPolicy"), p);
    if (rule.cors === null) return null;
  }
  const resp = rule.response;
  if (resp !== null) resp.reqNames(rule.responseReqNames);
  return rule;
}
