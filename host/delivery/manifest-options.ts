// The WasmPlugin fields as command-line options, shared by `meshplug manifest` and `meshplug push --manifest`,
// and the one function that turns them into a validated resource.
import { basename } from 'node:path';
import { normalizeSha256 } from '../oci/digest.ts';
import { validateWasmPlugin } from './istio-validate.ts';
import { readConfigFile, requirePluginSchema, validatePluginConfig } from './plugin-config.ts';
import { FAIL_STRATEGIES, PHASES, PULL_POLICIES, WASMPLUGIN_API_VERSION, type TargetRef, type WasmPlugin, type WasmPluginSpec } from './wasmplugin.ts';

export const MANIFEST_OPTIONS = {
  name: { type: 'string' },
  namespace: { type: 'string' },
  plugin: { type: 'string' },
  schema: { type: 'string' },
  config: { type: 'string' },
  'plugin-name': { type: 'string' },
  phase: { type: 'string' },
  priority: { type: 'string' },
  selector: { type: 'string', multiple: true },
  'target-ref': { type: 'string', multiple: true },
  'fail-strategy': { type: 'string' },
  'image-pull-policy': { type: 'string' },
  'image-pull-secret': { type: 'string' },
} as const;

export const MANIFEST_USAGE = `  --name NAME               metadata.name (default: --plugin, else the image repository's last part)
  --namespace NS            metadata.namespace
  --plugin NAME             one of plugins/<NAME>: its config.schema.json checks --config
  --schema FILE             a JSON Schema to check --config against (instead of --plugin's)
  --config FILE             pluginConfig, from a JSON or YAML file
  --plugin-name ROOT_ID     spec.pluginName (Envoy root_id)
  --phase P                 ${PHASES.join(' | ')}
  --priority N              higher runs first within a phase
  --selector KEY=VALUE      spec.selector.matchLabels (repeatable)
  --target-ref [GROUP/]KIND/NAME  spec.targetRefs (repeatable; not with --selector)
  --fail-strategy S         ${FAIL_STRATEGIES.join(' | ')}
  --image-pull-policy P     ${PULL_POLICIES.join(' | ')}
  --image-pull-secret NAME  a docker-config Secret in the same namespace`;

export interface ManifestValues {
  name?: string;
  namespace?: string;
  plugin?: string;
  schema?: string;
  config?: string;
  'plugin-name'?: string;
  phase?: string;
  priority?: string;
  selector?: string[];
  'target-ref'?: string[];
  'fail-strategy'?: string;
  'image-pull-policy'?: string;
  'image-pull-secret'?: string;
}

function oneOf<T extends string>(option: string, value: string | undefined, allowed: readonly T[]): T | undefined {
  if (value === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(value)) throw new Error(`--${option} must be one of ${allowed.join(', ')}, got '${value}'`);
  return value as T;
}

function parseTargetRef(text: string): TargetRef {
  const parts = text.split('/');
  if (parts.length === 2 && parts.every(Boolean)) return { kind: parts[0]!, name: parts[1]! };
  if (parts.length === 3 && parts.every(Boolean)) return { group: parts[0]!, kind: parts[1]!, name: parts[2]! };
  throw new Error(`--target-ref must be KIND/NAME or GROUP/KIND/NAME, got '${text}'`);
}

/** The resource name when none is given: the plugin, else the last path part of the URL without tag. */
function defaultName(url: string, plugin?: string): string {
  if (plugin) return plugin;
  const last = basename(url.replace(/@sha256:[0-9a-f]+$/, '')).replace(/\.wasm$/, '').replace(/:[^:]*$/, '');
  return last.toLowerCase().replace(/[^a-z0-9.-]/g, '-').replace(/^[^a-z0-9]+|[^a-z0-9]+$/g, '') || 'wasm-plugin';
}

/** Builds the WasmPlugin for `url`; throws one Error listing every problem found. */
export async function wasmPluginFromOptions(values: ManifestValues, url: string, sha256?: string): Promise<WasmPlugin> {
  const spec: WasmPluginSpec = { url };
  if (sha256 !== undefined) {
    const hex = normalizeSha256(sha256);
    if (hex instanceof Error) throw new Error(`--sha256: ${hex.message}`);
    spec.sha256 = hex;
  }
  if (values.selector?.length) {
    const matchLabels: Record<string, string> = {};
    for (const s of values.selector) {
      const eq = s.indexOf('=');
      if (eq <= 0) throw new Error(`--selector must be KEY=VALUE, got '${s}'`);
      matchLabels[s.slice(0, eq)] = s.slice(eq + 1);
    }
    spec.selector = { matchLabels };
  }
  if (values['target-ref']?.length) spec.targetRefs = values['target-ref'].map(parseTargetRef);
  const policy = oneOf('image-pull-policy', values['image-pull-policy'], PULL_POLICIES);
  if (policy) spec.imagePullPolicy = policy;
  if (values['image-pull-secret'] !== undefined) spec.imagePullSecret = values['image-pull-secret'];
  if (values.config !== undefined) {
    const config = await readConfigFile(values.config);
    const schema = values.schema ?? (values.plugin ? requirePluginSchema(values.plugin) : undefined);
    if (schema) {
      const problems = await validatePluginConfig(config, schema);
      if (problems.length) throw new Error(`${values.config} does not match ${schema}:\n  ${problems.join('\n  ')}`);
    }
    spec.pluginConfig = config;
  }
  if (values['plugin-name'] !== undefined) spec.pluginName = values['plugin-name'];
  const phase = oneOf('phase', values.phase, PHASES);
  if (phase) spec.phase = phase;
  if (values.priority !== undefined) {
    const n = Number(values.priority);
    if (!Number.isInteger(n) || n < -2147483648 || n > 2147483647) throw new Error(`--priority must be a 32-bit integer, got '${values.priority}'`);
    spec.priority = n;
  }
  const fail = oneOf('fail-strategy', values['fail-strategy'], FAIL_STRATEGIES);
  if (fail) spec.failStrategy = fail;
  const metadata: WasmPlugin['metadata'] = { name: values.name ?? defaultName(url, values.plugin) };
  if (values.namespace !== undefined) metadata.namespace = values.namespace;
  const plugin: WasmPlugin = { apiVersion: WASMPLUGIN_API_VERSION, kind: 'WasmPlugin', metadata, spec };
  const problems = validateWasmPlugin(plugin);
  if (problems.length) throw new Error(`the WasmPlugin would be refused by Istio:\n  ${problems.join('\n  ')}`);
  return plugin;
}
