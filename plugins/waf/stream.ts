// One HTTP stream through the WAF: phases 1–5 on the proxy-wasm callbacks, request/response bodies
// buffered only up to the configured limits, interruptions as local replies, logs and counters at the end.
import { Bytes, PairList } from "../../assembly/seclang/types";
import {
  DataStatus, getProperty, Header, HeadersStatus, HttpContext, logEnabled, LogLevel, logWarn, logInfo, nowNanos, requestBody,
  requestHeaders, responseBody, responseHeaders, sendLocalResponse, TrailersStatus, BytesView, closeStream, StreamType,
} from "../../sdk";
import { collectRequest, collectRequestBody, collectResponse, Connection, firstHeader, responseBodyInspectable } from "./collect";
import { WafConfig } from "./config";
import { Evaluator } from "./evaluate";
import { BodyLimitAction, EngineMode } from "./ruleset";
import { auditLine, countAction, countHit, interruptionLine, ruleLogLine } from "./report";
import { Transaction } from "./transaction";
import { Var } from "./variables";
import { decimal } from "./text";

function copy(v: BytesView): Bytes {
  const out = new Uint8Array(v.length);
  memory.copy(out.dataStart, v.ptr, <usize>v.length);
  return out;
}

function propertyText(path: string): string {
  const v = getProperty(path);
  return v === null ? "" : v.toString();
}

/** "1.2.3.4:5678" / "[::1]:80" → address and port. */
function splitAddress(a: string, out: string[]): void {
  const colon = a.lastIndexOf(":");
  if (colon > 0 && (a.charCodeAt(0) != 91 || a.charCodeAt(colon - 1) == 93)) {
    let host = a.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length - 1);
    out[0] = host;
    out[1] = a.substring(colon + 1);
  } else {
    out[0] = a;
    out[1] = "";
  }
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
    const pairs = requestHeaders.pairs();
    let authority = "";
    const list = new PairList();
    if (pairs !== null) {
      for (let i = 0; i < pairs.count; i++) {
        const name = copy(pairs.nameAt(i));
        const value = copy(pairs.valueAt(i));
        list.add(name, value);
        if (pairs.nameAt(i).equals(":authority")) authority = pairs.valueAt(i).toString();
      }
    }
    const rs = this.config.forAuthority(authority);
    if (rs === null || rs.settings.engine == EngineMode.OFF) return HeadersStatus.Continue;
    const t = new Transaction(rs);
    this.t = t;
    this.ev = new Evaluator(t);
    this.started = nowNanos();
    const conn = new Connection();
    const parts: string[] = ["", ""];
    splitAddress(propertyText("source.address"), parts);
    conn.remoteAddr = parts[0];
    conn.remotePort = parts[1];
    splitAddress(propertyText("destination.address"), parts);
    conn.serverAddr = parts[0];
    conn.serverPort = parts[1];
    const proto = propertyText("request.protocol");
    if (proto.length > 0) conn.protocol = proto;
    const rid = firstHeader(list, "x-request-id");
    conn.uniqueId = rid !== null ? String.UTF8.decodeUnsafe(rid.dataStart, <usize>rid.length) : this.id.toString();
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
    const pairs = responseHeaders.pairs();
    const list = new PairList();
    if (pairs !== null) for (let i = 0; i < pairs.count; i++) list.add(copy(pairs.nameAt(i)), copy(pairs.valueAt(i)));
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
    if (t !== null) t.release();
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
