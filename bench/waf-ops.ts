// SecLang operators and transformations (assembly/seclang/{operators,transforms}, the code inside waf.wasm):
// ns per call on typical WAF inputs, each next to an anchor measured in the same run: V8 doing the same job
// natively (decodeURIComponent, toLowerCase, RegExp, ...). The wasm side loops inside the module (no JS
// call per iteration), so the numbers are the library's own cost. Rounds are interleaved and the median
// kept. `npm run bench -- waf-ops` prints the table; bench/waf.ts can include benchOperators()'s rows.
// A second section builds every `@pm`/`@pmFromFile` of the CRS in the plugins' `minimal` runtime (no
// collection while it runs, as in the plugin's onConfigure): milliseconds, linear-memory growth and the
// bytes the matchers keep, next to V8 building a Map trie of the same phrases. `--baseline DIR` measures an
// older tree (e.g. a checkout with this js/engine.ts copied in) in the same run, for before/after ratios.
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SeclangOps, type Runtime } from '../assembly/seclang/operators/js/engine.ts';

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
  /** The wasm loop, or null when the module measured (an older baseline) lacks what the case needs. */
  wasm: (ops: SeclangOps) => ((n: number) => unknown) | null;
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
// crs-setup.conf.example's default tx.restricted_headers_basic.
const RESTRICTED = '/content-encoding/ /proxy/ /lock-token/ /content-range/ /if/ /x-http-method-override/ /x-http-method/ /x-method-override/ /x-middleware-subrequest/ /expect/';
const UA = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36';
// CRS 942 family style: SQL keywords after a quote/operator (a real-world sized @rx).
const SQL_RX = "(?i)(?:\\b(?:select|union|insert|update|delete|drop)\\b[\\s\\S]{0,40}?\\b(?:from|into|table|all)\\b|'\\s*(?:or|and)\\s*'?\\d)";

function cases(): Case[] {
  const phpErrors = dataPhrases('php-errors.data');
  const phpRe = new RegExp(phpErrors.map(escapeRe).join('|'), 'i');
  const lfiRe = new RegExp(dataPhrases('lfi-os-files.data').map(escapeRe).join('|'), 'i');
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
    {
      // 920450: each request header name against the expanded tx.restricted_headers_basic list.
      ...operatorCase('within', '%{tx.restricted_headers_basic}', '(macro, 920450-like)', '/accept-language/', 'String#includes', (s) => RESTRICTED.includes(s)),
      wasm: (ops) => {
        const h = ops.compile('within', '%{tx.restricted_headers_basic}');
        if (typeof h === 'string') throw new Error(h);
        ops.load(enc.encode('/accept-language/'));
        if (ops.benchMatchExpanded(h, RESTRICTED, 1) === null) return null;
        return (n) => {
          ops.load(enc.encode('/accept-language/'));
          return ops.benchMatchExpanded(h, RESTRICTED, n);
        };
      },
    },
    {
      ...operatorCase('pmFromFile', 'lfi-os-files.data', '(lfi-os-files.data, benign path)', '/products/list', 'RegExp alternation /i', (s) => lfiRe.test(s)),
      wasm: (ops) => {
        ops.putFile('lfi-os-files.data', readFileSync(`${crsDir}/lfi-os-files.data`, 'utf8'));
        const h = ops.compile('pmFromFile', 'lfi-os-files.data');
        if (typeof h === 'string') throw new Error(h);
        return (n) => {
          ops.load(enc.encode('/products/list'));
          return ops.benchMatch(h, n);
        };
      },
    },
  ];
}

