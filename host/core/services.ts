// Host-wide services every VM uses: platform, stats, shared state, logs, clusters, node identity.
import type { Platform } from './platform.ts';
import type { SharedState } from './shared-state.ts';
import type { StatsStore } from './stats.ts';
import type { LogRecord } from './types.ts';
import type { WasmVm } from './vm.ts';
import type { RouteInfo } from './properties.ts';

export interface NodeInfo {
  id: string;
  cluster: string;
  metadata: Record<string, string>;
}

export interface HostServices {
  platform: Platform;
  stats: StatsStore;
  shared: SharedState;
  /** Envoy's `wasm` logger level: 0 trace … 5 critical, 6 off. Lines below it are dropped. */
  logLevel: number;
  log(record: LogRecord): void;
  /** Cluster name → base URL for proxy_http_call / gRPC. */
  clusters: Map<string, string>;
  node: NodeInfo;
  onVmFailed(vm: WasmVm): void;
  /** Names reported under xds.* (cluster, route, virtual host …). */
  route: RouteInfo;
}
