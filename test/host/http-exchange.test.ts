// The gateway's upstream exchange: targets URL parsing would leave alone go out as they are, the others as
// URL parsing normalizes them, and no target can send the request to another host than the upstream.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { httpExchange } from '../../host/node/http-exchange.ts';

let upstream: Server;
let other: Server;
let base = '';
let otherPort = 0;
const seenBy: { server: string; url: string }[] = [];

function serve(name: string): Promise<Server> {
  const s = createServer((req, res) => { seenBy.push({ server: name, url: req.url ?? '' }); res.end('ok'); });
  return new Promise((r) => s.listen(0, '127.0.0.1', () => r(s)));
}

before(async () => {
  upstream = await serve('upstream');
  other = await serve('other');
  base = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
  otherPort = (other.address() as AddressInfo).port;
});
after(() => { upstream.close(); other.close(); });

async function send(path: string): Promise<{ server: string; url: string }> {
  seenBy.length = 0;
  const r = await httpExchange({ baseUrl: base, method: 'GET', path, authority: 'example.com', headers: [], body: new Uint8Array(0), timeoutMs: 5000 });
  assert.equal(r.status, 200, `status for ${JSON.stringify(path)}`);
  assert.equal(seenBy.length, 1);
  return seenBy[0]!;
}

test('a target that looks like a network path stays a path on the upstream', async () => {
  for (const path of [`//127.0.0.1:${otherPort}/x`, `///127.0.0.1:${otherPort}/x`, `/\\127.0.0.1:${otherPort}/x`]) {
    const seen = await send(path);
    assert.equal(seen.server, 'upstream', JSON.stringify(path));
  }
  assert.equal((await send(`//127.0.0.1:${otherPort}/x?q=1`)).url, `//127.0.0.1:${otherPort}/x?q=1`);
});

test('targets reach the upstream exactly as URL parsing gives them: plain ones untouched, others normalized', async () => {
  const pieces = ['/', 'a', 'Z9', '.', '..', '%2e', '%2E', '%41', '?', '&', '=', "'", '"', ' ', '\\', '~', '!', '$', '(', ')', '*', '+', ',', ';', ':', '@', '{', '|', '^', '`', 'é', '%'];
  let seed = 99;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 8) / (1 << 24);
  const paths = ['/products/list?category=shoes&page=2', '/a/./b', '/a/../b', '/.well-known/x', '/x?y=/../z', "/q?x='1'", '/sp ace', '/%2e%2e/x'];
  for (let i = 0; i < 150; i++) {
    let p = '/';
    const n = 1 + Math.floor(rnd() * 10);
    for (let j = 0; j < n; j++) p += pieces[Math.floor(rnd() * pieces.length)];
    paths.push(p);
  }
  for (const path of paths) {
    const u = new URL(base + path);
    const seen = await send(path);
    assert.equal(seen.url, u.pathname + u.search, JSON.stringify(path));
  }
  assert.equal((await send('/products/list?category=shoes&page=2')).url, '/products/list?category=shoes&page=2');
  assert.equal((await send('/a/b/../c')).url, '/a/c', 'dot segments are resolved as before');
});
