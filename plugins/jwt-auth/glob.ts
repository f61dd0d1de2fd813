// Whole-string match where `*` stands for any run of characters: Istio's namespace matcher is the regex
// `.*\/ns/<ns with * as .*>/.*`, which is this glob over "*\/ns/<ns>/*".
export function globMatch(pattern: string, s: string): bool {
  let p = 0;
  let i = 0;
  let star = -1;
  let mark = 0;
  while (i < s.length) {
    if (p < pattern.length && pattern.charCodeAt(p) != 0x2a && pattern.charCodeAt(p) == s.charCodeAt(i)) { p++; i++; }
    else if (p < pattern.length && pattern.charCodeAt(p) == 0x2a) { star = p++; mark = i; }
    else if (star >= 0) { p = star + 1; i = ++mark; }
    else return false;
  }
  while (p < pattern.length && pattern.charCodeAt(p) == 0x2a) p++;
  return p == pattern.length;
}
