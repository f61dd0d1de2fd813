// telemetry-tags through the real dist/telemetry-tags.wasm: what the scenario corpus cannot express —
// refused configurations, hostile requests, 10^5 requests against the cardinality cap and memory, and
// the gateway's /stats/prometheus read with a real Prometheus text-format parser.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { test } from 'node:test';
import { ProxyWasmHost } from '../../host/core/host.ts';
import type { IncomingRequest } from '../../host/core/types.ts';
import { startGateway } from '../../host/node/gateway.ts';
import { loadPluginFile } from '../../host/node/load-plugin.ts';
import { nodePlatform } from '../../host/node/platform.ts';
import { runSingleRequest } from '../../host/node/single-request.ts';

const wasm = new URL('../../dist/telemetry-tags.wasm', import.meta.url).pathname;
const skip = existsSync(wasm) ? false : 'dist/telemetry-tags.wasm is not built (npm run build:plugin -- telemetry-tags)';

interface PromSample { value: string; labels?: Record<string, string>; buckets?: Record<string, string>; count?: string; sum?: string }
interface PromFamily { name: string; type: string; metrics: PromSample[] }
const parsePrometheus = createRequire(import.meta.url)('parse-prometheus-text-format') as (text: string) => PromFamily[];

const minimal = {
  tags: [{ name: 'api_version', from: { header: 'x-api-version' }, default: 'unknown', values: ['v1', 'v2'] }],
  metrics: [{ name: 'requests_total', type: 'counter', tags: ['api_version'] }],
};

async function configure(config: unknown): Promise<string> {
  try {
    await runSingleRequest({ plugins: [{ file: wasm, configuration: typeof config === 'string' ? config : JSON.stringify(config) }], request: { path: '/' } });
    return 'accepted';
  } catch (e) {
    return (e as Error).message;
  }
}

