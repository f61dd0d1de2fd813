// Runs one request through a plugin chain in our host against a stand-in upstream (or a real one) and
// reports what happened in the shape `meshplug request --json` prints and the scenario runners compare.
import { ProxyWasmHost, type HostOptions } from '../core/host.ts';
import { ModuleLoadError } from '../core/module-check.ts';
import type { UpstreamRequest, UpstreamResponse } from '../core/platform.ts';
import type { HeaderList, LogRecord } from '../core/types.ts';
import { echoReply, type RecordedRequest } from './echo-upstream.ts';
import { coalesceInlineHeaders, isRemovedBeforeFilters } from './envoy-codec.ts';
import { httpExchange } from './http-exchange.ts';
import { loadPluginFile, type PluginFileOptions } from './load-plugin.ts';
import { nodePlatform } from './platform.ts';

export interface RequestSpec {
  method?: string;
  path?: string;
  /** `host` becomes :authority (default example.com). */
  headers?: HeaderList;
  body?: Uint8Array | string;
}

export interface StandInUpstream {
  status?: number;
  headers?: HeaderList;
  body?: Uint8Array | string;
}

export interface SingleRequestOptions {
  plugins: PluginFileOptions[];
  request: RequestSpec;
  /** Answer from an in-process stand-in upstream, or forward to a real server at `upstreamUrl`. */
  upstream?: StandInUpstream;
  upstreamUrl?: string;
  clusters?: Record<string, string>;
  workers?: number;
  /** Send the request this many times (fresh stream each time); the last one is reported. */
  repeat?: number;
  hostOptions?: Partial<HostOptions>;
}

export interface RequestObservation {
  upstreamRequest: null | { method: string; path: string; headers: HeaderList; body: string };
  response: { status: number; headers: HeaderList; body: string };
  logs: { level: LogRecord['level']; message: string }[];
  metrics: Record<string, number>;
  /** The host's own lines about the VM (traps, backtraces), as Envoy's `wasm` logger prints them. */
  vmLogs: { level: LogRecord['level']; message: string }[];
}

const enc = new TextEncoder();
const dec = new TextDecoder();
const bytes = (b: Uint8Array | string | undefined) => (typeof b === 'string' ? enc.encode(b) : (b ?? new Uint8Array(0)));

/**
 * The stand-in upstream: records the request as the upstream receives it and answers exactly as the echo
 * upstream server (host/node/echo-upstream.ts) would — a configured reply, or a JSON echo.
 */
function standInRouter(u: StandInUpstream | undefined, seen: (r: UpstreamRequest) => RecordedRequest) {
  return (r: UpstreamRequest): UpstreamResponse => {
    const recorded = seen(r);
    const answer = echoReply(recorded, u ? { status: u.status, headers: u.headers, body: typeof u.body === 'string' || u.body === undefined ? u.body : dec.decode(u.body) } : null);
    return { status: answer.status, headers: answer.headers, body: enc.encode(answer.body), remoteAddress: '127.0.0.1:8080', localAddress: '127.0.0.1:40001' };
  };
}

/** Headers the upstream sees on the wire: host from :authority first, then the rest as forwarded. */
function wireHeaders(r: UpstreamRequest): HeaderList {
  const out: HeaderList = [['host', r.authority]];
  for (const [k, v] of r.headers) if (k !== 'transfer-encoding') out.push([k, v]);
  if (r.body.length > 0 && !out.some(([k]) => k === 'content-length')) out.push(['content-length', String(r.body.length)]);
  return out;
}

export class RequestRunError extends Error {}

export async function runSingleRequest(o: SingleRequestOptions): Promise<RequestObservation> {
  const logs: LogRecord[] = [];
  let upstreamRequest: RequestObservation['upstreamRequest'] = null;
  const record = (r: UpstreamRequest): RecordedRequest => {
    const rec = { method: r.method, path: r.path, headers: wireHeaders(r), body: dec.decode(r.body) };
    upstreamRequest = rec;
    return rec;
  };
  const router = o.upstreamUrl
    ? async (r: UpstreamRequest) => {
      record(r);
      return httpExchange({ baseUrl: o.upstreamUrl!, method: r.method, path: r.path, authority: r.authority, headers: r.headers, body: r.body, timeoutMs: 15000 });
    }
    : standInRouter(o.upstream, record);
  const host = new ProxyWasmHost({
    platform: nodePlatform(),
    upstream: router,
    workers: o.workers ?? 2,
    clusters: o.clusters,
    onLog: (r) => logs.push(r),
    ...o.hostOptions,
  });
  try {
    for (const p of o.plugins) host.addPlugin(await loadPluginFile(p));
  } catch (e) {
    if (e instanceof ModuleLoadError) {
      const detail = logs.filter((l) => l.source !== 'host' && (l.level === 'warn' || l.level === 'error' || l.level === 'critical')).map((l) => l.message);
      throw new RequestRunError(e.message + (detail.length ? ` (plugin log: ${detail.join('; ')})` : ''));
    }
    throw e;
  }
  // As an HTTP/1.1 client does: a request with a body carries content-length after the given headers.
  const headers = [...(o.request.headers ?? [])];
  if (o.request.body !== undefined && !headers.some(([k]) => /^(content-length|transfer-encoding)$/i.test(k))) {
    headers.push(['content-length', String(bytes(o.request.body).length)]);
  }
  // What Envoy's codec does before the filters: repeated inline headers joined with ",", hop-by-hop
  // headers dropped, Host becoming :authority (two Host lines reach a plugin as "a,b").
  const lowered = coalesceInlineHeaders(headers.map(([k, v]): [string, string] => [k.toLowerCase(), v]));
  const authority = lowered.find(([k]) => k === 'host')?.[1] ?? 'example.com';
  const filterHeaders = lowered.filter(([k, v]) => !isRemovedBeforeFilters(k, v));
  let response;
  const times = Math.max(1, o.repeat ?? 1);
  for (let i = 0; i < times; i++) {
    upstreamRequest = null;
    response = await host.handle({
      method: o.request.method ?? 'GET',
      path: o.request.path ?? '/',
      authority,
      scheme: 'http',
      protocol: 'HTTP/1.1',
      headers: filterHeaders,
      body: bytes(o.request.body),
      closeConnection: true, // a one-shot client, like the Envoy suite's, asks to close
      connection: { id: host.newConnectionId(), sourceAddress: '127.0.0.1:40000', destinationAddress: '127.0.0.1:10000' },
    });
  }
  await new Promise((r) => setImmediate(r)); // let deferred callbacks (queues, done) run before reporting
  host.close();
  const r = response!;
  return {
    upstreamRequest,
    // What the client reads: hop-by-hop `connection` belongs to the connection, not the response.
    response: { status: r.status, headers: r.headers.filter(([k]) => k !== 'connection'), body: dec.decode(r.body) },
    logs: logs.filter((l) => l.source !== 'host').map((l) => ({ level: l.level, message: l.message })),
    vmLogs: logs.filter((l) => l.source === 'host').map((l) => ({ level: l.level, message: l.message })),
    metrics: host.stats.snapshot(),
  };
}
