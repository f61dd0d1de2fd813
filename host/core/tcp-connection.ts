// Envoy's network-filter chain for Wasm filters in front of tcp_proxy, for one downstream connection:
// proxy_on_new_connection and proxy_on_downstream_data through the filters in order (Envoy's
// onContinueReading: a stopped filter keeps the bytes in the connection's read buffer, and the next read
// runs the chain again from the first filter with everything buffered), proxy_on_upstream_data through
// them in reverse order (write filters), proxy_on_upstream_connection_close after an upstream end of stream,
// proxy_on_downstream_connection_close with the close type, then on_done, on_log, on_delete
// (Envoy's onCloseTCP). The platform adapter moves the bytes (host/node/tcp-proxy.ts).
import { TcpContext, type TcpStreamState } from './contexts.ts';
import type { PluginSlot, Worker } from './host.ts';
import type { ConnectionInfo } from './types.ts';

/** What the core asks of the platform's sockets. */
export interface TcpIo {
  /** tcp_proxy: open the upstream connection (once every filter let the new connection through). */
  connectUpstream(): void;
  /** Bytes for the upstream; endStream half-closes it. Writes before the connection is up are queued. */
  writeUpstream(data: Uint8Array, endStream: boolean): void;
  writeDownstream(data: Uint8Array, endStream: boolean): void;
  /** Closes a side after flushing what was written to it (proxy_close_stream, a failed VM). */
  closeDownstream(): void;
  closeUpstream(): void;
}

/** Envoy's CloseType / PeerType. */
export const enum PeerType { Unknown = 0, Local = 1, Remote = 2 }

interface NetFilter {
  slot: PluginSlot;
  ctx: TcpContext | null;
  /** Envoy's `initialized_`: on_new_connection has run for this filter. */
  initialized: boolean;
}

const empty = new Uint8Array(0);

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) return b;
  if (b.length === 0) return a;
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

export class TcpConnection {
  readonly state: TcpStreamState;
  private readonly filters: NetFilter[];
  private proxyInitialized = false;
  private readEnd = false;
  private writeEnd = false;
  private downstreamClosed = false;
  /** The connection is closing or closed: no more filter callbacks for data. */
  private open = true;

  constructor(worker: Worker, connection: ConnectionInfo, private readonly io: TcpIo) {
    this.state = { connection, readBuffer: empty, writeBuffer: empty, filterState: new Map(), upstreamAddress: null, upstreamLocalAddress: null };
    this.filters = worker.slots.map((slot) => ({ slot, ctx: null, initialized: false }));
  }

  /** A new downstream connection: runs the chain (on_new_connection, then tcp_proxy connects). */
  start(): void { this.continueFrom(0); }

  /** The upstream connection is up (its addresses become the upstream.* properties). */
  upstreamConnected(remoteAddress: string, localAddress: string): void {
    this.state.upstreamAddress = remoteAddress;
    this.state.upstreamLocalAddress = localAddress;
  }

  /** Bytes (or the end of stream) read from the client. */
  onDownstreamData(data: Uint8Array, endStream: boolean): void {
    if (!this.open) return;
    this.state.readBuffer = concat(this.state.readBuffer, data);
    this.readEnd ||= endStream;
    this.continueFrom(0);
  }

  /** Bytes (or the end of stream) from the upstream, on their way to the client through the write filters. */
  onUpstreamData(data: Uint8Array, endStream: boolean): void {
    if (!this.open) return;
    this.state.writeBuffer = concat(this.state.writeBuffer, data);
    this.writeEnd ||= endStream;
    for (let i = this.filters.length - 1; i >= 0; i--) {
      const f = this.filters[i]!;
      const ctx = this.live(f);
      if (!ctx) continue;
      ctx.phase = 'upstream_data';
      const r = f.slot.vm.call(ctx, 'proxy_on_upstream_data', ctx.id, this.state.writeBuffer.length, this.writeEnd ? 1 : 0);
      ctx.phase = 'none';
      if (this.writeEnd) this.upstreamConnectionClose(f, ctx);
      if (this.afterCallback(f, ctx, r) === 'stop') return;
    }
    const out = this.state.writeBuffer;
    this.state.writeBuffer = empty;
    this.io.writeDownstream(out, endStream && this.writeEnd);
  }

  /** The downstream connection closed: Local when this side closed it, Remote when the peer did. */
  onDownstreamClosed(peer: PeerType): void {
    if (this.downstreamClosed) return;
    this.downstreamClosed = true;
    this.open = false;
    for (const f of this.filters) {
      const ctx = this.live(f);
      if (!ctx) continue;
      ctx.phase = 'close';
      f.slot.vm.call(ctx, 'proxy_on_downstream_connection_close', ctx.id, peer);
      this.closeTcp(f, ctx);
    }
  }

