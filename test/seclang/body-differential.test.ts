// Differential test: our body processors (body.wasm) against Coraza v3.8.1's own (a Go program built
// offline from the module cache, test/seclang/body-coraza) on every CRS regression-test body with a
// JSON, XML, form or multipart content type, and on seeded generated bodies (valid, cut, broken).
//
// When neither side reports an error, everything must agree: ARGS_POST, XML:/* and XML://@*,
// MULTIPART_NAME, MULTIPART_FILENAME, MULTIPART_PART_HEADERS (Go canonicalises header names: names are
// compared case-insensitively), FILES and FILES_SIZES by file name (Coraza keys them differently),
// FILES_NAMES, FILES_COMBINED_SIZE (Coraza also counts field parts in it). Collections are compared as
// multisets (Coraza's maps do not keep order across names).
// Errors: for JSON and forms both sides must agree. For XML and multipart we are stricter on purpose
// (XML well-formedness; a multipart body without its final boundary, or with a malformed part header,
// is an error here and only MULTIPART_STRICT_ERROR in Coraza), so an error on our side alone is
// allowed there; an error on Coraza's side alone must be one of KNOWN_CORAZA_ONLY.
// Whenever Coraza raises MULTIPART_STRICT_ERROR, ours must be raised too.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BodyProcessors, type BodyResult, type Pair } from './body-wasm.ts';
import { type BodyCase, crsBodies, generatedJson, generatedMultipart, generatedUrlencoded, generatedXml } from './body-corpus.ts';
import { type CorazaResult, corazaUnavailable, runCoraza } from './body-coraza.ts';

/**
 * Bodies Coraza rejects and we accept, with why we differ:
 * - a multipart body that is only the final delimiter: Go's reader reports EOF for a body without any
 *   part; ModSecurity (and we) accept an empty form.
 */
const KNOWN_CORAZA_ONLY = new Set(['REQUEST-922-MULTIPART-ATTACK/922110.yaml#19.0']);

type AnyPair = [Uint8Array, Uint8Array];
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const multiset = (ps: AnyPair[]): string => ps.map(([a, b]) => `${hex(a)}:${hex(b)}`).sort().join(',');
const lowerHeaderName = (ps: AnyPair[]): AnyPair[] =>
  ps.map(([n, v]) => {
    const t = Buffer.from(v).toString('latin1');
    const i = t.indexOf(':');
    return [n, Buffer.from(t.slice(0, i).toLowerCase() + t.slice(i), 'latin1')];
  });
// File name → size, last one winning (Coraza's FILES_SIZES is keyed by file name).
function sizesByFile(files: AnyPair[], sizes: AnyPair[], ours: boolean): string {
  const m = new Map<string, string>();
  if (ours) files.forEach(([, f], i) => m.set(hex(f), Buffer.from(sizes[i][1]).toString('latin1')));
  else sizes.forEach(([f, s]) => m.set(hex(f), Buffer.from(s).toString('latin1')));
  return [...m].map(([k, v]) => `${k}=${v}`).sort().join(',');
}

/** Names of the collections that differ ([] when all agree). */
function differences(c: BodyCase, a: BodyResult, b: CorazaResult): string[] {
  const bad: string[] = [];
  const check = (name: string, x: string, y: string) => {
    if (x !== y) bad.push(name);
  };
  if (c.proc === 'xml') check('XML', multiset(a.xml), multiset(b.xml));
  else check('ARGS_POST', multiset(a.args), multiset(b.args));
  if (c.proc !== 'multipart') return bad;
  check('MULTIPART_NAME', multiset(a.names), multiset(b.names));
  check('MULTIPART_FILENAME', multiset(a.filenames), multiset(b.filenames));
  check('MULTIPART_PART_HEADERS', multiset(lowerHeaderName(a.partHeaders)), multiset(lowerHeaderName(b.partHeaders)));
  check('FILES', a.files.map(([, f]) => hex(f)).sort().join(), b.files.map(([, f]) => hex(f)).sort().join());
  check('FILES_NAMES', multiset(a.filesNames), multiset(b.filesNames.map(([, n]): Pair => [n, n])));
  check('FILES_SIZES', sizesByFile(a.files, a.filesSizes, true), sizesByFile(b.files, b.filesSizes, false));
  const fieldBytes = a.args.reduce((n, [, v]) => n + v.length, 0);
  check('FILES_COMBINED_SIZE', String(Number(a.combinedSize) + fieldBytes), b.combined || '0');
  return bad;
}

const show = (b: Uint8Array) => JSON.stringify(Buffer.from(b).toString('latin1').slice(0, 160));

const unavailable = corazaUnavailable();
test('body processors agree with Coraza v3.8.1 on CRS and generated bodies', { skip: unavailable || false }, async () => {
  const bp = await BodyProcessors.load();
  const cases = [
    ...crsBodies(),
    ...generatedJson(300),
    ...generatedUrlencoded(200),
    ...generatedXml(300),
    ...generatedMultipart(300),
  ];
  const ref = runCoraza(cases);
  assert.equal(ref.length, cases.length);
  const problems: string[] = [];
  const tally: Record<string, { compared: number; oursOnlyError: number; bothError: number }> = {};
  for (let i = 0; i < cases.length; i++) {
    const c = cases[i];
    const a = bp.run(c.proc, c.body, c.contentType);
    const b = ref[i];
    const t = (tally[c.proc] ??= { compared: 0, oursOnlyError: 0, bothError: 0 });
    const oursErr = a.error !== '';
    const refErr = b.error !== '';
    if (c.proc === 'multipart' && b.flags.strict === '1' && a.flags.strictError !== 1) {
      problems.push(`${c.label}: Coraza sets MULTIPART_STRICT_ERROR, we do not; body ${show(c.body)}`);
    }
    if (refErr && !oursErr) {
      if (!KNOWN_CORAZA_ONLY.has(c.label)) problems.push(`${c.label}: only Coraza reports an error (${b.error}); body ${show(c.body)}`);
      continue;
    }
    if (oursErr) {
      if (refErr) t.bothError++;
      else if (c.proc === 'json' || c.proc === 'urlencoded') problems.push(`${c.label}: only we report an error (${a.error}); body ${show(c.body)}`);
      else t.oursOnlyError++;
      continue;
    }
    t.compared++;
    const diff = differences(c, a, b);
    if (diff.length > 0) problems.push(`${c.label}: ${diff.join(', ')} differ; body ${show(c.body)}`);
  }
  console.log('compared with Coraza:', JSON.stringify(tally));
  assert.deepEqual(problems.slice(0, 15), [], `${problems.length} disagreements`);
  // Guard against a corpus that silently shrank: each processor must have been compared many times.
  for (const proc of ['urlencoded', 'json', 'xml', 'multipart']) assert.ok(tally[proc].compared >= 150, `${proc}: ${tally[proc].compared} compared`);
});
