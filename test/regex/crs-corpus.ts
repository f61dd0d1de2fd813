// The OWASP CRS corpus for the regex tests and benchmark: every @rx pattern in the rules (with the id of
// the rule it belongs to) and the request strings of the CRS regression tests, grouped by rule id.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';

export const CRS_DIR = '/work/shared/data/crs';

export interface CrsPattern {
  ruleId: string;
  file: string;
  pattern: string;
}

/** @rx arguments of SecRule operators; SecLang quoting only escapes the double quote. */
export function crsPatterns(dir = join(CRS_DIR, 'rules')): CrsPattern[] {
  const out: CrsPattern[] = [];
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.conf')).sort()) {
    const text = readFileSync(join(dir, file), 'utf8');
    const lines = text.split('\n');
    let lastId = '';
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i];
      if (/^\s*#/.test(line)) continue;
      const idm = /id:(\d+)/.exec(line);
      if (idm) lastId = idm[1];
      const m = /"!?@rx ((?:[^"\\]|\\.)*)"/.exec(line);
      if (!m) continue;
      // A rule's id follows its operator; a chained rule has none and belongs to the rule above.
      let id = '';
      for (let j = i + 1; j < Math.min(lines.length, i + 4); j++) {
        const next = /id:(\d+)/.exec(lines[j]);
        if (next) {
          id = next[1];
          break;
        }
        if (/SecRule/.test(lines[j])) break;
      }
      out.push({ ruleId: id || lastId, file, pattern: m[1].replace(/\\"/g, '"') });
    }
  }
  return out;
}

function collectStrings(v: unknown, out: string[]): void {
  if (typeof v === 'string') out.push(v);
  else if (Array.isArray(v)) for (const x of v) collectStrings(x, out);
  else if (v && typeof v === 'object') for (const x of Object.values(v)) collectStrings(x, out);
}

function urlDecode(s: string): string | null {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return null;
  }
}

/** Request strings (URI, body, header values, ...) of each rule's regression tests, raw and URL-decoded. */
export function crsTestInputs(dir = join(CRS_DIR, 'tests')): Map<string, string[]> {
  const byRule = new Map<string, string[]>();
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) {
        walk(p);
        continue;
      }
      if (!name.endsWith('.yaml')) continue;
      const doc = (parseYaml(readFileSync(p, 'utf8')) ?? {}) as { rule_id?: number; tests?: { stages?: { input?: unknown }[] }[] };
      const id = String(doc.rule_id ?? name.replace(/\.yaml$/, ''));
      const strings: string[] = [];
      for (const t of doc.tests ?? []) for (const s of t.stages ?? []) collectStrings(s.input, strings);
      const set = new Set<string>();
      for (const s of strings) {
        set.add(s);
        const d = urlDecode(s);
        if (d !== null) set.add(d);
        // Query strings and bodies are matched per argument by the WAF; try the pieces too.
        for (const part of s.split(/[?&=]/)) {
          const dp = urlDecode(part);
          if (dp) set.add(dp);
        }
      }
      byRule.set(id, [...(byRule.get(id) ?? []), ...set]);
    }
  };
  walk(dir);
  return byRule;
}
