// The action list of a rule (`id:1,phase:2,t:lowercase,msg:'a, b',setvar:tx.x=+1`): split on commas
// outside single quotes, each into name and value (quotes removed, `\'` unescaped).
import { unescapeQuote } from "./source";

export class ActionItem {
  constructor(public name: string, public value: string) {}
}

/** The action names the CRS uses, lower case: a rule's names are these shared strings, not new ones. */
const KNOWN: string[] = [
  "id", "phase", "t", "msg", "logdata", "tag", "ver", "severity", "rev", "setvar", "capture", "chain",
  "pass", "block", "deny", "drop", "allow", "nolog", "log", "auditlog", "noauditlog", "ctl", "status",
  "multimatch", "skip", "skipafter", "accuracy", "maturity", "expirevar", "initcol", "redirect",
];

/** text[i, j) trimmed and lower-cased; a known name comes back as its shared constant (no allocation). */
function actionName(text: string, i: i32, j: i32): string {
  const len = j - i;
  for (let k = 0; k < KNOWN.length; k++) {
    const cand = unchecked(KNOWN[k]);
    if (cand.length != len) continue;
    let m = 0;
    // Known names are lower-case letters: an ASCII letter folds to one by setting bit 0x20.
    while (m < len) {
      const c = text.charCodeAt(i + m);
      if (!((c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a)) || (c | 0x20) != cand.charCodeAt(m)) break;
      m++;
    }
    if (m == len) return cand;
  }
  return text.substring(i, j).trim().toLowerCase();
}

/** Splits an action list; err[0] is set on an unterminated quote. */
export function splitActions(text: string, err: string[]): ActionItem[] {
  const out: ActionItem[] = [];
  let i = 0;
  const n = text.length;
  while (i < n) {
    while (i < n && (text.charCodeAt(i) == 32 || text.charCodeAt(i) == 9 || text.charCodeAt(i) == 44)) i++;
    if (i >= n) break;
    // name up to ':' or ','
    let j = i;
    while (j < n && text.charCodeAt(j) != 58 && text.charCodeAt(j) != 44) j++;
    const name = actionName(text, i, j);
    if (j >= n || text.charCodeAt(j) == 44) { out.push(new ActionItem(name, "")); i = j + 1; continue; }
    j++; // skip ':'
    while (j < n && (text.charCodeAt(j) == 32 || text.charCodeAt(j) == 9)) j++;
    let value = "";
    if (j < n && text.charCodeAt(j) == 39) {
      // Quoted value: up to the closing quote; `\'` is a quote inside.
      let k = j + 1;
      let closed = false;
      let escapes = 0;
      while (k < n) {
        const c = text.charCodeAt(k);
        if (c == 92 && k + 1 < n && text.charCodeAt(k + 1) == 39) { k += 2; escapes++; continue; }
        if (c == 39) { closed = true; break; }
        k++;
      }
      if (!closed) { err[0] = "unterminated quote in action " + name; return out; }
      value = unescapeQuote(text, j + 1, k, 39, escapes);
      k++;
      while (k < n && text.charCodeAt(k) != 44) k++;
      i = k + 1;
    } else {
      let k = j;
      while (k < n && text.charCodeAt(k) != 44) k++;
      value = text.substring(j, k).trim();
      i = k + 1;
    }
    out.push(new ActionItem(name, value));
  }
  return out;
}