test('bad configurations are refused with the field and the reason', { skip }, async () => {
  const cases: [unknown, string][] = [
    ['{"tags": [', 'configuration is not valid JSON'],
    ['[]', 'configuration: must be a JSON object'],
    [{}, 'tags: must be a non-empty array'],
    [{ tags: [], metrics: [] }, 'tags: must be a non-empty array'],
    [{ tags: [{ name: 'a' }] }, 'tags[0]: needs exactly one of "from" and "rules"'],
    [{ tags: [{ name: 'bad-name', from: 'method' }] }, 'tags[0].name: must be a label name'],
    [{ tags: [{ name: 'a', from: 'method' }, { name: 'a', from: 'path' }] }, 'tags[1].name: duplicate tag "a"'],
    [{ tags: [{ name: 'a', from: 'nowhere' }] }, 'tags[0].from: unknown source "nowhere"'],
    [{ tags: [{ name: 'a', from: { header: 'x', query: 'y' } }] }, 'tags[0].from: needs exactly one of'],
    [{ tags: [{ name: 'a', from: { header: 'bad header' } }] }, 'tags[0].from.header'],
    [{ tags: [{ name: 'a', from: { pathRegex: '(' } }] }, 'tags[0].from.pathRegex: invalid regex'],
    [{ tags: [{ name: 'a', from: { pathRegex: '^/(x)', group: 2 } }] }, 'tags[0].from.group: must be an integer from 0 to 1'],
    [{ tags: [{ name: 'a', from: { pathSegment: 1.5 } }] }, 'tags[0].from.pathSegment'],
    [{ tags: [{ name: 'a', from: { property: 'a..b' } }] }, 'tags[0].from.property: has an empty segment'],
    [{ tags: [{ name: 'a', from: 'method', values: ['GET;.;x'] }] }, 'tags[0].values[0]: may only hold'],
    [{ tags: [{ name: 'a', from: 'method', default: '' }] }, 'tags[0].default: must not be empty'],
    [{ tags: [{ name: 'a', from: 'method', maxValues: 0 }] }, 'tags[0].maxValues'],
    [{ tags: [{ name: 'a', from: 'method', maxValues: 5000 }] }, 'tags[0].maxValues'],
    [{ tags: [{ name: 'a', from: 'method', colour: 1 }] }, 'tags[0]: unknown field "colour"'],
    [{ tags: [{ name: 'a', rules: [] }] }, 'tags[0].rules: must be a non-empty array'],
    [{ tags: [{ name: 'a', rules: [{ value: 'x' }] }] }, 'tags[0].rules[0].when: is required'],
    [{ tags: [{ name: 'a', values: ['x'], rules: [{ when: { from: 'method', equals: 'GET' }, value: 'y' }] }] }, 'tags[0].rules[0].value: "y" is not in "values"'],
    [{ tags: [{ name: 'a', rules: [{ when: { from: 'method' }, value: 'x' }] }] }, 'tags[0].rules[0].when: needs "from" and exactly one test'],
    [{ tags: [{ name: 'a', rules: [{ when: { from: 'method', regex: '[' }, value: 'x' }] }] }, 'tags[0].rules[0].when.regex: invalid regex'],
    [{ tags: [{ name: 'a', rules: [{ when: { all: [] }, value: 'x' }] }] }, 'tags[0].rules[0].when.all: must be a non-empty array'],
    [{ tags: [{ name: 'a', rules: [{ when: { from: 'method', present: false }, value: 'x' }] }] }, 'tags[0].rules[0].when.present: must be true'],
    [{ tags: [{ name: 'a', rules: [{ when: nest(10), value: 'x' }] }] }, 'nested deeper than 8'],
    [{ ...minimal, metrics: [{ name: 'm', tags: ['nope'] }] }, 'metrics[0].tags[0]: no tag named "nope"'],
    [{ ...minimal, metrics: [{ name: 'm', type: 'gauge' }] }, 'metrics[0].type: must be "counter" or "histogram"'],
    [{ ...minimal, metrics: [{ name: 'm' }, { name: 'm' }] }, 'metrics[1].name: duplicate metric "m"'],
    [{ ...minimal, metrics: [{ name: '1m' }] }, 'metrics[0].name: must be a metric name'],
    [{ tags: Array.from({ length: 7 }, (_, i) => ({ name: `t${i}`, from: 'method' })), metrics: [{ name: 'm', tags: ['t0', 't1', 't2', 't3', 't4', 't5', 't6'] }] }, 'metrics[0].tags: at most 6 tags'],
    [{ ...minimal, filterState: ['nope'] }, 'filterState[0]: no tag named "nope"'],
    [{ ...minimal, requestHeaders: { 'x-a': 'nope' } }, 'requestHeaders.x-a: must name a configured tag'],
    [{ ...minimal, requestHeaders: { ':path': 'api_version' } }, 'requestHeaders.:path'],
    [{ ...minimal, requestHeaders: { host: 'api_version' } }, 'requestHeaders.host: is a header the proxy owns'],
    [{ tags: [{ name: 'c', from: 'responseCodeClass' }], requestHeaders: { 'x-c': 'c' } }, 'requestHeaders.x-c: tag "c" is only known once the response starts'],
    [{ ...minimal, log: { level: 'loud' } }, 'log.level: must be one of'],
    [{ ...minimal, extra: true }, 'configuration: unknown field "extra"'],
  ];
  for (const [config, want] of cases) {
    const got = await configure(config);
    assert.ok(got.includes(want), `config ${JSON.stringify(config)}\n  expected a refusal containing: ${want}\n  got: ${got}`);
  }
  assert.equal(await configure(minimal), 'accepted');
});

function nest(depth: number): unknown {
  let c: unknown = { from: 'method', equals: 'GET' };
  for (let i = 0; i < depth; i++) c = { not: c };
  return c;
}

test('hostile requests get the upstream answer and a sane tag, never a trap', { skip }, async () => {
  const config = {
    tags: [
      { name: 'tenant', from: { header: 'x-tenant' } },
      { name: 'seg', from: { pathSegment: -1 } },
      { name: 'q', from: { query: 'q' } },
      { name: 'rx', from: { pathRegex: '^/(a+)+$' } },
      { name: 'cls', rules: [{ when: { from: { query: 'q' }, regex: '(x+x+)+y' }, value: 'evil' }] },
    ],
    metrics: [{ name: 'hostile_total', tags: ['tenant', 'seg', 'q', 'rx', 'cls'] }],
    requestHeaders: { 'x-t': 'tenant', 'x-s': 'seg', 'x-q': 'q' },
  };
  const weird: { path: string; headers: [string, string][]; want: Record<string, string> }[] = [
    { path: '/', headers: [['x-tenant', '\u00ff\u00fe binary \u0001']], want: { 'x-t': '_____binary__' } }, // ÿ and þ are two UTF-8 bytes each
    { path: '/', headers: [['x-tenant', 'plain']], want: { 'x-t': 'plain' } },
    { path: '/' + 'a'.repeat(5000), headers: [['x-tenant', 'x'.repeat(8000)]], want: { 'x-t': 'other' } },
    { path: '/?q=%zz%', headers: [], want: { 'x-q': '_zz_' } },
    { path: '/?q=' + 'x'.repeat(3000) + '&q=2', headers: [], want: { 'x-q': 'other' } },
    { path: '/?&&==&q', headers: [], want: { 'x-q': 'unknown' } },
    { path: '*', headers: [], want: { 'x-s': 'unknown' } },
    { path: '/a;.;b=.=c', headers: [], want: { 'x-s': 'a_._b_._c' } },
  ];
  for (const w of weird) {
    const o = await runSingleRequest({ plugins: [{ file: wasm, configuration: JSON.stringify(config) }], request: { path: w.path, headers: w.headers }, upstream: { status: 200, body: 'ok' } });
    assert.equal(o.response.status, 200, `${w.path.slice(0, 40)}: ${JSON.stringify(o.logs)}`);
    const got = Object.fromEntries(o.upstreamRequest!.headers.filter(([k]) => k in w.want));
    assert.deepEqual(got, w.want, w.path.slice(0, 40));
    for (const name of Object.keys(o.metrics)) assert.doesNotMatch(name.replace(/=\.=[^;=]*;\.;/g, ''), /[;=]/, name);
  }
});

