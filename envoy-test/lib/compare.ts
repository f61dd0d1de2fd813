// Field-by-field comparison of what our host and Envoy produced for the same scenario. Values that differ
// on every run (request ids, dates, timings) are masked first, so only real disagreements remain.
import type { HeaderList, Observation } from '../../test/lib/scenario.ts';

export interface Difference { field: string; ours: string; envoy: string }

/** Headers whose values change from run to run in either host. */
const VOLATILE_VALUES = new Set(['x-request-id', 'date', 'x-envoy-upstream-service-time']);
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;
const HTTP_DATE = /\b(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d\d [A-Z][a-z]{2} \d{4} \d\d:\d\d:\d\d GMT\b/g;

// In header dumps (`name|value|` as header-dump.wat logs them) the upstream's service time varies too.
const SERVICE_TIME = /(x-envoy-upstream-service-time\|)\d+/g;

function maskText(s: string): string {
  return s.replace(UUID, '<uuid>').replace(HTTP_DATE, '<date>').replace(SERVICE_TIME, '$1<volatile>');
}

function maskHeaders(h: HeaderList): string[] {
  return h.map(([k, v]) => `${k}: ${VOLATILE_VALUES.has(k) ? '<volatile>' : maskText(v)}`);
}

const show = (v: unknown) => (typeof v === 'string' ? JSON.stringify(v) : JSON.stringify(v));

function diffHeaderLists(field: string, ours: HeaderList, envoy: HeaderList, out: Difference[]): void {
  const a = maskHeaders(ours);
  const b = maskHeaders(envoy);
  if (a.join('\n') === b.join('\n')) return;
  // Report the lists whole: order and casing are part of what is being compared.
  out.push({ field, ours: a.join(' | '), envoy: b.join(' | ') });
}

function logSet(o: Observation): string[] {
  return [...new Set(o.logs.map((l) => `[${l.level}] ${maskText(l.message)}`))].sort();
}

export function diffObservations(ours: Observation, envoy: Observation): Difference[] {
  const out: Difference[] = [];
  const push = (field: string, a: unknown, b: unknown) => {
    if (show(a) !== show(b)) out.push({ field, ours: show(a), envoy: show(b) });
  };
  const ou = ours.upstreamRequest;
  const eu = envoy.upstreamRequest;
  if (!ou || !eu) push('upstream request', ou ? 'reached' : 'not reached', eu ? 'reached' : 'not reached');
  else {
    push('upstream method', ou.method, eu.method);
    push('upstream path', ou.path, eu.path);
    push('upstream body', maskText(ou.body), maskText(eu.body));
    diffHeaderLists('upstream headers', ou.headers, eu.headers, out);
  }
  push('response status', ours.response.status, envoy.response.status);
  diffHeaderLists('response headers', ours.response.headers, envoy.response.headers, out);
  push('response body', maskText(ours.response.body), maskText(envoy.response.body));
  const names = [...new Set([...Object.keys(ours.metrics), ...Object.keys(envoy.metrics)])].sort();
  for (const n of names) push(`metric ${n}`, ours.metrics[n] ?? null, envoy.metrics[n] ?? null);
  // Envoy runs on_configure several times (canary, main thread, worker): compare distinct lines.
  const ol = logSet(ours);
  const el = logSet(envoy);
  const onlyOurs = ol.filter((l) => !el.includes(l));
  const onlyEnvoy = el.filter((l) => !ol.includes(l));
  if (onlyOurs.length || onlyEnvoy.length) out.push({ field: 'plugin logs (lines only in one host)', ours: onlyOurs.join(' | ') || '-', envoy: onlyEnvoy.join(' | ') || '-' });
  return out;
}
