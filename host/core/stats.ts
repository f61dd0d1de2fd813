// Process-wide stats with Envoy's naming: a plugin's metric `x` is the stat `wasmcustom.x`, shared by every
// VM and plugin defining the same name. Prometheus output follows Envoy's admin endpoint (prefix stripped,
// `<tag>=.=<value>;.;` segments turned into labels as Istio's stats_tags regexes do, names sanitised).
import { MetricType } from './abi.ts';

export const histogramBuckets = [0.5, 1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000, 60000, 300000, 600000, 1800000, 3600000];

export interface Stat {
  name: string; // full Envoy name, e.g. wasmcustom.hello_requests_total
  type: MetricType;
  value: number; // counter / gauge
  bucketCounts?: number[]; // histogram
  sum?: number;
  count?: number;
}

export class StatsStore {
  readonly stats = new Map<string, Stat>();

  /** A plugin-defined metric: Envoy names it `wasmcustom.<name>`. */
  define(type: MetricType, name: string): Stat {
    return this.defineRaw(type, `wasmcustom.${name}`);
  }

  /** A stat under its full Envoy name. */
  defineRaw(type: MetricType, full: string): Stat {
    let s = this.stats.get(full);
    if (!s) {
      s = { name: full, type, value: 0 };
      if (type === MetricType.Histogram) { s.bucketCounts = histogramBuckets.map(() => 0); s.sum = 0; s.count = 0; }
      this.stats.set(full, s);
    }
    return s;
  }

  record(s: Stat, value: number): void {
    if (s.type === MetricType.Histogram) {
      s.count! += 1;
      s.sum! += value;
      for (let i = 0; i < histogramBuckets.length; i++) if (value <= histogramBuckets[i]!) s.bucketCounts![i]! += 1;
    } else if (s.type === MetricType.Counter) s.value += value;
    else s.value = value;
  }

  /** Counters and gauges by their `/stats` name (what `meshplug request --json` prints). */
  snapshot(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const s of this.stats.values()) if (s.type !== MetricType.Histogram) out[s.name] = s.value;
    return out;
  }

  /** `/stats` text: `name: value` lines, sorted, like Envoy's admin. */
  renderText(): string {
    return [...this.stats.values()]
      .filter((s) => s.type !== MetricType.Histogram)
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((s) => `${s.name}: ${s.value}`)
      .join('\n') + '\n';
  }

  /** `/stats/prometheus` text exposition. `tagNames` lists the tags with a stats_tags rule (null = every tag). */
  renderPrometheus(tagNames: string[] | null = null): string {
    const families = new Map<string, { type: string; lines: string[] }>();
    for (const s of this.stats.values()) {
      // Envoy strips `wasmcustom.` from plugin metrics and prefixes its own stats with `envoy_`.
      const plain = s.name.startsWith('wasmcustom.') ? s.name.slice('wasmcustom.'.length) : `envoy_${s.name}`;
      const { base, labels } = extractTags(plain, tagNames);
      const name = base.replace(/[^a-zA-Z0-9_]/g, '_');
      if (/^[0-9]/.test(name) || name === '') continue; // Envoy drops these
      const type = s.type === MetricType.Counter ? 'counter' : s.type === MetricType.Gauge ? 'gauge' : 'histogram';
      let fam = families.get(name);
      if (!fam) families.set(name, (fam = { type, lines: [] }));
      const lbl = (extra: [string, string][] = []) => {
        const all = [...labels, ...extra];
        return all.length ? `{${all.map(([k, v]) => `${k}="${escapeLabel(v)}"`).join(',')}}` : '';
      };
      if (s.type === MetricType.Histogram) {
        histogramBuckets.forEach((b, i) => fam!.lines.push(`${name}_bucket${lbl([['le', String(b)]])} ${s.bucketCounts![i]}`));
        fam.lines.push(`${name}_bucket${lbl([['le', '+Inf']])} ${s.count}`);
        fam.lines.push(`${name}_sum${lbl()} ${s.sum}`);
        fam.lines.push(`${name}_count${lbl()} ${s.count}`);
      } else fam.lines.push(`${name}${lbl()} ${s.value}`);
    }
    const out: string[] = [];
    for (const [name, fam] of [...families.entries()].sort(([a], [b]) => a.localeCompare(b))) {
      out.push(`# TYPE ${name} ${fam.type}`, ...fam.lines);
    }
    return out.join('\n') + (out.length ? '\n' : '');
  }
}

function escapeLabel(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

/** Cuts `<tag>=.=<value>;.;` segments out of a stat name, as Istio's `(<tag>=\.=(.*?);\.;)` rules do. */
export function extractTags(name: string, tagNames: string[] | null): { base: string; labels: [string, string][] } {
  const labels: [string, string][] = [];
  const base = name.replace(/([a-zA-Z_][a-zA-Z0-9_]*)=\.=(.*?);\.;/g, (whole, tag: string, value: string) => {
    if (tagNames && !tagNames.includes(tag)) return whole;
    labels.push([tag, value]);
    return '';
  });
  return { base, labels };
}
