// TLS for the oracle's peer-identity configuration: a throw-away CA, a server certificate and client
// certificates (SPIFFE URI SANs as Istio issues them, and one with only a DNS SAN) made with the openssl
// CLI; the listener's DownstreamTlsContext (client certificates requested, not required); and a TLS client.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { connect } from 'node:tls';
import type { ReceivedResponse } from './lib/send-request.ts';
import { readResponse, requestBytes } from './jwt-oracle-client.ts';
import type { HeaderList } from './jwt-oracle-types.ts';

export interface Pem { cert: string; key: string }
export interface TlsMaterial { ca: string; server: Pem; clients: Record<string, Pem> }

/** Client certificate name → its subjectAltName. */
export const CLIENTS: Record<string, string> = {
  cart: 'URI:spiffe://cluster.local/ns/shop/sa/cart',
  web: 'URI:spiffe://cluster.local/ns/web/sa/frontend',
  dnsonly: 'DNS:peer.example.com',
};

function openssl(args: string[], cwd: string): void {
  const r = spawnSync('openssl', args, { cwd, encoding: 'utf8' });
  if (r.error || r.status !== 0) throw new Error(`openssl ${args[0]}: ${r.error?.message ?? r.stderr.trim().slice(0, 300)}`);
}

function issue(dir: string, name: string, san: string): Pem {
  const ext = join(dir, `${name}.ext`);
  writeFileSync(ext, `subjectAltName=${san}\n`);
  openssl(['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${name}`], dir);
  openssl(['x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', `${name}.crt`, '-days', '2', '-extfile', ext], dir);
  return { cert: readFileSync(join(dir, `${name}.crt`), 'utf8'), key: readFileSync(join(dir, `${name}.key`), 'utf8') };
}

/** Fresh certificates in `dir`; throws (with openssl's reason) when openssl is missing or fails. */
export function makeTlsMaterial(dir: string): TlsMaterial {
  mkdirSync(dir, { recursive: true });
  openssl(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'ca.key', '-out', 'ca.crt', '-subj', '/CN=oracle-ca', '-days', '2'], dir);
  const clients: Record<string, Pem> = {};
  for (const [name, san] of Object.entries(CLIENTS)) clients[name] = issue(dir, name, san);
  return { ca: readFileSync(join(dir, 'ca.crt'), 'utf8'), server: issue(dir, 'server', 'DNS:api.example.com'), clients };
}

/** The listener's transport socket: TLS, client certificates checked against the CA when sent. */
export function downstreamTls(m: TlsMaterial): Record<string, unknown> {
  return {
    name: 'envoy.transport_sockets.tls',
    typed_config: {
      '@type': 'type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext',
      require_client_certificate: false,
      common_tls_context: {
        tls_certificates: [{ certificate_chain: { inline_string: m.server.cert }, private_key: { inline_string: m.server.key } }],
        validation_context: { trusted_ca: { inline_string: m.ca } },
      },
    },
  };
}

/** One request over TLS (optionally with a client certificate and SNI). */
export function tlsExchange(port: number, method: string, path: string, headers: HeaderList, o: { client?: Pem; sni?: string; ca: string }): Promise<ReceivedResponse> {
  const socket = connect({ host: '127.0.0.1', port, servername: o.sni, ca: o.ca, rejectUnauthorized: false, ...(o.client ?? {}) });
  const done = readResponse(socket);
  socket.once('secureConnect', () => socket.write(requestBytes(method, path, headers)));
  return done;
}
