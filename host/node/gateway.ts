// The local gateway: our host as an HTTP/1.1 reverse proxy running a plugin chain in front of an upstream,
// plus an admin listener with Envoy's /ready, /stats and /stats/prometheus.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { ProxyWasmHost } from '../core/host.ts';
import type { UpstreamRequest } from '../core/platform.ts';
import type { LogRecord } from '../core/types.ts';
import { startEchoUpstream, type EchoUpstream } from './echo-upstream.ts';
import type { GatewayConfig } from './gateway-config.ts';
import { coalesceInlineHeaders, hasFragment, isRemovedBeforeFilters } from './envoy-codec.ts';
import { connectNotRouted, handleConnect } from './gateway-connect.ts';
import { httpExchange } from './http-exchange.ts';
import { loadPluginFile } from './load-plugin.ts';
import { nodePlatform } from './platform.ts';
import { fromWire, toWire } from './wire-text.ts';

export interface Gateway {
  host: ProxyWasmHost;
  url: string;
  adminUrl: string | null;
  upstreamUrl: string;
  close(): Promise<void>;
}

/** Requests whose body exceeds this are refused before the chain (the chain's own limit is lower). */
const maxBufferedBody = 64 * 1024 * 1024;

function envoyLogLine(r: LogRecord): string {
  return `[${new Date().toISOString()}][${r.level}][wasm] wasm log${r.prefix ? ' ' + r.prefix : ''}: ${r.message}`;
}

export async function startGateway(cfg: GatewayConfig, log: (line: string) => void = (l) => process.stderr.write(l + '\n')): Promise<Gateway> {
  let echo: EchoUpstream | null = null;
  let upstreamUrl = cfg.upstream;
  if (cfg.upstream === 'echo') {
    echo = await startEchoUpstream();
    upstreamUrl = echo.url;
  }
  const router = (r: UpstreamRequest) => r.method === 'CONNECT' ? connectNotRouted : httpExchange({ baseUrl: upstreamUrl, method: r.method, path: r.path, authority: r.authority, headers: r.headers, body: r.body, timeoutMs: 15000 });
  const host = new ProxyWasmHost({
    platform: nodePlatform(),
    upstream: router,
    workers: cfg.workers,
    logLevel: cfg.logLevel,
    clusters: cfg.clusters,
    onLog: (r) => log(envoyLogLine(r)),
  });
  try {
    for (const p of cfg.plugins) {
      host.addPlugin(await loadPluginFile({ file: p.wasm, name: p.name, rootId: p.rootId, vmId: p.vmId, failurePolicy: p.failurePolicy, configuration: p.config }));
    }
  } catch (e) {
    await echo?.close();
    throw e;
  }

  // Node's own header limit sits above Envoy's 60 KiB so the chain can answer 431 itself, as Envoy's codec does.
  const server = createServer({ maxHeaderSize: 96 * 1024 }, (req, res) => { void proxy(host, req, res); });
  server.headersTimeout = 60_000;
  server.on('clientError', answerClientError);
  server.on('connect', (req: IncomingMessage, socket: Socket) => { void handleConnect(host, req, socket); });
  await listen(server, cfg.listen.host, cfg.listen.port);
  const url = `http://${cfg.listen.host}:${(server.address() as AddressInfo).port}`;

  let admin: Server | null = null;
  let adminUrl: string | null = null;
  if (cfg.admin) {
    admin = createServer((req, res) => adminHandler(host, cfg, req, res));
    await listen(admin, cfg.admin.host, cfg.admin.port);
    adminUrl = `http://${cfg.admin.host}:${(admin.address() as AddressInfo).port}`;
  }
  return {
    host,
    url,
    adminUrl,
    upstreamUrl,
    async close() {
      server.closeAllConnections();
      admin?.closeAllConnections();
      await Promise.all([new Promise((r) => server.close(r)), admin ? new Promise((r) => admin!.close(r)) : null]);
      host.close();
      await echo?.close();
    },
  };
}

function listen(server: Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => { server.off('error', reject); resolve(); });
  });
}

// Node's own answers to bytes its parser refuses (its default 'clientError' behaviour).
const parserErrorResponses: Record<string, string> = {
  HPE_HEADER_OVERFLOW: 'HTTP/1.1 431 Request Header Fields Too Large\r\nConnection: close\r\n\r\n',
  HPE_CHUNK_EXTENSIONS_OVERFLOW: 'HTTP/1.1 413 Payload Too Large\r\nConnection: close\r\n\r\n',
  ERR_HTTP_REQUEST_TIMEOUT: 'HTTP/1.1 408 Request Timeout\r\nConnection: close\r\n\r\n',
};

/**
 * Bytes the parser refuses after a complete request (e.g. the unframed body of a POST without
 * Content-Length, read as the next request): Envoy answers the complete request first, so the refusal waits
 * until that response has gone out; Node would write its 400 in front of it.
 */
