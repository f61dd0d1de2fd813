// Envoy process management without Envoy: a binary that is not there is a clear EnvoyStartError that
// names the kept log, never a hang or an unhandled error.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EnvoyStartError, startEnvoy } from '../../host/envoy/process.ts';
import { locateEnvoy } from '../../host/envoy/locate.ts';

test('a missing binary fails fast with the reason and the log path', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'meshplug-process-test-'));
  try {
    const err = await startEnvoy({ configYaml: 'admin: {}', envoyPath: join(dir, 'no-such-envoy'), dir, readyTimeoutMs: 5_000 }).then(
      () => assert.fail('started'),
      (e: unknown) => e,
    );
    assert.ok(err instanceof EnvoyStartError);
    assert.match(err.message, /spawn failed: .*ENOENT/);
    assert.equal(err.stderrPath, join(dir, 'stderr.log'));
    assert.ok(existsSync(err.stderrPath));
    assert.equal(readFileSync(join(dir, 'envoy.yaml'), 'utf8'), 'admin: {}', 'the config is kept next to the log');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('locateEnvoy explains a missing ENVOY_BIN', () => {
  const saved = process.env.ENVOY_BIN;
  process.env.ENVOY_BIN = '/nonexistent/envoy-for-test';
  try {
    const r = locateEnvoy();
    assert.ok('missing' in r);
    assert.match(r.missing, /no '\/nonexistent\/envoy-for-test'/);
  } finally {
    if (saved === undefined) delete process.env.ENVOY_BIN;
    else process.env.ENVOY_BIN = saved;
  }
});
