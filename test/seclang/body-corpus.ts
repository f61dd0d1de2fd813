// Request bodies for the body-processor tests: the bodies of the CRS regression tests (with their
// content types) and seeded random bodies of every kind, valid and broken.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { Proc } from './body-wasm.ts';

export const CRS_TESTS = '/work/shared/data/crs/tests';

export interface BodyCase {
  label: string;
  proc: Proc;
  contentType: string;
  body: Uint8Array;
}

/** The processor Coraza's recommended config (and the engine) picks for a content type, or null. */
export function procFor(contentType: string): Proc | null {
  const ct = contentType.toLowerCase().trim();
  if (ct.startsWith('multipart/form-data')) return 'multipart';
  if (ct.startsWith('application/x-www-form-urlencoded')) return 'urlencoded';
  if (/^application\/(?:[a-z0-9.+-]*\+)?json/.test(ct)) return 'json';
  if (/^(?:application|text)\/(?:[a-z0-9.+-]*\+)?xml/.test(ct)) return 'xml';
  return null;
}

function walk(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...walk(p));
    else if (/\.ya?ml$/.test(name)) out.push(p);
  }
  return out;
}

// `encoded_request` is a whole HTTP/1.1 request in base64: split its headers from its body.
function splitRaw(raw: Buffer): { headers: Record<string, string>; body: Buffer } {
  const end = raw.indexOf('\r\n\r\n');
  const head = (end < 0 ? raw : raw.subarray(0, end)).toString('latin1').split('\r\n').slice(1);
  const headers: Record<string, string> = {};
  for (const line of head) {
    const i = line.indexOf(':');
    if (i > 0) headers[line.slice(0, i)] = line.slice(i + 1).trim();
  }
  return { headers, body: end < 0 ? Buffer.alloc(0) : raw.subarray(end + 4) };
}

interface StageInput {
  headers?: Record<string, unknown>;
  data?: unknown;
  encoded_request?: string;
}

/** Every CRS test stage with a body and a content type one of the processors handles. */
export function crsBodies(dir = CRS_TESTS): BodyCase[] {
  const out: BodyCase[] = [];
  for (const file of walk(dir)) {
    const doc = parseYaml(readFileSync(file, 'utf8')) as { tests?: { test_id?: number; stages?: { input?: StageInput }[] }[] };
    for (const t of doc?.tests ?? []) {
      (t.stages ?? []).forEach((s, i) => {
        const input = s.input ?? {};
        let headers: Record<string, unknown> = input.headers ?? {};
        let body: Buffer | null = null;
        if (typeof input.data === 'string') body = Buffer.from(input.data, 'utf8');
        else if (typeof input.encoded_request === 'string') {
          const raw = splitRaw(Buffer.from(input.encoded_request, 'base64'));
          headers = raw.headers;
          body = raw.body;
        }
        if (body === null) return;
        const ctKey = Object.keys(headers).find((k) => k.toLowerCase() === 'content-type');
        const contentType = ctKey === undefined ? '' : String(headers[ctKey]);
        const proc = procFor(contentType);
        if (proc === null) return;
        const label = `${file.slice(dir.length + 1)}#${t.test_id ?? '?'}.${i}`;
        out.push({ label, proc, contentType, body: new Uint8Array(body) });
        // go-ftw sends `data` as written (LF lines); browsers send multipart with CRLF: try both.
        if (proc === 'multipart' && !body.includes('\r\n')) {
          const crlf = Buffer.from(body.toString('latin1').replace(/\n/g, '\r\n'), 'latin1');
          out.push({ label: label + ' (CRLF)', proc, contentType, body: new Uint8Array(crlf) });
        }
      });
    }
  }
  return out;
}

/** A small deterministic PRNG (mulberry32), so every run generates the same bodies. */
export class Rand {
  constructor(private s: number) {}
  next(): number {
    this.s = (this.s + 0x6d2b79f5) | 0;
    let t = this.s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)];
  }
}

const WORDS = ['a', 'id', 'name', 'x.y', 'select', "' or 1=1--", '<script>', 'héllo', '日本', '../etc/passwd', '', ' sp ', 'a&b', 'c=d', '%', '+'];

