// WasmPlugin → YAML. The sha256 is always double-quoted: an all-digit digest would otherwise be read back
// as a number and Istio would refuse the whole resource.
import { Document, isScalar, visit } from 'yaml';
import type { WasmPlugin } from './wasmplugin.ts';

export function renderWasmPluginYaml(plugin: WasmPlugin, comment?: string): string {
  const doc = new Document(plugin);
  visit(doc, {
    Pair(_, pair) {
      if (isScalar(pair.key) && pair.key.value === 'sha256' && isScalar(pair.value)) pair.value.type = 'QUOTE_DOUBLE';
    },
  });
  if (comment) doc.commentBefore = comment.split('\n').map((l) => ` ${l}`).join('\n');
  return doc.toString({ lineWidth: 0 });
}
