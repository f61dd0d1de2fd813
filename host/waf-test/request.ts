// A stage's input → the exact bytes go-ftw 2.x writes on the socket (ftwhttp BuildRequest): the request
// line as written, headers in go-ftw's order, and — with autocomplete_headers — a default form content
// type, url-encoding of a not-yet-encoded form body, `Connection: close` and `Content-Length`. Multipart
// bodies get LF → CRLF whatever the setting.
import type { StageInput } from './ftw-test.ts';
import { queryEscape, queryUnescape } from './go-url.ts';

export type BuiltRequest = { ok: true; bytes: Uint8Array } | { ok: false; error: string };

const enc = new TextEncoder();

/** textproto.CanonicalMIMEHeaderKey, enough to compare names as go-ftw's Header does. */
export function canonicalKey(name: string): string {
  if (!/^[A-Za-z0-9!#$%&'*+\-.^_`|~]+$/.test(name)) return name; // Go leaves invalid names unchanged
  return name.toLowerCase().replace(/(^|-)([a-z])/g, (_m, sep: string, c: string) => sep + c.toUpperCase());
}

class Headers {
  constructor(readonly entries: [string, string][]) {}
  has(name: string): boolean {
    const k = canonicalKey(name);
    return this.entries.some(([n]) => canonicalKey(n) === k);
  }
  values(name: string): string[] {
    const k = canonicalKey(name);
    return this.entries.filter(([n]) => canonicalKey(n) === k).map(([, v]) => v);
  }
  add(name: string, value: string): void { this.entries.push([name, value]); }
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) { out.set(p, o); o += p.length; }
  return out;
}

/** encodeDataParameters: only a body that url-decoding leaves unchanged is split on & and = and escaped. */
export function encodeFormBody(data: Uint8Array): Uint8Array {
  const unescaped = queryUnescape(data);
  if (unescaped === null || !equalBytes(unescaped, data)) return data;
  const out: Uint8Array[] = [];
  let rest = data;
  while (rest.length > 0) {
    const amp = rest.indexOf(0x26);
    const token = amp < 0 ? rest : rest.subarray(0, amp);
    rest = amp < 0 ? new Uint8Array(0) : rest.subarray(amp + 1);
    const eq = token.indexOf(0x3d);
    if (eq < 0) out.push(queryEscape(token));
    else out.push(queryEscape(token.subarray(0, eq)), Uint8Array.of(0x3d), queryEscape(token.subarray(eq + 1)));
    out.push(Uint8Array.of(0x26));
  }
  return concat(out).subarray(0, -1); // go-ftw strips the last '&' (so a trailing '&' in the test is lost too)
}

function replaceLfWithCrlf(b: Uint8Array): Uint8Array {
  const out: number[] = [];
  for (const c of b) {
    if (c === 0x0a) out.push(0x0d);
    out.push(c);
  }
  return Uint8Array.from(out);
}

/** Go's regexp `^POST|PUT|PATCH|DELETE$`: alternation binds loosest, so e.g. any method containing PUT matches. */
const methodsWithBody = /^POST|PUT|PATCH|DELETE$/;

function decodeBase64(s: string, field: string): Uint8Array | string {
  // Go's StdEncoding: strict alphabet and padding; it skips CR and LF.
  const clean = s.replace(/[\r\n]/g, '');
  if (!/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(clean)) return `${field} is not valid base64`;
  return new Uint8Array(Buffer.from(clean, 'base64'));
}

export function buildRequest(input: StageInput): BuiltRequest {
  if (input.encodedRequest) {
    const raw = decodeBase64(input.encodedRequest, 'encoded_request');
    return typeof raw === 'string' ? { ok: false, error: raw } : { ok: true, bytes: raw };
  }
  let data: Uint8Array = new Uint8Array(0);
  if (input.data !== null) data = enc.encode(input.data);
  else if (input.templateError === null && input.encodedData !== null) {
    const d = decodeBase64(input.encodedData, 'encoded_data');
    if (typeof d === 'string') return { ok: false, error: d };
    data = d;
  }
  const headers = new Headers(input.headers.map(([k, v]) => [k, v]));
  if (data.length > 0 && input.autocompleteHeaders) {
    if (!headers.has('Content-Type')) headers.add('Content-Type', 'application/x-www-form-urlencoded');
    if (headers.values('Content-Type').some((v) => v.toLowerCase() === 'application/x-www-form-urlencoded')) data = encodeFormBody(data);
  }
  if (headers.values('Content-Type').some((v) => v.toLowerCase().includes('multipart/form-data;'))) data = replaceLfWithCrlf(data);
  if (input.autocompleteHeaders) {
    if (!headers.has('Connection')) headers.add('Connection', 'close');
    if (!headers.has('Content-Length') && (data.length > 0 || methodsWithBody.test(input.method))) headers.add('Content-Length', String(data.length));
  }
  const head = `${input.method} ${input.uri} ${input.version}\r\n${headers.entries.map(([k, v]) => `${k}: ${v}\r\n`).join('')}\r\n`;
  return { ok: true, bytes: concat([enc.encode(head), data]) };
}
