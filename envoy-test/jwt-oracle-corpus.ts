// The jwt-auth oracle's corpus: configurations (RequestAuthentication jwtRules + AuthorizationPolicy specs,
// in pluginConfig form) and the requests each one answers, minted fresh with `jose` on every run (times are
// relative to now). The attack corpus of issue #16 is here: alg none, HS256 with the RSA public key, kid
// tricks, huge tokens, duplicate claims, bad base64url, nested JSON bombs, expiry/nbf/skew, wrong aud/iss,
// lower-case bearer, Basic, empty Bearer, access_token, several tokens, CORS preflight, every policy field.
import { createHmac, createPublicKey, KeyObject, sign } from 'node:crypto';
import { createServer } from 'node:net';
import { CompactSign, type JWTPayload } from 'jose';
import { b64url, jwks, makeKey, mint, rawToken, type KeyPair } from '../test/plugins/jwt-auth-keys.ts';
import type { HeaderList, OracleConfig, OracleRequest } from './jwt-oracle-types.ts';
import { makeTlsMaterial, type TlsMaterial } from './jwt-oracle-tls.ts';

export const ISS = 'https://issuer.example.com';
const ISS_B = 'https://other-issuer.example.org';
const AUD = 'api.example.com';
const DIRECT_PEER = 'no Wasm property exposes the direct peer: ipBlocks and source.ip see Envoy\'s source.address, which is the x-forwarded-for client when Envoy takes it from there';
const CRIT_BODY = 'Jwt header [crit] names an unsupported extension';

const now = () => Math.floor(Date.now() / 1000);

/** Signs exact payload bytes (duplicate members, deep nesting: what SignJWT cannot produce). */
async function signRaw(key: KeyPair, payload: string, header: Record<string, unknown> = {}): Promise<string> {
  return new CompactSign(new TextEncoder().encode(payload)).setProtectedHeader({ alg: key.alg, kid: key.kid, ...header }).sign(key.privateKey);
}

/** The classic confusion: HS256 keyed with the RSA public key's PEM, under the RSA key's kid. */
async function hs256WithPublicKey(rsa: KeyPair, claims: object): Promise<string> {
  const pem = createPublicKey({ key: rsa.publicJwk as Parameters<typeof createPublicKey>[0] extends { key: infer K } ? K : never, format: 'jwk' }).export({ type: 'spki', format: 'pem' });
  const head = b64url(JSON.stringify({ alg: 'HS256', kid: rsa.kid, typ: 'JWT' }));
  const body = b64url(JSON.stringify(claims));
  const sig = createHmac('sha256', pem).update(`${head}.${body}`).digest('base64url');
  return `${head}.${body}.${sig}`;
}

function req(name: string, headers: HeaderList, path = '/api', method = 'GET', extra: Partial<OracleRequest> = {}): OracleRequest {
  const host: HeaderList = headers.some(([k]) => k === 'host') ? [] : [['host', 'example.com']];
  return { name, method, path, headers: [...host, ...headers], ...extra };
}
const bearer = (t: string): [string, string] => ['authorization', `Bearer ${t}`];

/** A port free right now on 127.0.0.1 (for listeners whose port a policy names). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** The token with one signature byte changed (its base64url tail could differ in padding bits only). */
function tampered(token: string, at = 10): string {
  const [h, p, sig] = token.split('.');
  const b = Buffer.from(sig, 'base64url');
  b[at % b.length] ^= 0x40;
  return `${h}.${p}.${b.toString('base64url')}`;
}

/** The token with another signature (raw bytes). */
function withSignature(token: string, sig: Uint8Array): string {
  const [h, p] = token.split('.');
  return `${h}.${p}.${Buffer.from(sig).toString('base64url')}`;
}

/** A token signed by `key` under another RS algorithm (WebCrypto keys are bound to one hash). */
function signedWith(key: KeyPair, alg: 'RS384' | 'RS512', claims: JWTPayload): string {
  const input = `${b64url(JSON.stringify({ alg, kid: key.kid }))}.${b64url(JSON.stringify(claims))}`;
  const sig = sign(`sha${alg.slice(2)}`, Buffer.from(input), KeyObject.from(key.privateKey as CryptoKey));
  return `${input}.${sig.toString('base64url')}`;
}

