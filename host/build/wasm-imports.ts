// Checks a compiled module against what Envoy links for Proxy-Wasm ABI 0.2.1: only the listed
// imports (functions only), an ABI marker, an allocator and an exported memory.
import { readFileSync } from 'node:fs';

/** Imports Envoy provides to an ABI 0.2.1 module (kept in step with /work/shared/reference/envoy-imports-abi-0.2.1.txt). */
export const ENVOY_IMPORTS: ReadonlySet<string> = new Set([
  ...[
    'proxy_log', 'proxy_get_log_level', 'proxy_get_current_time_nanoseconds', 'proxy_set_tick_period_milliseconds',
    'proxy_get_property', 'proxy_set_property', 'proxy_get_buffer_bytes', 'proxy_get_buffer_status', 'proxy_set_buffer_bytes',
    'proxy_get_header_map_pairs', 'proxy_set_header_map_pairs', 'proxy_get_header_map_size', 'proxy_get_header_map_value',
    'proxy_add_header_map_value', 'proxy_replace_header_map_value', 'proxy_remove_header_map_value', 'proxy_continue_stream',
    'proxy_close_stream', 'proxy_send_local_response', 'proxy_http_call', 'proxy_grpc_call', 'proxy_grpc_stream',
    'proxy_grpc_send', 'proxy_grpc_cancel', 'proxy_grpc_close', 'proxy_get_status', 'proxy_set_shared_data',
    'proxy_get_shared_data', 'proxy_register_shared_queue', 'proxy_resolve_shared_queue', 'proxy_enqueue_shared_queue',
    'proxy_dequeue_shared_queue', 'proxy_define_metric', 'proxy_increment_metric', 'proxy_record_metric', 'proxy_get_metric',
    'proxy_set_effective_context', 'proxy_done', 'proxy_call_foreign_function',
  ].map((n) => `env.${n}`),
  ...[
    'fd_write', 'fd_read', 'fd_seek', 'fd_close', 'fd_fdstat_get', 'environ_sizes_get', 'environ_get', 'args_sizes_get',
    'args_get', 'clock_time_get', 'random_get', 'proc_exit', 'path_open', 'fd_prestat_get', 'fd_prestat_dir_name',
  ].map((n) => `wasi_snapshot_preview1.${n}`),
]);

/** Every reason Envoy would refuse to load the module (empty = loadable as far as imports/exports go). */
export function envoyLoadProblems(module: WebAssembly.Module): string[] {
  const problems: string[] = [];
  for (const i of WebAssembly.Module.imports(module)) {
    const mod = i.module === 'wasi_unstable' ? 'wasi_snapshot_preview1' : i.module;
    if (i.kind !== 'function') problems.push(`imports a ${i.kind} ${i.module}.${i.name} (Envoy provides functions only)`);
    else if (!ENVOY_IMPORTS.has(`${mod}.${i.name}`)) problems.push(`imports ${i.module}.${i.name}, which Envoy does not provide`);
  }
  const exports = new Set(WebAssembly.Module.exports(module).map((e) => e.name));
  if (![...exports].some((n) => n.startsWith('proxy_abi_version_'))) problems.push('exports no proxy_abi_version_* marker');
  if (!exports.has('malloc') && !exports.has('proxy_on_memory_allocate')) problems.push('exports neither malloc nor proxy_on_memory_allocate');
  if (!exports.has('memory')) problems.push('exports no memory');
  return problems;
}

/** Same, for a file; an unparsable file is one problem. */
export function envoyLoadProblemsOfFile(file: string): string[] {
  let module: WebAssembly.Module;
  try {
    module = new WebAssembly.Module(readFileSync(file));
  } catch (e) {
    return [`not a valid module: ${(e as Error).message}`];
  }
  return envoyLoadProblems(module);
}
