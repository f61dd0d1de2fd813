// `meshplug request`: one request through a plugin chain in our host, printed as text or as JSON.
import { readFile } from 'node:fs/promises';
import type { FailurePolicy } from '../../core/types.ts';
import { runSingleRequest, type RequestObservation } from '../../node/single-request.ts';
import { parseCommandArgs } from '../args.ts';
import { pluginChainFromArgs } from '../plugin-args.ts';
import { parseClusterArg, parseHeaderArg } from '../header-arg.ts';

export const summary = 'run one request through plugins in the meshplug host and print what happened';

const usage = `usage: meshplug request --plugin FILE.wasm [--plugin FILE2.wasm ...] [--config JSON|@FILE ...]
       [--method M] [--path P] [--header 'k: v' ...] [--body STR|@FILE]
       [--upstream-status N] [--upstream-header 'k: v' ...] [--upstream-body STR|@FILE] [--upstream URL]
       [--cluster NAME=URL ...] [--root-id ID ...] [--failure-policy FAIL_CLOSED|FAIL_OPEN|FAIL_RELOAD]
       [--workers N] [--log-level trace|debug|info|warn|error|critical] [--json]

The n-th --config (and --root-id) belongs to the n-th --plugin. Without --upstream a stand-in upstream answers
with --upstream-status/--upstream-header/--upstream-body (default 200, empty body).
With --json prints {"upstreamRequest","response","logs","metrics"}. A plugin rejecting the request is not an
error (exit 0); a module that fails to load or a config that fails is (exit 1).`;

const options = {
  plugin: { type: 'string', multiple: true },
  config: { type: 'string', multiple: true },
  'root-id': { type: 'string', multiple: true },
  method: { type: 'string' },
  path: { type: 'string' },
  header: { type: 'string', multiple: true },
  body: { type: 'string' },
  'upstream-status': { type: 'string' },
  'upstream-header': { type: 'string', multiple: true },
  'upstream-body': { type: 'string' },
  upstream: { type: 'string' },
  cluster: { type: 'string', multiple: true },
  'failure-policy': { type: 'string' },
  workers: { type: 'string' },
  'log-level': { type: 'string' },
  json: { type: 'boolean' },
} as const;

async function bodyArg(v: string | undefined): Promise<Uint8Array | undefined> {
  if (v === undefined) return undefined;
  if (v.startsWith('@')) {
    try {
      return new Uint8Array(await readFile(v.slice(1)));
    } catch (e) {
      throw new Error(`cannot read ${v.slice(1)}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
  }
  return new TextEncoder().encode(v);
}

export async function run(args: string[]): Promise<number> {
  const parsed = parseCommandArgs(args, options, usage);
  if (!parsed) return 0;
  const v = parsed.values;
  const policy = v['failure-policy'] as FailurePolicy | undefined;
  if (policy && !['FAIL_CLOSED', 'FAIL_OPEN', 'FAIL_RELOAD'].includes(policy)) throw new Error(`bad --failure-policy '${policy}'`);
  const status = v['upstream-status'] !== undefined ? Number(v['upstream-status']) : 200;
  if (!Number.isInteger(status) || status < 100 || status > 599) throw new Error(`bad --upstream-status '${v['upstream-status']}'`);
  const level = v['log-level'] ?? 'info';
  if (!['trace', 'debug', 'info', 'warn', 'error', 'critical'].includes(level)) throw new Error(`bad --log-level '${level}'`);

  const obs = await runSingleRequest({
    plugins: await pluginChainFromArgs(v, usage, policy),
    request: {
      method: v.method,
      path: v.path,
      headers: (v.header ?? []).map(parseHeaderArg),
      body: await bodyArg(v.body),
    },
    upstream: { status, headers: (v['upstream-header'] ?? []).map(parseHeaderArg), body: await bodyArg(v['upstream-body']) },
    upstreamUrl: v.upstream,
    clusters: Object.fromEntries((v.cluster ?? []).map(parseClusterArg)),
    workers: v.workers ? Number(v.workers) : undefined,
    hostOptions: { logLevel: level as 'info' },
  });
  const { vmLogs, ...contract } = obs; // --json prints exactly the documented keys
  console.log(v.json ? JSON.stringify(contract) : formatText(obs));
  if (!v.json) for (const l of vmLogs) console.error(`[${l.level}] ${l.message}`);
  return 0;
}

function formatText(o: RequestObservation): string {
  const lines: string[] = [];
  if (o.upstreamRequest) {
    lines.push(`> upstream received ${o.upstreamRequest.method} ${o.upstreamRequest.path}`);
    for (const [k, v] of o.upstreamRequest.headers) lines.push(`>   ${k}: ${v}`);
    if (o.upstreamRequest.body) lines.push(`>   (${o.upstreamRequest.body.length} body bytes)`);
  } else lines.push('> upstream not contacted');
  lines.push(`< ${o.response.status}`);
  for (const [k, v] of o.response.headers) lines.push(`<   ${k}: ${v}`);
  if (o.response.body) lines.push('', o.response.body);
  if (o.logs.length) lines.push('', 'logs:', ...o.logs.map((l) => `  [${l.level}] ${l.message}`));
  const m = Object.entries(o.metrics);
  if (m.length) lines.push('', 'metrics:', ...m.map(([k, n]) => `  ${k}: ${n}`));
  return lines.join('\n');
}
