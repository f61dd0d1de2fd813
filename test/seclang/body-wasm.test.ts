// body.wasm as the WAF gets it (-O3, no assertions): it imports nothing Envoy lacks, and hostile
// bodies (mutated and cut CRS bodies, random bytes, big documents) give results or error values,
// never a trap, with invariants every result must keep.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { BodyProcessors, type BodyResult, type Proc } from './body-wasm.ts';
import { crsBodies, Rand } from './body-corpus.ts';

const ALLOWED = new Set(
  readFileSync('/work/shared/reference/envoy-imports-abi-0.2.1.txt', 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#')),
);
const PROCS: Proc[] = ['urlencoded', 'json', 'xml', 'multipart'];

test('body.wasm imports only what Envoy provides', async () => {
  const imports = await BodyProcessors.imports();
  for (const i of imports) assert.ok(ALLOWED.has(i), `imports ${i}`);
});

function checkInvariants(proc: Proc, r: BodyResult, label: string): void {
  if (proc === 'json') {
    for (const [n] of r.args) assert.ok(Buffer.from(n).toString('latin1').startsWith('json'), `${label}: JSON name`);
  }
  if (proc === 'xml') {
    for (const [n, v] of r.xml) {
      assert.ok(v.length > 0 || Buffer.from(n).toString() === '//@*', `${label}: empty XML text`);
      if (Buffer.from(n).toString() === '/*') assert.ok(!/^[\t\n\v\f\r ]|[\t\n\v\f\r ]$/.test(Buffer.from(v).toString('latin1')), `${label}: untrimmed text`);
    }
  }
  if (proc === 'multipart') {
    if (r.error !== '') assert.equal(r.flags.strictError, 1, `${label}: error without MULTIPART_STRICT_ERROR`);
    assert.equal(r.files.length, r.filesSizes.length, `${label}: FILES and FILES_SIZES`);
    const total = r.filesSizes.reduce((n, [, s], i) => {
      // An alternative file name repeats its part's size: count each part once.
      const same = i > 0 && Buffer.compare(r.files[i - 1][0], r.files[i][0]) === 0 && r.filesSizes[i - 1][1] === s;
      return same ? n : n + Number(Buffer.from(s).toString());
    }, 0);
    assert.ok(Number(r.combinedSize) <= total, `${label}: FILES_COMBINED_SIZE`);
  }
}

function mutate(r: Rand, src: Uint8Array): Uint8Array {
  const b = Buffer.from(src);
  const at = r.int(b.length + 1);
  switch (r.int(5)) {
    case 0:
      return b.subarray(0, at); // cut
    case 1:
      return Buffer.concat([b.subarray(0, at), b.subarray(Math.min(b.length, at + 1 + r.int(8)))]); // delete
    case 2:
      return Buffer.concat([b.subarray(0, at), Buffer.from([r.pick([0, 10, 13, 34, 39, 45, 59, 60, 62, 92, 123, 125, 0xc3, 0xff])]), b.subarray(at)]);
    case 3:
      return Buffer.concat([b.subarray(0, at), b.subarray(0, at)]); // repeat a prefix
    default:
      return Buffer.from(Array.from({ length: r.int(200) }, () => r.int(256)));
  }
}

test('hostile bodies never trap and keep the invariants', async () => {
  const bp = await BodyProcessors.load();
  const r = new Rand(7);
  const corpus = crsBodies();
  let runs = 0;
  for (const c of corpus) {
    for (let k = 0; k < 6; k++) {
      const body = mutate(r, c.body);
      for (const proc of PROCS) {
        const res = bp.run(proc, body, c.contentType.startsWith('multipart') ? c.contentType : 'multipart/form-data; boundary=xx', 64);
        checkInvariants(proc, res, `${c.label} mutation ${k} as ${proc}`);
        runs++;
      }
    }
  }
  assert.ok(runs > 5000, `only ${runs} runs`);
});

test('big bodies (4 MiB) are processed without a trap', async () => {
  const bp = await BodyProcessors.load();
  const mib = 4 << 20;
  const json = Buffer.from('[' + Array.from({ length: mib / 16 }, (_, i) => `{"k":"v${i % 10}"}`).join(',') + ']');
  const j = bp.run('json', json, 'application/json', 64);
  assert.equal(j.error, '');
  assert.equal(j.args.length, mib / 16 + 1);
  const xml = Buffer.from('<r>' + '<a x="1">text</a>'.repeat(mib / 17) + '</r>');
  const x = bp.run('xml', xml);
  assert.equal(x.error, '');
  assert.equal(x.xml.length, 2 * Math.floor(mib / 17));
  const part = '--b\r\nContent-Disposition: form-data; name="f"; filename="a"\r\n\r\n' + 'z'.repeat(1 << 20) + '\r\n';
  const mp = bp.run('multipart', Buffer.from(part.repeat(4) + '--b--\r\n'), 'multipart/form-data; boundary=b');
  assert.equal(mp.error, '');
  assert.equal(mp.combinedSize, String(4 << 20));
  const nested = bp.run('json', Buffer.alloc(mib, '['), 'application/json', 1024);
  assert.match(nested.error, /^max recursion/);
  const deepXml = bp.run('xml', Buffer.from('<a>'.repeat(mib / 3)));
  assert.match(deepXml.error, /nested deeper than 256/);
});
