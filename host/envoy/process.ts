// Starts and stops one Envoy process for tests, benchmarks and `meshplug envoy`: kernel-picked ports, its
// own dynamic base id (so several Envoys and hot-restart shared memory never collide), admin on 127.0.0.1,
// ready when admin /ready says LIVE. Its stderr is kept in a temp dir whose path is in every error.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, writeFileSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface EnvoyStartOptions {
  /** Bootstrap YAML (written to `<dir>/envoy.yaml`); its admin and listener ports may be 0. */
  configYaml: string;
  envoyPath?: string;
  /** Working directory, against which the bootstrap's relative .wasm paths resolve. */
  cwd?: string;
  /** Worker threads; 1 unless a case needs more. */
  concurrency?: number;
  /** e.g. `wasm:debug` so plugin debug/trace lines are printed. */
  componentLogLevel?: string;
  readyTimeoutMs?: number;
  /** Directory for the config and stderr; default: a fresh one under the OS temp dir. */
  dir?: string;
  /** A command Envoy runs under, e.g. ['taskset', '-c', '0'] to pin it to one core for benchmarks. */
  wrapper?: string[];
}

export interface EnvoyLogLine { level: string; logger: string; message: string }

export class EnvoyStartError extends Error {
  constructor(message: string, readonly stderrPath: string, readonly stderr: string, readonly exitCode: number | null) {
    super(message);
  }
}

export interface RunningEnvoy {
  adminUrl: string;
  /** Listener name → bound port. */
  ports: Record<string, number>;
  dir: string;
  stderrPath: string;
  pid: number;
  /** GET an admin path (e.g. `/stats?format=json`); throws on a non-200 answer. */
  admin(path: string): Promise<string>;
  /** Counters and gauges by the name `/stats` prints (histograms left out: they are not plain numbers). */
  stats(): Promise<Record<string, number>>;
  /** Every log line so far, parsed. */
  logs(): EnvoyLogLine[];
  /** SIGTERM, then SIGKILL after 5 s; resolves when the process is gone. */
  stop(): Promise<void>;
}

// Envoys still running when this process exits (a crash, Ctrl-C) are killed with it, never orphaned.
const live = new Set<ChildProcess>();
let exitHookInstalled = false;
function trackUntilExit(child: ChildProcess): void {
  live.add(child);
  child.once('exit', () => live.delete(child));
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => { for (const c of live) c.kill('SIGKILL'); });
}

// `%v` is the message alone, without Envoy's default `[file:line]`, which keeps parsing trivial.
export const LOG_FORMAT = '[%l][%n] %v';
const LOG_LINE = /^\[(\w+)\]\[([\w.-]+)\] (.*)$/;

/** Parses stderr written with LOG_FORMAT; continuation lines (backtraces) join the line before. */
export function parseEnvoyLog(text: string): EnvoyLogLine[] {
  const out: EnvoyLogLine[] = [];
  for (const raw of text.split('\n')) {
    const m = LOG_LINE.exec(raw);
    if (m) out.push({ level: m[1] === 'warning' ? 'warn' : m[1]!, logger: m[2]!, message: m[3]! });
    else if (raw.length > 0 && out.length > 0) out[out.length - 1]!.message += `\n${raw}`;
  }
  return out;
}

