// `meshplug waf-test`: runs go-ftw CRS regression tests (YAML) through a WAF module in our host, set up as
// upstream CRS CI does (detection only, paranoia 4, log markers). Prints each failing test id with the
// reason, then `N passed, N failed, N skipped` alone on the last line (scripts rely on it); --json prints
// one JSON document instead.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { parseOverrides, type Overrides } from '../../waf-test/overrides.ts';
import { runWafTests } from '../../waf-test/runner.ts';
import { formatJson, formatText } from '../../waf-test/report.ts';
import { parseCommandArgs, UsageError } from '../args.ts';

export const summary = 'run go-ftw CRS regression tests through the WAF plugin (--tests DIR)';

const defaultWasm = fileURLToPath(new URL('../../../dist/waf.wasm', import.meta.url));

const usage = `usage: meshplug waf-test --tests DIR [--crs DIR] [--overrides FILE] [--only ID...] [--wasm FILE] [--json] [--verbose] [--timeout MS]

  --tests DIR        go-ftw test files (*.yaml, *.yml, searched recursively)
  --crs DIR          load the CRS from DIR (crs-setup.conf.example, rules/*.conf, rules/*.data) instead of
                     the rules embedded in the module
  --overrides FILE   go-ftw override file (test_overrides: rule_id/test_ids/reason/output; testoverride:
                     ignore/forcepass/forcefail regex → reason)
  --only ID...       run only these tests: test ids (920100-4) or rule ids (920100); the rest count as skipped
  --wasm FILE        the WAF module (default dist/waf.wasm); any module taking coraza-proxy-wasm's config
  --json             print {"summary": {...}, "tests": [{"id", "result", "reason"}]} instead of text
  --verbose          print each failing stage's request and WAF log lines to stderr
  --timeout MS       per-request timeout (default 10000, go-ftw's read timeout)

Exit status: 0 when no test failed, 1 when some failed, 2 on bad usage.`;

export async function run(args: string[]): Promise<number> {
  // --only takes several ids: everything after it up to the next option.
  const onlyIds: string[] = [];
  const rest: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--only') {
      while (i + 1 < args.length && !args[i + 1]!.startsWith('--')) onlyIds.push(...args[++i]!.split(',').filter(Boolean));
    } else rest.push(args[i]!);
  }
  let parsed;
  try {
    parsed = parseCommandArgs(rest, {
      tests: { type: 'string' }, crs: { type: 'string' }, overrides: { type: 'string' }, wasm: { type: 'string' },
      json: { type: 'boolean' }, verbose: { type: 'boolean' }, timeout: { type: 'string' },
    }, usage);
  } catch (e) {
    if (e instanceof UsageError) { console.error(`meshplug waf-test: ${e.message}`); return 2; }
    throw e;
  }
  if (!parsed) return 0;
  const v = parsed.values;
  if (parsed.positionals.length > 0) { console.error(`meshplug waf-test: unexpected argument '${parsed.positionals[0]}'\n${usage}`); return 2; }
  if (!v.tests) { console.error(`meshplug waf-test: --tests DIR is required\n${usage}`); return 2; }
  if (args.includes('--only') && onlyIds.length === 0) { console.error('meshplug waf-test: --only needs at least one test or rule id'); return 2; }
  const bad = onlyIds.find((id) => !/^\d+(-\d+)?$/.test(id));
  if (bad) { console.error(`meshplug waf-test: --only: '${bad}' is not a test id (920100-4) or rule id (920100)`); return 2; }
  const timeoutMs = v.timeout === undefined ? 10000 : Number(v.timeout);
  if (!Number.isInteger(timeoutMs) || timeoutMs <= 0) { console.error('meshplug waf-test: --timeout: expected a positive integer (ms)'); return 2; }
  let overrides: Overrides | undefined;
  if (v.overrides) {
    let text: string;
    try {
      text = await readFile(v.overrides, 'utf8');
    } catch (e) {
      console.error(`meshplug waf-test: cannot read ${v.overrides}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
      return 2;
    }
    overrides = parseOverrides(text, v.overrides);
  }
  const result = await runWafTests({
    testsDir: v.tests, wasm: v.wasm ?? defaultWasm, crsDir: v.crs ?? null, overrides, only: onlyIds, timeoutMs,
    note: (l) => process.stderr.write(l + '\n'),
    trace: v.verbose ? (l) => process.stderr.write(l + '\n') : undefined,
  });
  process.stdout.write(v.json ? formatJson(result) : formatText(result));
  return result.failed > 0 ? 1 : 0;
}
