// Validates a WasmPlugin as the Kubernetes API server would with Istio's CRD: the CRD's OpenAPI schema (from
// @kubernetes-models/istio) plus the rules the CRD states as CEL or that structural pruning would hide
// (unknown fields are silently dropped by the API server; here they are an error, since they are typos).
import { WasmPlugin as WasmPluginModel } from '@kubernetes-models/istio/extensions.istio.io/v1alpha1/WasmPlugin';

const SPEC_FIELDS = new Set([
  'selector', 'targetRef', 'targetRefs', 'url', 'sha256', 'imagePullPolicy', 'imagePullSecret', 'pluginConfig',
  'pluginName', 'phase', 'priority', 'failStrategy', 'vmConfig', 'match', 'type', 'verificationKey',
]);
const NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

interface SchemaError {
  instancePath?: string;
  message?: string;
  params?: Record<string, unknown>;
}

function describe(e: SchemaError): string {
  const where = (e.instancePath ?? '').replace(/^\//, '').replace(/\//g, '.') || '(resource)';
  const allowed = Array.isArray(e.params?.allowedValues) ? ` (one of ${(e.params!.allowedValues as unknown[]).join(', ')})` : '';
  return `${where}: ${e.message ?? 'invalid'}${allowed}`;
}

/** Every problem Istio's CRD (or its CEL rules) would reject the resource for; empty = valid. */
export function validateWasmPlugin(doc: unknown): string[] {
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) return ['(resource): not a YAML mapping'];
  const d = doc as { apiVersion?: unknown; kind?: unknown; metadata?: { name?: unknown; namespace?: unknown }; spec?: Record<string, unknown> };
  const errors: string[] = [];
  if (d.apiVersion !== 'extensions.istio.io/v1alpha1') errors.push(`apiVersion: must be extensions.istio.io/v1alpha1, got ${JSON.stringify(d.apiVersion)}`);
  if (d.kind !== 'WasmPlugin') errors.push(`kind: must be WasmPlugin, got ${JSON.stringify(d.kind)}`);
  if (typeof d.metadata?.name !== 'string' || !NAME.test(d.metadata.name) || d.metadata.name.length > 253) {
    errors.push(`metadata.name: must be a DNS-1123 name, got ${JSON.stringify(d.metadata?.name)}`);
  }
  if (d.metadata?.namespace !== undefined && (typeof d.metadata.namespace !== 'string' || !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(d.metadata.namespace))) {
    errors.push(`metadata.namespace: must be a DNS-1123 label, got ${JSON.stringify(d.metadata.namespace)}`);
  }
  try {
    new WasmPluginModel(doc as ConstructorParameters<typeof WasmPluginModel>[0]).validate();
  } catch (e) {
    const list = (e as { errors?: SchemaError[] }).errors;
    if (Array.isArray(list) && list.length > 0) errors.push(...list.map(describe));
    else errors.push(`(resource): ${(e as Error).message}`);
  }
  const spec = d.spec;
  if (spec && typeof spec === 'object') {
    for (const key of Object.keys(spec)) if (!SPEC_FIELDS.has(key)) errors.push(`spec.${key}: unknown field`);
    if (typeof spec.url !== 'string' || spec.url.length === 0) errors.push('spec.url: required');
    else if (!/^(oci|file|https?):\/\/|^[^:]+$/.test(spec.url)) errors.push(`spec.url: scheme must be oci://, file://, http:// or https://, got ${spec.url}`);
    if (spec.selector && (spec.targetRefs || spec.targetRef)) errors.push('spec: only one of selector or targetRefs can be set'); // a CEL rule in the CRD
    if (spec.targetRef && spec.targetRefs) errors.push('spec: only one of targetRef or targetRefs can be set');
    if (spec.pluginConfig !== undefined && (spec.pluginConfig === null || typeof spec.pluginConfig !== 'object' || Array.isArray(spec.pluginConfig))) {
      errors.push('spec.pluginConfig: must be a mapping (google.protobuf.Struct)');
    }
    const pinned = typeof spec.url === 'string' ? /@sha256:([0-9a-f]{64})$/.exec(spec.url)?.[1] : undefined;
    if (pinned && typeof spec.sha256 === 'string' && spec.sha256 !== pinned) errors.push('spec.sha256: differs from the @sha256: digest in spec.url');
  }
  return [...new Set(errors)];
}
