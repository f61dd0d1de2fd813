// The gateway treats raw requests as Envoy 1.40 does before the filter chain (facts in plugins/waf/README.md):
// repeated inline headers joined with ",", hop-by-hop headers removed, a fragment refused with 400, CONNECT
// through the chain then 404 (400 without a port), a parse error after a complete request answered after
// that request's response, and no :authority when there is no Host at all.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startGateway, type Gateway } from '../../host/node/gateway.ts';
import { coalesceInlineHeaders, isConnectTarget, isRemovedBeforeFilters } from '../../host/node/envoy-codec.ts';
import { sendRaw } from '../../host/waf-test/raw-client.ts';
import { wasmPath } from '../lib/host-runner.ts';
import { compileWat } from '../fixtures/wat/compile.ts';

test('repeated inline headers are joined with ",", in the first one\'s place; others stay separate', () => {
  const h: [string, string][] = [['content-type', 'a'], ['x-y', '1'], ['accept-language', 'en'], ['content-type', 'b'], ['accept-language', 'fr'], ['host', 'h1'], ['host', 'h2']];
  assert.deepEqual(coalesceInlineHeaders(h), [['content-type', 'a,b'], ['x-y', '1'], ['accept-language', 'en'], ['accept-language', 'fr'], ['host', 'h1,h2']]);
  assert.deepEqual(h[0], ['content-type', 'a'], 'the input is not modified');
  const plain: [string, string][] = [['a', '1'], ['a', '2']];
  assert.equal(coalesceInlineHeaders(plain), plain, 'no repeat of an inline header: the same list');
});

test('hop-by-hop headers are removed before the filters; TE only when it is not "trailers"', () => {
  for (const k of ['host', 'connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade']) assert.ok(isRemovedBeforeFilters(k, 'x'), k);
  assert.ok(isRemovedBeforeFilters('te', 'gzip'));
  assert.ok(!isRemovedBeforeFilters('te', 'trailers'));
  assert.ok(!isRemovedBeforeFilters('accept', 'x'));
});

test('CONNECT targets need host:port', () => {
  for (const ok of ['1.2.3.4:80', 'www.example.org:443', '[::1]:8080']) assert.ok(isConnectTarget(ok), ok);
  for (const bad of ['www.example.org', '/path', 'a:b', 'http://a:80', '']) assert.ok(!isConnectTarget(bad), bad);
});

// hello in front of the echo upstream, which shows what the chain sent on.
async function withGateway(fn: (gw: Gateway, port: number, logs: string[]) => Promise<void>): Promise<void> {
  const logs: string[] = [];
  const gw = await startGateway({
    listen: { host: '127.0.0.1', port: 0 }, admin: null, upstream: 'echo', workers: 1, logLevel: 'info', clusters: {}, statsTags: null,
    plugins: [{ name: 'hello', wasm: wasmPath({ wasm: 'hello' }), rootId: '', vmId: '', failurePolicy: 'FAIL_CLOSED', config: '{"header":"x-gw","value":"1"}' }],
  }, (l) => logs.push(l));
  try {
    await fn(gw, Number(new URL(gw.url).port), logs);
  } finally {
    await gw.close();
  }
}

const send = (port: number, text: string) => sendRaw('127.0.0.1', port, Buffer.from(text, 'latin1'), 5000);

test('the upstream gets repeated Content-Type and Host joined, as behind Envoy', async () => {
  await withGateway(async (_gw, port) => {
    const r = await send(port, 'GET /h HTTP/1.1\r\nHost: a\r\nHost: b\r\nContent-Type: x/1\r\nContent-Type: x/2\r\nX-Rep: 1\r\nX-Rep: 2\r\nConnection: close\r\n\r\n');
    assert.ok(r.ok);
    const echoed = JSON.parse(r.response.full.split('\r\n\r\n')[1]!) as { headers: [string, string][] };
    assert.deepEqual(echoed.headers.filter(([k]) => k === 'content-type'), [['content-type', 'x/1,x/2']]);
    assert.deepEqual(echoed.headers.filter(([k]) => k === 'host'), [['host', 'a,b']]);
    assert.deepEqual(echoed.headers.filter(([k]) => k === 'x-rep'), [['x-rep', '1'], ['x-rep', '2']]);
  });
});

