// Renders an Envoy 1.40 bootstrap (v3 API) for a chain of Proxy-Wasm plugins: one listener on 127.0.0.1
// with `envoy.filters.http.wasm` (V8) per plugin in front of one upstream, plus the clusters the plugins
// call out to. The one template behind `meshplug envoy-config`, the shipped envoy-test/*.yaml and the
// real-Envoy test runner, so what users start is what CI tested.
import { stringify } from 'yaml';

export type FailurePolicy = 'FAIL_CLOSED' | 'FAIL_OPEN' | 'FAIL_RELOAD';

export interface EnvoyPlugin {
  /** `config.name`: property `plugin_name`, the log prefix. */
  name: string;
  /** Path to the .wasm as Envoy should open it (relative paths are relative to Envoy's working dir). */
  wasmPath: string;
  /** Plugin configuration bytes, delivered as a google.protobuf.StringValue (exactly these bytes). */
  configuration?: string;
  rootId?: string;
  vmId?: string;
  failurePolicy?: FailurePolicy;
  /** The deprecated `fail_open` flag (Envoy refuses it together with failure_policy). */
  failOpen?: boolean;
}

/** A cluster the plugins reach with `proxy_http_call(name, ...)`, or the upstream. */
export interface EnvoyCluster {
  name: string;
  /** http://host:port or https://host[:port]; a path is ignored (clusters address hosts, not URLs). */
  url: string;
}

export interface BootstrapOptions {
  /** The Wasm filters in order (none: a plain proxy, the benchmark's anchor). */
  plugins: EnvoyPlugin[];
  /** Where the listener forwards requests; null = a stand-in upstream inside the same Envoy. */
  upstream: string | null;
  clusters?: EnvoyCluster[];
  /** Listener port on 127.0.0.1; 0 = let the kernel pick (read it back from the admin API). */
  listenPort: number;
  /** Admin port on 127.0.0.1; 0 = kernel-picked (use `--admin-address-path`). */
  adminPort: number;
  /** Request/response body buffer limit of the listener in bytes (Envoy's default is 1 MiB). */
  bufferLimitBytes?: number;
  /** Tag names that become Prometheus labels, Istio's way: a metric `<tag>=.=<value>;.;<name>`. */
  statsTags?: string[];
}

/** Name of the cluster that carries proxied requests; plugins must not use it for their own callouts. */
export const UPSTREAM_CLUSTER = 'upstream';

const STAND_IN_BODY = 'hello from the stand-in upstream\n';

export class BootstrapError extends Error {}

interface ParsedUrl { tls: boolean; host: string; port: number }

