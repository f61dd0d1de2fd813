// Sends one HTTP/1.1 request over a plain socket with exactly the given header lines, in order and casing
// (Node's client would add `transfer-encoding: chunked` to a bodiless POST, and fetch reorders headers),
// and reads the response with lower-cased header names in arrival order.
import { connect } from 'node:net';

export type HeaderList = [string, string][];

export interface SentRequest {
  port: number;
  method: string;
  path: string;
  /** Includes `host`, which Envoy turns into :authority. */
  headers: HeaderList;
  body?: string;
  timeoutMs?: number;
}

export interface ReceivedResponse {
  status: number;
  headers: HeaderList;
  body: string;
  /** False when the stream was reset after the headers, before the body ended. */
  complete: boolean;
}

/** Parses one response from everything the server sent before closing; throws if no head arrived. */
export function parseResponse(raw: Buffer): ReceivedResponse {
  const end = raw.indexOf('\r\n\r\n');
  if (end < 0) throw new Error(`no complete response head (got ${raw.length} bytes: ${JSON.stringify(raw.subarray(0, 120).toString('latin1'))})`);
  const [statusLine, ...lines] = raw.subarray(0, end).toString('latin1').split('\r\n');
  const m = /^HTTP\/1\.[01] (\d{3})/.exec(statusLine ?? '');
  if (!m) throw new Error(`not an HTTP/1.x status line: ${JSON.stringify(statusLine)}`);
  const headers: HeaderList = lines.map((l) => {
    const colon = l.indexOf(':');
    return [l.slice(0, colon).toLowerCase(), l.slice(colon + 1).trim()];
  });
  const rest = raw.subarray(end + 4);
  const get = (n: string) => headers.find(([k]) => k === n)?.[1];
  if (get('transfer-encoding')?.toLowerCase() === 'chunked') {
    const chunks: Buffer[] = [];
    let at = 0;
    for (;;) {
      const lineEnd = rest.indexOf('\r\n', at);
      if (lineEnd < 0) return { status: Number(m[1]), headers, body: Buffer.concat(chunks).toString('utf8'), complete: false };
      const size = parseInt(rest.subarray(at, lineEnd).toString('latin1'), 16);
      if (Number.isNaN(size)) throw new Error('malformed chunk size');
      if (size === 0) return { status: Number(m[1]), headers, body: Buffer.concat(chunks).toString('utf8'), complete: true };
      const data = rest.subarray(lineEnd + 2, lineEnd + 2 + size);
      chunks.push(data);
      if (data.length < size) return { status: Number(m[1]), headers, body: Buffer.concat(chunks).toString('utf8'), complete: false };
      at = lineEnd + 2 + size + 2;
    }
  }
  const length = get('content-length');
  if (length !== undefined) {
    const n = Number(length);
    return { status: Number(m[1]), headers, body: rest.subarray(0, n).toString('utf8'), complete: rest.length >= n };
  }
  return { status: Number(m[1]), headers, body: rest.toString('utf8'), complete: true };
}

export function sendRequest(r: SentRequest): Promise<ReceivedResponse> {
  const lines = [`${r.method} ${r.path} HTTP/1.1`, ...r.headers.map(([k, v]) => `${k}: ${v}`)];
  const has = (n: string) => r.headers.some(([k]) => k.toLowerCase() === n);
  if (r.body !== undefined && !has('content-length') && !has('transfer-encoding')) lines.push(`content-length: ${Buffer.byteLength(r.body)}`);
  // One request per connection: the server closes after answering, which marks the end of the response.
  if (!has('connection')) lines.push('connection: close');
  const payload = Buffer.concat([Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1'), Buffer.from(r.body ?? '', 'utf8')]);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port: r.port });
    const chunks: Buffer[] = [];
    let settled = false;
    const finish = () => {
      if (settled) return;
      settled = true;
      try { resolve(parseResponse(Buffer.concat(chunks))); } catch (e) { reject(e); }
    };
    socket.setTimeout(r.timeoutMs ?? 10_000, () => {
      settled = true;
      socket.destroy();
      reject(new Error(`no complete response within ${r.timeoutMs ?? 10_000} ms`));
    });
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('end', finish);
    socket.on('close', finish);
    // A reset after the headers (Envoy's wasm_fail_stream mid-body) still yields what arrived.
    socket.on('error', (e) => { if (chunks.length) finish(); else if (!settled) { settled = true; reject(e); } });
    socket.write(payload);
  });
}
