// Writes test/scenarios/jwt-auth.json: fixed keys and tokens (exp far in the future) so the corpus stays
// valid and identical in our host and in Envoy. Run: node --import tsx test/plugins/jwt-auth-fixtures.ts
import { writeFileSync } from 'node:fs';
import { b64url, jwks, makeKey, mint, rawToken, type Alg, type KeyPair } from './jwt-auth-keys.ts';

const ISS = 'https://issuer.example.com';
const AUD = 'api.example.com';
const FAR = 4_000_000_000; // year 2096
const claims = { iss: ISS, sub: 'alice', aud: AUD, exp: FAR };
const WWW = (url: string) => `Bearer realm="${url}", error="invalid_token"`;

type S = Record<string, unknown>;

async function main() {
  const algs: Alg[] = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'EdDSA', 'HS256', 'HS384', 'HS512'];
  const keys: Record<string, KeyPair> = {};
  for (const a of algs) keys[a] = await makeKey(a, `k-${a.toLowerCase()}`);
  const rsa = keys.RS256;
  const foreign = await makeKey('RS256', rsa.kid); // same kid, different key
  const all = jwks(...algs.map((a) => keys[a]));
  const rule = (extra: S = {}) => ({ jwtRules: [{ issuer: ISS, jwks: all, ...extra }] });
  const plugin = (config: S) => [{ wasm: 'jwt-auth', config }];
  const good = await mint(rsa, claims);

  const out: S[] = [];
  const pass = (name: string, config: S, headers: [string, string][], path = '/api', upstream: S = {}) =>
    out.push({ name, plugins: plugin(config), request: { path, headers }, expect: { upstreamRequest: { path: upstream.path ?? path, headers: upstream.headers ?? {} }, response: { status: 200 } } });
  const refuse = (name: string, config: S, headers: [string, string][], status: number, body: string, path = '/api') =>
    out.push({
      name, plugins: plugin(config), request: { path, headers }, expect: {
        upstreamRequest: null,
        // Envoy cuts the realm's path to 256 characters.
        response: { status, body, headers: { 'content-type': 'text/plain', 'www-authenticate': WWW(`http://example.com${path.slice(0, 256)}`) } },
      },
    });
  const bearer = (t: string): [string, string][] => [['authorization', `Bearer ${t}`]];

  // No token passes, and look-alike headers are left alone.
  pass('no token passes unauthenticated', rule(), []);
  pass('lower-case "bearer" is not a token and goes upstream unchanged', rule(), [['authorization', `bearer ${good}`]], '/api', { headers: { authorization: `bearer ${good}` } });
  pass('Basic credentials are not a token', rule(), [['authorization', 'Basic YTpi']], '/api', { headers: { authorization: 'Basic YTpi' } });
  // Envoy's codec trims "Bearer " to "Bearer" before any filter; "Bearer " itself is a node test.
  pass('"Bearer" with nothing after it is no token', rule(), [['authorization', 'Bearer']], '/api', { headers: { authorization: 'Bearer' } });

  // Every algorithm verifies with its configured key; the token is removed from the request.
  for (const a of algs) {
    pass(`${a} token verifies and the Authorization header is removed`, rule(), bearer(await mint(keys[a], claims)), '/api', { headers: { authorization: null } });
  }
  pass('token without kid is tried against every key', rule(), bearer(await mint(keys.ES384, claims, { kid: undefined })));
  pass('access_token query parameter verifies and is removed from the path', rule(), [], `/api?a=1&access_token=${good}&b=2`, { path: '/api?a=1&b=2' });
  pass('forwardOriginalToken keeps the Authorization header', rule({ forwardOriginalToken: true }), bearer(good), '/api', { headers: { authorization: `Bearer ${good}` } });
  pass('audience in a list matches (scheme and trailing slash ignored)', rule({ audiences: ['https://api.example.com/'] }), bearer(await mint(rsa, { ...claims, aud: ['other', AUD] })));
  pass('custom header with prefix', rule({ fromHeaders: [{ name: 'x-jwt', prefix: 'Token ' }] }), [['x-jwt', `Token ${good}`]], '/api', { headers: { 'x-jwt': null } });
  pass('fromHeaders replaces the defaults: an Authorization token is ignored', rule({ fromHeaders: [{ name: 'x-jwt' }] }), bearer('garbage'), '/api', { headers: { authorization: 'Bearer garbage' } });
  pass('fromParams reads and removes that parameter', rule({ fromParams: ['token'] }), [], `/api?token=${good}`, { path: '/api' });
  pass('fromCookies reads the cookie and leaves it in place', rule({ fromCookies: ['session'] }), [['cookie', `a=b; session=${good}`]], '/api', { headers: { cookie: `a=b; session=${good}` } });
  const rich = await mint(rsa, { ...claims, n: 42, ok: true, roles: ['a', 'b'], org: { team: 'blue', id: 7 } });
  pass('claims and the payload are copied to headers; client copies are replaced', rule({
    outputPayloadToHeader: 'x-jwt-payload',
    outputClaimToHeaders: [
      { header: 'x-sub', claim: 'sub' }, { header: 'x-n', claim: 'n' }, { header: 'x-ok', claim: 'ok' },
      { header: 'x-roles', claim: 'roles' }, { header: 'x-team', claim: 'org.team' }, { header: 'x-missing', claim: 'nope' },
    ],
  }), [...bearer(rich), ['x-sub', 'mallory'], ['x-missing', 'forged']], '/api', {
    headers: {
      'x-jwt-payload': rich.split('.')[1], 'x-sub': 'alice', 'x-n': '42', 'x-ok': 'true',
      'x-roles': Buffer.from('["a","b"]').toString('base64'), 'x-team': 'blue', 'x-missing': null,
    },
  });
  pass('client-sent output headers are removed even without a token', rule({ outputClaimToHeaders: [{ header: 'x-sub', claim: 'sub' }] }), [['x-sub', 'mallory']], '/api', { headers: { 'x-sub': null } });
  pass('a CORS preflight skips the JWT check', rule(), [...bearer('garbage'), ['origin', 'https://app.example.com'], ['access-control-request-method', 'GET']], '/api', {});
  // A body so both hosts send content-length (Envoy adds "content-length: 0" to a body-less OPTIONS, our host does not).
  out[out.length - 1].request = { ...(out[out.length - 1].request as S), method: 'OPTIONS', body: '{}' };

  // Invalid tokens: Envoy's 401 (and 403 for audiences) with its bodies.
  const now = Math.floor(Date.now() / 1000);
  refuse('expired token', rule(), bearer(await mint(rsa, { ...claims, exp: now - 3600 })), 401, 'Jwt is expired');
  refuse('token not yet valid', rule(), bearer(await mint(rsa, { ...claims, nbf: FAR - 10 })), 401, 'Jwt not yet valid');
  refuse('wrong issuer', rule(), bearer(await mint(rsa, { ...claims, iss: 'https://evil.example.com' })), 401, 'Jwt issuer is not configured');
  refuse('missing issuer', rule(), bearer(await mint(rsa, { sub: 'alice', exp: FAR })), 401, 'Jwt issuer is not configured');
  refuse('foreign key under a known kid', rule(), bearer(await mint(foreign, claims)), 401, 'Jwt verification fails');
  refuse('unknown kid', rule(), bearer(await mint(rsa, claims, { kid: 'nobody' })), 401, "Jwks doesn't have key to match kid or alg from Jwt");
  const rsaPem = new TextEncoder().encode(JSON.stringify(rsa.publicJwk));
  // The RSA key has no "alg", so it is a candidate for any alg under its kid; the wrong type then fails it.
  refuse('HS256 signed with the RSA public key under the RSA kid', rule(), bearer(await mint({ ...keys.HS256, kid: rsa.kid, privateKey: rsaPem }, claims)), 401, 'Jwt verification fails');
  refuse('ES256 under an RSA kid', rule(), bearer(await mint({ ...keys.ES256, kid: rsa.kid }, claims)), 401, 'Jwt verification fails');
  refuse('duplicate claim names are invalid JSON (as protobuf parses them)', rule(), bearer(rawToken(JSON.stringify({ alg: 'RS256', kid: rsa.kid }), `{"iss":"${ISS}","iss":"${ISS}"}`)), 401, 'Jwt payload is an invalid JSON');
  refuse('alg none with an empty signature', rule(), bearer(rawToken('{"alg":"none"}', JSON.stringify(claims), '')), 401, 'Jwt is not in the form of Header.Payload.Signature with two dots and 3 sections');
  refuse('not three sections', rule(), bearer('abc.def'), 401, 'Jwt is not in the form of Header.Payload.Signature with two dots and 3 sections');
  refuse('header is not JSON', rule(), bearer(rawToken('{alg', JSON.stringify(claims))), 401, 'Jwt header is an invalid JSON');
  refuse('payload is not base64url', rule(), bearer(`${good.split('.')[0]}.***.${good.split('.')[2]}`), 401, 'Jwt payload is an invalid Base64url encoded');
  refuse('a bad token in the query string is refused too (realm keeps the query)', rule(), [], 401, 'Jwt verification fails', `/api?x=1&access_token=${await mint(foreign, claims)}`);
  refuse('crit header is refused (deliberate: Envoy accepts it, RFC 7515 does not)', rule(), bearer(await mint(rsa, claims, { crit: ['exp'], exp: 1 })), 401, 'Jwt header [crit] names an unsupported extension');
  refuse('wrong audience → 403', rule({ audiences: [AUD] }), bearer(await mint(rsa, { ...claims, aud: 'other' })), 403, 'Audiences in Jwt are not allowed');
  refuse('no audience when audiences are set → 403', rule({ audiences: [AUD] }), bearer(await mint(rsa, { iss: ISS, exp: FAR })), 403, 'Audiences in Jwt are not allowed');
  refuse('jku/jwk headers are ignored: only configured keys verify', rule(), bearer(await mint(foreign, claims, { jku: 'https://evil.example.com/jwks', kid: undefined })), 401, 'Jwt verification fails');

  // Authorization policies (AuthorizationPolicy specs) → 403 "RBAC: access denied".
  const pol = (policies: S[], extra: S = {}) => ({ ...rule(extra), policies });
  const rbac = (name: string, config: S, req: S, allowed: boolean) => out.push({
    name: `policy: ${name}`, plugins: plugin(config), request: { path: '/api', ...req },
    expect: allowed ? { response: { status: 200 } } : {
      upstreamRequest: null,
      response: { status: 403, body: 'RBAC: access denied', headers: { 'content-type': 'text/plain', 'www-authenticate': null } },
    },
  });
  const anyPrincipal = [{ action: 'ALLOW', rules: [{ from: [{ source: { requestPrincipals: ['*'] } }] }] }];
  const groups = await mint(rsa, { ...claims, groups: ['dev', 'admins'], scope: 'read write', org: { team: 'blue' } });
  rbac('requestPrincipals * refuses a request without a token', pol(anyPrincipal), {}, false);
  rbac('requestPrincipals * accepts a verified token', pol(anyPrincipal), { headers: bearer(good) }, true);
  rbac('requestPrincipals * needs sub as well as iss', pol(anyPrincipal), { headers: bearer(await mint(rsa, { iss: ISS, exp: FAR })) }, false);
  const alice = [{ action: 'ALLOW', rules: [{ from: [{ source: { requestPrincipals: [`${ISS}/alice`] } }] }] }];
  rbac('exact principal iss/sub matches', pol(alice), { headers: bearer(good) }, true);
  rbac('another subject does not match', pol(alice), { headers: bearer(await mint(rsa, { ...claims, sub: 'bob' })) }, false);
  const denyAdminPost = [{ action: 'DENY', rules: [{ to: [{ operation: { methods: ['POST'], paths: ['/admin*'] } }] }] }];
  rbac('DENY on method and path prefix', pol(denyAdminPost), { method: 'POST', path: '/admin/users', body: 'x' }, false);
  rbac('DENY does not match another method', pol(denyAdminPost), { method: 'GET', path: '/admin/users' }, true);
  rbac('DENY wins over a matching ALLOW', pol([...denyAdminPost, { action: 'ALLOW', rules: [{}] }]), { method: 'POST', path: '/admin', body: 'x' }, false);
  rbac('an ALLOW policy without rules denies everything', pol([{ action: 'ALLOW' }]), {}, false);
  rbac('an ALLOW rule {} allows everything', pol([{ action: 'ALLOW', rules: [{}] }]), {}, true);
  rbac('AUDIT never changes the answer', pol([{ action: 'AUDIT', rules: [{}] }]), {}, true);
  rbac('suffix path and notPaths', pol([{ action: 'ALLOW', rules: [{ to: [{ operation: { paths: ['*.json'], notPaths: ['/secret.json'] } }] }] }]), { path: '/data.json?x=1' }, true);
  rbac('notPaths excludes', pol([{ action: 'ALLOW', rules: [{ to: [{ operation: { paths: ['*.json'], notPaths: ['/secret.json'] } }] }] }]), { path: '/secret.json' }, false);
  rbac('hosts compare without case', pol([{ action: 'ALLOW', rules: [{ to: [{ operation: { hosts: ['Example.com'] } }] }] }]), { headers: [['host', 'example.COM']] }, true);
  rbac('hosts: a port is part of the host (as Istio matches :authority)', pol([{ action: 'ALLOW', rules: [{ to: [{ operation: { hosts: ['Example.com'] } }] }] }]), { headers: [['host', 'example.COM:8080']] }, false);
  const when = (key: string, values: string[], notValues?: string[]) => pol([{ action: 'ALLOW', rules: [{ when: [{ key, ...(values.length ? { values } : {}), ...(notValues ? { notValues } : {}) }] }] }]);
  rbac('claim array matches any element', when('request.auth.claims[groups]', ['admins']), { headers: bearer(groups) }, true);
  rbac('claim array without the value', when('request.auth.claims[groups]', ['ops']), { headers: bearer(groups) }, false);
  rbac('nested claim [org][team]', when('request.auth.claims[org][team]', ['blue']), { headers: bearer(groups) }, true);
  rbac('scope matches per space-separated word', when('request.auth.claims[scope]', ['write']), { headers: bearer(groups) }, true);
  rbac('claim condition without a token does not match', when('request.auth.claims[groups]', ['admins']), {}, false);
  rbac('request.auth.audiences', when('request.auth.audiences', [AUD]), { headers: bearer(good) }, true);
  rbac('request.auth.principal with notValues', when('request.auth.principal', ['*'], [`${ISS}/alice`]), { headers: bearer(good) }, false);
  rbac('request.headers[...] condition', when('request.headers[x-env]', ['prod*']), { headers: [['x-env', 'production']] }, true);
  rbac('claims that are numbers or booleans never match (Envoy matches strings)', when('request.auth.claims[level]', ['7']), { headers: bearer(await mint(rsa, { ...claims, level: 7 })) }, false);
  rbac('only the top-level scope is split into words', when('request.auth.claims[o][scope]', ['write']), { headers: bearer(await mint(rsa, { ...claims, o: { scope: 'read write' } })) }, false);
  const to = (operation: S) => pol([{ action: 'ALLOW', rules: [{ to: [{ operation }] }] }]);
  const from = (source: S) => pol([{ action: 'ALLOW', rules: [{ from: [{ source }] }] }]);
  rbac('ports: the listener port is not 1', to({ notPorts: ['1'] }), {}, true);
  rbac('ports: only port 1', to({ ports: ['1'] }), {}, false);
  rbac('path template {*} is one segment', to({ paths: ['/tpl/{*}/info'] }), { path: '/tpl/x/info?q=1' }, true);
  rbac('path template {*} does not span segments', to({ paths: ['/tpl/{*}/info'] }), { path: '/tpl/x/y/info' }, false);
  rbac('path template {**} takes the rest', to({ paths: ['/files/{**}'] }), { path: '/files/a/b.txt' }, true);
  rbac('notPaths with a template', to({ notPaths: ['/files/{**}'] }), { path: '/files/a' }, false);
  rbac('ipBlocks: the peer 127.0.0.1', from({ ipBlocks: ['127.0.0.1/32'] }), {}, true);
  rbac('notIpBlocks: 127.0.0.0/8 excluded', from({ notIpBlocks: ['127.0.0.0/8'] }), {}, false);
  rbac('remoteIpBlocks without x-forwarded-for is the peer', from({ remoteIpBlocks: ['127.0.0.1'] }), {}, true);
  rbac('namespaces need a peer certificate', from({ namespaces: ['default'] }), {}, false);
  rbac('notNamespaces without a peer certificate', from({ notNamespaces: ['default'] }), {}, true);
  rbac('principals need a peer certificate', from({ principals: ['*'] }), {}, false);
  rbac('when source.ip', when('source.ip', ['127.0.0.0/8']), {}, true);
  rbac('when destination.ip', when('destination.ip', ['127.0.0.1']), {}, true);
  rbac('when destination.port notValues', when('destination.port', [], ['1']), {}, true);
  rbac('when connection.sni without TLS', when('connection.sni', ['*']), {}, false);
  rbac('a bad token is still 401 before any policy', pol(anyPrincipal), { headers: bearer(await mint(foreign, claims)) }, false);
  (out[out.length - 1].expect as S).response = { status: 401, body: 'Jwt verification fails' };

  // Filter state for later plugins, read back by a second plugin (telemetry-tags) as a property.
  const reader = {
    wasm: 'telemetry-tags', name: 'reader', config: {
      tags: [
        { name: 'principal', from: { property: ['filter_state', 'wasm.jwt_auth_principal'] }, default: 'absent' },
        { name: 'claims', from: { property: ['filter_state', 'wasm.jwt_auth_claims'] }, default: 'absent' },
      ],
      requestHeaders: { 'x-seen-principal': 'principal', 'x-seen-claims': 'claims' },
    },
  };
  // telemetry-tags replaces bytes outside its tag alphabet with "_".
  const tagSafe = (v: string) => v.replace(/[^A-Za-z0-9_\-./:@+~]/g, '_');
  const small = await mint(rsa, { iss: ISS, sub: 'alice' });
  out.push({
    name: 'filter state: principal and claims are readable by the next plugin', plugins: [...plugin({ ...rule(), filterState: true }), reader],
    request: { path: '/api', headers: bearer(small) },
    expect: { upstreamRequest: { headers: { 'x-seen-principal': `${ISS}/alice`, 'x-seen-claims': tagSafe(JSON.stringify({ iss: ISS, sub: 'alice' })) } }, response: { status: 200 } },
  });
  out.push({
    name: 'filter state: not written unless filterState is set', plugins: [...plugin(rule()), reader],
    request: { path: '/api', headers: bearer(small) },
    expect: { upstreamRequest: { headers: { 'x-seen-principal': 'absent', 'x-seen-claims': 'absent' } }, response: { status: 200 } },
  });
  out.push({
    name: 'filter state: nothing is written without a token', plugins: [...plugin({ ...rule(), filterState: true }), reader],
    request: { path: '/api' },
    expect: { upstreamRequest: { headers: { 'x-seen-principal': 'absent', 'x-seen-claims': 'absent' } }, response: { status: 200 } },
  });

  // Remote JWKS through a cluster: a dead JWKS server fails closed for tokens and passes requests without one.
  const remote = { jwtRules: [{ issuer: ISS, jwksUri: 'http://jwks.example.com/.well-known/jwks.json', jwksCluster: 'jwks', timeout: '2s' }] };
  out.push({
    name: 'remote JWKS: dead server and a token → 401 Jwks remote fetch is failed', plugins: plugin(remote), clusters: { jwks: 'dead' },
    request: { path: '/api', headers: bearer(good) },
    expect: { upstreamRequest: null, response: { status: 401, body: 'Jwks remote fetch is failed', headers: { 'www-authenticate': WWW('http://example.com/api') } } },
  });
  out.push({
    name: 'remote JWKS: dead server and no token → passes', plugins: plugin(remote), clusters: { jwks: 'dead' },
    request: { path: '/api' }, expect: { response: { status: 200 } },
  });
  out.push({
    name: 'remote JWKS: a malformed token is refused before any fetch', plugins: plugin(remote), clusters: { jwks: 'dead' },
    request: { path: '/api', headers: bearer('abc.def') },
    expect: { upstreamRequest: null, response: { status: 401, body: 'Jwt is not in the form of Header.Payload.Signature with two dots and 3 sections' } },
  });
  void b64url;
  writeFileSync(new URL('../scenarios/jwt-auth.json', import.meta.url), JSON.stringify(out, null, 1) + '\n');
  console.log(`wrote ${out.length} scenarios`);
}

await main();
