// SecLang operators and transformations (assembly/seclang/{operators,transforms}, the code inside waf.wasm):
// ns per call on typical WAF inputs, each next to an anchor measured in the same run: V8 doing the same job
// natively (decodeURIComponent, toLowerCase, RegExp, ...). The wasm side loops inside the module (no JS
// call per iteration), so the numbers are the library's own cost. Rounds are interleaved and the median
// kept. `npm run bench -- waf-ops` prints the table; bench/waf.ts can include benchOperators()'s rows.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { SeclangOps } from '../assembly/seclang/operators/js/engine.ts';

const crsDir = '/work/shared/data/crs/rules';
const ROUNDS = 5;
const enc = new TextEncoder();

export interface OpBenchRow {
  /** What is measured, e.g. "t:urlDecodeUni" or "@rx 942100-like". */
  name: string;
  input: string;
  /** Nanoseconds per call in the wasm module. */
  ns: number;
  anchor: string;
  anchorNs: number;
  /** ns / anchorNs: below 1 is faster than the anchor. */
  ratio: number;
}

/** Median ns per iteration of each loop (each runs `n` iterations), rounds interleaved. */
function medianNs(loops: ((n: number) => unknown)[], n: number): number[] {
  const samples: number[][] = loops.map(() => []);
  for (const f of loops) f(Math.max(1, n >> 3)); // warm-up
  for (let r = 0; r < ROUNDS; r++) {
    loops.forEach((f, i) => {
      const t0 = process.hrtime.bigint();
      f(n);
      samples[i].push(Number(process.hrtime.bigint() - t0) / n);
    });
  }
  return samples.map((s) => s.sort((a, b) => a - b)[Math.floor(s.length / 2)]);
}

let sink = 0;

interface Case {
  name: string;
  input: string;
  wasm: (ops: SeclangOps) => (n: number) => unknown;
  anchor: string;
  js: (n: number) => unknown;
}

function transformCase(t: string, input: string, anchor: string, js: (s: string) => unknown): Case {
  return {
    name: `t:${t}`,
    input,
    wasm: (ops) => {
      const id = ops.transformId(t);
      return (n) => {
        ops.load(enc.encode(input));
        return ops.benchTransform(id, n);
      };
    },
    anchor,
    js: (n) => {
      for (let i = 0; i < n; i++) sink += (js(input) as string).length;
    },
  };
}

