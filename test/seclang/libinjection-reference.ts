// The reference for the differential test and the benchmark: libinjection-go (the library Coraza runs),
// through the tiny program in libinjection-go/ built against the Go module cache. The build is cached
// under node_modules/.cache/meshplug/ keyed by the program's sources and the Go version.
// Offline first (GOFLAGS=-mod=mod GOPROXY=off, which needs github.com/corazawaf/libinjection-go@v0.3.3 in
// the module cache); when that fails, once more with the configured Go proxy (CI) to fetch the module.
import { spawnSync } from 'node:child_process';
import { buildGoReference } from '../lib/go-reference.ts';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const srcDir = join(root, 'test/seclang/libinjection-go');

export interface Verdict {
  /** Fingerprint, "-" when not SQLi, "!" when the Go code panicked. */
  sqli: string;
  /** "1", "0", or "!" when the Go code panicked. */
  xss: string;
}

/** Path of the reference binary, built first when needed. */
export const buildReference = (): string => buildGoReference(srcDir, 'libinjection-go');

function frame(inputs: Uint8Array[]): Buffer {
  const parts: Buffer[] = [];
  for (const input of inputs) {
    const n = Buffer.alloc(4);
    n.writeUInt32LE(input.length);
    parts.push(n, Buffer.from(input.buffer, input.byteOffset, input.length));
  }
  return Buffer.concat(parts);
}

/** libinjection-go's verdict on each input. */
export function referenceVerdicts(bin: string, inputs: Uint8Array[]): Verdict[] {
  const r = spawnSync(bin, [], { input: frame(inputs), maxBuffer: 1 << 28, encoding: 'latin1' });
  if (r.status !== 0) throw new Error(`libinjection-go reference failed: ${r.stderr || r.error?.message}`);
  const lines = r.stdout.split('\n');
  lines.pop();
  if (lines.length !== inputs.length) throw new Error(`reference gave ${lines.length} verdicts for ${inputs.length} inputs`);
  return lines.map((l) => {
    const [sqli, xss] = l.split(' ');
    return { sqli, xss };
  });
}

/** Nanoseconds libinjection-go takes for `rounds` passes of IsSQLi, and of IsXSS, over the inputs. */
export function referenceTimings(bin: string, inputs: Uint8Array[], rounds: number): { sqliNs: number; xssNs: number } {
  const r = spawnSync(bin, ['-bench', String(rounds)], { input: frame(inputs), encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`libinjection-go reference failed: ${r.stderr || r.error?.message}`);
  const [sqliNs, xssNs] = r.stdout.trim().split(' ').map(Number);
  return { sqliNs, xssNs };
}
