// Host behaviours the issue lists, through the SDK-built probe plugin: callouts to a live and a dead
// cluster, shared data and queues across two worker VMs, a live configuration change, properties.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ProxyWasmHost } from '../../host/core/host.ts';
import type { LogRecord, OutgoingResponse } from '../../host/core/types.ts';
import type { UpstreamRequest } from '../../host/core/platform.ts';
import { startEchoUpstream, type EchoUpstream } from '../../host/node/echo-upstream.ts';
import { loadPluginFile } from '../../host/node/load-plugin.ts';
import { nodePlatform } from '../../host/node/platform.ts';
import { fixturePlugin } from '../lib/fixture-plugins.ts';
import { resolveClusters } from '../lib/fixtures.ts';

let probe = '';
let echo: EchoUpstream;
before(async () => {
  probe = await fixturePlugin('probe');
  echo = await startEchoUpstream({ reply: { status: 200, headers: [['content-type', 'text/plain']], body: 'jwks-ish body' } });
});
after(async () => { await echo.close(); });

async function hostWith(config: object, opts: { workers?: number; clusters?: Record<string, string>; timeoutMs?: number } = {}) {
  const logs: LogRecord[] = [];
  const seen: UpstreamRequest[] = [];
  const host = new ProxyWasmHost({
    platform: nodePlatform(),
    workers: opts.workers ?? 2,
    clusters: opts.clusters,
    onLog: (r) => logs.push(r),
    upstream: (r) => { seen.push(r); return { status: 200, headers: [], body: new Uint8Array(0) }; },
  });
  host.addPlugin(await loadPluginFile({ file: probe, name: 'probe', configuration: JSON.stringify(config) }));
  const send = async (): Promise<OutgoingResponse> => host.handle({
    method: 'GET', path: '/p/q?x=1&y=2', authority: 'Example.COM:8080', scheme: 'http', protocol: 'HTTP/1.1',
    headers: [['user-agent', 'probe-test']], body: new Uint8Array(0),
    connection: { id: 7, sourceAddress: '127.0.0.1:40026', destinationAddress: '127.0.0.1:10000' },
  });
  const header = (name: string) => seen.at(-1)?.headers.find(([k]) => k === name)?.[1];
  return { host, logs, seen, send, header };
}

test('a callout to a live cluster pauses the request and resumes it with the answer', async () => {
  const h = await hostWith({ callout: { cluster: 'jwks', path: '/keys', timeoutMs: 5000 } }, { clusters: { jwks: echo.url } });
  const r = await h.send();
  assert.equal(r.status, 200);
  assert.equal(h.header('x-callout-status'), '200');
  assert.equal(h.header('x-callout-body'), 'jwks-ish body');
  const call = echo.requests.at(-1)!;
  assert.equal(call.path, '/keys');
  assert.ok(call.headers.some(([k, v]) => k === 'x-envoy-internal' && v === 'true'), 'callouts carry x-envoy-internal');
});

test('a callout to a dead cluster arrives as a 503 answer; an unknown cluster is refused', async () => {
  const dead = await resolveClusters({ gone: 'dead' });
  const h = await hostWith({ callout: { cluster: 'gone', path: '/', timeoutMs: 2000 } }, { clusters: dead.urls });
  const r = await h.send();
  assert.equal(r.status, 200, 'the plugin decides; the host keeps the request alive');
  assert.equal(h.header('x-callout-status'), '503');
  assert.match(h.header('x-callout-body') ?? '', /^upstream connect error/);
  const unknown = await hostWith({ callout: { cluster: 'nope', path: '/' } });
  await unknown.send();
  assert.equal(unknown.header('x-callout-status'), 'error:BadArgument');
  await dead.close();
});

