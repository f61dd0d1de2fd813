// `meshplug manifest --url URL [--sha256 D] [options] [-o FILE]`: writes an Istio WasmPlugin, its pluginConfig
// checked against the plugin's JSON Schema and the whole resource against Istio's CRD schema. With
// `--validate FILE...` it checks existing WasmPlugin YAML instead.
import { readFile, writeFile } from 'node:fs/promises';
import { parseAllDocuments } from 'yaml';
import { validateWasmPlugin } from '../../delivery/istio-validate.ts';
import { MANIFEST_OPTIONS, MANIFEST_USAGE, wasmPluginFromOptions } from '../../delivery/manifest-options.ts';
import { renderWasmPluginYaml } from '../../delivery/render-yaml.ts';
import { isWasmPluginDocument } from '../../delivery/wasmplugin.ts';
import { parseCommandArgs, UsageError } from '../args.ts';

export const summary = 'write (or --validate) an Istio WasmPlugin: url, sha256, phase, priority, checked pluginConfig';

const usage = `usage: meshplug manifest --url URL [--sha256 DIGEST] [options] [-o FILE]
       meshplug manifest --validate FILE.yaml...
  --url URL                 oci://HOST/REPO:TAG | https://... | file:///path/in/proxy.wasm
  --sha256 DIGEST           oci://: the image manifest digest (meshplug push prints it); https://: the module's
  -o, --output FILE         write here instead of standard output
${MANIFEST_USAGE}`;

async function validateFiles(files: string[]): Promise<number> {
  let bad = 0;
  for (const file of files) {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (e) {
      console.error(`${file}: cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
      bad++;
      continue;
    }
    const docs = parseAllDocuments(text, { version: '1.1' }); // as Kubernetes reads it
    let seen = 0;
    for (const [i, doc] of (Array.isArray(docs) ? docs : [docs]).entries()) {
      if (doc.errors.length) {
        console.error(`${file} (document ${i + 1}): not valid YAML: ${doc.errors[0]!.message.split('\n')[0]}`);
        bad++;
        continue;
      }
      const value: unknown = doc.toJS();
      if (!isWasmPluginDocument(value)) continue;
      seen++;
      const problems = validateWasmPlugin(value);
      if (problems.length) {
        console.error(`${file} (document ${i + 1}): ${problems.join('; ')}`);
        bad++;
      }
    }
    if (seen === 0 && bad === 0) {
      console.error(`${file}: no WasmPlugin in it`);
      bad++;
    } else if (seen > 0) console.log(`${file}: ${seen} WasmPlugin(s) checked`);
  }
  return bad === 0 ? 0 : 1;
}

export async function run(args: string[]): Promise<number> {
  const parsed = parseCommandArgs(args, {
    url: { type: 'string' },
    sha256: { type: 'string' },
    output: { type: 'string', short: 'o' },
    validate: { type: 'boolean' },
    ...MANIFEST_OPTIONS,
  }, usage);
  if (!parsed) return 0;
  const { values, positionals } = parsed;
  if (values.validate) {
    if (positionals.length === 0) throw new UsageError(`--validate needs at least one file\n${usage}`);
    return validateFiles(positionals);
  }
  if (positionals.length) throw new UsageError(`unexpected argument '${positionals[0]}'\n${usage}`);
  if (!values.url) throw new UsageError(`--url is required\n${usage}`);
  if (values.url.startsWith('oci://') && values.sha256 === undefined) {
    console.error('meshplug manifest: note: no --sha256, so Istio will not check what it pulls (meshplug push prints the digest)');
  }
  const plugin = await wasmPluginFromOptions(values, values.url, values.sha256);
  const yaml = renderWasmPluginYaml(plugin);
  if (values.output) await writeFile(values.output, yaml);
  else console.log(yaml.trimEnd());
  return 0;
}
