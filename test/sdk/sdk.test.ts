// The SDK end to end in Node: hello and probe built with our build function, loaded by a minimal host,
// driven through full request cycles. (Real Envoy runs the same modules in envoy-test/.)
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BuildError, buildModule, REPO_ROOT } from '../../host/build/assemblyscript.ts';
import { envoyLoadProblems } from '../../host/build/wasm-imports.ts';
import { MiniHost } from './mini-host.ts';

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

async function helloWith(config: string): Promise<{ host: MiniHost; ok: boolean }> {
  const host = new MiniHost();
  await host.load(hello);
  return { host, ok: host.configure(config) };
}

describe('build', () => {
  it('produces modules Envoy would load (imports, marker, malloc, memory, _initialize)', () => {
    for (const bytes of [hello, probe]) {
      const mod = new WebAssembly.Module(bytes);
      assert.deepEqual(envoyLoadProblems(mod), []);
      const exports = WebAssembly.Module.exports(mod).map((e) => e.name);
      for (const e of ['_initialize', 'malloc', 'memory', 'proxy_abi_version_0_2_1', 'proxy_on_request_metadata']) assert.ok(exports.includes(e), e);
      assert.ok(!exports.includes('_start'));
    }
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
    const r = host.request([[':path', '/'], ['x-hello', 'already']]);
    assert.deepEqual(r.requestHeaders.filter(([k]) => k === 'x-hello'), [['x-hello', 'already'], ['x-hello', 'world']]);
    assert.deepEqual(r.responseHeaders.find(([k]) => k === 'x-powered-by'), ['x-powered-by', 'meshplug']);
    host.request([[':path', '/2']]);
    assert.equal(host.metric('hello_requests_total'), 2n);
  });

  it('uses the configured header (lower-cased) and value', async () => {
    const { host, ok } = await helloWith('{"header": "X-Bar", "value": "raised ü"}');
    assert.ok(ok);
    const r = host.request([[':path', '/']]);
    assert.deepEqual(r.requestHeaders.at(-1), ['x-bar', 'raised ü']);
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
    for (let i = 0; i < 1000; i++) host.request([[':path', '/']]);
    const before = host.memoryBytes;
    for (let i = 0; i < 100_000; i++) host.request([[':path', '/']]);
    assert.equal(host.memoryBytes, before);
    assert.equal(host.metric('hello_requests_total'), 101_000n);
  });
});

describe('probe', () => {
  async function probeWith(config: unknown) {
    const host = new MiniHost();
    await host.load(probe);
    return { host, ok: host.configure(JSON.stringify(config)) };
  }

  it('logs properties with their status and hex bytes', async () => {
    const { host, ok } = await probeWith({ properties: [['request', 'path'], ['nope'], ['source', 'port']] });
    assert.ok(ok);
    host.properties.set('request.path', new TextEncoder().encode('/a'));
    const port = new Uint8Array(8);
    new DataView(port.buffer).setBigInt64(0, 8080n, true);
    host.properties.set('source.port', port);
    host.request([[':path', '/a']]);
    const lines = host.logs.map((l) => l.message).filter((m) => m.startsWith('property'));
    assert.deepEqual(lines, ['property request.path = Ok 2f61', 'property nope = NotFound', 'property source.port = Ok 901f000000000000']);
  });

  it('logs at every level the host enables, checking the level first', async () => {
    const { host } = await probeWith({ logLevels: true });
    host.logLevel = 3;
    host.request([[':path', '/']]);
    assert.deepEqual(host.logs.map((l) => l.message), ['probe: level warn', 'probe: level error', 'probe: level critical']);
  });

  it('fails configuration on request and on malformed values', async () => {
    assert.equal((await probeWith({ failConfigure: true })).ok, false);
    const bad = await probeWith({ trapIn: 'sometime' });
    assert.equal(bad.ok, false);
    assert.equal(bad.host.logs.at(-1)?.message, 'probe: trapIn: unknown phase sometime');
  });

  it('traps where asked, as a RuntimeError the host can turn into a 503', async () => {
    const { host } = await probeWith({ trapIn: 'request_headers' });
    assert.throws(() => host.request([[':path', '/']]), WebAssembly.RuntimeError);
  });

  it('replaces request headers', async () => {
    const { host } = await probeWith({ setHeaders: [['x-a', '1'], ['user-agent', 'probe']] });
    const r = host.request([[':path', '/'], ['user-agent', 'curl'], ['x-a', '0']]);
    assert.deepEqual(r.requestHeaders, [[':path', '/'], ['x-a', '1'], ['user-agent', 'probe']]);
  });
});

describe('root contexts', () => {
  const xRoot = (r: { requestHeaders: [string, string][] }) => r.requestHeaders.find(([k]) => k === 'x-root')?.[1];

  it('picks the factory registered for each root id, several roots in one VM', async () => {
    const host = new MiniHost();
    await host.load(twoRoots);
    assert.ok(host.configure('A', 'alpha'));
    const alpha = host.root;
    assert.ok(host.configure('B', 'beta'));
    const beta = host.root;
    assert.ok(host.configure('C', 'unknown-root'));
    assert.equal(xRoot(host.request([[':path', '/']])), 'default/C/1');
    host.root = alpha;
    assert.equal(xRoot(host.request([[':path', '/']])), 'alpha/A/1');
    assert.equal(xRoot(host.request([[':path', '/']])), 'alpha/A/2');
    host.root = beta;
    assert.equal(xRoot(host.request([[':path', '/']])), 'beta/B/1');
  });

  it('survives a configuration change: new root configured, old root drained', async () => {
    const host = new MiniHost();
    await host.load(hello);
    assert.ok(host.configure('{"value": "one"}'));
    const old = host.root;
    host.request([[':path', '/']]);
    assert.ok(host.configure('{"value": "two"}'));
    host.retire(old);
    const r = host.request([[':path', '/']]);
    assert.deepEqual(r.requestHeaders.at(-1), ['x-hello', 'two']);
    // The counter is defined once per VM: both roots count into the same metric.
    assert.equal(host.metric('hello_requests_total'), 2n);
    assert.equal([...host.metrics.values()].filter((m) => m.name === 'hello_requests_total').length, 1);
  });
});
