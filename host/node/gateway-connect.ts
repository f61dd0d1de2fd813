// CONNECT through the gateway as Envoy 1.40 handles it behind a plain route table (checked on the real
// Envoy): the codec refuses a target without a port with 400 "Bad Request"; any other CONNECT runs through
// the filter chain as `:authority` = the target (not the Host header), `:method` CONNECT and no `:path`,
// and the router, which has no route for CONNECT, answers 404 with an empty body and closes the
// connection. Node hands a CONNECT request over as a bare socket, so the answer is written here.
import { STATUS_CODES, type IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { ProxyWasmHost } from '../core/host.ts';
import type { UpstreamResponse } from '../core/platform.ts';
import { coalesceInlineHeaders, isConnectTarget, isRemovedBeforeFilters } from './envoy-codec.ts';
import { fromWire, toWire } from './wire-text.ts';

const badRequest = 'HTTP/1.1 400 Bad Request\r\ncontent-length: 11\r\ncontent-type: text/plain\r\nconnection: close\r\n\r\nBad Request';

/** What the gateway's router answers for CONNECT: Envoy's route-not-found. */
export const connectNotRouted: UpstreamResponse = { status: 404, headers: [], body: new Uint8Array(0) };

export async function handleConnect(host: ProxyWasmHost, req: IncomingMessage, socket: Socket & { _meshplugId?: number }): Promise<void> {
  socket.on('error', () => socket.destroy());
  const target = req.url ?? '';
  if (!isConnectTarget(target)) { socket.end(badRequest); return; }
  const raw: [string, string][] = [];
  for (let i = 0; i < req.rawHeaders.length; i += 2) raw.push([req.rawHeaders[i]!.toLowerCase(), fromWire(req.rawHeaders[i + 1]!)]);
  socket._meshplugId ??= host.newConnectionId();
  try {
    const out = await host.handle({
      method: 'CONNECT',
      path: '',
      authority: fromWire(target),
      scheme: 'http',
      protocol: `HTTP/${req.httpVersion}`,
      headers: coalesceInlineHeaders(raw).filter(([k, v]) => !isRemovedBeforeFilters(k, v)),
      body: new Uint8Array(0),
      closeConnection: true,
      headersChecked: true,
      connection: {
        id: socket._meshplugId,
        sourceAddress: `${socket.remoteAddress}:${socket.remotePort}`,
        destinationAddress: `${socket.localAddress}:${socket.localPort}`,
      },
    });
    if (out.reset && out.status === 0) { socket.destroy(); return; }
    let head = `HTTP/1.1 ${out.status} ${STATUS_CODES[out.status] ?? ''}\r\n`;
    for (const [k, v] of out.headers) if (k !== 'transfer-encoding' && k !== 'connection' && k !== 'content-length') head += `${k}: ${toWire(v)}\r\n`;
    if (out.reset) { socket.end(head + '\r\n'); return; }
    head += `content-length: ${out.body.length}\r\nconnection: close\r\n\r\n`;
    socket.end(Buffer.concat([Buffer.from(head, 'latin1'), Buffer.from(out.body.buffer, out.body.byteOffset, out.body.byteLength)]));
  } catch (e) {
    process.stderr.write(`meshplug gateway: internal error: ${(e as Error).stack}\n`);
    socket.end('HTTP/1.1 500 Internal Server Error\r\ncontent-length: 14\r\nconnection: close\r\n\r\ninternal error');
  }
}
