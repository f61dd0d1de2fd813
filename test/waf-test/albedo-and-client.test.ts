// The albedo-like backend and the raw-socket client that talks to the gateway.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { parseReflectSpec, sniffContentType, startAlbedo } from '../../host/waf-test/albedo.ts';
import { parseResponse, sendRaw } from '../../host/waf-test/raw-client.ts';

test('albedo: 200 and empty body for anything; /reflect returns the described response', async () => {
  const a = await startAlbedo();
  try {
    const port = Number(new URL(a.url).port);
    const plain = await sendRaw('127.0.0.1', port, Buffer.from('GET /anything?x=1 HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n'), 2000);
    assert.ok(plain.ok);
    assert.equal(plain.response.status, 200);
    assert.match(plain.response.full, /\r\n\r\n$/);
    const spec = JSON.stringify({ status: 201, headers: { 'X-A': 'b' }, body: 'leak: ORA-12345:' });
    const r = await sendRaw('127.0.0.1', port, Buffer.from(`POST /reflect HTTP/1.1\r\nHost: h\r\nConnection: close\r\nContent-Length: ${spec.length}\r\n\r\n${spec}`), 2000);
    assert.ok(r.ok);
    assert.equal(r.response.status, 201);
    assert.ok(r.response.headers.some(([k, v]) => k === 'x-a' && v === 'b'));
    assert.ok(r.response.headers.some(([k, v]) => k === 'content-type' && v === 'text/plain; charset=utf-8'), 'Go sniffs a type when none is given');
    assert.match(r.response.full, /leak: ORA-12345:$/);
    const enc = JSON.stringify({ encodedBody: Buffer.from('<html><b>x</b>').toString('base64') });
    const e = await sendRaw('127.0.0.1', port, Buffer.from(`POST /reflect HTTP/1.1\r\nHost: h\r\nConnection: close\r\nContent-Length: ${enc.length}\r\n\r\n${enc}`), 2000);
    assert.ok(e.ok && e.response.headers.some(([k, v]) => k === 'content-type' && v === 'text/html; charset=utf-8'));
    const bad = await sendRaw('127.0.0.1', port, Buffer.from('POST /reflect HTTP/1.1\r\nHost: h\r\nConnection: close\r\nContent-Length: 3\r\n\r\n{{{'), 2000);
    assert.ok(bad.ok && bad.response.status === 400, 'bad JSON is a 400, not a crash');
  } finally {
    await a.close();
  }
});

test('reflect specs are validated; content sniffing follows Go for the common cases', () => {
  assert.equal(typeof parseReflectSpec('{"status": "x"}'), 'string');
  assert.equal(typeof parseReflectSpec('{"headers": {"a": 1}}'), 'string');
  assert.equal(typeof parseReflectSpec('[]'), 'string');
  assert.equal(sniffContentType(Buffer.from('  <!DOCTYPE html>')), 'text/html; charset=utf-8');
  assert.equal(sniffContentType(Buffer.from('<?xml version="1.0"?>')), 'text/xml; charset=utf-8');
  assert.equal(sniffContentType(Buffer.from('{"a":1}')), 'text/plain; charset=utf-8');
  assert.equal(sniffContentType(Buffer.from([0, 1, 2])), 'application/octet-stream');
});

test('responses: content-length, chunked, close-delimited; broken ones are error values', () => {
  const r = (s: string, closed = false) => parseResponse(Buffer.from(s, 'latin1'), closed);
  assert.equal((r('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok') as { status: number }).status, 200);
  assert.equal(r('HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nok'), null, 'waits for the rest');
  assert.equal(typeof r('HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nok', true), 'string');
  const c = r('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n') as { full: string };
  assert.match(c.full, /0\r\n\r\n$/);
  assert.equal((r('HTTP/1.0 400 Bad\r\n\r\nbody', true) as { full: string }).full.endsWith('body'), true);
  assert.equal(typeof r('garbage\r\n\r\n'), 'string');
  assert.equal(r('', true), 'connection closed without a response');
});

test('a server that closes without answering is an error, and a silent one times out', async () => {
  const srv = createServer((s) => s.end());
  const silent = createServer(() => {});
  await new Promise<void>((res) => srv.listen(0, '127.0.0.1', res));
  await new Promise<void>((res) => silent.listen(0, '127.0.0.1', res));
  try {
    const a = await sendRaw('127.0.0.1', (srv.address() as AddressInfo).port, Buffer.from('GET / HTTP/1.1\r\n\r\n'), 2000);
    assert.deepEqual(a, { ok: false, error: 'connection closed without a response' });
    const b = await sendRaw('127.0.0.1', (silent.address() as AddressInfo).port, Buffer.from('GET / HTTP/1.1\r\n\r\n'), 100);
    assert.equal(b.ok, false);
  } finally {
    silent.close();
    srv.close();
    for (const s of [srv, silent]) (s as unknown as { unref(): void }).unref();
  }
});
