// Envoy's HTTP filter-chain state machine for Wasm filters: request headers → body → trailers through the
// plugins in order, the router, then response headers → body → trailers in reverse order, then on_log,
// on_done and on_delete. Implements pausing (StopIteration + continue_stream), local replies that skip the
// upstream and still pass through every plugin's response callbacks, body buffering limits, and traps
// failing the request per the plugin's failure policy (envoy-checked.md).
import type { LocalReply, ResumeReason, StreamContext } from './contexts.ts';
import { StreamContext as StreamCtx } from './contexts.ts';
import type { PluginSlot, Worker } from './host.ts';
import { HeaderMap } from './header-map.ts';
import { HttpStream } from './http-stream.ts';
import type { UpstreamRequest, UpstreamResponse } from './platform.ts';
import type { HostServices } from './services.ts';
import { encodeUtf8 } from './text.ts';
import type { IncomingRequest, OutgoingResponse } from './types.ts';

export interface ChainLimits {
  /** Envoy's per-connection buffer limit: buffering a body past it → 413 (request) or reset (response). */
  bufferLimitBytes: number;
  /** Header block over this → 431 before any filter (max_request_headers_kb 60). */
  maxRequestHeadersBytes: number;
  /** A stream paused longer than this gets 408 (Envoy's stream_idle_timeout, 5 min). */
  streamIdleTimeoutMs: number;
  /** Bodies are handed to filters in chunks of at most this size. */
  bodyChunkBytes: number;
}

type Outcome =
  | { kind: 'continue' }
  | { kind: 'reply'; reply: LocalReply; from: number }
  | { kind: 'reset'; details: string };

/** A filter as it sits in one request's chain. */
interface Filter {
  index: number;
  slot: PluginSlot;
  ctx: StreamContext | null;
  /** The VM was already failed when the request arrived and the policy skips the filter. */
  skipped: boolean;
}

const CONTINUE: Outcome = { kind: 'continue' };
const emptyBody = new Uint8Array(0);

function failReply(from: number): Outcome {
  return { kind: 'reply', from, reply: { status: 503, details: 'wasm_fail_stream', body: emptyBody, headers: [], grpcStatus: 14 } };
}

// Request ids are random v4 UUIDs like Envoy's; random bytes are drawn from a pool because one
// randomness syscall per request is measurably slow.
const idPool = new Uint8Array(4096);
let idPoolPos = idPool.length;

function uuid(services: HostServices): string {
  if (idPoolPos + 16 > idPool.length) {
    services.platform.randomBytes(idPool);
    idPoolPos = 0;
  }
  const b = idPool.subarray(idPoolPos, idPoolPos + 16);
  idPoolPos += 16;
  let h = '';
  for (let i = 0; i < 16; i++) {
    let x = b[i]!;
    if (i === 6) x = (x & 0x0f) | 0x40;
    else if (i === 8) x = (x & 0x3f) | 0x80;
    h += hex[x];
    if (i === 3 || i === 5 || i === 7 || i === 9) h += '-';
  }
  return h;
}

const hex = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** The router may answer synchronously (an in-process upstream) or with a promise (a real one). */
export type Router = (r: UpstreamRequest) => UpstreamResponse | Promise<UpstreamResponse>;

/** A step of the chain: a generator that yields only when it must wait for a promise. */
type Step<T> = Generator<Promise<unknown>, T, unknown>;

/** Runs a step synchronously as far as possible; returns a promise only if the step had to wait. */
function drive<T>(gen: Step<T>, input?: unknown): T | Promise<T> {
  const r = gen.next(input);
  if (r.done) return r.value;
  return r.value.then((v) => drive(gen, v), (e) => { gen.throw(e); throw e; });
}

