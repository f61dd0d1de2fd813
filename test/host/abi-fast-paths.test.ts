// The host's per-request fast paths give exactly what the plain encodings give: pairs written straight into
// guest memory, short strings encoded by hand, header values written without TextEncoder, and values the
// plugin or an earlier filter changed are the ones a later read sees.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { ProxyWasmHost } from '../../host/core/host.ts';
import type { LogRecord } from '../../host/core/types.ts';
import type { UpstreamRequest } from '../../host/core/platform.ts';
import { encodePairs, planPairs, writePairs } from '../../host/core/pairs.ts';
import { encodeUtf8 } from '../../host/core/text.ts';
import { loadPluginFile } from '../../host/node/load-plugin.ts';
import { nodePlatform } from '../../host/node/platform.ts';
import { fixturePlugin } from '../lib/fixture-plugins.ts';

const te = new TextEncoder();

/** The pairs format written the plain way: TextEncoder for every string. */
function referencePairs(pairs: [string | Uint8Array, string | Uint8Array][]): Uint8Array {
  const enc = pairs.map(([k, v]) => [typeof k === 'string' ? te.encode(k) : k, typeof v === 'string' ? te.encode(v) : v]);
  const size = enc.reduce((n, [k, v]) => n + 8 + k!.length + v!.length + 2, 4);
  const out = new Uint8Array(size);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, enc.length, true);
  let p = 4 + 8 * enc.length;
  enc.forEach(([k, v], i) => {
    dv.setUint32(4 + 8 * i, k!.length, true);
    dv.setUint32(8 + 8 * i, v!.length, true);
    out.set(k!, p); p += k!.length + 1;
    out.set(v!, p); p += v!.length + 1;
  });
  return out;
}

let seed = 7;
const rnd = () => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 8) / (1 << 24);
const alphabet = ['a', 'Z', '0', '-', ':', ' ', '\0', '\x7f', 'é', '世', '🙂', '\ud800', '\udc00'];
function randomString(max: number): string {
  const n = Math.floor(rnd() * max);
  let s = '';
  const ascii = rnd() < 0.6; // most maps are pure ASCII: both paths get exercised
  for (let i = 0; i < n; i++) s += ascii ? String.fromCharCode(32 + Math.floor(rnd() * 95)) : alphabet[Math.floor(rnd() * alphabet.length)]!;
  return s;
}

test('encodePairs equals the plain encoding for ASCII, non-ASCII, lone surrogates, NULs and byte entries', () => {
  for (let t = 0; t < 3000; t++) {
    const pairs: [string | Uint8Array, string | Uint8Array][] = [];
    const n = Math.floor(rnd() * 12);
    for (let i = 0; i < n; i++) {
      const k = rnd() < 0.05 ? te.encode(randomString(10)) : randomString(20);
      const v = rnd() < 0.05 ? te.encode(randomString(10)) : randomString(t % 10 === 0 ? 400 : 60);
      pairs.push([k, v]);
    }
    assert.deepEqual(encodePairs(pairs), referencePairs(pairs), JSON.stringify(pairs.map(([k, v]) => [String(k), String(v)])));
  }
  assert.deepEqual(encodePairs([]), Uint8Array.of(0, 0, 0, 0));
});