test('10^5 requests with random header values stay within the cardinality cap and do not grow memory', { skip }, async () => {
  const host = new ProxyWasmHost({ platform: nodePlatform(), upstream: () => ({ status: 200, headers: [['content-length', '0']], body: new Uint8Array(0) }), workers: 1, logLevel: 'warn' });
  const cap = 40;
  host.addPlugin(await loadPluginFile({ file: wasm, configuration: JSON.stringify({
    tags: [
      { name: 'api_version', from: { header: 'x-api-version' }, default: 'unknown', values: ['v1', 'v2'] },
      { name: 'tenant', from: { header: 'x-tenant' }, maxValues: cap },
    ],
    metrics: [{ name: 'requests_total', tags: ['api_version', 'tenant'] }, { name: 'latency_ms', type: 'histogram', tags: ['tenant'] }],
  }) }));
  const req = (h: [string, string][]): IncomingRequest => ({ method: 'GET', path: '/', authority: 'example.com', scheme: 'http', protocol: 'HTTP/1.1', headers: h, body: new Uint8Array(0), connection: { id: 1, sourceAddress: '127.0.0.1:40000', destinationAddress: '127.0.0.1:10000' } });
  const pool = randomBytes(1 << 20);
  let at = 0;
  const random = () => { const n = 1 + pool[at++ % pool.length]! % 24; const s = pool.subarray(at % (pool.length - 32), at % (pool.length - 32) + n).toString('latin1'); at += n; return s.replace(/[\r\n\0]/g, 'z'); };
  const send = async (n: number) => {
    for (let i = 0; i < n; i++) {
      const r = host.handle(req([['x-api-version', i % 3 === 0 ? 'v1' : random()], ['x-tenant', random()]]));
      const res = r instanceof Promise ? await r : r;
      assert.equal(res.status, 200);
    }
  };
  await send(10_000);
  const memoryAfterWarmup = host.memoryBytes();
  await send(90_000);
  const memoryAfter = host.memoryBytes();
  const stats = host.stats.snapshot();
  const counters = Object.keys(stats).filter((k) => k.endsWith(';.;requests_total'));
  const total = counters.reduce((s, k) => s + stats[k]!, 0);
  host.close();
  assert.equal(total, 100_000, 'every request counted once');
  const versions = new Set(counters.map((k) => /api_version=\.=(.*?);\.;/.exec(k)![1]));
  assert.ok([...versions].every((v) => ['v1', 'v2', 'unknown', 'other'].includes(v!)), [...versions].join(','));
  const tenants = new Set(counters.map((k) => /tenant=\.=(.*?);\.;/.exec(k)![1]));
  assert.ok(tenants.size <= cap + 2, `tenant values ${tenants.size} > cap ${cap} + default + other`);
  assert.ok(tenants.has('other'), 'values past the cap count as other');
  assert.ok(counters.length <= 4 * (cap + 2), `${counters.length} series`);
  assert.equal(memoryAfter, memoryAfterWarmup, `linear memory grew from ${memoryAfterWarmup} to ${memoryAfter} bytes`);
});

