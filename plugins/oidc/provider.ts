// What the plugin knows about the OpenID provider: endpoints (discovered or configured) and signing
// keys, each with the time it was fetched so it can be refreshed. A failed refresh keeps the last good copy.
import { Jwk, JwkKind, parseJwks } from "../../assembly/crypto/index";
import { JsonOptions, parseJsonBytes } from "../../assembly/json/index";
import { SharedFetch } from "./shared-fetch";
import { HttpUrl, parseHttpUrl } from "./url";

export class ProviderMetadata {
  issuer: string = "";
  authorization: HttpUrl = new HttpUrl();
  token: HttpUrl = new HttpUrl();
  jwks: HttpUrl = new HttpUrl();
  /** Not ok when the provider has no RP-initiated logout. */
  endSession: HttpUrl = new HttpUrl();
}

export class MetadataResult {
  constructor(public metadata: ProviderMetadata | null, public reason: string) {}
}

function endpoint(doc: ProviderMetadataSource, name: string, required: bool, out: Array<string>): HttpUrl {
  const v = doc.get(name);
  if (v === null) {
    if (required) out.push(name + " is missing");
    return new HttpUrl();
  }
  const u = parseHttpUrl(v);
  if (!u.ok) out.push(name + " " + u.reason);
  return u;
}

/** The string members of the discovery document (null for absent or non-string). */
class ProviderMetadataSource {
  constructor(private names: Array<string>, private values: Array<string>) {}
  get(name: string): string | null {
    const i = this.names.indexOf(name);
    return i < 0 ? null : this.values[i];
  }
}

/** Parses /.well-known/openid-configuration; the issuer in it must be exactly ours (OIDC Discovery §4.3). */
export function parseDiscovery(body: Uint8Array, expectedIssuer: string): MetadataResult {
  const parsed = parseJsonBytes(body, new JsonOptions().depth(16).bytes(256 * 1024));
  if (!parsed.ok || !parsed.value.isObject) return new MetadataResult(null, "the discovery document is not a JSON object");
  const doc = parsed.value;
  const names = ["issuer", "authorization_endpoint", "token_endpoint", "jwks_uri", "end_session_endpoint"];
  const values = new Array<string>();
  const present = new Array<string>();
  for (let i = 0; i < names.length; i++) {
    const v = doc.get(names[i]);
    if (v !== null && v.isString) { present.push(names[i]); values.push(v.str); }
  }
  const src = new ProviderMetadataSource(present, values);
  const issuer = src.get("issuer");
  if (issuer === null) return new MetadataResult(null, "the discovery document has no issuer");
  if (issuer != expectedIssuer) return new MetadataResult(null, "the discovery document names issuer \"" + issuer + "\", not the configured one");
  const problems = new Array<string>();
  const m = new ProviderMetadata();
  m.issuer = issuer;
  m.authorization = endpoint(src, "authorization_endpoint", true, problems);
  m.token = endpoint(src, "token_endpoint", true, problems);
  m.jwks = endpoint(src, "jwks_uri", true, problems);
  m.endSession = endpoint(src, "end_session_endpoint", false, problems);
  if (problems.length > 0) return new MetadataResult(null, "discovery: " + problems.join("; "));
  return new MetadataResult(m, "");
}

/**
 * The asymmetric signing keys of a JWKS document. Symmetric (`oct`) keys are dropped: an ID token signed
 * with HS* would otherwise be checked against whatever secret a provider publishes.
 */
export function signingKeys(body: Uint8Array): Array<Jwk> | null {
  const parsed = parseJwks(body);
  if (!parsed.ok) return null;
  const out = new Array<Jwk>();
  for (let i = 0; i < parsed.keys.length; i++) {
    const k = parsed.keys[i];
    // Encryption keys (use "enc") never sign ID tokens.
    if (k.kind != JwkKind.OCT && k.use != "enc") out.push(k);
  }
  return out.length > 0 ? out : null;
}

/** Per-VM provider state shared by every stream of a plugin configuration. */
export class ProviderState {
  metadata: ProviderMetadata | null = null;
  metadataAtS: i64 = 0;
  keys: Array<Jwk> | null = null;
  keysAtS: i64 = 0;
  /** At most one discovery and one JWKS callout at a time per VM. */
  discoveryFetch: SharedFetch = new SharedFetch();
  keysFetch: SharedFetch = new SharedFetch();

  metadataFresh(nowS: i64, ttlS: i64): bool {
    return this.metadata !== null && nowS - this.metadataAtS < ttlS;
  }

  keysFresh(nowS: i64, ttlS: i64): bool {
    return this.keys !== null && nowS - this.keysAtS < ttlS;
  }
}
