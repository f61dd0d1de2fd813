// Pushes a built image: each blob the registry lacks (monolithic or chunked), then the manifest under the tag.
import type { Credentials } from './credentials.ts';
import type { Digest } from './digest.ts';
import type { BuiltImage } from './image-builder.ts';
import { formatImageReference, type ImageReference } from './reference.ts';
import { RegistryClient } from './registry-client.ts';
import { RegistryError } from './registry-error.ts';

export interface PushOptions {
  plainHttp?: boolean;
  credentials?: Credentials;
  /** Blobs larger than this go up in PATCH chunks of this size. Default 4 MiB. */
  chunkSize?: number;
  timeoutMs?: number;
}

export interface PushResult {
  manifestDigest: Digest;
  /** One line per blob: its digest and whether it was skipped (already there) or how it was uploaded. */
  blobs: { digest: Digest; size: number; outcome: 'exists' | 'monolithic' | 'chunked' }[];
}

export async function pushImage(ref: ImageReference, image: BuiltImage, opts: PushOptions = {}): Promise<PushResult> {
  const client = new RegistryClient(ref.registry, opts);
  const chunkSize = opts.chunkSize ?? 4 * 1024 * 1024;
  if (!(chunkSize >= 1)) throw new Error(`chunk size must be at least 1 byte, got ${chunkSize}`);
  const blobs: PushResult['blobs'] = [];
  const seen = new Set<string>();
  for (const { descriptor, data } of image.blobs) {
    if (seen.has(descriptor.digest)) continue; // the oci layout lists its config twice
    seen.add(descriptor.digest);
    const outcome = (await client.hasBlob(ref.repository, descriptor.digest))
      ? 'exists'
      : await client.uploadBlob(ref.repository, descriptor, data, chunkSize);
    blobs.push({ digest: descriptor.digest, size: descriptor.size, outcome });
  }
  if (ref.digest && ref.digest !== image.manifestDigest) {
    throw new RegistryError('digest-mismatch', `${formatImageReference(ref)} pins ${ref.digest}, but the image's digest is ${image.manifestDigest}`);
  }
  const echoed = await client.putManifest(ref.repository, ref.tag ?? image.manifestDigest, image.manifest, image.manifestMediaType);
  if (echoed && echoed !== image.manifestDigest) {
    throw new RegistryError('digest-mismatch', `registry stored the manifest as ${echoed}, expected ${image.manifestDigest}`);
  }
  return { manifestDigest: image.manifestDigest, blobs };
}
