// What Envoy 1.40's HTTP/1 codec and connection manager do to a request before any filter runs, where
// Node's parser does otherwise. Each rule was observed on the real Envoy (plugins/waf/README.md, "What
// Envoy does before the filter chain"); the gateway applies them so a plugin sees what it would see there.

/**
 * Headers Envoy keeps in its header map's inline slots: a repeated one is joined into one value with ","
 * (`Content-Type: a` + `Content-Type: b` reaches a plugin as `content-type: a,b`, two `Host` lines as
 * `:authority: a,b`). Other names stay separate pairs (accept-language, cookie, range, forwarded, x-*).
 */
const inlineRequestHeaders = new Set([
  'host', 'content-type', 'content-encoding', 'user-agent', 'accept', 'accept-encoding', 'cache-control', 'referer',
  'origin', 'authorization', 'expect', 'pragma', 'via', 'if-none-match', 'if-match', 'if-modified-since',
  'if-unmodified-since', 'if-range', 'access-control-request-method', 'access-control-request-headers',
  'x-forwarded-for', 'x-forwarded-host', 'x-forwarded-proto', 'x-forwarded-port', 'x-request-id',
  'x-client-trace-id', 'grpc-timeout', 'grpc-accept-encoding', 'proxy-status', 'x-envoy-external-address',
  'x-envoy-downstream-service-cluster', 'x-envoy-downstream-service-node', 'x-envoy-original-path',
  'x-envoy-decorator-operation', 'x-envoy-is-timeout-retry', 'x-envoy-attempt-count',
]);

// Where each inline header first appeared; reused by every call (the function never nests) and emptied
// before returning, so no map is allocated per request.
const firstAt = new Map<string, number>();

/** Joins repeats of Envoy's inline headers into the first one's place; names must be lower-case. */
export function coalesceInlineHeaders(headers: [string, string][]): [string, string][] {
  try {
    return coalesce(headers);
  } finally {
    firstAt.clear();
  }
}

function coalesce(headers: [string, string][]): [string, string][] {
  let out: [string, string][] | null = null; // copied on the first repeat; until then the input is the answer
  for (let i = 0; i < headers.length; i++) {
    const [k, v] = headers[i]!;
    if (!inlineRequestHeaders.has(k)) { out?.push([k, v]); continue; }
    const at = firstAt.get(k);
    if (at === undefined) {
      firstAt.set(k, out ? out.length : i);
      out?.push([k, v]);
      continue;
    }
    out ??= headers.slice(0, i).map(([a, b]): [string, string] => [a, b]);
    out[at]![1] += `,${v}`;
  }
  return out ?? headers;
}

/**
 * Hop-by-hop headers Envoy's connection manager removes before the filters: Connection, Keep-Alive,
 * Proxy-Connection, Transfer-Encoding, a plain Upgrade, and TE unless it is `trailers`. Host becomes
 * :authority.
 */
export function isRemovedBeforeFilters(name: string, value: string): boolean {
  switch (name) {
    case 'host': case 'connection': case 'keep-alive': case 'proxy-connection': case 'transfer-encoding': case 'upgrade':
      return true;
    case 'te':
      return value.trim().toLowerCase() !== 'trailers';
    default:
      return false;
  }
}

/** A request target with a fragment: Envoy answers 400 (empty body, connection closed) before any filter. */
export function hasFragment(target: string): boolean {
  return target.includes('#');
}

/** CONNECT's target must be host:port; without a port Envoy's codec answers 400 "Bad Request". */
export function isConnectTarget(target: string): boolean {
  return /^(?:\[[0-9A-Fa-f:.]+\]|[^\s:/?#@[\]]+):\d{1,5}$/.test(target);
}
