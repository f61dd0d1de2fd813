// Parsing Envoy's stderr (written with LOG_FORMAT) into plugin lines and the host's own VM lines.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseEnvoyLog } from '../../host/envoy/process.ts';
import { pluginLogs } from '../../envoy-test/lib/envoy-logs.ts';

const stderr = [
  '[info][main] starting main dispatch loop',
  '[info][wasm] wasm log: wat: configured',
  '[warning][wasm] wasm log probe probe_root probe_vm: careful: colons',
  '[error][wasm] Function: proxy_on_request_headers failed: Uncaught RuntimeError: unreachable',
  'Proxy-Wasm plugin in-VM backtrace:',
  '  0:  0xf9 - fail_here',
  '[critical][main] error `Unable to create Wasm plugin p` initializing config',
  '',
].join('\n');

test('levels, loggers and continuation lines', () => {
  const lines = parseEnvoyLog(stderr);
  assert.equal(lines.length, 5);
  assert.deepEqual(lines[2], { level: 'warn', logger: 'wasm', message: 'wasm log probe probe_root probe_vm: careful: colons' });
  assert.match(lines[3]!.message, /unreachable\nProxy-Wasm plugin in-VM backtrace:\n {2}0: {2}0xf9 - fail_here$/);
});

test('plugin lines lose the `wasm log <name> <root> <vm>:` prefix; VM lines stay whole', () => {
  const { plugin, vm } = pluginLogs(parseEnvoyLog(stderr));
  assert.deepEqual(plugin, [
    { level: 'info', message: 'wat: configured' },
    { level: 'warn', message: 'careful: colons' },
  ]);
  assert.equal(vm.length, 1);
  assert.match(vm[0]!.message, /^Function: proxy_on_request_headers failed/);
});
