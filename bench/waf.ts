// `npm run bench -- waf`: the WAF against nginx + libmodsecurity3, both running the same CRS at paranoia 1
// in blocking mode, driven by the same load generator (wrk) with the same four requests; coraza-proxy-wasm
// in our gateway is a second anchor. Ratios are against anchors measured in this run. Also: the WAF's own
// µs/request inside the host (no HTTP), linear memory with the CRS at PL4, memory after 10⁵ requests, and
// the CRS load time (VM start + onConfigure).
//
// Options: --duration S (wrk seconds per measurement, default 4), --rounds N (measurements per subject and
//          request, taken in turns; the median counts; default 3), --warmup S (unmeasured wrk seconds per
//          subject and request first, default 5), --connections N (default 4),
//          --requests N (host rounds, default 100; Coraza at most 10), --flat N (requests for the memory check,
//          default 100000; Coraza a tenth, at most 200),
//          --host-only (skip the HTTP comparison), --memory-only (only load time and memory),
//          --no-coraza (leave out the coraza-proxy-wasm anchor: its in-host rounds take minutes),
//          --waf FILE (measure another build of the module than dist/waf.wasm, e.g. for a before/after).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ProxyWasmHost } from '../host/core/host.ts';
import type { IncomingRequest } from '../host/core/types.ts';
import { median } from '../host/node/bench-plugin.ts';
import { startGateway, type Gateway } from '../host/node/gateway.ts';
import { loadPluginFile } from '../host/node/load-plugin.ts';
import { nodePlatform } from '../host/node/platform.ts';
import { loadableModule } from '../host/waf-test/runner.ts';

const repo = fileURLToPath(new URL('..', import.meta.url));
const crsDir = '/work/shared/data/crs';
const wafFlag = process.argv.indexOf('--waf');
const wafWasm = wafFlag >= 0 && process.argv[wafFlag + 1] ? process.argv[wafFlag + 1]! : join(repo, 'dist/waf.wasm');
const corazaWasm = '/tmp/meshplug-peers/coraza.wasm';
const modsecModule = '/usr/lib/nginx/modules/ngx_http_modsecurity_module.so';

function intArg(args: string[], name: string, dflt: number): number {
  const i = args.indexOf(`--${name}`);
  const n = i >= 0 ? Number(args[i + 1]) : dflt;
  if (!Number.isInteger(n) || n <= 0) throw new Error(`bad --${name}: expected a positive integer`);
  return n;
}

// ---- the four requests -------------------------------------------------------------------------------
interface BenchRequest { name: string; method: string; path: string; headers: [string, string][]; body: string; benign: boolean }

