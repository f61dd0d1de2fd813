// The SDK end to end in Node: hello and the SDK test plugins built with our build function, loaded by our
// Envoy-faithful host and driven through full request cycles. (Real Envoy runs the same modules in envoy-test/.)
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BuildError, buildModule, REPO_ROOT } from '../../host/build/assemblyscript.ts';
import { envoyLoadProblems } from '../../host/build/wasm-imports.ts';
import { ProxyWasmHost } from '../../host/core/host.ts';
import { ModuleLoadError } from '../../host/core/module-check.ts';
import type { UpstreamRequest } from '../../host/core/platform.ts';
import type { LogRecord } from '../../host/core/types.ts';
import { pluginFromBytes } from '../../host/node/load-plugin.ts';
import { nodePlatform } from '../../host/node/platform.ts';

let dir = '';
let hello: Uint8Array<ArrayBuffer>;
let probe: Uint8Array<ArrayBuffer>;
let twoRoots: Uint8Array<ArrayBuffer>;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'meshplug-sdk-'));
  hello = (await buildModule(join(REPO_ROOT, 'plugins/hello/index.ts'), join(dir, 'hello.wasm'))).bytes;
  probe = (await buildModule(join(REPO_ROOT, 'test/fixtures/plugins/probe/index.ts'), join(dir, 'probe.wasm'))).bytes;
  twoRoots = (await buildModule(join(REPO_ROOT, 'test/fixtures/plugins/two-roots/index.ts'), join(dir, 'two-roots.wasm'))).bytes;
});

type Headers = [string, string][];
const levelOf: Record<LogRecord['level'], number> = { trace: 0, debug: 1, info: 2, warn: 3, error: 4, critical: 5 };

/** Our host with one worker and an in-process upstream that records what it receives. */
class Harness {
  readonly logs: { level: number; message: string }[] = [];
  private seen: UpstreamRequest | null = null;
  readonly host: ProxyWasmHost;
  constructor(logLevel: LogRecord['level'] = 'trace') {
    this.host = new ProxyWasmHost({
      platform: nodePlatform(),
      workers: 1,
      logLevel,
      onLog: (r) => { if (r.source !== 'host') this.logs.push({ level: levelOf[r.level], message: r.message }); },
      upstream: (r) => { this.seen = r; return { status: 200, headers: [['content-length', '0']], body: new Uint8Array(0) }; },
    });
  }
  /** Adds the module as a plugin; false when the host refuses it (configure failed). */
  async add(bytes: Uint8Array, config: string, rootId = ''): Promise<boolean> {
    try {
      this.host.addPlugin(await pluginFromBytes(bytes, { name: 'p', rootId, configuration: config }));
      return true;
    } catch (e) {
      if (e instanceof ModuleLoadError) return false;
      throw e;
    }
  }
  async request(headers: Headers = []): Promise<{ status: number; requestHeaders: Headers; responseHeaders: Headers }> {
    this.seen = null;
    const out = await this.host.handle({
      method: 'GET', path: '/', authority: 'example.com', scheme: 'http', protocol: 'HTTP/1.1', headers, body: new Uint8Array(0),
      connection: { id: 1, sourceAddress: '127.0.0.1:8080', destinationAddress: '127.0.0.1:10000' },
    });
    return { status: out.status, requestHeaders: this.seen ? (this.seen as UpstreamRequest).headers : [], responseHeaders: out.headers };
  }
  metric(name: string): number | undefined { return this.host.stats.snapshot()[`wasmcustom.${name}`]; }
}

async function helloWith(config: string): Promise<{ host: Harness; ok: boolean }> {
  const host = new Harness();
  return { host, ok: await host.add(hello, config) };
}

