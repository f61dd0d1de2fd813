// jwt-auth's pluginConfig (Istio RequestAuthentication jwtRules + AuthorizationPolicy specs) translated to
// Envoy's native `jwt_authn` and `rbac` HTTP filters the way istiod does it, so the oracle can compare our
// plugin with what an Istio sidecar would answer. Written from Istio's pilot sources
// (pilot/pkg/security/authn/policy_applier.go, pilot/pkg/security/authz/{model,matcher}): providers named
// `origins-<i>` after sorting the rules by issuer, each `{provider OR allow_missing}`, payload in metadata
// under `payload`, `scope`/`permission` split on spaces, `bypass_cors_preflight`; one rbac filter per action
// (LOG for AUDIT, then DENY, then ALLOW); principal `iss/sub` as two metadata matchers.

export interface JwtRule {
  issuer?: string;
  audiences?: string[];
  jwks?: string;
  jwksUri?: string;
  jwksCluster?: string;
  fromHeaders?: { name: string; prefix?: string }[];
  fromParams?: string[];
  fromCookies?: string[];
  forwardOriginalToken?: boolean;
  outputPayloadToHeader?: string;
  outputClaimToHeaders?: { header: string; claim: string }[];
  timeout?: string;
}

export interface Source {
  principals?: string[]; notPrincipals?: string[];
  requestPrincipals?: string[]; notRequestPrincipals?: string[];
  namespaces?: string[]; notNamespaces?: string[];
  ipBlocks?: string[]; notIpBlocks?: string[];
  remoteIpBlocks?: string[]; notRemoteIpBlocks?: string[];
}

export interface Operation {
  hosts?: string[]; notHosts?: string[];
  ports?: string[]; notPorts?: string[];
  methods?: string[]; notMethods?: string[];
  paths?: string[]; notPaths?: string[];
}

export interface Condition { key: string; values?: string[]; notValues?: string[] }

export interface Rule { from?: { source?: Source }[]; to?: { operation?: Operation }[]; when?: Condition[] }

export interface AuthzPolicy { action?: 'ALLOW' | 'DENY' | 'AUDIT'; rules?: Rule[] }

export interface JwtAuthConfig { jwtRules?: JwtRule[]; policies?: AuthzPolicy[] }

type Obj = Record<string, unknown>;

const JWT_FILTER = 'envoy.filters.http.jwt_authn';
const PAYLOAD_KEY = 'payload';

// ---- jwt_authn ----

function provider(r: JwtRule): Obj {
  const p: Obj = {
    issuer: r.issuer ?? '',
    payload_in_metadata: PAYLOAD_KEY,
    normalize_payload_in_metadata: { space_delimited_claims: ['permission', 'scope'] },
  };
  if (r.audiences?.length) p.audiences = r.audiences;
  if (r.forwardOriginalToken) p.forward = true;
  if (r.outputPayloadToHeader) p.forward_payload_header = r.outputPayloadToHeader;
  if (r.outputClaimToHeaders?.length) p.claim_to_headers = r.outputClaimToHeaders.map((c) => ({ header_name: c.header, claim_name: c.claim }));
  if (r.fromHeaders?.length) p.from_headers = r.fromHeaders.map((h) => ({ name: h.name, ...(h.prefix ? { value_prefix: h.prefix } : {}) }));
  if (r.fromParams?.length) p.from_params = r.fromParams;
  if (r.fromCookies?.length) p.from_cookies = r.fromCookies;
  if (r.jwks !== undefined) p.local_jwks = { inline_string: r.jwks };
  else if (r.jwksUri && r.jwksCluster) {
    p.remote_jwks = { http_uri: { uri: r.jwksUri, cluster: r.jwksCluster, timeout: r.timeout ?? '5s' }, cache_duration: '300s' };
  }
  return p;
}

export function jwtAuthnFilter(rules: JwtRule[]): Obj | null {
  if (rules.length === 0) return null;
  // Istio sorts by issuer so the generated config is stable; the provider names follow that order.
  const sorted = [...rules].sort((a, b) => ((a.issuer ?? '') < (b.issuer ?? '') ? -1 : (a.issuer ?? '') > (b.issuer ?? '') ? 1 : 0));
  const providers: Obj = {};
  const inner: Obj[] = [];
  const outer: Obj[] = [];
  sorted.forEach((r, i) => {
    const name = `origins-${i}`;
    providers[name] = provider(r);
    inner.push({ requires_any: { requirements: [{ provider_name: name }, { allow_missing: {} }] } });
    outer.push({ provider_name: name });
  });
  const requires = inner.length === 1 ? inner[0]! : { requires_any: { requirements: [...outer, { requires_all: { requirements: inner } }] } };
  return {
    name: JWT_FILTER,
    typed_config: {
      '@type': 'type.googleapis.com/envoy.extensions.filters.http.jwt_authn.v3.JwtAuthentication',
      providers,
      rules: [{ match: { prefix: '/' }, requires }],
      bypass_cors_preflight: true,
    },
  };
}

