// The oracle's Envoy runs: one Envoy 1.40 per configuration and side, serving every request of the corpus.
// `native` is Envoy's own jwt_authn + rbac as istiod would configure them (jwt-oracle-istio.ts); `wasm` is
// dist/jwt-auth.wasm in the same listener. Both come from the one bootstrap template (host/envoy/bootstrap.ts);
// for `native` the wasm filters are swapped for the native ones before the router.
import { bootstrapObject } from '../host/envoy/bootstrap.ts';
import { startEnvoy, type RunningEnvoy } from '../host/envoy/process.ts';
import type { EchoUpstream } from '../host/node/echo-upstream.ts';
import { nativeFilters, type JwtAuthConfig } from './jwt-oracle-istio.ts';
import { exchange } from './jwt-oracle-client.ts';
import { downstreamTls, tlsExchange, type TlsMaterial } from './jwt-oracle-tls.ts';
import type { OracleRequest, Seen } from './jwt-oracle-types.ts';

export type Side = 'native' | 'wasm';

export interface EnvoySide {
  send(r: OracleRequest): Promise<Seen>;
  stop(): Promise<void>;
  stderrPath: string;
}

// The bootstrap is plain JSON-shaped data walked by known paths; `any` keeps that walk short.
type Obj = Record<string, any>;

/** The bootstrap for one side: the shared template, with the native filters in place of the wasm one. */
export function oracleBootstrap(side: Side, config: JwtAuthConfig, wasm: string, upstreamUrl: string, listenPort = 0, tls?: TlsMaterial): string {
  const b = bootstrapObject({
    plugins: side === 'wasm' ? [{ name: 'jwt-auth', wasmPath: wasm, configuration: JSON.stringify(config), failurePolicy: 'FAIL_CLOSED' }] : [],
    upstream: upstreamUrl,
    listenPort,
    adminPort: 0,
  }) as Obj;
  const chain = b.static_resources.listeners[0].filter_chains[0] as Obj;
  if (side === 'native') {
    const hcm = chain.filters[0].typed_config as Obj;
    hcm.http_filters = [...nativeFilters(config), ...hcm.http_filters];
  }
  if (tls) {
    chain.transport_socket = downstreamTls(tls);
    // As on an Istio inbound listener: the TLS inspector is what makes the SNI known (connection.sni).
    b.static_resources.listeners[0].listener_filters = [{
      name: 'envoy.filters.listener.tls_inspector',
      typed_config: { '@type': 'type.googleapis.com/envoy.extensions.filters.listener.tls_inspector.v3.TlsInspector' },
    }];
  }
  // JSON (valid YAML): Envoy reads YAML 1.1, where an unquoted `yes` in a header value would be a boolean.
  return JSON.stringify(b, null, 1);
}

export async function startEnvoySide(side: Side, config: JwtAuthConfig, o: { envoyPath: string; wasm: string; upstream: EchoUpstream; dir: string; listenPort?: number; tls?: TlsMaterial }): Promise<EnvoySide> {
  const envoy: RunningEnvoy = await startEnvoy({ envoyPath: o.envoyPath, dir: o.dir, configYaml: oracleBootstrap(side, config, o.wasm, o.upstream.url, o.listenPort ?? 0, o.tls) });
  const tls = o.tls;
  return {
    stderrPath: envoy.stderrPath,
    async send(r) {
      const before = o.upstream.requests.length;
      const port = envoy.ports.ingress!;
      const res = tls
        ? await tlsExchange(port, r.method, r.path, r.headers, { ca: tls.ca, sni: r.tls?.sni, client: r.tls?.client ? tls.clients[r.tls.client] : undefined })
        : await exchange(port, r.method, r.path, r.headers);
      const up = o.upstream.requests.length > before ? o.upstream.requests[o.upstream.requests.length - 1]! : null;
      return {
        status: res.status,
        headers: res.headers.filter(([k]) => k !== 'connection'),
        body: res.body,
        upstream: up ? { method: up.method, path: up.path, headers: up.headers, body: up.body } : null,
      };
    },
    stop: () => envoy.stop(),
  };
}
