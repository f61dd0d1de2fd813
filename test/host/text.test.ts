// The host's UTF-8 helpers and header-value check: the fast paths (a native slice instead of TextDecoder,
// memoized encoding, indexOf instead of a regex) must give exactly what the plain APIs give.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { HeaderMap, isInvalidHeaderValue } from '../../host/core/header-map.ts';
import { decodeLatin1, decodeUtf8, encodeUtf8Shared, isAscii } from '../../host/core/text.ts';

const reference = new TextDecoder('utf-8', { fatal: false });

test('decodeUtf8 equals TextDecoder for any bytes: malformed sequences, a leading BOM, every length', () => {
  const special = [0x00, 0x41, 0x7f, 0x80, 0xbf, 0xc0, 0xc2, 0xdf, 0xe0, 0xed, 0xef, 0xbb, 0xf0, 0xf4, 0xf5, 0xff];
  let seed = 12345;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 8) / (1 << 24);
  for (let t = 0; t < 20000; t++) {
    const n = Math.floor(rnd() * 48);
    const u = new Uint8Array(n + 2);
    for (let i = 0; i < u.length; i++) u[i] = rnd() < 0.6 ? 0x61 : special[Math.floor(rnd() * special.length)]!;
    if (n >= 3 && rnd() < 0.1) u.set([0xef, 0xbb, 0xbf], 1);
    assert.equal(decodeUtf8(u, 1, 1 + n), reference.decode(u.subarray(1, 1 + n)), `bytes ${[...u.subarray(1, 1 + n)]}`);
  }
  const bom = new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode('x'.repeat(20))]);
  assert.equal(decodeUtf8(bom), 'x'.repeat(20), 'a leading BOM is dropped, as TextDecoder does');
  const text = 'Grüße, 世界 — 🙂 '.repeat(5);
  assert.equal(decodeUtf8(new TextEncoder().encode(text)), text);
});

test('encodeUtf8Shared gives the UTF-8 bytes, the same ones for a repeated value', () => {
  for (const s of ['', '/app', 'x'.repeat(100), 'Grüße 🙂', 'a'.repeat(63), 'b'.repeat(64)]) {
    assert.deepEqual(encodeUtf8Shared(s), new TextEncoder().encode(s));
    assert.equal(encodeUtf8Shared(s), encodeUtf8Shared(`${s}`), 'memoized');
  }
  // More distinct values than the memo holds: still right after it is cleared.
  for (let i = 0; i < 1500; i++) assert.deepEqual(encodeUtf8Shared(`v${i}`), new TextEncoder().encode(`v${i}`));
});

test('isAscii (a native UTF-8 length) agrees with a char-code scan: Latin-1, surrogates lone or paired', () => {
  for (const s of ['', 'plain', '\0\x7f', 'k\0v\0'.repeat(100), 'é', `${'a'.repeat(500)}\x80`, '\xff', '\ud800', 'x\udc00', '🙂', '世界']) {
    assert.equal(isAscii(s), [...s].every((c) => c.charCodeAt(0) < 0x80), JSON.stringify(s));
  }
  let joined = '';
  for (let i = 0; i < 20; i++) joined += `h${i}\0v${i}\0`; // a cons string, as planPairs builds it
  assert.equal(isAscii(joined), true);
  assert.equal(isAscii(joined + 'ü'), false);
});

test('decodeLatin1 gives one char per byte', () => {
  const all = Uint8Array.from({ length: 256 }, (_, i) => i);
  assert.equal(decodeLatin1(all, 0, 256), String.fromCharCode(...all));
  assert.equal(decodeLatin1(all, 65, 68), 'ABC');
  assert.equal(decodeLatin1(all, 5, 5), '');
});

test('isInvalidHeaderValue flags NUL, CR and LF anywhere and nothing else; a map tracks it as values are set', () => {
  for (const v of ['a\0', '\rb', 'x'.repeat(900) + '\n', '\0']) assert.equal(isInvalidHeaderValue(v), true, JSON.stringify(v));
  for (const v of ['', 'plain', '\t tab', '\u2028\u0085\x0b\x0c', 'é'.repeat(300)]) assert.equal(isInvalidHeaderValue(v), false, JSON.stringify(v));
  const m = HeaderMap.adopt([['a', 'b']]);
  m.replace('authorization', `Bearer ${'t'.repeat(800)}`);
  assert.equal(m.suspect, false);
  m.replace('cookie', 'a=b\r\nx: y');
  assert.equal(m.suspect, true);
});
