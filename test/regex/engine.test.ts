// Behaviour of the compiled regex.wasm that the differential test cannot show: linear work on
// pathological patterns (counted in matcher steps, not wall time), bounded memory, hostile input that
// must come back as errors, set matching, global replace, and the `meshplug regex --batch` contract.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RegexEngine } from '../../assembly/regex/js/engine.ts';
import { crsPatterns, crsTestInputs } from './crs-corpus.ts';
import { GENERIC_INPUTS, prng } from './cases.ts';

const enc = new TextEncoder();
const dec = new TextDecoder();
const MiB = 1 << 20;

async function engine(): Promise<RegexEngine> {
  return RegexEngine.load();
}

function compiled(e: RegexEngine, pattern: string, flags = ''): number {
  const h = e.compile(pattern, flags);
  assert.equal(typeof h, 'number', `compile ${pattern}: ${h}`);
  return h as number;
}

function stepsFor(e: RegexEngine, h: number, input: Uint8Array, captures: boolean): number {
  e.resetSteps();
  if (captures) e.exec(h, input);
  else e.isMatch(h, input);
  return Number(e.steps());
}

test('pathological patterns take work linear in the input, up to 1 MiB', async () => {
  const e = await engine();
  const cases: [string, string][] = [
    ['(a*)*b', 'a'],
    ['(x+x+)+y', 'x'],
    ['(a|aa)*c', 'a'],
    ['(?:a?){30}a{30}', 'aaaaaaaaaab'], // never 30 a's in a row: every start position is explored
    ['(.*)*x$', 'y'],
    ['^(\\w+\\s?)*$', 'word '],
  ];
  for (const [pattern, unit] of cases) {
    const h = compiled(e, pattern);
    for (const captures of [false, true]) {
      const quarter = stepsFor(e, h, enc.encode(unit.repeat(MiB / 4 / unit.length)), captures);
      const full = stepsFor(e, h, enc.encode(unit.repeat(MiB / unit.length)), captures);
      // 4x the input, 4x the work: a backtracking engine would not finish at all.
      const ratio = full / quarter;
      assert.ok(ratio > 3.5 && ratio < 4.5, `${pattern} (captures=${captures}): steps grew ${ratio.toFixed(2)}x for 4x input`);
      assert.ok(full < 200 * MiB, `${pattern}: ${full} steps for 1 MiB`);
    }
    e.release(h);
  }
});

test('work per byte is bounded by the program size, whatever the pattern', async () => {
  const e = await engine();
  const h = compiled(e, '(?:a|b|ab|ba)*(?:a{1,50}|b{1,50})*c');
  const input = enc.encode('ab'.repeat(MiB / 2));
  const steps = stepsFor(e, h, input, true);
  assert.ok(steps / input.length < 1000, `${steps / input.length} steps per byte`);
});

test('memory stays flat across many matches', async () => {
  const e = await engine();
  const h = compiled(e, '(?i)(\\w+)@(\\w+)\\.(com|org)');
  const input = enc.encode('contact: someone@example.org, other@test.com '.repeat(50));
  for (let i = 0; i < 200; i++) e.exec(h, input);
  const before = e.memoryBytes();
  for (let i = 0; i < 5000; i++) e.exec(h, input);
  assert.equal(e.memoryBytes(), before);
});

test('hostile patterns and inputs give errors or results, never a trap', async () => {
  const e = await engine();
  const rand = prng(7);
  const soup = ['(', ')', '[', ']', '{', '}', '*', '+', '?', '|', '\\', '^', '$', '.', '-', ',', ':', '<', '>', '=', '!', 'P', 'p', 'a', '1', '0', 'x', 'é', 'Q', 'E', 'i', 's'];
  let errors = 0;
  for (let i = 0; i < 3000; i++) {
    let p = '';
    const n = 1 + Math.floor(rand() * 12);
    for (let j = 0; j < n; j++) p += soup[Math.floor(rand() * soup.length)];
    const h = e.compile(p);
    if (typeof h === 'string') {
      assert.match(h, / at offset \d+$/, `error for ${JSON.stringify(p)} lacks a position`);
      errors++;
      continue;
    }
    const bytes = new Uint8Array(16).map(() => Math.floor(rand() * 256));
    e.exec(h, bytes);
    e.release(h);
  }
  assert.ok(errors > 500 && errors < 2900, `${errors} of 3000 random patterns rejected`);
  // Size limits: nesting and expansion are refused with a reason instead of exhausting memory.
  assert.match(String(e.compile('('.repeat(100000))), /nests too deeply/);
  for (const deep of ['(?:'.repeat(250) + 'a' + ')*'.repeat(250), '('.repeat(250) + 'a|b' + ')+?'.repeat(250)]) {
    const h = compiled(e, deep);
    assert.equal(e.exec(h, enc.encode('xab')).match, true);
    e.release(h);
  }
  assert.match(String(e.compile('((((a{100}){100}){100}){100})')), /bad repetition operator/);
  assert.match(String(e.compile('[a-z]{1000}'.repeat(300))), /pattern too large/);
  assert.match(String(e.compile('x', 'q')), /unknown flag/);
});