const browser: [string, string][] = [
  ['Host', 'shop.example.com'],
  ['User-Agent', 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36'],
  ['Accept', 'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8'],
  ['Accept-Language', 'en-US,en;q=0.9'],
  ['Accept-Encoding', 'gzip, deflate, br'],
  ['Cookie', 'session=3f9a1c7e5b2d4f60; theme=dark'],
];

function formBody(): string {
  const fields: string[] = [];
  for (let i = 0; fields.join('&').length < 1000; i++) fields.push(`field${i}=${encodeURIComponent(`some ordinary text value number ${i}`)}`);
  return fields.join('&').slice(0, 1024).replace(/&[^&]*$/, '');
}

function jsonBody(): string {
  const items: unknown[] = [];
  let text = '';
  for (let i = 0; text.length < 16 * 1024; i++) {
    items.push({ id: i, name: `Product ${i}`, description: 'A perfectly ordinary product description', price: 10 + i, tags: ['blue', 'cotton'] });
    text = JSON.stringify({ order: { customer: 'Alice Example', items } });
  }
  return text;
}

const requests: BenchRequest[] = [
  { name: 'benign GET (browser headers)', method: 'GET', path: '/products/list?category=shoes&page=2', headers: browser, body: '', benign: true },
  { name: 'benign 1 KiB form POST', method: 'POST', path: '/account/profile', headers: [...browser, ['Content-Type', 'application/x-www-form-urlencoded']], body: formBody(), benign: true },
  { name: '16 KiB JSON POST', method: 'POST', path: '/api/orders', headers: [...browser, ['Content-Type', 'application/json']], body: jsonBody(), benign: true },
  { name: 'attack (SQLi in query)', method: 'GET', path: "/products/list?id=1'%20OR%201=1--", headers: browser, body: '', benign: false },
];

// ---- configurations ------------------------------------------------------------------------------------
const pl1Blocking = ['Include @recommended-conf', 'SecRuleEngine On', 'Include @crs-setup-conf', 'Include @owasp_crs/*.conf'];
const pl4 = ['Include @recommended-conf', 'SecRuleEngine On', 'Include @crs-setup-conf',
  'SecAction "id:900000,phase:1,pass,nolog,setvar:tx.blocking_paranoia_level=4"', 'Include @owasp_crs/*.conf'];
const pluginConfig = (directives: string[]) => JSON.stringify({ directives_map: { bench: directives }, default_directives: 'bench' });

/** ModSecurity's recommended base (what @recommended-conf is in coraza-proxy-wasm), then the same CRS. */
function modsecConf(dir: string): string {
  return [
    'SecRuleEngine On',
    'SecRequestBodyAccess On',
    'SecRule REQUEST_HEADERS:Content-Type "^(?:application(?:/soap\\+|/)|text/)xml" "id:200000,phase:1,t:none,t:lowercase,pass,nolog,ctl:requestBodyProcessor=XML"',
    'SecRule REQUEST_HEADERS:Content-Type "^application/json" "id:200001,phase:1,t:none,t:lowercase,pass,nolog,ctl:requestBodyProcessor=JSON"',
    'SecRequestBodyLimit 13107200',
    'SecRequestBodyNoFilesLimit 131072',
    'SecRequestBodyLimitAction Reject',
    'SecRule REQBODY_ERROR "!@eq 0" "id:200002,phase:2,t:none,log,deny,status:400,msg:\'Failed to parse request body.\'"',
    'SecResponseBodyAccess On',
    'SecResponseBodyMimeType text/plain text/html text/xml',
    'SecResponseBodyLimit 524288',
    'SecResponseBodyLimitAction ProcessPartial',
    `SecTmpDir ${dir}`,
    `SecDataDir ${dir}`,
    'SecAuditEngine Off',
    'SecArgumentSeparator &',
    'SecCookieFormat 0',
    'SecStatusEngine Off',
    `Include ${crsDir}/crs-setup.conf.example`,
    `Include ${crsDir}/rules/*.conf`,
  ].join('\n') + '\n';
}

function nginxConf(dir: string, port: number, body: string, modules: string): string {
  const temp = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((t) => `${t}_temp_path ${dir}/${t};`).join('\n  ');
  return `${modules}
worker_processes 1;
daemon off;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  ${temp}
  client_max_body_size 1m;
  client_body_buffer_size 64k;
  server {
    listen 127.0.0.1:${port};
    ${body}
  }
}
`;
}

// ---- processes ------------------------------------------------------------------------------------------
async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as AddressInfo;
  await new Promise((r) => s.close(r));
  return port;
}

async function waitForPort(port: number, child: ChildProcess, errorLog: string): Promise<void> {
  for (let i = 0; i < 300; i++) {
    if (child.exitCode !== null) throw new Error(`nginx exited (${child.exitCode}); see ${errorLog}`);
    const up = await fetch(`http://127.0.0.1:${port}/`).then(() => true, () => false);
    if (up) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`nginx did not listen on ${port} within 30 s`);
}

async function startNginx(dir: string, name: string, port: number, body: string, modules = ''): Promise<ChildProcess> {
  const d = join(dir, name);
  mkdirSync(d, { recursive: true });
  writeFileSync(join(d, 'nginx.conf'), nginxConf(d, port, body, modules));
  const child = spawn('nginx', ['-p', d, '-c', join(d, 'nginx.conf')], { stdio: 'ignore' });
  await waitForPort(port, child, join(d, 'error.log'));
  return child;
}