export function runHttpStream(
  services: HostServices,
  worker: Worker,
  req: IncomingRequest,
  router: Router,
  limits: ChainLimits,
): OutgoingResponse | Promise<OutgoingResponse> {
  const p = services.platform;
  const stream = new HttpStream(req, p.nowNanos(), p.monotonicNanos(), uuid(services));
  if (stream.requestHeaders.byteSize() > limits.maxRequestHeadersBytes) {
    // The codec refuses the header block before any filter runs.
    return { status: 431, headers: [['content-length', '0']], body: emptyBody, details: 'http1.headers_too_large' };
  }
  const filters: Filter[] = worker.slots.map((slot, index) => ({
    index,
    slot,
    ctx: null,
    // FAIL_OPEN: a failed VM's filter is not added to new streams at all.
    skipped: slot.vm.failed !== null && slot.spec.failurePolicy === 'FAIL_OPEN',
  }));
  const chain = new Chain(services, stream, filters, limits);
  let result: OutgoingResponse | Promise<OutgoingResponse>;
  try {
    result = drive(chain.run(router, req));
  } catch (e) {
    chain.finish();
    throw e;
  }
  if (result instanceof Promise) return result.finally(() => chain.finish());
  chain.finish();
  return result;
}

class Chain {
  constructor(
    private readonly services: HostServices,
    private readonly stream: HttpStream,
    private readonly filters: Filter[],
    private readonly limits: ChainLimits,
  ) {}

  *run(router: Router, req: IncomingRequest): Step<OutgoingResponse> {
    const s = this.stream;
    const hasBody = s.requestBody.length > 0;
    const hasTrailers = s.requestTrailers !== null;
    // ---- decode ----
    let outcome = yield* this.eachFilter((f) => this.decodeHeaders(f, !hasBody && !hasTrailers));
    if (outcome.kind === 'continue' && hasBody) outcome = yield* this.decodeBody(!hasTrailers);
    if (outcome.kind === 'continue' && hasTrailers) outcome = yield* this.eachFilter((f) => this.decodeTrailers(f));
    if (outcome.kind === 'reset') return this.resetResponse(outcome.details);
    if (outcome.kind === 'reply') return yield* this.encodeLocalReply(outcome.reply, -1);
    // ---- router ----
    const forwarded = yield* this.forward(router, req);
    if ('refused' in forwarded) return forwarded.refused;
    return yield* this.encodeUpstream(forwarded.upstream);
  }

  /** Runs `step` for each live filter in order until one does not continue. */
  private *eachFilter(step: (f: Filter) => Step<Outcome>, reverse = false): Step<Outcome> {
    const order = reverse ? [...this.filters].reverse() : this.filters;
    for (const f of order) {
      if (f.skipped) continue;
      const o = yield* step(f);
      if (o.kind !== 'continue') return o;
    }
    return CONTINUE;
  }

  /** The filter's stream context, created on first use (proxy_on_context_create). Null when its VM failed. */
  private context(f: Filter): StreamContext | null {
    const vm = f.slot.vm;
    if (vm.failed) return null;
    if (!f.ctx) {
      f.ctx = new StreamCtx(vm.newContextId(), vm, f.slot.root, this.stream);
      vm.contexts.set(f.ctx.id, f.ctx);
    }
    if (!f.ctx.created) {
      f.ctx.created = true;
      vm.call(f.ctx, 'proxy_on_context_create', f.ctx.id, f.slot.root.id);
    }
    return vm.failed ? null : f.ctx;
  }

  /** What a request gets when its filter's VM is (or just became) failed. */
  private failedOutcome(f: Filter): Outcome {
    if (f.slot.spec.legacyFailOpen) return CONTINUE;
    return failReply(f.index);
  }

