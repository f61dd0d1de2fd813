// One configured metric: an Envoy stat per distinct combination of its tags' values, named the
// Istio way (`<tag>=.=<value>;.;<name>`) so stats_tags rules turn the segments into labels. Stats
// are defined on first use and cached by the packed value indexes; the tables' caps bound how many.
import { Counter, Histogram, Metric, defineCounter, defineHistogram } from "../../sdk";
import { ValueTable } from "./value-table";

/** Bits per tag in the cache key: value tables hold at most 1 << INDEX_BITS values. */
export const INDEX_BITS: i32 = 10;
/** Tags per metric that fit a 64-bit key. */
export const MAX_METRIC_TAGS: i32 = 6;

export class MetricSeries {
  private cache: Map<u64, Metric> = new Map();
  constructor(public readonly name: string, public readonly histogram: bool, public readonly tags: i32[]) {}

  get seriesCount(): i32 { return this.cache.size; }

  /** The stat for this request's tag values (indexes per configured tag). */
  metricFor(values: StaticArray<i32>, tables: ValueTable[]): Metric {
    let key: u64 = 0;
    for (let i = 0; i < this.tags.length; i++) key = (key << INDEX_BITS) | <u64>unchecked(values[unchecked(this.tags[i])]);
    if (this.cache.has(key)) return this.cache.get(key);
    let name = "";
    for (let i = 0; i < this.tags.length; i++) {
      const t = unchecked(this.tags[i]);
      name += tables[t].tagName + "=.=" + tables[t].labels[values[t]] + ";.;";
    }
    name += this.name;
    const m: Metric = this.histogram ? changetype<Metric>(defineHistogram(name)) : changetype<Metric>(defineCounter(name));
    if (m.id != 0) this.cache.set(key, m); // a refused definition is retried by the next request
    return m;
  }

  /** Counts the request or records its duration. */
  emit(values: StaticArray<i32>, tables: ValueTable[], durationMs: i64): void {
    const m = this.metricFor(values, tables);
    if (this.histogram) {
      if (durationMs >= 0) changetype<Histogram>(m).record(<u64>durationMs);
    } else changetype<Counter>(m).increment();
  }
}
