// A client for the OCI distribution API (the subset push and pull need): manifests, blob existence checks,
// monolithic and chunked uploads, blob downloads, with Basic and Bearer-token authentication negotiated from
// the registry's 401 challenge.
import { parseAuthChallenge } from './auth-challenge.ts';
import type { Credentials } from './credentials.ts';
import { digestOf, type Digest } from './digest.ts';
import type { Descriptor } from './image-builder.ts';
import { ACCEPTED_MANIFEST_TYPES } from './media-types.ts';
import { describeErrorBody, networkError, RegistryError } from './registry-error.ts';

export interface RegistryClientOptions {
  /** Speak http:// instead of https://. */
  plainHttp?: boolean;
  credentials?: Credentials;
  /** Per request. Default 30 s, what istiod gives the agent for a module. */
  timeoutMs?: number;
}

export type Access = 'pull' | 'pull,push';

export interface FetchedManifest {
  bytes: Uint8Array;
  mediaType: string;
  digest: Digest;
}

/** Largest module Istio accepts (ISTIO_WASM_MAX_BINARY_SIZE_BYTES default); also our download bound. */
export const MAX_BLOB_BYTES = 256 * 1024 * 1024;

// Our byte arrays never live on a SharedArrayBuffer; TypeScript's DOM types need that said explicitly.
const body = (b: Uint8Array): BodyInit => b as Uint8Array<ArrayBuffer>;

export class RegistryClient {
  readonly scheme: 'http' | 'https';
  private readonly base: string;
  private authorization: string | undefined; // the header that last worked, reused for later requests
  private readonly tokens = new Map<string, string>(); // bearer token per scope

  constructor(
    readonly registry: string,
    private readonly opts: RegistryClientOptions = {},
  ) {
    this.scheme = opts.plainHttp ? 'http' : 'https';
    this.base = `${this.scheme}://${registry}`;
  }

  private async send(url: string, init: RequestInit): Promise<Response> {
    try {
      return await fetch(url, { ...init, redirect: 'follow', signal: AbortSignal.timeout(this.opts.timeoutMs ?? 30_000) });
    } catch (e) {
      throw networkError(this.registry, this.scheme, e);
    }
  }

  private withAuth(init: RequestInit, authorization: string | undefined): RequestInit {
    const headers = new Headers(init.headers);
    if (authorization) headers.set('authorization', authorization);
    return { ...init, headers };
  }

  private basicHeader(): string | undefined {
    const c = this.opts.credentials;
    return c ? `Basic ${Buffer.from(`${c.username}:${c.password}`).toString('base64')}` : undefined;
  }

  private refused(): RegistryError {
    const who = this.opts.credentials ? `the credentials of user '${this.opts.credentials.username}'` : 'anonymous access';
    const hint = this.opts.credentials ? '' : ' (give --username and --password-stdin, or log in with a Docker config)';
    return new RegistryError('unauthorized', `registry ${this.registry} refused ${who}${hint}`);
  }

  /** Fetches a bearer token for `scope` from the challenge's realm. */
  private async bearerToken(params: Record<string, string>, scope: string): Promise<string> {
    const url = new URL(params.realm!);
    if (params.service) url.searchParams.set('service', params.service);
    url.searchParams.set('scope', scope);
    const basic = this.basicHeader();
    const res = await this.send(url.toString(), { headers: basic ? { authorization: basic } : {} });
    if (res.status === 401 || res.status === 403) throw this.refused();
    if (!res.ok) throw new RegistryError('protocol', `token service ${url.origin} answered ${res.status}`);
    const body = (await res.json().catch(() => ({}))) as { token?: unknown; access_token?: unknown };
    const token = typeof body.token === 'string' ? body.token : body.access_token;
    if (typeof token !== 'string' || !token) throw new RegistryError('protocol', `token service ${url.origin} returned no token`);
    return token;
  }

  /**
   * Sends a request to `pathOrUrl` (a /v2/ path or an absolute upload URL), answering one auth challenge if
   * the registry asks. Bodies are byte arrays so the retry can resend them.
   */
  async request(pathOrUrl: string, init: RequestInit, repository: string, access: Access): Promise<Response> {
    const url = pathOrUrl.startsWith('/') ? this.base + pathOrUrl : pathOrUrl;
    const scope = `repository:${repository}:${access}`;
    const first = await this.send(url, this.withAuth(init, this.tokens.get(scope) ?? this.authorization));
    if (first.status !== 401) return first;
    await first.body?.cancel();
    const challenge = parseAuthChallenge(first.headers.get('www-authenticate'));
    if (challenge instanceof Error) throw new RegistryError('protocol', challenge.message);
    let authorization: string;
    if (challenge.scheme === 'basic') {
      const basic = this.basicHeader();
      if (!basic) throw this.refused();
      authorization = basic;
    } else {
      authorization = `Bearer ${await this.bearerToken(challenge.params, scope)}`;
      this.tokens.set(scope, authorization);
    }
    const second = await this.send(url, this.withAuth(init, authorization));
    if (second.status === 401) {
      await second.body?.cancel();
      throw this.refused();
    }
    if (challenge.scheme === 'basic') this.authorization = authorization;
    return second;
  }

