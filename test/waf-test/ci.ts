// `npm run test:waf`: the full CRS regression suite through dist/waf.wasm, as CI runs it, with the
// plugin's go-ftw overrides file (plugins/waf/ftw-overrides.yaml, `testoverride.ignore`: test id → reason).
// Ignored tests still run: one that passes again fails the run (remove its override), as does any failure
// the file does not list, so the list only shrinks. Ends with `N passed, N failed, N skipped`.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseOverrides, type Overrides } from '../../host/waf-test/overrides.ts';
import { loadTests, runWafTests } from '../../host/waf-test/runner.ts';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const wasm = process.env.WAF_WASM ?? `${repo}dist/waf.wasm`;
const testsDir = process.env.CRS_TESTS ?? '/work/shared/data/crs/tests';
export const overridesFile = process.env.WAF_OVERRIDES ?? `${repo}plugins/waf/ftw-overrides.yaml`;

/**
 * What makes the overrides file unfit for CI: an entry of another kind than `ignore` (forcepass/forcefail
 * and output overrides would hide a result instead of tracking it), or an ignore pattern matching no test.
 */
export function overrideProblems(o: Overrides, testIds: string[]): string[] {
  const problems: string[] = [];
  if (o.forcePass.length || o.forceFail.length || o.outputs.length) problems.push('only testoverride.ignore entries are tracked; forcepass, forcefail and test_overrides are not');
  for (const f of o.ignore) if (!testIds.some((id) => f.pattern.test(id))) problems.push(`ignore ${JSON.stringify(f.source)} matches no test`);
  return problems;
}

async function main(): Promise<number> {
  if (!existsSync(wasm)) {
    console.error(`test:waf: ${wasm} does not exist (build it with \`npm run build:plugin -- waf\`)`);
    return 1;
  }
  const overrides = parseOverrides(readFileSync(overridesFile, 'utf8'), overridesFile);
  const problems = overrideProblems(overrides, (await loadTests(testsDir)).cases.map((c) => c.id));
  for (const p of problems) console.error(`test:waf: ${overridesFile}: ${p}`);
  if (problems.length > 0) return 1;
  const s = await runWafTests({ testsDir, wasm, overrides, checkIgnored: true, note: (l) => console.error(l) });
  for (const r of s.results) if (r.result === 'fail') console.log(`${r.id}: ${r.reason.replace(/\s*\n\s*/g, ' ')}`);
  const ran = s.passed + s.failed + s.skipped;
  console.error(`pass rate ${ran ? ((100 * s.passed) / ran).toFixed(1) : '0.0'}% (${s.passed}/${ran}) in ${s.seconds.toFixed(0)} s; ${s.skipped} failing tests overridden (${overrides.ignore.length} entries in ${overridesFile})`);
  console.log(`${s.passed} passed, ${s.failed} failed, ${s.skipped} skipped`);
  return s.failed > 0 ? 1 : 0;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) process.exitCode = await main();
