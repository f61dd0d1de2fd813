// Proxy-Wasm ABI constants with the values Envoy uses (fact sheet §1.2).

export const enum WasmResult {
  Ok = 0, NotFound = 1, BadArgument = 2, SerializationFailure = 3, ParseFailure = 4, BadExpression = 5,
  InvalidMemoryAccess = 6, Empty = 7, CasMismatch = 8, ResultMismatch = 9, InternalFailure = 10,
  BrokenConnection = 11, Unimplemented = 12,
}

export const wasmResultNames = ['Ok', 'NotFound', 'BadArgument', 'SerializationFailure', 'ParseFailure', 'BadExpression',
  'InvalidMemoryAccess', 'Empty', 'CasMismatch', 'ResultMismatch', 'InternalFailure', 'BrokenConnection', 'Unimplemented'];

export const enum MapType {
  HttpRequestHeaders = 0, HttpRequestTrailers = 1, HttpResponseHeaders = 2, HttpResponseTrailers = 3,
  GrpcReceiveInitialMetadata = 4, GrpcReceiveTrailingMetadata = 5, HttpCallResponseHeaders = 6, HttpCallResponseTrailers = 7,
}

export const enum BufferType {
  HttpRequestBody = 0, HttpResponseBody = 1, NetworkDownstreamData = 2, NetworkUpstreamData = 3,
  HttpCallResponseBody = 4, GrpcReceiveBuffer = 5, VmConfiguration = 6, PluginConfiguration = 7, CallData = 8,
}

export const enum MetricType { Counter = 0, Gauge = 1, Histogram = 2 }

export const logLevelNames = ['trace', 'debug', 'info', 'warn', 'error', 'critical'] as const;
export type LogLevel = (typeof logLevelNames)[number];

export type AbiVersion = '0_1_0' | '0_2_0' | '0_2_1';

type Sig = string; // "params->results", e.g. "iii->i"

/** Host functions (module env) Envoy links, with their signatures; `abi` limits a name to some versions. */
export const envHostFunctions: Record<string, { sig: Sig; abi?: AbiVersion[] }> = {
  proxy_log: { sig: 'iii->i' },
  proxy_get_log_level: { sig: 'i->i', abi: ['0_2_1'] },
  proxy_get_current_time_nanoseconds: { sig: 'i->i' },
  proxy_set_tick_period_milliseconds: { sig: 'i->i' },
  proxy_get_property: { sig: 'iiii->i' },
  proxy_set_property: { sig: 'iiii->i' },
  proxy_get_buffer_bytes: { sig: 'iiiii->i' },
  proxy_get_buffer_status: { sig: 'iii->i' },
  proxy_set_buffer_bytes: { sig: 'iiiii->i' },
  proxy_get_header_map_pairs: { sig: 'iii->i' },
  proxy_set_header_map_pairs: { sig: 'iii->i' },
  proxy_get_header_map_size: { sig: 'ii->i' },
  proxy_get_header_map_value: { sig: 'iiiii->i' },
  proxy_add_header_map_value: { sig: 'iiiii->i' },
  proxy_replace_header_map_value: { sig: 'iiiii->i' },
  proxy_remove_header_map_value: { sig: 'iii->i' },
  proxy_continue_stream: { sig: 'i->i', abi: ['0_2_0', '0_2_1'] },
  proxy_close_stream: { sig: 'i->i', abi: ['0_2_0', '0_2_1'] },
  proxy_send_local_response: { sig: 'iiiiiiii->i' },
  proxy_http_call: { sig: 'iiiiiiiiii->i' },
  proxy_grpc_call: { sig: 'iiiiiiiiiiii->i' },
  proxy_grpc_stream: { sig: 'iiiiiiiii->i' },
  proxy_grpc_send: { sig: 'iiii->i' },
  proxy_grpc_cancel: { sig: 'i->i' },
  proxy_grpc_close: { sig: 'i->i' },
  proxy_get_status: { sig: 'iii->i' },
  proxy_set_shared_data: { sig: 'iiiii->i' },
  proxy_get_shared_data: { sig: 'iiiii->i' },
  proxy_register_shared_queue: { sig: 'iii->i' },
  proxy_resolve_shared_queue: { sig: 'iiiii->i' },
  proxy_enqueue_shared_queue: { sig: 'iii->i' },
  proxy_dequeue_shared_queue: { sig: 'iii->i' },
  proxy_define_metric: { sig: 'iiii->i' },
  proxy_increment_metric: { sig: 'iI->i' },
  proxy_record_metric: { sig: 'iI->i' },
  proxy_get_metric: { sig: 'ii->i' },
  proxy_set_effective_context: { sig: 'i->i' },
  proxy_done: { sig: '->i' },
  proxy_call_foreign_function: { sig: 'iiiiii->i' },
  proxy_get_configuration: { sig: 'ii->i', abi: ['0_1_0'] },
  proxy_continue_request: { sig: '->i', abi: ['0_1_0'] },
  proxy_continue_response: { sig: '->i', abi: ['0_1_0'] },
  proxy_clear_route_cache: { sig: '->i', abi: ['0_1_0'] },
};

