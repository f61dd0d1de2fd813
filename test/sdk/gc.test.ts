// The SDK's garbage-collection policy (sdk/abi/gc.ts) through our host: memory stays bounded when every
// request makes garbage, live state (stream contexts, a growing root list) survives the collections, and a
// module that allocates nothing per request keeps its memory untouched.
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildModule, REPO_ROOT } from '../../host/build/assemblyscript.ts';
import { ProxyWasmHost } from '../../host/core/host.ts';
import { pluginFromBytes } from '../../host/node/load-plugin.ts';
import { nodePlatform } from '../../host/node/platform.ts';

let garbage: Uint8Array<ArrayBuffer>;

before(async () => {
  const dir = await mkdtemp(join(tmpdir(), 'meshplug-gc-'));
  garbage = (await buildModule(join(REPO_ROOT, 'test/fixtures/plugins/garbage/index.ts'), join(dir, 'garbage.wasm'))).bytes;
});

async function hostWith(kb: string): Promise<ProxyWasmHost> {
  const host = new ProxyWasmHost({
    platform: nodePlatform(), workers: 1, logLevel: 'warn',
    upstream: () => ({ status: 200, headers: [['content-length', '0']], body: new Uint8Array(0) }),
  });
  host.addPlugin(await pluginFromBytes(garbage, { name: 'garbage', configuration: kb }));
  return host;
}

async function kept(host: ProxyWasmHost): Promise<string | undefined> {
  const out = await host.handle({
    method: 'GET', path: '/', authority: 'example.com', scheme: 'http', protocol: 'HTTP/1.1', headers: [], body: new Uint8Array(0),
    connection: { id: 1, sourceAddress: '127.0.0.1:8080', destinationAddress: '127.0.0.1:10000' },
  });
  assert.equal(out.status, 200);
  return out.headers.find(([k]) => k === 'x-kept')?.[1];
}

describe('garbage collection between streams', () => {
  it('bounds memory when each request makes 300 KiB of garbage, and keeps live state intact', async () => {
    const host = await hostWith('300');
    for (let i = 1; i <= 100; i++) assert.equal(await kept(host), `stream-${i} ${i === 100 ? 'stream-100' : ''}`);
    const warm = host.memoryBytes();
    for (let i = 101; i <= 600; i++) {
      const latest = Math.floor(i / 100) * 100;
      assert.equal(await kept(host), `stream-${i} stream-${latest}`);
    }
    // 150 MB of garbage went through; the heap stays within a doubling of its warm size.
    assert.ok(host.memoryBytes() <= warm * 2, `memory ${warm} → ${host.memoryBytes()}`);
  });

  it('collects small garbage too: 1 KiB per request for 20k requests stays within a doubling', async () => {
    const host = await hostWith('1');
    for (let i = 0; i < 500; i++) await kept(host);
    const warm = host.memoryBytes();
    for (let i = 0; i < 20_000; i++) await kept(host);
    assert.ok(host.memoryBytes() <= warm * 2, `memory ${warm} → ${host.memoryBytes()}`);
  });

  it('leaves memory untouched when requests allocate only their stream state', async () => {
    const host = await hostWith('');
    for (let i = 0; i < 1000; i++) await kept(host);
    const warm = host.memoryBytes();
    for (let i = 0; i < 20_000; i++) await kept(host);
    assert.equal(host.memoryBytes(), warm);
  });
});
