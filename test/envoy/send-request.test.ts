// The raw HTTP/1.1 client of the Envoy runner: exact request bytes, and responses read to the last byte,
// including ones Envoy cuts off after the headers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { parseResponse, sendRequest } from '../../envoy-test/lib/send-request.ts';

test('content-length, chunked and cut-off bodies', () => {
  const cl = parseResponse(Buffer.from('HTTP/1.1 200 OK\r\nContent-Length: 2\r\nX-A: 1\r\n\r\nhi'));
  assert.deepEqual(cl, { status: 200, headers: [['content-length', '2'], ['x-a', '1']], body: 'hi', complete: true });
  const chunked = parseResponse(Buffer.from('HTTP/1.1 201 Created\r\ntransfer-encoding: chunked\r\n\r\n2\r\nab\r\n3\r\ncde\r\n0\r\n\r\n'));
  assert.equal(chunked.body, 'abcde');
  assert.equal(chunked.complete, true);
  assert.equal(parseResponse(Buffer.from('HTTP/1.1 200 OK\r\ncontent-length: 10\r\n\r\nabc')).complete, false);
  assert.equal(parseResponse(Buffer.from('HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n5\r\nab')).complete, false);
  assert.throws(() => parseResponse(Buffer.from('HTTP/1.1 200 OK\r\nx: 1')), /no complete response head/);
  assert.throws(() => parseResponse(Buffer.from('garbage\r\n\r\n')), /not an HTTP\/1.x status line/);
});

test('the request goes out exactly as listed, a bodiless POST without transfer-encoding', async () => {
  let seen = '';
  const server = createServer((s) => {
    s.on('data', (d) => {
      seen += d.toString('latin1');
      if (seen.includes('\r\n\r\n')) s.end('HTTP/1.1 204 No Content\r\n\r\n');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  try {
    const port = (server.address() as { port: number }).port;
    const r = await sendRequest({ port, method: 'POST', path: '/p?q=1', headers: [['Host', 'Example.COM'], ['X-Dup', '1'], ['x-dup', '2']] });
    assert.equal(r.status, 204);
    assert.equal(seen, 'POST /p?q=1 HTTP/1.1\r\nHost: Example.COM\r\nX-Dup: 1\r\nx-dup: 2\r\nconnection: close\r\n\r\n');
  } finally {
    server.close();
  }
});
