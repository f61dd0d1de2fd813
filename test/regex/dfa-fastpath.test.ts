// The lazy DFA's fast paths (tagged table cells, first-byte skipping, the early exit of anchored
// searches, cache resets) must give the answer the Pike VM gives. Every CRS @rx pattern, compiled as the
// WAF compiles it (bytes mode, DOTALL), runs on benign header-like values, its own regression inputs and
// random mixes of them (high bytes and newlines included), one input after another on one compiled regex
// so cached transitions are reused; isMatch (DFA) must equal isMatchSlow (Pike VM) on each.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RegexEngine } from '../../assembly/regex/js/engine.ts';
import { crsPatterns, crsTestInputs } from './crs-corpus.ts';
import { prng } from './cases.ts';

const enc = new TextEncoder();

/** As the WAF's @rx compiles a rule's pattern: non-ASCII characters become their UTF-8 bytes. */
function bytePattern(p: string): string {
  return [...p].map((ch) => (ch.charCodeAt(0) < 0x80 ? ch : [...enc.encode(ch)].map((b) => `\\x{${b.toString(16).padStart(2, '0')}}`).join(''))).join('');
}

const BENIGN = [
  '', '0', '2', 'dark', 'session', '/products/list', '/products/list?category=shoes&page=2', 'GET /index.html HTTP/1.1',
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36',
  'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8', 'en-US,en;q=0.9', 'gzip, deflate, br',
  'session=3f9a1c7e5b2d4f60; theme=dark', 'some ordinary text value number 12', 'john.smith@example.com',
];

/** Random values: pieces of the rule's inputs and of benign values, with punctuation, high bytes, newlines. */
function mixes(rand: () => number, pieces: string[], count: number): Uint8Array[] {
  const extra = [0x0a, 0x0d, 0x00, 0x20, 0x22, 0x27, 0x28, 0x3b, 0x3c, 0x7c, 0x80, 0xc2, 0xe2, 0xff];
  const out: Uint8Array[] = [];
  for (let i = 0; i < count; i++) {
    const bytes: number[] = [];
    const parts = 1 + Math.floor(rand() * 4);
    for (let k = 0; k < parts; k++) {
      const p = enc.encode(pieces[Math.floor(rand() * pieces.length)]);
      const from = Math.floor(rand() * (p.length + 1));
      const to = from + Math.floor(rand() * (p.length - from + 1));
      bytes.push(...p.subarray(from, to));
      if (rand() < 0.5) bytes.push(extra[Math.floor(rand() * extra.length)]);
    }
    out.push(Uint8Array.from(bytes));
  }
  return out;
}

test('DFA isMatch equals the Pike VM on every CRS pattern (WAF flags) over benign, regression and random values', async () => {
  const e = await RegexEngine.load();
  const inputs = crsTestInputs();
  const rand = prng(20261126);
  let pairs = 0;
  let matches = 0;
  for (const { ruleId, pattern } of crsPatterns()) {
    const h = e.compile(bytePattern(pattern), 'sb');
    assert.equal(typeof h, 'number', `${ruleId}: ${h}`);
    const own = (inputs.get(ruleId) ?? []).slice(0, 40);
    const values = [...BENIGN.map((s) => enc.encode(s)), ...own.map((s) => enc.encode(s)), ...mixes(rand, [...own, ...BENIGN], 40)];
    for (const v of values) {
      const fast = e.isMatch(h as number, v);
      const slow = e.isMatchSlow(h as number, v);
      assert.equal(fast, slow, `${ruleId} ${pattern.slice(0, 80)} on ${JSON.stringify(String.fromCharCode(...v))}`);
      pairs++;
      if (fast) matches++;
    }
    e.release(h as number);
  }
  // Both answers occur often, so the comparison says something about each.
  assert.ok(matches > 1000 && pairs - matches > 10000, `${matches} matches in ${pairs} pairs`);
});

test('DFA isMatch equals the Pike VM on anchored, assertion and high-byte patterns, run after run', async () => {
  const e = await RegexEngine.load();
  const rand = prng(99);
  const patterns = ['^0$', '^(?:GET|HEAD)$', '\\A\\d+', '^a.*b$', '(?m)^x', 'x$', '\\bor\\b', '\\Bin', '^$', '', '[\\x{80}-\\x{ff}]{2}', 'a\\z', '(?i)^select\\b'];
  const alphabet = [...'abx0or in\nSELECT'].map((c) => c.charCodeAt(0)).concat([0x80, 0xc3, 0xff]);
  for (const p of patterns) {
    for (const flags of ['sb', 'b', 's', '']) {
      const h = e.compile(p, flags) as number;
      assert.equal(typeof h, 'number', p);
      for (let i = 0; i < 300; i++) {
        const v = Uint8Array.from({ length: Math.floor(rand() * 12) }, () => alphabet[Math.floor(rand() * alphabet.length)]);
        assert.equal(e.isMatch(h, v), e.isMatchSlow(h, v), `${p} /${flags} on ${JSON.stringify(String.fromCharCode(...v))}`);
      }
      e.release(h);
    }
  }
});

