// Envoy's HTTP filter-chain state machine for Wasm filters: request headers → body → trailers through the
// plugins in order, the router, then response headers → body → trailers in reverse order, then on_log,
// on_done and on_delete. Implements pausing (StopIteration + continue_stream), local replies that skip the
// upstream and still pass through every plugin's response callbacks, body buffering limits, and traps
// failing the request per the plugin's failure policy (envoy-checked.md).
import type { LocalReply, ResumeReason, StreamContext } from './contexts.ts';
import { StreamContext as StreamCtx } from './contexts.ts';
import type { PluginSlot, Worker } from './host.ts';
import { HeaderMap, isInvalidHeaderValue } from './header-map.ts';
import { HttpStream } from './http-stream.ts';
import type { UpstreamRequest, UpstreamResponse } from './platform.ts';
import type { HostServices } from './services.ts';
import { decodeLatin1, encodeUtf8 } from './text.ts';
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


const headersTooLargeBody = new TextEncoder().encode('Request Header Fields Too Large');
/** A filter as it sits in one request's chain. */
interface Filter {
  index: number;
  slot: PluginSlot;
  ctx: StreamContext | null;
  /** The VM was already failed when the request arrived and the policy skips the filter. */
  skipped: boolean;
}

const CONTINUE: Outcome = { kind: 'continue' };
/** A callback stopped the stream: the caller waits (waitResume) for the filter to resume it. */
type Paused = { kind: 'paused' };
const PAUSED: Paused = { kind: 'paused' };
const emptyBody = new Uint8Array(0);

// Module-level predicates: no closure is created per request for them.
/** Header callbacks: 0 and 2 continue (ContinueAndEndStream is not honoured), anything else stops. */
const headersStop = (r: number) => r !== 0 && r !== 2;
const trailersStop = (r: number) => r !== 0;
/** Methods whose bodiless requests get no `content-length: 0` from Envoy's HTTP/1 codec. */
const noEmptyBodyLength = new Set(['GET', 'HEAD', 'DELETE', 'CONNECT', 'TRACE']);

/** Body callbacks before the end of stream never wait: a stop there means "buffer" (handled by the caller). */
const neverStop = () => false;
/** Called only for data over the buffer limit: StopIterationAndBuffer (1) then fails the stream. */
const requestOverLimit = (r: number): Outcome | null => (r === 1
  ? { kind: 'reply', from: -1, reply: { status: 413, details: 'request_payload_too_large', body: encodeUtf8('Payload Too Large'), headers: [], grpcStatus: -1 } }
  : null);
const responseOverLimit = (r: number): Outcome | null => (r === 1 ? { kind: 'reset', details: 'response_payload_too_large' } : null);

/** The codec's header-size limit; UTF-8 takes at most 3 bytes per UTF-16 unit, so most blocks need no counting. */
function headerBlockTooLarge(stream: HttpStream, max: number): boolean {
  let units = 0;
  for (const e of stream.requestHeaders.entries) units += e[0].length + e[1].length;
  return units * 3 > max && stream.requestHeaders.byteSize() > max;
}

// The `date` header, formatted once per second (Envoy caches it the same way).
let dateSecond = -1;
let dateText = '';

function failReply(from: number): Outcome {
  return { kind: 'reply', from, reply: { status: 503, details: 'wasm_fail_stream', body: emptyBody, headers: [], grpcStatus: 14 } };
}

// Request ids are random v4 UUIDs like Envoy's; random bytes are drawn from a pool because one
// randomness syscall per request is measurably slow.
const idPool = new Uint8Array(65536);
let idPoolPos = idPool.length;

