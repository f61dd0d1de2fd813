// A real OpenID provider (npm `oidc-provider`) on 127.0.0.1 for the oidc plugin's tests: one client
// `meshplug` (confidential, code + PKCE, refresh tokens through offline_access, RP-initiated logout),
// the development login form (any login/password is accepted) and an RS256 signing key of its own.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair } from 'jose';

/** The part of oidc-provider's API these tests use (the package ships no type declarations). */
export interface OidcProvider {
  callback(): (req: IncomingMessage, res: ServerResponse) => unknown;
  on(event: string, listener: (...args: unknown[]) => void): void;
}
type ProviderClass = new (issuer: string, configuration: Record<string, unknown>) => OidcProvider;
const PACKAGE = 'oidc-provider';

export interface TestProviderOptions {
  redirectUris: string[];
  postLogoutRedirectUris: string[];
  clientSecret?: string;
  tokenEndpointAuthMethod?: 'client_secret_basic' | 'client_secret_post';
  /** ID token lifetime in seconds (default 3600); short values let tests reach a refresh. */
  idTokenTtl?: number;
  /** Length of the `name` claim (default: "User <sub>"); long names make ID tokens that need several cookies. */
  nameLength?: number;
  /** Sign ID tokens with this algorithm (default RS256). */
  alg?: 'RS256' | 'ES256';
}

export interface TestProvider {
  issuer: string;
  port: number;
  /** Every request the provider received, as "METHOD /path". */
  seen: string[];
  /** While set, every request gets this status (or a hang when 0) instead of an answer: an IdP outage. */
  fail: number | null;
  provider: OidcProvider;
  close(): Promise<void>;
}

let quiet = false;
/** oidc-provider warns about development settings on every start; once is enough for a test run. */
function silenceDevWarnings(): void {
  if (quiet) return;
  quiet = true;
  for (const level of ['warn', 'info'] as const) {
    const original = console[level].bind(console);
    console[level] = (...args: unknown[]) => {
      if (/^(\x1b\[[\d;]*m)?oidc-provider (NOTICE|WARNING)/.test(args.map(String).join(' '))) return;
      original(...args);
    };
  }
}

export async function startTestProvider(o: TestProviderOptions): Promise<TestProvider> {
  silenceDevWarnings();
  // Imported after the filter is in place: the package warns about Node 20 as it loads.
  const { default: Provider } = (await import(PACKAGE)) as { default: ProviderClass };
  const server: Server = createServer();
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', () => ok()));
  const port = (server.address() as AddressInfo).port;
  const issuer = `http://127.0.0.1:${port}`;
  const alg = o.alg ?? 'RS256';
  const { privateKey } = await generateKeyPair(alg, { extractable: true });
  const jwk = { ...(await exportJWK(privateKey)), alg, use: 'sig', kid: `test-${alg.toLowerCase()}` };
  const provider = new Provider(issuer, {
    clients: [{
      client_id: 'meshplug',
      client_secret: o.clientSecret ?? 'meshplug-secret',
      redirect_uris: o.redirectUris,
      post_logout_redirect_uris: o.postLogoutRedirectUris,
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: o.tokenEndpointAuthMethod ?? 'client_secret_basic',
      id_token_signed_response_alg: alg,
    }],
    jwks: { keys: [jwk] },
    cookies: { keys: ['test-cookie-key-not-secret'] },
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
    // Claims in the ID token itself, so the plugin can turn them into headers.
    conformIdTokenClaims: false,
    findAccount: async (_ctx: unknown, sub: string) => ({
      accountId: sub,
      claims: async () => ({ sub, email: `${sub}@example.com`, email_verified: true, name: o.nameLength ? 'N'.repeat(o.nameLength) : `User ${sub}` }),
    }),
    features: { devInteractions: { enabled: true }, rpInitiatedLogout: { enabled: true } },
    pkce: { required: () => true },
    ttl: {
      IdToken: o.idTokenTtl ?? 3600, AccessToken: o.idTokenTtl ?? 3600, RefreshToken: 86400, AuthorizationCode: 60,
      Interaction: 600, Session: 3600, Grant: 3600,
    },
  });
  provider.on('server_error', () => {});
  const callback = provider.callback();
  const seen: string[] = [];
  const handle: TestProvider = {
    issuer, port, seen, fail: null, provider,
    close: () => new Promise<void>((ok) => { server.closeAllConnections(); server.close(() => ok()); }),
  };
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    seen.push(`${req.method} ${req.url}`);
    if (handle.fail === 0) return; // hang: the caller's timeout fires
    if (handle.fail !== null) { res.writeHead(handle.fail, { 'content-type': 'text/plain' }).end('provider down'); return; }
    void callback(req, res);
  });
  return handle;
}
