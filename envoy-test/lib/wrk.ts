// Runs the `wrk` load generator (Debian package `wrk`) and reads throughput and latency percentiles.
import { spawn } from 'node:child_process';

export interface WrkResult { rps: number; p50us: number; p99us: number; requests: number; errors: number }

const UNIT_US: Record<string, number> = { us: 1, ms: 1_000, s: 1_000_000 };

function toMicros(v: string, unit: string): number {
  return Number(v) * (UNIT_US[unit] ?? NaN);
}

/** Parses `wrk --latency` output; throws if a figure is missing (a wrk that failed prints none). */
export function parseWrk(out: string): WrkResult {
  const rps = /Requests\/sec:\s+([\d.]+)/.exec(out);
  const p50 = /^\s*50%\s+([\d.]+)(us|ms|s)\s*$/m.exec(out);
  const p99 = /^\s*99%\s+([\d.]+)(us|ms|s)\s*$/m.exec(out);
  const total = /(\d+) requests in/.exec(out);
  if (!rps || !p50 || !p99 || !total) throw new Error(`cannot read wrk output:\n${out.trim().slice(0, 500)}`);
  const non2xx = /Non-2xx or 3xx responses:\s+(\d+)/.exec(out);
  const sock = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
  const errors = Number(non2xx?.[1] ?? 0) + (sock ? sock.slice(1).reduce((a, b) => a + Number(b), 0) : 0);
  return { rps: Number(rps[1]), p50us: toMicros(p50[1]!, p50[2]!), p99us: toMicros(p99[1]!, p99[2]!), requests: Number(total[1]), errors };
}

export interface WrkOptions { url: string; connections: number; seconds: number; cpu?: number }

export function runWrk(o: WrkOptions): Promise<WrkResult> {
  const args = ['-t1', `-c${o.connections}`, `-d${o.seconds}s`, '--latency', o.url];
  const [cmd, ...rest] = o.cpu === undefined ? ['wrk', ...args] : ['taskset', '-c', String(o.cpu), 'wrk', ...args];
  return new Promise((resolve, reject) => {
    const child = spawn(cmd!, rest, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => { out += c.toString(); });
    child.stderr.on('data', (c: Buffer) => { out += c.toString(); });
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code !== 0) reject(new Error(`wrk exited ${code}: ${out.trim().slice(0, 300)}`));
      else {
        try { resolve(parseWrk(out)); } catch (e) { reject(e); }
      }
    });
  });
}
