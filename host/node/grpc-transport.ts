// gRPC streams over HTTP/2 cleartext (prior knowledge) to a cluster's server, for the host core's
// gRPC calls. One session per server URL, reused while it lives; sessions never keep the process alive.
import { connect, constants, type ClientHttp2Session, type ClientHttp2Stream, type IncomingHttpHeaders } from 'node:http2';
import { FrameDecoder, frameMessage } from '../core/grpc-framing.ts';
import type { GrpcTransportEvents, GrpcTransportRequest, GrpcTransportStream } from '../core/platform.ts';
import type { HeaderList } from '../core/types.ts';

const sessions = new Map<string, ClientHttp2Session>();
/** Why a session failed (its streams only see a cancel). */
const sessionErrors = new WeakMap<ClientHttp2Session, NodeJS.ErrnoException>();

function sessionFor(url: string): ClientHttp2Session {
  const known = sessions.get(url);
  if (known && !known.closed && !known.destroyed) return known;
  const s = connect(url);
  s.unref();
  s.on('error', (e: NodeJS.ErrnoException) => { sessionErrors.set(s, e); });
  const forget = () => { if (sessions.get(url) === s) sessions.delete(url); };
  s.on('close', forget);
  s.on('goaway', forget);
  sessions.set(url, s);
  return s;
}

/** Response headers in arrival order (Node keeps an object's insertion order; :status first). */
function headerList(h: IncomingHttpHeaders): HeaderList {
  const out: HeaderList = [];
  for (const [k, v] of Object.entries(h)) {
    if (v === undefined) continue;
    for (const one of Array.isArray(v) ? v : [v]) out.push([k, String(one)]);
  }
  return out;
}

/** Envoy's words for why a connection could not be used. */
function failureOf(e: NodeJS.ErrnoException): { reason: string; transport?: string } {
  if (e.code === 'ECONNREFUSED') return { reason: 'remote connection failure', transport: 'delayed connect error: Connection refused' };
  if (e.code === 'ECONNRESET' || e.code === 'ERR_HTTP2_STREAM_ERROR' || e.code === 'ERR_HTTP2_SESSION_ERROR') return { reason: 'connection termination' };
  return { reason: 'remote connection failure', transport: e.code ?? e.message };
}

export function openGrpcStream(req: GrpcTransportRequest, ev: GrpcTransportEvents): GrpcTransportStream {
  let cancelled = false;
  let gotHeaders = false;
  let ended = false; // trailers or a trailers-only answer arrived
  let failed = false;
  const fail = (f: { reason: string; transport?: string }) => {
    if (cancelled || ended || failed) return;
    failed = true;
    ev.onFailure({ beforeHeaders: !gotHeaders, ...f });
  };
  const outgoing: Record<string, string | string[]> = {};
  for (const [k, v] of req.headers) {
    const prev = outgoing[k];
    outgoing[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
  }
  let stream: ClientHttp2Stream;
  let session: ClientHttp2Session;
  try {
    session = sessionFor(req.url);
    stream = session.request(outgoing, { endStream: false });
  } catch (e) {
    queueMicrotask(() => fail(failureOf(e as NodeJS.ErrnoException)));
    return { send() {}, end() {}, cancel() { cancelled = true; } };
  }
  const decoder = new FrameDecoder((m) => { if (!cancelled && !failed) ev.onMessage(m); }, () => {
    fail({ reason: 'protocol error' });
    stream.close(constants.NGHTTP2_PROTOCOL_ERROR);
  });
  stream.on('response', (h, flags) => {
    if (cancelled) return;
    gotHeaders = true;
    const endStream = (flags & constants.NGHTTP2_FLAG_END_STREAM) !== 0;
    if (endStream) ended = true;
    ev.onHeaders(headerList(h), endStream);
  });
  stream.on('data', (chunk: Buffer) => decoder.push(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength)));
  stream.on('trailers', (t) => {
    if (cancelled || failed) return;
    ended = true;
    ev.onTrailers(headerList(t));
  });
  // A refused connection reaches the stream (as a cancel) before the session's own error: look a turn later.
  stream.on('error', (e: NodeJS.ErrnoException) => setImmediate(() => fail(failureOf(sessionErrors.get(session) ?? e))));
  stream.on('close', () => setImmediate(() => {
    // Closed without trailers: the server reset the stream or the connection went away.
    const e = sessionErrors.get(session);
    if (!ended) fail(e ? failureOf(e) : { reason: 'connection termination' });
  }));
  return {
    send(message, endStream) {
      if (cancelled || stream.destroyed || stream.writableEnded) return;
      const framed = frameMessage(message);
      if (endStream) stream.end(framed);
      else stream.write(framed);
    },
    end() {
      if (!cancelled && !stream.destroyed && !stream.writableEnded) stream.end();
    },
    cancel() {
      if (cancelled) return;
      cancelled = true;
      if (!stream.destroyed) stream.close(constants.NGHTTP2_CANCEL);
    },
  };
}