function answerClientError(err: Error & { code?: string }, socket: Socket): void {
  const inFlight = (socket as Socket & { _httpMessage?: ServerResponse | null })._httpMessage;
  let answered = false;
  const answer = () => {
    if (answered) return;
    answered = true;
    if (!socket.writable) { socket.destroy(); return; }
    socket.end(parserErrorResponses[err.code ?? ''] ?? 'HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    setTimeout(() => socket.destroy(), 1000).unref(); // the peer may never close its side
  };
  if (inFlight && !inFlight.writableFinished && !inFlight.destroyed && socket.writable) {
    inFlight.once('finish', () => setImmediate(answer));
    inFlight.once('close', () => setImmediate(answer));
    return;
  }
  if (inFlight?.headersSent) { socket.destroy(); return; } // never corrupt a response already on its way
  answer();
}

const emptyBody = new Uint8Array(0);

/**
 * The request body (a view, not a copy, when it came in one chunk); null past maxBufferedBody (the request
 * is then dropped, as breaking out of reading it did), undefined if the request failed (client gone).
 */
function readBody(req: IncomingMessage): Promise<Uint8Array | null | undefined> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > maxBufferedBody) {
        req.destroy();
        resolve(null);
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => {
      if (chunks.length === 0) return resolve(emptyBody);
      const b = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
      resolve(new Uint8Array(b.buffer, b.byteOffset, b.byteLength));
    });
    req.on('error', () => resolve(undefined));
    req.on('close', () => resolve(undefined)); // after 'end' this changes nothing; before it the client is gone
  });
}

async function proxy(host: ProxyWasmHost, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (hasFragment(req.url ?? '')) {
    // Envoy's codec refuses a fragment in the request target: 400, no body, before any filter.
    res.writeHead(400, { 'content-length': 0, connection: 'close' });
    res.end();
    return;
  }
  // One pass over the raw headers: lower-cased names, the framing headers (a request without them has no
  // body: nothing to wait for) and the Host lines.
  const raw: [string, string][] = [];
  let framed = false;
  let sawConnection = false;
  const rh = req.rawHeaders;
  for (let i = 0; i < rh.length; i += 2) {
    const k = rh[i]!.toLowerCase();
    if (k === 'content-length' || k === 'transfer-encoding') framed = true;
    else if (k === 'connection') sawConnection = true;
    raw.push([k, fromWire(rh[i + 1]!)]);
  }
  let body: Uint8Array = emptyBody;
  const trailers: [string, string][] = [];
  if (framed) {
    const read = await readBody(req);
    if (read === undefined) return; // the client went away mid-body
    if (read === null) {
      res.writeHead(413, { 'content-type': 'text/plain', 'content-length': 17, connection: 'close' });
      res.end('Payload Too Large');
      return;
    }
    body = read;
    for (let i = 0; i < req.rawTrailers.length; i += 2) trailers.push([req.rawTrailers[i]!.toLowerCase(), fromWire(req.rawTrailers[i + 1]!)]);
  }
  const coalesced = coalesceInlineHeaders(raw); // repeated Host lines too: Envoy joins them into :authority
  let authority: string | undefined;
  const headers: [string, string][] = [];
  for (const e of coalesced) {
    if (authority === undefined && e[0] === 'host') authority = e[1];
    if (!isRemovedBeforeFilters(e[0], e[1])) headers.push(e);
  }
  const sock = req.socket as Socket & { _meshplugId?: number };
  sock._meshplugId ??= host.newConnectionId();
  try {
    const out = await host.handle({
      method: req.method ?? 'GET',
      path: fromWire(req.url ?? '/'),
      authority: authority ?? '',
      // Envoy refuses a request without Host (400) before any filter, Node only over HTTP/1.1: an HTTP/1.0
      // one gets no :authority, so a plugin can tell it from an empty Host (an empty :authority, as in Envoy).
      noAuthority: authority === undefined,
      scheme: 'http',
      protocol: `HTTP/${req.httpVersion}`,
      headers,
      body,
      trailers,
      closeConnection: (sawConnection && req.headers.connection === 'close') || req.httpVersion === '1.0',
      headersChecked: true, // Node's HTTP parser refuses NUL, CR and LF in header values
      connection: {
        id: sock._meshplugId,
        sourceAddress: `${sock.remoteAddress}:${sock.remotePort}`,
        destinationAddress: `${sock.localAddress}:${sock.localPort}`,
      },
    });
    if (out.reset && out.status === 0) {
      req.socket.destroy();
      return;
    }
    const hs: string[] = [];
    for (const [k, v] of out.headers) if (k !== 'transfer-encoding' && k !== 'connection' && k !== 'content-length') hs.push(k, toWire(v));
    if (!out.reset) hs.push('content-length', String(out.body.length));
    res.writeHead(out.status, hs);
    if (out.reset) {
      res.flushHeaders();
      req.socket.destroy(); // headers went out, then the stream was reset (as Envoy does)
      return;
    }
    res.end(Buffer.from(out.body.buffer, out.body.byteOffset, out.body.byteLength));
  } catch (e) {
    // A host bug must not take the gateway down: answer 500 and keep serving.
    process.stderr.write(`meshplug gateway: internal error: ${(e as Error).stack}\n`);
    if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
    res.end('internal error');
  }
}

function adminHandler(host: ProxyWasmHost, cfg: GatewayConfig, req: IncomingMessage, res: ServerResponse): void {
  const url = new URL(req.url ?? '/', 'http://admin');
  const send = (status: number, type: string, body: string) => {
    res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body) });
    res.end(body);
  };
  switch (url.pathname) {
    case '/ready': return send(200, 'text/plain', 'LIVE\n');
    case '/stats':
      if (url.searchParams.get('format') === 'json') {
        return send(200, 'application/json', JSON.stringify({ stats: Object.entries(host.stats.snapshot()).map(([name, value]) => ({ name, value })) }));
      }
      return send(200, 'text/plain', host.stats.renderText());
    case '/stats/prometheus': return send(200, 'text/plain; version=0.0.4', host.stats.renderPrometheus(cfg.statsTags));
    case '/memory': return send(200, 'application/json', JSON.stringify({ wasm_linear_memory_bytes: host.memoryBytes(), rss: process.memoryUsage().rss }));
    default: return send(404, 'text/plain', 'not found: try /ready, /stats, /stats/prometheus, /memory\n');
  }
}