/** Mints ES tokens until one's raw r||s signature satisfies `want` (the DER the host path builds differs). */
async function esTokenWhere(key: KeyPair, claims: JWTPayload, want: (sig: Buffer) => boolean): Promise<string> {
  for (let i = 0; i < 20_000; i++) {
    const t = await mint(key, { ...claims, jti: String(i) });
    if (want(Buffer.from(t.split('.')[2], 'base64url'))) return t;
  }
  throw new Error('no such signature in 20000 tries');
}

// The order n of P-256: r = n is out of range for both ECDSA implementations.
const P256_N = Buffer.from('ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551', 'hex');

/** RS384/512, PS256, ES384 and EdDSA keys, and ES256 signatures whose DER form is unusual: what the
 *  verify_signature path (RS and ES only) must answer exactly as the Wasm crypto and native Envoy do. */
async function algorithmsConfig(good: JWTPayload): Promise<OracleConfig> {
  const rs384 = await makeKey('RS384', 'rs384');
  const rs512 = await makeKey('RS512', 'rs512');
  const ps256 = await makeKey('PS256', 'ps256');
  const es256 = await makeKey('ES256', 'es256');
  const es384 = await makeKey('ES384', 'es384');
  const ed = await makeKey('EdDSA', 'ed');
  const rsNoAlg = await makeKey('RS256', 'rs-noalg');
  delete rsNoAlg.publicJwk.alg;
  const es = await mint(es256, good);
  const zeroR = Buffer.alloc(64);
  zeroR.fill(1, 32);
  const rIsN = Buffer.concat([P256_N, Buffer.from(es.split('.')[2], 'base64url').subarray(32)]);
  return {
    name: 'algorithms',
    config: { jwtRules: [{ issuer: ISS, jwks: jwks(rs384, rs512, ps256, es256, es384, ed, rsNoAlg) }] },
    requests: [
      req('RS384 verifies', [bearer(await mint(rs384, good))]),
      req('RS512 verifies', [bearer(await mint(rs512, good))]),
      req('RS384 tampered', [bearer(tampered(await mint(rs384, good)))]),
      req('RS512 signature one byte short', [bearer(withSignature(await mint(rs512, good), Buffer.from((await mint(rs512, good)).split('.')[2], 'base64url').subarray(1)))]),
      req('RS256 on a key without alg', [bearer(await mint(rsNoAlg, good))]),
      req('RS384 token on the RS256 key without alg (other hash)', [bearer(signedWith(rsNoAlg, 'RS384', good))]),
      req('PS256 verifies', [bearer(await mint(ps256, good))]),
      req('PS256 tampered', [bearer(tampered(await mint(ps256, good)))]),
      req('ES256 verifies', [bearer(es)]),
      req('ES256 tampered', [bearer(tampered(es))]),
      req('ES256 with r starting with a zero byte', [bearer(await esTokenWhere(es256, good, (s) => s[0] === 0))]),
      req('ES256 with s starting with a zero byte', [bearer(await esTokenWhere(es256, good, (s) => s[32] === 0))]),
      req('ES256 with r and s below 2^255 (no DER padding)', [bearer(await esTokenWhere(es256, good, (s) => s[0] < 0x80 && s[32] < 0x80))]),
      req('ES256 with r = 0', [bearer(withSignature(es, zeroR))]),
      req('ES256 with r = n', [bearer(withSignature(es, rIsN))]),
      req('ES256 signature of 63 bytes', [bearer(withSignature(es, Buffer.from(es.split('.')[2], 'base64url').subarray(1)))]),
      req('ES256 signature in DER', [bearer(withSignature(es, Buffer.concat([Buffer.from([0x30, 0x44, 0x02, 0x20]), Buffer.from(es.split('.')[2], 'base64url').subarray(0, 32), Buffer.from([0x02, 0x20]), Buffer.from(es.split('.')[2], 'base64url').subarray(32)])))]),
      req('ES384 verifies', [bearer(await mint(es384, good))]),
      req('ES384 with r starting with a zero byte', [bearer(await esTokenWhere(es384, good, (s) => s[0] === 0))]),
      req('ES384 tampered', [bearer(tampered(await mint(es384, good)))]),
      req('ES384 token on the ES256 key', [bearer(await mint({ ...es384, kid: 'es256' }, good))]),
      req('EdDSA verifies', [bearer(await mint(ed, good))]),
      req('EdDSA tampered', [bearer(tampered(await mint(ed, good)))]),
    ],
  };
}

