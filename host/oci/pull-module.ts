// Pulls a module from `oci://...` as Istio's agent does: fetch the manifest, compare its digest with the
// expected sha256 *before* downloading any layer, then extract the module from whichever layout it is.
import type { Credentials } from './credentials.ts';
import { type Digest } from './digest.ts';
import type { ImageFormat } from './image-builder.ts';
import { extractWasm, parseManifest, pickFromIndex } from './extract-wasm.ts';
import { DOCKER_MANIFEST_LIST, OCI_INDEX } from './media-types.ts';
import { formatImageReference, manifestReference, parseImageReference, type ImageReference } from './reference.ts';
import { RegistryClient } from './registry-client.ts';
import { RegistryError } from './registry-error.ts';

export interface PullOptions {
  plainHttp?: boolean;
  credentials?: Credentials;
  /** 64 lower-case hex digits: the WasmPlugin's `sha256`, i.e. the expected manifest digest. */
  expectedSha256?: string;
  timeoutMs?: number;
}

export interface PulledModule {
  ref: ImageReference;
  wasm: Uint8Array;
  /** The digest compared with a WasmPlugin's sha256 (the top-level manifest's, or index's). */
  manifestDigest: Digest;
  layout: ImageFormat;
}

function isIndex(bytes: Uint8Array, mediaType: string): boolean {
  if (mediaType === OCI_INDEX || mediaType === DOCKER_MANIFEST_LIST) return true;
  try {
    const doc = JSON.parse(new TextDecoder().decode(bytes)) as { mediaType?: unknown; manifests?: unknown };
    return doc.mediaType === OCI_INDEX || doc.mediaType === DOCKER_MANIFEST_LIST || (Array.isArray(doc.manifests) && !('layers' in doc));
  } catch {
    return false;
  }
}

export async function pullModule(url: string, opts: PullOptions = {}): Promise<PulledModule> {
  const ref = parseImageReference(url);
  if (ref instanceof Error) throw new RegistryError('bad-image', ref.message);
  const shown = formatImageReference(ref);
  const want = opts.expectedSha256;
  if (ref.digest && want && ref.digest !== `sha256:${want}`) {
    throw new RegistryError('digest-mismatch', `${shown} pins ${ref.digest} but the expected sha256 is ${want}`);
  }
  const client = new RegistryClient(ref.registry, opts);
  const top = await client.getManifest(ref.repository, manifestReference(ref));
  if (ref.digest && top.digest !== ref.digest) {
    throw new RegistryError('digest-mismatch', `${shown}: the registry returned a manifest with digest ${top.digest}`);
  }
  if (want && top.digest !== `sha256:${want}`) {
    throw new RegistryError('digest-mismatch',
      `module downloaded from ${shown} has manifest digest ${top.digest.slice(7)}, which does not match the expected sha256 ${want}`);
  }
  let manifest = top;
  if (isIndex(top.bytes, top.mediaType)) {
    const chosen = pickFromIndex(top.bytes);
    if (chosen instanceof Error) throw new RegistryError('bad-image', `${shown}: ${chosen.message}`);
    manifest = await client.getManifest(ref.repository, chosen);
    if (manifest.digest !== chosen) throw new RegistryError('digest-mismatch', `${shown}: image ${chosen} came back as ${manifest.digest}`);
  }
  const parsed = parseManifest(manifest.bytes, manifest.mediaType);
  if (parsed instanceof Error) throw new RegistryError('bad-image', `${shown}: ${parsed.message}`);
  try {
    const { wasm, layout } = await extractWasm(parsed, (d) => client.getBlob(ref.repository, d));
    return { ref, wasm, manifestDigest: top.digest, layout };
  } catch (e) {
    if (e instanceof RegistryError) throw new RegistryError(e.kind, `${shown}: ${e.message}`);
    throw e;
  }
}
