// `meshplug request` as users run it: the JSON contract, exit codes, and clear errors on bad input.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compileWat } from '../fixtures/wat/compile.ts';
import { repoRoot, wasmPath } from '../lib/host-runner.ts';

const tmp = mkdtempSync(join(tmpdir(), 'meshplug-cli-'));
const hello = wasmPath({ wasm: 'hello' });

function meshplug(...args: string[]) {
  const r = spawnSync(process.execPath, [join(repoRoot, 'bin/meshplug.mjs'), ...args], { encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

test('request --json prints exactly the documented object', () => {
  const r = meshplug('request', '--plugin', hello, '--config', '{"header":"x-bar","value":"raised"}', '--method', 'POST', '--path', '/p?q=1',
    '--header', 'X-Mixed-Case: yes', '--body', 'payload', '--upstream-status', '201', '--upstream-header', 'X-Up: 1', '--upstream-body', 'created', '--json');
  assert.equal(r.code, 0, r.err);
  const o = JSON.parse(r.out);
  assert.deepEqual(Object.keys(o).sort(), ['logs', 'metrics', 'response', 'upstreamRequest']);
  assert.deepEqual(Object.keys(o.upstreamRequest).sort(), ['body', 'headers', 'method', 'path']);
  assert.equal(o.upstreamRequest.method, 'POST');
  assert.equal(o.upstreamRequest.path, '/p?q=1');
  assert.equal(o.upstreamRequest.body, 'payload');
  assert.ok(o.upstreamRequest.headers.some(([k, v]: [string, string]) => k === 'x-mixed-case' && v === 'yes'), 'names lower-cased');
  assert.ok(o.upstreamRequest.headers.some(([k, v]: [string, string]) => k === 'x-bar' && v === 'raised'));
  assert.deepEqual(Object.keys(o.response).sort(), ['body', 'headers', 'status']);
  assert.equal(o.response.status, 201);
  assert.equal(o.response.body, 'created');
  assert.ok(o.response.headers.some(([k, v]: [string, string]) => k === 'x-up' && v === '1'));
  assert.ok(o.response.headers.some(([k, v]: [string, string]) => k === 'x-powered-by' && v === 'meshplug'));
  assert.equal(o.metrics['wasmcustom.hello_requests_total'], 1);
  assert.ok(Array.isArray(o.logs));
});

test('request treats headers as Envoy\'s codec does: inline repeats joined, hop-by-hop headers dropped', () => {
  const r = meshplug('request', '--plugin', hello, '--header', 'Accept: a', '--header', 'Accept: b', '--header', 'Cookie: x=1', '--header', 'Cookie: y=2',
    '--header', 'Connection: keep-alive', '--header', 'Keep-Alive: 5', '--header', 'TE: trailers', '--json');
  assert.equal(r.code, 0, r.err);
  const got: [string, string][] = JSON.parse(r.out).upstreamRequest.headers;
  assert.deepEqual(got.filter(([k]) => k === 'accept'), [['accept', 'a,b']]);
  assert.deepEqual(got.filter(([k]) => k === 'cookie').map(([, v]) => v), ['x=1', 'y=2'], 'cookie is not an inline header: two pairs');
  assert.ok(!got.some(([k]) => k === 'connection' || k === 'keep-alive'), 'hop-by-hop headers never reach the filters');
  assert.ok(got.some(([k, v]) => k === 'te' && v === 'trailers'), 'TE: trailers stays');
});

test('a plugin that fails the request is not a CLI error: exit 0, status in the JSON', async () => {
  const trap = join(tmp, 'trap.wasm');
  writeFileSync(trap, await compileWat('trap-request-headers'));
  const r = meshplug('request', '--plugin', trap, '--json');
  assert.equal(r.code, 0, r.err);
  const o = JSON.parse(r.out);
  assert.equal(o.response.status, 503);
  assert.equal(o.upstreamRequest, null);
});

test('bad input gets one clear message and a non-zero exit', async () => {
  const corrupt = join(tmp, 'corrupt.wasm');
  writeFileSync(corrupt, Buffer.from('\0asm\x01\0\0\0garbage'));
  const abort = join(tmp, 'abort.wasm');
  writeFileSync(abort, await compileWat('imports-env-abort'));
  const cases: [string[], RegExp][] = [
    [['request', '--plugin', join(tmp, 'missing.wasm')], /cannot read plugin .*missing\.wasm: no such file/],
    [['request', '--plugin', corrupt], /is not a valid Wasm module/],
    [['request', '--plugin', abort], /missing import: env\.abort/],
    [['request', '--plugin', hello, '--config', 'not json'], /Unable to create Wasm plugin hello[\s\S]*plugin log: .*JSON/],
    [['request', '--plugin', hello, '--config', '{"header":"x-a\\r\\nx-b"}'], /Unable to create Wasm plugin hello/],
    [['request', '--plugin', hello, '--config', '@' + join(tmp, 'nope.json')], /cannot read .*nope\.json/],
    [['request', '--plugin', hello, '--header', 'bad header'], /bad header/],
    [['request', '--plugin', hello, '--upstream-status', '999'], /bad --upstream-status/],
    [['request'], /--plugin is required/],
    [['nosuchcommand'], /unknown command/],
  ];
  for (const [args, want] of cases) {
    const r = meshplug(...args);
    assert.notEqual(r.code, 0, `${args.join(' ')} should fail`);
    assert.match(r.err, want, `${args.join(' ')}: ${r.err}`);
    assert.doesNotMatch(r.err, /\n\s+at /, `${args.join(' ')} printed a stack trace`);
  }
});

test('bench --json prints the documented keys', () => {
  const r = meshplug('bench', '--plugin', hello, '--requests', '500', '--rounds', '2', '--json');
  assert.equal(r.code, 0, r.err);
  const o = JSON.parse(r.out);
  assert.deepEqual(Object.keys(o).sort(), ['memoryEndBytes', 'memoryStartBytes', 'nsPerRequest', 'wasmBytes']);
  assert.ok(o.nsPerRequest > 0 && o.wasmBytes > 0 && o.memoryStartBytes > 0);
});
