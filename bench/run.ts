// `npm run bench [-- SUITE [args]]`: benchmarks that print ratios against anchors measured in the same run.
// Suites are files of this directory exporting `run(args)`; the default is `sdk` (hello vs floor vs sdk-as).
import { existsSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const dir = fileURLToPath(new URL('.', import.meta.url));
const suites = readdirSync(dir).filter((f) => f.endsWith('.ts') && f !== 'run.ts').map((f) => f.replace(/\.ts$/, '')).sort();

const [suite = 'sdk', ...rest] = process.argv.slice(2);
if (suite === '--help' || suite === 'list') {
  console.log(`usage: npm run bench [-- SUITE [args]]\nsuites: ${suites.join(', ')} (default: sdk)`);
  process.exit(0);
}
if (!existsSync(`${dir}/${suite}.ts`)) {
  console.error(`bench: unknown suite '${suite}' (suites: ${suites.join(', ')})`);
  process.exit(2);
}
const mod = (await import(`./${suite}.ts`)) as { run(args: string[]): Promise<void> };
await mod.run(rest);