async function stop(child: ChildProcess | null): Promise<void> {
  if (!child || child.exitCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
  if (child.exitCode === null) child.kill('SIGKILL');
}

/** A wrk Lua script sending one fixed request. */
function wrkScript(dir: string, r: BenchRequest): string {
  const file = join(dir, `${r.name.replace(/\W+/g, '_')}.lua`);
  const lua = (s: string) => JSON.stringify(s); // JSON string escapes are valid Lua for this ASCII content
  const lines = [`wrk.method = ${lua(r.method)}`, `wrk.path = ${lua(r.path)}`, `wrk.body = ${lua(r.body)}`];
  for (const [k, v] of r.headers) lines.push(`wrk.headers[${lua(k)}] = ${lua(v)}`);
  writeFileSync(file, lines.join('\n') + '\n');
  return file;
}

interface WrkResult { rps: number; non2xx: number; requests: number }

/** Runs wrk asynchronously: the gateways live in this process, so a blocking spawn would starve them. */
function runWrk(port: number, script: string, seconds: number, connections: number): Promise<WrkResult> {
  return new Promise((resolve, reject) => {
    // --timeout: on a busy machine a slow answer must count as slow, not vanish as a socket timeout.
    const child = spawn('wrk', ['-t1', `-c${connections}`, `-d${seconds}s`, '--timeout', '30s', '-s', script, `http://127.0.0.1:${port}/`]);
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => { out += c.toString(); });
    child.stderr.on('data', (c: Buffer) => { err += c.toString(); });
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`wrk failed (${code}): ${err}`));
      resolve({
        rps: Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1] ?? NaN),
        non2xx: Number(/Non-2xx or 3xx responses:\s+(\d+)/.exec(out)?.[1] ?? 0),
        requests: Number(/(\d+) requests in/.exec(out)?.[1] ?? 0),
      });
    });
  });
}

async function statusOf(port: number, r: BenchRequest): Promise<number> {
  const res = await fetch(`http://127.0.0.1:${port}${r.path}`, { method: r.method, headers: r.headers.filter(([k]) => k !== 'Host'), body: r.body || undefined });
  await res.arrayBuffer();
  return res.status;
}

// ---- inside the host -------------------------------------------------------------------------------------
function hostRequest(r: BenchRequest): Partial<IncomingRequest> {
  return {
    method: r.method, path: r.path, authority: 'shop.example.com',
    headers: r.headers.filter(([k]) => k !== 'Host').map(([k, v]) => [k.toLowerCase(), v]),
    body: new TextEncoder().encode(r.body),
  };
}

interface Loaded { host: ProxyWasmHost; loadMs: number; compileMs: number; loadedBytes: number }

async function loadInHost(wasm: string, directives: string[]): Promise<Loaded> {
  const t0 = performance.now();
  const spec = await loadPluginFile({ file: wasm, name: 'waf', configuration: pluginConfig(directives) });
  const t1 = performance.now();
  const ok = { status: 200, headers: [['content-type', 'text/plain'], ['content-length', '2']] as [string, string][], body: new TextEncoder().encode('ok') };
  const host = new ProxyWasmHost({ platform: nodePlatform(), upstream: () => ok, workers: 1, logLevel: 'error' });
  host.addPlugin(spec);
  const loadMs = performance.now() - t1;
  return { host, loadMs, compileMs: t1 - t0, loadedBytes: host.memoryBytes() };
}

/** Linear memory after N requests cycling through the four requests. */
async function memoryOver(host: ProxyWasmHost, n: number): Promise<{ before: number; after: number; seconds: number }> {
  const reqs = requests.map((r) => ({ ...hostRequest(r) }));
  const base: IncomingRequest = { method: 'GET', path: '/', authority: 'shop.example.com', scheme: 'http', protocol: 'HTTP/1.1', headers: [], body: new Uint8Array(0), connection: { id: 1, sourceAddress: '127.0.0.1:40000', destinationAddress: '127.0.0.1:10000' } };
  const warm = Math.min(400, Math.max(8, Math.floor(n / 10)));
  for (let i = 0; i < warm; i++) await host.handle({ ...base, ...reqs[i % reqs.length] }); // settle allocator pools first
  const before = host.memoryBytes();
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    await host.handle({ ...base, ...reqs[i % reqs.length] });
    if (i % 100 === 99) await yieldToEventLoop(); // resolved awaits never reach the event loop: let signals in
  }
  return { before, after: host.memoryBytes(), seconds: (performance.now() - t0) / 1000 };
}

