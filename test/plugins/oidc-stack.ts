// Shared by the oidc tests: the real provider (test/lib/oidc-provider.ts), our gateway running
// dist/oidc.wasm with cluster `idp` mapped to it in front of the echo upstream, a cookie jar, and a
// login driven through the provider's own forms with plain HTTP (the browser test does it in Chromium).
import { request as httpRequest } from 'node:http';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { startGateway, type Gateway } from '../../host/node/gateway.ts';
import { startTestProvider, type TestProvider, type TestProviderOptions } from '../lib/oidc-provider.ts';

export const wasm = fileURLToPath(new URL('../../dist/oidc.wasm', import.meta.url));
export const COOKIE_SECRET = Buffer.alloc(32, 7).toString('base64');
export const BROWSER = { accept: 'text/html,application/xhtml+xml;q=0.9,*/*;q=0.8' };

export async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  const port = (srv.address() as { port: number }).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

export interface Stack {
  idp: TestProvider;
  gateway: Gateway;
  /** The origin browsers use for the gateway (http://localhost:PORT). */
  origin: string;
  config: Record<string, unknown>;
  logs: string[];
  close(): Promise<void>;
}

export interface StackOptions {
  /** Extra or replaced plugin configuration fields. */
  config?: Record<string, unknown>;
  provider?: Partial<TestProviderOptions>;
  /** Point the cluster somewhere else (e.g. a dead port). */
  clusterUrl?: string;
}

export async function startStack(o: StackOptions = {}): Promise<Stack> {
  const port = await freePort();
  const origin = `http://localhost:${port}`;
  const idp = await startTestProvider({ redirectUris: [`${origin}/oauth2/callback`], postLogoutRedirectUris: [`${origin}/`], ...o.provider });
  const config = {
    issuer: idp.issuer, cluster: 'idp', clientId: 'meshplug', clientSecret: o.provider?.clientSecret ?? 'meshplug-secret',
    redirectUri: `${origin}/oauth2/callback`, scopes: ['openid', 'profile', 'email', 'offline_access'],
    cookieSecret: COOKIE_SECRET, logoutPath: '/logout', timeout: '1s', ...o.config,
  };
  const logs: string[] = [];
  const gateway = await startGateway({
    listen: { host: '127.0.0.1', port }, admin: null, upstream: 'echo', workers: 1, logLevel: 'info', statsTags: null,
    clusters: { idp: o.clusterUrl ?? idp.issuer },
    plugins: [{ name: 'oidc', wasm, rootId: '', vmId: '', failurePolicy: 'FAIL_CLOSED', config: JSON.stringify(config) }],
  }, (line) => logs.push(line));
  return { idp, gateway, origin, config, logs, close: async () => { await gateway.close(); await idp.close(); } };
}

/** Cookies per host (ports share cookies in browsers, as here), honouring Max-Age=0 deletions. */
export class Jar {
  private byHost = new Map<string, Map<string, string>>();

  private host(url: string): Map<string, string> {
    const h = new URL(url).hostname;
    let m = this.byHost.get(h);
    if (!m) { m = new Map(); this.byHost.set(h, m); }
    return m;
  }

  header(url: string): string {
    return [...this.host(url)].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  get(url: string, name: string): string | undefined {
    return this.host(url).get(name);
  }

  set(url: string, name: string, value: string): void {
    this.host(url).set(name, value);
  }

  delete(url: string, name: string): void {
    this.host(url).delete(name);
  }

  names(url: string): string[] {
    return [...this.host(url).keys()];
  }

  store(url: string, setCookies: string[]): void {
    const m = this.host(url);
    for (const line of setCookies) {
      const [pair, ...attrs] = line.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      const gone = attrs.some((a) => /^\s*max-age=0\s*$/i.test(a)) || attrs.some((a) => /^\s*expires=thu, 01 jan 1970/i.test(a));
      if (gone) m.delete(name);
      else m.set(name, value);
    }
  }
}

/** A received answer (node:http, so request targets go out exactly as written: `//evil`, `/\\evil`, absolute-form). */
export class Reply {
  constructor(public status: number, private raw: Record<string, string | string[] | undefined>, public body: string) {}
  header(name: string): string | null {
    const v = this.raw[name.toLowerCase()];
    return v === undefined ? null : Array.isArray(v) ? v.join(', ') : v;
  }
  get location(): string | null { return this.header('location'); }
  setCookies(): string[] {
    const v = this.raw['set-cookie'];
    return v === undefined ? [] : Array.isArray(v) ? v : [v];
  }
  json<T>(): T { return JSON.parse(this.body) as T; }
}

/** One request without following redirects; cookies from the jar go out and come back in. */
export function send(jar: Jar, url: string, init: { method?: string; headers?: Record<string, string>; body?: string; rawPath?: string } = {}): Promise<Reply> {
  const u = new URL(url);
  const headers: Record<string, string> = { ...init.headers };
  const cookie = jar.header(url);
  if (cookie && !('cookie' in headers)) headers.cookie = cookie;
  if (init.body !== undefined) headers['content-length'] = String(Buffer.byteLength(init.body));
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port: Number(u.port), method: init.method ?? 'GET', path: init.rawPath ?? u.pathname + u.search, headers: { host: u.host, ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const reply = new Reply(res.statusCode ?? 0, res.headers, Buffer.concat(chunks).toString('utf8'));
        jar.store(url, reply.setCookies());
        resolve(reply);
      });
    });
    req.on('error', reject);
    req.end(init.body);
  });
}