async function httpGet(url: string, timeoutMs = 5_000): Promise<{ status: number; text: string }> {
  const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  return { status: res.status, text: await res.text() };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function flattenStats(json: string): Record<string, number> {
  const out: Record<string, number> = {};
  const parsed = JSON.parse(json) as { stats?: { name?: string; value?: number }[] };
  for (const s of parsed.stats ?? []) if (typeof s.name === 'string' && typeof s.value === 'number') out[s.name] = s.value;
  return out;
}

export async function startEnvoy(o: EnvoyStartOptions): Promise<RunningEnvoy> {
  const dir = o.dir ?? mkdtempSync(join(tmpdir(), 'meshplug-envoy-'));
  mkdirSync(dir, { recursive: true });
  const configPath = join(dir, 'envoy.yaml');
  const stderrPath = join(dir, 'stderr.log');
  const adminPath = join(dir, 'admin-address');
  writeFileSync(configPath, o.configYaml);
  rmSync(adminPath, { force: true });
  const args = [
    '--config-path', configPath,
    '--concurrency', String(o.concurrency ?? 1),
    '--use-dynamic-base-id', '--base-id-path', join(dir, 'base-id'),
    '--admin-address-path', adminPath,
    '--log-format', LOG_FORMAT,
    '--log-path', stderrPath,
  ];
  if (o.componentLogLevel) args.push('--component-log-level', o.componentLogLevel);
  writeFileSync(stderrPath, '');
  const bin = o.envoyPath ?? process.env.ENVOY_BIN ?? 'envoy';
  const [cmd, ...pre] = [...(o.wrapper ?? []), bin];
  // Envoy logs to stderrPath; what it prints before its logger is up (a bad flag) lands in console.log.
  const consolePath = join(dir, 'console.log');
  const consoleFd = openSync(consolePath, 'w');
  const child: ChildProcess = spawn(cmd!, [...pre, ...args], {
    cwd: o.cwd, stdio: ['ignore', consoleFd, consoleFd],
  });
  closeSync(consoleFd);
  trackUntilExit(child);
  let exitCode: number | null | undefined;
  const exited = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => { exitCode = code ?? (signal ? 128 : null); resolve(); });
    child.once('error', (e) => { exitCode = -1; writeFileSync(stderrPath, `spawn failed: ${e.message}\n`, { flag: 'a' }); resolve(); });
  });
  const readStderr = () => (existsSync(stderrPath) ? readFileSync(stderrPath, 'utf8') : '');
  const fail = async (why: string): Promise<never> => {
    if (exitCode === undefined) { child.kill('SIGKILL'); await exited; }
    const text = readStderr() || (existsSync(consolePath) ? readFileSync(consolePath, 'utf8') : '');
    const critical = parseEnvoyLog(text).filter((l) => l.level === 'critical' || l.level === 'error').map((l) => l.message);
    const detail = critical.length ? critical.slice(-6).join('\n  ') : text.trim().split('\n').slice(-6).join('\n  ');
    throw new EnvoyStartError(`Envoy ${why}:\n  ${detail}\n(full log: ${stderrPath})`, stderrPath, text, exitCode ?? null);
  };

  const deadline = Date.now() + (o.readyTimeoutMs ?? 15_000);
  let adminUrl = '';
  for (;;) {
    if (exitCode !== undefined) return fail(`exited with code ${exitCode} before it was ready`);
    if (Date.now() > deadline) return fail(`was not ready within ${o.readyTimeoutMs ?? 15_000} ms`);
    if (!adminUrl && existsSync(adminPath)) {
      const addr = readFileSync(adminPath, 'utf8').trim();
      if (addr) adminUrl = `http://${addr}`;
    }
    if (adminUrl) {
      const r = await httpGet(`${adminUrl}/ready`, 1_000).catch(() => null);
      if (r?.status === 200 && r.text.trim() === 'LIVE') break;
    }
    await sleep(20);
  }

  const admin = async (path: string) => {
    const r = await httpGet(`${adminUrl}${path}`);
    if (r.status !== 200) throw new Error(`Envoy admin ${path}: HTTP ${r.status}: ${r.text.slice(0, 200)}`);
    return r.text;
  };
  const ports: Record<string, number> = {};
  const listeners = JSON.parse(await admin('/listeners?format=json')) as {
    listener_statuses?: { name: string; local_address?: { socket_address?: { port_value?: number } } }[];
  };
  for (const l of listeners.listener_statuses ?? []) {
    const port = l.local_address?.socket_address?.port_value;
    if (port) ports[l.name] = port;
  }
  return {
    adminUrl,
    ports,
    dir,
    stderrPath,
    pid: child.pid ?? -1,
    admin,
    stats: async () => flattenStats(await admin('/stats?format=json')),
    logs: () => parseEnvoyLog(readStderr()),
    stop: async () => {
      if (exitCode !== undefined) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