test('a fragment in the target: 400 with an empty body, the chain never runs', async () => {
  await withGateway(async (gw, port) => {
    const r = await send(port, 'GET /a?b=1#c HTTP/1.1\r\nHost: a\r\n\r\n');
    assert.ok(r.ok);
    assert.equal(r.response.status, 400);
    assert.match(r.response.full, /\r\ncontent-length: 0\r\n/i);
    assert.equal(gw.host.stats.snapshot()['wasmcustom.hello_requests_total'] ?? 0, 0);
  });
});

test('CONNECT host:port runs through the chain and gets the router\'s 404; without a port, 400 first', async () => {
  await withGateway(async (gw, port) => {
    const r = await send(port, 'CONNECT 1.2.3.4:80 HTTP/1.1\r\nHost: localhost\r\n\r\n');
    assert.ok(r.ok, r.ok ? '' : r.error);
    assert.equal(r.response.status, 404);
    assert.match(r.response.full, /^HTTP\/1\.1 404 Not Found\r\n/);
    assert.match(r.response.full, /\r\nx-powered-by: meshplug\r\n/, 'the plugin saw the response');
    assert.equal(gw.host.stats.snapshot()['wasmcustom.hello_requests_total'], 1);
    const bad = await send(port, 'CONNECT www.example.org HTTP/1.1\r\nHost: www.example.org\r\n\r\n');
    assert.ok(bad.ok);
    assert.equal(bad.response.status, 400);
    assert.equal(gw.host.stats.snapshot()['wasmcustom.hello_requests_total'], 1, 'refused before the chain');
  });
});

test('bytes after a POST without Content-Length: the POST is answered first, then the parse error', async () => {
  await withGateway(async (_gw, port) => {
    const r = await send(port, 'POST /p HTTP/1.1\r\nHost: a\r\n\r\n{"not":"a request"}');
    assert.ok(r.ok);
    assert.equal(r.response.status, 200);
    const echoed = JSON.parse(r.response.full.split('\r\n\r\n')[1]!) as { path: string; body: string };
    assert.equal(echoed.path, '/p');
    assert.equal(echoed.body, '');
  });
});

test('HTTP/1.0 without Host reaches the chain without :authority; an empty Host as an empty one', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'meshplug-gw-codec-'));
  const dump = join(dir, 'header-dump.wasm');
  writeFileSync(dump, await compileWat('header-dump'));
  const logs: string[] = [];
  const gw = await startGateway({
    listen: { host: '127.0.0.1', port: 0 }, admin: null, upstream: 'echo', workers: 1, logLevel: 'info', clusters: {}, statsTags: null,
    plugins: [{ name: 'dump', wasm: dump, rootId: '', vmId: '', failurePolicy: 'FAIL_CLOSED', config: '' }],
  }, (l) => logs.push(l));
  try {
    const port = Number(new URL(gw.url).port);
    assert.ok((await send(port, 'GET /a HTTP/1.0\r\nX: 1\r\n\r\n')).ok);
    assert.ok((await send(port, 'GET /b HTTP/1.0\r\nHost:\r\nTE: gzip\r\n\r\n')).ok);
    const dumps = logs.filter((l) => l.includes('request headers: ')).map((l) => l.slice(l.indexOf('request headers: ') + 17));
    assert.match(dumps[0]!, /^:path\|\/a\|:method\|GET\|:scheme\|http\|x\|1\|/);
    assert.match(dumps[1]!, /^:authority\|\|:path\|\/b\|:method\|GET\|:scheme\|http\|x-forwarded-proto/);
  } finally {
    await gw.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