  /** Envoy's onContinueReading: from filter `from` on, new-connection then data callbacks; then tcp_proxy. */
  private continueFrom(from: number): void {
    for (let i = from; i < this.filters.length; i++) {
      if (!this.open) return;
      const f = this.filters[i]!;
      if (!f.initialized) {
        f.initialized = true;
        const ctx = this.create(f);
        if (!ctx && !(f.slot.spec.failurePolicy === 'FAIL_OPEN' || f.slot.spec.legacyFailOpen)) {
          // Its VM has failed: fail closed, as HTTP streams get 503 (FAIL_OPEN leaves the filter out).
          this.io.closeDownstream();
          this.open = false;
          return;
        }
        if (ctx) {
          ctx.phase = 'new_connection';
          const r = f.slot.vm.call(ctx, 'proxy_on_new_connection', ctx.id);
          ctx.phase = 'none';
          if (this.afterCallback(f, ctx, r, i) === 'stop') return;
        }
      }
      if (this.state.readBuffer.length > 0 || this.readEnd) {
        const ctx = this.live(f);
        if (!ctx) continue;
        ctx.phase = 'downstream_data';
        const r = f.slot.vm.call(ctx, 'proxy_on_downstream_data', ctx.id, this.state.readBuffer.length, this.readEnd ? 1 : 0);
        ctx.phase = 'none';
        if (this.afterCallback(f, ctx, r, i) === 'stop') return;
      }
    }
    if (!this.open) return;
    // tcp_proxy: connects on its new-connection step, then takes (drains) whatever reaches it.
    if (!this.proxyInitialized) {
      this.proxyInitialized = true;
      this.io.connectUpstream();
    }
    if (this.state.readBuffer.length > 0 || this.readEnd) {
      const out = this.state.readBuffer;
      this.state.readBuffer = empty;
      const end = this.readEnd;
      if (out.length > 0 || end) this.io.writeUpstream(out, end);
      this.readEnd = false; // the end of stream is delivered once
    }
  }

  /**
   * Applies what the callback asked for (deferred in Envoy until it returns) and decides whether the chain
   * goes on: a trapped VM closes the connection; StopIteration stops it unless the filter also continued.
   */
  private afterCallback(f: NetFilter, ctx: TcpContext, r: number | undefined | null, index?: number): 'go' | 'stop' {
    if (r === null) {
      // The VM failed: Envoy fails the stream, which for a connection means closing it.
      this.io.closeDownstream();
      this.open = false;
      return 'stop';
    }
    const continued = ctx.continueReading;
    ctx.continueReading = false;
    ctx.resume = null;
    if (ctx.closeUpstream) { ctx.closeUpstream = false; this.io.closeUpstream(); }
    if (ctx.closeDownstream) {
      ctx.closeDownstream = false;
      this.io.closeDownstream();
      this.open = false;
      return 'stop';
    }
    if (r === undefined || r === 0 || continued) return 'go';
    if (index !== undefined) this.watchForContinue(ctx, index);
    return 'stop';
  }

  /** A filter that stopped may continue later (from a callout or a timer): proxy_continue_stream(Downstream). */
  private watchForContinue(ctx: TcpContext, index: number): void {
    ctx.resume = () => {
      ctx.continueReading = false;
      if (this.open && !ctx.deleted) this.continueFrom(index + 1);
    };
  }

  private upstreamConnectionClose(f: NetFilter, ctx: TcpContext): void {
    f.slot.vm.call(ctx, 'proxy_on_upstream_connection_close', ctx.id, PeerType.Unknown);
    if (this.downstreamClosed) this.closeTcp(f, ctx);
  }

  /** Envoy's onCloseTCP: on_done, on_log, on_delete, once. */
  private closeTcp(f: NetFilter, ctx: TcpContext): void {
    if (ctx.deleted) return;
    ctx.phase = 'done';
    const vm = f.slot.vm;
    vm.call(ctx, 'proxy_on_done', ctx.id);
    vm.call(ctx, 'proxy_on_log', ctx.id);
    vm.call(ctx, 'proxy_on_delete', ctx.id);
    ctx.deleted = true;
    vm.contexts.delete(ctx.id);
  }

  /** Creates the filter's context (proxy_on_context_create); null when its VM has failed. */
  private create(f: NetFilter): TcpContext | null {
    const vm = f.slot.vm;
    if (vm.failed) return null;
    const ctx = new TcpContext(vm.newContextId(), vm, f.slot.root, this.state);
    f.ctx = ctx;
    vm.contexts.set(ctx.id, ctx);
    vm.call(ctx, 'proxy_on_context_create', ctx.id, f.slot.root.id);
    return vm.failed ? null : ctx;
  }

  private live(f: NetFilter): TcpContext | null {
    const ctx = f.ctx;
    return ctx && !ctx.deleted && !f.slot.vm.failed ? ctx : null;
  }
}
