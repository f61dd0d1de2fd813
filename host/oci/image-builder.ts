// Builds the image for each `--format` (see media-types.ts): the blobs to upload and the manifest whose
// digest becomes a WasmPlugin's `sha256`. Deterministic: the same module and options give the same digest.
import { gzipSync } from 'node:zlib';
import { digestOf, type Digest } from './digest.ts';
import * as mt from './media-types.ts';
import { singleFileTar } from './tar.ts';

export type ImageFormat = 'compat' | 'docker' | 'oci';
export const IMAGE_FORMATS: readonly ImageFormat[] = ['compat', 'docker', 'oci'];

export interface Descriptor {
  mediaType: string;
  digest: Digest;
  size: number;
}

export interface BuiltImage {
  format: ImageFormat;
  /** Config first, then layers in manifest order; a blob listed twice is uploaded once. */
  blobs: { descriptor: Descriptor; data: Uint8Array }[];
  manifest: Uint8Array;
  manifestMediaType: string;
  manifestDigest: Digest;
}

export interface BuildOptions {
  /** Root ids recorded in the `oci` format's runtime config (Solo's `config.rootIds`). */
  rootIds?: string[];
}

function blob(mediaType: string, data: Uint8Array): { descriptor: Descriptor; data: Uint8Array } {
  return { descriptor: { mediaType, digest: digestOf(data), size: data.length }, data };
}

function json(value: unknown): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(value));
}

/** The ABI marker export(s) of the module, e.g. `proxy_abi_version_0_2_1`, for the runtime config. */
function abiVersions(wasm: Uint8Array): string[] {
  try {
    const mod = new WebAssembly.Module(wasm as Uint8Array<ArrayBuffer>);
    return WebAssembly.Module.exports(mod).map((e) => e.name).filter((n) => n.startsWith('proxy_abi_version_'));
  } catch {
    return [];
  }
}

function tarImage(wasm: Uint8Array, format: 'compat' | 'docker'): BuiltImage {
  const tar = singleFileTar(mt.PLUGIN_FILE_NAME, wasm);
  const layer = blob(format === 'docker' ? mt.DOCKER_LAYER_TAR_GZIP : mt.OCI_LAYER_TAR_GZIP, gzipSync(tar, { level: 9 }));
  // An image config like `FROM scratch` + `COPY plugin.wasm ./` gives; diff_ids name the uncompressed layer.
  const config = blob(
    format === 'docker' ? mt.DOCKER_CONFIG : mt.OCI_CONFIG,
    json({
      architecture: 'amd64',
      os: 'linux',
      config: {},
      rootfs: { type: 'layers', diff_ids: [digestOf(tar)] },
      history: [{ created_by: 'COPY plugin.wasm ./' }],
    }),
  );
  const manifestMediaType = format === 'docker' ? mt.DOCKER_MANIFEST : mt.OCI_MANIFEST;
  const manifest = json({
    schemaVersion: 2,
    mediaType: manifestMediaType,
    config: config.descriptor,
    layers: [layer.descriptor],
  });
  return { format, blobs: [config, layer], manifest, manifestMediaType, manifestDigest: digestOf(manifest) };
}

function wasmArtifact(wasm: Uint8Array, opts: BuildOptions): BuiltImage {
  const config = blob(
    mt.WASM_CONFIG,
    json({ type: 'envoy_proxy', abiVersions: abiVersions(wasm), config: { rootIds: opts.rootIds ?? [] } }),
  );
  const content = blob(mt.WASM_CONTENT_LAYER, wasm);
  const manifest = json({
    schemaVersion: 2,
    mediaType: mt.OCI_MANIFEST,
    config: config.descriptor,
    // Exactly two layers, as Istio requires for this layout: the runtime config and the raw module.
    layers: [config.descriptor, content.descriptor],
  });
  return { format: 'oci', blobs: [config, content], manifest, manifestMediaType: mt.OCI_MANIFEST, manifestDigest: digestOf(manifest) };
}

export function buildImage(wasm: Uint8Array, format: ImageFormat, opts: BuildOptions = {}): BuiltImage {
  return format === 'oci' ? wasmArtifact(wasm, opts) : tarImage(wasm, format);
}
