// Istio's StringMatch: exactly one of `exact` (case-sensitive), `prefix`, `regex` (RE2, must match the
// whole input). For header and query matches an empty object `{}` means "present with any value".
import { JsonValue } from "../../sdk";
import { Regex } from "../../assembly/regex";
import { MAX_REGEX_BYTES } from "./limits";
import { onlyKeys, Problems, sub } from "./problems";

export const enum MatchKind { Exact, Prefix, Regex, Present }

export class StringMatch {
  constructor(public kind: MatchKind, public text: string, public regex: Regex | null) {}

  matches(s: string): bool {
    if (this.kind == MatchKind.Exact) return s == this.text;
    if (this.kind == MatchKind.Prefix) return s.startsWith(this.text);
    if (this.kind == MatchKind.Present) return true;
    return (this.regex as Regex).isMatch(s);
  }
}

/** Compiles a regex that must match the whole input (RE2 FullMatch, as Envoy's safe_regex). */
export function compileFullRegex(pattern: string, field: string, p: Problems): Regex | null {
  if (String.UTF8.byteLength(pattern) > MAX_REGEX_BYTES) {
    p.fail(field, "is longer than " + MAX_REGEX_BYTES.toString() + " bytes");
    return null;
  }
  // Compile the pattern alone first: wrapping an unbalanced pattern like `a)|(b` could make it valid.
  const alone = Regex.compile(pattern);
  if (alone.regex === null) { p.fail(field, "is not a valid RE2 regex: " + alone.error); return null; }
  const whole = Regex.compile("^(?:" + pattern + ")$");
  if (whole.regex === null) { p.fail(field, "is not a valid RE2 regex: " + whole.error); return null; }
  return whole.regex;
}

/** Parses a StringMatch; `allowPresence` accepts `{}` (headers, query parameters). */
export function parseStringMatch(v: JsonValue, field: string, p: Problems, allowPresence: bool): StringMatch | null {
  if (!v.isObject) { p.fail(field, "must be an object with one of exact, prefix, regex"); return null; }
  if (!onlyKeys(v, field, ["exact", "prefix", "regex"], p)) return null;
  if (v.keys.length == 0) {
    if (allowPresence) return new StringMatch(MatchKind.Present, "", null);
    p.fail(field, "must have one of exact, prefix, regex");
    return null;
  }
  if (v.keys.length > 1) { p.fail(field, "must have only one of exact, prefix, regex"); return null; }
  const key = v.keys[0];
  const val = v.values[0];
  if (!val.isString) { p.fail(sub(field, key), "must be a string"); return null; }
  if (key == "exact") return new StringMatch(MatchKind.Exact, val.str, null);
  if (key == "prefix") return new StringMatch(MatchKind.Prefix, val.str, null);
  const re = compileFullRegex(val.str, sub(field, key), p);
  return re === null ? null : new StringMatch(MatchKind.Regex, val.str, re);
}