function fullRequest(r: BenchRequest): IncomingRequest {
  return { method: 'GET', path: '/', authority: 'shop.example.com', scheme: 'http', protocol: 'HTTP/1.1', headers: [], body: new Uint8Array(0), connection: { id: 1, sourceAddress: '127.0.0.1:40000', destinationAddress: '127.0.0.1:10000' }, ...hostRequest(r) };
}

/**
 * Median µs/request over 3 rounds of n, after a warm-up (2 s or 2000 requests, whichever ends first, at
 * least 20: V8 tiers the Wasm up meanwhile); null when the request fails (5xx/reset).
 */
async function timeRequests(host: ProxyWasmHost, r: BenchRequest, n: number): Promise<number | null> {
  const req = fullRequest(r);
  const warmUntil = performance.now() + 2000;
  for (let i = 0; i < 2000 && (i < 20 || performance.now() < warmUntil); i++) {
    const res = await host.handle({ ...req });
    if (res.status === 0 || res.status >= 500) return null;
  }
  const samples: number[] = [];
  for (let round = 0; round < 3; round++) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < n; i++) await host.handle({ ...req });
    await yieldToEventLoop();
    samples.push(Number(process.hrtime.bigint() - t0) / n / 1000);
  }
  return median(samples);
}

const yieldToEventLoop = () => new Promise<void>((r) => setImmediate(r));

const mib = (b: number) => `${(b / 1048576).toFixed(1)} MiB`;

