// Finds the module in an image the way Istio's agent does (istio/istio pkg/wasm/imagefetcher.go): a Docker
// image's or an OCI "compat" image's last layer is a gzip'd tar with `plugin.wasm`; Solo's artifact has
// exactly two layers, one of them the raw module. Anything else is refused with a message naming the layout.
import { gunzipSync } from 'node:zlib';
import type { Digest } from './digest.ts';
import type { Descriptor, ImageFormat } from './image-builder.ts';
import * as mt from './media-types.ts';
import { RegistryError } from './registry-error.ts';
import { MAX_BLOB_BYTES } from './registry-client.ts';
import { findInTar } from './tar.ts';

export interface ParsedManifest {
  mediaType: string;
  layers: Descriptor[];
}

function isDescriptor(v: unknown): v is Descriptor {
  const d = v as Descriptor;
  return !!d && typeof d === 'object' && typeof d.mediaType === 'string' && typeof d.digest === 'string' &&
    /^sha256:[0-9a-f]{64}$/.test(d.digest) && Number.isSafeInteger(d.size) && d.size >= 0;
}

/** The manifest's media type and layers, or an Error for anything that is not an image manifest. */
export function parseManifest(bytes: Uint8Array, headerMediaType: string): ParsedManifest | Error {
  let doc: unknown;
  try {
    doc = JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    return new Error('the manifest is not JSON');
  }
  if (!doc || typeof doc !== 'object') return new Error('the manifest is not a JSON object');
  const m = doc as { mediaType?: unknown; layers?: unknown };
  const mediaType = typeof m.mediaType === 'string' && m.mediaType ? m.mediaType : headerMediaType;
  if (mediaType !== mt.OCI_MANIFEST && mediaType !== mt.DOCKER_MANIFEST) {
    return new Error(`unsupported manifest media type '${mediaType || '(none)'}'`);
  }
  if (!Array.isArray(m.layers) || !m.layers.every(isDescriptor)) return new Error('the manifest has no valid layers list');
  return { mediaType, layers: m.layers };
}

/** From an image index: the linux/amd64 image (what go-containerregistry picks by default) or the only one. */
export function pickFromIndex(bytes: Uint8Array): Digest | Error {
  let doc: { manifests?: unknown };
  try {
    doc = JSON.parse(new TextDecoder().decode(bytes)) as { manifests?: unknown };
  } catch {
    return new Error('the image index is not JSON');
  }
  const list = Array.isArray(doc.manifests) ? doc.manifests.filter(isDescriptor) : [];
  type Entry = Descriptor & { platform?: { os?: string; architecture?: string } };
  const chosen = (list as Entry[]).find((d) => d.platform?.os === 'linux' && d.platform?.architecture === 'amd64') ??
    (list.length === 1 ? list[0] : undefined);
  if (!chosen) return new Error('the image index has no linux/amd64 image');
  return chosen.digest as Digest;
}

export function checkWasm(bytes: Uint8Array, where: string): Uint8Array {
  if (bytes.length < 8 || bytes[0] !== 0 || bytes[1] !== 0x61 || bytes[2] !== 0x73 || bytes[3] !== 0x6d) {
    throw new RegistryError('bad-image', `${where} is not a Wasm module (no \\0asm header)`);
  }
  return bytes;
}

async function fromTarLayer(layer: Descriptor, getBlob: (d: Descriptor) => Promise<Uint8Array>): Promise<Uint8Array> {
  const gz = await getBlob(layer);
  let tar: Uint8Array;
  try {
    tar = gunzipSync(gz, { maxOutputLength: MAX_BLOB_BYTES + 1024 * 1024 });
  } catch (e) {
    throw new RegistryError('bad-image', `layer ${layer.digest} is not valid gzip: ${(e as Error).message}`);
  }
  const found = findInTar(tar, mt.PLUGIN_FILE_NAME);
  if (found instanceof Error) throw new RegistryError('bad-image', `layer ${layer.digest}: ${found.message}`);
  if (!found) throw new RegistryError('bad-image', `the image's last layer has no ${mt.PLUGIN_FILE_NAME}`);
  return checkWasm(found, `${mt.PLUGIN_FILE_NAME} in layer ${layer.digest}`);
}

export async function extractWasm(
  manifest: ParsedManifest,
  getBlob: (d: Descriptor) => Promise<Uint8Array>,
): Promise<{ wasm: Uint8Array; layout: ImageFormat }> {
  const last = manifest.layers.at(-1);
  if (manifest.mediaType === mt.DOCKER_MANIFEST) {
    if (last?.mediaType !== mt.DOCKER_LAYER_TAR_GZIP) {
      throw new RegistryError('bad-image', `Docker image whose last layer is '${last?.mediaType ?? 'missing'}', not ${mt.DOCKER_LAYER_TAR_GZIP}`);
    }
    return { wasm: await fromTarLayer(last, getBlob), layout: 'docker' };
  }
  if (last?.mediaType === mt.OCI_LAYER_TAR_GZIP) return { wasm: await fromTarLayer(last, getBlob), layout: 'compat' };
  const content = manifest.layers.find((l) => l.mediaType === mt.WASM_CONTENT_LAYER);
  if (manifest.layers.length === 2 && content) {
    return { wasm: checkWasm(await getBlob(content), `layer ${content.digest}`), layout: 'oci' };
  }
  const types = manifest.layers.map((l) => l.mediaType).join(', ') || 'no layers';
  throw new RegistryError('bad-image', `not an image layout Istio accepts (layers: ${types})`);
}