  /**
   * Calls one callback and applies Envoy's rules to its result: deferred local reply / reset / continue,
   * and waiting while the filter is stopped.
   */
  private *invoke(f: Filter, ctx: StreamContext, fn: string, args: number[], stopped: (r: number) => boolean, dir: 'request' | 'response', beforePause?: (r: number) => Outcome | null): Step<Outcome> {
    ctx.continueRequest = ctx.continueResponse = false;
    const r = f.slot.vm.call(ctx, fn, ...args);
    if (r === null) return this.failedOutcome(f);
    if (ctx.localReply) return { kind: 'reply', reply: ctx.localReply, from: f.index };
    if (ctx.closeRequested) return { kind: 'reset', details: 'wasm_close_stream' };
    if (r === undefined || !stopped(r)) return CONTINUE;
    if (dir === 'request' ? ctx.continueRequest : ctx.continueResponse) return CONTINUE;
    const instead = beforePause?.(r);
    if (instead) return instead;
    const how = (yield this.pause(ctx)) as ResumeReason;
    if (how === 'continue') return CONTINUE;
    if (how === 'reply' && ctx.localReply) return { kind: 'reply', reply: ctx.localReply, from: f.index };
    if (how === 'fail') return this.failedOutcome(f);
    if (how === 'timeout') {
      return { kind: 'reply', from: f.index, reply: { status: 408, details: 'stream_idle_timeout', body: encodeUtf8('stream timeout'), headers: [], grpcStatus: -1 } };
    }
    return { kind: 'reset', details: 'wasm_close_stream' };
  }

  private pause(ctx: StreamContext): Promise<ResumeReason> {
    const p = this.services.platform;
    return new Promise<ResumeReason>((resolve) => {
      const cancel = p.setTimeout(() => {
        if (ctx.resume) { ctx.resume = null; resolve('timeout'); }
      }, this.limits.streamIdleTimeoutMs);
      ctx.resume = (how) => { cancel(); resolve(how); };
    });
  }

  // ---- decode path ----
  private *decodeHeaders(f: Filter, endOfStream: boolean): Step<Outcome> {
    const ctx = this.context(f);
    if (!ctx) return this.failedOutcome(f);
    ctx.phase = 'request_headers';
    ctx.requestHeadersOpen = true;
    const n = this.stream.requestHeaders.entries.length;
    // Header callbacks: 0 and 2 continue (ContinueAndEndStream is not honoured), anything else stops.
    const o = yield* this.invoke(f, ctx, 'proxy_on_request_headers', [ctx.id, n, endOfStream ? 1 : 0], (r) => r !== 0 && r !== 2, 'request');
    ctx.requestHeadersOpen = false; // Envoy drops the header map once the filter moves on
    return o;
  }

  private *decodeTrailers(f: Filter): Step<Outcome> {
    const ctx = this.context(f);
    if (!ctx) return this.failedOutcome(f);
    ctx.phase = 'request_trailers';
    return yield* this.invoke(f, ctx, 'proxy_on_request_trailers', [ctx.id, this.stream.requestTrailers!.entries.length], (r) => r !== 0, 'request');
  }

  /** Streams the request body through the filters in chunks, honouring per-filter buffering. */
  private *decodeBody(endOfStream: boolean): Step<Outcome> {
    let chunks = splitChunks(this.stream.requestBody, this.limits.bodyChunkBytes);
    for (const f of this.filters) {
      if (f.skipped) continue;
      const result = yield* this.bodyThroughFilter(f, chunks, endOfStream, 'request');
      if ('kind' in result) return result;
      chunks = result.chunks;
    }
    this.stream.requestBody = concat(chunks);
    return CONTINUE;
  }

