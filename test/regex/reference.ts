// Native RE2 (npm `re2`) as the reference the engine is compared with, behind the same result shape
// as RegexEngine.exec. Loaded lazily so a missing addon is reported as such instead of crashing.
import { createRequire } from 'node:module';
import type { MatchResult, Span } from '../../assembly/regex/js/engine.ts';

interface Re2Match {
  index: number;
  indices?: ([number, number] | undefined)[];
  0: Buffer;
}

export interface Re2Regex {
  exec(input: Buffer): Re2Match | null;
  test(input: Buffer): boolean;
  replace(input: Buffer, rewrite: string): Buffer;
}

type Re2Ctor = new (pattern: string | Buffer, flags?: string) => Re2Regex;

let ctor: Re2Ctor | null | undefined;
let loadError = '';

/** The RE2 constructor, or null (see re2LoadError()) when the native addon is unavailable. */
export function re2(): Re2Ctor | null {
  if (ctor === undefined) {
    try {
      ctor = createRequire(import.meta.url)('re2') as Re2Ctor;
    } catch (e) {
      ctor = null;
      loadError = (e as Error).message.split('\n')[0];
    }
  }
  return ctor;
}

export function re2LoadError(): string {
  return loadError;
}

/**
 * Patterns node-re2 rewrites before RE2 sees them (JS-isms: \u, \c; an empty pattern; JS flag letters):
 * compile errors for these are not comparable.
 */
export function translatedByNodeRe2(pattern: string): boolean {
  return /\\[uc]/.test(pattern) || /\\[pP]\{(?:Script|sc)=/.test(pattern);
}

/** Compiles with RE2; the error message when RE2 rejects the pattern. Flags: i, s, m as in our CLI. */
export function re2Compile(pattern: string, flags = ''): Re2Regex | string {
  const C = re2();
  if (!C) throw new Error(`re2 is not available: ${loadError}`);
  // node-re2 drops the RE2 flags it does not know; U (ungreedy) is expressed inline instead.
  const inline = flags.includes('U') ? '(?U)' : '';
  const jsFlags = 'du' + flags.replace(/[U]/g, '');
  try {
    return new C(inline + pattern, jsFlags);
  } catch (e) {
    return (e as Error).message;
  }
}

export function re2Exec(re: Re2Regex, input: Uint8Array, groups: number): MatchResult {
  const m = re.exec(Buffer.from(input.buffer, input.byteOffset, input.byteLength));
  const spans: Span[] = [];
  if (!m) {
    for (let g = 0; g < groups; g++) spans.push(null);
    return { match: false, start: -1, end: -1, groups: spans };
  }
  const idx = m.indices ?? [];
  for (let g = 1; g <= groups; g++) {
    const s = idx[g];
    spans.push(s ? [s[0], s[1]] : null);
  }
  const whole = idx[0] ?? [m.index, m.index + m[0].length];
  return { match: true, start: whole[0], end: whole[1], groups: spans };
}
