// Runs shared/peers/istio-local/run.sh (Istio's control plane + sidecar agent + Envoy 1.40 on one machine),
// building its Go binaries on first use.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { repoRoot } from './smoke.ts';

export const peersDir = process.env.PEERS ?? '/tmp/meshplug-peers';
const shared = process.env.MESHPLUG_SHARED ?? resolve(repoRoot, '../shared');
const istioLocal = join(shared, 'peers', 'istio-local');

/** Why the mesh cannot run here, or undefined once its binaries are built. */
export function prepareMesh(): string | undefined {
  if (!existsSync(join(istioLocal, 'run.sh'))) return `no ${istioLocal}/run.sh (set MESHPLUG_SHARED to the shared checkout)`;
  for (const tool of ['docker-registry', 'openssl', 'python3', 'curl', 'unshare', 'go']) {
    try {
      execFileSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' });
    } catch {
      return `${tool} is not installed (docker-registry: apt-get install docker-registry)`;
    }
  }
  if (!existsSync(join(peersDir, 'fakeistiod')) || !existsSync(join(peersDir, 'pilot-agent'))) {
    console.log(`building Istio's control plane and agent into ${peersDir} (about 5 minutes the first time)...`);
    execFileSync('bash', [join(istioLocal, 'build.sh')], { stdio: 'inherit', env: { ...process.env, OUT: peersDir } });
  }
  return undefined;
}

export interface MeshRun {
  status: number | null;
  output: string;
}

export function runMesh(resources: string[], before: string, command: string[]): Promise<MeshRun> {
  const args = [join(istioLocal, 'run.sh')];
  for (const r of resources) args.push('--resources', r);
  args.push('--before', before, '--', ...command);
  return new Promise((resolvePromise, reject) => {
    // Its own process group: run.sh stops the agent, but an Envoy the agent started can outlive it; the
    // whole group is killed once the run is over, so no sidecar is left behind.
    const child = spawn('bash', args, { cwd: repoRoot, env: { ...process.env, PEERS: peersDir }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let output = '';
    child.stdout.on('data', (c: Buffer) => { output += c.toString(); });
    child.stderr.on('data', (c: Buffer) => { output += c.toString(); });
    child.on('error', reject);
    child.on('close', (status) => {
      try {
        if (child.pid) process.kill(-child.pid, 'SIGKILL');
      } catch {
        /* the group is already gone */
      }
      resolvePromise({ status, output });
    });
  });
}