  private *bodyThroughFilter(f: Filter, input: Uint8Array[], endOfStream: boolean, dir: 'request' | 'response'): Step<Outcome | { chunks: Uint8Array[] }> {
    const ctx = this.context(f);
    if (!ctx) {
      const o = this.failedOutcome(f);
      return o.kind === 'continue' ? { chunks: input } : o;
    }
    const out: Uint8Array[] = [];
    let buffered: Uint8Array | null = null;
    const fn = dir === 'request' ? 'proxy_on_request_body' : 'proxy_on_response_body';
    for (let i = 0; i < input.length; i++) {
      const eos = endOfStream && i === input.length - 1;
      const data = buffered ? concat([buffered, input[i]!]) : input[i]!;
      if (dir === 'request') {
        this.stream.requestBody = data;
        if (f === this.firstLive()) this.stream.requestBytesReceived += input[i]!.length;
      } else {
        this.stream.responseBody = data;
        if (f === this.firstLive(true)) this.stream.responseBytesReceived += input[i]!.length;
      }
      ctx.phase = dir === 'request' ? 'request_body' : 'response_body';
      let stoppedWith = 0;
      // StopIterationAndBuffer holds the data in Envoy's buffer, even at end of stream: the limit applies.
      const overLimit = (r: number) => (r === 1 && data.length > this.limits.bufferLimitBytes ? this.overLimit(dir) : null);
      const o = yield* this.invoke(f, ctx, fn, [ctx.id, data.length, eos ? 1 : 0], (r) => { stoppedWith = r; return r !== 0 && eos; }, dir, overLimit);
      const current = dir === 'request' ? this.stream.requestBody : this.stream.responseBody;
      if (o.kind !== 'continue') return o;
      if (stoppedWith !== 0 && !eos) {
        // StopIterationAndBuffer (and the watermark variants): keep accumulating for this filter.
        buffered = current;
        if (stoppedWith === 1 && buffered.length > this.limits.bufferLimitBytes) return this.overLimit(dir);
        continue;
      }
      buffered = null;
      out.push(current);
    }
    if (buffered) out.push(buffered);
    return { chunks: out };
  }

  /** The first filter data reaches (the codec's side of the chain): it counts the bytes received. */
  private firstLive(reverse = false): Filter | undefined {
    const order = reverse ? [...this.filters].reverse() : this.filters;
    return order.find((f) => !f.skipped);
  }

  private overLimit(dir: 'request' | 'response'): Outcome {
    if (dir === 'request') {
      return { kind: 'reply', from: -1, reply: { status: 413, details: 'request_payload_too_large', body: encodeUtf8('Payload Too Large'), headers: [], grpcStatus: -1 } };
    }
    return { kind: 'reset', details: 'response_payload_too_large' };
  }

  // ---- router ----
  private *forward(router: Router, req: IncomingRequest): Step<{ upstream: UpstreamResponse } | { refused: OutgoingResponse }> {
    const h = this.stream.requestHeaders;
    const headers: [string, string][] = [];
    for (const [k, v] of h.entries) if (!k.startsWith(':')) headers.push([k, v]);
    for (const [, v] of headers) {
      if (/[\0\r\n]/.test(v)) {
        // A plugin may set such a value (the host call succeeds); the codec then refuses the request.
        return { refused: yield* this.encodeLocalReply({ status: 503, details: 'invalid_header_value', body: emptyBody, headers: [], grpcStatus: -1 }, -1) };
      }
    }
    // The router adds its timeout header to the request map itself (visible in on_log).
    h.add('x-envoy-expected-rq-timeout-ms', '15000');
    headers.push(['x-envoy-expected-rq-timeout-ms', '15000']);
    // Envoy's HTTP/1 codec announces an empty body on bodiless requests (POST, PUT, PATCH, OPTIONS …) but not
    // on GET, HEAD, DELETE (checked against Envoy 1.40), CONNECT or TRACE.
    const method = h.get(':method') ?? req.method;
    if (this.stream.requestBody.length === 0 && !h.has('content-length') && !h.has('transfer-encoding') && !/^(GET|HEAD|DELETE|CONNECT|TRACE)$/.test(method)) {
      headers.push(['content-length', '0']);
    }
    this.stream.upstreamAttempts = 1;
    const p = this.services.platform;
    this.stream.upstreamStartNanos = p.monotonicNanos();
    const pending = router({
      method: h.get(':method') ?? req.method,
      path: h.get(':path') ?? req.path,
      authority: h.get(':authority') ?? req.authority,
      scheme: h.get(':scheme') ?? req.scheme,
      headers,
      body: this.stream.requestBody,
    });
    const resp = pending instanceof Promise ? ((yield pending) as UpstreamResponse) : pending;
    this.stream.upstreamEndNanos = p.monotonicNanos();
    this.stream.upstreamAddress = resp.remoteAddress ?? null;
    this.stream.upstreamLocalAddress = resp.localAddress ?? null;
    return { upstream: resp };
  }