// ---- rbac: Istio's string matchers ----

const regex = (r: string): Obj => ({ safe_regex: { regex: r } });

/** matcher.StringMatcherWithPrefix: `*` → `.+`, `*x` → suffix, `x*` → prefix, else exact. */
function stringMatcher(v: string, prefix = ''): Obj {
  if (v === '*') return regex('.+');
  if (v.startsWith('*')) return prefix === '' ? { suffix: v.slice(1) } : regex(`${prefix}.*${v.slice(1)}`);
  if (v.endsWith('*')) return { prefix: prefix + v.slice(0, -1) };
  return { exact: prefix + v };
}

/** matcher.HeaderMatcher / HostMatcher: `*` is presence; host matching ignores case. */
function headerMatcher(name: string, v: string, ignoreCase = false): Obj {
  if (v === '*') return { name, present_match: true };
  const ic = ignoreCase ? { ignore_case: true } : {};
  if (v.startsWith('*')) return { name, string_match: { suffix: v.slice(1), ...ic } };
  if (v.endsWith('*')) return { name, string_match: { prefix: v.slice(0, -1), ...ic } };
  return { name, string_match: { exact: v, ...ic } };
}

function cidr(v: string): Obj {
  const [addr, len] = v.split('/');
  const full = addr!.includes(':') ? 128 : 32;
  return { address_prefix: addr, prefix_len: len === undefined ? full : Number(len) };
}

const metadata = (path: string[], value: Obj): Obj => ({ filter: JWT_FILTER, path: path.map((key) => ({ key })), value });

/** MetadataListValueMatcher with the extended-JWT form: a list containing a match, or the value itself. */
function claimMatcher(claims: string[], values: string[]): Obj {
  // matcher.StringOrMatcher: one value is a plain string match (Envoy wants two or more in an or_match).
  const each = values.map((v) => ({ string_match: stringMatcher(v) }));
  const or = each.length === 1 ? each[0]! : { or_match: { value_matchers: each } };
  return metadata([PAYLOAD_KEY, ...claims], { or_match: { value_matchers: [{ list_match: { one_of: or } }, or] } });
}

function requestPrincipal(value: string): Obj {
  const idx = value.lastIndexOf('/');
  const found = idx >= 0;
  const iss = found ? value.slice(0, idx) : value;
  const sub = found ? value.slice(idx + 1) : '';
  const any = regex('.+');
  let mi: Obj; let ms: Obj;
  if (value === '*') { mi = any; ms = any; }
  else if (value.startsWith('*')) {
    if (found) { mi = iss === '*' ? any : { suffix: iss.slice(1) }; ms = { exact: sub }; }
    else { mi = any; ms = { suffix: value.slice(1) }; }
  } else if (value.endsWith('*')) {
    if (found) { mi = { exact: iss }; ms = sub === '*' ? any : { prefix: sub.slice(0, -1) }; }
    else { mi = { prefix: value.slice(0, -1) }; ms = any; }
  } else { mi = { exact: iss }; ms = { exact: sub }; }
  const m = (claim: string, sm: Obj) => ({ metadata: metadata([PAYLOAD_KEY, claim], { string_match: sm }) });
  return { and_ids: { ids: [m('iss', mi), m('sub', ms)] } };
}

/** Istio's ns matcher `.*\/ns/<ns>/.*` and principal `spiffe://<value>` against the peer's URI SAN. */
const authenticated = (m: Obj): Obj => ({ authenticated: { principal_name: m } });

function principalFor(key: string, value: string): Obj {
  switch (key) {
    case 'source.ip': return { direct_remote_ip: cidr(value) };
    case 'remote.ip': return { remote_ip: cidr(value) };
    case 'source.namespace': return authenticated(regex(`.*/ns/${value.replaceAll('*', '.*')}/.*`));
    case 'source.principal': return authenticated(stringMatcher(value, 'spiffe://'));
    case 'request.auth.principal': return requestPrincipal(value);
    case 'request.auth.audiences': return { metadata: claimMatcher(['aud'], [value]) };
    case 'request.auth.presenter': return { metadata: claimMatcher(['azp'], [value]) };
  }
  if (key.startsWith('request.headers[')) return { header: headerMatcher(key.slice('request.headers['.length, -1), value) };
  if (key.startsWith('request.auth.claims')) {
    const claims = key.slice('request.auth.claims'.length).slice(1, -1).split('][');
    return { metadata: claimMatcher(claims, [value]) };
  }
  throw new Error(`oracle translation: unknown principal key ${key}`);
}

