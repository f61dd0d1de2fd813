// A real HTTP upstream for tests, the gateway's default backend and `meshplug envoy`: records every request
// and answers with a configured reply, or by default with a JSON echo of what it received.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type HeaderList = [string, string][];

export interface RecordedRequest {
  method: string;
  path: string;
  headers: HeaderList;
  body: string;
}

export interface UpstreamReply {
  status?: number;
  headers?: HeaderList;
  body?: string;
}

export interface EchoUpstream {
  url: string;
  port: number;
  requests: RecordedRequest[];
  setReply(reply: UpstreamReply | null): void;
  close(): Promise<void>;
}

function headerList(req: IncomingMessage): HeaderList {
  const out: HeaderList = [];
  const raw = req.rawHeaders;
  for (let i = 0; i < raw.length; i += 2) out.push([raw[i]!.toLowerCase(), raw[i + 1]!]);
  return out;
}

/**
 * The answer the echo upstream gives: the configured reply (content-length added when missing), or a JSON
 * echo of the request; then `date`, as Node's server would add it. Shared with the in-process stand-in
 * upstream of `meshplug request`, so both hosts in the scenario tests face the same upstream.
 */
export function echoReply(recorded: RecordedRequest, reply: UpstreamReply | null, now = new Date()): { status: number; headers: HeaderList; body: string } {
  let status = 200;
  let body: string;
  let headers: HeaderList;
  if (reply) {
    status = reply.status ?? 200;
    body = reply.body ?? '';
    headers = (reply.headers ?? []).map(([k, v]) => [k.toLowerCase(), v]);
    const bodiless = status === 204 || status === 304 || status < 200; // Node's server sends no length for these
    if (!bodiless && !headers.some(([k]) => k === 'content-length')) headers.push(['content-length', String(Buffer.byteLength(body))]);
  } else {
    body = JSON.stringify(recorded);
    headers = [['content-type', 'application/json'], ['content-length', String(Buffer.byteLength(body))]];
  }
  if (!headers.some(([k]) => k === 'date')) headers.push(['date', now.toUTCString()]);
  if (!headers.some(([k]) => k === 'connection')) headers.push(['connection', 'keep-alive']); // as Node's server sends it
  return { status, headers, body };
}

export async function startEchoUpstream(opts: { host?: string; port?: number; reply?: UpstreamReply } = {}): Promise<EchoUpstream> {
  let reply: UpstreamReply | null = opts.reply ?? null;
  const requests: RecordedRequest[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const recorded: RecordedRequest = {
        method: req.method ?? 'GET',
        path: req.url ?? '/',
        headers: headerList(req),
        body: Buffer.concat(chunks).toString('utf8'),
      };
      requests.push(recorded);
      if (requests.length > 10_000) requests.shift(); // a long-running gateway must not grow without bound
      const answer = echoReply(recorded, reply);
      res.sendDate = false; // echoReply adds it, in the same place the stand-in upstream does
      res.writeHead(answer.status, answer.headers.flat());
      res.end(answer.body);
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => resolve());
  });
  const { port, address } = server.address() as AddressInfo;
  return {
    url: `http://${address}:${port}`,
    port,
    requests,
    setReply(r) { reply = r; },
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}