describe('build', () => {
  it('produces modules Envoy would load (imports, marker, malloc, memory, _initialize)', () => {
    for (const bytes of [hello, probe]) {
      const mod = new WebAssembly.Module(bytes);
      assert.deepEqual(envoyLoadProblems(mod), []);
      const exports = WebAssembly.Module.exports(mod).map((e) => e.name);
      for (const e of ['_initialize', 'malloc', 'memory', 'proxy_abi_version_0_2_1', 'proxy_on_context_create', 'proxy_on_delete']) assert.ok(exports.includes(e), e);
      assert.ok(!exports.includes('_start'));
    }
    // probe exports every callback (sdk/exports); hello only its groups (sdk/callbacks/*).
    const probeExports = WebAssembly.Module.exports(new WebAssembly.Module(probe)).map((e) => e.name);
    for (const e of ['proxy_on_request_metadata', 'proxy_on_log', 'proxy_on_done', 'proxy_on_tick', 'proxy_on_new_connection']) assert.ok(probeExports.includes(e), e);
    const helloExports = WebAssembly.Module.exports(new WebAssembly.Module(hello)).map((e) => e.name);
    for (const e of ['proxy_on_request_headers', 'proxy_on_request_body', 'proxy_on_response_headers']) assert.ok(helloExports.includes(e), e);
    for (const e of ['proxy_on_log', 'proxy_on_done', 'proxy_on_tick', 'proxy_on_request_metadata', 'proxy_on_new_connection']) assert.ok(!helloExports.includes(e), e);
  });

  it('reports compile errors with the compiler diagnostics', async () => {
    const bad = join(REPO_ROOT, 'test/fixtures/plugins/.tmp-broken.ts');
    await writeFile(bad, 'export function f(): i32 { return "not a number"; }\n');
    try {
      await assert.rejects(buildModule(bad, join(dir, 'broken.wasm')), (e: Error) =>
        e instanceof BuildError && /compile failed/.test(e.message) && /TS2322/.test(e.message));
    } finally {
      await rm(bad, { force: true });
    }
  });

  it('the import check names what Envoy lacks', async () => {
    const wabt = await (await import('wabt')).default();
    const m = wabt.parseWat('x.wat', '(module (import "env" "abort" (func (param i32 i32 i32 i32))) (import "env" "g" (global i32)))');
    const problems = envoyLoadProblems(new WebAssembly.Module(new Uint8Array(m.toBinary({}).buffer)));
    m.destroy();
    assert.ok(problems.includes('imports env.abort, which Envoy does not provide'));
    assert.ok(problems.some((p) => p.includes('imports a global env.g')));
    assert.ok(problems.includes('exports no proxy_abi_version_* marker'));
    assert.ok(problems.includes('exports neither malloc nor proxy_on_memory_allocate'));
  });
});

describe('hello', () => {
  it('adds the default header, x-powered-by and counts requests', async () => {
    const { host, ok } = await helloWith('');
    assert.ok(ok);
    const r = await host.request([['x-hello', 'already']]);
    assert.deepEqual(r.requestHeaders.filter(([k]) => k === 'x-hello'), [['x-hello', 'already'], ['x-hello', 'world']]);
    assert.deepEqual(r.responseHeaders.find(([k]) => k === 'x-powered-by'), ['x-powered-by', 'meshplug']);
    await host.request();
    assert.equal(host.metric('hello_requests_total'), 2);
  });

  it('uses the configured header (lower-cased) and value', async () => {
    const { host, ok } = await helloWith('{"header": "X-Bar", "value": "raised ü"}');
    assert.ok(ok);
    const r = await host.request();
    assert.deepEqual(r.requestHeaders.find(([k]) => k === 'x-bar'), ['x-bar', 'raised ü']);
  });

  for (const [config, message] of [
    ['not json', 'configuration is not valid JSON: invalid literal at byte 1'],
    ['[]', 'configuration must be a JSON object'],
    ['{"header": 5}', '"header" must be a string'],
    ['{"value": true}', '"value" must be a string'],
    ['{"header": "x-a\\r\\nx-b"}', '"header" has a character not allowed in a header name (code 13)'],
    ['{"header": ""}', '"header" is empty'],
    ['{"header": "a b"}', '"header" has a character not allowed in a header name (code 32)'],
    ['{"value": "v\\nw"}', '"value" has a control character (code 10)'],
    ['{"value": "v\\u0000"}', '"value" has a control character (code 0)'],
    ['{"value": "\\u007f"}', '"value" has a control character (code 127)'],
    ['{"header": "x", "extra": 1}', 'unknown field "extra"'],
    ['{"header": "x"} trailing', 'configuration is not valid JSON: unexpected data after the document at byte 16'],
  ]) {
    it(`refuses ${config}`, async () => {
      const { host, ok } = await helloWith(config);
      assert.equal(ok, false);
      assert.deepEqual(host.logs.filter((l) => l.level === 4).map((l) => l.message), [`hello: ${message}`]);
    });
  }

  it('keeps linear memory flat over 100k requests', async () => {
    const { host, ok } = await helloWith('{"header": "x-bar", "value": "raised"}');
    assert.ok(ok);
    for (let i = 0; i < 1000; i++) await host.request();
    const before = host.host.memoryBytes();
    for (let i = 0; i < 100_000; i++) await host.request();
    assert.equal(host.host.memoryBytes(), before);
    assert.equal(host.metric('hello_requests_total'), 101_000);
  });
});

