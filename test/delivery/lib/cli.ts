// Runs the real `meshplug` CLI for exit codes and messages: in this process (fast: no second tsx start-up)
// unless the case needs standard input, which only a child process can be given.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { main } from '../../../host/cli/main.ts';

const bin = fileURLToPath(new URL('../../../bin/meshplug.mjs', import.meta.url));

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

async function inProcess(args: string[], env: NodeJS.ProcessEnv): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  // Only console is redirected: the test runner's own report goes through process.stdout and must not be caught.
  const saved = { log: console.log, error: console.error, env: { ...process.env } };
  console.log = (...a: unknown[]) => { stdout += `${a.join(' ')}\n`; };
  console.error = (...a: unknown[]) => { stderr += `${a.join(' ')}\n`; };
  Object.assign(process.env, env);
  try {
    const status = await main(args);
    return { status, stdout, stderr };
  } finally {
    console.log = saved.log;
    console.error = saved.error;
    for (const k of Object.keys(env)) if (saved.env[k] === undefined) delete process.env[k]; else process.env[k] = saved.env[k];
  }
}

function child(args: string[], stdin: string, env: NodeJS.ProcessEnv, timeoutMs: number): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [bin, ...args], { env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (c: Buffer) => { stdout += c.toString(); });
    p.stderr.on('data', (c: Buffer) => { stderr += c.toString(); });
    const timer = setTimeout(() => p.kill('SIGKILL'), timeoutMs);
    p.on('error', reject);
    p.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
    p.stdin.end(stdin);
  });
}

export function meshplug(args: string[], opts: { stdin?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<CliResult> {
  if (opts.stdin !== undefined) return child(args, opts.stdin, opts.env ?? {}, opts.timeoutMs ?? 60_000);
  return inProcess(args, opts.env ?? {});
}