/** Measures every case; rows in a stable order. */
export async function benchOperators(iterations = 20000, load: () => Promise<SeclangOps> = () => SeclangOps.load()): Promise<OpBenchRow[]> {
  const ops = await load();
  const rows: OpBenchRow[] = [];
  for (const c of cases()) {
    const w = c.wasm(ops);
    if (w === null) continue;
    const [ns, anchorNs] = medianNs([w, c.js], iterations);
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

/** Every `@pm` / `@pmFromFile` of the CRS rules: [operator, parameter]. */
export function crsPmOperators(): [string, string][] {
  const out: [string, string][] = [];
  for (const f of readdirSync(crsDir).filter((n) => n.endsWith('.conf')).sort()) {
    for (const m of readFileSync(join(crsDir, f), 'utf8').matchAll(/"!?@(pm|pmFromFile|pmf) ([^"]*)"/g)) out.push([m[1], m[2]]);
  }
  return out;
}

export interface PmBuildStats {
  label: string;
  operators: number;
  /** CPU ms of the first build in a fresh instance (V8's tier-up included, as in a plugin's onConfigure). */
  coldMs: number;
  /** Median of later builds (collected in between). */
  warmMs: number;
  /** The anchor: V8 building a Map trie of the same phrases, median ms per pass, same run. */
  anchorMs: number;
  /** Linear memory growth over the cold build with no collection (what the plugin's onConfigure sees). */
  growthNoGc: number;
  /** Linear memory growth when collecting after each operator (≈ kept bytes + one build's scratch). */
  growthGc: number;
  /** Payload bytes the matchers keep, when the build can tell. */
  kept: number | null;
}

type Loader = (runtime: Runtime) => Promise<SeclangOps>;

/** CPU time of this process in ms: on a shared machine it moves much less than wall time. */
function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

function putCrsFiles(ops: SeclangOps): void {
  for (const f of readdirSync(crsDir).filter((n) => n.endsWith('.data'))) ops.putFile(f, readFileSync(join(crsDir, f), 'utf8'));
}

function compileAll(ops: SeclangOps, list: [string, string][], collectEach = false): number[] {
  return list.map(([name, param]) => {
    const h = ops.compile(name, param);
    if (typeof h === 'string') throw new Error(`@${name} ${param}: ${h}`);
    if (collectEach) ops.collect();
    return h;
  });
}

/** The anchor: a JS trie (Map per node) of the case-folded phrases of every operator. */
function jsTrie(list: [string, string][], texts: Map<string, string>): number {
  let nodes = 0;
  for (const [name, param] of list) {
    const phrases = name === 'pm' ? param.split(/\s+/) : param.split(' ').flatMap((f) => (texts.get(f) ?? '').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#')));
    const root = new Map<number, unknown>();
    for (const p of phrases) {
      let node = root;
      const low = p.toLowerCase();
      for (let i = 0; i < low.length; i++) {
        const c = low.charCodeAt(i);
        let next = node.get(c) as Map<number, unknown> | undefined;
        if (!next) {
          next = new Map();
          node.set(c, next);
          nodes++;
        }
        node = next;
      }
    }
  }
  return nodes;
}

export async function benchPmConstruction(label: string, load: Loader, passes = 9): Promise<PmBuildStats> {
  const list = crsPmOperators();
  const texts = new Map(readdirSync(crsDir).filter((n) => n.endsWith('.data')).map((f) => [f, readFileSync(join(crsDir, f), 'utf8')]));
  // Cold, no collection: a fresh instance, as the plugin's onConfigure runs it.
  const cold = await load('minimal');
  putCrsFiles(cold);
  cold.collect();
  const m0 = cold.memoryBytes();
  let t = cpuMs();
  const handles = compileAll(cold, list);
  const coldMs = cpuMs() - t;
  const growthNoGc = cold.memoryBytes() - m0;
  const sizes = handles.map((h) => cold.pmMemoryBytes(h));
  const kept = sizes.every((n) => n !== null) ? sizes.reduce((a, b) => a! + b!, 0) : null;
  // Collected after each operator: growth ≈ what stays.
  const gc = await load('minimal');
  putCrsFiles(gc);
  gc.collect();
  const g0 = gc.memoryBytes();
  compileAll(gc, list, true);
  const growthGc = gc.memoryBytes() - g0;
  // Warm: interleaved with the anchor, medians.
  const warm: number[] = [];
  const anchor: number[] = [];
  for (let r = 0; r < passes; r++) {
    cold.collect();
    t = cpuMs();
    compileAll(cold, list);
    warm.push(cpuMs() - t);
    t = cpuMs();
    sink += jsTrie(list, texts);
    anchor.push(cpuMs() - t);
  }
  const med = (a: number[]): number => a.sort((x, y) => x - y)[Math.floor(a.length / 2)];
  return { label, operators: list.length, coldMs, warmMs: med(warm), anchorMs: med(anchor), growthNoGc, growthGc, kept };
}

export function formatPmStats(rows: PmBuildStats[]): string {
  const mib = (n: number): string => (n / 1048576).toFixed(2).padStart(7);
  const lines = [
    `CRS @pm/@pmFromFile construction (${rows[0]?.operators ?? 0} operators, minimal runtime)`,
    'build          cold ms  warm ms  anchor ms  warm/anchor  growth no-GC MiB  growth GC MiB  kept MiB',
  ];
  for (const r of rows) {
    lines.push(
      `${r.label.padEnd(13)} ${r.coldMs.toFixed(1).padStart(8)} ${r.warmMs.toFixed(1).padStart(8)} ${r.anchorMs.toFixed(1).padStart(10)} ` +
        `${(r.warmMs / r.anchorMs).toFixed(2).padStart(11)}x ${mib(r.growthNoGc).padStart(17)} ${mib(r.growthGc).padStart(14)} ${r.kept === null ? '      n/a' : mib(r.kept).padStart(9)}`,
    );
  }
  if (rows.length === 2) {
    const [a, b] = rows;
    lines.push(`${b.label} / ${a.label}: warm/anchor ${((b.warmMs / b.anchorMs) / (a.warmMs / a.anchorMs)).toFixed(2)}x, cold ${(b.coldMs / a.coldMs).toFixed(2)}x, growth no-GC ${(b.growthNoGc / a.growthNoGc).toFixed(2)}x`);
  }
  return lines.join('\n');
}

export async function run(args: string[]): Promise<void> {
  const bi = args.indexOf('--baseline');
  const baseline = bi >= 0 ? args[bi + 1] : undefined;
  const rest = bi >= 0 ? args.filter((_, i) => i !== bi && i !== bi + 1) : args;
  const section = rest.find((a) => a === 'ops' || a === 'pm');
  const n = Number(rest.find((a) => /^\d+$/.test(a)) ?? 20000);
  const base = baseline ? ((await import(join(baseline, 'assembly/seclang/operators/js/engine.ts'))) as { SeclangOps: typeof SeclangOps }).SeclangOps : null;
  if (section !== 'pm') {
    if (base) console.log(`baseline (${baseline}):\n${formatRows(await benchOperators(n, () => base.load()))}\n\nthis tree:`);
    console.log(formatRows(await benchOperators(n)));
  }
  if (section !== 'ops') {
    const rows: PmBuildStats[] = [];
    if (base) rows.push(await benchPmConstruction('baseline', (rt) => base.load(rt)));
    rows.push(await benchPmConstruction('this tree', (rt) => SeclangOps.load(rt)));
    console.log(`\n${formatPmStats(rows)}`);
  }
  if (sink === -1) console.log(sink);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await run(process.argv.slice(2));
