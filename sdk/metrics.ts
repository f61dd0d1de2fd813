// Counters, gauges and histograms. Each name is defined with the host once per VM: defining it
// again (a second root context, a reconfiguration) returns the same metric object. Define them in
// onConfigure / onVmStart (the host refuses proxy_define_metric at top level).
import { MetricType, WasmResult } from "./abi/enums";
import { proxy_define_metric, proxy_get_metric, proxy_increment_metric, proxy_record_metric } from "./abi/imports";
import { RET0 } from "./abi/memory";
import { setLastResult } from "./result";

export class Metric {
  /** 0 when the host refused the definition (every update then returns NotFound). */
  id: u32 = 0;
  constructor(public readonly type: MetricType, public readonly name: string) {}

  /** The current value (counters and gauges); 0 with lastResult() != Ok on failure. */
  get(): u64 {
    store<u64>(RET0, 0);
    return setLastResult(proxy_get_metric(this.id, RET0)) == 0 ? load<u64>(RET0) : 0;
  }
}

export class Counter extends Metric {
  /** Adds delta (must be > 0; Envoy rejects 0 and negatives). */
  @inline increment(delta: i64 = 1): WasmResult {
    return <WasmResult>setLastResult(proxy_increment_metric(this.id, delta));
  }
}

export class Gauge extends Metric {
  /** Positive adds, negative subtracts. */
  add(delta: i64): WasmResult { return <WasmResult>setLastResult(proxy_increment_metric(this.id, delta)); }
  set(value: u64): WasmResult { return <WasmResult>setLastResult(proxy_record_metric(this.id, value)); }
}

export class Histogram extends Metric {
  record(value: u64): WasmResult { return <WasmResult>setLastResult(proxy_record_metric(this.id, value)); }
}

// Plugins define a handful of metrics: a list scanned linearly is smaller than a Map.
const defined = new Array<Metric>();

function define(type: MetricType, name: string): Metric {
  for (let i = 0; i < defined.length; i++) {
    const d = unchecked(defined[i]);
    if (d.type == type && d.name == name) return d;
  }
  let m: Metric;
  if (type == MetricType.Counter) m = new Counter(type, name);
  else if (type == MetricType.Gauge) m = new Gauge(type, name);
  else m = new Histogram(type, name);
  const buf = String.UTF8.encode(name);
  store<u32>(RET0, 0);
  if (setLastResult(proxy_define_metric(type, changetype<usize>(buf), buf.byteLength, RET0)) != 0) return m; // not cached: retried next time
  m.id = load<u32>(RET0);
  defined.push(m);
  return m;
}

/** The counter `name` (Envoy shows it as wasmcustom.<name>). */
export function defineCounter(name: string): Counter { return changetype<Counter>(define(MetricType.Counter, name)); }
export function defineGauge(name: string): Gauge { return changetype<Gauge>(define(MetricType.Gauge, name)); }
export function defineHistogram(name: string): Histogram { return changetype<Histogram>(define(MetricType.Histogram, name)); }
