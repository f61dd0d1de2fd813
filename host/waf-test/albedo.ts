// An albedo-like backend (the one upstream CRS CI puts behind the WAF): 200 with an empty body for any
// request, except `POST /reflect`, whose JSON body describes the exact response to send back — that is how
// the RESPONSE-95x tests put a leaky response in front of the response-phase rules.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Albedo {
  url: string;
  close(): Promise<void>;
}

/** The JSON `POST /reflect` accepts; `encodedBody` (base64) wins over `body`. */
interface ReflectSpec {
  status?: number;
  headers?: Record<string, string>;
  body?: string;
  encodedBody?: string;
}

/** Parses a /reflect body; a bad spec is a message, answered with 400 (albedo answers bad JSON alike). */
export function parseReflectSpec(text: string): ReflectSpec | string {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    return `invalid JSON: ${(e as Error).message}`;
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return 'expected a JSON object';
  const o = v as Record<string, unknown>;
  if (o.status !== undefined && (typeof o.status !== 'number' || !Number.isInteger(o.status) || o.status < 100 || o.status > 999)) return '"status" must be an integer 100..999';
  if (o.headers !== undefined) {
    if (typeof o.headers !== 'object' || o.headers === null || Array.isArray(o.headers)) return '"headers" must be an object of strings';
    for (const [k, h] of Object.entries(o.headers)) if (typeof h !== 'string') return `"headers.${k}" must be a string`;
  }
  if (o.body !== undefined && typeof o.body !== 'string') return '"body" must be a string';
  if (o.encodedBody !== undefined && typeof o.encodedBody !== 'string') return '"encodedBody" must be a base64 string';
  return o as ReflectSpec;
}

/** The HTML tags Go's http.DetectContentType recognises at the start of a body. */
const htmlTags = ['<!DOCTYPE HTML', '<HTML', '<HEAD', '<SCRIPT', '<IFRAME', '<H1', '<DIV', '<FONT', '<TABLE', '<A', '<STYLE', '<TITLE', '<B', '<BODY', '<BR', '<P', '<!--'];

/**
 * albedo is a Go server: a reflected response without Content-Type gets Go's sniffed type, and the WAF's
 * response-body rules depend on it (SecResponseBodyMimeType). The common cases of DetectContentType.
 */
export function sniffContentType(body: Buffer): string {
  const head = body.subarray(0, 512);
  let i = 0;
  while (i < head.length && (head[i] === 0x09 || head[i] === 0x0a || head[i] === 0x0c || head[i] === 0x0d || head[i] === 0x20)) i++;
  const rest = head.subarray(i).toString('latin1');
  const upper = rest.toUpperCase();
  for (const tag of htmlTags) {
    if (!upper.startsWith(tag)) continue;
    const next = rest.charCodeAt(tag.length);
    if (next === 0x20 || next === 0x3e) return 'text/html; charset=utf-8';
  }
  if (rest.startsWith('<?xml')) return 'text/xml; charset=utf-8';
  if (head.subarray(0, 5).toString('latin1') === '%PDF-') return 'application/pdf';
  for (const b of head) if (b <= 0x08 || b === 0x0b || (b >= 0x0e && b <= 0x1a) || (b >= 0x1c && b <= 0x1f)) return 'application/octet-stream';
  return 'text/plain; charset=utf-8';
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of req as AsyncIterable<Buffer>) chunks.push(c);
  return Buffer.concat(chunks);
}

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const body = await readBody(req);
  const path = (req.url ?? '/').split('?')[0];
  if (req.method === 'POST' && path === '/reflect') {
    const spec = parseReflectSpec(body.toString('utf8'));
    if (typeof spec === 'string') {
      res.writeHead(400, { 'content-type': 'text/plain', 'content-length': Buffer.byteLength(spec) });
      res.end(spec);
      return;
    }
    const out = spec.encodedBody !== undefined ? Buffer.from(spec.encodedBody, 'base64') : Buffer.from(spec.body ?? '', 'utf8');
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(spec.headers ?? {})) if (k.toLowerCase() !== 'content-length') headers[k] = v;
    headers['content-length'] = String(out.length);
    if (out.length > 0 && !Object.keys(headers).some((k) => k.toLowerCase() === 'content-type')) headers['content-type'] = sniffContentType(out);
    try {
      res.writeHead(spec.status ?? 200, headers);
    } catch (e) {
      // Node refuses header names/values that cannot go on the wire; say so rather than crash.
      const msg = `cannot send the reflected headers: ${(e as Error).message}`;
      res.writeHead(400, { 'content-type': 'text/plain', 'content-length': Buffer.byteLength(msg) });
      res.end(msg);
      return;
    }
    res.end(out);
    return;
  }
  res.writeHead(200, { 'content-length': '0' });
  res.end();
}

export async function startAlbedo(): Promise<Albedo> {
  const server = createServer((req, res) => {
    handle(req, res).catch(() => { if (!res.headersSent) res.writeHead(500); res.end(); });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => { server.off('error', reject); resolve(); });
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}
