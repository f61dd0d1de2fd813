// gRPC calls and streams in our host against a real gRPC server (test/lib/grpc-server.ts): the corpus that
// envoy-test also runs through Envoy 1.40 (envoy-test/scenarios/grpc.json), then what the corpus cannot
// show: tokens, what the server saw on a cancel, hostile pointers, a platform without gRPC.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ProxyWasmHost } from '../../host/core/host.ts';
import type { LogRecord, OutgoingResponse } from '../../host/core/types.ts';
import { loadPluginFile, pluginFromBytes } from '../../host/node/load-plugin.ts';
import { nodePlatform } from '../../host/node/platform.ts';
import { loadGrpcScenarios, runGrpcScenarioInHost } from '../../envoy-test/lib/grpc-suite.ts';
import { fixturePlugin } from '../lib/fixture-plugins.ts';
import { startGrpcServer, type GrpcTestServer } from '../lib/grpc-server.ts';
import { checkExpectations } from '../lib/scenario.ts';
import { compileWatText } from '../fixtures/wat/compile.ts';

for (const { file, scenario } of loadGrpcScenarios()) {
  test(`${file}: ${scenario.name}`, async () => {
    const obs = await runGrpcScenarioInHost(scenario);
    assert.deepEqual(checkExpectations(scenario, obs), [], `observation: ${JSON.stringify(obs, null, 1)}`);
  });
}

let probe = '';
let server: GrpcTestServer;
before(async () => {
  probe = await fixturePlugin('grpc-probe');
  server = await startGrpcServer({ slowMs: 300 });
});
after(async () => { await server.close(); });

async function hostWith(platform = nodePlatform()) {
  const logs: LogRecord[] = [];
  const host = new ProxyWasmHost({
    platform,
    workers: 1,
    clusters: { grpc: server.url },
    onLog: (r) => logs.push(r),
    upstream: () => ({ status: 200, headers: [], body: new Uint8Array(0) }),
  });
  host.addPlugin(await loadPluginFile({ file: probe, name: 'grpc-probe' }));
  const send = (headers: [string, string][]): Promise<OutgoingResponse> => Promise.resolve(host.handle({
    method: 'GET', path: '/g', authority: 'example.com', scheme: 'http', protocol: 'HTTP/1.1', headers, body: new Uint8Array(0),
    connection: { id: 1, sourceAddress: '127.0.0.1:40000', destinationAddress: '127.0.0.1:10000' },
  }));
  return { host, logs, send };
}

const text = (r: OutgoingResponse) => new TextDecoder().decode(r.body);

test('tokens: calls are 1 mod 4 and streams 2 mod 4, counted per VM', async () => {
  const h = await hostWith();
  assert.match(text(await h.send([['x-grpc-mode', 'unary']])), /^unary: Ok token=5\n/);
  assert.match(text(await h.send([['x-grpc-mode', 'unary']])), /^unary: Ok token=9\n/);
  assert.match(text(await h.send([['x-grpc-mode', 'stream'], ['x-grpc-messages', 'a']])), /^stream: Ok token=6\n/);
  h.host.close();
});

test('a cancelled stream is reset at the server and never calls back', async () => {
  const h = await hostWith();
  const before = server.calls.length;
  const r = await h.send([['x-grpc-mode', 'stream'], ['x-grpc-cancel', 'now']]);
  assert.equal(text(r), 'stream: Ok token=6\ncancel: Ok\ncancel again: NotFound\n');
  await new Promise((res) => setTimeout(res, 100));
  // The stream may be reset before the server ever sees it; if it saw it, it saw the reset.
  if (server.calls.length > before) assert.equal(server.calls.at(-1)!.reset, true, 'the server saw the reset');
  assert.equal(h.logs.filter((l) => l.message.includes('grpc-probe: close')).length, 0);
  h.host.close();
});

test('a unary call past its timeout is answered by the router: UNAVAILABLE, upstream request timeout', async () => {
  const h = await hostWith();
  const r = await h.send([['x-grpc-mode', 'unary'], ['x-grpc-method', 'Slow'], ['x-grpc-timeout', '50']]);
  assert.match(text(r), /close 14: get_status 14 'upstream request timeout\{response_timeout\}'/);
  h.host.close();
});