function parseClusterUrl(what: string, raw: string): ParsedUrl {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw new BootstrapError(`${what}: not a URL: ${JSON.stringify(raw)} (want http://host:port or https://host[:port])`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new BootstrapError(`${what}: unsupported scheme ${u.protocol} in ${raw} (want http or https)`);
  if (!u.hostname) throw new BootstrapError(`${what}: no host in ${raw}`);
  const tls = u.protocol === 'https:';
  const port = u.port ? Number(u.port) : tls ? 443 : 80;
  return { tls, host: u.hostname.replace(/^\[|\]$/g, ''), port };
}

const isIp = (h: string) => /^\d{1,3}(\.\d{1,3}){3}$/.test(h) || h.includes(':');

function cluster(name: string, url: ParsedUrl): Record<string, unknown> {
  const c: Record<string, unknown> = {
    name,
    // A literal address needs no resolver; a host name is resolved like Istio's ServiceEntry DNS.
    type: isIp(url.host) ? 'STATIC' : 'LOGICAL_DNS',
    connect_timeout: '1s',
    load_assignment: {
      cluster_name: name,
      endpoints: [{ lb_endpoints: [{ endpoint: { address: { socket_address: { address: url.host, port_value: url.port } } } }] }],
    },
  };
  if (!isIp(url.host)) c.dns_lookup_family = 'V4_PREFERRED';
  if (url.tls) {
    c.transport_socket = {
      name: 'envoy.transport_sockets.tls',
      typed_config: {
        '@type': 'type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext',
        sni: url.host,
      },
    };
  }
  return c;
}

function wasmFilter(p: EnvoyPlugin): Record<string, unknown> {
  if (p.failOpen !== undefined && p.failurePolicy !== undefined) {
    throw new BootstrapError(`plugin ${p.name}: set failure_policy or the legacy fail_open, not both (Envoy refuses both)`);
  }
  const config: Record<string, unknown> = { name: p.name, root_id: p.rootId ?? '' };
  if (p.configuration !== undefined) {
    config.configuration = { '@type': 'type.googleapis.com/google.protobuf.StringValue', value: p.configuration };
  }
  if (p.failurePolicy) config.failure_policy = p.failurePolicy;
  if (p.failOpen !== undefined) config.fail_open = p.failOpen;
  config.vm_config = {
    vm_id: p.vmId ?? '',
    runtime: 'envoy.wasm.runtime.v8',
    code: { local: { filename: p.wasmPath } },
  };
  return {
    name: 'envoy.filters.http.wasm',
    typed_config: { '@type': 'type.googleapis.com/envoy.extensions.filters.http.wasm.v3.Wasm', config },
  };
}

function listener(name: string, port: number, routeAction: Record<string, unknown>, httpFilters: unknown[], bufferLimit?: number) {
  const l: Record<string, unknown> = {
    name,
    address: { socket_address: { address: '127.0.0.1', port_value: port } },
    filter_chains: [{
      filters: [{
        name: 'envoy.filters.network.http_connection_manager',
        typed_config: {
          '@type': 'type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager',
          stat_prefix: name,
          codec_type: 'AUTO',
          route_config: {
            name: `${name}_route`,
            virtual_hosts: [{ name: 'all', domains: ['*'], routes: [{ match: { prefix: '/' }, ...routeAction }] }],
          },
          http_filters: [
            ...httpFilters,
            { name: 'envoy.filters.http.router', typed_config: { '@type': 'type.googleapis.com/envoy.extensions.filters.http.router.v3.Router' } },
          ],
        },
      }],
    }],
  };
  if (bufferLimit !== undefined) l.per_connection_buffer_limit_bytes = bufferLimit;
  return l;
}

function istioStatsTag(tag: string): Record<string, string> {
  if (!/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(tag)) throw new BootstrapError(`stats tag ${JSON.stringify(tag)}: use a Prometheus label name`);
  return { tag_name: tag, regex: `(${tag}=\\.=(.*?);\\.;)` };
}

/**
 * Why Envoy would refuse a cluster name, or null. Envoy 1.40 (`envoy --mode validate`) takes any non-empty
 * UTF-8 string — Istio's `outbound|443||login.example.com`, spaces, `/`, non-ASCII — so only the empty
 * name and text that cannot become UTF-8 (a lone surrogate) are refused here.
 */
export function clusterNameProblem(name: string): string | null {
  if (name.length === 0) return 'empty (Envoy requires at least 1 character)';
  if (/\p{Surrogate}/u.test(name)) return 'not valid Unicode (Envoy requires UTF-8)';
  return null;
}

function checkPort(what: string, p: number): void {
  if (!Number.isInteger(p) || p < 0 || p > 65535) throw new BootstrapError(`${what}: not a port number: ${p}`);
}

/** The bootstrap as a plain object (stable key order, so the YAML is reproducible byte for byte). */
export function bootstrapObject(o: BootstrapOptions): Record<string, unknown> {
  checkPort('listen port', o.listenPort);
  checkPort('admin port', o.adminPort);
  const names = new Set<string>();
  for (const c of o.clusters ?? []) {
    const bad = clusterNameProblem(c.name);
    if (bad) throw new BootstrapError(`cluster name ${JSON.stringify(c.name)}: ${bad}`);
    if (c.name === UPSTREAM_CLUSTER) throw new BootstrapError(`cluster name '${UPSTREAM_CLUSTER}' is reserved for the upstream`);
    if (names.has(c.name)) throw new BootstrapError(`cluster ${c.name} given twice`);
    names.add(c.name);
  }
  const listeners: unknown[] = [
    listener('ingress', o.listenPort, { route: { cluster: UPSTREAM_CLUSTER } }, o.plugins.map(wasmFilter), o.bufferLimitBytes),
  ];
  let upstreamUrl: ParsedUrl;
  if (o.upstream === null) {
    // The stand-in listens next to the ingress listener, so it needs a fixed port to be found at.
    if (o.listenPort === 0 || o.listenPort === 65535) throw new BootstrapError('the stand-in upstream needs a fixed listen port below 65535 (or give an upstream URL)');
    const standInPort = o.listenPort + 1;
    if (o.adminPort === standInPort) throw new BootstrapError(`admin port ${o.adminPort} is where the stand-in upstream listens (listen port + 1): pick another`);
    listeners.push(listener('stand_in_upstream', standInPort, { direct_response: { status: 200, body: { inline_string: STAND_IN_BODY } } }, []));
    upstreamUrl = { tls: false, host: '127.0.0.1', port: standInPort };
  } else {
    upstreamUrl = parseClusterUrl('upstream', o.upstream);
  }
  const clusters = [cluster(UPSTREAM_CLUSTER, upstreamUrl)];
  for (const c of o.clusters ?? []) clusters.push(cluster(c.name, parseClusterUrl(`cluster ${c.name}`, c.url)));
  return {
    admin: { address: { socket_address: { address: '127.0.0.1', port_value: o.adminPort } } },
    ...(o.statsTags?.length ? { stats_config: { stats_tags: o.statsTags.map(istioStatsTag) } } : {}),
    static_resources: { listeners, clusters },
  };
}

/** An Envoy that only answers 200 (a fast upstream for benchmarks: a Node server would be the bottleneck). */
export function standInUpstreamObject(listenPort: number, adminPort: number): Record<string, unknown> {
  checkPort('listen port', listenPort);
  checkPort('admin port', adminPort);
  return {
    admin: { address: { socket_address: { address: '127.0.0.1', port_value: adminPort } } },
    static_resources: {
      listeners: [listener('stand_in_upstream', listenPort, { direct_response: { status: 200, body: { inline_string: STAND_IN_BODY } } }, [])],
    },
  };
}

export function renderBootstrap(o: BootstrapOptions, header?: string): string {
  const body = stringify(bootstrapObject(o), { lineWidth: 0 });
  const comment = header ? header.split('\n').map((l) => `# ${l}`.trimEnd()).join('\n') + '\n' : '';
  return comment + body;
}
