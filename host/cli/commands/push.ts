// `meshplug push FILE.wasm oci://HOST[:PORT]/REPO:TAG`: packs the module in an image layout Istio's agent
// accepts, pushes it with the OCI distribution API and prints the digests a WasmPlugin needs.
import { readFile, writeFile } from 'node:fs/promises';
import { MANIFEST_OPTIONS, MANIFEST_USAGE, wasmPluginFromOptions } from '../../delivery/manifest-options.ts';
import { REGISTRY_OPTIONS, REGISTRY_USAGE, registryCredentials } from '../../delivery/registry-login.ts';
import { renderWasmPluginYaml } from '../../delivery/render-yaml.ts';
import { sha256Hex } from '../../oci/digest.ts';
import { buildImage, IMAGE_FORMATS, type ImageFormat } from '../../oci/image-builder.ts';
import { checkWasm } from '../../oci/extract-wasm.ts';
import { pushImage } from '../../oci/push-image.ts';
import { formatImageReference, parseImageReference } from '../../oci/reference.ts';
import { parseCommandArgs, UsageError } from '../args.ts';

export const summary = 'push a .wasm to an OCI registry as an image Istio accepts; print the WasmPlugin sha256';

const usage = `usage: meshplug push FILE.wasm oci://HOST[:PORT]/REPO:TAG [options]
  --format F            compat (default: OCI image, last layer a tar.gz with plugin.wasm) | docker (the same
                        as a Docker v2 image) | oci (Solo's Wasm artifact: raw module + runtime config layers)
  --root-id ID          root id recorded in the oci format's runtime config (repeatable)
  --chunk-size BYTES    upload blobs larger than this in chunks (default 4194304)
  --json                print the result as JSON
  --manifest FILE       also write a WasmPlugin for this image, sha256 filled in; these options shape it:
${MANIFEST_USAGE.replace(/^/gm, '  ')}
${REGISTRY_USAGE}`;

async function readModule(path: string): Promise<Uint8Array> {
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await readFile(path));
  } catch (e) {
    throw new Error(`cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  return checkWasm(bytes, path);
}

export async function run(args: string[]): Promise<number> {
  const parsed = parseCommandArgs(args, {
    format: { type: 'string', default: 'compat' },
    'root-id': { type: 'string', multiple: true },
    'chunk-size': { type: 'string' },
    json: { type: 'boolean' },
    manifest: { type: 'string' },
    ...MANIFEST_OPTIONS,
    ...REGISTRY_OPTIONS,
  }, usage);
  if (!parsed) return 0;
  const { values, positionals } = parsed;
  if (positionals.length !== 2) throw new UsageError(`expected FILE.wasm and an oci:// reference\n${usage}`);
  const [file, url] = positionals as [string, string];
  const format = values.format as ImageFormat;
  if (!IMAGE_FORMATS.includes(format)) throw new UsageError(`--format must be one of ${IMAGE_FORMATS.join(', ')}, got '${values.format}'`);
  const ref = parseImageReference(url);
  if (ref instanceof Error) throw new UsageError(ref.message);
  let chunkSize: number | undefined;
  if (values['chunk-size'] !== undefined) {
    chunkSize = Number(values['chunk-size']);
    if (!Number.isSafeInteger(chunkSize) || chunkSize < 1) throw new UsageError(`--chunk-size must be a positive integer, got '${values['chunk-size']}'`);
  }
  const manifestOnly = Object.keys(MANIFEST_OPTIONS).filter((k) => (values as Record<string, unknown>)[k] !== undefined);
  if (!values.manifest && manifestOnly.length) throw new UsageError(`--${manifestOnly[0]} shapes the WasmPlugin: it needs --manifest FILE`);
  const wasm = await readModule(file);
  const image = buildImage(wasm, format, { rootIds: values['root-id'] });
  // Build the WasmPlugin before pushing so a bad --config fails before anything is uploaded.
  const manifestUrl = formatImageReference(ref);
  const plugin = values.manifest ? await wasmPluginFromOptions(values, manifestUrl, image.manifestDigest) : undefined;
  const credentials = await registryCredentials(values, ref.registry);
  const result = await pushImage(ref, image, { plainHttp: values['plain-http'], credentials, chunkSize });
  if (plugin && values.manifest) {
    await writeFile(values.manifest, renderWasmPluginYaml(plugin, `pushed by meshplug push (${format} layout); sha256 = image manifest digest`));
  }
  const out = {
    url: manifestUrl,
    format,
    manifestDigest: result.manifestDigest,
    wasmPluginSha256: result.manifestDigest.slice(7),
    moduleSha256: sha256Hex(wasm),
    blobs: result.blobs,
    manifest: values.manifest,
  };
  if (values.json) {
    console.log(JSON.stringify(out, null, 2));
    return 0;
  }
  const uploaded = result.blobs.filter((b) => b.outcome !== 'exists').length;
  console.log(`pushed ${manifestUrl} (${format} layout, ${result.blobs.length} blobs: ${uploaded} uploaded, ${result.blobs.length - uploaded} already there)`);
  console.log(`WasmPlugin sha256 for url ${manifestUrl} (image manifest digest): ${out.wasmPluginSha256}`);
  console.log(`sha256 of the module itself (for an https:// url): ${out.moduleSha256}`);
  if (values.manifest) console.log(`wrote WasmPlugin ${plugin!.metadata.name} to ${values.manifest}`);
  return 0;
}