function operatorCase(op: string, param: string, label: string, input: string, anchor: string, js: (s: string) => boolean): Case {
  return {
    name: `@${op} ${label}`,
    input,
    wasm: (ops) => {
      const h = ops.compile(op, param);
      if (typeof h === 'string') throw new Error(`@${op}: ${h}`);
      return (n) => {
        ops.load(enc.encode(input));
        return ops.benchMatch(h, n);
      };
    },
    anchor,
    js: (n) => {
      for (let i = 0; i < n; i++) if (js(input)) sink++;
    },
  };
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function dataPhrases(file: string): string[] {
  return readFileSync(`${crsDir}/${file}`, 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
}

const QUERY = 'q=red+shoes&size=42&color=%23ff0000&page=2&sort=price_asc&ref=%2Fhome%2Fsale';
const ATTACK = "1' UNION SELECT username, password FROM users WHERE '1'='1' -- ";
const HTML = 'Tom &amp; Jerry &lt;3 &#x27;cartoons&#39; &quot;classic&quot;';
const UA = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36';
// CRS 942 family style: SQL keywords after a quote/operator (a real-world sized @rx).
const SQL_RX = "(?i)(?:\\b(?:select|union|insert|update|delete|drop)\\b[\\s\\S]{0,40}?\\b(?:from|into|table|all)\\b|'\\s*(?:or|and)\\s*'?\\d)";

function cases(): Case[] {
  const phpErrors = dataPhrases('php-errors.data');
  const phpRe = new RegExp(phpErrors.map(escapeRe).join('|'), 'i');
  const sqlRe = new RegExp(SQL_RX.slice(4), 'is');
  const allowed = new Uint8Array(256);
  for (let b = 32; b <= 126; b++) allowed[b] = 1;
  return [
    transformCase('urlDecodeUni', QUERY, 'decodeURIComponent', (s) => decodeURIComponent(s.replace(/\+/g, ' '))),
    transformCase('lowercase', UA, 'String#toLowerCase', (s) => s.toLowerCase()),
    transformCase('htmlEntityDecode', HTML, 'String#replace (5 entities)', (s) =>
      s.replace(/&(?:#x([0-9a-f]+)|#(\d+)|(amp|lt|gt|quot|nbsp));?/gi, (_m, h, d, n) =>
        h ? String.fromCharCode(parseInt(h, 16) & 255) : d ? String.fromCharCode(parseInt(d, 10) & 255) : ({ amp: '&', lt: '<', gt: '>', quot: '"', nbsp: '\xa0' } as Record<string, string>)[n.toLowerCase()])),
    transformCase('compressWhitespace', ATTACK + '   \t\t  x', 'String#replace(/\\s+/g)', (s) => s.replace(/\s+/g, ' ')),
    transformCase('removeComments', "1/**/UNION/**/SELECT/*x*/1 -- c", 'String#replace(comments)', (s) => s.replace(/\/\*[\s\S]*?\*\//g, '')),
    transformCase('cmdLine', 'C^AT /E"T"C/PA\\SS\'WD; ls -la', 'String#replace x3', (s) =>
      s.replace(/["'\\^]/g, '').replace(/[\s,;]+/g, ' ').replace(/ ([/(])/g, '$1').toLowerCase()),
    transformCase('base64Decode', Buffer.from(ATTACK).toString('base64'), "Buffer.from(base64)", (s) => Buffer.from(s, 'base64').toString('latin1')),
    transformCase('sha1', UA, 'node:crypto sha1 (native)', (s) => createHash('sha1').update(s, 'latin1').digest('hex')),
    operatorCase('rx', SQL_RX, '(SQLi, 942-style)', ATTACK, 'RegExp#test', (s) => sqlRe.test(s)),
    operatorCase('rx', SQL_RX, '(SQLi, benign UA)', UA, 'RegExp#test', (s) => sqlRe.test(s)),
    operatorCase('pm', 'gzip compress deflate br zstd', '(5 phrases)', 'gzip, deflate, br', 'String#includes x5', (s) => {
      const l = s.toLowerCase();
      return ['gzip', 'compress', 'deflate', 'br', 'zstd'].some((p) => l.includes(p));
    }),
    {
      ...operatorCase('pmFromFile', 'php-errors.data', `(php-errors.data, ${phpErrors.length} phrases, benign)`, UA, 'RegExp alternation /i', (s) => phpRe.test(s)),
      wasm: (ops) => {
        ops.putFile('php-errors.data', readFileSync(`${crsDir}/php-errors.data`, 'utf8'));
        const h = ops.compile('pmFromFile', 'php-errors.data');
        if (typeof h === 'string') throw new Error(h);
        return (n) => {
          ops.load(enc.encode(UA));
          return ops.benchMatch(h, n);
        };
      },
    },
    operatorCase('validateByteRange', '32-126', '(printable)', QUERY, 'JS loop + table', (s) => {
      for (let i = 0; i < s.length; i++) if (!allowed[s.charCodeAt(i) & 255]) return true;
      return false;
    }),
    operatorCase('within', 'GET HEAD POST OPTIONS', '(method list)', 'POST', 'String#includes', (s) => 'GET HEAD POST OPTIONS'.includes(s)),
    operatorCase('eq', '0', '(integer)', '42', 'parseInt ===', (s) => parseInt(s, 10) === 0),
  ];
}

/** Measures every case; rows in a stable order. */
export async function benchOperators(iterations = 20000): Promise<OpBenchRow[]> {
  const ops = await SeclangOps.load();
  const rows: OpBenchRow[] = [];
  for (const c of cases()) {
    const [ns, anchorNs] = medianNs([c.wasm(ops), c.js], iterations);
    rows.push({ name: c.name, input: c.input.length > 40 ? `${c.input.slice(0, 37)}...` : c.input, ns, anchor: c.anchor, anchorNs, ratio: ns / anchorNs });
  }
  return rows;
}

export function formatRows(rows: OpBenchRow[]): string {
  const lines = ['operator / transformation                      ns/call   anchor (V8, same run)                 ns/call   ratio'];
  for (const r of rows) {
    lines.push(`${r.name.padEnd(46)} ${r.ns.toFixed(0).padStart(7)}   ${r.anchor.padEnd(37).slice(0, 37)} ${r.anchorNs.toFixed(0).padStart(7)}   ${r.ratio.toFixed(2).padStart(5)}x`);
  }
  return lines.join('\n');
}

export async function run(args: string[]): Promise<void> {
  const n = Number(args[0] ?? 20000);
  console.log(formatRows(await benchOperators(n)));
  if (sink === -1) console.log(sink);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await run(process.argv.slice(2));