function randText(r: Rand, max = 12): string {
  let s = '';
  const n = r.int(max);
  for (let i = 0; i < n; i++) {
    const k = r.int(10);
    if (k < 6) s += String.fromCharCode(0x61 + r.int(26));
    else if (k < 8) s += r.pick(WORDS);
    else s += r.pick([' ', '"', '\\', '/', '\n', '\t', 'é', '€', '😀', '&', '<', '>', "'", ';', '=', '%41', '%zz']);
  }
  return s;
}

function jsonValue(r: Rand, depth: number): unknown {
  const k = r.int(depth > 3 ? 5 : 8);
  if (k === 0) return randText(r);
  if (k === 1) return r.pick([0, -1, 1.5, 1e21, 123456789012, -0.25, 3]);
  if (k === 2) return r.pick([true, false, null]);
  if (k === 3) return randText(r, 30);
  if (k === 4) return r.int(1000);
  if (k <= 5) {
    const a: unknown[] = [];
    for (let i = r.int(4); i > 0; i--) a.push(jsonValue(r, depth + 1));
    return a;
  }
  const o: Record<string, unknown> = {};
  for (let i = r.int(5); i > 0; i--) o[randText(r, 6)] = jsonValue(r, depth + 1);
  return o;
}

/** JSON documents: valid ones (with \u escapes, unicode, odd keys), then broken variants. */
export function generatedJson(count: number, seed = 1): BodyCase[] {
  const r = new Rand(seed);
  const out: BodyCase[] = [];
  for (let i = 0; i < count; i++) {
    let text = JSON.stringify(jsonValue(r, 0), null, r.int(2) ? 0 : 1);
    // Escape some non-ASCII so \u sequences (and surrogate pairs) are exercised.
    if (r.int(3) === 0) text = text.replace(/[^\x00-\x7f]/g, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'));
    if (r.int(4) === 0) {
      const cut = r.int(text.length + 1);
      const variant = r.int(4);
      if (variant === 0) text = text.slice(0, cut);
      else if (variant === 1) text = text.slice(0, cut) + r.pick([',', '}', ']', '"', ':', 'x', '\u0001']) + text.slice(cut);
      else if (variant === 2) text = text + r.pick([',', ' x', '}', ']']);
      else text = '[' + text + ',]';
    }
    out.push({ label: `json#${i}`, proc: 'json', contentType: 'application/json', body: Buffer.from(text, 'utf8') });
  }
  return out;
}

/** Form bodies with every separator, escape and odd byte the decoder must handle. */
export function generatedUrlencoded(count: number, seed = 2): BodyCase[] {
  const r = new Rand(seed);
  const out: BodyCase[] = [];
  const pieces = ['a', '=', '&', '&&', '+', '%', '%4', '%41', '%e9', '%zz', '%%', '==', 'x', 'é', '\u0000', ';', ' ', '%2B', '%26', '%3D'];
  for (let i = 0; i < count; i++) {
    let s = '';
    for (let n = r.int(20); n > 0; n--) s += r.next() < 0.6 ? r.pick(pieces) : randText(r, 4);
    out.push({ label: `form#${i}`, proc: 'urlencoded', contentType: 'application/x-www-form-urlencoded', body: Buffer.from(s, 'utf8') });
  }
  return out;
}

function xmlText(r: Rand): string {
  return randText(r, 10).replace(/[<&]/g, (c) => (c === '<' ? '&lt;' : '&amp;')).replace(/\]\]>/g, '');
}

function xmlElement(r: Rand, depth: number): string {
  const name = r.pick(['a', 'b', 'x:y', 'item', 'soap:Body', '_z', 'n1.2-3']);
  let attrs = '';
  for (let i = r.int(3); i > 0; i--) {
    const q = r.pick(['"', "'"]);
    attrs += ` ${r.pick(['id', 'href', 'xmlns:x', 'k' + i])}${r.pick(['=', ' = '])}${q}${xmlText(r).replace(new RegExp(q, 'g'), q === '"' ? '&quot;' : '&apos;')}${q}`;
  }
  if (depth > 3 || r.int(4) === 0) return `<${name}${attrs}/>`;
  let body = '';
  for (let i = r.int(4); i > 0; i--) {
    const k = r.int(8);
    if (k < 3) body += xmlText(r);
    else if (k < 5) body += xmlElement(r, depth + 1);
    else if (k === 5) body += `<![CDATA[${randText(r, 8).replace(/\]\]>/g, '')}]]>`;
    else if (k === 6) body += `<!--${randText(r, 5).replace(/--/g, '')}-->`;
    else body += r.pick(['&#65;', '&#x263A;', '&quot;', '&apos;', '&gt;', '\r\n', ' \t ']);
  }
  return `<${name}${attrs}>${body}</${name}>`;
}