/** `tlsDir`: where the peer-identity configuration's certificates are made (without openssl it is left out). */
export async function buildCorpus(tlsDir?: string): Promise<OracleConfig[]> {
  const rsa = await makeKey('RS256', 'rsa-1');
  const ec = await makeKey('ES256', 'ec-1');
  const hs = await makeKey('HS256', 'hs-1');
  const foreignRsa = await makeKey('RS256', 'rsa-1');
  const stranger = await makeKey('ES256', 'nobody');
  const other = await makeKey('ES256', 'b-1');
  const good = { iss: ISS, sub: 'alice', aud: AUD, exp: now() + 3600 };

  // ---- 1. authentication: one rule, every key type, output headers ----
  const authn: OracleConfig = {
    name: 'authn',
    config: {
      jwtRules: [{
        issuer: ISS, audiences: [AUD], jwks: jwks(rsa, ec, hs),
        outputClaimToHeaders: [{ header: 'x-sub', claim: 'sub' }, { header: 'x-groups', claim: 'groups' }, { header: 'x-team', claim: 'org.team' }, { header: 'x-admin', claim: 'admin' }],
        outputPayloadToHeader: 'x-payload',
      }],
    },
    requests: [],
  };
  const rs = await mint(rsa, { ...good, groups: ['a', 'b'], org: { team: 'blue' }, admin: true, n: 42 });
  const big = 'x'.repeat(40_000);
  authn.requests.push(
    req('no token', []),
    req('lower-case bearer is no token', [['authorization', `bearer ${rs}`]]),
    req('Basic is no token', [['authorization', 'Basic YWxpY2U6cHc=']]),
    req('empty Bearer is no token', [['authorization', 'Bearer ']]),
    req('client-sent output headers are removed without a token', [['x-sub', 'mallory'], ['x-payload', 'e30']]),
    req('RS256 verifies; claims and payload go upstream', [bearer(rs), ['x-sub', 'mallory']]),
    req('ES256 verifies', [bearer(await mint(ec, good))]),
    req('HS256 with an oct key verifies', [bearer(await mint(hs, good))]),
    req('no kid tries every key', [bearer(await mint(ec, good, { kid: undefined }))]),
    req('access_token parameter verifies and is removed', [], `/api?a=1&access_token=${rs}&b=2`),
    req('a bad access_token parameter is refused (realm keeps the query)', [], `/api?access_token=${await mint(stranger, good)}&x=1`),
    req('header and parameter both valid', [bearer(rs)], `/api?access_token=${rs}`),
    req('a good header does not excuse a bad parameter', [bearer(rs)], `/api?access_token=${await mint(foreignRsa, good)}`),
    req('exp 30 s ago passes (60 s skew)', [bearer(await mint(rsa, { ...good, exp: now() - 30 }))]),
    req('exp 90 s ago is expired', [bearer(await mint(rsa, { ...good, exp: now() - 90 }))]),
    req('nbf 30 s ahead passes', [bearer(await mint(rsa, { ...good, nbf: now() + 30 }))]),
    req('nbf 90 s ahead is not yet valid', [bearer(await mint(rsa, { ...good, nbf: now() + 90 }))]),
    req('no exp is accepted', [bearer(await mint(rsa, { iss: ISS, sub: 'alice', aud: AUD }))]),
    req('wrong iss', [bearer(await mint(rsa, { ...good, iss: 'https://evil.example.com' }))]),
    req('missing iss', [bearer(await mint(rsa, { sub: 'alice', aud: AUD }))]),
    req('wrong aud → 403', [bearer(await mint(rsa, { ...good, aud: 'other.example.com' }))]),
    req('no aud → 403', [bearer(await mint(rsa, { iss: ISS, sub: 'alice' }))]),
    req('aud list with a match', [bearer(await mint(rsa, { ...good, aud: ['x', `https://${AUD}/`] }))]),
    req('unknown kid', [bearer(await mint(stranger, good))]),
    req('foreign key under a known kid', [bearer(await mint(foreignRsa, good))]),
    req('kid path trick', [bearer(await mint(stranger, good, { kid: '../../../../etc/passwd' }))]),
    req('kid SQL trick', [bearer(await mint(stranger, good, { kid: "' OR '1'='1" }))]),
    req('alg none, empty signature', [bearer(rawToken(JSON.stringify({ alg: 'none', typ: 'JWT' }), JSON.stringify(good), ''))]),
    req('alg none with a signature', [bearer(rawToken(JSON.stringify({ alg: 'none', kid: 'rsa-1' }), JSON.stringify(good), 'AAAA'))]),
    req('HS256 keyed with the RSA public key', [bearer(await hs256WithPublicKey(rsa, good))]),
    req('ES256 under the RSA kid', [bearer(await mint(ec, good, { kid: 'rsa-1' }))]),
    req('jku and embedded jwk are ignored', [bearer(await mint(stranger, good, { kid: undefined, jku: 'https://evil.example.com/jwks', jwk: stranger.publicJwk }))]),
    req('duplicate claims (first iss wrong, last right)', [bearer(await signRaw(rsa, `{"iss":"https://evil.example.com","iss":"${ISS}","sub":"alice","aud":"${AUD}"}`))]),
    req('duplicate claims (first iss right, last wrong)', [bearer(await signRaw(rsa, `{"iss":"${ISS}","iss":"https://evil.example.com","sub":"alice","aud":"${AUD}"}`))]),
    req('nested JSON bomb in a claim', [bearer(await signRaw(rsa, `{"iss":"${ISS}","aud":"${AUD}","bomb":${'['.repeat(5000)}${']'.repeat(5000)}}`))]),
    req('payload not base64url', [bearer(`${b64url('{"alg":"RS256","kid":"rsa-1"}')}.!!!.${b64url('sig')}`)]),
    req('header not JSON', [bearer(rawToken('not json', JSON.stringify(good)))]),
    req('payload not JSON', [bearer(rawToken('{"alg":"RS256","kid":"rsa-1"}', 'not json'))]),
    req('four sections', [bearer(`${rs}.x`)]),
    req('garbage token', [bearer('abc')]),
    req('headers over 60 KB → 431', [bearer(await mint(rsa, { ...good, big: big + big }))], '/api', 'GET'),
    req('CORS preflight with a bad token passes', [['origin', 'https://app.example.com'], ['access-control-request-method', 'POST'], bearer('abc')], '/api', 'OPTIONS'),
    req('OPTIONS without access-control-request-method is checked', [['origin', 'https://app.example.com'], bearer('abc')], '/api', 'OPTIONS'),
    req('x-forwarded-proto sets the realm scheme', [['x-forwarded-proto', 'https'], bearer('abc')], '/p?q=1'),
    req('crit header (deliberate difference)', [bearer(await mint(rsa, good, { crit: ['x-ext'], 'x-ext': 1 }))], '/api', 'GET', {
      deliberate: { why: 'RFC 7515 §4.1.11: unknown critical extensions are refused; Envoy accepts them', ours: { status: 401, body: CRIT_BODY } },
    }),
  );

  // ---- 2. token locations with two rules ----
  const a = await mint(rsa, { iss: ISS, sub: 'alice' });
  const b = await mint(other, { iss: ISS_B, sub: 'bob' });
  const locations: OracleConfig = {
    name: 'locations',
    config: {
      jwtRules: [
        { issuer: ISS, jwks: jwks(rsa), fromHeaders: [{ name: 'x-jwt', prefix: 'Token ' }], forwardOriginalToken: true },
        { issuer: ISS_B, jwks: jwks(other), fromParams: ['tok'], fromCookies: ['session'] },
      ],
    },
    requests: [
      req('custom header with prefix, forwarded', [['x-jwt', `Token ${a}`]]),
      req('custom header without the prefix is no token', [['x-jwt', a]]),
      req('parameter of the second rule is removed', [], `/api?tok=${b}&keep=1`),
      req('cookie of the second rule stays', [['cookie', `a=1; session=${b}; z=2`]]),
      req('Authorization is not a location any more', [bearer('abc')]),
      req('a bad token in the custom header', [['x-jwt', 'Token abc']]),
      req('the first issuer in the second rule\'s parameter', [], `/api?tok=${a}`),
      req('both tokens, each where it belongs', [['x-jwt', `Token ${a}`]], `/api?tok=${b}`),
      req('an unknown issuer in the custom header', [['x-jwt', `Token ${await mint(stranger, { iss: 'https://nobody.example.com' })}`]]),
    ],
  };

  // ---- 3. AuthorizationPolicy ----
  const tok = (claims: object) => mint(rsa, { iss: ISS, exp: now() + 3600, ...claims });
  const policies: OracleConfig = {
    name: 'policies',
    config: {
      jwtRules: [{ issuer: ISS, jwks: jwks(rsa) }],
      policies: [
        { action: 'AUDIT', rules: [{}] },
        { action: 'DENY', rules: [{ to: [{ operation: { methods: ['DELETE', 'PUT'] } }], from: [{ source: { notRequestPrincipals: ['*'] } }] }] },
        { action: 'DENY', rules: [{ to: [{ operation: { paths: ['/admin*'] } }], when: [{ key: 'request.auth.claims[groups]', notValues: ['admins'] }] }] },
        {
          action: 'ALLOW',
          rules: [
            { from: [{ source: { requestPrincipals: [`${ISS}/alice`, `${ISS}/svc-*`] } }] },
            { to: [{ operation: { paths: ['/public/*', '*.css'], methods: ['GET', 'HEAD'] } }] },
            { when: [{ key: 'request.auth.claims[scope]', values: ['write'] }] },
            { to: [{ operation: { hosts: ['*.example.org', 'API.example.net'] } }], when: [{ key: 'request.auth.claims[org][team]', values: ['blue'] }] },
            { to: [{ operation: { notPaths: ['/private*'] } }], when: [{ key: 'request.headers[x-canary]', values: ['yes', 'y*'] }] },
            { when: [{ key: 'request.auth.audiences', values: ['aud-ok'] }] },
            { when: [{ key: 'request.auth.presenter', values: ['cli'] }] },
            { to: [{ operation: { paths: ['/anon-ok'] } }], when: [{ key: 'request.auth.principal', notValues: ['*'] }] },
            { when: [{ key: 'request.auth.claims[level]', values: ['7'] }, { key: 'request.auth.claims[flag]', values: ['true'] }] },
          ],
        },
      ],
    },
    requests: [
      req('anonymous GET of a public page', [], '/public/index.html'),
      req('anonymous GET of a css file', [], '/site/main.css'),
      req('anonymous POST of a public page is not allowed', [], '/public/x', 'POST'),
      req('anonymous DELETE is denied', [], '/public/x', 'DELETE'),
      req('anonymous path not allowed', [], '/api'),
      req('alice is allowed', [bearer(await tok({ sub: 'alice' }))]),
      req('svc-* prefix principal', [bearer(await tok({ sub: 'svc-build' }))]),
      req('bob is not', [bearer(await tok({ sub: 'bob' }))]),
      req('principal needs iss and sub', [bearer(await tok({ scope: 'read' }))]),
      req('alice on /admin without the group is denied', [bearer(await tok({ sub: 'alice' }))], '/admin/x'),
      req('alice on /admin with the group', [bearer(await tok({ sub: 'alice', groups: ['dev', 'admins'] }))], '/admin/x'),
      req('alice on /admin with a string group', [bearer(await tok({ sub: 'alice', groups: 'admins' }))], '/admin/x'),
      req('scope word match', [bearer(await tok({ sub: 'carol', scope: 'read write' }))]),
      req('scope without the word', [bearer(await tok({ sub: 'carol', scope: 'read writer' }))]),
      req('scope as a list', [bearer(await tok({ sub: 'carol', scope: ['read', 'write'] }))]),
      req('nested claim on an allowed host', [['host', 'shop.example.org'], bearer(await tok({ sub: 'carol', org: { team: 'blue' } }))]),
      req('nested claim on an upper-case host', [['host', 'api.EXAMPLE.net'], bearer(await tok({ sub: 'carol', org: { team: 'blue' } }))]),
      req('nested claim on a host with a port', [['host', 'shop.example.org:8080'], bearer(await tok({ sub: 'carol', org: { team: 'blue' } }))]),
      req('nested claim with another team', [['host', 'shop.example.org'], bearer(await tok({ sub: 'carol', org: { team: 'red' } }))]),
      req('header condition', [['x-canary', 'yes']]),
      req('header condition prefix', [['x-canary', 'yikes']]),
      req('header condition on an excluded path', [['x-canary', 'yes']], '/private/x'),
      req('header condition with another value', [['x-canary', 'no']]),
      req('audiences condition', [bearer(await tok({ sub: 'carol', aud: ['x', 'aud-ok'] }))]),
      req('presenter condition', [bearer(await tok({ sub: 'carol', azp: 'cli' }))]),
      req('principal notValues: anonymous is allowed on /anon-ok', [], '/anon-ok'),
      req('principal notValues: a principal is not', [bearer(await tok({ sub: 'carol' }))], '/anon-ok'),
      req('number and boolean claims as text', [bearer(await tok({ sub: 'carol', level: 7, flag: true }))]),
      req('a bad token is 401 before any policy', [bearer('abc')], '/public/index.html'),
      req('query does not take part in path matching', [], '/public/x?y=/admin'),
      req('two tokens: alice in the header, bob in the parameter', [bearer(await tok({ sub: 'alice' }))], `/api?access_token=${await tok({ sub: 'bob' })}`),
      req('two tokens: bob in the header, alice in the parameter', [bearer(await tok({ sub: 'bob' }))], `/api?access_token=${await tok({ sub: 'alice' })}`),
      req('two tokens: no sub in the header, alice in the parameter', [bearer(await tok({ scope: 'x' }))], `/api?access_token=${await tok({ sub: 'alice' })}`),
    ],
  };

  // ---- 4. an ALLOW policy without rules ----
  const allowNothing: OracleConfig = {
    name: 'allow-nothing',
    config: { jwtRules: [{ issuer: ISS, jwks: jwks(rsa) }], policies: [{ action: 'ALLOW' }] },
    requests: [req('everything is denied', []), req('even with a token', [bearer(await tok({ sub: 'alice' }))])],
  };

  // ---- 5. one plain rule, no output headers: sizes, nesting, token order ----
  const nest = (n: number) => `{"iss":"${ISS}","deep":${'['.repeat(n - 2)}${']'.repeat(n - 2)}}`;
  const plain: OracleConfig = {
    name: 'plain',
    config: { jwtRules: [{ issuer: ISS, jwks: jwks(rsa, ec) }] },
    requests: [
      req('a huge valid token (40 KB claim)', [bearer(await mint(rsa, { ...good, big }))]),
      req('a 40 KB token in the query', [], `/api?access_token=${await mint(rsa, { ...good, big })}`),
      ...[31, 32, 33, 64, 99, 100, 101, 102].map((n) => (async () => req(`JSON nesting depth ${n}`, [bearer(await signRaw(rsa, nest(n)))]))()),
      req('a bad header token before a good parameter', [bearer(await mint(foreignRsa, good))], `/api?access_token=${rs}`),
      req('a good header token before a bad parameter', [bearer(rs)], `/api?access_token=${await mint(foreignRsa, good)}`),
      req('a long path is cut in the realm', [bearer('abc')], `/${'p'.repeat(300)}?q=1`),
      req('a quote in the path goes into the realm as it is', [bearer('abc')], '/a"b\\c'),
      req('duplicate members in the header', [bearer(`${b64url('{"alg":"RS256","alg":"ES256","kid":"rsa-1"}')}.${b64url(JSON.stringify(good))}.${b64url('sig')}`)]),
      req('duplicate members in a nested claim', [bearer(await signRaw(rsa, `{"iss":"${ISS}","o":{"a":1,"a":2}}`))]),
    ] as (OracleRequest | Promise<OracleRequest>)[] as OracleRequest[],
  };
  plain.requests = await Promise.all(plain.requests);

  // ---- 6. the connection: peers, addresses, ports, SNI, path templates ----
  const ports = { native: await freePort(), wasm: await freePort() };
  const both = [String(ports.native), String(ports.wasm)];
  const on = (path: string, extra: object) => ({ to: [{ operation: { paths: [path] } }], ...extra });
  const xff = (v: string): [string, string] => ['x-forwarded-for', v];
  const connection: OracleConfig = {
    name: 'connection',
    listenPorts: ports,
    config: {
      jwtRules: [{ issuer: ISS, jwks: jwks(rsa) }],
      policies: [{
        action: 'ALLOW',
        rules: [
          on('/ip', { from: [{ source: { ipBlocks: ['127.0.0.1/32'] } }] }),
          on('/ip-not', { from: [{ source: { notIpBlocks: ['10.0.0.0/8', '127.0.0.2'] } }] }),
          on('/remote', { from: [{ source: { remoteIpBlocks: ['10.0.0.0/8'] } }] }),
          on('/remote-not', { from: [{ source: { notRemoteIpBlocks: ['10.0.0.0/8'] } }] }),
          on('/ns', { from: [{ source: { namespaces: ['foo'] } }] }),
          on('/ns-not', { from: [{ source: { notNamespaces: ['foo', 'ba*'] } }] }),
          on('/peer', { from: [{ source: { principals: ['*'] } }] }),
          on('/peer-not', { from: [{ source: { notPrincipals: ['cluster.local/ns/a/sa/b'] } }] }),
          on('/w-src', { when: [{ key: 'source.ip', values: ['127.0.0.0/8'] }] }),
          on('/w-remote', { when: [{ key: 'remote.ip', values: ['10.1.2.3'] }] }),
          on('/w-dst', { when: [{ key: 'destination.ip', values: ['127.0.0.1'] }] }),
          on('/w-port', { when: [{ key: 'destination.port', values: both }] }),
          on('/w-port-not', { when: [{ key: 'destination.port', notValues: both }] }),
          on('/w-sni', { when: [{ key: 'connection.sni', values: ['*'] }] }),
          on('/w-sni-not', { when: [{ key: 'connection.sni', notValues: ['api.example.com'] }] }),
          on('/w-ns', { when: [{ key: 'source.namespace', values: ['*'] }] }),
          on('/w-peer-not', { when: [{ key: 'source.principal', notValues: ['*'] }] }),
          { to: [{ operation: { ports: both, paths: ['/port'] } }] },
          { to: [{ operation: { notPorts: both, paths: ['/port-not'] } }] },
          { to: [{ operation: { paths: ['/tpl/{*}/info', '/files/{**}', '/a/{*}/{*}'] } }] },
        ],
      }],
    },
    requests: [
      req('ipBlocks: the direct peer', [], '/ip'),
      req('ipBlocks: x-forwarded-for does not change the direct peer', [xff('10.9.9.9')], '/ip', 'GET', {
        deliberate: { why: DIRECT_PEER, ours: { status: 403, body: 'RBAC: access denied' } },
      }),
      req('notIpBlocks', [], '/ip-not'),
      req('remoteIpBlocks without x-forwarded-for', [], '/remote'),
      req('remoteIpBlocks from x-forwarded-for', [xff('10.1.2.3')], '/remote'),
      req('remoteIpBlocks: the last x-forwarded-for entry counts', [xff('10.1.2.3, 192.168.1.1')], '/remote'),
      req('remoteIpBlocks: an invalid x-forwarded-for', [xff('nope')], '/remote'),
      req('notRemoteIpBlocks', [xff('10.1.2.3')], '/remote-not'),
      req('namespaces need a peer certificate', [], '/ns'),
      req('notNamespaces without a peer certificate', [], '/ns-not'),
      req('principals * needs a peer certificate', [], '/peer'),
      req('notPrincipals without a peer certificate', [], '/peer-not'),
      req('when source.ip', [], '/w-src'),
      req('when remote.ip from x-forwarded-for', [xff('10.1.2.3')], '/w-remote'),
      req('when remote.ip without x-forwarded-for', [], '/w-remote'),
      req('when destination.ip', [], '/w-dst'),
      req('when destination.port', [], '/w-port'),
      req('when destination.port notValues', [], '/w-port-not'),
      req('when connection.sni * without TLS', [], '/w-sni'),
      req('when connection.sni notValues without TLS', [], '/w-sni-not'),
      req('when source.namespace without TLS', [], '/w-ns'),
      req('when source.principal notValues without TLS', [], '/w-peer-not'),
      req('ports', [], '/port'),
      req('notPorts', [], '/port-not'),
      req('template {*}', [], '/tpl/abc/info'),
      req('template {*} with a query', [], '/tpl/abc/info?x=/y'),
      req('template {*} is one segment', [], '/tpl/a/b/info'),
      req('template {*} is not empty', [], '/tpl//info'),
      req('template {*} with escapes', [], '/tpl/a%20b~c/info'),
      req('template {**} deep', [], '/files/a/b/c.txt'),
      req('template {**} empty rest', [], '/files/'),
      req('template {**} without the slash', [], '/files'),
      req('template two {*}', [], '/a/x/y'),
      req('template two {*}, one missing', [], '/a/x'),
      req('nothing matches', [], '/other'),
    ],
  };

  // ---- 7. every signature algorithm, through either signature path (verifyWith: host and wasm) ----
  const algorithms = await algorithmsConfig(good);

  const configs = [authn, locations, policies, allowNothing, plain, connection, algorithms];

  // ---- 7. peer identity over TLS: SPIFFE principals and namespaces, DNS-SAN peers, SNI ----
  let tls: TlsMaterial | null = null;
  try {
    if (tlsDir) tls = makeTlsMaterial(tlsDir);
  } catch (e) {
    console.log(`oracle: the TLS configuration is left out (${(e as Error).message})`);
  }
  if (tls) {
    const as = (client?: string, sni?: string) => ({ tls: { client, sni } });
    configs.push({
      name: 'peers',
      tls,
      config: {
        jwtRules: [{ issuer: ISS, jwks: jwks(rsa) }],
        policies: [{
          action: 'ALLOW',
          rules: [
            on('/p-exact', { from: [{ source: { principals: ['cluster.local/ns/shop/sa/cart'] } }] }),
            on('/p-any', { from: [{ source: { principals: ['*'] } }] }),
            on('/p-prefix', { from: [{ source: { principals: ['cluster.local/ns/shop/*'] } }] }),
            on('/p-suffix', { from: [{ source: { principals: ['*/sa/cart'] } }] }),
            on('/p-not', { from: [{ source: { notPrincipals: ['cluster.local/ns/shop/sa/cart'] } }] }),
            on('/p-dns', { from: [{ source: { principals: ['peer.example.com'] } }] }),
            on('/ns', { from: [{ source: { namespaces: ['shop'] } }] }),
            on('/ns-glob', { from: [{ source: { namespaces: ['sh*'] } }] }),
            on('/ns-not', { from: [{ source: { notNamespaces: ['shop'] } }] }),
            on('/w-principal', { when: [{ key: 'source.principal', values: ['cluster.local/ns/web/sa/frontend'] }] }),
            on('/w-ns', { when: [{ key: 'source.namespace', values: ['web'] }] }),
            on('/sni', { when: [{ key: 'connection.sni', values: ['*.example.com'] }] }),
            on('/sni-exact', { when: [{ key: 'connection.sni', values: ['api.example.com'] }] }),
          ],
        }],
      },
      requests: [
        req('principals exact: cart', [], '/p-exact', 'GET', as('cart')),
        req('principals exact: another service', [], '/p-exact', 'GET', as('web')),
        req('principals exact: no client certificate', [], '/p-exact', 'GET', as()),
        req('principals *: cart', [], '/p-any', 'GET', as('cart')),
        req('principals *: a DNS-SAN peer', [], '/p-any', 'GET', as('dnsonly')),
        req('principals *: no client certificate', [], '/p-any', 'GET', as()),
        req('principals prefix', [], '/p-prefix', 'GET', as('cart')),
        req('principals prefix: other namespace', [], '/p-prefix', 'GET', as('web')),
        req('principals suffix', [], '/p-suffix', 'GET', as('cart')),
        req('notPrincipals: cart is excluded', [], '/p-not', 'GET', as('cart')),
        req('notPrincipals: another service', [], '/p-not', 'GET', as('web')),
        req('notPrincipals: no client certificate', [], '/p-not', 'GET', as()),
        req('principals: a DNS SAN is not spiffe://', [], '/p-dns', 'GET', as('dnsonly')),
        req('namespaces', [], '/ns', 'GET', as('cart')),
        req('namespaces: another', [], '/ns', 'GET', as('web')),
        req('namespaces with a wildcard', [], '/ns-glob', 'GET', as('cart')),
        req('notNamespaces', [], '/ns-not', 'GET', as('cart')),
        req('notNamespaces: another', [], '/ns-not', 'GET', as('web')),
        req('notNamespaces: no client certificate', [], '/ns-not', 'GET', as()),
        req('when source.principal', [], '/w-principal', 'GET', as('web')),
        req('when source.namespace', [], '/w-ns', 'GET', as('web')),
        req('when source.namespace: a DNS-SAN peer', [], '/w-ns', 'GET', as('dnsonly')),
        req('connection.sni suffix', [], '/sni', 'GET', as(undefined, 'api.example.com')),
        req('connection.sni exact', [], '/sni-exact', 'GET', as('cart', 'api.example.com')),
        req('connection.sni other', [], '/sni-exact', 'GET', as(undefined, 'www.example.org')),
        req('connection.sni absent', [], '/sni', 'GET', as()),
        req('a token over TLS is still checked', [bearer('abc')], '/p-exact', 'GET', as('cart')),
      ],
    });
  }
  return configs;
}
