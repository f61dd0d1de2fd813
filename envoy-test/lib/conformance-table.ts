// The shape of envoy-test/conformance.json: one row per conformance module and plugin setting, with what
// Envoy 1.40 did. Shared by the real-Envoy runner and our host's tests, so both read one table.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { FailurePolicy, HeaderExpect, LogLevelName } from '../../test/lib/scenario.ts';

export interface ConformancePlugin {
  name: string;
  rootId?: string;
  vmId?: string;
  failurePolicy?: FailurePolicy;
  /** The deprecated boolean, which still decides what the trapping request itself gets. */
  failOpen?: boolean;
  configuration?: string;
}

export interface ConformanceRequest {
  /** Pause before sending (e.g. to let FAIL_RELOAD's backoff pass). */
  waitMsBefore?: number;
  /** Default GET. */
  method?: string;
  /** Send a request body of this many bytes ('a' repeated). */
  bodyBytes?: number;
  /** What the upstream answers this time: status (default 200) and a body of this many bytes ('b'). */
  upstreamReply?: { status?: number; bodyBytes: number };
  status: number;
  upstreamReached: boolean;
  /** The headers arrived, then the stream was reset before the body completed. */
  resetAfterHeaders?: boolean;
  body?: string;
  responseHeaders?: HeaderExpect;
  upstreamHeaders?: HeaderExpect;
}

export interface ConformanceLog {
  /** `plugin`: the module's own proxy_log line; `host`: the host's own line about the VM. */
  source: 'plugin' | 'host';
  level: LogLevelName;
  contains: string;
  /** Exactly this many matching lines over the whole run (default: at least one). */
  count?: number;
}

export interface ConformanceCase {
  name: string;
  /** A .wat file relative to the repo root. */
  module: string;
  plugin: ConformancePlugin;
  /** `refused`: the host will not start with this plugin (Envoy exits, `--mode validate` fails). */
  outcome: 'refused' | 'serves';
  /** Sent one after another, each `GET /` with `host: example.com`; only for `serves`. */
  requests?: ConformanceRequest[];
  /** The listener's per-connection buffer limit (Envoy default 1 MiB) — what buffering plugins run into. */
  bufferLimitBytes?: number;
  /** Stat name as `/stats` prints it → value after the last request. */
  metrics?: Record<string, number>;
  logs?: ConformanceLog[];
}

export const conformancePath = fileURLToPath(new URL('../conformance.json', import.meta.url));

export function loadConformance(path = conformancePath): ConformanceCase[] {
  return (JSON.parse(readFileSync(path, 'utf8')) as { cases: ConformanceCase[] }).cases;
}
