// `npm run test:istio`: every plugin through real Istio on one machine. For each plugin with an example
// WasmPlugin: `meshplug push` its module in run.sh's --before, apply the example (pointed at run.sh's
// registry, pinned to the image digest) to Istio's control plane, send its smoke scenarios through the
// sidecar inbound and outbound; then run the same WasmPlugin with `meshplug envoy --wasmplugin` and require
// the same answers. A wrong sha256 must give Istio's deny-all and a refusal from `meshplug envoy`.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { renderWasmPluginYaml } from '../../host/delivery/render-yaml.ts';
import { isWasmPluginDocument, type WasmPlugin } from '../../host/delivery/wasmplugin.ts';
import { buildImage } from '../../host/oci/image-builder.ts';
import { pushImage } from '../../host/oci/push-image.ts';
import { parseImageReference, type ImageReference } from '../../host/oci/reference.ts';
import { meshplug } from '../../test/delivery/lib/cli.ts';
import { startMeshplugEnvoy } from '../../test/delivery/lib/envoy-cli.ts';
import { startRegistry } from '../../test/delivery/lib/registry.ts';
import type { Scenario } from '../../test/lib/scenario.ts';
import { prepareMesh, runMesh } from './mesh-run.ts';
import { checkSmoke, LOAD_PROBE, repoRoot, sendScenario, smokeScenarios, type SmokeResult } from './smoke.ts';

const MESH_REGISTRY = '127.0.0.1:5000'; // run.sh's registry, inside its private network namespace
const work = mkdtempSync(join(tmpdir(), 'meshplug-istio-'));
let passed = 0;
let failed = 0;
const undelivered: string[] = []; // plugins checked for delivery only (no smoke scenario)
let denyAllChecked = false;

function report(name: string, problems: string[]): void {
  if (problems.length === 0) {
    passed++;
    console.log(`ok   ${name}`);
  } else {
    failed++;
    console.log(`FAIL ${name}\n  ${problems.join('\n  ')}`);
  }
}

interface PluginUnderTest {
  name: string;
  wasmPath: string;
  example: WasmPlugin;
  exampleFile: string;
}

function pluginsWithExamples(): PluginUnderTest[] {
  const out: PluginUnderTest[] = [];
  for (const name of readdirSync(join(repoRoot, 'plugins')).sort()) {
    const dir = join(repoRoot, 'plugins', name, 'examples');
    if (!existsSync(dir)) continue;
    for (const file of readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort()) {
      const doc = parseAllDocuments(readFileSync(join(dir, file), 'utf8'), { version: '1.1' }).map((d) => d.toJS() as unknown).find(isWasmPluginDocument);
      if (doc) {
        out.push({ name, wasmPath: join(repoRoot, 'dist', `${name}.wasm`), example: doc as WasmPlugin, exampleFile: join('plugins', name, 'examples', file) });
        break;
      }
    }
  }
  return out;
}

/** The example as applied here: same spec, but on workload app=demo in `default`, from `url`, pinned. */
function forThisMesh(p: PluginUnderTest, url: string, sha256: string): WasmPlugin {
  const { selector: _s, targetRefs: _t, ...spec } = p.example.spec;
  return {
    apiVersion: p.example.apiVersion,
    kind: 'WasmPlugin',
    metadata: { name: p.example.metadata.name, namespace: 'default' },
    spec: { ...spec, url, sha256, selector: { matchLabels: { app: 'demo' } } },
  };
}

function ref(url: string): ImageReference {
  const r = parseImageReference(url);
  if (r instanceof Error) throw r;
  return r;
}

/** The values a plugin is judged on, as one comparable record per scenario. */
function answers(s: Scenario, r: SmokeResult): Record<string, unknown> {
  const first = (headers: [string, string][], name: string) => headers.find(([k]) => k === name)?.[1] ?? null;
  const responseNames = Object.keys(s.expect.response.headers ?? {});
  const upstreamNames = Object.keys(s.expect.upstreamRequest?.headers ?? {}).filter((h) => h !== 'host');
  return {
    status: r.observation.response.status,
    response: Object.fromEntries(responseNames.map((h) => [h, first(r.observation.response.headers, h)])),
    upstream: r.observation.upstreamRequest ? Object.fromEntries(upstreamNames.map((h) => [h, first(r.observation.upstreamRequest!.headers, h)])) : null,
  };
}

async function runLocally(resourceFile: string, scenarios: Scenario[], cacheDir: string): Promise<SmokeResult[]> {
  const envoy = await startMeshplugEnvoy(['--wasmplugin', resourceFile, '--listen', '127.0.0.1:0', '--cache-dir', cacheDir]);
  try {
    const out: SmokeResult[] = [];
    for (const s of scenarios) out.push(await sendScenario(s, envoy.url, 'local'));
    return out;
  } finally {
    await envoy.stop();
  }
}

