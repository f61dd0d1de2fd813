// Request bytes exactly as go-ftw 2.x builds them (ftwhttp BuildRequest / encodeDataParameters).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { StageInput } from '../../host/waf-test/ftw-test.ts';
import { buildRequest, encodeFormBody } from '../../host/waf-test/request.ts';

function input(o: Partial<StageInput>): StageInput {
  return {
    destAddr: '127.0.0.1', port: 80, protocol: 'http', method: 'GET', uri: '/', version: 'HTTP/1.1', headers: [['Host', 'localhost']],
    data: null, templateError: null, encodedData: null, encodedRequest: null, autocompleteHeaders: true, ...o,
  };
}

function wire(o: Partial<StageInput>): string {
  const r = buildRequest(input(o));
  assert.ok(r.ok, r.ok ? '' : r.error);
  return Buffer.from(r.bytes).toString('latin1');
}

const enc = (s: string) => Buffer.from(encodeFormBody(new TextEncoder().encode(s))).toString('latin1');

test('GET without body: Connection: close appended, no Content-Length', () => {
  assert.equal(wire({}), 'GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n');
});

test('form body: default content type, per-key/value escaping, Content-Length last', () => {
  assert.equal(wire({ method: 'POST', data: 'var=1234 OR 1=1' }),
    'POST / HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-www-form-urlencoded\r\nConnection: close\r\nContent-Length: 17\r\n\r\nvar=1234+OR+1%3D1');
});

test('form encoding rules: only unencoded bodies, Go escaping, trailing & dropped', () => {
  assert.equal(enc('a=b c&d=<x>'), 'a=b+c&d=%3Cx%3E');
  assert.equal(enc('a=%41'), 'a=%41', 'url-decoding changes it: already encoded, sent as is');
  assert.equal(enc('a=1+1'), 'a=1+1', "'+' decodes to a space, so the body counts as encoded");
  assert.equal(enc('a=%zz'), 'a=%zz', 'invalid escapes: Go errors, body kept');
  assert.equal(enc('a=1&'), 'a=1', 'go-ftw drops the last & it wrote');
  assert.equal(enc('solo'), 'solo');
  assert.equal(enc('k=a=b'), 'k=a%3Db', 'split on the first = only');
  assert.equal(enc('x=é~-_.'), 'x=%C3%A9~-_.', 'UTF-8 bytes escaped, unreserved kept');
});

test('explicit headers win over autocompletion, names compared case-insensitively', () => {
  const w = wire({ method: 'POST', headers: [['connection', 'keep-alive'], ['content-length', '5'], ['content-type', 'text/plain']], data: 'a=b c' });
  assert.equal(w, 'POST / HTTP/1.1\r\nconnection: keep-alive\r\ncontent-length: 5\r\ncontent-type: text/plain\r\n\r\na=b c');
});

test('POST/PUT/PATCH/DELETE get Content-Length: 0 without a body (with Go\'s regex quirk)', () => {
  assert.match(wire({ method: 'DELETE' }), /Content-Length: 0\r\n/);
  assert.match(wire({ method: 'XPUTX' }), /Content-Length: 0\r\n/, '`^POST|PUT|PATCH|DELETE$` matches PUT anywhere');
  assert.doesNotMatch(wire({ method: 'XPOST' }), /Content-Length/);
});

test('multipart: LF → CRLF even with autocompletion off; no other change', () => {
  const w = wire({ method: 'POST', autocompleteHeaders: false, headers: [['Content-Type', 'multipart/form-data; boundary=b']], data: '--b\nx\r\n--b--\n' });
  assert.equal(w, 'POST / HTTP/1.1\r\nContent-Type: multipart/form-data; boundary=b\r\n\r\n--b\r\nx\r\r\n--b--\r\n');
});

test('autocomplete off: sent exactly as written, even invalid request lines', () => {
  assert.equal(wire({ method: 'GET', uri: '/a b', version: '', autocompleteHeaders: false, headers: [], data: 'x=1 2' }), 'GET /a b \r\n\r\nx=1 2');
});

test('encoded_request replaces everything; bad base64 is an error value', () => {
  const raw = 'GET /x HTTP/1.0\r\n\r\n';
  assert.equal(wire({ encodedRequest: Buffer.from(raw).toString('base64'), data: 'ignored' }), raw);
  const bad = buildRequest(input({ encodedRequest: '!!!' }));
  assert.equal(bad.ok, false);
});
