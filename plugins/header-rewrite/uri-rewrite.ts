// Istio's HTTPRewrite: `uri` (replaces the prefix the rule matched, or the whole path), 
// `uriRegexRewrite` (RE2 GlobalReplace on the path, \1 style groups), `authority`; plus meshplug's
// `queryParams`. The query string is always kept, as Envoy keeps it.
import { JsonValue } from "../../sdk";
import { Regex, checkRewrite, replaceAll } from "../../assembly/regex";
import { compileTemplate, Template } from "./format";
import { MAX_REGEX_BYTES, MAX_VALUE_BYTES } from "./limits";
import { onlyKeys, Problems, sub } from "./problems";
import { parseQueryOps, QueryOps } from "./query-ops";

export class UriRewrite {
  uri: string | null = null;
  regex: Regex | null = null;
  regexRewrite: string = "";
  authority: Template | null = null;
  query: QueryOps | null = null;

  get rewritesPath(): bool { return this.uri !== null || this.regex !== null || this.query !== null; }

  /**
   * The new path for `path`; `matchedPrefix` is the `uri.prefix` of the match that chose the rule
   * (null when it was not a prefix match: then `uri` replaces the whole path).
   */
  newPath(path: string, matchedPrefix: string | null): string {
    const q = path.indexOf("?");
    let p = q < 0 ? path : path.substring(0, q);
    const query = q < 0 ? "" : path.substring(q);
    const uri = this.uri;
    if (uri !== null) {
      p = matchedPrefix !== null && p.startsWith(matchedPrefix) ? uri + p.substring(matchedPrefix.length) : uri;
    }
    const re = this.regex;
    if (re !== null) {
      const r = replaceAll(re, p, this.regexRewrite);
      const out = r.output;
      if (out !== null) p = String.UTF8.decodeUnsafe(out.dataStart, <usize>out.length);
    }
    const qo = this.query;
    return qo === null ? p + query : qo.apply(p + query);
  }
}

export function parseRewrite(v: JsonValue, field: string, p: Problems): UriRewrite | null {
  if (!v.isObject) { p.fail(field, "must be an object"); return null; }
  if (!onlyKeys(v, field, ["uri", "uriRegexRewrite", "authority", "queryParams"], p)) return null;
  const rw = new UriRewrite();
  const uri = v.get("uri");
  if (uri !== null) {
    if (!uri.isString) { p.fail(sub(field, "uri"), "must be a string"); return null; }
    if (!validPathPart(uri.str)) { p.fail(sub(field, "uri"), "must start with / and hold no control characters, spaces, ? or #"); return null; }
    rw.uri = uri.str;
  }
  const rr = v.get("uriRegexRewrite");
  if (rr !== null) {
    const f = sub(field, "uriRegexRewrite");
    if (uri !== null) { p.fail(f, "cannot be combined with uri"); return null; }
    if (!rr.isObject) { p.fail(f, "must be an object {match, rewrite}"); return null; }
    if (!onlyKeys(rr, f, ["match", "rewrite"], p)) return null;
    const m = rr.get("match");
    const w = rr.get("rewrite");
    if (m === null || !m.isString) { p.fail(sub(f, "match"), "must be a string (RE2 regex)"); return null; }
    if (w === null || !w.isString) { p.fail(sub(f, "rewrite"), "must be a string"); return null; }
    if (String.UTF8.byteLength(m.str) > MAX_REGEX_BYTES) { p.fail(sub(f, "match"), "is longer than " + MAX_REGEX_BYTES.toString() + " bytes"); return null; }
    const c = Regex.compile(m.str);
    const re = c.regex;
    if (re === null) { p.fail(sub(f, "match"), "is not a valid RE2 regex: " + c.error); return null; }
    const bad = checkRewrite(re, w.str);
    if (bad.length > 0) { p.fail(sub(f, "rewrite"), bad); return null; }
    if (!noControl(w.str)) { p.fail(sub(f, "rewrite"), "has a control character or space"); return null; }
    rw.regex = re;
    rw.regexRewrite = w.str;
  }
  const a = v.get("authority");
  if (a !== null) {
    const f = sub(field, "authority");
    if (!a.isString || a.str.length == 0) { p.fail(f, "must be a non-empty string"); return null; }
    if (String.UTF8.byteLength(a.str) > MAX_VALUE_BYTES) { p.fail(f, "is too long"); return null; }
    const t = compileTemplate(a.str, f, false, p);
    if (t === null) return null;
    rw.authority = t;
  }
  const q = v.get("queryParams");
  if (q !== null) {
    const qo = parseQueryOps(q, sub(field, "queryParams"), p);
    if (qo === null) return null;
    rw.query = qo;
  }
  return rw;
}

function noControl(s: string): bool {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c <= 0x20 || c == 0x7f) return false;
  }
  return true;
}

function validPathPart(s: string): bool {
  if (s.length == 0 || s.charCodeAt(0) != 0x2f) return false;
  return noControl(s) && s.indexOf("?") < 0 && s.indexOf("#") < 0;
}
