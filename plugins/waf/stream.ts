// One HTTP stream through the WAF: phases 1–5 on the proxy-wasm callbacks, request/response bodies
// buffered only up to the configured limits, interruptions as local replies, logs and counters at the end.
import { Bytes, Pair, PairList } from "../../assembly/seclang/types";
import {
  DataStatus, getProperty, Header, HeadersStatus, HttpContext, logEnabled, LogLevel, logWarn, logInfo, nowNanos, requestBody,
  requestHeaders, responseBody, responseHeaders, sendLocalResponse, TrailersStatus, closeStream, StreamType, PairsView, propertyPath,
} from "../../sdk";
import { collectRequest, collectRequestBody, collectResponse, Connection, firstHeader, responseBodyInspectable } from "./collect";
import { WafConfig } from "./config";
import { Evaluator } from "./evaluate";
import { BodyLimitAction, EngineMode } from "./ruleset";
import { auditLine, countAction, countHit, interruptionLine, ruleLogLine } from "./report";
import { acquireTransaction, releaseTransaction, Transaction } from "./transaction";
import { Var } from "./variables";
import { decimal, textOf } from "./text";

/** Scratch list of a header callback's pairs (collect.ts copies the byte views, never the Pairs). */
const headerList = new PairList();
const headerPairs = new Array<Pair>();

/**
 * The host's header block (pairs.ts: u32 count, (name_len, value_len) per pair, then each name and
 * value followed by a NUL) copied once into one buffer; every name and value is a view of it.
 */
function readHeaders(pairs: PairsView, out: PairList): void {
  out.clear();
  const n = pairs.count;
  if (n == 0) return;
  const first = pairs.nameAt(0);
  const block = first.ptr - 4 - 8 * <usize>n;
  const last = pairs.valueAt(n - 1);
  const dataLen = <i32>(last.ptr - first.ptr) + last.length;
  const buf = new ArrayBuffer(dataLen);
  memory.copy(changetype<usize>(buf), first.ptr, <usize>dataLen);
  let at = 0;
  for (let i = 0; i < n; i++) {
    const nl = <i32>load<u32>(block + 4 + 8 * <usize>i);
    const vl = <i32>load<u32>(block + 8 + 8 * <usize>i);
    const name = Uint8Array.wrap(buf, at, nl);
    const value = Uint8Array.wrap(buf, at + nl + 1, vl);
    out.addRecycled(headerPairs, name, value);
    at += nl + vl + 2;
  }
}

/** A property read as bytes, re-parsed only when it differs from the last request's. */
class AddressMemo {
  raw: Bytes = new Uint8Array(0);
  host: Bytes = new Uint8Array(0);
  port: Bytes = new Uint8Array(0);
  seen: bool = false;
  constructor(public path: ArrayBuffer) {}

  /** "1.2.3.4:5678" / "[::1]:80" → address and port (no property: both empty). */
  read(): void {
    const v = getProperty(this.path);
    const p = v === null ? 0 : v.ptr;
    const n = v === null ? 0 : v.length;
    if (this.seen && n == this.raw.length && memory.compare(p, this.raw.dataStart, <usize>n) == 0) return;
    const a = new Uint8Array(n);
    memory.copy(a.dataStart, p, <usize>n);
    this.raw = a;
    this.seen = true;
    let colon = n - 1;
    while (colon >= 0 && unchecked(a[colon]) != 58) colon--;
    if (colon > 0 && (unchecked(a[0]) != 91 || unchecked(a[colon - 1]) == 93)) {
      let s = 0;
      let e = colon;
      if (unchecked(a[0]) == 91 && unchecked(a[e - 1]) == 93) { s = 1; e--; }
      this.host = a.subarray(s, e);
      this.port = a.subarray(colon + 1, n);
    } else {
      this.host = a;
      this.port = new Uint8Array(0);
    }
  }
}

// Property paths encoded once (segments NUL-separated, as getProperty does for a dotted string).
const sourceAddress = new AddressMemo(propertyPath(["source", "address"]));
const destinationAddress = new AddressMemo(propertyPath(["destination", "address"]));
const protocolPath = propertyPath(["request", "protocol"]);
const HTTP11: Bytes = Uint8Array.wrap(String.UTF8.encode("HTTP/1.1"));
let lastProtocol: Bytes = HTTP11;

