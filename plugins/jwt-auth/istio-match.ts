// Istio's string rules for AuthorizationPolicy values: "*" (anything non-empty; for headers and hosts,
// mere presence), "abc*" (prefix), "*abc" (suffix), otherwise exact. Compiled once so a request only
// compares.
export enum MatchKind { Any = 0, Prefix = 1, Suffix = 2, Exact = 3, Present = 4, PrefixSuffix = 5 }

export class StringMatch {
  constructor(public kind: MatchKind, public text: string, public tail: string = "") {}

  /** `anyIsPresence`: "*" is a presence check (Istio's header and host matchers), else a non-empty check. */
  static of(pattern: string, anyIsPresence: bool = false): StringMatch {
    if (pattern == "*") return new StringMatch(anyIsPresence ? MatchKind.Present : MatchKind.Any, "");
    if (pattern.endsWith("*")) return new StringMatch(MatchKind.Prefix, pattern.substring(0, pattern.length - 1));
    if (pattern.startsWith("*")) return new StringMatch(MatchKind.Suffix, pattern.substring(1));
    return new StringMatch(MatchKind.Exact, pattern);
  }

  /** Istio's matcher for a value with a fixed prefix (source principals: "spiffe://" + value). */
  static withPrefix(pattern: string, prefix: string): StringMatch {
    if (pattern == "*") return new StringMatch(MatchKind.Any, "");
    if (pattern.startsWith("*")) return new StringMatch(MatchKind.PrefixSuffix, prefix, pattern.substring(1));
    if (pattern.endsWith("*")) return new StringMatch(MatchKind.Prefix, prefix + pattern.substring(0, pattern.length - 1));
    return new StringMatch(MatchKind.Exact, prefix + pattern);
  }

  matches(s: string): bool {
    switch (this.kind) {
      case MatchKind.Any: return s.length > 0;
      case MatchKind.Present: return true;
      case MatchKind.Prefix: return s.startsWith(this.text);
      case MatchKind.Suffix: return s.endsWith(this.text);
      case MatchKind.PrefixSuffix:
        return s.length >= this.text.length + this.tail.length && s.startsWith(this.text) && s.endsWith(this.tail);
    }
    return s == this.text;
  }
}

/** A list of patterns: matches when any does. */
export class MatchList {
  items: Array<StringMatch> = new Array<StringMatch>();

  constructor(patterns: Array<string>, lower: bool = false, anyIsPresence: bool = false) {
    for (let i = 0; i < patterns.length; i++) this.items.push(StringMatch.of(lower ? patterns[i].toLowerCase() : patterns[i], anyIsPresence));
  }

  get isEmpty(): bool { return this.items.length == 0; }

  any(s: string): bool {
    for (let i = 0; i < this.items.length; i++) if (this.items[i].matches(s)) return true;
    return false;
  }

  anyOf(values: Array<string>): bool {
    for (let i = 0; i < values.length; i++) if (this.any(values[i])) return true;
    return false;
  }
}
