// The property probe's log format and the comparison rules applied to its values.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { comparable, decodePairs, parseProbeLogs } from '../../envoy-test/lib/properties-suite.ts';
import { PROPERTY_PATHS } from '../../envoy-test/lib/property-paths.ts';

function pairs(list: [string, string][]): Buffer {
  const head = Buffer.alloc(4 + 8 * list.length);
  head.writeUInt32LE(list.length, 0);
  list.forEach(([k, v], i) => { head.writeUInt32LE(k.length, 4 + 8 * i); head.writeUInt32LE(v.length, 8 + 8 * i); });
  return Buffer.concat([head, ...list.map(([k, v]) => Buffer.from(`${k}\0${v}\0`, 'latin1'))]);
}

test('decodePairs reads the ABI map format and refuses anything else', () => {
  assert.deepEqual(decodePairs(pairs([['a', '1'], ['b', '22']])), [['a', '1'], ['b', '22']]);
  assert.equal(pairs([['a', '1'], ['b', '22']]).length, 29);
  assert.equal(decodePairs(Buffer.from('hello')), null);
  assert.equal(decodePairs(Buffer.concat([pairs([['a', '1']]), Buffer.from([0])])), null);
  assert.equal(decodePairs(Buffer.from([0xff, 0xff, 0xff, 0xff])), null);
});

test('probe lines map back to their path and phase; the first of repeated lines wins', () => {
  const i = PROPERTY_PATHS.indexOf('plugin_name');
  const t = parseProbeLogs([
    { level: 'info', message: `prop configure ${i} 0 70726f6265` },
    { level: 'info', message: `prop configure ${i} 1 ` },
    { level: 'info', message: `prop log 0 1 ` },
    { level: 'info', message: 'unrelated' },
    { level: 'info', message: 'prop bogus 0 0 00' },
  ]);
  assert.deepEqual(t.plugin_name, { configure: { status: 0, hex: '70726f6265' } });
  assert.deepEqual(t[PROPERTY_PATHS[0]!], { log: { status: 1, hex: '' } });
  assert.equal(comparable('plugin_name', t.plugin_name!.configure), 'ok "probe"');
});

test('volatile values compare by length, addresses without the port, maps sorted and masked', () => {
  assert.equal(comparable('request.id', { status: 0, hex: Buffer.from('x'.repeat(36)).toString('hex') }), 'ok, 36 bytes');
  assert.equal(comparable('source.address', { status: 0, hex: Buffer.from('127.0.0.1:40026').toString('hex') }), 'ok "127.0.0.1:<port>"');
  const m = pairs([['x-request-id', 'abc'], ['b', '2'], ['a', '1']]).toString('hex');
  assert.equal(comparable('request.headers', { status: 0, hex: m }), 'ok map [["a","1"],["b","2"],["x-request-id","<volatile>"]]');
  assert.equal(comparable('request', { status: 3, hex: '' }), 'status 3');
  assert.equal(comparable('request', undefined), 'not read');
});