test('a platform without a gRPC transport refuses calls with InternalFailure and says why', async () => {
  const platform = nodePlatform();
  delete platform.grpcStream;
  const h = await hostWith(platform);
  const r = await h.send([['x-grpc-mode', 'unary']]);
  assert.equal(text(r), 'unary: InternalFailure\n');
  assert.ok(h.logs.some((l) => l.message.includes('no gRPC transport')));
  h.host.close();
});

// Guest pointers outside memory → InvalidMemoryAccess (6); malformed metadata pairs act as none (Ok, 0).
const hostileWat = `(module
  (import "env" "proxy_log" (func $log (param i32 i32 i32) (result i32)))
  (import "env" "proxy_grpc_call" (func $call (param i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32) (result i32)))
  (import "env" "proxy_grpc_stream" (func $stream (param i32 i32 i32 i32 i32 i32 i32 i32 i32) (result i32)))
  (import "env" "proxy_grpc_send" (func $send (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 0) "grpc")
  (data (i32.const 8) "meshplug.test.Echo")
  (data (i32.const 32) "Unary")
  (data (i32.const 40) "\\ff\\ff\\ff\\ff")
  (global $heap (mut i32) (i32.const 4096))
  (func (export "malloc") (param $n i32) (result i32) (local $p i32)
    (local.set $p (global.get $heap)) (global.set $heap (i32.add (global.get $heap) (local.get $n))) (local.get $p))
  (func (export "proxy_abi_version_0_2_1"))
  (func (export "proxy_on_context_create") (param i32 i32))
  (func (export "proxy_on_vm_start") (param i32 i32) (result i32) (i32.const 1))
  (func (export "proxy_on_configure") (param i32 i32) (result i32) (i32.const 1))
  (func (export "proxy_on_request_headers") (param i32 i32 i32) (result i32)
    (i32.store8 (i32.const 200) (i32.add (i32.const 48) (call $call (i32.const 70000) (i32.const 4) (i32.const 8) (i32.const 18)
      (i32.const 32) (i32.const 5) (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 100) (i32.const 300))))
    (i32.store8 (i32.const 201) (i32.add (i32.const 48) (call $stream (i32.const 0) (i32.const 4) (i32.const 8) (i32.const 18)
      (i32.const 32) (i32.const 5) (i32.const 65530) (i32.const 100) (i32.const 300))))
    (i32.store8 (i32.const 202) (i32.add (i32.const 48) (call $send (i32.const 6) (i32.const 70000) (i32.const 5) (i32.const 0))))
    (i32.store8 (i32.const 203) (i32.add (i32.const 48) (call $call (i32.const 0) (i32.const 4) (i32.const 8) (i32.const 18)
      (i32.const 32) (i32.const 5) (i32.const 40) (i32.const 4) (i32.const 0) (i32.const 0) (i32.const 100) (i32.const 300))))
    (drop (call $log (i32.const 2) (i32.const 200) (i32.const 4)))
    (i32.const 0))
  (func (export "proxy_on_done") (param i32) (result i32) (i32.const 1))
  (func (export "proxy_on_delete") (param i32)))`;

test('hostile pointers and malformed metadata never trap the host', async () => {
  const logs: LogRecord[] = [];
  const host = new ProxyWasmHost({
    platform: nodePlatform(), workers: 1, clusters: { grpc: server.url }, onLog: (r) => logs.push(r),
    upstream: () => ({ status: 200, headers: [], body: new Uint8Array(0) }),
  });
  host.addPlugin(await pluginFromBytes(await compileWatText('hostile-grpc.wat', hostileWat), { name: 'hostile' }));
  const r = await host.handle({
    method: 'GET', path: '/', authority: 'a', scheme: 'http', protocol: 'HTTP/1.1', headers: [], body: new Uint8Array(0),
    connection: { id: 1, sourceAddress: '127.0.0.1:1', destinationAddress: '127.0.0.1:2' },
  });
  assert.equal(r.status, 200);
  assert.deepEqual(logs.filter((l) => l.source !== 'host').map((l) => l.message), ['6660']);
  host.close();
});