  // ---- encode path ----
  private *encodeUpstream(u: UpstreamResponse): Step<OutgoingResponse> {
    const s = this.stream;
    s.responseHeaders = new HeaderMap([[':status', String(u.status)], ...u.headers]);
    // The router stamps its measure of the upstream's time before the encoder filters see the headers.
    const ms = s.upstreamEndNanos !== null && s.upstreamStartNanos !== null ? (s.upstreamEndNanos - s.upstreamStartNanos) / 1_000_000n : 0n;
    s.responseHeaders.add('x-envoy-upstream-service-time', String(ms));
    s.responseBody = u.body;
    s.responseTrailers = u.trailers && u.trailers.length ? new HeaderMap(u.trailers) : null;
    s.responseCodeDetails = 'via_upstream';
    s.responseCode = u.status;
    return yield* this.encode(-1);
  }

  /** Builds Envoy's local reply headers and sends the reply through the response callbacks. */
  private *encodeLocalReply(reply: LocalReply, skipIndex: number): Step<OutgoingResponse> {
    const s = this.stream;
    const h = new HeaderMap([[':status', String(reply.status)]]);
    for (const [k, v] of reply.headers) h.add(k, v);
    if (reply.body.length > 0) {
      h.replace('content-length', String(reply.body.length));
      if (!h.has('content-type')) h.add('content-type', 'text/plain');
    } else {
      h.remove('content-length'); // the codec writes `content-length: 0` itself, after date and server
      h.remove('content-type');
    }
    s.responseHeaders = h;
    s.responseBody = reply.body;
    s.responseTrailers = null;
    s.responseCodeDetails = reply.details;
    s.responseCode = reply.status;
    return yield* this.encode(skipIndex);
  }

  /** Response headers → body → trailers through the filters in reverse order. */
  private *encode(skipIndex: number): Step<OutgoingResponse> {
    const s = this.stream;
    const hasBody = s.responseBody.length > 0;
    const hasTrailers = s.responseTrailers !== null;
    for (const f of [...this.filters].reverse()) {
      if (f.skipped || f.index === skipIndex) continue;
      const o = yield* this.encodeHeaders(f, !hasBody && !hasTrailers);
      if (o.kind === 'reply') return yield* this.encodeLocalReplyFrom(o.reply, f.index);
      if (o.kind === 'reset') return this.resetResponse(o.details);
    }
    // Headers are now "sent": a failure from here on resets the stream after a 200-style start.
    if (hasBody) {
      let chunks = splitChunks(s.responseBody, this.limits.bodyChunkBytes);
      for (const f of [...this.filters].reverse()) {
        if (f.skipped) continue;
        const r = yield* this.bodyThroughFilter(f, chunks, !hasTrailers, 'response');
        if ('kind' in r) return this.resetAfterHeaders(r.kind === 'reset' ? r.details : 'wasm_fail_stream');
        chunks = r.chunks;
      }
      s.responseBody = concat(chunks);
    }
    if (hasTrailers) {
      for (const f of [...this.filters].reverse()) {
        if (f.skipped) continue;
        const ctx = this.context(f);
        if (!ctx) continue;
        ctx.phase = 'response_trailers';
        const o = yield* this.invoke(f, ctx, 'proxy_on_response_trailers', [ctx.id, s.responseTrailers!.entries.length], (r) => r !== 0, 'response');
        if (o.kind !== 'continue') return this.resetAfterHeaders('wasm_fail_stream');
      }
    }
    return this.finalResponse(false);
  }