/** WASI preview 1 functions Envoy 1.40 links (under wasi_snapshot_preview1 and wasi_unstable). */
export const wasiFunctions: Record<string, Sig> = {
  fd_write: 'iiii->i', fd_read: 'iiii->i', fd_seek: 'iIii->i', fd_close: 'i->i', fd_fdstat_get: 'ii->i',
  environ_sizes_get: 'ii->i', environ_get: 'ii->i', args_sizes_get: 'ii->i', args_get: 'ii->i',
  clock_time_get: 'iIi->i', random_get: 'ii->i', proc_exit: 'i->', path_open: 'iiiiiIIii->i',
  fd_prestat_get: 'ii->i', fd_prestat_dir_name: 'iii->i', fd_fdstat_set_flags: 'ii->i', sched_yield: '->i',
  poll_oneoff: 'iiii->i', clock_res_get: 'ii->i',
  ...wasiNosysFunctions(),
};

/**
 * The rest of WASI preview 1, which Envoy links as stubs answering ENOSYS (Go's wasip1 runtime, e.g.
 * coraza-proxy-wasm, imports them for file and socket I/O it never uses in a proxy).
 */
export function wasiNosysFunctions(): Record<string, Sig> {
  return {
    fd_advise: 'iIIi->i', fd_allocate: 'iII->i', fd_datasync: 'i->i', fd_fdstat_set_rights: 'iII->i',
    fd_filestat_get: 'ii->i', fd_filestat_set_size: 'iI->i', fd_filestat_set_times: 'iIIi->i',
    fd_pread: 'iiiIi->i', fd_pwrite: 'iiiIi->i', fd_readdir: 'iiiIi->i', fd_renumber: 'ii->i', fd_sync: 'i->i',
    fd_tell: 'ii->i', path_create_directory: 'iii->i', path_filestat_get: 'iiiii->i',
    path_filestat_set_times: 'iiiiIIi->i', path_link: 'iiiiiii->i', path_readlink: 'iiiiii->i',
    path_remove_directory: 'iii->i', path_rename: 'iiiiii->i', path_symlink: 'iiiii->i',
    path_unlink_file: 'iii->i', proc_raise: 'i->i', sock_accept: 'iii->i', sock_recv: 'iiiiii->i',
    sock_send: 'iiiii->i', sock_shutdown: 'ii->i',
  };
}

/** Exports Envoy looks up, with the signature it requires (a mismatch fails loading). */
export const exportSignatures: Record<string, Sig> = {
  _initialize: '->', _start: '->', main: 'ii->i', malloc: 'i->i', proxy_on_memory_allocate: 'i->i',
  proxy_on_context_create: 'ii->', proxy_on_vm_start: 'ii->i', proxy_on_configure: 'ii->i',
  proxy_validate_configuration: 'ii->i', proxy_on_tick: 'i->', proxy_on_request_headers: 'iii->i',
  proxy_on_request_body: 'iii->i', proxy_on_request_trailers: 'ii->i', proxy_on_request_metadata: 'ii->i',
  proxy_on_response_headers: 'iii->i', proxy_on_response_body: 'iii->i', proxy_on_response_trailers: 'ii->i',
  proxy_on_response_metadata: 'ii->i', proxy_on_http_call_response: 'iiiii->',
  proxy_on_grpc_receive_initial_metadata: 'iii->', proxy_on_grpc_receive: 'iii->',
  proxy_on_grpc_receive_trailing_metadata: 'iii->', proxy_on_grpc_close: 'iii->', proxy_on_queue_ready: 'ii->',
  proxy_on_foreign_function: 'iii->', proxy_on_new_connection: 'i->i', proxy_on_downstream_data: 'iii->i',
  proxy_on_upstream_data: 'iii->i', proxy_on_downstream_connection_close: 'ii->',
  proxy_on_upstream_connection_close: 'ii->', proxy_on_done: 'i->i', proxy_on_log: 'i->', proxy_on_delete: 'i->',
};