function uuid(services: HostServices): string {
  if (idPoolPos + 16 > idPool.length) {
    services.platform.randomBytes(idPool);
    idPoolPos = 0;
  }
  const b = idPool;
  const o = idPoolPos;
  idPoolPos += 16;
  // Hex digits written into one buffer and read as one flat string: a fifth of the cost of 20 concatenations.
  const out = idText;
  for (let i = 0; i < 16; i++) {
    let v = b[o + i]!;
    if (i === 6) v = (v & 0x0f) | 0x40; // version 4
    else if (i === 8) v = (v & 0x3f) | 0x80; // the RFC 4122 variant
    const p = idDigitAt[i]!;
    out[p] = hexDigits[v >> 4]!;
    out[p + 1] = hexDigits[v & 15]!;
  }
  return decodeLatin1(out, 0, 36);
}

const hexDigits = Uint8Array.from('0123456789abcdef', (c) => c.charCodeAt(0));
// Where each byte's two digits go in 8-4-4-4-12; the dashes stay in place.
const idDigitAt = [0, 2, 4, 6, 9, 11, 14, 16, 19, 21, 24, 26, 28, 30, 32, 34];
const idText = new Uint8Array(36);
for (const p of [8, 13, 18, 23]) idText[p] = 0x2d;

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
  if (headerBlockTooLarge(stream, limits.maxRequestHeadersBytes)) {
    // The codec refuses the header block before any filter runs; Envoy's local reply carries the reason phrase.
    return {
      status: 431,
      // The connection manager stamps it like any response (checked: Envoy 1.40 sends date and server too).
      headers: [
        ['content-length', String(headersTooLargeBody.length)], ['content-type', 'text/plain'],
        ['date', httpDate(p.nowNanos())], ['server', 'envoy'],
      ],
      body: headersTooLargeBody,
      details: 'http1.headers_too_large',
    };
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
  /** The first filter data reaches on the request path and on the response path (the codec's side). */
  private readonly firstRequestFilter: Filter | undefined;
  private readonly firstResponseFilter: Filter | undefined;

  constructor(
    private readonly services: HostServices,
    private readonly stream: HttpStream,
    private readonly filters: Filter[],
    private readonly limits: ChainLimits,
  ) {
    for (const f of filters) if (!f.skipped) { this.firstRequestFilter ??= f; this.firstResponseFilter = f; }
  }

  *run(router: Router, req: IncomingRequest): Step<OutgoingResponse> {
    const s = this.stream;
    const hasBody = s.requestBody.length > 0;
    const hasTrailers = s.requestTrailers !== null;
    // ---- decode ----
    let outcome: Outcome = CONTINUE;
    for (const f of this.filters) {
      if (f.skipped) continue;
      const ctx = this.context(f);
      if (!ctx) outcome = this.failedOutcome(f);
      else {
        const o = this.decodeHeaders(f, ctx, !hasBody && !hasTrailers);
        if (o.kind === 'paused') {
          outcome = yield* this.waitResume(f, ctx);
          ctx.requestHeadersOpen = false;
        } else outcome = o;
      }
      if (outcome.kind !== 'continue') break;
    }
    if (outcome.kind === 'continue' && hasBody) outcome = yield* this.decodeBody(!hasTrailers);
    if (outcome.kind === 'continue' && hasTrailers) {
      for (const f of this.filters) {
        if (f.skipped) continue;
        outcome = yield* this.decodeTrailers(f);
        if (outcome.kind !== 'continue') break;
      }
    }
    if (outcome.kind === 'reset') return this.resetResponse(outcome.details);
    if (outcome.kind === 'reply') return yield* this.encodeLocalReply(outcome.reply, -1);
    // ---- router ----
    const upstreamReq = this.upstreamRequest(req);
    if (upstreamReq === null) {
      // A plugin may set such a value (the host call succeeds); the codec then refuses the request.
      return yield* this.encodeLocalReply({ status: 503, details: 'invalid_header_value', body: emptyBody, headers: [], grpcStatus: -1 }, -1);
    }
    const p = this.services.platform;
    this.stream.upstreamAttempts = 1;
    this.stream.upstreamStartNanos = p.monotonicNanos();
    const pending = router(upstreamReq);
    const resp = pending instanceof Promise ? ((yield pending) as UpstreamResponse) : pending;
    this.stream.upstreamEndNanos = p.monotonicNanos();
    this.stream.upstreamAddress = resp.remoteAddress ?? null;
    this.stream.upstreamLocalAddress = resp.localAddress ?? null;
    this.takeUpstreamResponse(resp);
    return yield* this.encode(-1);
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
      vm.call3(f.ctx, 'proxy_on_context_create', f.ctx.id, f.slot.root.id, 0);
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
  private invoke(f: Filter, ctx: StreamContext, fn: string, a: number, b: number, c: number, stopped: (r: number) => boolean, dir: 'request' | 'response', beforePause?: (r: number) => Outcome | null): Outcome | Paused {
    ctx.continueRequest = ctx.continueResponse = false;
    const r = f.slot.vm.call3(ctx, fn, a, b, c);
    this.lastResult = r ?? 0;
    if (r === null) return this.failedOutcome(f);
    if (ctx.localReply) return { kind: 'reply', reply: ctx.localReply, from: f.index };
    if (ctx.closeRequested) return { kind: 'reset', details: 'wasm_close_stream' };
    if (r === undefined || !stopped(r)) return CONTINUE;
    if (dir === 'request' ? ctx.continueRequest : ctx.continueResponse) return CONTINUE;
    const instead = beforePause?.(r);
    if (instead) return instead;
    return PAUSED;
  }

  /** Waits for a stopped filter to be resumed (continue, local reply, reset, failure or the idle timeout). */
  private *waitResume(f: Filter, ctx: StreamContext): Step<Outcome> {
    const how = (yield this.pause(ctx)) as ResumeReason;
    if (how === 'continue') return CONTINUE;
    if (how === 'reply' && ctx.localReply) return { kind: 'reply', reply: ctx.localReply, from: f.index };
    if (how === 'fail') return this.failedOutcome(f);
    if (how === 'timeout') {
      return { kind: 'reply', from: f.index, reply: { status: 408, details: 'stream_idle_timeout', body: encodeUtf8('stream timeout'), headers: [], grpcStatus: -1 } };
    }
    return { kind: 'reset', details: 'wasm_close_stream' };
  }

  /** The raw result of the latest callback (body callbacks need it besides the outcome). */
  private lastResult = 0;

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
  /** proxy_on_request_headers; PAUSED leaves the headers reachable until `afterHeaders` (after the wait). */
  private decodeHeaders(f: Filter, ctx: StreamContext, endOfStream: boolean): Outcome | Paused {
    ctx.phase = 'request_headers';
    ctx.requestHeadersOpen = true;
    const n = this.stream.requestHeaders.entries.length;
    const o = this.invoke(f, ctx, 'proxy_on_request_headers', ctx.id, n, endOfStream ? 1 : 0, headersStop, 'request');
    if (o.kind !== 'paused') ctx.requestHeadersOpen = false; // Envoy drops the header map once the filter moves on
    return o;
  }

  private *decodeTrailers(f: Filter): Step<Outcome> {
    const ctx = this.context(f);
    if (!ctx) return this.failedOutcome(f);
    ctx.phase = 'request_trailers';
    const i = this.invoke(f, ctx, 'proxy_on_request_trailers', ctx.id, this.stream.requestTrailers!.entries.length, 0, trailersStop, 'request');
    return i.kind === 'paused' ? yield* this.waitResume(f, ctx) : i;
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
        if (f === this.firstRequestFilter) this.stream.requestBytesReceived += input[i]!.length;
      } else {
        this.stream.responseBody = data;
        if (f === this.firstResponseFilter) this.stream.responseBytesReceived += input[i]!.length;
      }
      ctx.phase = dir === 'request' ? 'request_body' : 'response_body';
      // StopIterationAndBuffer holds the data in Envoy's buffer, even at end of stream: the limit applies.
      const inv = this.invoke(f, ctx, fn, ctx.id, data.length, eos ? 1 : 0, eos ? trailersStop : neverStop, dir,
        data.length > this.limits.bufferLimitBytes ? (dir === 'request' ? requestOverLimit : responseOverLimit) : undefined);
      const stoppedWith = this.lastResult;
      const o = inv.kind === 'paused' ? yield* this.waitResume(f, ctx) : inv;
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

  private overLimit(dir: 'request' | 'response'): Outcome {
    return dir === 'request' ? requestOverLimit(1)! : responseOverLimit(1)!;
  }

  // ---- router ----
  /** What the router sends upstream, or null when the codec refuses a header value (NUL, CR, LF). */
  private upstreamRequest(req: IncomingRequest): UpstreamRequest | null {
    const h = this.stream.requestHeaders;
    const headers: [string, string][] = [];
    for (const e of h.entries) if (e[0].charCodeAt(0) !== 58 /* ':' */) headers.push(e);
    // Only a pseudo-header-free value counts (NUL/CR/LF in :path is the codec's business elsewhere).
    if (h.suspect && headers.some((e) => isInvalidHeaderValue(e[1]))) return null;
    // The router adds its timeout header to the request map itself (visible in on_log).
    h.addTrusted('x-envoy-expected-rq-timeout-ms', '15000');
    headers.push(['x-envoy-expected-rq-timeout-ms', '15000']);
    // Envoy's HTTP/1 codec announces an empty body on bodiless requests (POST, PUT, PATCH, OPTIONS …) but not
    // on GET, HEAD, DELETE (checked against Envoy 1.40), CONNECT or TRACE.
    const method = h.get(':method') ?? req.method;
    if (this.stream.requestBody.length === 0 && !noEmptyBodyLength.has(method) && !h.has('content-length') && !h.has('transfer-encoding')) {
      headers.push(['content-length', '0']);
    }
    return {
      method,
      path: h.get(':path') ?? req.path,
      authority: h.get(':authority') ?? req.authority,
      scheme: h.get(':scheme') ?? req.scheme,
      headers,
      body: this.stream.requestBody,
    };
  }

  // ---- encode path ----
  /** The upstream's answer becomes the response the encoder filters see. */
  private takeUpstreamResponse(u: UpstreamResponse): void {
    const s = this.stream;
    const entries: [string, string][] = [[':status', String(u.status)]];
    for (const [k, v] of u.headers) entries.push([k.toLowerCase(), v]);
    s.responseHeaders = HeaderMap.adopt(entries);
    // The router stamps its measure of the upstream's time before the encoder filters see the headers.
    const ms = s.upstreamEndNanos !== null && s.upstreamStartNanos !== null ? (s.upstreamEndNanos - s.upstreamStartNanos) / 1_000_000n : 0n;
    s.responseHeaders.addTrusted('x-envoy-upstream-service-time', String(ms));
    s.responseBody = u.body;
    s.responseTrailers = u.trailers && u.trailers.length ? new HeaderMap(u.trailers) : null;
    s.responseCodeDetails = 'via_upstream';
    s.responseCode = u.status;
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
    for (let i = this.filters.length - 1; i >= 0; i--) {
      const f = this.filters[i]!;
      if (f.skipped || f.index === skipIndex) continue;
      const ctx = this.context(f);
      let o: Outcome;
      if (!ctx) o = this.failedOutcome(f);
      else {
        const e = this.encodeHeaders(f, ctx, !hasBody && !hasTrailers);
        if (e.kind === 'paused') {
          o = yield* this.waitResume(f, ctx);
          ctx.responseHeadersOpen = false;
        } else o = e;
      }
      if (o.kind === 'reply') return yield* this.encodeLocalReplyFrom(o.reply, f.index);
      if (o.kind === 'reset') return this.resetResponse(o.details);
    }
    // Headers are now "sent": a failure from here on resets the stream after a 200-style start.
    if (hasBody) {
      let chunks = splitChunks(s.responseBody, this.limits.bodyChunkBytes);
      for (let i = this.filters.length - 1; i >= 0; i--) {
        const f = this.filters[i]!;
        if (f.skipped) continue;
        const r = yield* this.bodyThroughFilter(f, chunks, !hasTrailers, 'response');
        if ('kind' in r) return this.resetAfterHeaders(r.kind === 'reset' ? r.details : 'wasm_fail_stream');
        chunks = r.chunks;
      }
      s.responseBody = concat(chunks);
    }
    if (hasTrailers) {
      for (let i = this.filters.length - 1; i >= 0; i--) {
        const f = this.filters[i]!;
        if (f.skipped) continue;
        const ctx = this.context(f);
        if (!ctx) continue;
        ctx.phase = 'response_trailers';
        const inv = this.invoke(f, ctx, 'proxy_on_response_trailers', ctx.id, s.responseTrailers!.entries.length, 0, trailersStop, 'response');
        const o = inv.kind === 'paused' ? yield* this.waitResume(f, ctx) : inv;
        if (o.kind !== 'continue') return this.resetAfterHeaders('wasm_fail_stream');
      }
    }
    return this.finalResponse(false);
  }

  private encodeLocalReplyFrom(reply: LocalReply, index: number): Step<OutgoingResponse> {
    // A reply from a response callback replaces the upstream's answer; that filter is not called again.
    return this.encodeLocalReply(reply, index);
  }

  private encodeHeaders(f: Filter, ctx: StreamContext, endOfStream: boolean): Outcome | Paused {
    ctx.phase = 'response_headers';
    ctx.responseHeadersOpen = true;
    ctx.localReply = null; // a decode-side reply has been delivered; the response path may send its own
    const n = this.stream.responseHeaders!.entries.length;
    const o = this.invoke(f, ctx, 'proxy_on_response_headers', ctx.id, n, endOfStream ? 1 : 0, headersStop, 'response');
    if (o.kind !== 'paused') ctx.responseHeadersOpen = false;
    return o;
  }


  private finalResponse(reset: boolean): OutgoingResponse {
    const s = this.stream;
    const h = s.responseHeaders!;
    const status = Number(h.get(':status') ?? '200');
    s.responseCode = status;
    // After the filters, the connection manager sets `date` (when missing) and overwrites `server`.
    if (!h.has('date')) h.addTrusted('date', httpDate(this.services.platform.nowNanos()));
    h.remove('server');
    h.addTrusted('server', 'envoy');
    if (s.closeConnection) h.setInPlace('connection', 'close');
    // The codec frames the body; 1xx, 204 and 304 answers carry none.
    const bodiless = status < 200 || status === 204 || status === 304;
    if (!bodiless && !h.has('content-length') && !h.has('transfer-encoding') && !reset) h.addTrusted('content-length', String(s.responseBody.length));
    const headers: [string, string][] = [];
    for (const e of h.entries) if (e[0].charCodeAt(0) !== 58 /* ':' */) headers.push(e);
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
      f.slot.vm.call3(ctx, 'proxy_on_log', ctx.id, 0, 0);
    }
    for (const f of this.filters) {
      const ctx = f.ctx;
      if (!ctx || f.skipped) continue;
      ctx.phase = 'none';
      f.slot.vm.call3(ctx, 'proxy_on_done', ctx.id, 0, 0);
      f.slot.vm.call3(ctx, 'proxy_on_delete', ctx.id, 0, 0);
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
  const ms = Number(nanos / 1_000_000n);
  const second = Math.floor(ms / 1000);
  if (second !== dateSecond) {
    dateSecond = second;
    dateText = new Date(second * 1000).toUTCString();
  }
  return dateText;
}

function concat(parts: Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  // The usual shape: one chunk of data and the empty end-of-stream chunk.
  if (parts.length === 2 && parts[1]!.length === 0) return parts[0]!;
  const n = parts.reduce((a, b) => a + b.length, 0);
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) { out.set(p, o); o += p.length; }
  return out;
}
