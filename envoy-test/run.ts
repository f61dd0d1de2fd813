// `npm run test:envoy [-- FILTER...]`: `envoy --mode validate` on each shipped bootstrap; the tables of
// conformance.json and metric-names.json against Envoy; every case of test/scenarios/ and
// envoy-test/scenarios/ through real Envoy 1.40 and through our host, diffed; every property through both.
// Ends with `N passed, N failed, N skipped`; exit 1 if anything failed, or if Envoy is missing under CI=true.
import { mkdtempSync, rmSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadScenarios } from '../test/lib/scenario.ts';
import { ensureEnvoy } from './lib/ensure-envoy.ts';
import { Report } from './lib/report.ts';
import { loadConformance } from './lib/conformance-table.ts';
import { runConformanceCase } from './lib/conformance-envoy.ts';
import { loadClusterResolver, loadHostRunner } from './lib/host-side.ts';
import { repoRoot } from './lib/plugin-path.ts';
import { inOrder, runScenarioCase, serial, type CaseContext } from './lib/scenario-case.ts';
import { validateShippedConfigs } from './lib/shipped-configs.ts';
import { runPropertySuite, WAT_OUT_DIR } from './lib/properties-suite.ts';
import { buildWatFixtures } from '../test/fixtures/wat/compile.ts';
import { buildProbePlugin, PROBE_PLUGIN_WASM } from './lib/probe-build.ts';
import { runMetricNamesSuite } from './lib/metric-names-suite.ts';
import { GRPC_SCENARIO_FILE, runGrpcSuite } from './lib/grpc-suite.ts';
import { TCP_SCENARIO_FILE, runTcpSuite } from './lib/tcp-suite.ts';

const args = process.argv.slice(2);
// `--scenarios=DIR` runs another corpus (e.g. a scratch one); everything else filters case names.
const scenarioDir = args.find((a) => a.startsWith('--scenarios='))?.slice('--scenarios='.length);
const filters = args.filter((a) => !a.startsWith('--scenarios='));
/** Scenario cases running at once (each with its own Envoy); ENVOY_TEST_JOBS overrides. */
const JOBS = Math.max(1, Number(process.env.ENVOY_TEST_JOBS) || 2);
const selected = (name: string) => filters.length === 0 || filters.some((f) => name.includes(f));
const slug = (s: string) => s.replace(/[^a-z0-9]+/gi, '-').replace(/^-|-$/g, '').slice(0, 60);

