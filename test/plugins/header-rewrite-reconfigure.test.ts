// header-rewrite survives a live configuration change on a running VM (what an updated WasmPlugin does):
// a good update takes effect and a refused one keeps the previous plan.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ProxyWasmHost } from '../../host/core/host.ts';
import type { UpstreamRequest } from '../../host/core/platform.ts';
import type { IncomingRequest } from '../../host/core/types.ts';
import { loadPluginFile } from '../../host/node/load-plugin.ts';
import { nodePlatform } from '../../host/node/platform.ts';

const wasm = fileURLToPath(new URL('../../dist/header-rewrite.wasm', import.meta.url));
const skip = existsSync(wasm) ? false : 'dist/header-rewrite.wasm missing: run `npm run build:plugin -- header-rewrite`';
const enc = new TextEncoder();
const config = (v: string) => enc.encode(JSON.stringify({ headers: { request: { set: { 'x-v': v } }, response: { set: { 'x-r': v } } } }));

test('header-rewrite: reconfiguring a running VM applies good configs and keeps the plan on a bad one', { skip }, async () => {
  let seen: UpstreamRequest | null = null;
  const host = new ProxyWasmHost({
    platform: nodePlatform(), workers: 1, logLevel: 'critical',
    upstream: (r) => { seen = r; return { status: 200, headers: [['content-length', '0']], body: new Uint8Array(0) }; },
  });
  try {
    host.addPlugin(await loadPluginFile({ file: wasm, name: 'hr', configuration: config('one') }));
    const req = (): IncomingRequest => ({ method: 'GET', path: '/', authority: 'example.com', scheme: 'http', protocol: 'HTTP/1.1', headers: [],
      body: new Uint8Array(0), connection: { id: host.newConnectionId(), sourceAddress: '127.0.0.1:4000', destinationAddress: '127.0.0.1:10000' } });
    const send = async () => {
      const res = await host.handle(req());
      const up = seen as UpstreamRequest | null;
      return { up: up?.headers.find(([k]) => k === 'x-v')?.[1], down: res.headers.find(([k]) => k === 'x-r')?.[1], status: res.status };
    };
    assert.deepEqual(await send(), { up: 'one', down: 'one', status: 200 });
    host.reconfigure('hr', config('two'));
    assert.deepEqual(await send(), { up: 'two', down: 'two', status: 200 });
    assert.throws(() => host.reconfigure('hr', enc.encode('{"headers":{"request":{"set":{"x-v":"bad\\r"}}}}')));
    assert.deepEqual(await send(), { up: 'two', down: 'two', status: 200 });
    host.reconfigure('hr', config('three'));
    assert.deepEqual(await send(), { up: 'three', down: 'three', status: 200 });
  } finally {
    host.close();
  }
});
