// The local gateway (`meshplug start`): a real HTTP proxy with the plugin chain, admin endpoints, Envoy's
// 431 for oversized headers, clear config errors, and a clean stop on Ctrl-C.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import parsePrometheus from 'parse-prometheus-text-format';
import { loadGatewayConfig, parseGatewayConfig } from '../../host/node/gateway-config.ts';
import { startGateway } from '../../host/node/gateway.ts';
import { repoRoot, wasmPath } from '../lib/host-runner.ts';

const hello = wasmPath({ wasm: 'hello' });
const tmp = mkdtempSync(join(tmpdir(), 'meshplug-gw-'));

function config(extra = '') {
  return parseGatewayConfig(`listen: 127.0.0.1:0\nadmin: 127.0.0.1:0\nplugins:\n  - name: hello\n    wasm: ${hello}\n    config: {header: x-gw, value: "1"}\n${extra}`, tmp);
}

test('proxies through the chain to the echo upstream and exposes Envoy-style admin stats', async () => {
  const gw = await startGateway(config(), () => {});
  try {
    const r = await fetch(`${gw.url}/hello?x=1`, { headers: { 'X-Client': 'a' } });
    assert.equal(r.status, 200);
    assert.equal(r.headers.get('x-powered-by'), 'meshplug');
    const echoed = (await r.json()) as { path: string; headers: [string, string][] };
    assert.equal(echoed.path, '/hello?x=1');
    assert.ok(echoed.headers.some(([k, v]) => k === 'x-gw' && v === '1'));
    assert.ok(echoed.headers.some(([k]) => k === 'x-request-id'));
    await fetch(`${gw.url}/again`);
    const ready = await fetch(`${gw.adminUrl}/ready`);
    assert.equal(await ready.text(), 'LIVE\n');
    const prom = parsePrometheus(await (await fetch(`${gw.adminUrl}/stats/prometheus`)).text());
    const family = prom.find((f) => f.name === 'hello_requests_total');
    assert.ok(family, 'hello_requests_total family present');
    assert.equal(family.type, 'COUNTER');
    assert.equal(Number(family.metrics[0]!.value), 2);
    const text = await (await fetch(`${gw.adminUrl}/stats`)).text();
    assert.match(text, /^wasmcustom\.hello_requests_total: 2$/m);
  } finally {
    await gw.close();
  }
});

test('a header block over 60 KiB gets 431 before any filter, as from Envoy\'s codec', async () => {
  const gw = await startGateway(config(), () => {});
  try {
    const r = await fetch(`${gw.url}/`, { headers: { 'x-big': 'a'.repeat(62 * 1024) } });
    assert.equal(r.status, 431);
    const ok = await fetch(`${gw.url}/`);
    assert.equal(ok.status, 200, 'the gateway keeps serving');
  } finally {
    await gw.close();
  }
});

test('bad gateway configuration is refused with the field and the reason', async () => {
  assert.throws(() => parseGatewayConfig('plugins: {}', tmp), /plugins: expected a list/);
  assert.throws(() => parseGatewayConfig('plugins:\n  - wasm: x.wasm\n    failurePolicy: SOMETIMES', tmp), /plugins\[0\]\.failurePolicy/);
  assert.throws(() => parseGatewayConfig('listen: "127.0.0.1:99999"', tmp), /listen: bad port/);
  assert.throws(() => parseGatewayConfig('upstream: ftp://x', tmp), /upstream/);
  assert.throws(() => parseGatewayConfig('bogus: 1', tmp), /unknown field 'bogus'/);
  assert.throws(() => parseGatewayConfig('a: [', tmp), /not valid YAML/);
  await assert.rejects(loadGatewayConfig(join(tmp, 'none.yaml')), /cannot read/);
  await assert.rejects(startGateway(parseGatewayConfig(`listen: 127.0.0.1:0\nadmin: null\nplugins:\n  - wasm: ${hello}\n    config: "not json"`, tmp), () => {}), /Unable to create Wasm plugin hello/);
});

test('npm start style: starts from a YAML file, serves, and stops cleanly on SIGINT', async () => {
  const yaml = join(tmp, 'gw.yaml');
  writeFileSync(yaml, `listen: 127.0.0.1:0\nadmin: 127.0.0.1:0\nplugins:\n  - name: hello\n    wasm: ${hello}\n`);
  const child = spawn(process.execPath, [join(repoRoot, 'bin/meshplug.mjs'), 'start', '--config', yaml], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d) => { out += d; });
  const url = await new Promise<string>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`gateway did not start: ${out}`)), 30_000);
    child.stdout.on('data', () => {
      const m = out.match(/listening on (http:\/\/\S+)/);
      if (m) { clearTimeout(t); resolve(m[1]!); }
    });
    child.on('exit', (c) => reject(new Error(`exited ${c}: ${out}`)));
  });
  const r = await fetch(url);
  assert.equal(r.headers.get('x-powered-by'), 'meshplug');
  const code = await new Promise<number | null>((resolve) => { child.on('exit', (c) => resolve(c)); child.kill('SIGINT'); });
  assert.equal(code, 0);
  assert.match(out, /stopping gateway/);
});
