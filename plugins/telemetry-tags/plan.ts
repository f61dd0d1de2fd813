// The compiled configuration: everything a request needs, prepared once in onConfigure.
import { LogLevel } from "../../sdk";
import { Condition } from "./condition";
import { MetricSeries } from "./metric-series";
import { Source } from "./source";
import { ValueTable } from "./value-table";

/** First-match rule: when `when` holds, the tag takes value `index` of its table. */
export class Rule {
  constructor(public readonly when: Condition, public readonly index: i32) {}
}

export class Tag {
  /** Read from a source (then interned) or chosen by rules; exactly one of the two. */
  source: Source | null = null;
  rules: Rule[] = [];
  responsePhase: bool = false;
  constructor(public readonly name: string, public readonly table: ValueTable, public readonly statePath: ArrayBuffer) {}
}

/** A header set to a tag's value. */
export class HeaderOut {
  constructor(public readonly name: ArrayBuffer, public readonly tag: i32) {}
}

export class Plan {
  tags: Tag[] = [];
  /** tags[i].table, for metric naming. */
  tables: ValueTable[] = [];
  metrics: MetricSeries[] = [];
  /** Some metric is a latency histogram: only then is the clock read (two host calls per request). */
  timed: bool = false;
  /** Tags written to filter state wasm.<tag>. */
  filterState: i32[] = [];
  requestHeaders: HeaderOut[] = [];
  responseHeaders: HeaderOut[] = [];
  /** Tags in the per-request log line; empty = no log line. */
  logTags: i32[] = [];
  logLevel: LogLevel = LogLevel.Info;
}
