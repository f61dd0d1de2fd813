// Per-request work: execute the plan. Request-phase tags are computed once in request headers,
// response-phase ones in response headers; on_log fills in whatever a short-circuited stream
// skipped, then emits metrics and the log line.
import { HeadersStatus, HttpContext, log, logEnabled, nowNanos, requestHeaders, responseHeaders, setProperty } from "../../sdk";
import { HeaderOut, Plan, Tag } from "./plan";
import { read, value } from "./source";
import { DEFAULT_INDEX } from "./value-table";

const NOT_YET: i32 = -1;

export class TagStream extends HttpContext {
  /** Value index per tag, NOT_YET until computed. */
  values: StaticArray<i32>;
  startNanos: u64 = 0;

  constructor(private plan: Plan) {
    super();
    this.values = new StaticArray<i32>(plan.tags.length);
    for (let i = 0; i < this.values.length; i++) unchecked((this.values[i] = NOT_YET));
  }

  onRequestHeaders(numHeaders: i32, endOfStream: bool): HeadersStatus {
    if (this.plan.timed) this.startNanos = nowNanos();
    this.compute(false);
    this.setHeaders(true, this.plan.requestHeaders);
    return HeadersStatus.Continue;
  }

  onResponseHeaders(numHeaders: i32, endOfStream: bool): HeadersStatus {
    this.compute(true);
    this.setHeaders(false, this.plan.responseHeaders);
    return HeadersStatus.Continue;
  }

  onLog(): void {
    this.compute(true);
    const plan = this.plan;
    const ms: i64 = this.startNanos == 0 ? -1 : <i64>((nowNanos() - this.startNanos) / 1000000); // -1: not timed
    for (let i = 0; i < plan.metrics.length; i++) unchecked(plan.metrics[i]).emit(this.values, plan.tables, ms);
    if (plan.logTags.length > 0 && logEnabled(plan.logLevel)) log(plan.logLevel, "telemetry-tags: ", this.logLine());
  }

  // Computes every tag not computed yet; response-phase tags only when `response` is true.
  private compute(response: bool): void {
    const plan = this.plan;
    for (let i = 0; i < plan.tags.length; i++) {
      if (unchecked(this.values[i]) != NOT_YET) continue;
      const t = unchecked(plan.tags[i]);
      if (t.responsePhase && !response) continue;
      const v = evaluate(t);
      unchecked((this.values[i] = v));
      if (plan.filterState.includes(i)) setProperty(t.statePath, t.table.bytes[v]);
    }
  }

  private setHeaders(request: bool, list: HeaderOut[]): void {
    for (let i = 0; i < list.length; i++) {
      const h = unchecked(list[i]);
      const v = this.values[h.tag];
      if (v == NOT_YET) continue;
      const bytes = this.plan.tables[h.tag].bytes[v];
      if (request) requestHeaders.replace(h.name, bytes);
      else responseHeaders.replace(h.name, bytes);
    }
  }

  private logLine(): string {
    const plan = this.plan;
    let line = "";
    for (let i = 0; i < plan.logTags.length; i++) {
      const t = plan.logTags[i];
      if (i > 0) line += " ";
      const v = this.values[t];
      line += plan.tags[t].name + "=" + plan.tables[t].labels[v == NOT_YET ? DEFAULT_INDEX : v];
    }
    return line;
  }
}

function evaluate(t: Tag): i32 {
  const s = t.source;
  if (s !== null) return read(s) ? t.table.lookup(value.ptr, value.len) : DEFAULT_INDEX;
  for (let i = 0; i < t.rules.length; i++) {
    const r = unchecked(t.rules[i]);
    if (r.when.matches()) return r.index;
  }
  return DEFAULT_INDEX;
}
