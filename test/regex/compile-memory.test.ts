// What compiling the CRS @rx set costs in linear memory, in the plugins' `minimal` runtime (nothing is
// freed until the host-driven collection after onConfigure, so garbage made while compiling counts).
// Bounds are set from `npm run bench -- regex --compile` (peak 11.2, kept 1.9, after one match of each
// 4.0 MiB; the build before the compaction work took 30.2 / 10.3 / 13.3) with headroom for small changes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RegexEngine } from '../../assembly/regex/js/engine.ts';
import { crsPatterns } from './crs-corpus.ts';

const MiB = 1 << 20;
const enc = new TextEncoder();

test('compiling every CRS @rx pattern as the WAF does stays within the memory bounds', async () => {
  const e = await RegexEngine.load('minimal');
  const base = e.heapUsed();
  const handles: number[] = [];
  for (const { pattern } of crsPatterns()) {
    const h = e.compile(pattern, 'sb');
    assert.equal(typeof h, 'number', `${pattern.slice(0, 60)}: ${h}`);
    handles.push(h as number);
  }
  const peak = (e.heapUsed() - base) / MiB;
  e.collect();
  const kept = (e.heapUsed() - base) / MiB;
  const input = enc.encode('GET /index.php?id=1 union select password from users-- Mozilla/5.0');
  for (const h of handles) {
    e.isMatch(h, input);
    e.exec(h, input);
  }
  e.collect();
  const afterMatch = (e.heapUsed() - base) / MiB;
  assert.ok(peak < 14, `heap after compiling, uncollected: ${peak.toFixed(1)} MiB`);
  assert.ok(kept < 3, `heap the compiled set keeps: ${kept.toFixed(1)} MiB`);
  assert.ok(afterMatch < 6, `heap kept after matching each once: ${afterMatch.toFixed(1)} MiB`);
});

test('the heap walk counts what is allocated and freed', async () => {
  const e = await RegexEngine.load('minimal');
  const pattern = '(?i)a{1,200}b[cd]{3,50}';
  // The first compile also fills lasting caches (shared literal nodes, the handle table).
  e.release(e.compile(pattern, 'sb') as number);
  e.collect();
  const before = e.heapUsed();
  const h = e.compile(pattern, 'sb') as number;
  const grown = e.heapUsed();
  assert.ok(grown - before > 200 * 9, `a ~1000-instruction program must show: ${grown - before} bytes`);
  e.release(h);
  e.collect();
  assert.ok(e.heapUsed() <= before + 64, `released and collected: ${e.heapUsed() - before} bytes left`);
});

test('a bracket class shared within a pattern keeps the flags it was written under', async () => {
  const e = await RegexEngine.load();
  const cases: [string, string, boolean][] = [
    ['^[a-c](?i:[a-c])$', 'aB', true],
    ['^(?i:[a-c])[a-c]$', 'aB', false],
    ['^(?i:[a-c])[a-c]$', 'Ab', true],
    ['^[x-z]+(?i)[x-z]+$', 'xyZZ', true],
    ['^[x-z]+(?i)[x-z]+$', 'XyZZ', false],
    ['^[^ab][^ab][ab]$', 'cda', true],
  ];
  for (const [pattern, input, want] of cases) {
    const h = e.compile(pattern) as number;
    assert.equal(e.isMatch(h, enc.encode(input)), want, `${pattern} on ${input}`);
    assert.equal(e.exec(h, enc.encode(input)).match, want, `${pattern} on ${input} (captures)`);
  }
});

test('matchers of different sizes share scratch without mixing results', async () => {
  const e = await RegexEngine.load();
  const big = e.compile('(?:' + Array.from({ length: 300 }, (_, i) => `w${i}x`).join('|') + ')(\\d+)') as number;
  const small = e.compile('(a)(b)?(c)') as number;
  const input = enc.encode('zz w299x42 ac');
  for (let round = 0; round < 3; round++) {
    assert.deepEqual(e.exec(big, input), { match: true, start: 3, end: 10, groups: [[8, 10]] });
    assert.deepEqual(e.exec(small, input), { match: true, start: 11, end: 13, groups: [[11, 12], null, [12, 13]] });
  }
});