async function main(): Promise<number> {
  const envoy = ensureEnvoy();
  if ('missing' in envoy) {
    if (process.env.CI === 'true') {
      console.error(`envoy-test: FAILED: Envoy is required under CI=true: ${envoy.missing}`);
      return 1;
    }
    console.log(`envoy-test: skipped: ${envoy.missing}. Nothing was checked against Envoy (CI fails in this case).`);
    return 0;
  }
  console.log(`envoy-test: Envoy ${envoy.version} (${envoy.path})`);
  const work = mkdtempSync(join(tmpdir(), 'meshplug-envoy-test-'));
  const report = new Report();
  let cases = 0;
  // Numbered: names cut to 60 characters may collide, and concurrent cases must never share a directory.
  const caseDir = (name: string) => {
    const d = join(work, `${String(++cases).padStart(3, '0')}-${slug(name)}`);
    mkdirSync(d, { recursive: true });
    return d;
  };

  report.suite('shipped bootstraps (envoy --mode validate)');
  await validateShippedConfigs(envoy.path, report, selected);

  report.suite('conformance modules (envoy-test/conformance.json)');
  for (const c of loadConformance()) {
    if (!selected(c.name)) continue;
    try {
      const r = await runConformanceCase(c, envoy.path, caseDir(`conformance ${c.name}`));
      if (r.problems.length) report.fail(c.name, r.problems, r.stderrPath);
      else report.pass(c.name);
    } catch (e) {
      report.fail(c.name, [(e as Error).message]);
    }
  }

  if (selected('metric names')) {
    report.suite('metric names (envoy-test/metric-names.json)');
    try {
      await runMetricNamesSuite(envoy.path, report, caseDir('metric names'));
    } catch (e) {
      report.fail('metric names', [(e as Error).message]);
    }
  }

  report.suite('scenarios (test/scenarios/, envoy-test/scenarios/) in Envoy and in our host');
  const hostRunner = await loadHostRunner();
  if (typeof hostRunner === 'string') console.log(`note: our host is not compared (${hostRunner}); scenarios are checked in Envoy only`);
  const resolveCluster = await loadClusterResolver();
  const scenarios = scenarioDir
    ? loadScenarios(scenarioDir)
    : [...loadScenarios(), ...loadScenarios(join(repoRoot, 'envoy-test', 'scenarios'))
      // The gRPC corpus (gRPC fixture servers, HTTP/2 clusters) and the TCP corpus (a network listener) have
      // their own suites below.
      .filter((x) => !GRPC_SCENARIO_FILE.test(x.file) && !TCP_SCENARIO_FILE.test(x.file))
      .map((x) => ({ ...x, file: `envoy-test/${x.file}` }))];
  if (scenarios.length === 0) console.log('note: test/scenarios/ holds no scenarios yet');
  const chosen = scenarios.map(({ file, scenario }) => ({ name: `${file} › ${scenario.name}`, scenario })).filter((c) => selected(c.name));
  // Scenarios of envoy-test/scenarios/ name the WAT fixtures and the probe plugin by these paths; the
  // probe (an AssemblyScript build) is built only when a chosen case needs it.
  await buildWatFixtures(join(repoRoot, WAT_OUT_DIR));
  if (chosen.some((c) => c.scenario.plugins.some((p) => p.wasm === PROBE_PLUGIN_WASM))) {
    const probeProblem = await buildProbePlugin();
    if (probeProblem) console.log(`note: the probe plugin is not available (${probeProblem}); its scenarios are skipped`);
  }
  // Each case has its own Envoy (exact: no shared plugin state, metrics or log lines), so cases can
  // overlap: Envoy's start-up is mostly waiting, and JOBS of them at once cut the wall time.
  const ctx: CaseContext = { envoyPath: envoy.path, resolveCluster, host: hostRunner, hostLock: serial(), dirFor: caseDir };
  const tasks = chosen.map((c) => () => runScenarioCase(c.scenario, c.name, ctx));
  for await (const o of inOrder(tasks, JOBS)) {
    if (o.kind === 'pass') report.pass(o.name, o.note);
    else if (o.kind === 'skip') report.skip(o.name, o.why);
    else report.fail(o.name, o.details, o.stderrPath);
  }

  report.suite('gRPC calls and streams (envoy-test/scenarios/grpc*.json) in Envoy and in our host');
  try {
    await runGrpcSuite(envoy.path, report, selected, caseDir);
  } catch (e) {
    report.fail('gRPC', [(e as Error).message]);
  }

  report.suite('TCP (network filter) connections (envoy-test/scenarios/tcp*.json) in Envoy and in our host');
  try {
    await runTcpSuite(envoy.path, report, selected, caseDir);
  } catch (e) {
    report.fail('TCP', [(e as Error).message]);
  }

  report.suite('properties: the same bytes in both hosts');
  try {
    await runPropertySuite(envoy.path, report, selected, hostRunner, caseDir('properties'));
  } catch (e) {
    report.fail('properties', [(e as Error).message]);
  }

  console.log(`\n${report.summary()}`);
  if (report.failed === 0) rmSync(work, { recursive: true, force: true });
  else console.log(`Envoy configs and logs of this run: ${work}`);
  return report.failed === 0 ? 0 : 1;
}

// Ctrl-C: exit normally so the Envoys this run started are killed with it (host/envoy/process.ts).
for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => process.exit(130));
process.exitCode = await main();
