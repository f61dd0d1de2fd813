// What real Envoy 1.40 does with a CRS test's exact request bytes, for the reasons in
// plugins/waf/ftw-overrides.yaml: each listed test runs through its own Envoy (the same dist/waf.wasm and
// regression config as `meshplug waf-test`, upstream the albedo backend), and prints per stage the
// response (or socket error), whether the request reached the upstream, the rule ids the WAF logged and
// what the request looked like to the WAF (:method, :authority, protocol), then whether go-ftw's
// expectations hold in Envoy. One Envoy per test, so its log lines are that test's alone.
//   npx tsx test/waf-test/envoy-facts.ts 911100-5 920100-4 ...   (ids default to every override's)
import { readFileSync } from 'node:fs';
import { stringify } from 'yaml';
import { bootstrapObject } from '../../host/envoy/bootstrap.ts';
import { startEnvoy } from '../../host/envoy/process.ts';
import { startAlbedo } from '../../host/waf-test/albedo.ts';
import { checkStage } from '../../host/waf-test/check.ts';
import { testPluginConfig } from '../../host/waf-test/crs-config.ts';
import { triggeredRules } from '../../host/waf-test/log-window.ts';
import type { Stage } from '../../host/waf-test/ftw-test.ts';
import { parseOverrides } from '../../host/waf-test/overrides.ts';
import { sendRaw, type RawResult } from '../../host/waf-test/raw-client.ts';
import { buildRequest } from '../../host/waf-test/request.ts';
import { loadTests } from '../../host/waf-test/runner.ts';
import { ensureEnvoy } from '../../envoy-test/lib/ensure-envoy.ts';
import { pluginLogs } from '../../envoy-test/lib/envoy-logs.ts';

const repo = new URL('../..', import.meta.url).pathname;
const testsDir = process.env.CRS_TESTS ?? '/work/shared/data/crs/tests';
const overridesFile = `${repo}plugins/waf/ftw-overrides.yaml`;

// A rule that logs what the WAF was handed, so the facts say what Envoy passed to the filter chain.
const probeRule = `SecAction "id:999998,phase:1,pass,log,msg:'seen method=%{REQUEST_METHOD} protocol=%{REQUEST_PROTOCOL} host=[%{REQUEST_HEADERS.host}] line=[%{REQUEST_LINE}]'"`;

function withProbe(configJson: string): string {
  const cfg = JSON.parse(configJson) as { directives_map: Record<string, string[]> };
  for (const lines of Object.values(cfg.directives_map)) lines.splice(lines.length - 1, 0, probeRule);
  return JSON.stringify(cfg);
}

async function main(): Promise<number> {
  const envoy = ensureEnvoy();
  if (!('path' in envoy)) { console.error(`envoy-facts: ${envoy.missing}`); return 1; }
  let ids = process.argv.slice(2);
  if (ids.length === 0) ids = parseOverrides(readFileSync(overridesFile, 'utf8'), overridesFile).ignore.map((f) => f.source.replace(/^\^|\$$/g, ''));
  const { cases } = await loadTests(testsDir);
  const albedo = await startAlbedo();
  try {
    for (const id of ids) {
      const tc = cases.find((c) => c.id === id);
      if (!tc) { console.log(`${id}: no such test`); continue; }
      const running = await startEnvoy({
        envoyPath: envoy.path, cwd: repo, readyTimeoutMs: 60_000,
        configYaml: stringify(bootstrapObject({
          plugins: [{ name: 'waf', wasmPath: `${repo}dist/waf.wasm`, configuration: withProbe(testPluginConfig(null)) }],
          upstream: albedo.url, listenPort: 0, adminPort: 0,
        }), { lineWidth: 0 }),
      });
      const port = running.ports.ingress!;
      const seen: string[] = [];
      const sent: { line: string; stage: Stage; result: RawResult | null }[] = [];
      for (const stage of tc.stages) {
        const built = buildRequest(stage.input);
        if (!built.ok) { sent.push({ line: `cannot build: ${built.error}`, stage, result: null }); continue; }
        const before = (await running.stats())['cluster.upstream.upstream_rq_total'] ?? 0;
        const r = await sendRaw('127.0.0.1', port, built.bytes, 10_000);
        await new Promise((res) => setTimeout(res, 300)); // let the upstream request be counted
        const upstream = ((await running.stats())['cluster.upstream.upstream_rq_total'] ?? 0) - before;
        const answer = r.ok ? `status ${r.response.status}${r.response.status >= 400 ? ` ${JSON.stringify(r.response.full.split('\r\n\r\n')[1]?.slice(0, 60) ?? '')}` : ''}` : `error: ${r.error}`;
        sent.push({ line: `${answer}; upstream requests ${upstream}`, stage, result: r });
        seen.push(Buffer.from(built.bytes.subarray(0, 200)).toString('latin1').split('\r\n')[0]!);
      }
      await running.stop();
      // The whole test's log lines (one Envoy per test); enough for the one-stage tests the overrides list.
      const lines = pluginLogs(running.logs()).plugin.map((l) => l.message);
      const probes = lines.filter((l) => l.includes('999998')).map((l) => /seen [^']*?\](?=\S*$|"|')/.exec(l)?.[0] ?? /seen [^'"]*/.exec(l)?.[0] ?? l);
      const ruleIds = [...triggeredRules(lines)].filter((n) => n >= 900000 && n < 1000000 && n !== 999998).sort((a, b) => a - b);
      console.log(`${id}: request line ${JSON.stringify(seen.join(' | '))}`);
      for (const o of sent) {
        const verdict = o.result ? checkStage(o.stage.output, o.result, lines) : { pass: false, reasons: [] };
        console.log(`  Envoy: ${o.line}; ${verdict.pass ? 'test passes in Envoy' : `test fails in Envoy: ${verdict.reasons.join('; ')}`}`);
      }
      console.log(`  WAF saw: ${probes.length ? probes.join(' / ') : 'nothing (no stream reached the filter)'}; rule ids ${ruleIds.join(' ') || 'none'}`);
    }
  } finally {
    await albedo.close();
  }
  return 0;
}

process.exitCode = await main();
