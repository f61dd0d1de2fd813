// The SDK's garbage-collection policy (sdk/abi/gc.ts) through our host: memory stays bounded and then flat
// when every request makes garbage, live state (stream contexts, a growing root list) survives the
// collections, and collections follow the bytes of garbage made (not the number of streams) against a
// budget that grows with the live heap (tracked without walking it), so a big live heap is marked rarely.
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildModule, REPO_ROOT } from '../../host/build/assemblyscript.ts';
import { ProxyWasmHost } from '../../host/core/host.ts';
import { pluginFromBytes } from '../../host/node/load-plugin.ts';
import { nodePlatform } from '../../host/node/platform.ts';

const KiB = 1024;
const MiB = 1024 * KiB;
// sdk/abi/gc.ts: a collection runs once the bytes allocated since the last one reach three times the live
// heap or half the free memory above the static data (the fixture's is under 64 KiB), within [256 KiB, 16 MiB].
const clamp = (b: number) => Math.min(16 * MiB, Math.max(256 * KiB, b));
const budgetAtLeast = (memory: number, live: number) => clamp(Math.max(3 * live, (memory - 64 * KiB - live) / 2));
const budgetAtMost = (memory: number, live: number) => clamp(Math.max(3 * live, (memory - live) / 2));
// Each 64-byte buffer takes a 96-byte block (object header, TLSF header and rounding).
const BLOCK_PER_PAYLOAD = 1.6;

let garbage: Uint8Array<ArrayBuffer>;

before(async () => {
  const dir = await mkdtemp(join(tmpdir(), 'meshplug-gc-'));
  garbage = (await buildModule(join(REPO_ROOT, 'test/fixtures/plugins/garbage/index.ts'), join(dir, 'garbage.wasm'))).bytes;
});

interface Subject { host: ProxyWasmHost; collections(): number; live(): number }

/** The garbage fixture configured with `KB` (garbage per request) or `KB/LIVE` (plus LIVE KiB kept alive). */
async function subject(config: string): Promise<Subject> {
  const host = new ProxyWasmHost({
    platform: nodePlatform(), workers: 1, logLevel: 'warn',
    upstream: () => ({ status: 200, headers: [['content-length', '0']], body: new Uint8Array(0) }),
  });
  host.addPlugin(await pluginFromBytes(garbage, { name: 'garbage', configuration: config }));
  const vm = [...host.workers[0]!.vms.values()][0]!;
  const count = vm.instance.exports.gcCollections as () => number;
  const live = vm.instance.exports.gcLiveBytes as () => number;
  return { host, collections: () => count(), live: () => live() };
}

/** One request through the garbage fixture (200 expected); returns the response header `name`. */
async function send(host: ProxyWasmHost, method: string, body: Uint8Array, name: string): Promise<string | undefined> {
  const out = await host.handle({
    method, path: '/', authority: 'example.com', scheme: 'http', protocol: 'HTTP/1.1', headers: [], body,
    connection: { id: 1, sourceAddress: '127.0.0.1:8080', destinationAddress: '127.0.0.1:10000' },
  });
  assert.equal(out.status, 200);
  return out.headers.find(([k]) => k === name)?.[1];
}

const kept = (host: ProxyWasmHost) => send(host, 'GET', new Uint8Array(0), 'x-kept');

/** The tracked live heap holds `payload` bytes kept in 64-byte buffers, and not much else. */
function assertLive(live: number, payload: number): void {
  assert.ok(live >= payload && live <= payload * BLOCK_PER_PAYLOAD + 512 * KiB, `live ${live} for ${payload} of payload`);
}

/** One POST of `chunks` × 16 KiB: the host hands bodies over in 16 KiB chunks, then (as Envoy's HTTP/1
 *  codec does) an empty end-of-stream chunk. Returns the number of body callbacks the plugin saw. */
const streamedBody = (host: ProxyWasmHost, chunks: number) => send(host, 'POST', new Uint8Array(chunks * 16 * KiB), 'x-chunks');

async function requests(host: ProxyWasmHost, n: number): Promise<void> {
  for (let i = 0; i < n; i++) await kept(host);
}