function absolute(base: string, location: string): string {
  return new URL(location, base).toString();
}

/** The submit URL of the first form on a provider page. */
function formAction(html: string, base: string): string {
  const m = /<form[^>]*action="([^"]+)"/.exec(html);
  if (!m) throw new Error(`no form in provider page: ${html.slice(0, 200)}`);
  return absolute(base, m[1]!.replace(/&amp;/g, '&'));
}

export interface LoginResult {
  /** The gateway's answer to the provider's redirect back (302 to the original page on success). */
  callback: Reply;
  callbackUrl: string;
  /** The authorization request the plugin sent the browser to. */
  authorizeUrl: URL;
}

export interface LoginOptions {
  user?: string;
  /** Request target sent as is for the first request (open-redirect tests). */
  rawPath?: string;
  /** Alters the authorization URL before the browser goes there (attack tests). */
  rewriteAuthorize?: (url: URL) => URL;
  /** Alters the callback URL before it is delivered (attack tests). */
  beforeCallback?: (url: string) => string;
}

/**
 * Requests `path` as a browser, follows the plugin's redirect to the provider, signs in on its form,
 * consents, and delivers the provider's redirect back to the gateway. Stops before following the
 * gateway's final redirect.
 */
export async function login(stack: Stack, jar: Jar, path: string, o: LoginOptions = {}): Promise<LoginResult> {
  const first = await send(jar, stack.origin + path, { headers: BROWSER, rawPath: o.rawPath });
  if (first.status !== 302) throw new Error(`expected 302 from the gateway, got ${first.status}: ${first.body}`);
  const authorizeUrl = new URL(first.location!);
  return { ...(await signInAtProvider(stack, jar, o.rewriteAuthorize ? o.rewriteAuthorize(authorizeUrl) : authorizeUrl, o)), authorizeUrl };
}

/** From an authorization URL to the gateway's answer to the callback. */
export async function signInAtProvider(stack: Stack, jar: Jar, authorize: URL, o: LoginOptions = {}): Promise<{ callback: Reply; callbackUrl: string }> {
  let url = authorize.toString();
  for (let hop = 0; hop < 20; hop++) {
    if (url.startsWith(stack.origin)) {
      const callbackUrl = o.beforeCallback ? o.beforeCallback(url) : url;
      return { callback: await send(jar, callbackUrl, { headers: BROWSER }), callbackUrl };
    }
    const res = await send(jar, url, { headers: BROWSER });
    if (res.status >= 300 && res.status < 400) { url = absolute(url, res.location!); continue; }
    if (res.status !== 200) throw new Error(`provider answered ${res.status} at ${url}: ${res.body.slice(0, 300)}`);
    const action = formAction(res.body, url);
    const body = res.body.includes('name="login"') ? `prompt=login&login=${encodeURIComponent(o.user ?? 'alice')}&password=pw` : 'prompt=consent';
    const post = await send(jar, action, { method: 'POST', headers: { ...BROWSER, 'content-type': 'application/x-www-form-urlencoded' }, body });
    if (post.status < 300 || post.status >= 400) throw new Error(`provider form post answered ${post.status}: ${post.body.slice(0, 300)}`);
    url = absolute(action, post.location!);
  }
  throw new Error('too many redirects at the provider');
}

/** What the echo upstream saw, from its JSON echo. */
export function upstreamSaw(res: Reply): { path: string; headers: [string, string][] } {
  return res.json<{ path: string; headers: [string, string][] }>();
}

export function headerOf(headers: [string, string][], name: string): string | undefined {
  return headers.find(([k]) => k === name)?.[1];
}
