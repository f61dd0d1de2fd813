// Every property the fact sheet (proxy-wasm-host.md §7.3) lists, read by the property probe in both hosts.
// The request is chosen so most of them have a value (see PROBE_REQUEST in properties-suite.ts).
export const PROPERTY_PATHS: string[] = [
  // request
  'request.path', 'request.url_path', 'request.host', 'request.scheme', 'request.method', 'request.referer',
  'request.useragent', 'request.id', 'request.query', 'request.headers', 'request.headers.x-probe',
  'request.headers.X-Probe', 'request.headers.absent', 'request.time', 'request.protocol', 'request.duration',
  'request.size', 'request.total_size', 'request',
  // response
  'response.code', 'response.code_details', 'response.flags', 'response.grpc_status', 'response.headers',
  'response.headers.x-up', 'response.trailers', 'response.size', 'response.total_size', 'response.backend_latency', 'response',
  // connection, source, destination
  'source.address', 'source.port', 'source', 'destination.address', 'destination.port',
  'connection.id', 'connection_id', 'connection.mtls', 'connection.requested_server_name', 'connection.tls_version',
  'connection.subject_local_certificate', 'connection.subject_peer_certificate', 'connection.uri_san_local_certificate',
  'connection.uri_san_peer_certificate', 'connection.dns_san_local_certificate', 'connection.dns_san_peer_certificate',
  'connection.sha256_peer_certificate_digest', 'connection.termination_details', 'connection.transport_failure_reason', 'connection',
  // upstream
  'upstream.address', 'upstream.port', 'upstream.local_address', 'upstream.transport_failure_reason', 'upstream.locality',
  'upstream.request_attempt_count', 'upstream.cx_pool_ready_duration', 'upstream.tls_version', 'upstream',
  // metadata and filter state
  'metadata', 'filter_state', 'upstream_filter_state',
  // xds
  'xds.node', 'xds.node.id', 'xds.node.cluster', 'xds.cluster_name', 'xds.route_name', 'xds.virtual_host_name',
  'xds.filter_chain_name', 'xds.cluster_metadata', 'xds.route_metadata', 'xds.virtual_host_metadata',
  'xds.upstream_host_metadata', 'xds.listener_metadata', 'xds.listener_direction', 'xds',
  // the plugin's own, and names removed in Envoy 1.33
  'plugin_name', 'plugin_root_id', 'plugin_vm_id', 'node', 'cluster_name', 'route_name', 'listener_direction',
];

/**
 * Values that differ between any two runs (ports, ids, times): compared by status and byte length only,
 * or, for `ip:port` strings, with the port masked.
 */
export const VOLATILE_PROPERTIES = new Set<string>([
  'request.id', 'request.time', 'request.duration', 'response.backend_latency', 'upstream.cx_pool_ready_duration',
  'source.port', 'destination.port', 'upstream.port', 'connection.id', 'connection_id',
]);

/**
 * Values that depend on the host itself, not on the request: compared by status only. `xds.node` is Envoy's
 * whole Node message (its build's extension list and user agent; ours carries id, cluster and metadata);
 * `response.total_size` counts the bytes of volatile headers (x-envoy-upstream-service-time, date).
 */
export const HOST_SPECIFIC_PROPERTIES = new Set<string>(['xds.node', 'response.total_size']);
