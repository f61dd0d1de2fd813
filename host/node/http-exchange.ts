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

/** Where requests to one base URL go: parsed once per base (the gateway sends every request to one). */
interface Origin { secure: boolean; hostname: string; port: number; host: string; origin: string }
const origins = new Map<string, Origin | null>();

function originOf(baseUrl: string): Origin | null {
  let o = origins.get(baseUrl);
  if (o === undefined) {
    try {
      const u = new URL(baseUrl);
      const secure = u.protocol === 'https:';
      // As Node's urlToHttpOptions: an IPv6 literal without its brackets.
      const hostname = u.hostname.startsWith('[') ? u.hostname.slice(1, -1) : u.hostname;
      o = { secure, hostname, port: u.port ? Number(u.port) : secure ? 443 : 80, host: u.host, origin: u.origin };
    } catch {
      o = null;
    }
    if (origins.size >= 64) origins.clear();
    origins.set(baseUrl, o);
  }
  return o;
}

/**
 * An origin-form target URL parsing leaves as it is: printable ASCII URL parsing neither escapes nor
 * rewrites (no quote, space, backslash, fragment…), no dot segment (`/.`, `%2e`) to resolve, and no
 * trailing `?` (an empty query, which URL parsing drops).
 */
const PLAIN_TARGET = /^\/[A-Za-z0-9\-._~!$&()*+,;=:@/?%]*(?<!\?)$/;
const DOT_SEGMENT = /\/\.|%2e/i;

/** The target sent upstream, as WHATWG URL parsing normalizes it (dot segments, escapes); null if unparsable. */
function targetPath(o: Origin, path: string): string | null {
  if (PLAIN_TARGET.test(path) && !DOT_SEGMENT.test(path)) return path;
  try {
    // Resolved against the origin as text, so `//other.host/x` stays a path on this upstream (Envoy sends
    // it to its cluster as is) instead of naming another host; an absolute URL goes to this upstream too.
    const u = path.startsWith('/') ? new URL(o.origin + path) : new URL(path || '/', o.origin);
    return u.origin === o.origin ? u.pathname + u.search : u.href;
  } catch {
    return null;
  }
}

const noBody = new Uint8Array(0);

/** The body as a plain Uint8Array: a view of the one chunk it usually is, else one copy of the chunks. */
function bodyOf(chunks: Buffer[]): Uint8Array {
  if (chunks.length === 0) return noBody;
  const b = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
}

const methodsWithoutEmptyLength = new Set(['GET', 'HEAD', 'DELETE', 'OPTIONS']);

export function httpExchange(x: Exchange): Promise<UpstreamResponse> {
  return new Promise((resolve) => {
    const o = originOf(x.baseUrl);
    const path = o === null ? null : targetPath(o, x.path);
    if (o === null || path === null) {
      resolve(textResponse(503, 'upstream connect error or disconnect/reset before headers. reset reason: invalid url'));
      return;
    }
    const headers: string[] = ['host', x.authority || o.host];
    for (const [k, v] of x.headers) if (!hopByHop.has(k.toLowerCase())) headers.push(k, toWire(v));
    if (x.body.length > 0 || !methodsWithoutEmptyLength.has(x.method)) headers.push('content-length', String(x.body.length));
    let settled = false;
    const done = (r: UpstreamResponse) => { if (!settled) { settled = true; resolve(r); } };
    const req = (o.secure ? httpsRequest : httpRequest)({
      protocol: o.secure ? 'https:' : 'http:',
      hostname: o.hostname,
      port: o.port,
      path,
      method: x.method,
      headers: headers as unknown as Record<string, string>,
      agent: o.secure ? httpsAgent : httpAgent,
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
          status: res.statusCode ?? 502, headers: out, body: bodyOf(chunks), trailers,
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
