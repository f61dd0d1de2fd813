// The oracle's third way: dist/jwt-auth.wasm in our host, one host per configuration serving every request
// of the corpus (loading the module once), with the same stand-in upstream answer the Envoy runs get from
// the echo upstream. Observations have the shape the scenario runners compare.
import { ProxyWasmHost } from '../host/core/host.ts';
import type { UpstreamRequest, UpstreamResponse } from '../host/core/platform.ts';
import type { HeaderList } from '../host/core/types.ts';
import { echoReply } from '../host/node/echo-upstream.ts';
import { loadPluginFile } from '../host/node/load-plugin.ts';
import { nodePlatform } from '../host/node/platform.ts';
import type { OracleRequest, Seen } from './jwt-oracle-types.ts';

const enc = new TextEncoder();
const dec = new TextDecoder();

/** What the upstream reads on the wire: host from :authority first, then the forwarded headers. */
function wireHeaders(r: UpstreamRequest): HeaderList {
  const out: HeaderList = [['host', r.authority]];
  for (const [k, v] of r.headers) if (k !== 'transfer-encoding') out.push([k, v]);
  return out;
}

export interface HostSide {
  send(r: OracleRequest): Promise<Seen>;
  close(): void;
}

export async function startHostSide(wasm: string, configuration: string, destinationPort = 10000): Promise<HostSide> {
  let seen: Seen['upstream'] = null;
  const upstream = (r: UpstreamRequest): UpstreamResponse => {
    seen = { method: r.method, path: r.path, headers: wireHeaders(r), body: dec.decode(r.body) };
    const answer = echoReply(seen, { status: 200, body: 'ok' });
    return { status: answer.status, headers: answer.headers, body: enc.encode(answer.body), remoteAddress: '127.0.0.1:8080', localAddress: '127.0.0.1:40001' };
  };
  const host = new ProxyWasmHost({ platform: nodePlatform(), upstream, workers: 1, logLevel: 'off' });
  host.addPlugin(await loadPluginFile({ file: wasm, configuration, name: 'jwt-auth' }));
  return {
    async send(r) {
      seen = null;
      const headers = r.headers.filter(([k]) => k.toLowerCase() !== 'host').map(([k, v]) => [k.toLowerCase(), v] as [string, string]);
      const authority = r.headers.find(([k]) => k.toLowerCase() === 'host')?.[1] ?? 'example.com';
      const res = await host.handle({
        method: r.method, path: r.path, authority, scheme: r.peer?.tls ? 'https' : 'http', protocol: 'HTTP/1.1', headers, body: new Uint8Array(0),
        closeConnection: true,
        connection: {
          id: host.newConnectionId(), sourceAddress: r.peer?.address ?? '127.0.0.1:40000', destinationAddress: `127.0.0.1:${destinationPort}`,
          ...(r.peer?.tls || r.peer?.uriSan || r.peer?.dnsSan || r.peer?.sni
            ? { tlsVersion: 'TLSv1.3', mtls: !!(r.peer.uriSan || r.peer.dnsSan), uriSanPeerCertificate: r.peer.uriSan, dnsSanPeerCertificate: r.peer.dnsSan, requestedServerName: r.peer.sni }
            : {}),
        },
      });
      return { status: res.status, headers: res.headers.filter(([k]) => k !== 'connection'), body: dec.decode(res.body), upstream: seen };
    },
    close: () => host.close(),
  };
}
