// A real gRPC server for tests, on 127.0.0.1 over HTTP/2 cleartext (prior knowledge, as Envoy's HTTP/2
// clusters speak it). Service `meshplug.test.Echo`; messages are raw bytes (no protobuf needed: the host
// never looks inside them). Methods:
//   Unary        one message in → `echo:<msg>`; initial metadata x-test-initial, x-test-md-echo (the request's
//                x-test-md); trailers grpc-status 0 and x-test-trailer
//   ServerStream message N (a decimal count, default 3) → part-1 … part-N, then status 0
//   Bidi         each message m → `bidi:<m>` at once; status 0 when the client half-closes
//   Fail         trailers-only answer: grpc-status 7 (PERMISSION_DENIED), grpc-message "denied by test"
//   Slow         like Unary after `slowMs` (default 1500 ms)
//   Headers      one message in → the request's headers as `name=value` lines (volatile values masked)
//   anything else → grpc-status 12 (UNIMPLEMENTED)
import { createServer, constants, type Http2Server, type ServerHttp2Stream, type IncomingHttpHeaders } from 'node:http2';
import type { AddressInfo } from 'node:net';
import { FrameDecoder, frameMessage } from '../../host/core/grpc-framing.ts';

export type HeaderList = [string, string][];

export interface RecordedGrpcCall {
  path: string;
  headers: HeaderList;
  messages: string[];
  /** The client half-closed (END_STREAM) before the server finished. */
  halfClosed: boolean;
  /** The client reset the stream (a cancel). */
  reset: boolean;
}

export interface GrpcTestServer {
  url: string;
  port: number;
  calls: RecordedGrpcCall[];
  close(): Promise<void>;
}

export const SERVICE = 'meshplug.test.Echo';
const enc = new TextEncoder();
const dec = new TextDecoder();

function headerList(h: IncomingHttpHeaders): HeaderList {
  const out: HeaderList = [];
  for (const [k, v] of Object.entries(h)) {
    if (v === undefined) continue;
    for (const one of Array.isArray(v) ? v : [v]) out.push([k, String(one)]);
  }
  return out;
}

/** Request headers whose values differ on every call. */
const VOLATILE = new Set(['x-request-id']);

const okHeaders = (extra: Record<string, string> = {}) => ({ ':status': 200, 'content-type': 'application/grpc', ...extra });

export async function startGrpcServer(o: { slowMs?: number } = {}): Promise<GrpcTestServer> {
  const calls: RecordedGrpcCall[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const server: Http2Server = createServer();
  server.on('stream', (stream: ServerHttp2Stream, headers: IncomingHttpHeaders) => {
    const call: RecordedGrpcCall = { path: String(headers[':path'] ?? ''), headers: headerList(headers), messages: [], halfClosed: false, reset: false };
    calls.push(call);
    stream.on('error', () => {}); // a client reset surfaces here; it is recorded, not fatal
    stream.on('aborted', () => { call.reset = true; });
    stream.on('close', () => { if (stream.rstCode === constants.NGHTTP2_CANCEL) call.reset = true; });
    const method = call.path.startsWith(`/${SERVICE}/`) ? call.path.slice(SERVICE.length + 2) : '';
    const send = (text: string) => { if (!stream.destroyed && !stream.closed) stream.write(frameMessage(enc.encode(text))); };
    const finish = (trailers: Record<string, string> = {}) => {
      if (stream.destroyed || stream.closed) return;
      stream.once('wantTrailers', () => stream.sendTrailers({ 'grpc-status': '0', ...trailers }));
      stream.end();
    };
    const gone = () => stream.destroyed || stream.closed;
    const respond = (extra: Record<string, string> = {}) => {
      if (!gone() && !stream.headersSent) stream.respond(okHeaders(extra), { waitForTrailers: true });
    };
    const onMessage: ((m: string) => void)[] = [];
    const onEnd: (() => void)[] = [];
    const decoder = new FrameDecoder((m) => {
      const text = dec.decode(m);
      call.messages.push(text);
      onMessage.forEach((f) => f(text));
    }, () => stream.close(constants.NGHTTP2_PROTOCOL_ERROR));
    stream.on('data', (c: Buffer) => decoder.push(new Uint8Array(c)));
    stream.on('end', () => { call.halfClosed = true; onEnd.forEach((f) => f()); });
    const unaryReply = () => {
      respond({ 'x-test-initial': 'unary', 'x-test-md-echo': String(headers['x-test-md'] ?? '-') });
      send(`echo:${call.messages.join('+')}`);
      finish({ 'x-test-trailer': 'done' });
    };
    switch (method) {
      case 'Unary':
        onEnd.push(unaryReply);
        break;
      case 'Slow':
        onEnd.push(() => {
          const t = setTimeout(() => { timers.delete(t); unaryReply(); }, o.slowMs ?? 1500);
          timers.add(t);
          stream.once('close', () => { clearTimeout(t); timers.delete(t); });
        });
        break;
      case 'ServerStream':
        onEnd.push(() => {
          const n = Math.min(100, Math.max(0, Number(call.messages[0] ?? '3') || 0));
          respond({ 'x-test-initial': 'server-stream' });
          for (let i = 1; i <= n; i++) send(`part-${i}`);
          finish({ 'x-test-trailer': 'done' });
        });
        break;
      case 'Bidi':
        respond({ 'x-test-initial': 'bidi' });
        onMessage.push((m) => send(`bidi:${m}`));
        onEnd.push(() => finish({ 'x-test-trailer': 'done' }));
        break;
      case 'Headers':
        onEnd.push(() => {
          respond();
          send(call.headers.map(([k, v]) => `${k}=${VOLATILE.has(k) ? '<volatile>' : v}`).join('\n'));
          finish();
        });
        break;
      case 'Fail':
        if (!gone()) stream.respond({ ...okHeaders(), 'grpc-status': '7', 'grpc-message': 'denied by test' }, { endStream: true });
        break;
      default:
        if (!gone()) stream.respond({ ...okHeaders(), 'grpc-status': '12', 'grpc-message': `unknown method ${call.path}` }, { endStream: true });
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as AddressInfo).port;
  const sessions = new Set<import('node:http2').ServerHttp2Session>();
  server.on('session', (s) => { sessions.add(s); s.on('close', () => sessions.delete(s)); });
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    calls,
    close: async () => {
      for (const t of timers) clearTimeout(t);
      for (const s of sessions) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
