// The Wycheproof runner end to end: recognition by schema of files the shared snapshot lacks,
// skipping of unknown schemas, and a non-zero exit when a vector fails.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { extraVectorFiles } from './vector-files.ts';
import { repoRoot } from '../wycheproof/build-wasm.ts';

function runner(dir: string): { code: number; lines: string[] } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'test/wycheproof/run.ts', dir], { cwd: repoRoot, encoding: 'utf8' });
  return { code: r.status ?? -1, lines: r.stdout.trim().split('\n') };
}

test('runner recognises generated P-384, DER, RSA-4096/SHA-512, PSS, HMAC-384/512 and HKDF files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'wycheproof-extra-'));
  try {
    const files = extraVectorFiles;
    let total = 0;
    for (const [name, build] of Object.entries(files)) {
      const content = build();
      writeFileSync(join(dir, name), JSON.stringify(content));
      total += content.numberOfTests as number;
    }
    writeFileSync(join(dir, 'x25519_test.json'), JSON.stringify({ algorithm: 'XDH', schema: 'xdh_comp_schema_v1.json', testGroups: [] }));
    const { code, lines } = runner(dir);
    const out = lines.join('\n');
    assert.equal(code, 0, out);
    for (const name of Object.keys(files)) assert.match(out, new RegExp(`^PASS ${name} `, 'm'), out);
    assert.match(out, /^SKIP x25519_test\.json: unrecognised schema/m);
    assert.equal(lines.at(-1), `${total} passed, 0 failed`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('runner fails (exit 1) when a vector disagrees', () => {
  const dir = mkdtempSync(join(tmpdir(), 'wycheproof-bad-'));
  try {
    const f = extraVectorFiles['hmac_sha384_test.json']();
    const groups = f.testGroups as { tests: { result: string }[] }[];
    groups[0].tests[0].result = 'invalid'; // a correct tag now claimed invalid
    writeFileSync(join(dir, 'hmac_sha384_test.json'), JSON.stringify(f));
    const { code, lines } = runner(dir);
    assert.equal(code, 1);
    assert.match(lines[0], /^FAIL hmac_sha384_test\.json/);
    assert.match(lines.at(-1)!, /^\d+ passed, 1 failed$/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