test('DFA isMatch equals the Pike VM while its cache fills up and is rebuilt', async () => {
  const e = await RegexEngine.load();
  const rand = prng(5);
  // 2^17 reachable states: more than the cache holds, so runs reset it and continue.
  const h = e.compile('(?:a|b)*a(?:a|b){16}c', 'b') as number;
  let steps = 0;
  let bytes = 0;
  for (let i = 0; i < 20; i++) {
    const n = 6000 + Math.floor(rand() * 4000);
    const v = Uint8Array.from({ length: n }, () => (rand() < 0.5 ? 0x61 : 0x62));
    if (rand() < 0.5) v[n - 1] = 0x63;
    e.resetSteps();
    const fast = e.isMatch(h, v);
    steps += Number(e.steps());
    bytes += n;
    assert.equal(fast, e.isMatchSlow(h, v), `input ${i}`);
  }
  // Misses count their closure work as steps: most bytes missed. The cache holds a few thousand of these
  // states (~40 words each, 2^18 words) and the inputs reach ~160 000, so it was rebuilt many times.
  assert.ok(steps > 10 * bytes, `${steps} steps for ${bytes} bytes: the cache never filled`);
});

test('^.*$ over bytes with s (answered without an automaton) matches every value whole, as the Pike VM says', async () => {
  const e = await RegexEngine.load();
  const rand = prng(3);
  const whole = e.compile('^.*$', 'sb') as number;
  // A capture group keeps the same language on the Pike VM path.
  const viaVm = e.compile('^(.*)$', 'sb') as number;
  const noDotAll = e.compile('^.*$', 'b') as number;
  for (let i = 0; i < 200; i++) {
    const v = Uint8Array.from({ length: Math.floor(rand() * 20) }, () => Math.floor(rand() * 256));
    const fast = e.exec(whole, v);
    const slow = e.exec(viaVm, v);
    assert.deepEqual([fast.match, fast.start, fast.end], [slow.match, slow.start, slow.end]);
    assert.deepEqual([fast.match, fast.start, fast.end], [true, 0, v.length]);
    assert.equal(e.isMatch(whole, v), true);
    // Without s, `.` stops at newlines: no shortcut there.
    assert.equal(e.isMatch(noDotAll, v), !v.includes(0x0a));
    assert.equal(e.isMatch(noDotAll, v), e.isMatchSlow(noDotAll, v));
  }
});

test('required bytes (reqbytes.ts): chosen patterns', async () => {
  const e = await RegexEngine.load();
  const req = (p: string, flags = 'sb') => {
    const h = e.compile(p, flags) as number;
    const r = e.requiredBytes(h);
    return r === null ? null : String.fromCharCode(...r);
  };
  assert.equal(req('<script'), '<');
  assert.equal(req('(?:;|\\|)ls'), ';|');
  assert.equal(req('\\d+;'), ';');
  assert.equal(req('a?<'), '<');
  assert.equal(req('[<>]+|\\('), '(<>');
  // Letters are in every benign value: no set rather than a useless one.
  assert.equal(req('a|b'), null);
  assert.equal(req('(?i)union.*select'), null);
  assert.equal(req('(?:<|x)y'), null);
  // Anything that can match the empty string requires nothing.
  assert.equal(req('<*'), null);
  assert.equal(req('(?:<|)'), null);
  assert.equal(req('^$'), null);
  // UTF-8 mode: classes are code points, not bytes.
  assert.equal(req('<script', 's'), null);
});

test('required bytes: every CRS input a CRS pattern matches (Pike VM) holds one of its required bytes', async () => {
  const e = await RegexEngine.load();
  const all = [...crsTestInputs().values()].flat().filter((_, i) => i % 3 === 0).map((s) => enc.encode(s));
  let checked = 0;
  let withSet = 0;
  for (const { ruleId, pattern } of crsPatterns()) {
    const h = e.compile(bytePattern(pattern), 'sb') as number;
    const req = e.requiredBytes(h);
    if (req !== null) {
      withSet++;
      const set = new Set(req);
      for (const v of all) {
        if (!e.isMatchSlow(h, v)) continue;
        checked++;
        assert.ok(v.some((b) => set.has(b)), `${ruleId}: a match without any of ${JSON.stringify(String.fromCharCode(...req))}`);
      }
    }
    e.release(h);
  }
  assert.ok(withSet > 100 && checked > 500, `${withSet} patterns with required bytes, ${checked} matches checked`);
});
