// Fetches a WasmPlugin's module the way Istio's sidecar agent does (pkg/wasm): oci:// (manifest digest
// checked before any layer is downloaded), http(s):// (sha256 of the module, a gzip/tar body unpacked,
// retries on 5xx and network errors), file:// (passed through, not checked); the image pull policy and
// the cache as in cache.go. Every refusal names the URL and, for a digest mismatch, both digests.
import { gunzipSync } from 'node:zlib';
import type { Credentials } from '../oci/credentials.ts';
import { sha256Hex } from '../oci/digest.ts';
import { checkWasm } from '../oci/extract-wasm.ts';
import { pullModule } from '../oci/pull-module.ts';
import { moduleName, parseImageReference } from '../oci/reference.ts';
import { MAX_BLOB_BYTES } from '../oci/registry-client.ts';
import { RegistryError } from '../oci/registry-error.ts';
import { findFirstFileInTar } from './first-file-in-tar.ts';
import type { ModuleCache } from './module-cache.ts';
import type { WasmPluginSpec } from './wasmplugin.ts';

export interface FetchOptions {
  cache: ModuleCache;
  credentials?: Credentials;
  /** Force http:// for registries; otherwise https:// is tried first and plain HTTP after, as Istio does. */
  plainHttp?: boolean;
  /** Tries for http(s) downloads (Istio: WASM_HTTP_REQUEST_MAX_RETRIES = 5) and the first back-off. */
  httpTries?: number;
  httpBackoffMs?: number;
}

export interface FetchedModule {
  /** A file Envoy can open. */
  path: string;
  /** What was compared with `sha256` (manifest digest or module sha256); undefined for file://. */
  checksum?: string;
  source: 'cache' | 'network' | 'file';
}

export class ModuleFetchError extends Error {}

type Policy = 'IfNotPresent' | 'Always';

/** Istio's effective policy: unset means IfNotPresent, except an oci:// `:latest` tag, which means Always. */
export function effectivePullPolicy(spec: WasmPluginSpec): Policy {
  if (spec.imagePullPolicy === 'Always') return 'Always';
  if (spec.imagePullPolicy === 'IfNotPresent') return 'IfNotPresent';
  const ref = parseImageReference(spec.url);
  return !(ref instanceof Error) && spec.url.startsWith('oci://') && ref.tag === 'latest' && !ref.digest ? 'Always' : 'IfNotPresent';
}

function schemeOf(url: string): 'oci' | 'http' | 'file' {
  if (/^https?:\/\//i.test(url)) return 'http';
  if (/^file:\/\//i.test(url)) return 'file';
  return 'oci'; // Istio's default for oci:// and scheme-less URLs
}

/** An http(s) body as Istio unpacks it: gunzip and/or untar (first file) until it is a Wasm module. */
function unpack(body: Uint8Array, url: string): Uint8Array {
  let bytes = body;
  for (let round = 0; round < 3; round++) {
    if (bytes[0] === 0 && bytes[1] === 0x61 && bytes[2] === 0x73 && bytes[3] === 0x6d) break;
    if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
      try {
        bytes = gunzipSync(bytes, { maxOutputLength: MAX_BLOB_BYTES });
      } catch (e) {
        throw new ModuleFetchError(`module downloaded from ${url} is not valid gzip: ${(e as Error).message}`);
      }
      continue;
    }
    const inner = findFirstFileInTar(bytes);
    if (!inner) break;
    bytes = inner;
  }
  return checkWasm(bytes, `module downloaded from ${url}`);
}

async function httpDownload(url: string, opts: FetchOptions): Promise<Uint8Array> {
  const tries = opts.httpTries ?? 5;
  let delay = opts.httpBackoffMs ?? 500;
  let last = '';
  for (let attempt = 1; attempt <= tries; attempt++) {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(30_000) });
      if (res.ok) {
        const bytes = new Uint8Array(await res.arrayBuffer());
        if (bytes.length > MAX_BLOB_BYTES) throw new ModuleFetchError(`module downloaded from ${url} is over 256 MiB`);
        return bytes;
      }
      await res.body?.cancel();
      last = `HTTP ${res.status}`;
      // Istio retries server errors except those that will not change on a retry.
      if (res.status < 500 || [501, 505, 511].includes(res.status)) break;
    } catch (e) {
      if (e instanceof ModuleFetchError) throw e;
      const err = e as Error & { cause?: { code?: string } };
      last = err.cause?.code ?? err.message;
    }
    if (attempt < tries) await new Promise((r) => setTimeout(r, delay));
    delay *= 2;
  }
  throw new ModuleFetchError(`cannot download ${url}: ${last}`);
}

async function pullOci(url: string, expected: string | undefined, opts: FetchOptions) {
  const common = { credentials: opts.credentials, expectedSha256: expected };
  if (opts.plainHttp) return pullModule(url, { ...common, plainHttp: true });
  try {
    return await pullModule(url, common);
  } catch (e) {
    // Like go-containerregistry and Istio's insecure retry: a registry that answers TLS with plain HTTP.
    if (e instanceof RegistryError && e.kind === 'unreachable' && /plain HTTP/.test(e.message)) return pullModule(url, { ...common, plainHttp: true });
    throw e;
  }
}

export async function fetchModule(spec: WasmPluginSpec, opts: FetchOptions): Promise<FetchedModule> {
  const url = spec.url;
  const scheme = schemeOf(url);
  if (scheme === 'file') return { path: url.replace(/^file:\/\//i, ''), source: 'file' };
  const ref = scheme === 'oci' ? parseImageReference(url) : undefined;
  if (ref instanceof Error) throw new ModuleFetchError(ref.message);
  const pinned = ref?.digest?.slice(7);
  if (pinned && spec.sha256 && pinned !== spec.sha256) {
    throw new ModuleFetchError(`${url} pins ${pinned} but sha256 is ${spec.sha256}`);
  }
  const name = ref ? moduleName(ref) : url;
  const policy = effectivePullPolicy(spec);
  const known = spec.sha256 ?? pinned ?? (policy === 'IfNotPresent' ? await opts.cache.rememberedChecksum(url) : undefined);
  if (known) {
    const cached = await opts.cache.get(name, known);
    if (cached && (policy === 'IfNotPresent' || spec.sha256 || pinned)) return { path: cached, checksum: known, source: 'cache' };
  }
  let wasm: Uint8Array;
  let checksum: string;
  if (scheme === 'oci') {
    const pulled = await pullOci(url.startsWith('oci://') ? url : `oci://${url}`, spec.sha256 ?? pinned, opts);
    wasm = pulled.wasm;
    checksum = pulled.manifestDigest.slice(7);
  } else {
    wasm = unpack(await httpDownload(url, opts), url);
    checksum = sha256Hex(wasm);
    if (spec.sha256 && checksum !== spec.sha256) {
      throw new ModuleFetchError(`module downloaded from ${url} has checksum ${checksum}, which does not match the expected sha256 ${spec.sha256}`);
    }
  }
  const path = await opts.cache.put(name, checksum, wasm);
  await opts.cache.remember(url, checksum);
  return { path, checksum, source: 'network' };
}
