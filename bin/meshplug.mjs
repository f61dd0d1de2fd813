#!/usr/bin/env node
// Entry point of the `meshplug` CLI: loads the TypeScript sources through tsx so no build step is needed.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../host/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