  private encodeLocalReplyFrom(reply: LocalReply, index: number): Step<OutgoingResponse> {
    // A reply from a response callback replaces the upstream's answer; that filter is not called again.
    return this.encodeLocalReply(reply, index);
  }

  private *encodeHeaders(f: Filter, endOfStream: boolean): Step<Outcome> {
    const ctx = this.context(f);
    if (!ctx) return this.failedOutcome(f);
    ctx.phase = 'response_headers';
    ctx.responseHeadersOpen = true;
    ctx.localReply = null; // a decode-side reply has been delivered; the response path may send its own
    const n = this.stream.responseHeaders!.entries.length;
    const o = yield* this.invoke(f, ctx, 'proxy_on_response_headers', [ctx.id, n, endOfStream ? 1 : 0], (r) => r !== 0 && r !== 2, 'response');
    ctx.responseHeadersOpen = false;
    return o;
  }

  private finalResponse(reset: boolean): OutgoingResponse {
    const s = this.stream;
    const h = s.responseHeaders!;
    const status = Number(h.get(':status') ?? '200');
    s.responseCode = status;
    // After the filters, the connection manager sets `date` (when missing) and overwrites `server`.
    if (!h.has('date')) h.add('date', httpDate(this.services.platform.nowNanos()));
    h.replace('server', 'envoy');
    if (s.closeConnection) h.setInPlace('connection', 'close');
    // The codec frames the body; 1xx, 204 and 304 answers carry none.
    const bodiless = status < 200 || status === 204 || status === 304;
    if (!bodiless && !h.has('content-length') && !h.has('transfer-encoding') && !reset) h.add('content-length', String(s.responseBody.length));
    const headers = h.entries.filter(([k]) => !k.startsWith(':'));
    return {
      status,
      headers,
      body: s.responseBody,
      trailers: s.responseTrailers?.entries,
      details: s.responseCodeDetails,
      reset,
    };
  }

  private resetResponse(details: string): OutgoingResponse {
    this.stream.responseCodeDetails = details;
    return { status: 0, headers: [], body: emptyBody, details, reset: true };
  }

  private resetAfterHeaders(details: string): OutgoingResponse {
    this.stream.responseCodeDetails = details;
    const r = this.finalResponse(true);
    return { ...r, body: emptyBody, details };
  }

  /** on_log, on_done and on_delete for every filter (contexts are created for filters never reached). */
  finish(): void {
    const s = this.stream;
    s.endNanos = this.services.platform.nowNanos();
    if (s.responseCode === null && s.responseHeaders) s.responseCode = Number(s.responseHeaders.get(':status') ?? 0);
    for (const f of this.filters) {
      if (f.skipped) continue;
      const ctx = this.context(f);
      if (!ctx) continue;
      ctx.phase = 'log';
      ctx.resume = null;
      f.slot.vm.call(ctx, 'proxy_on_log', ctx.id);
    }
    for (const f of this.filters) {
      const ctx = f.ctx;
      if (!ctx || f.skipped) continue;
      ctx.phase = 'none';
      f.slot.vm.call(ctx, 'proxy_on_done', ctx.id);
      f.slot.vm.call(ctx, 'proxy_on_delete', ctx.id);
      ctx.deleted = true;
      f.slot.vm.contexts.delete(ctx.id);
    }
  }
}

/**
 * Body chunks as Envoy's HTTP/1 codec hands them to filters: the data in slices with end_of_stream false,
 * then an empty last call with end_of_stream true ("often a last call with size 0", envoy-checked.md).
 */
function splitChunks(body: Uint8Array, size: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let i = 0; i < body.length; i += size) out.push(body.subarray(i, Math.min(body.length, i + size)));
  out.push(emptyBody);
  return out;
}

function httpDate(nanos: bigint): string {
  return new Date(Number(nanos / 1_000_000n)).toUTCString();
}

function concat(parts: Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  const n = parts.reduce((a, b) => a + b.length, 0);
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) { out.set(p, o); o += p.length; }
  return out;
}
