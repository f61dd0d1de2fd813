// Our host as a TCP proxy: listens on 127.0.0.1, runs every connection through the host's plugins as
// network filters (host/core/tcp-connection.ts) and forwards the bytes to one upstream TCP server, the way
// Envoy's tcp_proxy does (half-closes are passed on; the connection closes once both directions ended).
import { connect, createServer, type AddressInfo, type Socket } from 'node:net';
import type { ProxyWasmHost } from '../core/host.ts';
import { PeerType, type TcpIo } from '../core/tcp-connection.ts';

export interface TcpProxyOptions {
  host: ProxyWasmHost;
  upstream: { host: string; port: number };
  /** Listen port on 127.0.0.1; 0 (default) lets the kernel pick. */
  port?: number;
}

export interface RunningTcpProxy {
  port: number;
  close(): Promise<void>;
}

const empty = new Uint8Array(0);

/**
 * Envoy reads a socket until it would block and reports data and a following end of stream in one
 * callback; Node emits 'data' and 'end' separately. Chunks are gathered for one turn so that data and an
 * end arriving together reach the filters together.
 */
function reader(socket: Socket, deliver: (data: Uint8Array, end: boolean) => void): void {
  let chunks: Buffer[] = [];
  let scheduled = false;
  let ended = false;
  const flush = () => {
    scheduled = false;
    const data = chunks.length === 0 ? empty : new Uint8Array(Buffer.concat(chunks));
    chunks = [];
    if (data.length > 0 || ended) deliver(data, ended);
  };
  // Node emits a peer's FIN a turn or two after the data that preceded it: wait two turns.
  const later = () => setImmediate(() => setImmediate(flush));
  socket.on('data', (d: Buffer) => {
    chunks.push(d);
    if (!scheduled) { scheduled = true; later(); }
  });
  socket.on('end', () => {
    ended = true;
    if (!scheduled) { scheduled = true; setImmediate(flush); }
  });
}
const addressOf = (s: Socket, remote: boolean) => `${remote ? s.remoteAddress : s.localAddress}:${remote ? s.remotePort : s.localPort}`;

export async function startTcpProxy(o: TcpProxyOptions): Promise<RunningTcpProxy> {
  const sockets = new Set<Socket>();
  const server = createServer({ allowHalfOpen: true }, (down) => {
    sockets.add(down);
    let up: Socket | null = null;
    let upReady = false;
    const queued: [Uint8Array, boolean][] = [];
    /**
     * Who ended the client connection last decides Envoy's close type: our end of stream after the client's
     * (or a close we decided) is LocalClose; the client's after ours is RemoteClose.
     */
    let lastEnd: PeerType = PeerType.Remote;
    const write = (s: Socket, data: Uint8Array, end: boolean) => {
      if (s.destroyed) return;
      if (data.length > 0) s.write(data);
      if (end) s.end();
    };
    const io: TcpIo = {
      connectUpstream: () => {
        const u = connect({ host: o.upstream.host, port: o.upstream.port, allowHalfOpen: true });
        up = u;
        sockets.add(u);
        u.on('connect', () => {
          upReady = true;
          conn.upstreamConnected(addressOf(u, true), addressOf(u, false));
          for (const [d, e] of queued.splice(0)) write(u, d, e);
        });
        reader(u, (d, end) => conn.onUpstreamData(d, end));
        u.on('error', () => {});
        u.on('close', () => {
          sockets.delete(u);
          // tcp_proxy closes the client's connection once the upstream one is gone (flushing what is queued).
          if (!down.destroyed && !down.writableEnded) { lastEnd = PeerType.Local; down.end(); }
        });
      },
      writeUpstream: (data, end) => {
        if (!up || !upReady) queued.push([data, end]);
        else write(up, data, end);
      },
      writeDownstream: (data, end) => {
        if (end) lastEnd = PeerType.Local;
        write(down, data, end);
      },
      closeDownstream: () => { lastEnd = PeerType.Local; down.end(); },
      closeUpstream: () => { up?.end(); },
    };
    const conn = o.host.openTcpConnection({
      id: o.host.newConnectionId(),
      sourceAddress: addressOf(down, true),
      destinationAddress: addressOf(down, false),
    }, io);
    reader(down, (d, end) => {
      if (end) lastEnd = PeerType.Remote;
      conn.onDownstreamData(d, end);
    });
    down.on('error', () => {});
    down.on('close', () => {
      sockets.delete(down);
      conn.onDownstreamClosed(lastEnd);
      if (up && !up.destroyed) up.destroy();
    });
    conn.start();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port ?? 0, '127.0.0.1', () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
