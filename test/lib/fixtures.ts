// Named fixture servers a scenario's clusters can point at, started on 127.0.0.1 for the run.
// `echo` = an HTTP server answering with a JSON echo of the request; `dead` = a port nothing listens on.
import { createServer } from 'node:net';
import { startEchoUpstream } from '../../host/node/echo-upstream.ts';

async function deadPort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  const port = (srv.address() as { port: number }).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

export async function resolveClusters(spec: Record<string, string>): Promise<{ urls: Record<string, string>; close(): Promise<void> }> {
  const urls: Record<string, string> = {};
  const closers: (() => Promise<void>)[] = [];
  for (const [name, target] of Object.entries(spec)) {
    if (/^https?:\/\//.test(target)) urls[name] = target;
    else if (target === 'echo') {
      const up = await startEchoUpstream();
      closers.push(() => up.close());
      urls[name] = up.url;
    } else if (target === 'dead') urls[name] = `http://127.0.0.1:${await deadPort()}`;
    else throw new Error(`unknown fixture server '${target}' for cluster ${name}`);
  }
  return { urls, close: async () => { await Promise.all(closers.map((c) => c())); } };
}
