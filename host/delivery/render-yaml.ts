// WasmPlugin → YAML. Kubernetes reads YAML 1.1 (sigs.k8s.io/yaml), where `yes`, `on`, `n`, `0777` or `1:20`
// are not strings: written with the 1.1 schema, every such string value comes out quoted. The sha256 is
// always double-quoted as well: an all-digit digest would be read back as a number and Istio would refuse
// the whole resource.
import { Document, isScalar, visit } from 'yaml';
import type { WasmPlugin } from './wasmplugin.ts';

export function renderWasmPluginYaml(plugin: WasmPlugin, comment?: string): string {
  const doc = new Document(plugin, { version: '1.1' });
  visit(doc, {
    Pair(_, pair) {
      if (isScalar(pair.key) && pair.key.value === 'sha256' && isScalar(pair.value)) pair.value.type = 'QUOTE_DOUBLE';
    },
  });
  if (comment) doc.commentBefore = comment.split('\n').map((l) => ` ${l}`).join('\n');
  return doc.toString({ lineWidth: 0 });
}
