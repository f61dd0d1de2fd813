// Cluster fixtures for the gRPC corpus (envoy-test/scenarios/grpc*.json): `grpc` = the test gRPC server
// (test/lib/grpc-server.ts), `dead` = a port nothing listens on, `echo` = the HTTP echo upstream. Both hosts
// get the same servers; Envoy must speak HTTP/2 to the gRPC ones, so the resolver says which those are.
// A plugin `wasm` of the form `fixture:NAME` is test/fixtures/plugins/NAME, built on demand.
import { createServer } from 'node:net';
import { startEchoUpstream } from '../../host/node/echo-upstream.ts';
import { fixturePlugin } from '../../test/lib/fixture-plugins.ts';
import { startGrpcServer } from '../../test/lib/grpc-server.ts';
import type { Scenario } from '../../test/lib/scenario.ts';

export interface ResolvedClusters {
  urls: Record<string, string>;
  /** Cluster names whose server speaks HTTP/2 (gRPC). */
  http2: Set<string>;
  close(): Promise<void>;
}

async function deadPort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  const port = (srv.address() as { port: number }).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

export async function resolveGrpcClusters(spec: Record<string, string>): Promise<ResolvedClusters> {
  const urls: Record<string, string> = {};
  const http2 = new Set<string>();
  const closers: (() => Promise<void>)[] = [];
  try {
    for (const [name, target] of Object.entries(spec)) {
      if (target === 'grpc') {
        const server = await startGrpcServer({ slowMs: 1500 });
        closers.push(() => server.close());
        urls[name] = server.url;
        http2.add(name);
      } else if (target === 'dead') {
        urls[name] = `http://127.0.0.1:${await deadPort()}`;
        http2.add(name);
      } else if (target === 'echo') {
        const up = await startEchoUpstream();
        closers.push(() => up.close());
        urls[name] = up.url;
      } else throw new Error(`unknown fixture server '${target}' for cluster ${name} (grpc, dead or echo)`);
    }
  } catch (e) {
    await Promise.all(closers.map((c) => c()));
    throw e;
  }
  return { urls, http2, close: async () => { await Promise.all(closers.map((c) => c())); } };
}

/** The scenario with `fixture:NAME` modules replaced by the built fixture's path. */
export async function withFixtureModules(s: Scenario): Promise<Scenario> {
  const plugins = [];
  for (const p of s.plugins) plugins.push(p.wasm.startsWith('fixture:') ? { ...p, name: p.name ?? p.wasm.slice(8), wasm: await fixturePlugin(p.wasm.slice(8)) } : p);
  return { ...s, plugins };
}
