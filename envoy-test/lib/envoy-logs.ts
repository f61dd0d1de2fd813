// Turns Envoy's `wasm` logger lines into plugin log lines: `wasm log <plugin> <root_id> <vm_id>: <msg>`
// (empty parts left out, plugin name only in stream contexts) → level + the plugin's own message.
import type { LogLevelName } from '../../test/lib/scenario.ts';
import type { EnvoyLogLine } from '../../host/envoy/process.ts';

const LEVELS = new Set<string>(['trace', 'debug', 'info', 'warn', 'error', 'critical']);
const PLUGIN_LINE = /^wasm log(?: [^:\n]*)?: ?/;

export interface PluginLogs {
  /** What the plugin itself logged (proxy_log, fd_write). */
  plugin: { level: LogLevelName; message: string }[];
  /** Envoy's own lines about the VM: traps with backtraces, load and configure failures. */
  vm: { level: LogLevelName; message: string }[];
}

export function pluginLogs(lines: EnvoyLogLine[]): PluginLogs {
  const out: PluginLogs = { plugin: [], vm: [] };
  for (const l of lines) {
    if (l.logger !== 'wasm' || !LEVELS.has(l.level)) continue;
    const level = l.level as LogLevelName;
    const m = PLUGIN_LINE.exec(l.message);
    if (m) out.plugin.push({ level, message: l.message.slice(m[0].length) });
    else out.vm.push({ level, message: l.message });
  }
  return out;
}
