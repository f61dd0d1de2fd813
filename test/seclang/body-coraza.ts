// Coraza v3.8.1's body processors as a reference: builds test/seclang/body-coraza (offline, from the Go
// module cache: GOFLAGS=-mod=mod GOPROXY=off) once per source change, then runs cases through it in
// one process. Needs `go` and the module cache that builds /work/shared/peers/coraza.
import { createHash } from 'node:crypto';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BodyCase } from './body-corpus.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const srcDir = join(root, 'test/seclang/body-coraza');
const cacheDir = join(root, 'node_modules/.cache/meshplug');

type B64Pair = [string, string];
interface RawOut {
  error: string;
  args: B64Pair[] | null;
  files: B64Pair[] | null;
  filesNames: B64Pair[] | null;
  filesSizes: B64Pair[] | null;
  combined: string;
  partHeaders: B64Pair[] | null;
  names: B64Pair[] | null;
  filenames: B64Pair[] | null;
  xml: B64Pair[] | null;
  flags: Record<string, string>;
}

export interface CorazaResult {
  error: string;
  args: [Buffer, Buffer][];
  files: [Buffer, Buffer][];
  filesNames: [Buffer, Buffer][];
  filesSizes: [Buffer, Buffer][];
  combined: string;
  partHeaders: [Buffer, Buffer][];
  names: [Buffer, Buffer][];
  filenames: [Buffer, Buffer][];
  xml: [Buffer, Buffer][];
  flags: Record<string, string>;
}

/** Why the reference cannot run here ("" when it can). */
export function corazaUnavailable(): string {
  try {
    execFileSync('go', ['version'], { stdio: 'pipe' });
  } catch {
    return 'go is not installed';
  }
  return '';
}

function binaryPath(): string {
  const h = createHash('sha256');
  for (const f of ['main.go', 'go.mod', 'go.sum']) h.update(f + '\0' + readFileSync(join(srcDir, f)) + '\0');
  return join(cacheDir, `body-coraza-${h.digest('hex').slice(0, 16)}`);
}

export function buildCoraza(): string {
  const bin = binaryPath();
  if (existsSync(bin)) return bin;
  mkdirSync(cacheDir, { recursive: true });
  const r = spawnSync('go', ['build', '-o', bin, '.'], {
    cwd: srcDir,
    env: { ...process.env, GOFLAGS: '-mod=mod', GOPROXY: 'off', GOSUMDB: 'off' },
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`building the Coraza reference failed:\n${r.stderr}`);
  return bin;
}

const pairs = (xs: B64Pair[] | null): [Buffer, Buffer][] =>
  (xs ?? []).map(([a, b]) => [Buffer.from(a, 'base64'), Buffer.from(b, 'base64')]);

/** Runs every case through Coraza (one process for all of them). */
export function runCoraza(cases: BodyCase[], depth = 1024): CorazaResult[] {
  const bin = buildCoraza();
  const input = cases
    .map((c) => JSON.stringify({ proc: c.proc, ct: c.contentType, body: Buffer.from(c.body).toString('base64'), depth }))
    .join('\n');
  const r = spawnSync(bin, [], { input, encoding: 'utf8', maxBuffer: 1 << 30 });
  if (r.status !== 0) throw new Error(`Coraza reference failed: ${r.stderr}`);
  return r.stdout
    .trim()
    .split('\n')
    .map((line) => {
      const o = JSON.parse(line) as RawOut;
      return {
        error: o.error,
        args: pairs(o.args),
        files: pairs(o.files),
        filesNames: pairs(o.filesNames),
        filesSizes: pairs(o.filesSizes),
        combined: o.combined,
        partHeaders: pairs(o.partHeaders),
        names: pairs(o.names),
        filenames: pairs(o.filenames),
        xml: pairs(o.xml),
        flags: o.flags,
      };
    });
}
