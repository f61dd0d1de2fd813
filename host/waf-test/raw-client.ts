// Sends raw request bytes over a plain TCP socket (test requests are often invalid HTTP, which no HTTP
// client library would send) and reads one HTTP/1.x response: status line, headers, and a body framed by
// Content-Length, chunked encoding or the connection closing. Anything else is an error value — what
// go-ftw's `expect_error` checks for.
import { connect } from 'node:net';

export interface RawResponse {
  status: number;
  headers: [string, string][];
  /** Status line, headers and body as received (latin1), for `response_contains`. */
  full: string;
}

export type RawResult = { ok: true; response: RawResponse } | { ok: false; error: string };

const headEnd = Buffer.from('\r\n\r\n');

/** Parses a complete response in `buf`; null while more bytes are needed; a string when it cannot be valid. */
export function parseResponse(buf: Buffer, closed: boolean): RawResponse | string | null {
  const end = buf.indexOf(headEnd);
  if (end < 0) {
    if (closed) return buf.length === 0 ? 'connection closed without a response' : 'malformed HTTP response: incomplete head';
    return null;
  }
  const lines = buf.subarray(0, end).toString('latin1').split('\r\n');
  const m = /^HTTP\/(\d)\.(\d) (\d{3})(?: .*)?$/.exec(lines[0]!);
  if (!m) return `malformed HTTP response ${JSON.stringify(lines[0]!.slice(0, 80))}`;
  const status = Number(m[3]);
  const headers: [string, string][] = [];
  for (const l of lines.slice(1)) {
    const i = l.indexOf(':');
    if (i <= 0) return `malformed MIME header line: ${JSON.stringify(l.slice(0, 80))}`;
    headers.push([l.slice(0, i).trim().toLowerCase(), l.slice(i + 1).trim()]);
  }
  const body = buf.subarray(end + 4);
  const get = (n: string) => headers.find(([k]) => k === n)?.[1];
  const done = (bodyLen: number): RawResponse => ({ status, headers, full: buf.subarray(0, end + 4 + bodyLen).toString('latin1') });
  if (status < 200 || status === 204 || status === 304) return done(0);
  if (get('transfer-encoding')?.toLowerCase().includes('chunked')) {
    let o = 0;
    for (;;) {
      const lineEnd = body.indexOf('\r\n', o);
      if (lineEnd < 0) return closed ? 'unexpected EOF in chunked body' : null;
      const size = parseInt(body.subarray(o, lineEnd).toString('latin1'), 16);
      if (!Number.isFinite(size)) return 'malformed chunk size';
      o = lineEnd + 2;
      if (size === 0) {
        const trailerEnd = body.indexOf('\r\n', o);
        if (trailerEnd < 0) return closed ? 'unexpected EOF in chunked trailer' : null;
        return done(trailerEnd + 2);
      }
      if (body.length < o + size + 2) return closed ? 'unexpected EOF in chunked body' : null;
      o += size + 2;
    }
  }
  const cl = get('content-length');
  if (cl !== undefined) {
    if (!/^\d+$/.test(cl)) return `bad Content-Length ${JSON.stringify(cl)}`;
    const n = Number(cl);
    if (body.length >= n) return done(n);
    return closed ? 'unexpected EOF' : null;
  }
  return closed ? done(body.length) : null;
}

export function sendRaw(host: string, port: number, bytes: Uint8Array, timeoutMs: number): Promise<RawResult> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let settled = false;
    const sock = connect({ host, port });
    const finish = (r: RawResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      sock.destroy();
      resolve(r);
    };
    const check = (closed: boolean) => {
      const r = parseResponse(Buffer.concat(chunks), closed);
      if (r === null) return;
      finish(typeof r === 'string' ? { ok: false, error: r } : { ok: true, response: r });
    };
    const timer = setTimeout(() => finish({ ok: false, error: `no complete response within ${timeoutMs} ms` }), timeoutMs);
    sock.on('connect', () => sock.write(bytes));
    sock.on('data', (c: Buffer) => { chunks.push(c); check(false); });
    sock.on('end', () => check(true));
    sock.on('close', () => check(true));
    sock.on('error', (e: NodeJS.ErrnoException) => {
      // A reset after a complete answer still counts as that answer.
      const r = parseResponse(Buffer.concat(chunks), true);
      if (r !== null && typeof r !== 'string') finish({ ok: true, response: r });
      else finish({ ok: false, error: `${e.code ?? e.message}` });
    });
  });
}
