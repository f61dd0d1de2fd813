// A Docker token service for the registry's `auth: token` mode: checks Basic credentials and hands out
// RS256 JWTs signed by a throw-away self-signed certificate that the registry trusts (x5c header).
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { lookup } from 'node:dns/promises';
import { createServer, type Server } from 'node:http';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { importPKCS8, SignJWT } from 'jose';

export interface TokenServer {
  realm: string;
  /** Whether Istio's agent would accept the realm: it refuses localhost and loopback/private IP literals. */
  realmAcceptedByIstio: boolean;
  certFile: string;
  issuer: string;
  service: string;
  /** How many tokens it handed out (a test can see the bearer flow happened). */
  issued: () => number;
  close(): Promise<void>;
}

export async function startTokenServer(dir: string, user: string, password: string): Promise<TokenServer> {
  const keyFile = join(dir, 'token.key');
  const certFile = join(dir, 'token.crt');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=meshplug-test-token',
    '-keyout', keyFile, '-out', certFile], { stdio: 'ignore' });
  const key = await importPKCS8(readFileSync(keyFile, 'utf8'), 'RS256');
  const der = readFileSync(certFile, 'utf8').replace(/-----[^-]+-----|\s/g, '');
  const issuer = 'meshplug-test-issuer';
  const service = 'meshplug-test-registry';
  let count = 0;
  const expected = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
  const server: Server = createServer((req, res) => {
    void (async () => {
      if (req.headers.authorization !== expected) {
        res.writeHead(401, { 'content-type': 'application/json' }).end('{"details":"bad credentials"}');
        return;
      }
      const url = new URL(req.url ?? '/', 'http://x');
      const access = url.searchParams.getAll('scope').map((scope) => {
        const [type, name, actions] = scope.split(':');
        return { type, name, actions: (actions ?? '').split(',').filter(Boolean) };
      });
      const token = await new SignJWT({ access })
        .setProtectedHeader({ alg: 'RS256', typ: 'JWT', x5c: [der] })
        .setIssuer(issuer).setAudience(service).setSubject(user)
        .setIssuedAt().setNotBefore('-10s').setExpirationTime('5m').setJti(String(++count))
        .sign(key);
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ token }));
    })().catch(() => res.writeHead(500).end());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  // The realm goes through this machine's own name when it resolves to loopback (it does on our machines),
  // since Istio's SSRF guard rejects `localhost` and 127.0.0.1 by name but not other names.
  const own = hostname();
  const ownIsLoopback = await lookup(own, { family: 4 }).then((a) => a.address.startsWith('127.'), () => false);
  return {
    realm: `http://${ownIsLoopback ? own : '127.0.0.1'}:${port}/token`,
    realmAcceptedByIstio: ownIsLoopback,
    certFile,
    issuer,
    service,
    issued: () => count,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