test('the gateway\'s /stats/prometheus shows the tags as labels (parsed as Prometheus text)', { skip }, async () => {
  const gw = await startGateway({
    listen: { host: '127.0.0.1', port: 0 }, admin: { host: '127.0.0.1', port: 0 }, upstream: 'echo', workers: 1, logLevel: 'warn',
    clusters: {}, statsTags: null,
    plugins: [{ name: 'telemetry-tags', wasm, rootId: '', vmId: '', failurePolicy: 'FAIL_CLOSED', config: JSON.stringify({
      ...minimal,
      metrics: [...minimal.metrics, { name: 'request_duration_ms', type: 'histogram', tags: ['api_version'] }],
    }) }],
  }, () => {});
  try {
    const sends: [string | null, number][] = [['v1', 3], ['v9', 2], [null, 1]];
    for (const [v, n] of sends) {
      for (let i = 0; i < n; i++) {
        const r = await fetch(gw.url + '/', { headers: v ? { 'x-api-version': v } : {} });
        assert.equal(r.status, 200);
        await r.arrayBuffer();
      }
    }
    const text = await (await fetch(gw.adminUrl + '/stats/prometheus')).text();
    const families = parsePrometheus(text);
    const counter = families.find((f) => f.name === 'requests_total');
    assert.ok(counter, `no requests_total family in:\n${text}`);
    assert.equal(counter.type, 'COUNTER');
    const byVersion = Object.fromEntries(counter.metrics.map((m) => [m.labels?.api_version, Number(m.value)]));
    assert.deepEqual(byVersion, { v1: 3, other: 2, unknown: 1 });
    const hist = families.find((f) => f.name === 'request_duration_ms');
    assert.ok(hist, `no request_duration_ms family in:\n${text}`);
    assert.equal(hist.type, 'HISTOGRAM');
    // parse-prometheus-text-format folds labelled histogram series into one (its flattenMetrics keeps no
    // labels), so the per-label sample counts are read from the gateway's stats store instead.
    const counts = Object.fromEntries([...gw.host.stats.stats.values()].filter((st) => st.name.endsWith(';.;request_duration_ms'))
      .map((st) => [/api_version=\.=(.*?);\.;/.exec(st.name)![1], st.count]));
    assert.deepEqual(counts, { v1: 3, other: 2, unknown: 1 });
  } finally {
    await gw.close();
  }
});

test('the WasmPlugin example and every scenario config match config.schema.json and are accepted', { skip }, async () => {
  const require = createRequire(import.meta.url);
  const Ajv2020 = require('ajv/dist/2020') as { default: new (o: object) => { compile(s: object): ((d: unknown) => boolean) & { errors?: unknown } } };
  const { parse } = await import('yaml');
  const { readFileSync } = await import('node:fs');
  const read = (p: string) => readFileSync(new URL(p, import.meta.url), 'utf8');
  const validate = new Ajv2020.default({ strict: false }).compile(JSON.parse(read('../../plugins/telemetry-tags/config.schema.json')) as object);
  const example = (parse(read('../../plugins/telemetry-tags/examples/wasmplugin.yaml')) as { spec: { pluginConfig: unknown } }).spec.pluginConfig;
  assert.ok(validate(example), JSON.stringify(validate.errors));
  assert.equal(await configure(example), 'accepted');
  const scenarios = JSON.parse(read('../scenarios/telemetry-tags.json')) as { name: string; plugins: { config?: unknown }[] }[];
  for (const s of scenarios) for (const p of s.plugins) assert.ok(validate(p.config), `${s.name}: ${JSON.stringify(validate.errors)}`);
  // The schema refuses what the plugin refuses, at least for the common mistakes.
  for (const bad of [{}, { tags: [{ name: 'a' }] }, { tags: [{ name: 'a', from: 'method', values: ['x;y'] }] }, { tags: [{ name: 'a', from: 'method' }], extra: 1 }]) {
    assert.equal(validate(bad), false, JSON.stringify(bad));
    assert.notEqual(await configure(bad), 'accepted', JSON.stringify(bad));
  }
});

test('node metadata and node id as tag sources (our host; the Envoy test checks the same in Envoy)', { skip }, async () => {
  const config = {
    tags: [
      { name: 'zone', from: { property: ['xds', 'node', 'metadata', 'ZONE'] }, default: 'none' },
      { name: 'nid', from: { property: 'xds.node.id' }, default: 'none' },
      { name: 'missing', from: { property: ['xds', 'node', 'metadata', 'NOPE'] }, default: 'none' },
    ],
    responseHeaders: { 'x-zone': 'zone', 'x-nid': 'nid', 'x-missing': 'missing' },
  };
  const o = await runSingleRequest({
    plugins: [{ file: wasm, configuration: JSON.stringify(config) }], request: { path: '/' }, upstream: { status: 200 },
    hostOptions: { node: { id: 'sidecar-7', cluster: '', metadata: { ZONE: 'east-1' } } },
  });
  const h = Object.fromEntries(o.response.headers.filter(([k]) => ['x-zone', 'x-nid', 'x-missing'].includes(k)));
  assert.deepEqual(h, { 'x-zone': 'east-1', 'x-nid': 'sidecar-7', 'x-missing': 'none' });
});
