// The gateway's YAML configuration: where to listen, the upstream, clusters and the plugin chain.
import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { FailurePolicy } from '../core/types.ts';

export interface GatewayPlugin {
  name: string;
  wasm: string; // absolute path after loading
  rootId: string;
  vmId: string;
  failurePolicy: FailurePolicy;
  config: string | undefined; // JSON text (objects are serialised, as Istio does with pluginConfig)
}

export interface GatewayConfig {
  listen: { host: string; port: number };
  admin: { host: string; port: number } | null;
  /** `echo` = the built-in echo upstream, or an http(s) URL. */
  upstream: string;
  workers: number;
  logLevel: 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'critical';
  clusters: Record<string, string>;
  plugins: GatewayPlugin[];
  /** Tags turned into Prometheus labels (null = every `<tag>=.=<value>;.;` segment). */
  statsTags: string[] | null;
}

export class GatewayConfigError extends Error {}

function hostPort(v: unknown, field: string): { host: string; port: number } {
  if (typeof v === 'number') return { host: '127.0.0.1', port: v };
  if (typeof v !== 'string') throw new GatewayConfigError(`${field}: expected "HOST:PORT" or a port number`);
  const i = v.lastIndexOf(':');
  const port = Number(i < 0 ? v : v.slice(i + 1));
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new GatewayConfigError(`${field}: bad port in '${v}'`);
  return { host: i < 0 ? '127.0.0.1' : v.slice(0, i), port };
}

const policies = ['FAIL_CLOSED', 'FAIL_OPEN', 'FAIL_RELOAD'];
const levels = ['trace', 'debug', 'info', 'warn', 'error', 'critical'];
const known = new Set(['listen', 'admin', 'upstream', 'workers', 'logLevel', 'clusters', 'plugins', 'statsTags']);

export function parseGatewayConfig(text: string, baseDir: string): GatewayConfig {
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (e) {
    throw new GatewayConfigError(`not valid YAML: ${(e as Error).message}`);
  }
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) throw new GatewayConfigError('expected a YAML mapping at the top level');
  const d = doc as Record<string, unknown>;
  for (const k of Object.keys(d)) if (!known.has(k)) throw new GatewayConfigError(`unknown field '${k}'`);
  const plugins = d.plugins ?? [];
  if (!Array.isArray(plugins)) throw new GatewayConfigError('plugins: expected a list');
  const clusters = (d.clusters ?? {}) as Record<string, unknown>;
  if (typeof clusters !== 'object' || Array.isArray(clusters)) throw new GatewayConfigError('clusters: expected a mapping NAME: URL');
  for (const [k, v] of Object.entries(clusters)) if (typeof v !== 'string' || !/^https?:\/\//.test(v)) throw new GatewayConfigError(`clusters.${k}: expected an http(s) URL`);
  const upstream = d.upstream ?? 'echo';
  if (typeof upstream !== 'string' || (upstream !== 'echo' && !/^https?:\/\//.test(upstream))) throw new GatewayConfigError("upstream: expected 'echo' or an http(s) URL");
  const logLevel = d.logLevel ?? 'info';
  if (typeof logLevel !== 'string' || !levels.includes(logLevel)) throw new GatewayConfigError(`logLevel: expected one of ${levels.join(', ')}`);
  const workers = d.workers ?? 2;
  if (typeof workers !== 'number' || !Number.isInteger(workers) || workers < 1 || workers > 64) throw new GatewayConfigError('workers: expected an integer 1..64');
  const statsTags = d.statsTags === undefined || d.statsTags === 'auto' ? null : d.statsTags;
  if (statsTags !== null && (!Array.isArray(statsTags) || statsTags.some((t) => typeof t !== 'string'))) throw new GatewayConfigError("statsTags: expected 'auto' or a list of tag names");
  return {
    listen: hostPort(d.listen ?? '127.0.0.1:8080', 'listen'),
    admin: d.admin === null || d.admin === false ? null : hostPort(d.admin ?? '127.0.0.1:9901', 'admin'),
    upstream,
    workers,
    logLevel: logLevel as GatewayConfig['logLevel'],
    clusters: clusters as Record<string, string>,
    statsTags: statsTags as string[] | null,
    plugins: plugins.map((p: unknown, i: number) => {
      const where = `plugins[${i}]`;
      if (!p || typeof p !== 'object' || Array.isArray(p)) throw new GatewayConfigError(`${where}: expected a mapping`);
      const q = p as Record<string, unknown>;
      for (const k of Object.keys(q)) if (!['name', 'wasm', 'rootId', 'vmId', 'failurePolicy', 'config'].includes(k)) throw new GatewayConfigError(`${where}: unknown field '${k}'`);
      if (typeof q.wasm !== 'string') throw new GatewayConfigError(`${where}.wasm: expected a path to a .wasm file`);
      const policy = q.failurePolicy ?? 'FAIL_CLOSED';
      if (typeof policy !== 'string' || !policies.includes(policy)) throw new GatewayConfigError(`${where}.failurePolicy: expected one of ${policies.join(', ')}`);
      for (const f of ['name', 'rootId', 'vmId'] as const) if (q[f] !== undefined && typeof q[f] !== 'string') throw new GatewayConfigError(`${where}.${f}: expected a string`);
      const wasm = isAbsolute(q.wasm) ? q.wasm : resolve(baseDir, q.wasm);
      const name = (q.name as string | undefined) ?? q.wasm.replace(/^.*\//, '').replace(/\.wasm$/, '');
      return {
        name,
        wasm,
        rootId: (q.rootId as string | undefined) ?? '',
        vmId: (q.vmId as string | undefined) ?? '',
        failurePolicy: policy as FailurePolicy,
        config: q.config === undefined ? undefined : typeof q.config === 'string' ? q.config : JSON.stringify(q.config),
      };
    }),
  };
}

export async function loadGatewayConfig(file: string): Promise<GatewayConfig> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw new GatewayConfigError(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  try {
    return parseGatewayConfig(text, dirname(resolve(file)));
  } catch (e) {
    throw new GatewayConfigError(`${file}: ${(e as Error).message}`);
  }
}
