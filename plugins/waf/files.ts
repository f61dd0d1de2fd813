// Files that `Include` and `@pmFromFile` resolve: the configuration's own `files` first, then the
// embedded CRS (`@owasp_crs/<name>`, also reachable by bare data-file name as the CRS rules write it),
// then the built-in configurations (@recommended-conf, @demo-conf).
import { DataFiles } from "../../assembly/seclang/types";
import { EMBEDDED_NAMES, embeddedFile } from "./crs/embedded";
import { BUILTIN_NAMES, builtinFile } from "./builtin-confs";

export class ConfigFiles extends DataFiles {
  names: string[] = [];
  contents: string[] = [];

  add(name: string, content: string): void {
    this.names.push(name);
    this.contents.push(content);
  }

  get(name: string): string | null {
    for (let i = 0; i < this.names.length; i++) if (this.names[i] == name) return this.contents[i];
    const e = embeddedFile(name);
    if (e !== null) return e;
    const crs = embeddedFile("@owasp_crs/" + name);
    if (crs !== null) return crs;
    return builtinFile(name);
  }

  /** Every name matching a glob (`*` = any run of characters), user files first, in sorted order. */
  glob(pattern: string): string[] {
    const out: string[] = [];
    const user = this.names.slice(0);
    user.sort();
    for (let i = 0; i < user.length; i++) if (globMatch(pattern, user[i])) out.push(user[i]);
    for (let i = 0; i < EMBEDDED_NAMES.length; i++) {
      const n = EMBEDDED_NAMES[i];
      if (globMatch(pattern, n) && !out.includes(n)) out.push(n);
    }
    for (let i = 0; i < BUILTIN_NAMES.length; i++) {
      const n = BUILTIN_NAMES[i];
      if (globMatch(pattern, n) && !out.includes(n)) out.push(n);
    }
    return out;
  }
}

/** `*` matches any run of characters (iterative, no backtracking blow-up: one star position remembered). */
export function globMatch(p: string, s: string): bool {
  let pi = 0, si = 0, star = -1, mark = 0;
  while (si < s.length) {
    if (pi < p.length && p.charCodeAt(pi) == 42) { star = pi++; mark = si; continue; }
    if (pi < p.length && p.charCodeAt(pi) == s.charCodeAt(si)) { pi++; si++; continue; }
    if (star >= 0) { pi = star + 1; si = ++mark; continue; }
    return false;
  }
  while (pi < p.length && p.charCodeAt(pi) == 42) pi++;
  return pi == p.length;
}
