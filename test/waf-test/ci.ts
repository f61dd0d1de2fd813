// `npm run test:waf`: the full CRS regression suite through dist/waf.wasm, as CI runs it. Fails when a
// test fails that is not in known-failures.txt (one `id reason` per line; the list shrinks as the engine
// grows), prints the pass rate, and lists known failures that now pass so they can be removed.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { runWafTests } from '../../host/waf-test/runner.ts';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const wasm = process.env.WAF_WASM ?? `${repo}dist/waf.wasm`;
const testsDir = process.env.CRS_TESTS ?? '/work/shared/data/crs/tests';
const knownFile = fileURLToPath(new URL('./known-failures.txt', import.meta.url));

/** `id reason` lines; blank lines and `#` comments ignored. A line without a reason is an error. */
export function parseKnownFailures(text: string): Map<string, string> | string {
  const known = new Map<string, string>();
  for (const [i, raw] of text.split('\n').entries()) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const m = /^(\S+)\s+(\S.*)$/.exec(line);
    if (!m) return `known-failures.txt:${i + 1}: expected "<test id> <reason>"`;
    known.set(m[1]!, m[2]!);
  }
  return known;
}

async function main(): Promise<number> {
  if (!existsSync(wasm)) {
    console.error(`test:waf: ${wasm} does not exist (build it with \`npm run build:plugin -- waf\`)`);
    return 1;
  }
  const known = parseKnownFailures(existsSync(knownFile) ? readFileSync(knownFile, 'utf8') : '');
  if (typeof known === 'string') { console.error(`test:waf: ${known}`); return 1; }
  const s = await runWafTests({ testsDir, wasm, note: (l) => console.error(l) });
  const unexpected = s.results.filter((r) => r.result === 'fail' && !known.has(r.id));
  const fixed = s.results.filter((r) => r.result === 'pass' && known.has(r.id));
  for (const r of unexpected) console.log(`${r.id}: ${r.reason.replace(/\s*\n\s*/g, ' ')}`);
  if (fixed.length > 0) console.error(`now passing, remove from known-failures.txt: ${fixed.map((r) => r.id).join(' ')}`);
  const ran = s.passed + s.failed;
  console.error(`pass rate ${ran ? ((100 * s.passed) / ran).toFixed(1) : '0.0'}% (${s.passed}/${ran}) in ${s.seconds.toFixed(0)} s; ${unexpected.length} unexpected failures, ${s.failed - unexpected.length} known`);
  console.log(`${s.passed} passed, ${s.failed} failed, ${s.skipped} skipped`);
  return unexpected.length > 0 ? 1 : 0;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) process.exitCode = await main();
