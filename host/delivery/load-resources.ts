// Reads the Kubernetes YAML given to `meshplug envoy --wasmplugin`: every WasmPlugin (validated against Istio's
// CRD) and every docker-config Secret (for imagePullSecret), from one or more multi-document files.
import { readFile } from 'node:fs/promises';
import { parseAllDocuments } from 'yaml';
import { validateWasmPlugin } from './istio-validate.ts';
import { isWasmPluginDocument, type WasmPlugin } from './wasmplugin.ts';

export interface PullSecret {
  name: string;
  namespace: string;
  /** The parsed `.dockerconfigjson` payload. */
  dockerConfig: unknown;
}

export interface LoadedResources {
  plugins: WasmPlugin[];
  secrets: PullSecret[];
}

export const DEFAULT_NAMESPACE = 'default';

function secretPayload(doc: Record<string, unknown>): unknown {
  const data = doc.data as Record<string, unknown> | undefined;
  const stringData = doc.stringData as Record<string, unknown> | undefined;
  let text: string | undefined;
  if (typeof stringData?.['.dockerconfigjson'] === 'string') text = stringData['.dockerconfigjson'] as string;
  else if (typeof data?.['.dockerconfigjson'] === 'string') text = Buffer.from(data['.dockerconfigjson'] as string, 'base64').toString('utf8');
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

export async function loadResources(files: string[]): Promise<LoadedResources> {
  const out: LoadedResources = { plugins: [], secrets: [] };
  const problems: string[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (e) {
      throw new Error(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
    // YAML 1.1, as kubectl and Istio read it: an unquoted `yes` is a boolean there, and must be here too.
    for (const [i, doc] of parseAllDocuments(text, { version: '1.1' }).entries()) {
      const where = `${file} (document ${i + 1})`;
      if (doc.errors.length) {
        problems.push(`${where}: not valid YAML: ${doc.errors[0]!.message.split('\n')[0]}`);
        continue;
      }
      const value = doc.toJS() as Record<string, unknown> | null;
      if (!value || typeof value !== 'object') continue;
      if (isWasmPluginDocument(value)) {
        const errors = validateWasmPlugin(value);
        if (errors.length) problems.push(`${where}: ${errors.join('; ')}`);
        else out.plugins.push(value as unknown as WasmPlugin);
      } else if (value.kind === 'Secret') {
        const meta = (value.metadata ?? {}) as { name?: unknown; namespace?: unknown };
        const dockerConfig = secretPayload(value);
        if (typeof meta.name !== 'string') problems.push(`${where}: Secret without metadata.name`);
        else if (dockerConfig === undefined) problems.push(`${where}: Secret ${meta.name} has no valid .dockerconfigjson`);
        else out.secrets.push({ name: meta.name, namespace: typeof meta.namespace === 'string' ? meta.namespace : DEFAULT_NAMESPACE, dockerConfig });
      }
    }
  }
  if (problems.length) throw new Error(`refusing the resources, as Istio would:\n  ${problems.join('\n  ')}`);
  if (out.plugins.length === 0) throw new Error(`no WasmPlugin in ${files.join(', ')}`);
  return out;
}
