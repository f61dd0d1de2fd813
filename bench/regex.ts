// `npm run bench -- regex`: the AssemblyScript regex engine (regex.wasm, the code plugins embed) against
// native RE2 (npm `re2`, what Envoy uses) and V8's irregexp, on the OWASP CRS @rx patterns and on
// typical header/path patterns, in the same process. Engines are timed in interleaved rounds and the
// median round is kept, so machine-load drift hits all of them alike. Prints ratios against RE2.
// `-- --baseline OLD.wasm` runs the rows with an older build; `-- --compile` is the CRS compile-cost section.
// (Not `--wasm`: assemblyscript/asc, which this suite imports, reads `--wasm FILE` from process.argv and
// imports FILE as its own compiler.)
import { readFileSync } from 'node:fs';
import { RegexEngine } from '../assembly/regex/js/engine.ts';
import { crsPatterns, crsTestInputs } from '../test/regex/crs-corpus.ts';
import { GENERIC_INPUTS } from '../test/regex/cases.ts';
import { re2, re2LoadError, type Re2Regex } from '../test/regex/reference.ts';

type Op = () => unknown;
const ROUNDS = 5;
const enc = new TextEncoder();

function timeOnce(op: Op): number {
  const t0 = performance.now();
  op();
  return performance.now() - t0;
}

/** Median ms per run of each op, rounds interleaved. */
function timeAll(ops: (Op | null)[]): (number | null)[] {
  const samples: number[][] = ops.map(() => []);
  for (const op of ops) if (op) op(); // warm-up (JIT tiers, caches)
  for (let r = 0; r < ROUNDS; r++) {
    ops.forEach((op, i) => {
      if (op) samples[i].push(timeOnce(op));
    });
  }
  return samples.map((s, i) => (ops[i] ? s.sort((a, b) => a - b)[Math.floor(s.length / 2)] : null));
}