function permissionFor(key: string, value: string): Obj {
  switch (key) {
    case 'hosts': return { header: headerMatcher(':authority', value, true) };
    case 'methods': return { header: headerMatcher(':method', value) };
    case 'ports': case 'destination.port': return { destination_port: Number(value) };
    case 'destination.ip': return { destination_ip: cidr(value) };
    case 'connection.sni': return { requested_server_name: stringMatcher(value) };
    case 'paths':
      if (value.includes('{*}') || value.includes('{**}')) {
        return {
          uri_template: {
            name: 'uri-template',
            typed_config: {
              '@type': 'type.googleapis.com/envoy.extensions.path.match.uri_template.v3.UriTemplateMatchConfig',
              path_template: value.replaceAll('{**}', '**').replaceAll('{*}', '*'),
            },
          },
        };
      }
      return { url_path: { path: stringMatcher(value) } };
  }
  throw new Error(`oracle translation: unknown permission key ${key}`);
}

interface Part { key: string; values?: string[]; notValues?: string[] }

function andOf<T extends 'rules' | 'ids'>(parts: Part[], one: (k: string, v: string) => Obj, kind: T): Obj {
  const and: Obj[] = [];
  const orKey = kind === 'rules' ? 'or_rules' : 'or_ids';
  const notKey = kind === 'rules' ? 'not_rule' : 'not_id';
  for (const p of parts) {
    // request principals: Istio ORs whole iss/sub pairs.
    if (p.values?.length) and.push({ [orKey]: { [kind]: p.values.map((v) => one(p.key, v)) } });
    if (p.notValues?.length) and.push({ [notKey]: { [orKey]: { [kind]: p.notValues.map((v) => one(p.key, v)) } } });
  }
  if (and.length === 0) and.push({ any: true });
  return { [kind === 'rules' ? 'and_rules' : 'and_ids']: { [kind]: and } };
}

const PERMISSION_KEYS = new Set(['destination.ip', 'destination.port', 'connection.sni']);

function policyFor(rule: Rule): Obj {
  const whenPerm: Part[] = [];
  const whenPrin: Part[] = [];
  for (const w of rule.when ?? []) (PERMISSION_KEYS.has(w.key) ? whenPerm : whenPrin).push(w);
  const permissions = (rule.to?.length ? rule.to : [undefined]).map((t) => {
    const o = t?.operation ?? {};
    const parts: Part[] = [
      { key: 'hosts', values: o.hosts, notValues: o.notHosts },
      { key: 'methods', values: o.methods, notValues: o.notMethods },
      { key: 'paths', values: o.paths, notValues: o.notPaths },
      { key: 'ports', values: o.ports, notValues: o.notPorts },
    ];
    return andOf([...parts, ...whenPerm], permissionFor, 'rules');
  });
  const principals = (rule.from?.length ? rule.from : [undefined]).map((f) => {
    const s = f?.source ?? {};
    const parts: Part[] = [
      { key: 'source.principal', values: s.principals, notValues: s.notPrincipals },
      { key: 'request.auth.principal', values: s.requestPrincipals, notValues: s.notRequestPrincipals },
      { key: 'source.namespace', values: s.namespaces, notValues: s.notNamespaces },
      { key: 'remote.ip', values: s.remoteIpBlocks, notValues: s.notRemoteIpBlocks },
      { key: 'source.ip', values: s.ipBlocks, notValues: s.notIpBlocks },
    ];
    return andOf([...parts, ...whenPrin], principalFor, 'ids');
  });
  return { permissions, principals };
}

function rbacFilter(action: 'ALLOW' | 'DENY' | 'LOG', policies: AuthzPolicy[]): Obj {
  const out: Obj = {};
  policies.forEach((p, i) => (p.rules ?? []).forEach((r, j) => { out[`ns[demo]-policy[p${i}]-rule[${j}]`] = policyFor(r); }));
  return {
    name: 'envoy.filters.http.rbac',
    typed_config: { '@type': 'type.googleapis.com/envoy.extensions.filters.http.rbac.v3.RBAC', rules: { action, policies: out } },
  };
}

/** Istio's filter order: AUDIT (LOG), DENY, ALLOW; a kind without policies has no filter. */
export function rbacFilters(policies: AuthzPolicy[]): Obj[] {
  const of = (a: string) => policies.filter((p) => (p.action ?? 'ALLOW') === a);
  const out: Obj[] = [];
  if (of('AUDIT').length) out.push(rbacFilter('LOG', of('AUDIT')));
  if (of('DENY').length) out.push(rbacFilter('DENY', of('DENY')));
  if (of('ALLOW').length) out.push(rbacFilter('ALLOW', of('ALLOW')));
  return out;
}

/** Every native HTTP filter (before the router) for one pluginConfig. */
export function nativeFilters(c: JwtAuthConfig): Obj[] {
  const jwt = jwtAuthnFilter(c.jwtRules ?? []);
  return [...(jwt ? [jwt] : []), ...rbacFilters(c.policies ?? [])];
}
