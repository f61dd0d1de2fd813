// Runs Wycheproof vector files through the compiled AssemblyScript crypto (not Node's crypto).
// Usage: npm run test:wycheproof [-- DIR]   (default DIR: ../shared/data/wycheproof from the repo root)
//
// Each file is recognised by its `schema` (and, for shared schemas, the algorithm / group type); a
// line per file, then "N passed, N failed" alone on the last line; exit 1 on any failure.
// Policy for "acceptable" vectors: either outcome passes (Wycheproof allows both); the per-file line
// says how many we accepted, so a change of policy is visible. Groups whose parameters the library
// does not offer (e.g. SHA-1, secp256k1) are counted as skipped, never as passed.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { repoRoot } from './build-wasm.ts';
import { CryptoWasm } from './crypto-wasm.ts';
import { findSuite } from './suites.ts';
import { isVectorFile, type TestCase } from './vectors.ts';

interface FileTally {
  passed: number;
  failed: number;
  skipped: number;
  acceptableAccepted: number;
  acceptableRejected: number;
  failures: string[];
}

function listJson(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) {
      if (name !== 'schemas') out.push(...listJson(p));
    } else if (name.endsWith('.json')) out.push(p);
  }
  return out;
}

function judge(tc: TestCase, accepted: boolean, problem: string, tally: FileTally, reason: string): void {
  const label = `tcId ${tc.tcId} (${tc.result}${tc.comment ? `, ${tc.comment}` : ''})`;
  if (problem) {
    tally.failed++;
    tally.failures.push(`${label}: ${problem}`);
  } else if (tc.result === 'acceptable') {
    tally.passed++;
    if (accepted) tally.acceptableAccepted++;
    else tally.acceptableRejected++;
  } else if (accepted === (tc.result === 'valid')) {
    tally.passed++;
  } else {
    tally.failed++;
    tally.failures.push(`${label}: ${accepted ? 'accepted' : `rejected (${reason})`}`);
  }
}

async function main(): Promise<number> {
  const dir = resolve(repoRoot, process.argv[2] ?? '../shared/data/wycheproof');
  const files = listJson(dir);
  const cw = await CryptoWasm.load();
  let passed = 0;
  let failed = 0;
  for (const file of files) {
    const name = basename(file);
    let data: unknown;
    try {
      data = JSON.parse(readFileSync(file, 'utf8'));
    } catch {
      console.log(`SKIP ${name}: not JSON`);
      continue;
    }
    if (!isVectorFile(data)) {
      console.log(`SKIP ${name}: not a Wycheproof vector file`);
      continue;
    }
    const suite = findSuite(data);
    if (!suite) {
      console.log(`SKIP ${name}: unrecognised schema ${data.schema} (${data.algorithm})`);
      continue;
    }
    cw.freeKeys();
    const tally: FileTally = {
      passed: 0, failed: 0, skipped: 0, acceptableAccepted: 0, acceptableRejected: 0, failures: [],
    };
    for (const group of data.testGroups) {
      const tests = Array.isArray(group.tests) ? group.tests : [];
      let check;
      try {
        check = suite.prepare(cw, group, data);
      } catch (e) {
        // A malformed group is a failure of the vector file, not a pass.
        tally.failed += tests.length;
        tally.failures.push(`group ${group.type}: ${(e as Error).message}`);
        continue;
      }
      if (typeof check === 'string') {
        tally.skipped += tests.length;
        continue;
      }
      for (const tc of tests) {
        try {
          const r = check(tc);
          judge(tc, r.accepted, r.problem ?? '', tally, r.reason);
        } catch (e) {
          judge(tc, false, `threw: ${(e as Error).message}`, tally, '');
        }
      }
    }
    passed += tally.passed;
    failed += tally.failed;
    const acc = tally.acceptableAccepted + tally.acceptableRejected;
    const notes = [
      tally.skipped ? `${tally.skipped} skipped (unsupported parameters)` : '',
      acc ? `acceptable: ${tally.acceptableAccepted} accepted, ${tally.acceptableRejected} rejected` : '',
    ].filter(Boolean);
    const status = tally.failed ? 'FAIL' : tally.passed ? 'PASS' : 'SKIP';
    console.log(
      `${status} ${name} [${suite.name}] ${tally.passed} passed, ${tally.failed} failed${notes.length ? `; ${notes.join('; ')}` : ''}`,
    );
    for (const f of tally.failures.slice(0, 10)) console.log(`    ${f}`);
    if (tally.failures.length > 10) console.log(`    ... and ${tally.failures.length - 10} more`);
  }
  console.log(`${passed} passed, ${failed} failed`);
  return failed > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(`wycheproof runner: ${e instanceof Error ? e.message : String(e)}`);
    console.log('0 passed, 1 failed');
    process.exit(1);
  },
);