/** request.protocol as bytes (HTTP/1.1 when absent), the last request's array when unchanged. */
function protocolBytes(): Bytes {
  const v = getProperty(protocolPath);
  if (v === null || v.length == 0) return HTTP11;
  const n = v.length;
  const last = lastProtocol;
  if (n == last.length && memory.compare(v.ptr, last.dataStart, <usize>n) == 0) return last;
  const out = new Uint8Array(n);
  memory.copy(out.dataStart, v.ptr, <usize>n);
  lastProtocol = out;
  return out;
}

function isAscii(b: Bytes): bool {
  for (let i = 0; i < b.length; i++) if (unchecked(b[i]) >= 0x80) return false;
  return true;
}

export class WafStream extends HttpContext {
  t: Transaction | null = null;
  ev: Evaluator | null = null;
  inspectingRequestBody: bool = false;
  inspectingResponseBody: bool = false;
  /** A local reply was sent: its own response callbacks must not run the response phases. */
  replied: bool = false;
  /** How many matches have been logged (log lines go out after each phase). */
  logged: i32 = 0;
  started: u64 = 0;
  responseHeadersSent: bool = false;

  constructor(private config: WafConfig) { super(); }

  onRequestHeaders(numHeaders: i32, endOfStream: bool): HeadersStatus {
    const list = headerList;
    readHeaders(requestHeaders.pairs(), list);
    const auth = firstHeader(list, ":authority");
    const rs = this.config.forAuthority(auth === null ? "" : textOf(auth));
    if (rs === null || rs.settings.engine == EngineMode.OFF) return HeadersStatus.Continue;
    const t = acquireTransaction(rs);
    this.t = t;
    this.ev = new Evaluator(t);
    this.started = nowNanos();
    const conn = new Connection();
    sourceAddress.read();
    conn.remoteAddr = sourceAddress.host;
    conn.remotePort = sourceAddress.port;
    destinationAddress.read();
    conn.serverAddr = destinationAddress.host;
    conn.serverPort = destinationAddress.port;
    conn.protocol = protocolBytes();
    const rid = firstHeader(list, "x-request-id");
    // ASCII ids are used as they are; others go through text as before (invalid UTF-8 becomes U+FFFD).
    conn.uniqueId = rid === null ? decimal(this.id)
      : isAscii(rid) ? rid : Uint8Array.wrap(String.UTF8.encode(String.UTF8.decodeUnsafe(rid.dataStart, <usize>rid.length)));
    conn.nowSeconds = <i64>(this.started / 1000000000);
    collectRequest(t, list, conn);

    if (this.phase(1)) return HeadersStatus.StopIteration;
    const hasBody = !endOfStream;
    if (hasBody && t.requestBodyAccess && t.engine != EngineMode.OFF) {
      // Envoy turns a stopped header callback into "hold headers and body" (no body callbacks until
      // resumed), so the headers go on and the body is buffered; a phase-2 denial then answers the client
      // while the upstream never receives the body.
      this.inspectingRequestBody = true;
      return HeadersStatus.Continue;
    }
    collectRequestBody(t, new Uint8Array(0));
    if (this.phase(2)) return HeadersStatus.StopIteration;
    return HeadersStatus.Continue;
  }

  onRequestBody(bodySize: i32, endOfStream: bool): DataStatus {
    const t = this.t;
    if (t === null || !this.inspectingRequestBody) return DataStatus.Continue;
    const limit = t.requestBodyLimit;
    if (bodySize > limit) {
      if (t.rs.settings.requestBodyLimitAction == BodyLimitAction.REJECT && t.engine == EngineMode.ON) {
        this.inspectingRequestBody = false;
        this.reply(413, "request body larger than SecRequestBodyLimit");
        return DataStatus.StopIterationNoBuffer;
      }
      return this.finishRequestBody(limit) ? DataStatus.StopIterationNoBuffer : DataStatus.Continue;
    }
    if (!endOfStream) return DataStatus.StopIterationAndBuffer;
    return this.finishRequestBody(bodySize) ? DataStatus.StopIterationNoBuffer : DataStatus.Continue;
  }

  onRequestTrailers(numTrailers: i32): TrailersStatus {
    if (this.t === null || !this.inspectingRequestBody) return TrailersStatus.Continue;
    const n = requestBody.length();
    return this.finishRequestBody(n < 0 ? 0 : min(n, this.t!.requestBodyLimit)) ? TrailersStatus.StopIteration : TrailersStatus.Continue;
  }

  /** Phase 2 on the first `size` buffered bytes. True when interrupted. */
  finishRequestBody(size: i32): bool {
    const t = this.t!;
    this.inspectingRequestBody = false;
    const buf = size > 0 ? requestBody.bytes(0, size) : null;
    collectRequestBody(t, buf === null ? new Uint8Array(0) : Uint8Array.wrap(buf));
    return this.phase(2);
  }

