// The bootstrap template and `meshplug envoy-config`: the shape Envoy needs, and clear refusals of bad input.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'yaml';
import { bootstrapObject, BootstrapError, renderBootstrap, type BootstrapOptions } from '../../host/envoy/bootstrap.ts';
import { renderFromArgs } from '../../host/cli/commands/envoy-config.ts';
import { UsageError } from '../../host/cli/args.ts';

const base: BootstrapOptions = {
  plugins: [{ name: 'hello', wasmPath: 'dist/hello.wasm', configuration: '{"a":1}' }],
  upstream: 'http://127.0.0.1:8080',
  listenPort: 10000,
  adminPort: 9901,
};

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function wasmConfig(doc: Obj, i = 0): Obj {
  return doc.static_resources.listeners[0].filter_chains[0].filters[0].typed_config.http_filters[i].typed_config.config;
}

test('a plugin becomes a V8 wasm filter before the router, configuration as a StringValue', () => {
  const doc = parse(renderBootstrap(base)) as Obj;
  const filters = doc.static_resources.listeners[0].filter_chains[0].filters[0].typed_config.http_filters as Obj[];
  assert.deepEqual(filters.map((f) => f.name), ['envoy.filters.http.wasm', 'envoy.filters.http.router']);
  const c = wasmConfig(doc);
  assert.equal(c.name, 'hello');
  assert.equal(c.vm_config.runtime, 'envoy.wasm.runtime.v8');
  assert.equal(c.vm_config.code.local.filename, 'dist/hello.wasm');
  assert.deepEqual(c.configuration, { '@type': 'type.googleapis.com/google.protobuf.StringValue', value: '{"a":1}' });
  assert.equal(doc.admin.address.socket_address.address, '127.0.0.1');
  assert.equal(doc.static_resources.listeners[0].address.socket_address.address, '127.0.0.1');
});

test('callout clusters: literal IPs are STATIC, host names LOGICAL_DNS, https gets TLS with SNI', () => {
  const doc = bootstrapObject({ ...base, clusters: [{ name: 'jwks', url: 'https://idp.example.com/keys' }, { name: 'idp', url: 'http://127.0.0.1:9000' }] }) as Obj;
  const [up, jwks, idp] = doc.static_resources.clusters as Obj[];
  assert.equal(up!.name, 'upstream');
  assert.equal(jwks!.type, 'LOGICAL_DNS');
  assert.equal(jwks!.load_assignment.endpoints[0].lb_endpoints[0].endpoint.address.socket_address.port_value, 443);
  assert.equal(jwks!.transport_socket.typed_config.sni, 'idp.example.com');
  assert.equal(idp!.type, 'STATIC');
  assert.equal(idp!.transport_socket, undefined);
});

test('without an upstream URL a stand-in answers on the next port', () => {
  const doc = bootstrapObject({ ...base, upstream: null }) as Obj;
  const [, standIn] = doc.static_resources.listeners as Obj[];
  assert.equal(standIn!.address.socket_address.port_value, 10001);
  assert.equal(doc.static_resources.clusters[0].load_assignment.endpoints[0].lb_endpoints[0].endpoint.address.socket_address.port_value, 10001);
  assert.throws(() => bootstrapObject({ ...base, upstream: null, listenPort: 0 }), BootstrapError);
  assert.throws(() => bootstrapObject({ ...base, upstream: null, listenPort: 18000, adminPort: 18001 }), /stand-in upstream listens/);
});

test('failure policies and the legacy flag are passed through, never both', () => {
  assert.equal(wasmConfig(bootstrapObject({ ...base, plugins: [{ ...base.plugins[0]!, failurePolicy: 'FAIL_RELOAD' }] }) as Obj).failure_policy, 'FAIL_RELOAD');
  assert.equal(wasmConfig(bootstrapObject({ ...base, plugins: [{ ...base.plugins[0]!, failOpen: true }] }) as Obj).fail_open, true);
  assert.throws(() => bootstrapObject({ ...base, plugins: [{ ...base.plugins[0]!, failOpen: true, failurePolicy: 'FAIL_OPEN' }] }), /not both/);
});

test('bad input is refused with a message', () => {
  assert.throws(() => bootstrapObject({ ...base, upstream: 'ftp://x' }), /unsupported scheme/);
  assert.throws(() => bootstrapObject({ ...base, upstream: 'not a url' }), /not a URL/);
  assert.throws(() => bootstrapObject({ ...base, clusters: [{ name: 'upstream', url: 'http://a:1' }] }), /reserved/);
  assert.throws(() => bootstrapObject({ ...base, clusters: [{ name: 'a', url: 'http://a:1' }, { name: 'a', url: 'http://b:1' }] }), /twice/);
  assert.throws(() => bootstrapObject({ ...base, clusters: [{ name: '', url: 'http://a:1' }] }), /cluster name/);
  assert.throws(() => bootstrapObject({ ...base, listenPort: 70000 }), /port/);
  assert.throws(() => bootstrapObject({ ...base, statsTags: ['bad tag'] }), /stats tag/);
});

test('Istio-style stats tags become stats_tags rules', () => {
  const doc = bootstrapObject({ ...base, statsTags: ['method'] }) as Obj;
  assert.deepEqual(doc.stats_config.stats_tags, [{ tag_name: 'method', regex: '(method=\\.=(.*?);\\.;)' }]);
});

test('envoy-config: positional --config/--name per --plugin, header names the command', async () => {
  const r = await renderFromArgs(['--plugin', 'a.wasm', '--config', '{"x":1}', '--plugin', 'b.wasm', '--name', 'first', '--cluster', 'jwks=http://127.0.0.1:1']);
  assert.ok(r);
  assert.match(r.yaml, /^# Generated by: meshplug envoy-config --plugin a\.wasm --config '\{"x":1\}' --plugin b\.wasm/);
  const doc = parse(r.yaml) as Obj;
  assert.equal(wasmConfig(doc, 0).name, 'first');
  assert.equal(wasmConfig(doc, 0).configuration.value, '{"x":1}');
  assert.equal(wasmConfig(doc, 1).name, 'b');
  assert.equal(wasmConfig(doc, 1).configuration, undefined);
});

test('envoy-config: usage errors', async () => {
  await assert.rejects(renderFromArgs([]), UsageError);
  await assert.rejects(renderFromArgs(['--plugin', 'a.wasm', '--config', '{}', '--config', '{}']), /given 2 times for 1 --plugin/);
  await assert.rejects(renderFromArgs(['--plugin', 'a.wasm', '--failure-policy', 'MAYBE']), /not one of/);
  await assert.rejects(renderFromArgs(['--plugin', 'a.wasm', '--cluster', 'nourl']), /NAME=URL/);
  await assert.rejects(renderFromArgs(['--plugin', 'a.wasm', '--listen', 'x']), /port/);
  await assert.rejects(renderFromArgs(['--plugin', 'a.wasm', '--config', '@/nonexistent/file.json']), /cannot read/);
  await assert.rejects(renderFromArgs(['--plugin', 'a.wasm', '--bogus']), UsageError);
});
