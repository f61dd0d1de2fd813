// @pm / @pmFromFile against a plain reference: does any phrase occur (ASCII case-insensitive), and with
// capture the leftmost-longest occurrence (earliest start, then the longest phrase there) as written in the
// input. Phrase sets: every CRS data file, and random sets over a tiny alphabet (deep fail-link chains,
// shared prefixes and suffixes, duplicates differing only in case, non-ASCII bytes).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { SeclangOps } from '../../assembly/seclang/operators/js/engine.ts';

const crsRules = '/work/shared/data/crs/rules';

const foldByte = (b: number): number => (b >= 0x41 && b <= 0x5a ? b | 0x20 : b);
const fold = (b: Uint8Array): string => String.fromCharCode(...Array.from(b, foldByte));

/** The phrases of a data file as @pmFromFile reads them: trimmed lines, no blanks, no `#` lines. */
function filePhrases(text: string): Uint8Array[] {
  return text
    .split('\n')
    .map((l) => l.replace(/^[ \t\r\v\f]+|[ \t\r\v\f]+$/g, ''))
    .filter((l) => l.length > 0 && !l.startsWith('#'))
    .map((l) => new TextEncoder().encode(l));
}

class Reference {
  private set = new Set<string>();
  private lengths: number[];
  constructor(phrases: Uint8Array[]) {
    for (const p of phrases) this.set.add(fold(p));
    this.lengths = [...new Set([...this.set].map((p) => p.length))].sort((a, b) => b - a);
  }
  /** [start, end) of the leftmost-longest occurrence, or null. */
  find(input: Uint8Array): [number, number] | null {
    const s = fold(input);
    for (let i = 0; i < s.length; i++) {
      for (const l of this.lengths) if (i + l <= s.length && this.set.has(s.slice(i, i + l))) return [i, i + l];
    }
    return null;
  }
}

/** Deterministic PRNG (mulberry32) so a failure reproduces. */
function rng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function check(engine: SeclangOps, h: number, ref: Reference, input: Uint8Array, what: string): void {
  const want = ref.find(input);
  const plain = engine.match(h, input);
  assert.equal(plain.match, want !== null, `${what}: match of ${JSON.stringify(Buffer.from(input).toString('latin1'))}`);
  const cap = engine.match(h, input, true);
  assert.equal(cap.match, want !== null, `${what}: capture match`);
  if (want) assert.deepEqual(Array.from(cap.tx0), Array.from(input.subarray(want[0], want[1])), `${what}: TX.0 of ${JSON.stringify(Buffer.from(input).toString('latin1'))}`);
}

test('@pmFromFile over every CRS data file agrees with the reference', async () => {
  const engine = await SeclangOps.load();
  const rand = rng(1);
  for (const f of readdirSync(crsRules).filter((n) => n.endsWith('.data')).sort()) {
    const text = readFileSync(`${crsRules}/${f}`, 'utf8');
    engine.putFile(f, text);
    const h = engine.compile('pmFromFile', f);
    assert.equal(typeof h, 'number', `${f}: ${h}`);
    const phrases = filePhrases(text);
    const ref = new Reference(phrases);
    const pick = (): Uint8Array => phrases[Math.floor(rand() * phrases.length)];
    for (let k = 0; k < 40; k++) {
      const p = pick();
      // A phrase in random case inside noise, a phrase missing its last byte, two phrases overlapping.
      const noise = Uint8Array.from({ length: Math.floor(rand() * 12) }, () => 32 + Math.floor(rand() * 95));
      const cased = p.map((b) => (rand() < 0.5 && b >= 0x61 && b <= 0x7a ? b - 32 : b));
      check(engine, h as number, ref, Buffer.concat([noise, cased, noise]), f);
      check(engine, h as number, ref, Buffer.concat([noise, p.subarray(0, p.length - 1)]), f);
      const q = pick();
      check(engine, h as number, ref, Buffer.concat([p.subarray(0, Math.ceil(p.length / 2)), q, p.subarray(1)]), f);
    }
    check(engine, h as number, ref, new TextEncoder().encode('Mozilla/5.0 (X11; Linux x86_64) Firefox/126.0'), f);
    check(engine, h as number, ref, new Uint8Array(0), f);
  }
});

test('@pmFromFile on random phrase sets over a small alphabet agrees with the reference', async () => {
  const engine = await SeclangOps.load();
  const rand = rng(7);
  const alphabet = [0x61, 0x62, 0x41, 0x42, 0x63, 0x00, 0xc3, 0xff, 0x2e];
  const word = (max: number): Uint8Array =>
    Uint8Array.from({ length: 1 + Math.floor(rand() * max) }, () => alphabet[Math.floor(rand() * alphabet.length)]);
  for (let set = 0; set < 60; set++) {
    const phrases = Array.from({ length: 1 + Math.floor(rand() * 30) }, () => word(6));
    // Data files are text: bytes >= 0x80 become their UTF-8 encoding, so keep the reference on those bytes.
    const text = phrases.map((p) => String.fromCharCode(...p)).join('\n');
    const name = `random-${set}.data`;
    engine.putFile(name, text);
    const h = engine.compile('pmFromFile', name);
    assert.equal(typeof h, 'number', `${name}: ${h}`);
    const ref = new Reference(filePhrases(text));
    for (let k = 0; k < 60; k++) check(engine, h as number, ref, word(40), name);
  }
});

test('@pm: words of the parameter, duplicates and case variants count once', async () => {
  const engine = await SeclangOps.load();
  const h = engine.compile('pm', 'abc ABC abcd bcd cd  \t d');
  assert.equal(typeof h, 'number');
  const ref = new Reference(['abc', 'abcd', 'bcd', 'cd', 'd'].map((s) => new TextEncoder().encode(s)));
  for (const s of ['xxabcdxx', 'xBCDx', 'zzzz', 'ABCD', 'abxcd', 'd', '']) check(engine, h as number, ref, new TextEncoder().encode(s), 'pm');
  assert.equal(engine.compile('pm', ' \t '), '@pm needs at least one phrase');
  engine.putFile('empty.data', '# only a comment\n\n   \n');
  assert.equal(engine.compile('pmFromFile', 'empty.data'), '@pmFromFile: no phrases in empty.data');
  assert.equal(engine.compile('pmFromFile', 'empty.data missing.data'), '@pmFromFile: data file not found: missing.data');
});
