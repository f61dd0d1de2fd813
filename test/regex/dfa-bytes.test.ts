// Bytes (Latin-1, flag `b`) mode: the lazy DFA caches transitions on every byte value, high bytes included
// (base64Decode and hexDecode hand the CRS patterns binary values). Each pattern runs over many inputs in a
// row on one compiled regex, so cached transitions are reused; isMatch must agree with JavaScript's RegExp
// on the same bytes read as Latin-1 characters (the patterns use only syntax both read the same way).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RegexEngine } from '../../assembly/regex/js/engine.ts';
import { prng } from './cases.ts';

const PATTERNS: [string, string][] = [
  ['\\x{c2}\\x{b4}|\\x{e2}\\x{80}[\\x{98}\\x{99}]', ''], // the CRS's UTF-8 quote look-alikes, byte by byte
  ['[\\x{80}-\\x{ff}]{2}x', ''],
  ['[^\\x{00}-\\x{7f}]', ''],
  ['a[^b]c', ''],
  ['a.c', ''],
  ['a.c', 's'],
  ['\\bfo+\\b', ''],
  ['\\W{2}z', ''],
  ['\\Bo\\x{ff}', ''],
  ['^\\x{fe}', ''],
  ['\\x{ff}$', ''],
  ['(?m)^z', ''],
  ['x[\\x{90}-\\x{9f}\\x{e0}]*y', ''],
  ['[^a-z\\x{80}]{3}', ''],
];
const ALPHABET = [0x61, 0x62, 0x63, 0x66, 0x6f, 0x78, 0x79, 0x7a, 0x20, 0x0a, 0x80, 0x90, 0x98, 0x99, 0xb4, 0xc2, 0xe0, 0xe2, 0xfe, 0xff];

/** The pattern for JavaScript: `\x{hh}` → `\xhh`. */
const jsPattern = (p: string) => p.replace(/\\x\{([0-9a-f]{2})\}/g, '\\x$1').replace(/^\(\?m\)/, '');

test('bytes mode: isMatch agrees with RegExp on high bytes, run after run on one compiled pattern', async () => {
  const e = await RegexEngine.load();
  const rand = prng(7);
  const inputs: Uint8Array[] = [];
  for (let i = 0; i < 600; i++) {
    const n = Math.floor(rand() * 24);
    inputs.push(Uint8Array.from({ length: n }, () => ALPHABET[Math.floor(rand() * ALPHABET.length)]));
  }
  let matched = 0;
  for (const [p, extra] of PATTERNS) {
    const h = e.compile(p, 'b' + extra);
    assert.equal(typeof h, 'number', `${p}: ${h}`);
    const js = new RegExp(jsPattern(p), extra + (p.startsWith('(?m)') ? 'm' : ''));
    for (let round = 0; round < 2; round++) {
      for (const input of inputs) {
        const want = js.test(String.fromCharCode(...input));
        assert.equal(e.isMatch(h as number, input), want, `/${p}/b${extra} on [${[...input].map((b) => b.toString(16)).join(' ')}]`);
        if (want) matched++;
      }
    }
    e.release(h as number);
  }
  assert.ok(matched > 500, `too few matching inputs (${matched}) to exercise the match paths`);
});