test('writePairs writes every byte it measured into memory that is not zeroed, at any offset', () => {
  for (const pairs of [
    [[':path', '/a?b=c'], ['user-agent', 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko)'], ['x', '']],
    [['grüße', 'wörld'], ['k', 'v'.repeat(300)]],
  ] as [string, string][][]) {
    const plan = planPairs(pairs);
    const size = plan.size;
    const memory = new Uint8Array(size + 40).fill(0xaa);
    writePairs(plan, memory, 17);
    assert.deepEqual(memory.subarray(17, 17 + size), referencePairs(pairs));
    assert.ok(memory.subarray(0, 17).every((b) => b === 0xaa) && memory.subarray(17 + size).every((b) => b === 0xaa), 'nothing outside');
  }
});

test('encodeUtf8 equals TextEncoder on both sides of its hand-copied length', () => {
  for (let t = 0; t < 3000; t++) {
    const s = randomString(t % 3 === 0 ? 300 : 140);
    assert.deepEqual(encodeUtf8(s), te.encode(s), JSON.stringify(s));
  }
});

let probe = '';
before(async () => { probe = await fixturePlugin('probe'); });

/** Two probe filters in a chain: the first may replace headers, the second reads them back. */
async function chain(first: object, second: object) {
  const logs: LogRecord[] = [];
  const seen: UpstreamRequest[] = [];
  const host = new ProxyWasmHost({
    platform: nodePlatform(), workers: 1, onLog: (r) => logs.push(r),
    upstream: (r) => { seen.push(r); return { status: 200, headers: [], body: new Uint8Array(0) }; },
  });
  host.addPlugin(await loadPluginFile({ file: probe, name: 'first', configuration: JSON.stringify(first) }));
  host.addPlugin(await loadPluginFile({ file: probe, name: 'second', configuration: JSON.stringify(second) }));
  const send = async (value: string, protocol = 'HTTP/1.1', sourceAddress = '127.0.0.1:40000', destinationAddress = '127.0.0.1:10000') => {
    logs.length = 0;
    await host.handle({
      method: 'GET', path: '/p', authority: 'example.com', scheme: 'http', protocol,
      headers: [['x-in', value]], body: new Uint8Array(0),
      connection: { id: 1, sourceAddress, destinationAddress },
    });
    const up = seen.at(-1)!;
    const property = (p: string) => logs.find((l) => l.message.startsWith(`property ${p} =`))?.message.replace(/^.* = /, '');
    return { peeked: up.headers.filter(([k]) => k === 'x-peeked').map(([, v]) => v), property };
  };
  return { send };
}

const hex = (b: Uint8Array | string) => Buffer.from(b).toString('hex');

test('header values and header maps reach a plugin as they are now, request after request', async () => {
  const c = await chain({}, { peekHeader: { name: 'x-in', equals: '' }, properties: [['request', 'headers', 'x-in'], ['request', 'headers']] });
  // ASCII short and long (hand-copied and native writes), non-ASCII, empty: each request sees its own value.
  for (const v of ['a', 'b', 'x'.repeat(200), 'grüße 🙂', '', 'a']) {
    const r = await c.send(v);
    assert.deepEqual(r.peeked, [v], `proxy_get_header_map_value for ${JSON.stringify(v)}`);
    assert.equal(r.property('request.headers.x-in'), `Ok ${hex(v)}`);
    assert.match(r.property('request.headers') ?? '', new RegExp(`^Ok .*${hex(te.encode('x-in\0'))}${hex(v)}00`));
  }
});

test('a header an earlier filter replaced is what a later filter reads, value and map', async () => {
  const c = await chain({ setHeaders: [['x-in', 'set by the first filter']] }, { peekHeader: { name: 'x-in', equals: '' }, properties: [['request', 'headers', 'x-in']] });
  for (const v of ['original', 'another']) {
    const r = await c.send(v);
    assert.deepEqual(r.peeked, ['set by the first filter']);
    assert.equal(r.property('request.headers.x-in'), `Ok ${hex('set by the first filter')}`);
  }
});

test('memoized property bytes (addresses, protocol) follow each request', async () => {
  const c = await chain({}, { properties: [['source', 'address'], ['destination', 'address'], ['request', 'protocol']] });
  for (const [protocol, src, dst] of [['HTTP/1.1', '10.0.0.1:1000', '10.0.0.2:80'], ['HTTP/2', '10.0.0.3:2000', '10.0.0.2:80'], ['HTTP/1.1', '[::1]:3000', '[::1]:443']] as const) {
    const r = await c.send('v', protocol, src, dst);
    assert.equal(r.property('source.address'), `Ok ${hex(src)}`);
    assert.equal(r.property('destination.address'), `Ok ${hex(dst)}`);
    assert.equal(r.property('request.protocol'), `Ok ${hex(protocol)}`);
  }
});

test('generated request ids are distinct lowercase v4 UUIDs, one flat string each', async () => {
  const ids: string[] = [];
  const host = new ProxyWasmHost({
    platform: nodePlatform(), workers: 1,
    upstream: (r) => { ids.push(r.headers.find(([k]) => k === 'x-request-id')![1]); return { status: 200, headers: [], body: new Uint8Array(0) }; },
  });
  for (let i = 0; i < 5000; i++) { // past the 64 KiB pool of random bytes
    await host.handle({ method: 'GET', path: '/', authority: 'example.com', scheme: 'http', protocol: 'HTTP/1.1', headers: [], body: new Uint8Array(0),
      connection: { id: 1, sourceAddress: '127.0.0.1:40000', destinationAddress: '127.0.0.1:10000' } });
  }
  host.close();
  for (const id of ids) assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.equal(new Set(ids).size, ids.length);
});

test('property paths keep resolving right past the number of split paths the host keeps', async () => {
  const paths = Array.from({ length: 300 }, (_, i) => ['request', 'headers', `x-h${i}`]);
  const c = await chain({}, { properties: [...paths, ['request', 'path']] });
  for (const value of ['one', 'two']) {
    const r = await c.send(value);
    for (const i of [0, 150, 299]) assert.equal(r.property(`request.headers.x-h${i}`), 'NotFound');
    assert.equal(r.property('request.path'), `Ok ${hex('/p')}`);
  }
  const d = await chain({}, { properties: [['request', 'headers', 'x-in'], ...paths, ['request', 'headers', 'x-in']] });
  for (const value of ['first', 'second']) assert.equal((await d.send(value)).property('request.headers.x-in'), `Ok ${hex(value)}`);
});
