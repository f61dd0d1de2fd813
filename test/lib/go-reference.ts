// Builds the small Go programs our differential tests use as references (Coraza, libinjection-go).
// The binary is cached under node_modules/.cache/meshplug/ keyed by the program's sources and the Go
// version. Offline first (the module cache: GOPROXY=off), then once through the configured Go proxy, so a
// fresh CI machine without the cache still builds it.
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const SOURCES = ['main.go', 'go.mod', 'go.sum'];

function goVersion(what: string): string {
  try {
    return execFileSync('go', ['version'], { encoding: 'utf8' }).trim();
  } catch {
    throw new Error(`the ${what} reference needs Go (\`go\` on PATH)`);
  }
}

/** Path of the reference binary built from `srcDir` (main.go, go.mod, go.sum), building it when needed. */
export function buildGoReference(srcDir: string, name: string): string {
  const h = createHash('sha256').update(goVersion(name));
  for (const f of SOURCES) h.update(f + '\0' + readFileSync(join(srcDir, f)) + '\0');
  const dir = join(root, 'node_modules/.cache/meshplug', `${name}-${h.digest('hex').slice(0, 16)}`);
  const bin = join(dir, name);
  if (existsSync(bin)) return bin;
  mkdirSync(dir, { recursive: true });
  for (const f of SOURCES) copyFileSync(join(srcDir, f), join(dir, f));
  const tmp = `${bin}.${process.pid}.tmp`;
  const attempts: NodeJS.ProcessEnv[] = [
    { ...process.env, GOFLAGS: '-mod=mod', GOPROXY: 'off' },
    { ...process.env, GOFLAGS: '-mod=mod' },
  ];
  const errors: string[] = [];
  for (const env of attempts) {
    const r = spawnSync('go', ['build', '-o', tmp, '.'], { cwd: dir, env, encoding: 'utf8' });
    if (r.status === 0) {
      renameSync(tmp, bin);
      return bin;
    }
    errors.push(`GOPROXY=${env.GOPROXY ?? '(default)'}: ${r.stderr || r.error?.message}`);
  }
  throw new Error(`building the ${name} reference failed:\n${errors.join('\n')}`);
}
