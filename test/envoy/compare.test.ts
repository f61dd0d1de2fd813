// The host-vs-Envoy diff: masks what changes every run, reports everything else field by field.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { diffObservations } from '../../envoy-test/lib/compare.ts';
import type { Observation } from '../lib/scenario.ts';

const obs = (over: Partial<Observation> = {}): Observation => ({
  upstreamRequest: { method: 'GET', path: '/', headers: [['host', 'example.com'], ['x-request-id', '6f1c2a5e-0000-4000-8000-0123456789ab']], body: '' },
  response: { status: 200, headers: [['date', 'Wed, 25 Nov 2026 19:40:01 GMT'], ['x-powered-by', 'meshplug']], body: '{"id":"6f1c2a5e-0000-4000-8000-0123456789ab"}' },
  logs: [{ level: 'info', message: 'configured' }],
  metrics: { 'wasmcustom.hello_requests_total': 1 },
  ...over,
});

test('identical up to request ids and dates: no differences', () => {
  const other = obs({
    upstreamRequest: { method: 'GET', path: '/', headers: [['host', 'example.com'], ['x-request-id', 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee']], body: '' },
    response: { status: 200, headers: [['date', 'Thu, 26 Nov 2026 01:02:03 GMT'], ['x-powered-by', 'meshplug']], body: '{"id":"aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee"}' },
    logs: [{ level: 'info', message: 'configured' }, { level: 'info', message: 'configured' }],
  });
  assert.deepEqual(diffObservations(obs(), other), []);
});

test('header order, values, status, metrics and log lines are each reported', () => {
  const other = obs({
    upstreamRequest: { method: 'GET', path: '/', headers: [['x-request-id', 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee'], ['host', 'example.com']], body: '' },
    response: { status: 503, headers: [['x-powered-by', 'Meshplug']], body: '' },
    logs: [{ level: 'warn', message: 'configured' }],
    metrics: { 'wasmcustom.hello_requests_total': 2, 'wasmcustom.extra': 1 },
  });
  const fields = diffObservations(obs(), other).map((d) => d.field);
  assert.deepEqual(fields, [
    'upstream headers', 'response status', 'response headers', 'response body',
    'metric wasmcustom.extra', 'metric wasmcustom.hello_requests_total', 'plugin logs (lines only in one host)',
  ]);
  const status = diffObservations(obs(), other).find((d) => d.field === 'response status')!;
  assert.equal(status.ours, '200');
  assert.equal(status.envoy, '503');
});

test('an upstream reached in one host only is one difference', () => {
  const d = diffObservations(obs(), obs({ upstreamRequest: null }));
  assert.deepEqual(d, [{ field: 'upstream request', ours: '"reached"', envoy: '"not reached"' }]);
});
