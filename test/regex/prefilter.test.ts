// Required literals (assembly/regex/prefilter.ts): every match of a bytes-mode pattern contains one of
// them (ASCII folded). The WAF's rule groups skip a regex when a value holds none of them, so a literal set
// that misses a match would hide an attack: checked here on chosen patterns and on every CRS @rx pattern
// against the CRS regression inputs, with the engine's own isMatch as the judge.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RegexEngine } from '../../assembly/regex/js/engine.ts';
import { crsPatterns, crsTestInputs } from './crs-corpus.ts';
import { prng } from './cases.ts';

const dec = (b: Uint8Array) => String.fromCharCode(...b);
const fold = (b: Uint8Array) => Uint8Array.from(b, (c) => (c >= 0x41 && c <= 0x5a ? c + 32 : c));

function contains(hay: Uint8Array, needle: Uint8Array): boolean {
  outer: for (let i = 0; i + needle.length <= hay.length; i++) {
    for (let k = 0; k < needle.length; k++) if (hay[i + k] !== needle[k]) continue outer;
    return true;
  }
  return false;
}

/** As the WAF's @rx compiles a rule's pattern: non-ASCII characters become their UTF-8 bytes. */
function bytePattern(p: string): string {
  return [...p].map((ch) => (ch.charCodeAt(0) < 0x80 ? ch : [...new TextEncoder().encode(ch)].map((b) => `\\x{${b.toString(16).padStart(2, '0')}}`).join(''))).join('');
}

test('prefilter: literals of chosen patterns', async () => {
  const e = await RegexEngine.load();
  const lits = (p: string) => {
    const h = e.compile(p, 'bs');
    assert.equal(typeof h, 'number', `${p}: ${h}`);
    const l = e.literals(h as number);
    return l === null ? null : l.map(dec).sort();
  };
  assert.deepEqual(lits('(?i)\\b(?:select|union)\\b'), ['select', 'union']);
  assert.deepEqual(lits('ab?c'), ['abc', 'ac']);
  assert.deepEqual(lits('SeLeCt'), ['select']);
  assert.deepEqual(lits('<script[^>]*>'), ['<script']);
  // `.*` matches any text: the literal is one side, never "ab".
  const ab = lits('a.*b');
  assert.ok(ab !== null && ab.length === 1 && (ab[0] === 'a' || ab[0] === 'b'), JSON.stringify(ab));
  assert.equal(lits('a*'), null);
  assert.equal(lits('[a-z]+'), null);
  assert.equal(lits('x|[a-z]+'), null);
  assert.equal(lits('(?:ab)?'), null);
  assert.deepEqual(lits('\\x{c2}\\x{b4}|\\x{e2}\\x{80}[\\x{98}\\x{99}]'), ['\u00c2\u00b4', '\u00e2\u0080\u0098', '\u00e2\u0080\u0099']);
  // Text mode (no `b`): not analysed.
  const h = e.compile('select', 's');
  assert.equal(e.literals(h as number), null);
});

test('prefilter: every CRS pattern match on the CRS inputs (and on random mixes of them) contains a literal', async () => {
  const e = await RegexEngine.load();
  const inputs = crsTestInputs();
  const all = [...new Set([...inputs.values()].flat())].map((s) => new TextEncoder().encode(s));
  const rand = prng(11);
  let checked = 0;
  let withLiterals = 0;
  for (const { ruleId, pattern } of crsPatterns()) {
    const h = e.compile(bytePattern(pattern), 'bs');
    if (typeof h !== 'number') continue;
    const l = e.literals(h);
    if (l === null) continue;
    withLiterals++;
    // The rule's own tests, a sample of everything else, and splices of its literals into other inputs.
    const own = (inputs.get(ruleId) ?? []).map((s) => new TextEncoder().encode(s));
    const sample = Array.from({ length: 150 }, () => all[Math.floor(rand() * all.length)]);
    const spliced = l.slice(0, 40).map((lit) => {
      const base = all[Math.floor(rand() * all.length)];
      const at = Math.floor(rand() * (base.length + 1));
      const up = Uint8Array.from(lit, (c) => (c >= 0x61 && c <= 0x7a && rand() < 0.5 ? c - 32 : c));
      return Uint8Array.from([...base.slice(0, at), ...up, ...base.slice(at)]);
    });
    for (const input of [...own, ...sample, ...spliced]) {
      if (!e.isMatch(h, input)) continue;
      checked++;
      const f = fold(input);
      assert.ok(l.some((lit) => contains(f, lit)), `${ruleId} /${pattern.slice(0, 80)}/ matches ${JSON.stringify(dec(input).slice(0, 120))} without any of ${l.length} literals ${JSON.stringify(l.slice(0, 10).map(dec))}`);
    }
    e.release(h);
  }
  assert.ok(withLiterals > 150, `most CRS patterns should get literals, got ${withLiterals}`);
  assert.ok(checked > 2000, `the corpus should give many matches to check, got ${checked}`);
});
