// Istio's own module fetcher (the sidecar agent's pkg/wasm as a CLI, /work/shared/peers/istio-fetch),
// built on first use with the machine's Go into $PEERS (default /tmp/meshplug-peers) and reused after.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

/** The peers' source: $MESHPLUG_SHARED/peers, else the `shared` checkout next to the repo. */
function peersSource(): string {
  const shared = process.env.MESHPLUG_SHARED ?? resolve(repoRoot, '../shared');
  return join(shared, 'peers');
}

export function istioFetchPath(): string {
  const out = process.env.PEERS ?? '/tmp/meshplug-peers';
  const bin = join(out, 'istio-fetch');
  if (existsSync(bin)) return bin;
  mkdirSync(out, { recursive: true });
  // Only this one peer: build.sh would also build the (large) coraza module.
  execFileSync('go', ['build', '-trimpath', '-o', bin, '.'], {
    cwd: join(peersSource(), 'istio-fetch'),
    env: { ...process.env, CGO_ENABLED: '0', GOTOOLCHAIN: 'local', GOFLAGS: '-mod=readonly -buildvcs=false' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  return bin;
}

export interface FetchResult {
  status: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs `istio-fetch URL SHA256 OUT`, with a Docker config directory for credentials when given. Asynchronous
 * on purpose: a token server in this same process must keep answering while it runs.
 */
export function istioFetch(url: string, sha256: string, out: string, dockerConfigDir?: string): Promise<FetchResult> {
  const env: NodeJS.ProcessEnv = { ...process.env };
  if (dockerConfigDir) env.DOCKER_CONFIG = dockerConfigDir;
  const bin = istioFetchPath();
  return new Promise((resolve, reject) => {
    const child = spawn(bin, [url, sha256 || '-', out], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => { stdout += c.toString(); });
    child.stderr.on('data', (c: Buffer) => { stderr += c.toString(); });
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.on('error', reject);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status: status ?? -1, stdout, stderr });
    });
  });
}
