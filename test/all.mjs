#!/usr/bin/env node
// `npm test`: everything CI checks, in order, stopping at the first failing step.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const steps = [
  ['typecheck', 'npm', ['run', '-s', 'typecheck']],
  ['build plugins', 'npm', ['run', '-s', 'build:plugin']],
  ['AssemblyScript unit tests', 'npm', ['run', '-s', 'test:as']],
  ['host and plugin tests', 'npm', ['run', '-s', 'test:node']],
  ['Wycheproof vectors', 'npm', ['run', '-s', 'test:wycheproof'], 'test/wycheproof/run.ts'],
  ['CRS regression suite through the WAF', 'npm', ['run', '-s', 'test:waf'], 'test/waf-test/ci.ts'],
  ['real Envoy suite', 'npm', ['run', '-s', 'test:envoy'], 'envoy-test/run.ts'],
  ['Istio delivery suite', 'npm', ['run', '-s', 'test:istio'], 'envoy-test/istio/run.ts'],
];
for (const [title, cmd, args, needs] of steps) {
  if (needs && !existsSync(`${root}/${needs}`)) continue;
  console.log(`\n=== ${title} ===`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`\nnpm test: step '${title}' failed (exit ${r.status ?? r.signal})`);
    process.exit(1);
  }
}
console.log('\nnpm test: all steps passed');