describe('garbage collection between streams', () => {
  it('bounds memory when each request makes 300 KiB of garbage, and keeps live state intact', async () => {
    const { host } = await subject('300');
    for (let i = 1; i <= 100; i++) assert.equal(await kept(host), `stream-${i} ${i === 100 ? 'stream-100' : ''}`);
    const warm = host.memoryBytes();
    for (let i = 101; i <= 600; i++) {
      const latest = Math.floor(i / 100) * 100;
      assert.equal(await kept(host), `stream-${i} stream-${latest}`);
    }
    // 150 MB of garbage went through; the heap stays within a doubling of its warm size.
    assert.ok(host.memoryBytes() <= warm * 2, `memory ${warm} → ${host.memoryBytes()}`);
  });

  it('collects in proportion to the garbage: 300 KiB per request, one collection per budget', async () => {
    const s = await subject('300');
    await requests(s.host, 20);
    const m0 = s.host.memoryBytes();
    const c0 = s.collections();
    await requests(s.host, 200);
    const payload = 200 * 300 * KiB;
    const n = s.collections() - c0;
    const lo = Math.floor(payload / (budgetAtMost(s.host.memoryBytes(), s.live()) + 400 * KiB)) - 1;
    const hi = Math.ceil((payload * BLOCK_PER_PAYLOAD) / budgetAtLeast(m0, s.live())) + 1;
    assert.ok(n >= lo && n <= hi, `${n} collections, expected ${lo}..${hi} (memory ${m0} → ${s.host.memoryBytes()})`);
  });

  it('marks a big live heap rarely: 8 MiB live, 16 KiB of garbage per request', async () => {
    const s = await subject('16/8192');
    await requests(s.host, 20);
    const m0 = s.host.memoryBytes();
    const c0 = s.collections();
    await requests(s.host, 1024);
    // 16 MiB of payload against a budget of at least the 8 MiB live heap; counting streams (every 64th) would say 16.
    const n = s.collections() - c0;
    const hi = Math.ceil((1024 * 16 * KiB * BLOCK_PER_PAYLOAD) / budgetAtLeast(0, s.live())) + 1;
    assert.ok(n >= 1 && n <= hi, `${n} collections, expected 1..${hi} (memory ${m0})`);
    // The live heap is tracked across those collections (walked bytes − swept bytes), not re-walked.
    assertLive(s.live(), 8 * MiB);
  });

  it('memory stops growing: 16 KiB of garbage per request over a 2 MiB live heap, flat after warm-up', async () => {
    const s = await subject('16/2048');
    await requests(s.host, 2000); // 32 MiB of garbage: many collection cycles
    const warm = s.host.memoryBytes();
    const c0 = s.collections();
    await requests(s.host, 6000);
    assert.ok(s.collections() - c0 >= 10, 'collections ran');
    assert.equal(s.host.memoryBytes(), warm);
    assertLive(s.live(), 2 * MiB);
  });

  it('collects small garbage too: 1 KiB per request for 20k requests stays within a doubling', async () => {
    const { host } = await subject('1');
    await requests(host, 2000);
    const warm = host.memoryBytes();
    await requests(host, 20_000);
    assert.ok(host.memoryBytes() <= warm * 2, `memory ${warm} → ${host.memoryBytes()}`);
  });

  it('keeps memory flat when requests allocate only their stream state, collecting rarely', async () => {
    const s = await subject('');
    await requests(s.host, 10_000); // past the first collection
    const warm = s.host.memoryBytes();
    const c0 = s.collections();
    await requests(s.host, 20_000);
    assert.equal(s.host.memoryBytes(), warm);
    // A few hundred bytes per stream against a budget of at least 256 KiB: a few dozen, not 20000/64.
    const n = s.collections() - c0;
    assert.ok(n >= 1 && n <= 50, `${n} collections`);
  });

  it('collects between the body callbacks of one long stream: 64 KiB of garbage per 16 KiB chunk', async () => {
    const s = await subject('64');
    await requests(s.host, 20);
    const m0 = s.host.memoryBytes();
    const c0 = s.collections();
    // 256 chunks make 16 MiB of payload garbage before the stream ends.
    assert.equal(await streamedBody(s.host, 256), '257');
    const n = s.collections() - c0;
    assert.ok(n >= 4, `${n} collections during the stream`);
    assert.ok(s.host.memoryBytes() <= Math.max(m0 * 2, 4 * MiB), `memory ${m0} → ${s.host.memoryBytes()}`);
  });
});