async function testPlugin(p: PluginUnderTest): Promise<void> {
  const label = `${p.name} (${p.exampleFile})`;
  if (!existsSync(p.wasmPath)) return report(label, [`${p.wasmPath} is missing: run npm run build:plugin`]);
  const wasm = new Uint8Array(readFileSync(p.wasmPath));
  // `meshplug push` builds the same image (and digest) from the same module: the resource can be pinned first.
  const digest = buildImage(wasm, 'compat').manifestDigest.slice(7);
  const config = p.example.spec.pluginConfig ?? {};
  let scenarios = smokeScenarios(p.name, config);
  if (scenarios.length === 0) {
    // Delivery is still checked end to end; whether the plugin acts needs a scenario its owner adds.
    console.log(`note ${label}: no scenario in test/scenarios/${p.name}.json runs it alone with the example's pluginConfig: only delivery is checked`);
    undelivered.push(p.name);
    scenarios = [LOAD_PROBE];
  }

  const meshUrl = `oci://${MESH_REGISTRY}/meshplug/${p.name}:smoke`;
  const resourceFile = join(work, `${p.name}-mesh.yaml`);
  writeFileSync(resourceFile, renderWasmPluginYaml(forThisMesh(p, meshUrl, digest)));
  const resultFile = join(work, `${p.name}-mesh.json`);
  const push = `node ${join(repoRoot, 'bin/meshplug.mjs')} push ${p.wasmPath} ${meshUrl} --plain-http`;
  const mesh = await runMesh([resourceFile], push, ['node', '--import', 'tsx', join(repoRoot, 'envoy-test/istio/send-smoke.ts'), p.name, JSON.stringify(config), resultFile]);
  if (mesh.status !== 0 || !existsSync(resultFile)) return report(`${label}: through Istio`, [`run.sh exited ${mesh.status}`, mesh.output.trim().slice(-2000)]);
  const meshResults = JSON.parse(readFileSync(resultFile, 'utf8')) as SmokeResult[];
  for (const s of scenarios) {
    for (const side of ['inbound', 'outbound'] as const) {
      const r = meshResults.find((x) => x.scenario === s.name && x.side === side);
      report(`${label}: Istio sidecar ${side}: ${s.name}`, r ? checkSmoke(s, r) : ['no result']);
    }
  }

  // The same WasmPlugin (same digest), from a registry of our own, through meshplug envoy.
  const registry = await startRegistry('none');
  try {
    const localUrl = `oci://${registry.host}/meshplug/${p.name}:smoke`;
    await pushImage(ref(localUrl), buildImage(wasm, 'compat'), { plainHttp: true });
    const localFile = join(work, `${p.name}-local.yaml`);
    writeFileSync(localFile, renderWasmPluginYaml(forThisMesh(p, localUrl, digest)));
    const local = await runLocally(localFile, scenarios, join(work, 'cache'));
    for (const s of scenarios) {
      const l = local.find((x) => x.scenario === s.name)!;
      const m = meshResults.find((x) => x.scenario === s.name && x.side === 'inbound');
      const problems = checkSmoke(s, l);
      if (m && JSON.stringify(answers(s, l)) !== JSON.stringify(answers(s, m))) {
        problems.push(`differs from the Istio sidecar: local ${JSON.stringify(answers(s, l))}, Istio ${JSON.stringify(answers(s, m))}`);
      }
      report(`${label}: meshplug envoy --wasmplugin, same answers: ${s.name}`, problems);
    }

    if (denyAllChecked) return; // once is enough: the refusal does not depend on the plugin
    denyAllChecked = true;
    const wrong = digest.replace(/^./, (c) => (c === '0' ? '1' : '0'));
    const wrongMesh = join(work, `${p.name}-wrong-mesh.yaml`);
    writeFileSync(wrongMesh, renderWasmPluginYaml(forThisMesh(p, meshUrl, wrong)));
    const denied = await runMesh([wrongMesh], push, ['node', '--import', 'tsx', join(repoRoot, 'envoy-test/istio/deny-probe.ts')]);
    const probes = (() => {
      try {
        // run.sh's own shutdown messages may follow: take the probe's JSON line.
        return JSON.parse(denied.output.split('\n').find((l) => l.startsWith('[{"side"')) ?? '') as { side: string; status: number; body: string }[];
      } catch {
        return [];
      }
    })();
    const denyProblems = probes.length === 2 ? [] : [`run.sh exited ${denied.status}: ${denied.output.trim().slice(-1500)}`];
    for (const pr of probes) if (pr.status !== 403 || pr.body !== 'RBAC: access denied') denyProblems.push(`${pr.side}: ${pr.status} ${JSON.stringify(pr.body)}`);
    report(`${label}: wrong sha256 → Istio's deny-all (403 RBAC: access denied)`, denyProblems);

    const wrongLocal = join(work, `${p.name}-wrong-local.yaml`);
    writeFileSync(wrongLocal, renderWasmPluginYaml(forThisMesh(p, localUrl, wrong)));
    const refused = await meshplug(['envoy', '--wasmplugin', wrongLocal, '--listen', '127.0.0.1:0', '--cache-dir', join(work, 'cache-wrong')]);
    const mentionsBoth = refused.stderr.includes(digest) && refused.stderr.includes(wrong);
    report(`${label}: wrong sha256 → meshplug envoy refuses, naming both digests`,
      refused.status === 1 && mentionsBoth ? [] : [`exit ${refused.status}: ${refused.stderr.trim()}`]);
  } finally {
    await registry.stop();
  }
}

async function main(): Promise<number> {
  const missing = prepareMesh();
  if (missing) {
    console.error(`test:istio: ${missing}`);
    return 1;
  }
  const filter = process.argv.slice(2);
  const plugins = pluginsWithExamples().filter((p) => filter.length === 0 || filter.includes(p.name));
  if (plugins.length === 0) {
    console.error('test:istio: no plugin with an example WasmPlugin (plugins/*/examples/*.yaml)');
    return 1;
  }
  for (const p of plugins) await testPlugin(p);
  if (undelivered.length) console.log(`\nwithout a smoke scenario (delivery checked, plugin behaviour not): ${undelivered.join(', ')}`);
  console.log(`\n${passed} passed, ${failed} failed`);
  return failed === 0 ? 0 : 1;
}

try {
  process.exitCode = await main();
} finally {
  rmSync(work, { recursive: true, force: true });
}