test('two worker VMs share data through CAS and see each other\'s writes', async () => {
  const h = await hostWith({ sharedData: { key: 'hits' } }, { workers: 2 });
  const counts: string[] = [];
  for (let i = 0; i < 6; i++) { await h.send(); counts.push(h.header('x-shared-count') ?? '?'); }
  assert.deepEqual(counts, ['1', '2', '3', '4', '5', '6'], 'one counter across both VMs (round robin)');
  assert.equal(h.host.workers.length, 2);
  assert.notEqual(h.host.workers[0]!.slots[0]!.vm, h.host.workers[1]!.slots[0]!.vm, 'separate VM instances');
});

test('shared queues round-trip', async () => {
  const h = await hostWith({ queue: 'q1' });
  await h.send();
  assert.equal(h.header('x-queue-roundtrip'), 'ping');
});

test('a configuration change makes a new root context and the plugin keeps serving', async () => {
  const h = await hostWith({ setHeaders: [['x-version', 'one']] });
  await h.send();
  assert.equal(h.header('x-version'), 'one');
  const oldRoot = h.host.workers[0]!.slots[0]!.root;
  h.host.reconfigure('probe', new TextEncoder().encode(JSON.stringify({ setHeaders: [['x-version', 'two']] })));
  assert.notEqual(h.host.workers[0]!.slots[0]!.root.id, oldRoot.id, 'a new root context id');
  assert.ok(oldRoot.deleted, 'the old root was drained');
  for (let i = 0; i < 4; i++) { await h.send(); assert.equal(h.header('x-version'), 'two'); }
  assert.throws(() => h.host.reconfigure('probe', new TextEncoder().encode('{"setHeaders": 5}')), /Unable to create Wasm plugin probe/);
  await h.send();
  assert.equal(h.header('x-version'), 'two', 'a refused update keeps the previous configuration');
});

test('properties come back in Envoy\'s encodings', async () => {
  const h = await hostWith({ properties: [['request', 'path'], ['request', 'url_path'], ['request', 'host'], ['request', 'query'], ['request', 'protocol'],
    ['source', 'address'], ['source', 'port'], ['plugin_name'], ['request'], ['node'], ['connection_id'], ['request', 'headers', 'user-agent']] }, { workers: 1 });
  await h.send();
  const hex = (s: string) => Buffer.from(s).toString('hex');
  const line = (p: string) => h.logs.find((l) => l.message.startsWith(`property ${p} =`))?.message;
  assert.equal(line('request.path'), `property request.path = Ok ${hex('/p/q?x=1&y=2')}`);
  assert.equal(line('request.url_path'), `property request.url_path = Ok ${hex('/p/q')}`);
  assert.equal(line('request.host'), `property request.host = Ok ${hex('Example.COM:8080')}`);
  assert.equal(line('request.query'), `property request.query = Ok ${hex('x=1&y=2')}`);
  assert.equal(line('request.protocol'), `property request.protocol = Ok ${hex('HTTP/1.1')}`);
  assert.equal(line('source.address'), `property source.address = Ok ${hex('127.0.0.1:40026')}`);
  assert.equal(line('source.port'), 'property source.port = Ok 5a9c000000000000', '8-byte little-endian integer');
  assert.equal(line('plugin_name'), `property plugin_name = Ok ${hex('probe')}`);
  assert.equal(line('request'), 'property request = SerializationFailure');
  assert.equal(line('node'), 'property node = NotFound');
  assert.equal(line('connection_id'), 'property connection_id = Ok 0700000000000000');
  assert.equal(line('request.headers.user-agent'), `property request.headers.user-agent = Ok ${hex('probe-test')}`);
});

test('a trap after a resumed callout fails the request with 503 and the VM stays failed (FAIL_CLOSED)', async () => {
  const h = await hostWith({ callout: { cluster: 'jwks', path: '/', timeoutMs: 2000 }, trapIn: 'response_headers' }, { clusters: { jwks: echo.url }, workers: 1 });
  const r = await h.send();
  assert.equal(r.status, 503, 'trap in response headers replaces the answer with 503');
  const again = await h.send();
  assert.equal(again.status, 503, 'FAIL_CLOSED: the failed VM answers 503 from then on');
});
