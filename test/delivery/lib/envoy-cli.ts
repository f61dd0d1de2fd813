// Starts `meshplug envoy ...` as a child process (it runs until a signal), waits for its "listening on" line
// and stops it with SIGTERM, as a user's Ctrl-C would.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const bin = fileURLToPath(new URL('../../../bin/meshplug.mjs', import.meta.url));

export interface RunningCli {
  url: string;
  output: () => string;
  /** SIGTERM; resolves with the exit status. */
  stop(): Promise<number | null>;
}

export function startMeshplugEnvoy(args: string[], timeoutMs = 60_000): Promise<RunningCli> {
  const child: ChildProcess = spawn(process.execPath, [bin, 'envoy', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`meshplug envoy did not start:\n${output}`)); }, timeoutMs);
    const onData = (c: Buffer) => {
      output += c.toString();
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (m) {
        clearTimeout(timer);
        resolve({
          url: m[1]!,
          output: () => output,
          stop: async () => {
            if (child.exitCode === null) child.kill('SIGTERM');
            return exited;
          },
        });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    void exited.then((code) => { clearTimeout(timer); reject(new Error(`meshplug envoy exited (${code}):\n${output}`)); });
  });
}
