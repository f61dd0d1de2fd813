// Reading wrk's --latency report (the benchmark's only source of figures).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseWrk } from '../../envoy-test/lib/wrk.ts';

const sample = `Running 3s test @ http://127.0.0.1:40001/
  1 threads and 8 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency   450.12us  120.50us   3.20ms   90.00%
    Req/Sec    17.50k   500.00    18.20k    70.00%
  Latency Distribution
     50%  420.00us
     75%  480.00us
     90%  560.00us
     99%    1.25ms
  52345 requests in 3.00s, 7.50MB read
  Non-2xx or 3xx responses: 3
  Socket errors: connect 0, read 1, write 0, timeout 2
Requests/sec:  17448.33
Transfer/sec:      2.50MB
`;

test('throughput, p50/p99 in microseconds, and errors', () => {
  assert.deepEqual(parseWrk(sample), { rps: 17448.33, p50us: 420, p99us: 1250, requests: 52345, errors: 6 });
});

test('seconds as a unit, and no error lines', () => {
  const r = parseWrk(sample.replace('1.25ms', '1.50s').replace(/\s+Non-2xx.*\n/, '\n').replace(/\s+Socket errors.*\n/, '\n'));
  assert.equal(r.p99us, 1_500_000);
  assert.equal(r.errors, 0);
});

test('output without figures (wrk failed) is an error, not zeros', () => {
  assert.throws(() => parseWrk('unable to connect to 127.0.0.1:1 Connection refused'), /cannot read wrk output/);
});
