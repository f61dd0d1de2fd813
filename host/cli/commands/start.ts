// `meshplug start` / `npm start`: the local gateway with the plugin chain from a YAML file.
import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadGatewayConfig } from '../../node/gateway-config.ts';
import { startGateway } from '../../node/gateway.ts';
import { parseCommandArgs } from '../args.ts';

export const summary = 'run the local gateway: the host as a reverse proxy with a plugin chain (default gateway.yaml)';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

const usage = `usage: meshplug start [--config FILE.yaml] [--listen HOST:PORT] [--admin HOST:PORT]

Runs the plugin chain of FILE.yaml (default: gateway.yaml in the repository: every plugin with its example
configuration, in front of the built-in echo upstream). Plugins missing from dist/ are built first.
The admin listener serves /ready, /stats, /stats?format=json, /stats/prometheus and /memory.
Ctrl-C stops it.`;

const options = {
  config: { type: 'string' },
  listen: { type: 'string' },
  admin: { type: 'string' },
} as const;

function hostPort(v: string): { host: string; port: number } {
  const i = v.lastIndexOf(':');
  const port = Number(v.slice(i + 1));
  if (i < 0 || !Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`bad address '${v}': expected HOST:PORT`);
  return { host: v.slice(0, i), port };
}

export async function run(args: string[]): Promise<number> {
  const parsed = parseCommandArgs(args, options, usage);
  if (!parsed) return 0;
  const v = parsed.values;
  const cfg = await loadGatewayConfig(v.config ?? join(repoRoot, 'gateway.yaml'));
  if (v.listen) cfg.listen = hostPort(v.listen);
  if (v.admin) cfg.admin = hostPort(v.admin);

  // Build the repository's plugins that are referenced from dist/ but not built yet.
  const missing = cfg.plugins.filter((p) => !existsSync(p.wasm) && relative(join(repoRoot, 'dist'), p.wasm).match(/^[\w-]+\.wasm$/));
  if (missing.length) {
    const names = missing.map((p) => relative(join(repoRoot, 'dist'), p.wasm).replace(/\.wasm$/, ''));
    console.error(`building ${names.join(', ')} (not in dist/ yet)`);
    const build = await import('./build.ts');
    if ((await build.run(names)) !== 0) throw new Error('build failed');
  }

  const gw = await startGateway(cfg);
  console.log(`meshplug gateway listening on ${gw.url} (upstream ${cfg.upstream === 'echo' ? `built-in echo at ${gw.upstreamUrl}` : gw.upstreamUrl})`);
  if (gw.adminUrl) console.log(`admin on ${gw.adminUrl} (/ready, /stats, /stats/prometheus)`);
  console.log(`plugins: ${cfg.plugins.map((p) => p.name).join(' → ') || '(none)'}`);
  await new Promise<void>((resolve) => {
    const stop = () => { process.off('SIGINT', stop); process.off('SIGTERM', stop); resolve(); };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  console.log('stopping gateway');
  await gw.close();
  return 0;
}