  onResponseHeaders(numHeaders: i32, endOfStream: bool): HeadersStatus {
    const t = this.t;
    if (t === null || this.replied) return HeadersStatus.Continue;
    const list = headerList;
    readHeaders(responseHeaders.pairs(), list);
    const proto = t.scalar(Var.REQUEST_PROTOCOL);
    collectResponse(t, list, proto === null ? "HTTP/1.1" : String.UTF8.decodeUnsafe(proto.dataStart, <usize>proto.length));
    if (this.phase(3)) return HeadersStatus.StopIteration;
    if (!endOfStream && t.responseBodyAccess && responseBodyInspectable(t)) {
      // As for requests, holding the headers would also hold the body: they go out now, the body is
      // buffered, and a phase-4 interruption resets the stream so the body never reaches the client.
      this.inspectingResponseBody = true;
      this.responseHeadersSent = true;
      return HeadersStatus.Continue;
    }
    if (this.phase(4)) return HeadersStatus.StopIteration;
    return HeadersStatus.Continue;
  }

  onResponseBody(bodySize: i32, endOfStream: bool): DataStatus {
    const t = this.t;
    if (t === null || this.replied || !this.inspectingResponseBody) return DataStatus.Continue;
    const limit = t.rs.settings.responseBodyLimit;
    if (bodySize > limit) {
      if (t.rs.settings.responseBodyLimitAction == BodyLimitAction.REJECT && t.engine == EngineMode.ON) {
        this.inspectingResponseBody = false;
        this.reply(500, "response body larger than SecResponseBodyLimit");
        return DataStatus.StopIterationNoBuffer;
      }
      return this.finishResponseBody(limit) ? DataStatus.StopIterationNoBuffer : DataStatus.Continue;
    }
    if (!endOfStream) return DataStatus.StopIterationAndBuffer;
    return this.finishResponseBody(bodySize) ? DataStatus.StopIterationNoBuffer : DataStatus.Continue;
  }

  finishResponseBody(size: i32): bool {
    const t = this.t!;
    this.inspectingResponseBody = false;
    const buf = size > 0 ? responseBody.bytes(0, size) : null;
    t.setScalar(Var.RESPONSE_BODY, buf === null ? new Uint8Array(0) : Uint8Array.wrap(buf));
    t.setScalar(Var.RESPONSE_CONTENT_LENGTH, decimal(size));
    return this.phase(4);
  }

  onLog(): void {
    const t = this.t;
    if (t === null) return;
    t.setScalar(Var.DURATION, decimal(<i64>((nowNanos() - this.started) / 1000)));
    this.phase(5);
    const a = auditLine(t);
    if (a !== null && logEnabled(LogLevel.Info)) logInfo("waf audit: ", a);
    if (t.interruption !== null) countAction(t.interruption!.action);
    else if (t.matches.length > 0) countAction("pass");
  }

  onDelete(): void {
    const t = this.t;
    if (t !== null) releaseTransaction(t);
    this.t = null;
    this.ev = null;
  }

  /** Runs a phase, logs its matches, and answers when it interrupted. True when interrupted. */
  phase(p: i32): bool {
    const t = this.t!;
    const stopped = this.ev!.runPhase(p);
    this.flushLogs();
    if (stopped && p < 5) {
      if (logEnabled(LogLevel.Warn)) logWarn(interruptionLine(t, p));
      const i = t.interruption!;
      if (p == 4 && this.responseHeadersSent) {
        // Headers already went downstream: a reply is impossible, so the stream is reset instead.
        this.replied = true;
        closeStream(StreamType.Response);
      } else if (i.action == "redirect") {
        this.replied = true;
        sendLocalResponse(i.status, "", [new Header("location", i.location)], -1, "waf_redirect");
      } else {
        this.reply(i.status, "");
      }
    }
    return stopped;
  }

  flushLogs(): void {
    const t = this.t!;
    const warn = logEnabled(LogLevel.Warn);
    for (let i = this.logged; i < t.matches.length; i++) {
      const m = t.matches[i];
      countHit(m);
      if (warn && m.rule.log == 1) logWarn(ruleLogLine(t, m));
    }
    this.logged = t.matches.length;
  }

  reply(status: i32, why: string): void {
    this.replied = true;
    if (why.length > 0 && logEnabled(LogLevel.Warn)) logWarn("waf: " + why);
    sendLocalResponse(<u32>status, "", [], -1, "waf_interrupted");
  }
}
