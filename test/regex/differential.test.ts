// Differential test: the AssemblyScript engine against native RE2 (npm `re2`) on every @rx pattern of
// the OWASP CRS, with the CRS regression-test requests plus generated inputs, and on a list of syntax
// edge cases. Any disagreement (compile error vs not, match, span, any group) fails.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RegexEngine, type MatchResult } from '../../assembly/regex/js/engine.ts';
import { crsPatterns, crsTestInputs } from './crs-corpus.ts';
import { re2, re2Compile, re2Exec, re2LoadError, translatedByNodeRe2 } from './reference.ts';
import { EDGE_CASES, GENERIC_INPUTS, INTENTIONAL_REJECTIONS, inputsFromPattern, prng, randomInput, randomPattern } from './cases.ts';

const enc = new TextEncoder();
const MAX_REPORTED = 15;

interface Disagreement {
  pattern: string;
  flags: string;
  input?: string;
  ours: unknown;
  re2: unknown;
}

function same(a: MatchResult, b: MatchResult): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function compare(engine: RegexEngine, pattern: string, flags: string, inputs: string[], out: Disagreement[]): number {
  const ours = engine.compile(pattern, flags);
  const ref = re2Compile(pattern, flags);
  if (typeof ours === 'string' || typeof ref === 'string') {
    const bothFail = typeof ours === 'string' && typeof ref === 'string';
    if (!bothFail && !translatedByNodeRe2(pattern)) {
      out.push({ pattern, flags, ours: typeof ours === 'string' ? ours : 'compiled', re2: typeof ref === 'string' ? ref : 'compiled' });
    }
    return 0;
  }
  const groups = engine.groupCount(ours);
  let n = 0;
  for (const input of inputs) {
    const bytes = enc.encode(input);
    const a = engine.exec(ours, bytes);
    const b = re2Exec(ref, bytes, groups);
    n++;
    if (!same(a, b)) out.push({ pattern, flags, input, ours: a, re2: b });
  }
  engine.release(ours);
  return n;
}

function report(found: Disagreement[]): string {
  return found
    .slice(0, MAX_REPORTED)
    .map((d) => JSON.stringify(d))
    .join('\n');
}

const available = re2() !== null;

test('native RE2 reference is available', () => {
  assert.ok(available, `npm re2 failed to load (${re2LoadError()}); install it with npm install -D re2@1.23.3`);
});

test('CRS @rx patterns agree with RE2 on CRS regression inputs and generated inputs', { skip: !available }, async () => {
  const engine = await RegexEngine.load();
  const patterns = crsPatterns();
  const tests = crsTestInputs();
  assert.ok(patterns.length > 300, `expected the CRS rule set, found ${patterns.length} @rx patterns`);
  const found: Disagreement[] = [];
  let compared = 0;
  let matched = 0;
  for (const p of patterns) {
    const inputs = [...(tests.get(p.ruleId) ?? []).slice(0, 80), ...GENERIC_INPUTS, ...inputsFromPattern(p.pattern, 40)];
    compared += compare(engine, p.pattern, '', inputs, found);
    const h = engine.compile(p.pattern);
    if (typeof h === 'number') {
      for (const s of inputs) if (engine.isMatch(h, enc.encode(s))) matched++;
      engine.release(h);
    }
  }
  assert.equal(found.length, 0, `${found.length} disagreements with RE2:\n${report(found)}`);
  // The corpus must exercise matches, not only misses, for the comparison to mean something.
  assert.ok(compared > 20000, `only ${compared} comparisons`);
  assert.ok(matched > 2000, `only ${matched} matching pairs`);
});

test('syntax edge cases agree with RE2 (accept/reject, spans, groups)', { skip: !available }, async () => {
  const engine = await RegexEngine.load();
  const found: Disagreement[] = [];
  for (const c of EDGE_CASES) compare(engine, c.pattern, c.flags ?? '', c.inputs, found);
  assert.equal(found.length, 0, `${found.length} disagreements with RE2:\n${report(found)}`);
});

test('\\C (any byte) is the one RE2 construct rejected on purpose', { skip: !available }, async () => {
  const engine = await RegexEngine.load();
  for (const p of INTENTIONAL_REJECTIONS) {
    assert.equal(typeof re2Compile(p), 'object', `RE2 accepts ${p}`);
    assert.match(String(engine.compile(p)), /\\C \(any byte\) is not supported/);
  }
});

test('random small patterns agree with RE2 (seeded)', { skip: !available }, async () => {
  const engine = await RegexEngine.load();
  const seed = Number(process.env.REGEX_SEED ?? 20261125);
  const rand = prng(seed);
  const found: Disagreement[] = [];
  for (let i = 0; i < 2000; i++) {
    const pattern = randomPattern(rand);
    const inputs = Array.from({ length: 12 }, () => randomInput(rand));
    compare(engine, pattern, '', inputs, found);
  }
  assert.equal(found.length, 0, `seed ${seed}: ${found.length} disagreements with RE2:\n${report(found)}`);
});