describe('probe', () => {
  async function probeWith(config: unknown, logLevel: LogRecord['level'] = 'trace') {
    const host = new Harness(logLevel);
    return { host, ok: await host.add(probe, JSON.stringify(config)) };
  }

  it('logs properties with their status and hex bytes', async () => {
    const { host, ok } = await probeWith({ properties: [['request', 'path'], ['nope'], ['source', 'port']] });
    assert.ok(ok);
    await host.host.handle({
      method: 'GET', path: '/a', authority: 'example.com', scheme: 'http', protocol: 'HTTP/1.1', headers: [], body: new Uint8Array(0),
      connection: { id: 1, sourceAddress: '127.0.0.1:8080', destinationAddress: '127.0.0.1:10000' },
    });
    const lines = host.logs.map((l) => l.message).filter((m) => m.startsWith('property'));
    assert.deepEqual(lines, ['property request.path = Ok 2f61', 'property nope = NotFound', 'property source.port = Ok 901f000000000000']);
  });

  it('logs at every level the host enables, checking the level first', async () => {
    const { host } = await probeWith({ logLevels: true }, 'warn');
    await host.request();
    assert.deepEqual(host.logs.map((l) => l.message), ['probe: level warn', 'probe: level error', 'probe: level critical']);
  });

  it('fails configuration on request and on malformed values', async () => {
    assert.equal((await probeWith({ failConfigure: true })).ok, false);
    const bad = await probeWith({ trapIn: 'sometime' });
    assert.equal(bad.ok, false);
    assert.equal(bad.host.logs.at(-1)?.message, 'probe: trapIn: unknown phase sometime');
  });

  it('traps where asked, and the host turns it into a 503', async () => {
    const { host } = await probeWith({ trapIn: 'request_headers' });
    assert.equal((await host.request()).status, 503);
  });

  it('replaces request headers', async () => {
    const { host } = await probeWith({ setHeaders: [['x-a', '1'], ['user-agent', 'probe']] });
    const r = await host.request([['user-agent', 'curl'], ['x-a', '0']]);
    assert.deepEqual(r.requestHeaders.filter(([k]) => k === 'x-a' || k === 'user-agent'), [['x-a', '1'], ['user-agent', 'probe']]);
  });

  it('peeks a header into a reused slot: value, byte equality (UTF-8), absence', async () => {
    const { host } = await probeWith({ peekHeader: { name: 'x-token', equals: 'héllo' } });
    const peek = async (headers: [string, string][]) => {
      const r = await host.request(headers);
      return r.requestHeaders.filter(([k]) => k.startsWith('x-peeked')).map(([k, v]) => `${k}=${v}`);
    };
    assert.deepEqual(await peek([['x-token', 'héllo']]), ['x-peeked-equals=true', 'x-peeked=héllo']);
    assert.deepEqual(await peek([['x-token', 'hello']]), ['x-peeked-equals=false', 'x-peeked=hello']);
    assert.deepEqual(await peek([['x-token', 'héllo!']]), ['x-peeked-equals=false', 'x-peeked=héllo!']);
    assert.deepEqual(await peek([]), ['x-peeked=absent']);
    assert.deepEqual(await peek([['x-token', '']]), ['x-peeked-equals=false', 'x-peeked=']);
  });
});

describe('root contexts', () => {
  const xRoots = (r: { requestHeaders: Headers }) => r.requestHeaders.filter(([k]) => k === 'x-root').map(([, v]) => v);

  it('picks the factory registered for each root id, several roots in one VM', async () => {
    const host = new Harness();
    assert.ok(await host.add(twoRoots, 'A', 'alpha'));
    assert.ok(await host.add(twoRoots, 'B', 'beta'));
    assert.ok(await host.add(twoRoots, 'C', 'unknown-root'));
    const slots = host.host.workers[0]!.slots;
    assert.ok(slots[0]!.vm === slots[1]!.vm && slots[1]!.vm === slots[2]!.vm, 'one VM, three root contexts');
    assert.deepEqual(xRoots(await host.request()), ['alpha/A/1', 'beta/B/1', 'default/C/1']);
    assert.deepEqual(xRoots(await host.request()), ['alpha/A/2', 'beta/B/2', 'default/C/2']);
  });

  it('survives a configuration change: new root configured, old root drained', async () => {
    const host = new Harness();
    assert.ok(await host.add(hello, '{"value": "one"}'));
    const old = host.host.workers[0]!.slots[0]!.root;
    await host.request();
    host.host.reconfigure('p', new TextEncoder().encode('{"value": "two"}'));
    assert.ok(old.deleted, 'the old root was drained');
    const r = await host.request();
    assert.deepEqual(r.requestHeaders.find(([k]) => k === 'x-hello'), ['x-hello', 'two']);
    // The counter is defined once per VM: both roots count into the same metric.
    assert.equal(host.metric('hello_requests_total'), 2);
    assert.equal(new Set(host.host.workers[0]!.slots[0]!.vm.metrics.values()).size, 1);
  });
});