/** XML documents: well-formed ones (prolog, comments, CDATA, references), some cut short or broken. */
export function generatedXml(count: number, seed = 3): BodyCase[] {
  const r = new Rand(seed);
  const out: BodyCase[] = [];
  for (let i = 0; i < count; i++) {
    let doc = (r.int(2) ? '<?xml version="1.0" encoding="UTF-8"?>\n' : '') + xmlElement(r, 0) + (r.int(3) ? '' : '\n<!-- end -->\n');
    if (r.int(5) === 0) {
      const cut = r.int(doc.length + 1);
      doc = r.int(2) ? doc.slice(0, cut) : doc.slice(0, cut) + r.pick(['<', '</q>', '&', '<a', '"']) + doc.slice(cut);
    }
    out.push({ label: `xml#${i}`, proc: 'xml', contentType: 'application/xml', body: Buffer.from(doc, 'utf8') });
  }
  return out;
}

/** multipart/form-data bodies built part by part, with CRLF or LF, files, odd names and contents. */
export function generatedMultipart(count: number, seed = 4): BodyCase[] {
  const r = new Rand(seed);
  const out: BodyCase[] = [];
  for (let i = 0; i < count; i++) {
    const boundary = r.pick(['xx', '----WebKitFormBoundary7MA4YWxkTrZu0gW', '---------------------------265001916915724', 'b0undary', 'a-b_c.d']);
    const nl = r.int(4) === 0 ? '\n' : '\r\n';
    const parts: Buffer[] = [];
    if (r.int(6) === 0) parts.push(Buffer.from('preamble' + nl));
    for (let p = 1 + r.int(4); p > 0; p--) {
      const name = r.pick(['f', 'field', 'a b', '_charset_', 'n.x', 'upload', 'x[]', 'é']);
      const isFile = r.int(3) === 0;
      const filename = r.pick(['a.txt', 'shell.php', 'x y.jpg', '..%2f..%2fpasswd', 'ü.png']);
      let cd = `form-data; name="${name}"` + (isFile ? `; filename="${filename}"` : '');
      if (r.int(8) === 0) cd = `form-data; name=${name.replace(/[^a-z_]/g, '') || 'n'}`;
      const headers = [`Content-Disposition: ${cd}`];
      if (isFile || r.int(4) === 0) headers.push(`Content-Type: ${r.pick(['text/plain', 'application/octet-stream', 'text/plain; charset=utf-8'])}`);
      if (r.int(3) === 0) headers.reverse();
      let content: Buffer;
      const kind = r.int(5);
      if (kind === 0) content = Buffer.alloc(0);
      else if (kind === 1) content = Buffer.from(Array.from({ length: r.int(64) }, () => r.int(256)));
      else content = Buffer.from(randText(r, 20), 'utf8');
      // Content must not contain the delimiter (a random byte run never does for these boundaries).
      parts.push(Buffer.from(`--${boundary}${nl}${headers.join(nl)}${nl}${nl}`, 'latin1'), content, Buffer.from(nl));
    }
    parts.push(Buffer.from(`--${boundary}--${nl}`));
    let body = Buffer.concat(parts);
    if (r.int(6) === 0) body = body.subarray(0, r.int(body.length + 1));
    const ct = r.int(5) === 0 ? `multipart/form-data; boundary="${boundary}"` : `multipart/form-data; boundary=${boundary}`;
    out.push({ label: `multipart#${i}`, proc: 'multipart', contentType: ct, body: new Uint8Array(body) });
  }
  return out;
}
