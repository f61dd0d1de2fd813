// Differential test of the AssemblyScript libinjection (assembly/seclang/libinjection) against
// libinjection-go, the library Coraza runs: SQLi fingerprints and XSS verdicts must agree on the CRS
// 941/942 regression payloads, hand-written attacks and benign values, and seeded random inputs.
// Needs Go and github.com/corazawaf/libinjection-go@v0.3.3 (module cache, or the Go proxy): see
// libinjection-reference.ts.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { Libinjection } from '../../assembly/seclang/libinjection/js/loader.ts';
import { bytes, crsInputs, escapeSoup, handWritten, mutations, quoteSoup, randomBytes, tokenSoup } from './libinjection-corpus.ts';
import { buildReference, referenceVerdicts } from './libinjection-reference.ts';
import { defaultModuleDir, generate } from '../../assembly/seclang/libinjection/gen/tables.ts';
import { readFileSync } from 'node:fs';

let lib: Libinjection;
let ref: string;
let crs: Uint8Array[] = [];

before(async () => {
  lib = await Libinjection.load();
  ref = buildReference();
  crs = crsInputs();
});

function show(b: Uint8Array): string {
  return JSON.stringify(Buffer.from(b).toString('latin1'));
}

interface Agreement {
  total: number;
  sqliAgree: number;
  xssAgree: number;
  goPanics: number;
  diffs: string[];
}

/** Compares every input; Go panics (a Go-port bug, "!") are counted apart, not as agreement. */
function compare(inputs: Uint8Array[]): Agreement {
  const want = referenceVerdicts(ref, inputs);
  const a: Agreement = { total: inputs.length, sqliAgree: 0, xssAgree: 0, goPanics: 0, diffs: [] };
  inputs.forEach((input, i) => {
    const sqli = lib.sqli(input) ?? '-';
    const xss = lib.xss(input) ? '1' : '0';
    const w = want[i];
    if (w.sqli === '!' || w.xss === '!') a.goPanics++;
    if (sqli === w.sqli) a.sqliAgree++;
    else if (w.sqli !== '!') a.diffs.push(`sqli ${show(input)}: got ${sqli}, libinjection-go ${w.sqli}`);
    if (xss === w.xss) a.xssAgree++;
    else if (w.xss !== '!') a.diffs.push(`xss ${show(input)}: got ${xss}, libinjection-go ${w.xss}`);
  });
  return a;
}

function check(name: string, a: Agreement, diagnostic: (m: string) => void): void {
  const pct = (n: number): string => ((100 * n) / a.total).toFixed(3);
  diagnostic(
    `${name}: ${a.total} inputs, SQLi agreement ${pct(a.sqliAgree)} %, XSS agreement ${pct(a.xssAgree)} %` +
      (a.goPanics ? `, libinjection-go panicked on ${a.goPanics}` : ''),
  );
  assert.deepEqual(a.diffs.slice(0, 20), [], `${a.diffs.length} disagreements`);
  assert.equal(a.goPanics, 0, 'libinjection-go panicked: no reference verdict');
}

test('CRS 941/942 regression payloads: same fingerprints and XSS verdicts as libinjection-go', (t) => {
  const inputs = crs;
  assert.ok(inputs.length > 2000, `only ${inputs.length} CRS inputs`);
  const a = compare(inputs);
  check('CRS', a, (m) => t.diagnostic(m));
  // The corpus is attack-heavy: both detectors must fire on a good share of it.
  const want = referenceVerdicts(ref, inputs);
  assert.ok(want.filter((v) => v.sqli !== '-').length > 200);
  assert.ok(want.filter((v) => v.xss === '1').length > 200);
});

test('hand-written attacks and benign values agree', (t) => {
  check('hand-written', compare(handWritten()), (m) => t.diagnostic(m));
});

test('known verdicts (independent of the reference)', () => {
  assert.equal(lib.sqli(bytes("1' OR '1'='1")), 's&sos');
  assert.equal(lib.sqli(bytes('1 OR 1=1')), '1&1');
  assert.equal(lib.sqli(bytes('1 UNION SELECT username, password FROM users')), '1UEnk');
  assert.equal(lib.sqli(bytes('hello world')), null);
  assert.equal(lib.sqli(bytes("O'Reilly")), null);
  assert.equal(lib.xss(bytes('<script>alert(1)</script>')), true);
  assert.equal(lib.xss(bytes('<img src=x onerror=alert(1)>')), true);
  assert.equal(lib.xss(bytes('<a href=" &#x6a;avascript:alert(1)">')), true);
  assert.equal(lib.xss(bytes('<b>bold</b>')), false);
  assert.equal(lib.xss(bytes('x < y and y > z')), false);
});

test('seeded random token soups, mutations and bytes agree (thousands)', (t) => {
  const seeds = [handWritten(), crs].flat();
  const inputs = [...tokenSoup(1, 6000), ...mutations(2, seeds, 6000), ...randomBytes(3, 3000, 40), ...quoteSoup(4, 4000),
    ...escapeSoup(5, 5000)];
  check('random', compare(inputs), (m) => t.diagnostic(m));
});

test('hostile inputs: huge, repetitive, every byte value — verdicts, no trap, flat memory', () => {
  const big = (unit: string, n: number): Uint8Array => bytes(unit.repeat(n));
  const inputs = [
    big("'", 30_000), big("\\'", 15_000), big("a\\'", 10_000), big('/', 30_000), big('<', 30_000),
    big('<a ', 10_000), big('&#', 15_000), big('-- ', 10_000), big('$a$', 10_000), big('/*', 15_000),
    big('<!--', 8_000), big('"\\"', 10_000), big('1 or ', 6_000), big('&#x6a;', 5_000), big('q\'[', 10_000),
    Uint8Array.from({ length: 256 }, (_, i) => i), new Uint8Array(30_000),
  ];
  const a = compare(inputs);
  assert.deepEqual(a.diffs.map((d) => d.slice(0, 200)), []);
  const mem = lib.memoryBytes();
  for (let r = 0; r < 3; r++) for (const input of inputs) lib.sqli(input);
  assert.equal(lib.memoryBytes(), mem, 'memory grew on repeated calls');
});

test('the committed keyword/fingerprint tables are what gen/tables.ts makes from libinjection-go', () => {
  // buildReference() (in before) put the module into the Go module cache.
  for (const [name, text] of generate(defaultModuleDir())) {
    const committed = readFileSync(new URL(`../../assembly/seclang/libinjection/${name}`, import.meta.url), 'utf8');
    assert.ok(committed === text, `${name} is stale: run node --import tsx assembly/seclang/libinjection/gen/tables.ts`);
  }
});