// ---- the run ----------------------------------------------------------------------------------------------
export async function run(args: string[]): Promise<void> {
  const seconds = intArg(args, 'duration', 4);
  const rounds = intArg(args, 'rounds', 3);
  const warmup = intArg(args, 'warmup', 5);
  const connections = intArg(args, 'connections', 4);
  const hostRounds = intArg(args, 'requests', 100);
  const flatN = intArg(args, 'flat', 100000);
  const memoryOnly = args.includes('--memory-only'); // only load time and memory
  const hostOnly = memoryOnly || args.includes('--host-only'); // skip the HTTP comparison (no nginx, no wrk)
  const haveWaf = existsSync(wafWasm);
  const haveCoraza = !args.includes('--no-coraza') && existsSync(corazaWasm);
  const haveNginx = !hostOnly && spawnSync('nginx', ['-v']).status === 0 && existsSync(modsecModule);
  if (!haveWaf) console.log(`dist/waf.wasm does not exist yet: the WAF is not measured (build it with \`npm run build:plugin -- waf\`); anchors only.`);
  if (!haveNginx && !hostOnly) console.log(`nginx with libmodsecurity3 is missing (apt-get install -y nginx-light libnginx-mod-http-modsecurity): no nginx anchor.`);
  if (!haveCoraza && !args.includes('--no-coraza')) console.log(`${corazaWasm} is missing: no coraza-proxy-wasm anchor.`);

  const dir = mkdtempSync(join(tmpdir(), 'meshplug-bench-waf-'));
  const children: ChildProcess[] = [];
  const gateways: Gateway[] = [];
  // An interrupted run must not leave nginx processes behind.
  const onSignal = () => { for (const c of children) c.kill('SIGTERM'); rmSync(dir, { recursive: true, force: true }); process.exit(130); };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const corazaFile = haveCoraza ? await loadableModule(corazaWasm, dir, () => {}) : null;
    // The same trivial upstream (its own nginx) behind every subject.
    const upPort = await freePort();
    if (haveNginx) children.push(await startNginx(dir, 'upstream', upPort, 'location / { return 200 "ok"; }'));
    const upstream = `http://127.0.0.1:${upPort}`;

    const subjects: { name: string; port: number }[] = [];
    if (haveNginx) {
      writeFileSync(join(dir, 'modsec.conf'), modsecConf(dir));
      const port = await freePort();
      const t0 = performance.now();
      children.push(await startNginx(dir, 'modsec', port, `modsecurity on;\n    modsecurity_rules_file ${dir}/modsec.conf;\n    location / { proxy_http_version 1.1; proxy_pass ${upstream}; }`, `load_module ${modsecModule};`));
      console.log(`nginx + libmodsecurity3: CRS loaded and listening after ${Math.round(performance.now() - t0)} ms`);
      subjects.push({ name: 'nginx + libmodsecurity3', port });
    }
    const gateway = async (name: string, wasm: string | null) => {
      const gw = await startGateway({
        listen: { host: '127.0.0.1', port: 0 }, admin: null, upstream, workers: 1, logLevel: 'error', clusters: {}, statsTags: null,
        plugins: wasm ? [{ name: 'waf', wasm, rootId: '', vmId: '', failurePolicy: 'FAIL_CLOSED', config: pluginConfig(pl1Blocking) }] : [],
      }, () => {});
      gateways.push(gw);
      subjects.push({ name, port: Number(new URL(gw.url).port) });
    };
    if (haveNginx) {
      if (haveWaf) {
        try {
          await gateway('meshplug gateway + waf', wafWasm);
        } catch (e) {
          console.log(`meshplug waf does not load with the CRS: ${(e as Error).message.split('\n')[0]}`);
        }
      }
      if (corazaFile) await gateway('meshplug gateway + coraza', corazaFile);
      await gateway('meshplug gateway, no plugin', null);

      console.log('\nstatus of each request (benign must be 200, the attack 403):');
      for (const s of subjects) console.log(`  ${s.name.padEnd(30)} ${(await Promise.all(requests.map((r) => statusOf(s.port, r)))).join(' ')}`);

      const scripts = requests.map((r) => wrkScript(dir, r));
      // Every subject first serves each request unmeasured (V8 tiers the Wasm up over the first thousands of
      // requests; nginx gets the same turn), then the subjects take turns request by request, round by
      // round, so drift in the machine's load hits each of them alike; a subject's figure is its median.
      console.log(`\nwarm-up: each subject serves each request for ${warmup} s, unmeasured`);
      for (const s of subjects) for (const [i] of requests.entries()) await runWrk(s.port, scripts[i]!, warmup, connections);
      console.log(`req/s, wrk -t1 -c${connections} -d${seconds}s, median of ${rounds} rounds taken in turns (same requests, same upstream); ratio = subject / nginx + libmodsecurity3`);
      console.log(`${'subject'.padEnd(30)} ${requests.map((r) => r.name.padStart(30)).join('')}`);
      const samples: Record<string, number[][]> = {};
      for (const s of subjects) samples[s.name] = requests.map(() => []);
      for (let round = 0; round < rounds; round++) {
        for (const [i] of requests.entries()) {
          for (const s of subjects) samples[s.name]![i]!.push((await runWrk(s.port, scripts[i]!, seconds, connections)).rps);
        }
      }
      const rps: Record<string, number[]> = {};
      for (const s of subjects) rps[s.name] = samples[s.name]!.map((v) => median(v));
      const anchor = rps['nginx + libmodsecurity3']!;
      for (const s of subjects) {
        const cells = rps[s.name]!.map((v, i) => `${v.toFixed(1)} (${anchor[i]! > 0 ? (v / anchor[i]!).toFixed(2) + '×' : 'anchor 0'})`.padStart(30));
        console.log(`${s.name.padEnd(30)} ${cells.join('')}`);
      }
      const waf = rps['meshplug gateway + waf'];
      if (waf) {
        const benign = requests.map((r, i) => ({ r, ratio: waf[i]! / anchor[i]! })).filter((x) => x.r.benign);
        const worst = Math.min(...benign.map((x) => x.ratio));
        if (Number.isFinite(worst)) console.log(`target ≥5× nginx + libmodsecurity3 on every benign request: worst ${worst.toFixed(2)}× → ${worst >= 5 ? 'met' : 'NOT met'}`);
        else console.log('target ≥5×: not measurable in this run (an anchor completed no request; use a longer --duration)');
      }
    }

    // Inside the host, no HTTP: µs/request per request type (a warm-up bounded by time, then timed rounds;
    // bench-plugin's 2000-request warm-up would take minutes with a ms-per-request WAF).
    const inHost: { name: string; wasm: string }[] = [];
    if (haveWaf) inHost.push({ name: 'waf', wasm: wafWasm });
    if (corazaFile) inHost.push({ name: 'coraza', wasm: corazaFile });
    const us: Record<string, (number | null)[]> = {};
    if (!memoryOnly) console.log(`\nWAF cost inside the host (no HTTP): median µs/request over 3 rounds of ${hostRounds} (Coraza ${Math.min(hostRounds, 10)})`);
    for (const m of memoryOnly ? [] : inHost) {
      let loaded: Loaded;
      try {
        loaded = await loadInHost(m.wasm, pl1Blocking);
      } catch (e) {
        console.log(`  ${m.name}: does not load: ${(e as Error).message.split('\n')[0]}`);
        continue;
      }
      us[m.name] = [];
      // Coraza's 16 KiB JSON POST takes seconds per request: its rounds are capped so a run stays minutes long.
      const rounds = m.name === 'waf' ? hostRounds : Math.min(hostRounds, 10);
      for (const r of requests) us[m.name]!.push(await timeRequests(loaded.host, r, rounds));
      loaded.host.close();
    }
    if (!memoryOnly) console.log(`${'module'.padEnd(10)} ${requests.map((r) => r.name.padStart(30)).join('')}`);
    for (const m of inHost) if (us[m.name]) console.log(`${m.name.padEnd(10)} ${us[m.name]!.map((v) => (v === null ? 'fails' : v.toFixed(1)).padStart(30)).join('')}`);
    if (us.waf && us.coraza) console.log(`waf / coraza µs: ${us.waf.map((v, i) => (v !== null && us.coraza![i] ? (v / us.coraza![i]!).toFixed(2) : '—')).join(', ')}`);

    // CRS load time and memory, at paranoia 4 (every rule active).
    console.log('\nCRS at paranoia 4: load (VM start + onConfigure), linear memory, memory over many requests');
    for (const m of inHost) {
      let loaded: Loaded;
      try {
        loaded = await loadInHost(m.wasm, pl4);
      } catch (e) {
        console.log(`  ${m.name}: does not load: ${(e as Error).message.split('\n')[0]}`);
        continue;
      }
      // Coraza costs 10–1000× more per request (seconds for the JSON body): it gets a tenth, at most 200 (printed).
      const n = m.name === 'waf' ? flatN : Math.min(200, Math.max(1, Math.floor(flatN / 10)));
      const mem = await memoryOver(loaded.host, n);
      loaded.host.close();
      console.log(`  ${m.name.padEnd(7)} load ${loaded.loadMs.toFixed(0)} ms (compile ${loaded.compileMs.toFixed(0)} ms); linear memory ${mib(loaded.loadedBytes)} loaded, ${mib(mem.before)} after warm-up; after ${n} more requests ${mib(mem.after)} (${mem.after === mem.before ? 'flat' : `+${mib(mem.after - mem.before)}`}, ${mem.seconds.toFixed(1)} s)`);
      if (m.name === 'waf') {
        console.log(`  targets: load ≤200 ms ${loaded.loadMs <= 200 ? 'met' : 'NOT met'}; memory ≤64 MiB ${loaded.loadedBytes <= 64 * 1048576 ? 'met' : 'NOT met'} loaded, ${mem.after <= 64 * 1048576 ? 'met' : 'NOT met'} after requests; flat ${mem.after === mem.before ? 'met' : 'NOT met'}`);
      }
    }
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    for (const g of gateways) await g.close();
    for (const c of children) await stop(c);
    rmSync(dir, { recursive: true, force: true });
  }
}