/** JS RegExp equivalent of an RE2 pattern, or null where irregexp's syntax differs. */
function toJsRegExp(pattern: string): RegExp | null {
  let flags = '';
  let src = pattern;
  const m = /^\(\?([ims]+)\)/.exec(src);
  if (m) {
    flags = m[1].replace('m', 'm');
    src = src.slice(m[0].length);
  }
  // Inline flag groups, \z, possessive/RE2-only forms: not expressible; skip those patterns.
  if (/\(\?[imsU-]+[:)]|\\z|\\A|\\Q|\\p\{|\[\[:/.test(src)) return null;
  try {
    return new RegExp(src, flags);
  } catch {
    return null;
  }
}

/** As the WAF's @rx compiles a rule's pattern: non-ASCII characters become their UTF-8 bytes. */
function bytePattern(p: string): string {
  return [...p].map((ch) => (ch.charCodeAt(0) < 0x80 ? ch : [...enc.encode(ch)].map((b) => `\\x{${b.toString(16).padStart(2, '0')}}`).join(''))).join('');
}

/** Values of a benign GET and form, as the WAF's rules see them (headers, cookies, path, arguments). */
const BENIGN_VALUES = [
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36',
  'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8',
  'en-US,en;q=0.9', 'gzip, deflate, br', 'session=3f9a1c7e5b2d4f60; theme=dark', '3f9a1c7e5b2d4f60', 'dark', 'session',
  '/products/list', '/products/list?category=shoes&page=2', 'shoes', '2', 'category', 'shop.example.com',
  'some ordinary text value number 12', 'field12', 'john.smith@example.com',
];

interface Row {
  name: string;
  pairs: number;
  ms: (number | null)[];
  target?: string;
}

function fmt(x: number | null, base: number | null): string {
  if (x === null || base === null) return '—';
  return `${(x / base).toFixed(2)}×`;
}

const MiB = 1 << 20;
// The WAF compiles @rx in bytes mode with DOTALL (assembly/seclang/operators/rx.ts); no CRS @rx pattern
// has a non-ASCII character, so the plain pattern text is what the WAF compiles.
const WAF_FLAGS = 'sb';

interface CompileCost {
  ms: number;
  /** Heap in use after compiling everything with no collection: a WAF's onConfigure (minimal runtime). */
  peakMiB: number;
  /** Heap the compiled set keeps (after a collection). */
  retainedMiB: number;
  /** Kept after every pattern then ran isMatch and captures once (lazily built matcher state). */
  afterMatchMiB: number;
  /** Linear memory after the uncollected compile (grows in doublings). */
  memoryMiB: number;
}

/** Compiles every CRS @rx pattern as the WAF does, in a fresh instance of a minimal-runtime build. */
async function compileCost(binary: Uint8Array, patterns: string[]): Promise<CompileCost> {
  const e = await RegexEngine.fromBinary(binary);
  const base = e.heapUsed();
  const handles: number[] = [];
  const t0 = performance.now();
  for (const p of patterns) {
    const h = e.compile(p, WAF_FLAGS);
    if (typeof h !== 'number') throw new Error(`compile failed: ${h}: ${p.slice(0, 60)}`);
    handles.push(h);
  }
  const ms = performance.now() - t0;
  const peakMiB = (e.heapUsed() - base) / MiB;
  const memoryMiB = e.memoryBytes() / MiB;
  e.collect();
  const retainedMiB = (e.heapUsed() - base) / MiB;
  const input = enc.encode('GET /index.html?q=hello+world&lang=en Mozilla/5.0 (X11; Linux x86_64)');
  for (const h of handles) {
    e.isMatch(h, input);
    e.exec(h, input);
  }
  e.collect();
  return { ms, peakMiB, retainedMiB, afterMatchMiB: (e.heapUsed() - base) / MiB, memoryMiB };
}

/**
 * `npm run bench -- regex --compile [--baseline OLD.wasm]`: compile time and linear memory for the CRS
 * set, optionally against an older minimal-runtime build of the engine measured in the same run.
 */
async function compileSection(args: string[]): Promise<void> {
  const crs = crsPatterns().map((p) => p.pattern);
  const { buildRegexWasm } = await import('../assembly/regex/js/engine.ts');
  const builds: [string, Uint8Array][] = [['current', await buildRegexWasm('minimal')]];
  const bi = args.indexOf('--baseline');
  if (bi >= 0 && args[bi + 1]) builds.unshift(['baseline', new Uint8Array(readFileSync(args[bi + 1]))]);
  const results = new Map<string, CompileCost[]>();
  // Interleaved rounds, median kept, as for the matching rows.
  for (let r = 0; r < 3; r++) {
    for (const [name, bin] of builds) results.set(name, [...(results.get(name) ?? []), await compileCost(bin, crs)]);
  }
  console.log(`
regex: compiling all ${crs.length} CRS @rx patterns as the WAF does (bytes mode, DOTALL; minimal runtime)`);
  console.log(`${'build'.padEnd(10)} ${'compile ms'.padStart(10)} ${'peak heap'.padStart(10)} ${'retained'.padStart(9)} ${'+matched'.padStart(9)} ${'memory'.padStart(7)}  (MiB)`);
  const med = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const rows = new Map<string, CompileCost>();
  for (const [name, rs] of results) {
    const c: CompileCost = {
      ms: med(rs.map((x) => x.ms)),
      peakMiB: med(rs.map((x) => x.peakMiB)),
      retainedMiB: med(rs.map((x) => x.retainedMiB)),
      afterMatchMiB: med(rs.map((x) => x.afterMatchMiB)),
      memoryMiB: med(rs.map((x) => x.memoryMiB)),
    };
    rows.set(name, c);
    console.log(
      `${name.padEnd(10)} ${c.ms.toFixed(0).padStart(10)} ${c.peakMiB.toFixed(1).padStart(10)} ${c.retainedMiB.toFixed(1).padStart(9)} ` +
        `${c.afterMatchMiB.toFixed(1).padStart(9)} ${c.memoryMiB.toFixed(0).padStart(7)}`,
    );
  }
  const b = rows.get('baseline');
  const c = rows.get('current')!;
  if (b) {
    console.log(
      `current/baseline: compile ${(c.ms / b.ms).toFixed(2)}×, peak ${(c.peakMiB / b.peakMiB).toFixed(2)}×, ` +
        `retained ${(c.retainedMiB / b.retainedMiB).toFixed(2)}×, after matching ${(c.afterMatchMiB / b.afterMatchMiB).toFixed(2)}×`,
    );
  }
}

export async function run(args: string[]): Promise<void> {
  if (args.includes('--compile')) {
    await compileSection(args);
    return;
  }
  const RE2 = re2();
  if (!RE2) {
    console.log(`regex bench: npm re2 is not available (${re2LoadError()}); nothing to compare against`);
    return;
  }
  const quick = args.includes('--quick');
  // --baseline OLD.wasm: the same rows for an older (incremental-runtime) build, to compare ratios.
  const wi = args.indexOf('--baseline');
  const engine = wi >= 0 && args[wi + 1] ? await RegexEngine.fromBinary(new Uint8Array(readFileSync(args[wi + 1]))) : await RegexEngine.load();
  const crs = crsPatterns().map((p) => p.pattern);
  const testInputs = [...crsTestInputs().values()].flat();
  const sample = testInputs.filter((_, i) => i % (quick ? 40 : 10) === 0);
  const inputs = [...GENERIC_INPUTS, ...sample];
  const inputBytes = inputs.map((s) => enc.encode(s));
  const inputBufs = inputBytes.map((b) => Buffer.from(b));

  // Compile time of the whole CRS set (the WAF's configure step).
  const compileOurs = () => {
    for (const p of crs) {
      const h = engine.compile(p);
      if (typeof h === 'number') engine.release(h);
    }
  };
  const coldStart = performance.now();
  compileOurs();
  const coldMs = performance.now() - coldStart;
  const compileRe2 = () => {
    for (const p of crs) new RE2(p, 'u');
  };
  const [compileOursMs, compileRe2Ms] = timeAll([compileOurs, compileRe2]);

  const ours = crs.map((p) => engine.compile(p) as number);
  const refs: Re2Regex[] = crs.map((p) => new RE2(p, 'u'));
  const js = crs.map(toJsRegExp);
  const jsCount = js.filter((r) => r !== null).length;

  const rows: Row[] = [];

  // 1. Every CRS pattern on every input: match / no match, as the WAF asks.
  rows.push({
    name: `CRS @rx isMatch (${crs.length} patterns × ${inputs.length} inputs)`,
    pairs: crs.length * inputs.length,
    target: '≤ 2× RE2',
    ms: timeAll([
      () => {
        for (const b of inputBytes) {
          const n = engine.load(b);
          for (const h of ours) engine.isMatchLoaded(h, n);
        }
      },
      () => {
        for (const b of inputBufs) for (const r of refs) r.test(b);
      },
      null,
    ]),
  });
  // Same, restricted to the patterns irregexp accepts, so the V8 column compares like with like.
  const jsIdx = js.flatMap((r, i) => (r ? [i] : []));
  rows.push({
    name: `CRS @rx isMatch, irregexp-compatible subset (${jsCount} patterns)`,
    pairs: jsCount * inputs.length,
    ms: timeAll([
      () => {
        for (const b of inputBytes) {
          const n = engine.load(b);
          for (const i of jsIdx) engine.isMatchLoaded(ours[i], n);
        }
      },
      () => {
        for (const b of inputBufs) for (const i of jsIdx) refs[i].test(b);
      },
      () => {
        for (const s of inputs) for (const i of jsIdx) js[i]!.test(s);
      },
    ]),
  });

  // 1b. As the WAF asks: bytes mode with `s`, short benign values, nearly all not matching; the loop runs
  // inside the module (a call from JS per pair would cost more than most of these matches).
  // Its own (current, minimal-runtime) instance, so the handles are 0..n-1; not with --baseline (older builds
  // lack isMatchAll).
  if (wi < 0) {
    const wafEngine = await RegexEngine.load('minimal');
    const wafCount = crs.length;
    for (const p of crs) wafEngine.compile(bytePattern(p), WAF_FLAGS);
    const benign = BENIGN_VALUES.map((s) => enc.encode(s));
    const reps = quick ? 5 : 20;
    rows.push({
      name: `CRS @rx isMatch, WAF flags, short benign values (${wafCount} × ${benign.length})`,
      pairs: wafCount * benign.length * reps,
      ms: timeAll([
        () => {
          for (const v of benign) wafEngine.isMatchAllLoaded(wafCount, wafEngine.load(v), reps);
        },
        null,
        null,
      ]),
    });
  }

  // 2. One pass of the whole CRS set per input vs pattern-by-pattern.
  const set = engine.compileSet(crs) as number;
  type Re2Set = { match(b: Buffer): number[] };
  const Re2SetCtor = (RE2 as unknown as { Set: new (p: string[], f?: string) => Re2Set }).Set;
  // RE2::Set over all of CRS exceeds RE2's default memory budget; fall back to halves.
  let re2Sets: Re2Set[] = [];
  try {
    re2Sets = [new Re2SetCtor(crs, 'u')];
  } catch {
    const half = Math.ceil(crs.length / 2);
    try {
      re2Sets = [new Re2SetCtor(crs.slice(0, half), 'u'), new Re2SetCtor(crs.slice(half), 'u')];
    } catch {
      re2Sets = [];
    }
  }
  rows.push({
    name: `CRS set match (all patterns; RE2::Set${re2Sets.length === 0 ? ' fails to build' : re2Sets.length > 1 ? ' in 2 halves' : ''}) × ${inputs.length} inputs`,
    pairs: inputs.length,
    ms: timeAll([
      () => {
        for (const b of inputBytes) engine.matchSet(set, b);
      },
      re2Sets.length === 0
        ? null
        : () => {
            for (const b of inputBufs) for (const s of re2Sets) s.match(b);
          },
      null,
    ]),
  });

  // 3. Typical header/path patterns with captures (authorization rules, uriRegexRewrite, tags).
  const typical: [string, string[]][] = [
    ['^/api/v([0-9]+)/users/([0-9]+)(?:/.*)?$', ['/api/v1/users/12345', '/api/v2/users/9/orders?x=1', '/static/app.js']],
    ['(?i)^bearer\\s+([A-Za-z0-9._~+/-]+=*)$', ['Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig', 'Basic dXNlcjpwYXNz']],
    ['^([a-z0-9-]+)\\.example\\.com(?::[0-9]+)?$', ['api.example.com', 'www.example.com:8443', 'evil.com']],
    ['^/service/([^/]+)(/.*)$', ['/service/foo/v1/api', '/other']],
    ['(?i)(?:curl|wget|python-requests)/([0-9.]+)', ['curl/8.4.0', 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/120.0']],
  ];
  const tOurs = typical.map(([p]) => engine.compile(p) as number);
  const tRe2 = typical.map(([p]) => new RE2(p, 'du'));
  const tJs = typical.map(([p]) => toJsRegExp(p)!);
  const tIn = typical.map(([, xs]) => xs);
  const tBytes = tIn.map((xs) => xs.map((s) => enc.encode(s)));
  const tBufs = tBytes.map((xs) => xs.map((b) => Buffer.from(b)));
  const reps = quick ? 200 : 1000;
  rows.push({
    name: `header/path patterns with capture groups (${typical.length} patterns)`,
    pairs: reps * tIn.reduce((a, x) => a + x.length, 0),
    target: '≤ 2× RE2',
    ms: timeAll([
      () => {
        for (let r = 0; r < reps; r++) for (let i = 0; i < tOurs.length; i++) for (const b of tBytes[i]) engine.exec(tOurs[i], b);
      },
      () => {
        for (let r = 0; r < reps; r++) for (let i = 0; i < tRe2.length; i++) for (const b of tBufs[i]) tRe2[i].exec(b);
      },
      () => {
        for (let r = 0; r < reps; r++) for (let i = 0; i < tJs.length; i++) for (const s of tIn[i]) tJs[i].exec(s);
      },
    ]),
  });

  // 4. Throughput on a 64 KiB body with a few CRS patterns.
  const body = ('name=alice&comment=' + 'lorem ipsum dolor sit amet '.repeat(40) + '&').repeat(60).slice(0, 65536);
  const bodyBytes = enc.encode(body);
  const bodyBuf = Buffer.from(bodyBytes);
  const pick = [0, 40, 120, 200, 300].filter((i) => i < crs.length);
  rows.push({
    name: `64 KiB body × ${pick.length} CRS patterns (bytes scanned)`,
    pairs: pick.length,
    ms: timeAll([
      () => {
        const n = engine.load(bodyBytes);
        for (const i of pick) engine.isMatchLoaded(ours[i], n);
      },
      () => {
        for (const i of pick) refs[i].test(bodyBuf);
      },
      () => {
        for (const i of pick) js[i]?.test(body);
      },
    ]),
  });

  console.log('\nregex: meshplug regex.wasm vs native RE2 (npm re2 1.23.3) vs V8 irregexp — median of', ROUNDS, 'rounds');
  console.log(`${'workload'.padEnd(72)} ${'RE2 µs/op'.padStart(10)} ${'ours/RE2'.padStart(9)} ${'V8/RE2'.padStart(8)}  target`);
  for (const r of rows) {
    const [o, n, v] = r.ms;
    // Without an RE2 time, show ours in absolute terms so the row still says something.
    const perOp = n === null ? (o === null ? '—' : `ours ${((o * 1000) / r.pairs).toFixed(3)}`) : ((n * 1000) / r.pairs).toFixed(3);
    console.log(`${r.name.padEnd(72)} ${perOp.padStart(10)} ${fmt(o, n).padStart(9)} ${fmt(v, n).padStart(8)}  ${r.target ?? ''}`);
  }
  console.log(
    `\ncompile all ${crs.length} CRS patterns: ours ${compileOursMs!.toFixed(1)} ms warm (${coldMs.toFixed(1)} ms first run), ` +
      `RE2 ${compileRe2Ms!.toFixed(1)} ms, ratio ${fmt(compileOursMs, compileRe2Ms)}  target ≤ 200 ms`,
  );
  console.log(`(irregexp column: ${jsCount} of ${crs.length} CRS patterns are valid JavaScript syntax)`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await run(process.argv.slice(2));
}