test('invalid UTF-8 input bytes match nothing but do not stop the search', async () => {
  const e = await engine();
  const h = compiled(e, 'a.c|(b)');
  assert.deepEqual(e.exec(h, new Uint8Array([0x61, 0xff, 0x63, 0x62])), { match: true, start: 3, end: 4, groups: [[3, 4]] });
  const latin1 = compiled(e, 'a.c', 'b');
  assert.deepEqual(e.exec(latin1, new Uint8Array([0x61, 0xff, 0x63])), { match: true, start: 0, end: 3, groups: [] });
});

test('a set of all CRS patterns reports exactly the patterns that match on their own', async () => {
  const e = await engine();
  const patterns = crsPatterns().map((p) => p.pattern);
  const set = e.compileSet(patterns);
  assert.equal(typeof set, 'number', String(set));
  const handles = patterns.map((p) => compiled(e, p));
  const inputs = [...GENERIC_INPUTS, ...[...crsTestInputs().values()].flat().filter((_, i) => i % 40 === 0)];
  let hits = 0;
  for (const s of inputs) {
    const bytes = enc.encode(s);
    const expected = handles.flatMap((h, i) => (e.isMatch(h, bytes) ? [i] : []));
    assert.deepEqual(e.matchSet(set as number, bytes), expected, `input ${JSON.stringify(s).slice(0, 80)}`);
    hits += expected.length;
  }
  assert.ok(hits > 100, `only ${hits} set hits`);
  assert.match(String(e.compileSet(['ok', '(?<=x)'])), /^pattern 1: look-around/);
});

test('replace follows RE2::GlobalReplace (uriRegexRewrite)', async () => {
  const e = await engine();
  const rep = (p: string, input: string, rw: string) => {
    const r = e.replace(compiled(e, p), enc.encode(input), rw);
    return typeof r === 'string' ? r : dec.decode(r.output);
  };
  assert.equal(rep('^/service/([^/]+)(/.*)$', '/service/foo/v1/api', '\\2/instance/\\1'), '/v1/api/instance/foo');
  assert.equal(rep('one', 'one two one', '1'), '1 two 1');
  assert.equal(rep('a*', 'baaac', '-'), '-b-c-');
  assert.equal(rep('', 'éa', '.'), '.é.a.');
  assert.equal(rep('(x)?y', 'y', '[\\1\\\\\\0]'), '[\\y]');
  assert.equal(rep('nomatch', 'input', 'z'), 'input');
  assert.match(rep('(a)', 'a', '\\2'), /only 1 groups/);
  assert.match(rep('(a)', 'a', 'x\\'), /trailing/);
});

test('meshplug regex --batch prints one JSON line per input line', () => {
  const dir = mkdtempSync(join(tmpdir(), 'regex-batch-'));
  try {
    const file = join(dir, 'in.jsonl');
    writeFileSync(
      file,
      [
        JSON.stringify({ pattern: '(\\d+)-(\\d+)?', input: 'bytes=100-' }),
        JSON.stringify({ pattern: 'é(x)', input: 'aéx' }),
        JSON.stringify({ pattern: 'NOPE', input: 'nope', flags: 'i' }),
        JSON.stringify({ pattern: 'z', input: 'abc' }),
        JSON.stringify({ pattern: '(a', input: 'a' }),
        '{not json',
        JSON.stringify({ pattern: 1, input: 'a' }),
      ].join('\n') + '\n',
    );
    const r = spawnSync(process.execPath, ['bin/meshplug.mjs', 'regex', '--batch', file], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const lines = r.stdout.trimEnd().split('\n').map((l) => JSON.parse(l));
    assert.deepEqual(lines.slice(0, 5), [
      { match: true, start: 6, end: 10, groups: [[6, 9], null] },
      { match: true, start: 1, end: 4, groups: [[3, 4]] },
      { match: true, start: 0, end: 4, groups: [] },
      { match: false, start: -1, end: -1, groups: [] },
      { error: 'missing ): (a at offset 0' },
    ]);
    assert.match(lines[5].error, /^line 6: invalid JSON/);
    assert.equal(lines[6].error, 'line 7: "pattern" must be a string');
    assert.equal(lines.length, 7);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
