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

// A scenario's volatile parts (`Scenario.volatile`) are compared by shape: every run of 16 or more
// base64url characters — a random state, nonce, PKCE challenge or sealed cookie — becomes its length, so
// URLs keep their origin, path, query parameter names and constant values, and cookies keep their names
// and attributes. Shorter runs (ports, `Max-Age`, `client_id=meshplug`) stay exact.
const RANDOM_RUN = /[A-Za-z0-9_-]{16,}/g;

export function shapeOf(value: string): string {
  return value.replace(RANDOM_RUN, (run) => `<random:${run.length}>`);
}

/** What `Scenario.volatile` may name; `parseVolatile` refuses anything else, so a typo cannot hide a diff. */
const VOLATILE_FIELD = /^(response|upstream)\.(headers\.[a-z0-9!#$%&'*+.^_`|~-]+|body)$/;

interface VolatileParts { responseHeaders: Set<string>; upstreamHeaders: Set<string>; responseBody: boolean; upstreamBody: boolean; unknown: string[] }

function parseVolatile(fields: readonly string[]): VolatileParts {
  const v: VolatileParts = { responseHeaders: new Set(), upstreamHeaders: new Set(), responseBody: false, upstreamBody: false, unknown: [] };
  for (const f of fields) {
    const m = VOLATILE_FIELD.exec(f);
    if (!m) { v.unknown.push(f); continue; }
    const part = m[2]!;
    if (part === 'body') {
      if (m[1] === 'response') v.responseBody = true;
      else v.upstreamBody = true;
    } else (m[1] === 'response' ? v.responseHeaders : v.upstreamHeaders).add(part.slice('headers.'.length));
  }
  return v;
}

function maskHeaders(h: HeaderList, byShape: Set<string> = new Set()): string[] {
  return h.map(([k, v]) => `${k}: ${VOLATILE_VALUES.has(k) ? '<volatile>' : byShape.has(k) ? shapeOf(maskText(v)) : maskText(v)}`);
}

const show = (v: unknown) => (typeof v === 'string' ? JSON.stringify(v) : JSON.stringify(v));

function diffHeaderLists(field: string, ours: HeaderList, envoy: HeaderList, out: Difference[], byShape?: Set<string>): void {
  const a = maskHeaders(ours, byShape);
  const b = maskHeaders(envoy, byShape);
  if (a.join('\n') === b.join('\n')) return;
  // Report the lists whole: order and casing are part of what is being compared.
  out.push({ field, ours: a.join(' | '), envoy: b.join(' | ') });
}

function logSet(o: Observation): string[] {
  return [...new Set(o.logs.map((l) => `[${l.level}] ${maskText(l.message)}`))].sort();
}

/**
 * `volatile`: the scenario's `volatile` list (paths like `response.headers.location`), compared by shape
 * (`shapeOf`) instead of exactly. An entry that names no comparable part is itself reported.
 */
export function diffObservations(ours: Observation, envoy: Observation, volatile: readonly string[] = []): Difference[] {
  const out: Difference[] = [];
  const v = parseVolatile(volatile);
  if (v.unknown.length) out.push({ field: 'scenario volatile list', ours: `unknown: ${v.unknown.join(', ')}`, envoy: 'want response|upstream .headers.<lower-case name> or .body' });
  const bodyOf = (text: string, byShape: boolean) => (byShape ? shapeOf(maskText(text)) : maskText(text));
  const push = (field: string, a: unknown, b: unknown) => {
    if (show(a) !== show(b)) out.push({ field, ours: show(a), envoy: show(b) });
  };
  const ou = ours.upstreamRequest;
  const eu = envoy.upstreamRequest;
  if (!ou || !eu) push('upstream request', ou ? 'reached' : 'not reached', eu ? 'reached' : 'not reached');
  else {
    push('upstream method', ou.method, eu.method);
    push('upstream path', ou.path, eu.path);
    push('upstream body', bodyOf(ou.body, v.upstreamBody), bodyOf(eu.body, v.upstreamBody));
    diffHeaderLists('upstream headers', ou.headers, eu.headers, out, v.upstreamHeaders);
  }
  push('response status', ours.response.status, envoy.response.status);
  diffHeaderLists('response headers', ours.response.headers, envoy.response.headers, out, v.responseHeaders);
  push('response body', bodyOf(ours.response.body, v.responseBody), bodyOf(envoy.response.body, v.responseBody));
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
