// TCP (network filter) mode: the corpus envoy-test also runs through Envoy 1.40 (envoy-test/scenarios/tcp.json,
// callback order included), then what the corpus does not cover: a plugin closing the connection, a trap,
// an unreachable upstream, properties and buffers of a network-filter context.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ProxyWasmHost } from '../../host/core/host.ts';
import type { LogRecord } from '../../host/core/types.ts';
import { pluginFromBytes } from '../../host/node/load-plugin.ts';
import { nodePlatform } from '../../host/node/platform.ts';
import { startTcpProxy } from '../../host/node/tcp-proxy.ts';
import { checkTcpExpectations, loadTcpScenarios, runTcpScenarioInHost, startTcpUpstream, tcpClient } from '../../envoy-test/lib/tcp-suite.ts';
import { compileWatText } from '../fixtures/wat/compile.ts';

for (const { file, scenario } of loadTcpScenarios()) {
  test(`${file}: ${scenario.name}`, async () => {
    const obs = await runTcpScenarioInHost(scenario);
    assert.deepEqual(checkTcpExpectations(scenario, obs), [], `observation: ${JSON.stringify(obs)}`);
  });
}

/** A network filter whose on_downstream_data body is `body`; it may log the bytes at 1024/`len`. */
function filterWat(body: string, extraImports = ''): string {
  return `(module
    (import "env" "proxy_log" (func $log (param i32 i32 i32) (result i32)))
    ${extraImports}
    (memory (export "memory") 1)
    (data (i32.const 0) "source\\00address")
    (data (i32.const 32) "[")
    (global $heap (mut i32) (i32.const 8192))
    (func (export "malloc") (param $n i32) (result i32) (local $p i32)
      (local.set $p (global.get $heap)) (global.set $heap (i32.add (global.get $heap) (local.get $n))) (local.get $p))
    (func (export "proxy_abi_version_0_2_1"))
    (func (export "proxy_on_context_create") (param i32 i32))
    (func (export "proxy_on_vm_start") (param i32 i32) (result i32) (i32.const 1))
    (func (export "proxy_on_configure") (param i32 i32) (result i32) (i32.const 1))
    (func (export "proxy_on_downstream_data") (param $ctx i32) (param $size i32) (param $eos i32) (result i32) ${body})
    (func (export "proxy_on_done") (param i32) (result i32) (i32.const 1))
    (func (export "proxy_on_delete") (param i32)))`;
}

async function proxyWith(wat: string, upstreamMode: 'echo' | 'close-first' = 'echo', upstreamPort?: number) {
  const logs: LogRecord[] = [];
  const host = new ProxyWasmHost({ platform: nodePlatform(), workers: 1, onLog: (r) => logs.push(r), upstream: () => ({ status: 503, headers: [], body: new Uint8Array(0) }) });
  host.addPlugin(await pluginFromBytes(await compileWatText('filter.wat', wat), { name: 'filter' }));
  const upstream = await startTcpUpstream(upstreamMode);
  const proxy = await startTcpProxy({ host, upstream: { host: '127.0.0.1', port: upstreamPort ?? upstream.port } });
  return {
    logs, upstream, port: proxy.port,
    close: async () => { await proxy.close(); host.close(); await upstream.close(); },
  };
}

test('proxy_close_stream(Downstream) closes the client connection after the callback; nothing is forwarded', async () => {
  const p = await proxyWith(filterWat('(drop (call $close (i32.const 2))) (i32.const 1)', '(import "env" "proxy_close_stream" (func $close (param i32) (result i32)))'));
  const got = await tcpClient(p.port, ['secret']);
  assert.equal(got, '');
  assert.equal(p.upstream.received(), '');
  await p.close();
});

test('a trap in a network filter fails the VM and closes the connection; the host keeps serving', async () => {
  const p = await proxyWith(filterWat('(unreachable)'));
  assert.equal(await tcpClient(p.port, ['x']), '');
  assert.ok(p.logs.some((l) => l.source === 'host' && l.message.includes('proxy_on_downstream_data failed')));
  assert.equal(await tcpClient(p.port, ['y']), '', 'a failed VM keeps failing closed');
  assert.equal(p.upstream.received(), '');
  await p.close();
});

test('an upstream nobody listens on closes the client connection', async () => {
  const dead = await startTcpUpstream();
  const port = dead.port;
  await dead.close();
  const p = await proxyWith(filterWat('(i32.const 0)'), 'echo', port);
  assert.equal(await tcpClient(p.port, ['x']), '');
  await p.close();
});

test('network-filter contexts read connection properties and their data buffer, and no HTTP maps', async () => {
  const body = `
    (drop (call $prop (i32.const 0) (i32.const 14) (i32.const 100) (i32.const 104)))
    (drop (call $log (i32.const 2) (i32.load (i32.const 100)) (i32.load (i32.const 104))))
    (drop (call $buf (i32.const 2) (i32.const 0) (i32.const 100) (i32.const 108) (i32.const 112)))
    (drop (call $log (i32.const 2) (i32.load (i32.const 108)) (i32.load (i32.const 112))))
    (i32.store8 (i32.const 33) (i32.add (i32.const 48) (call $hdr (i32.const 0) (i32.const 116) (i32.const 120))))
    (i32.store8 (i32.const 34) (i32.add (i32.const 48) (call $buf (i32.const 0) (i32.const 0) (i32.const 100) (i32.const 108) (i32.const 112))))
    (drop (call $log (i32.const 2) (i32.const 32) (i32.const 3)))
    (i32.const 0)`;
  const imports = `(import "env" "proxy_get_property" (func $prop (param i32 i32 i32 i32) (result i32)))
    (import "env" "proxy_get_buffer_bytes" (func $buf (param i32 i32 i32 i32 i32) (result i32)))
    (import "env" "proxy_get_header_map_pairs" (func $hdr (param i32 i32 i32) (result i32)))`;
  const p = await proxyWith(filterWat(body, imports));
  assert.equal(await tcpClient(p.port, ['ping']), 'ping');
  const lines = p.logs.filter((l) => l.source !== 'host').map((l) => l.message);
  assert.match(lines[0]!, /^127\.0\.0\.1:\d+$/, 'source.address');
  assert.equal(lines[1], 'ping', 'NetworkDownstreamData');
  // Request headers on a connection: Ok with nothing (0); the request body buffer: NotFound (1).
  assert.equal(lines[2], '[01');
  await p.close();
});
