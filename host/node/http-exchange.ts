// One HTTP/1.1 exchange with an upstream or cluster server. Network failures come back as the responses
// Envoy would produce for them (503 connect error, 504 timeout), never as exceptions.
import { request as httpRequest, Agent as HttpAgent } from 'node:http';
import { request as httpsRequest, Agent as HttpsAgent } from 'node:https';
import type { UpstreamResponse } from '../core/platform.ts';
import { fromWire, toWire } from './wire-text.ts';

export interface Exchange {
  baseUrl: string;
  method: string;
  path: string;
  authority: string;
  headers: [string, string][];
  body: Uint8Array;
  timeoutMs: number; // 0 = none
}

const httpAgent = new HttpAgent({ keepAlive: true, maxSockets: 64 });
const httpsAgent = new HttpsAgent({ keepAlive: true, maxSockets: 64 });
const hopByHop = new Set(['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'proxy-connection', 'te', 'host', 'content-length']);

function textResponse(status: number, text: string): UpstreamResponse {
  const body = new TextEncoder().encode(text);
  return { status, headers: [['content-length', String(body.length)], ['content-type', 'text/plain']], body };
}

export function httpExchange(x: Exchange): Promise<UpstreamResponse> {
  return new Promise((resolve) => {
    let url: URL;
    try {
      url = new URL(x.path || '/', x.baseUrl);
    } catch {
      resolve(textResponse(503, 'upstream connect error or disconnect/reset before headers. reset reason: invalid url'));
      return;
    }
    const secure = url.protocol === 'https:';
    const headers: [string, string][] = [['host', x.authority || url.host]];
    for (const [k, v] of x.headers) if (!hopByHop.has(k.toLowerCase())) headers.push([k, toWire(v)]);
    if (x.body.length > 0 || !['GET', 'HEAD', 'DELETE', 'OPTIONS'].includes(x.method)) headers.push(['content-length', String(x.body.length)]);
    let settled = false;
    const done = (r: UpstreamResponse) => { if (!settled) { settled = true; resolve(r); } };
    const req = (secure ? httpsRequest : httpRequest)(url, {
      method: x.method,
      headers: headers.flat() as unknown as Record<string, string>,
      agent: secure ? httpsAgent : httpAgent,
      setHost: false,
    });
    const timer = x.timeoutMs > 0 ? setTimeout(() => {
      done(textResponse(504, 'upstream request timeout'));
      req.destroy();
    }, x.timeoutMs) : null;
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        if (timer) clearTimeout(timer);
        const out: [string, string][] = [];
        for (let i = 0; i < res.rawHeaders.length; i += 2) {
          const k = res.rawHeaders[i]!.toLowerCase();
          // Envoy's codec drops keep-alive and transfer-encoding but leaves `connection` in the map filters see.
          if (k !== 'keep-alive' && k !== 'transfer-encoding') out.push([k, fromWire(res.rawHeaders[i + 1]!)]);
        }
        const trailers: [string, string][] = [];
        for (let i = 0; i < res.rawTrailers.length; i += 2) trailers.push([res.rawTrailers[i]!.toLowerCase(), res.rawTrailers[i + 1]!]);
        const sock = res.socket;
        done({
          status: res.statusCode ?? 502, headers: out, body: new Uint8Array(Buffer.concat(chunks)), trailers,
          remoteAddress: sock ? `${sock.remoteAddress}:${sock.remotePort}` : undefined,
          localAddress: sock ? `${sock.localAddress}:${sock.localPort}` : undefined,
        });
      });
      res.on('error', () => done(textResponse(503, 'upstream connect error or disconnect/reset before headers. reset reason: connection termination')));
    });
    req.on('error', (e: NodeJS.ErrnoException) => {
      if (timer) clearTimeout(timer);
      const reason = e.code === 'ECONNREFUSED' ? 'delayed connect error: Connection refused' : (e.code ?? e.message);
      done(textResponse(503, `upstream connect error or disconnect/reset before headers. reset reason: remote connection failure, transport failure reason: ${reason}`));
    });
    req.end(x.body.length ? Buffer.from(x.body.buffer, x.body.byteOffset, x.body.byteLength) : undefined);
  });
}
