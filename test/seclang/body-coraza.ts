// Coraza v3.8.1's body processors as a reference: builds test/seclang/body-coraza once per source change
// (test/lib/go-reference.ts), then runs cases through it in one process.
import { execFileSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BodyCase } from './body-corpus.ts';
import { buildGoReference } from '../lib/go-reference.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const srcDir = join(root, 'test/seclang/body-coraza');

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

export const buildCoraza = (): string => buildGoReference(srcDir, 'body-coraza');

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