  private async fail(res: Response, what: string): Promise<never> {
    const detail = describeErrorBody(await res.text().catch(() => ''));
    const kind = res.status === 404 ? 'not-found' : res.status === 403 ? 'denied' : 'protocol';
    throw new RegistryError(kind, `${what}: registry ${this.registry} answered ${res.status}${detail ? ` (${detail})` : ''}`);
  }

  async getManifest(repository: string, reference: string): Promise<FetchedManifest> {
    const what = `manifest ${repository}:${reference}`;
    const res = await this.request(`/v2/${repository}/manifests/${reference}`, { headers: { accept: ACCEPTED_MANIFEST_TYPES.join(', ') } }, repository, 'pull');
    if (res.status === 404) {
      await res.body?.cancel();
      throw new RegistryError('not-found', `oci://${this.registry}/${repository}${reference.startsWith('sha256:') ? '@' : ':'}${reference} does not exist in the registry`);
    }
    if (!res.ok) return this.fail(res, what);
    const bytes = new Uint8Array(await res.arrayBuffer());
    if (bytes.length > 4 * 1024 * 1024) throw new RegistryError('bad-image', `${what} is larger than 4 MiB`);
    const mediaType = (res.headers.get('content-type') ?? '').split(';')[0]!.trim();
    return { bytes, mediaType, digest: digestOf(bytes) };
  }

  async putManifest(repository: string, reference: string, manifest: Uint8Array, mediaType: string): Promise<Digest | undefined> {
    const res = await this.request(`/v2/${repository}/manifests/${reference}`, { method: 'PUT', headers: { 'content-type': mediaType }, body: body(manifest) }, repository, 'pull,push');
    if (res.status !== 201 && res.status !== 200) return this.fail(res, `pushing manifest ${repository}:${reference}`);
    await res.body?.cancel();
    const echoed = res.headers.get('docker-content-digest');
    return echoed ? (echoed as Digest) : undefined;
  }

  async hasBlob(repository: string, digest: Digest): Promise<boolean> {
    const res = await this.request(`/v2/${repository}/blobs/${digest}`, { method: 'HEAD' }, repository, 'pull,push');
    await res.body?.cancel();
    if (res.status === 200) return true;
    if (res.status === 404) return false;
    return this.fail(res, `checking blob ${digest}`);
  }

  /** Downloads a blob and checks it against its descriptor's digest and size. */
  async getBlob(repository: string, desc: Descriptor): Promise<Uint8Array> {
    if (desc.size > MAX_BLOB_BYTES) throw new RegistryError('bad-image', `blob ${desc.digest} is ${desc.size} bytes, over the 256 MiB limit`);
    const res = await this.request(`/v2/${repository}/blobs/${desc.digest}`, {}, repository, 'pull');
    if (!res.ok) return this.fail(res, `downloading blob ${desc.digest}`);
    const bytes = new Uint8Array(await res.arrayBuffer());
    if (bytes.length !== desc.size || digestOf(bytes) !== desc.digest) {
      throw new RegistryError('digest-mismatch', `blob ${desc.digest} came back with different content (${bytes.length} bytes, ${digestOf(bytes)})`);
    }
    return bytes;
  }

  private absolute(location: string | null, what: string): URL {
    if (!location) throw new RegistryError('protocol', `${what}: registry ${this.registry} gave no upload Location`);
    return new URL(location, this.base);
  }

  /** Uploads a blob in one PUT (size <= chunkSize) or in PATCH chunks then a closing PUT. */
  async uploadBlob(repository: string, desc: Descriptor, data: Uint8Array, chunkSize: number): Promise<'monolithic' | 'chunked'> {
    const what = `uploading blob ${desc.digest}`;
    const started = await this.request(`/v2/${repository}/blobs/uploads/`, { method: 'POST', headers: { 'content-length': '0' } }, repository, 'pull,push');
    if (started.status !== 202) return this.fail(started, what);
    await started.body?.cancel();
    let location = this.absolute(started.headers.get('location'), what);
    const chunked = data.length > chunkSize;
    if (chunked) {
      for (let start = 0; start < data.length; start += chunkSize) {
        const chunk = data.subarray(start, Math.min(start + chunkSize, data.length));
        const res = await this.request(location.toString(), {
          method: 'PATCH',
          headers: { 'content-type': 'application/octet-stream', 'content-range': `${start}-${start + chunk.length - 1}` },
          body: body(chunk),
        }, repository, 'pull,push');
        if (res.status !== 202) return this.fail(res, `${what} (chunk at ${start})`);
        await res.body?.cancel();
        location = this.absolute(res.headers.get('location'), what);
      }
    }
    location.searchParams.set('digest', desc.digest);
    const finished = await this.request(location.toString(), {
      method: 'PUT',
      headers: { 'content-type': 'application/octet-stream' },
      body: body(chunked ? new Uint8Array(0) : data),
    }, repository, 'pull,push');
    if (finished.status !== 201) return this.fail(finished, what);
    await finished.body?.cancel();
    return chunked ? 'chunked' : 'monolithic';
  }
}
