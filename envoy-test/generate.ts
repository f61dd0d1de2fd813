// `node --import tsx envoy-test/generate.ts`: rewrites every envoy-test/<plugin>.yaml listed in
// envoy-test/plugins.json from the one template, and docker-compose.yml with a service for each
// (test/envoy/shipped-configs.test.ts checks they match).
import { writeFileSync } from 'node:fs';
import { composePath, regenerate, renderCompose, shippedConfigs } from './lib/shipped-configs.ts';

for (const c of shippedConfigs()) {
  writeFileSync(c.file, await regenerate(c));
  console.log(`wrote ${c.file}`);
}
writeFileSync(composePath, renderCompose(shippedConfigs()));
console.log(`wrote ${composePath}`);
