// Shapes shared across the host core.
export type HeaderList = [string, string][];
export type FailurePolicy = 'FAIL_CLOSED' | 'FAIL_OPEN' | 'FAIL_RELOAD';

export interface PluginSpec {
  /** Envoy `config.name` → plugin_name, log prefix. */
  name: string;
  rootId: string;
  vmId: string;
  /** Compiled module and its bytes (bytes identify the VM: same vm_id + config + code share a VM). */
  module: WebAssembly.Module;
  code: Uint8Array;
  /** PluginConfiguration buffer (7): the config as sent (JSON text for WasmPlugin). */
  configuration: Uint8Array;
  /** VmConfiguration buffer (6). */
  vmConfiguration: Uint8Array;
  failurePolicy: FailurePolicy;
  /** Legacy `fail_open: true`: the request that trapped passes too. */
  legacyFailOpen?: boolean;
  environment?: Record<string, string>;
}

export interface LogRecord {
  level: 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'critical';
  message: string;
  /** Envoy's prefix parts: plugin name (stream contexts only), root id, vm id. */
  prefix: string;
  /** `host`: the host's own line about a VM (load errors, traps); default: the plugin's own log line. */
  source?: 'plugin' | 'host';
}

/** Connection facts properties are derived from (what Envoy knows about the downstream connection). */
export interface ConnectionInfo {
  id: number;
  sourceAddress: string; // ip:port
  destinationAddress: string; // ip:port
  mtls?: boolean;
  requestedServerName?: string;
  uriSanPeerCertificate?: string;
  dnsSanPeerCertificate?: string;
  subjectPeerCertificate?: string;
  tlsVersion?: string;
}

export interface IncomingRequest {
  method: string;
  path: string;
  authority: string;
  /** The client sent no Host at all: the stream gets no `:authority` (an empty Host gives an empty one). */
  noAuthority?: boolean;
  scheme: string;
  protocol: string; // HTTP/1.1
  headers: HeaderList; // lower-case names, no pseudo-headers, no host
  body: Uint8Array;
  trailers?: HeaderList;
  connection: ConnectionInfo;
  /** The client sent `connection: close` (or spoke HTTP/1.0): the response says `connection: close`. */
  closeConnection?: boolean;
  /** The header values come from an HTTP parser that refuses NUL, CR and LF, so the host need not scan them. */
  headersChecked?: boolean;
}

export interface OutgoingResponse {
  status: number;
  headers: HeaderList;
  body: Uint8Array;
  trailers?: HeaderList;
  /** Envoy's response code details (`via_upstream`, `wasm_fail_stream`, the local reply's details …). */
  details: string;
  /** The stream was reset after the headers went out (body incomplete). */
  reset?: boolean;
}
