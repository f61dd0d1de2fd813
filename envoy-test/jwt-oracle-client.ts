// One HTTP/1.1 request over a plain or TLS socket with exactly the given header lines (as envoy-test/lib's
// sendRequest), finished as soon as the response is complete: Envoy keeps the connection open for a while
// after a local reply, and waiting for it to close would cost a second per refused request.
import { connect, type Socket } from 'node:net';
import { parseResponse, type ReceivedResponse } from './lib/send-request.ts';
import type { HeaderList } from './jwt-oracle-types.ts';

function completeResponse(raw: Buffer): ReceivedResponse | null {
  const end = raw.indexOf('\r\n\r\n');
  if (end < 0) return null;
  const head = raw.subarray(0, end).toString('latin1').toLowerCase();
  // Without a length or chunking the body ends with the connection: wait for it.
  if (!/\r\ncontent-length:/.test(head) && !/\r\ntransfer-encoding:\s*chunked/.test(head)) return null;
  const r = parseResponse(raw);
  return r.complete ? r : null;
}

export function requestBytes(method: string, path: string, headers: HeaderList): Buffer {
  const lines = [`${method} ${path} HTTP/1.1`, ...headers.map(([k, v]) => `${k}: ${v}`), 'connection: close'];
  return Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1');
}

/** Reads one response from `socket` (already connected or connecting); destroys the socket when done. */
export function readResponse(socket: Socket, timeoutMs = 10_000): Promise<ReceivedResponse> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let settled = false;
    const settle = (f: () => void) => { if (!settled) { settled = true; socket.destroy(); f(); } };
    const tryFinish = (closed: boolean) => {
      const raw = Buffer.concat(chunks);
      try {
        const r = closed ? parseResponse(raw) : completeResponse(raw);
        if (r) settle(() => resolve(r));
      } catch (e) {
        if (closed) settle(() => reject(e));
      }
    };
    socket.setTimeout(timeoutMs, () => settle(() => reject(new Error(`no complete response within ${timeoutMs} ms`))));
    socket.on('data', (c: Buffer) => { chunks.push(c); tryFinish(false); });
    socket.on('close', () => tryFinish(true));
    socket.on('error', (e) => { if (chunks.length) tryFinish(true); else settle(() => reject(e)); });
  });
}

export function exchange(port: number, method: string, path: string, headers: HeaderList): Promise<ReceivedResponse> {
  const socket = connect({ host: '127.0.0.1', port });
  const done = readResponse(socket);
  socket.write(requestBytes(method, path, headers));
  return done;
}
