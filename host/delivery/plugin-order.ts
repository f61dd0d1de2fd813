// The order Istio puts WasmPlugins in a listener's HTTP filter chain (pilot/pkg/model/push_context.go
// sortByPriority, pilot/pkg/networking/core extension insertion): by phase AUTHN, AUTHZ, STATS, then
// unspecified (just before the router); within a phase higher `priority` first, an unset priority lowest
// (MinInt32), ties keeping Istio's collection order: workload namespace before the root namespace, then
// creation time (all equal here) and name.
import type { Phase, WasmPlugin } from './wasmplugin.ts';

const PHASE_RANK: Record<Phase, number> = { AUTHN: 0, AUTHZ: 1, STATS: 2, UNSPECIFIED_PHASE: 3 };
const MIN_INT32 = -2147483648;

export const ROOT_NAMESPACE = 'istio-system';

export function orderLikeIstio(plugins: WasmPlugin[], namespaceOf: (p: WasmPlugin) => string): WasmPlugin[] {
  const key = (p: WasmPlugin) => ({
    phase: PHASE_RANK[p.spec.phase ?? 'UNSPECIFIED_PHASE'],
    priority: p.spec.priority ?? MIN_INT32,
    root: namespaceOf(p) === ROOT_NAMESPACE ? 1 : 0,
    name: p.metadata.name,
    namespace: namespaceOf(p),
  });
  return [...plugins].sort((a, b) => {
    const x = key(a);
    const y = key(b);
    return x.phase - y.phase || y.priority - x.priority || x.root - y.root ||
      (x.name < y.name ? -1 : x.name > y.name ? 1 : 0) || (x.namespace < y.namespace ? -1 : x.namespace > y.namespace ? 1 : 0);
  });
}
