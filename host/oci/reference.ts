// `oci://HOST[:PORT]/REPO[:TAG][@sha256:DIGEST]` → its parts. Like Istio, a URL without a scheme is OCI and a
// missing tag means `latest`.

export interface ImageReference {
  /** host[:port], as used in the registry URL and as the key of Docker credentials. */
  registry: string;
  repository: string;
  tag?: string;
  /** `sha256:HEX` when the URL pins one. */
  digest?: string;
}

const COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const REGISTRY = /^(?:[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*|\[[0-9A-Fa-f:]+\])(?::[0-9]{1,5})?$/;

export function parseImageReference(url: string): ImageReference | Error {
  let rest = url.trim();
  if (rest.startsWith('oci://')) rest = rest.slice('oci://'.length);
  else if (/^[a-z][a-z0-9+.-]*:\/\//i.test(rest)) return new Error(`'${url}' is not an oci:// reference`);
  const slash = rest.indexOf('/');
  if (slash <= 0) return new Error(`'${url}' has no repository: expected oci://HOST[:PORT]/REPO:TAG`);
  const registry = rest.slice(0, slash);
  if (!REGISTRY.test(registry)) return new Error(`'${registry}' in '${url}' is not a registry host[:port]`);
  let path = rest.slice(slash + 1);
  let digest: string | undefined;
  const at = path.indexOf('@');
  if (at >= 0) {
    digest = path.slice(at + 1);
    path = path.slice(0, at);
    if (!/^sha256:[0-9a-f]{64}$/.test(digest)) return new Error(`'${digest}' in '${url}' is not a sha256:HEX digest`);
  }
  let tag: string | undefined;
  const colon = path.lastIndexOf(':');
  if (colon >= 0) {
    tag = path.slice(colon + 1);
    path = path.slice(0, colon);
    if (!TAG.test(tag)) return new Error(`'${tag}' in '${url}' is not a valid tag`);
  }
  if (!path || !path.split('/').every((c) => COMPONENT.test(c))) {
    return new Error(`'${path}' in '${url}' is not a repository name (lower-case components separated by /)`);
  }
  if (!tag && !digest) tag = 'latest';
  return { registry, repository: path, tag, digest };
}

/** What a manifest is addressed by: the pinned digest wins over the tag, as in go-containerregistry. */
export function manifestReference(ref: ImageReference): string {
  return ref.digest ?? ref.tag ?? 'latest';
}

export function formatImageReference(ref: ImageReference): string {
  return `oci://${ref.registry}/${ref.repository}${ref.tag ? `:${ref.tag}` : ''}${ref.digest ? `@${ref.digest}` : ''}`;
}

/** The module name Istio keys its cache with: the URL without tag or digest. */
export function moduleName(ref: ImageReference): string {
  return `${ref.registry}/${ref.repository}`;
}
