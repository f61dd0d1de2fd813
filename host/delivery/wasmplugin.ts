// The Istio `WasmPlugin` resource (extensions.istio.io/v1alpha1) as meshplug writes and reads it.

export const WASMPLUGIN_API_VERSION = 'extensions.istio.io/v1alpha1';

export const PHASES = ['UNSPECIFIED_PHASE', 'AUTHN', 'AUTHZ', 'STATS'] as const;
export const FAIL_STRATEGIES = ['FAIL_CLOSE', 'FAIL_OPEN', 'FAIL_RELOAD'] as const;
export const PULL_POLICIES = ['UNSPECIFIED_POLICY', 'IfNotPresent', 'Always'] as const;

export type Phase = (typeof PHASES)[number];
export type FailStrategy = (typeof FAIL_STRATEGIES)[number];
export type PullPolicy = (typeof PULL_POLICIES)[number];

export interface TargetRef {
  group?: string;
  kind: string;
  name: string;
  namespace?: string;
}

export interface WasmPluginSpec {
  selector?: { matchLabels: Record<string, string> };
  targetRefs?: TargetRef[];
  url: string;
  sha256?: string;
  imagePullPolicy?: PullPolicy;
  imagePullSecret?: string;
  pluginConfig?: Record<string, unknown>;
  pluginName?: string;
  phase?: Phase;
  priority?: number;
  failStrategy?: FailStrategy;
  vmConfig?: { env?: { name: string; valueFrom?: 'INLINE' | 'HOST'; value?: string }[] };
  match?: { mode?: string; ports?: { number: number }[] }[];
  type?: 'UNSPECIFIED_PLUGIN_TYPE' | 'HTTP' | 'NETWORK';
}

export interface WasmPlugin {
  apiVersion: typeof WASMPLUGIN_API_VERSION;
  kind: 'WasmPlugin';
  metadata: { name: string; namespace?: string; [k: string]: unknown };
  spec: WasmPluginSpec;
}

export function isWasmPluginDocument(doc: unknown): boolean {
  const d = doc as { kind?: unknown; apiVersion?: unknown } | null;
  return !!d && typeof d === 'object' && d.kind === 'WasmPlugin' && typeof d.apiVersion === 'string' && d.apiVersion.startsWith('extensions.istio.io/');
}
