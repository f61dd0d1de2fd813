// How the gateway reads requests: a request without Content-Length or Transfer-Encoding has no body and goes
// through at once; framed bodies arrive whole however they are split; a client that goes away mid-body
// leaves the gateway serving; a network-path-looking target stays on the upstream.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startGateway, type Gateway } from '../../host/node/gateway.ts';
import { parseGatewayConfig } from '../../host/node/gateway-config.ts';

let gw: Gateway;
let other: Server;
let otherHits = 0;
before(async () => {
  other = createServer((_q, s) => { otherHits++; s.end('other'); });
  await new Promise<void>((r) => other.listen(0, '127.0.0.1', r));
  gw = await startGateway(parseGatewayConfig('listen: 127.0.0.1:0\nadmin: null\nupstream: echo\nplugins: []\n', process.cwd()), () => {});
});
after(async () => { await gw.close(); other.close(); });

/** Sends raw bytes in pieces (a pause between them) and returns the whole answer once the server closes. */
async function raw(pieces: (string | Buffer)[]): Promise<string> {
  const port = Number(new URL(gw.url).port);
  const sock: Socket = connect(port, '127.0.0.1');
  await new Promise((r) => sock.once('connect', r));
  const out: Buffer[] = [];
  sock.on('data', (d) => { out.push(d); });
  const closed = new Promise((r) => sock.once('close', r));
  for (const p of pieces) {
    sock.write(p);
    await new Promise((r) => setTimeout(r, 30));
  }
  await closed;
  return Buffer.concat(out).toString('utf8');
}

function echoed(answer: string): { method: string; path: string; headers: [string, string][]; body: string } {
  assert.match(answer, /^HTTP\/1\.1 200 /, answer.slice(0, 200));
  return JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4));
}

test('a request without framing headers has no body and is answered without waiting', async () => {
  const e = echoed(await raw(['GET /a?b=1 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n']));
  assert.equal(e.method, 'GET');
  assert.equal(e.path, '/a?b=1');
  assert.equal(e.body, '');
  assert.ok(!e.headers.some(([k]) => k === 'content-length'), 'Envoy announces no empty body on GET');
});

test('a body split over several writes, with Content-Length or chunked, arrives whole', async () => {
  const body = 'grüße=' + 'x'.repeat(3000);
  const bytes = Buffer.from(body);
  const cl = await raw([`POST /f HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: ${bytes.length}\r\n\r\n`,
    bytes.subarray(0, 1001), bytes.subarray(1001)]); // split inside nothing in particular: bytes, not text
  assert.equal(echoed(cl).body, body);
  const chunked = await raw(['POST /f HTTP/1.1\r\nHost: x\r\nConnection: close\r\nTransfer-Encoding: chunked\r\n\r\n',
    '5\r\nhello\r\n', '6\r\n world\r\n', '0\r\n\r\n']);
  assert.equal(echoed(chunked).body, 'hello world');
});

test('a client gone mid-body leaves the gateway serving', async () => {
  const port = Number(new URL(gw.url).port);
  const sock = connect(port, '127.0.0.1');
  await new Promise((r) => sock.once('connect', r));
  sock.write('POST /f HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nonly part');
  await new Promise((r) => setTimeout(r, 50));
  sock.destroy();
  await new Promise((r) => setTimeout(r, 50));
  const r = await fetch(`${gw.url}/after`);
  assert.equal(r.status, 200);
  assert.equal(((await r.json()) as { path: string }).path, '/after');
});

test('a target like //host:port/x is a path on the upstream, never a request to that host', async () => {
  const port = (other.address() as AddressInfo).port;
  const e = echoed(await raw([`GET //127.0.0.1:${port}/x HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`]));
  assert.equal(e.path, `//127.0.0.1:${port}/x`);
  assert.equal(otherHits, 0);
});
