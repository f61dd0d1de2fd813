// One WasmPlugin → the Envoy Wasm filter Istio generates for it (pilot/pkg/model/extensions.go): name
// `<namespace>.<name>`, root_id = pluginName, configuration = pluginConfig as JSON (protojson: map keys
// sorted; none when empty), failure_policy from failStrategy.
import type { EnvoyPlugin, FailurePolicy } from '../envoy/bootstrap.ts';
import type { FailStrategy, WasmPlugin } from './wasmplugin.ts';

const FAILURE_POLICY: Record<FailStrategy, FailurePolicy> = {
  FAIL_CLOSE: 'FAIL_CLOSED',
  FAIL_OPEN: 'FAIL_OPEN',
  FAIL_RELOAD: 'FAIL_RELOAD',
};

/** JSON with object keys in sorted order at every level, as Go's protojson writes a Struct. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

export function toEnvoyPlugin(plugin: WasmPlugin, namespace: string, wasmPath: string): EnvoyPlugin {
  const spec = plugin.spec;
  const hasConfig = spec.pluginConfig && Object.keys(spec.pluginConfig).length > 0;
  return {
    name: `${namespace}.${plugin.metadata.name}`,
    wasmPath,
    configuration: hasConfig ? canonicalJson(spec.pluginConfig) : undefined,
    rootId: spec.pluginName ?? '',
    // FAIL_CLOSE is the proto's zero value: Istio always sets a policy.
    failurePolicy: FAILURE_POLICY[spec.failStrategy ?? 'FAIL_CLOSE'],
  };
}

/**
 * Why a plugin cannot run here as it would in the sidecar, or undefined. The local Envoy has one HTTP
 * listener standing for the sidecar's inbound side.
 */
export function unsupportedReason(plugin: WasmPlugin): string | undefined {
  const spec = plugin.spec;
  if (spec.type === 'NETWORK') return 'type NETWORK (a TCP filter) is not supported by meshplug envoy';
  if (spec.vmConfig?.env?.length) return 'vmConfig.env is not supported by meshplug envoy yet';
  return undefined;
}

/** Whether the plugin applies to inbound (SERVER) traffic, which is what the local listener stands for. */
export function appliesToInbound(plugin: WasmPlugin): boolean {
  const match = plugin.spec.match;
  if (!match || match.length === 0) return true;
  return match.some((m) => !m.mode || m.mode === 'UNDEFINED' || m.mode === 'SERVER' || m.mode === 'CLIENT_AND_SERVER');
}
